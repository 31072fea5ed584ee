"""Enumerations of the knowledge base."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may read an article: anyone (signed in or not), or only the service desk."""

    PUBLIC = "public", _("Everyone")
    STAFF = "staff", _("Service desk only")


class ArticleStatus(models.TextChoices):
    """A draft is seen only in the admin; publishing shows it in the portal."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


STATUS_COLOURS = {ArticleStatus.DRAFT: "#a16207", ArticleStatus.PUBLISHED: "#15803d"}
