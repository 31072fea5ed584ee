"""Filters of the incident list. Each builds its choices in at most one query, and the
dashboard links to them by their parameters (`status`, `assignee`, `team`, `sla`...)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.admin.users import assignable_users, user_label
from incidents.choices import Status
from incidents.models import Category, Team


class _ChoiceFilter(admin.SimpleListFilter):
    """A filter whose value must be one of its lookups (or a listed id)."""

    def _checked(self):
        value = self.value()
        if value is not None and value not in {str(key) for key, _ in self.lookup_choices}:
            raise IncorrectLookupParameters(f"Unknown {self.title}: {value}")
        return value


class StatusFilter(_ChoiceFilter):
    """Open incidents unless asked otherwise: that is what responders work on."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open (new to on hold)")), *Status.choices, ("all", _("All"))]

    def queryset(self, request, queryset):
        value = self._checked() or "open"
        if value == "open":
            return queryset.open()
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class AssigneeFilter(_ChoiceFilter):
    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        people = [(str(user.pk), user_label(user)) for user in assignable_users()]
        return [("mine", _("Assigned to me")), ("unassigned", _("Unassigned")), *people]

    def queryset(self, request, queryset):
        value = self._checked()
        if value == "mine":
            return queryset.filter(assignee=request.user)
        if value == "unassigned":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value) if value else queryset


class TeamFilter(_ChoiceFilter):
    title = _("team")
    parameter_name = "team"

    def lookups(self, request, model_admin):
        teams = [(str(team.pk), team.name) for team in Team.objects.only("name")]
        return [("mine", _("My teams")), ("none", _("No team")), *teams]

    def queryset(self, request, queryset):
        value = self._checked()
        if value == "mine":
            my_teams = Team.members.through.objects.filter(user=request.user)
            return queryset.filter(team__in=my_teams.values("team_id"))
        if value == "none":
            return queryset.filter(team__isnull=True)
        return queryset.filter(team_id=value) if value else queryset


class CategoryFilter(_ChoiceFilter):
    """A top category includes its subcategories."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        categories = Category.objects.select_related("parent")
        return sorted(((str(c.pk), str(c)) for c in categories), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        value = self._checked()
        if not value:
            return queryset
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))


class SlaFilter(_ChoiceFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [("breached", _("Breached")), ("at_risk", _("At risk"))]

    def queryset(self, request, queryset):
        value = self._checked()
        if value == "breached":
            return queryset.breached()
        return queryset.at_risk() if value == "at_risk" else queryset
