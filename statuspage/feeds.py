"""Atom and RSS feeds of public incidents and public maintenance: public titles and the
service desk's public updates only."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from statuspage import cache, selectors
from statuspage.api import public_id

# Characters XML 1.0 cannot carry; a pasted terminal colour code must not break the feed.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def xml_text(value: str) -> str:
    return CONTROL.sub("", value)


class StatusRssFeed(Feed):
    title = gettext_lazy("Service status: incidents and maintenance")
    description = gettext_lazy("Public incidents and scheduled maintenance of our services.")

    def link(self):
        return reverse("status")

    def items(self):
        return cache.remember("feed-items", selectors.recent_feed_items)

    def item_title(self, item):
        return xml_text(self._title(item))

    def item_description(self, item):
        return xml_text(self._description(item))

    def _title(self, item):
        if hasattr(item, "opened_at"):
            service = item.service.name if item.service_id else _("Several services")
            return f"{item.public_title} ({service})"
        return _("Maintenance: %(title)s") % {"title": item.title or item.service.name}

    def _description(self, item):
        if hasattr(item, "opened_at"):
            lines = [
                f"{timezone.localtime(update.created_at):%Y-%m-%d %H:%M %Z}: {update.body}"
                for update in item.official_updates
            ]
            state = _("Resolved") if not item.is_open else _("Ongoing")
            return "\n\n".join([state, *lines])
        start = timezone.localtime(item.starts_at)
        end = timezone.localtime(item.ends_at)
        period = _("From %(start)s to %(end)s") % {
            "start": f"{start:%Y-%m-%d %H:%M %Z}",
            "end": f"{end:%Y-%m-%d %H:%M %Z}",
        }
        return "\n\n".join(part for part in [period, item.description] if part)

    def item_link(self, item):
        moment = getattr(item, "opened_at", None) or item.starts_at
        month = timezone.localtime(moment, selectors.page_zone()).strftime("%Y-%m")
        anchor = "incident" if hasattr(item, "opened_at") else "maintenance"
        return f"{reverse('status-history')}?month={month}#{anchor}-{public_id(anchor, item.pk)}"

    def item_guid(self, item):
        kind = "incident" if hasattr(item, "opened_at") else "maintenance"
        return f"{settings.SITE_URL}/status/#{kind}-{public_id(kind, item.pk)}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return getattr(item, "opened_at", None) or item.starts_at

    def item_updateddate(self, item):
        return getattr(item, "updated_at", None) or item.starts_at


class StatusAtomFeed(StatusRssFeed):
    feed_type = Atom1Feed
    subtitle = StatusRssFeed.description
