"""Admin of post-incident reviews (timeline and action items inline) and action items."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.admin.history import HistoryInWordsMixin
from incidents.exceptions import DomainError
from incidents.visibility import about_visible_incidents
from itsm.admin_refusals import ServiceRefusalsAsMessages
from reviews import services
from reviews.choices import REVIEW_STATUS_COLOURS, ReviewStatus
from reviews.models import ActionItem, PostIncidentReview, TimelineItem
from reviews.selectors import reviews_with_counts

TRANSITION_BUTTONS = {
    "_submit_review": ReviewStatus.IN_REVIEW,
    "_back_to_draft": ReviewStatus.DRAFT,
    "_publish": ReviewStatus.PUBLISHED,
}


class _FrozenWhenPublished:
    """Inline rows are read-only once their review is published."""

    def _frozen(self, obj) -> bool:
        return bool(obj and obj.is_published)

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class MinuteSplitDateTime(widgets.AdminSplitDateTime):
    """The admin's date and time inputs with the time to the minute, as every timeline
    shows it."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = "%H:%M"


class TimelineItemForm(forms.ModelForm):
    class Meta:
        model = TimelineItem
        fields = ["at", "title", "body"]
        widgets = {
            "at": MinuteSplitDateTime(),
            "body": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }


class TimelineItemInline(_FrozenWhenPublished, admin.TabularInline):
    model = TimelineItem
    form = TimelineItemForm
    extra = 0
    fields = ["at", "source", "title", "body"]
    readonly_fields = ["source"]


class ActionItemForm(forms.ModelForm):
    follow_up_url = forms.URLField(
        label=_("Follow-up link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = ActionItem
        fields = list(services.ACTION_FIELDS)


class ActionItemInline(_FrozenWhenPublished, admin.TabularInline):
    model = ActionItem
    form = ActionItemForm
    extra = 0
    fields = ["title", "owner", "due_date", "status", "follow_up_url", "follow_up_problem"]
    raw_id_fields = ["owner", "follow_up_problem"]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PostIncidentReview
        fields = ["incident", *services.REVIEW_FIELDS, "services"]

    def clean(self):
        data = super().clean()
        start, end = data.get("impact_started_at"), data.get("impact_ended_at")
        if start and end and end < start:
            self.add_error("impact_ended_at", _("The impact cannot end before it started."))
        return data


@admin.register(PostIncidentReview)
class PostIncidentReviewAdmin(ServiceRefusalsAsMessages, HistoryInWordsMixin, SimpleHistoryAdmin):
    form = ReviewForm
    list_display = ["incident", "status_badge", "facilitator", "open_actions", "published_at"]
    list_filter = ["status"]
    list_select_related = ["incident", "facilitator"]
    search_fields = ["incident__number", "incident__title", "summary"]
    raw_id_fields = ["incident", "facilitator"]
    inlines = [TimelineItemInline, ActionItemInline]
    change_form_template = "reviews/admin/review_change_form.html"
    actions = ["submit_for_review", "publish"]
    fieldsets = [
        (None, {"fields": ["incident", "facilitator", "summary"]}),
        (
            "Impact",
            {
                "fields": [
                    "impact",
                    "users_affected",
                    ("impact_started_at", "impact_ended_at"),
                    "services",
                ]
            },
        ),
        ("Analysis", {"fields": ["root_cause", "contributing_factors"]}),
        ("Lessons", {"fields": ["went_well", "went_badly"]}),
    ]

    def get_queryset(self, request):
        rows = reviews_with_counts().select_related("incident", "facilitator")
        return about_visible_incidents(rows, request.user, "incident")

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, review):
        return format_html(
            '<span style="color:#fff;background:{};padding:1px 6px;border-radius:8px">{}</span>',
            REVIEW_STATUS_COLOURS.get(review.status, "#4b5563"),
            review.get_status_display(),
        )

    @admin.display(description=_("open actions (overdue)"), ordering="open_actions")
    def open_actions(self, review):
        return f"{review.open_actions} ({review.overdue_actions})"

    def get_readonly_fields(self, request, obj=None):
        return ["incident"] if obj else []

    def has_change_permission(self, request, obj=None):
        """Published reviews are read-only (viewable, with their history)."""
        return not (obj and obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Through the services: open the review (with its generated timeline), then edit."""
        values = {name: form.cleaned_data[name] for name in services.REVIEW_FIELDS}
        if not change:
            started = services.review_start(
                incident=form.cleaned_data["incident"], actor=request.user
            )
            obj.pk = started.pk
        services.review_update(
            review=obj, actor=request.user, services=form.cleaned_data["services"], **values
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # m2m services were set by the service
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActionItem:
            return super().save_formset(request, form, formset, change)
        for item in formset.save(commit=False):
            values = {name: getattr(item, name) for name in services.ACTION_FIELDS}
            if item.pk:
                services.action_item_update(item=item, actor=request.user, **values)
            else:
                values.pop("title")
                services.action_item_add(
                    review=form.instance, actor=request.user, title=item.title, **values
                )
        for item in formset.deleted_objects:
            services.action_item_delete(item=item, actor=request.user)

    def response_change(self, request, obj):
        """The status buttons of the change form save the edits first, then move on."""
        target = next((to for name, to in TRANSITION_BUTTONS.items() if name in request.POST), None)
        if target is None:
            return super().response_change(request, obj)
        self._transition(request, [obj], target)
        return HttpResponseRedirect(request.path)

    def _transition(self, request, reviews, target):
        if target == ReviewStatus.PUBLISHED and not request.user.has_perm(
            "reviews.publish_postincidentreview"
        ):
            self.message_user(request, _("Only incident managers publish reviews."), messages.ERROR)
            return
        for review in reviews:
            try:
                services.review_transition(review=review, actor=request.user, to=target)
                label = str(ReviewStatus(target).label).lower()
                self.message_user(
                    request, _("%(review)s: %(status)s.") % {"review": review, "status": label}
                )
            except DomainError as error:
                message = _("%(review)s: %(error)s") % {"review": review, "error": error.message}
                self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset.select_related("incident"), ReviewStatus.IN_REVIEW)

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset.select_related("incident"), ReviewStatus.PUBLISHED)

    def has_publish_permission(self, request):
        return request.user.has_perm("reviews.publish_postincidentreview")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["review"] = obj
        context["can_publish"] = self.has_publish_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(ActionItem)
class ActionItemAdmin(HistoryInWordsMixin, SimpleHistoryAdmin):
    """Everyone's action items; on a published review only the status moves on."""

    form = ActionItemForm
    list_display = ["title", "review", "owner", "due_date", "status", "overdue"]
    list_filter = ["status", "due_date"]
    list_select_related = ["review__incident", "owner"]
    search_fields = ["title", "review__incident__number"]
    raw_id_fields = ["owner", "follow_up_problem"]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return about_visible_incidents(rows, request.user, "review__incident")

    @admin.display(boolean=True)
    def overdue(self, item):
        return item.is_overdue

    def has_add_permission(self, request):
        return False  # added on their review

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.review.is_published:
            return [name for name in services.ACTION_FIELDS if name != "status"]
        return []

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        services.action_item_update(item=obj, actor=request.user, **values)
