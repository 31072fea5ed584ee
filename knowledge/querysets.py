"""Which articles a person may read: the one rule every door (portal, API, suggestions)
asks."""

from django.db.models import QuerySet

from incidents.roles import can_work_incidents
from knowledge.choices import ArticleStatus, Audience


class ArticleQuerySet(QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=ArticleStatus.PUBLISHED)

    def visible_to(self, user) -> "ArticleQuerySet":
        """Published articles `user` may read: public ones for everyone (anonymous
        included), staff-only ones too for responders and managers. Drafts never: they
        are read in the admin."""
        articles = self.published()
        # Only staff reach the service desk's tools; asking them alone for their
        # permissions spares every end user's page the two permission queries.
        if user is not None and user.is_staff and can_work_incidents(user):
            return articles
        return articles.filter(audience=Audience.PUBLIC)
