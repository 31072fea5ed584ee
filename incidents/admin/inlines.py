"""Comments and attachments on the change page. Existing ones are read-only (the record is
an audit trail); new ones are saved by `incident_comment` and `incident_attach`."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from incidents.admin.display import badge
from incidents.admin.forms import AttachmentInlineForm, CommentInlineForm
from incidents.admin.users import user_label
from incidents.models import Attachment, Comment

PUBLIC_COLOUR, NOTE_COLOUR = "#15803d", "#92400e"


def comment_badge(public: bool) -> str:
    if public:
        return badge(
            "Public update",
            PUBLIC_COLOUR,
            title=_("The reporter and watchers see it"),
            css="public",
        )
    return badge("Work note", NOTE_COLOUR, title=_("Internal: staff only"), css="note")


class _AppendOnlyFormSet(BaseInlineFormSet):
    @cached_property
    def empty_form(self):
        """Built once: the admin's inline template asks for this unbound form (the row
        "Add another" copies) about four times per page, and each built it anew."""
        return super().empty_form


class _AppendOnlyInline(admin.TabularInline):
    formset = _AppendOnlyFormSet
    # Django's tabular template with its rows written out in Python (same HTML).
    template = "admin/incidents/edit_inline/append_only.html"
    extra = 1
    can_delete = False
    show_change_link = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommentInline(_AppendOnlyInline):
    model = Comment
    form = CommentInlineForm
    fields = ["kind", "body", "by", "created_at"]
    readonly_fields = ["by", "created_at"]
    verbose_name = _("comment")
    verbose_name_plural = _("Comments: public updates and work notes")
    classes = ["itsm-comments"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description=_("Kind"))
    def kind(self, comment):
        return comment_badge(comment.public)

    @admin.display(description=_("By"))
    def by(self, comment):
        return user_label(comment.author) if comment.pk else ""


class AttachmentInline(_AppendOnlyInline):
    model = Attachment
    form = AttachmentInlineForm
    fields = ["upload", "public", "size_display", "by", "created_at"]
    readonly_fields = ["size_display", "by", "created_at"]
    verbose_name_plural = _("Attachments")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("File"))
    def upload(self, attachment):
        if attachment.pk is None:  # a form posted back with errors, nothing stored yet
            return ""
        url = reverse(
            "admin:incidents_incident_attachment", args=[attachment.incident_id, attachment.pk]
        )
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)

    @admin.display(description=_("Size"))
    def size_display(self, attachment):
        return filesizeformat(attachment.size) if attachment.pk else ""

    @admin.display(description=_("By"))
    def by(self, attachment):
        return user_label(attachment.uploaded_by) if attachment.pk else ""
