"""The filters of the reports page and the metrics API, turned into an `reports.metrics.Scope`."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Service, Team
from reports.metrics import DIMENSIONS, PERIODS, Scope

MAX_DAYS = 2 * 366
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def period_for(days: int) -> str:
    """A sensible default grouping for a range length: days, then weeks, then months."""
    return "day" if days <= 31 else "week" if days <= 182 else "month"


class ReportFilterForm(forms.Form):
    """Date range (inclusive, in the display time zone), team, service and grouping."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(), required=False, empty_label=_("All services")
    )
    period = forms.ChoiceField(
        choices=[("", "Automatic"), *[(p, p.capitalize()) for p in PERIODS]], required=False
    )

    @classmethod
    def defaults(cls) -> dict:
        """The last 30 days, as the page shows them when opened without filters."""
        today = timezone.localdate()
        return {"start": (today - timedelta(days=29)).isoformat(), "end": today.isoformat()}

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start")
        if any(day and not EARLIEST <= day <= LATEST for day in (start, end)):
            self.add_error(None, _("Choose dates between 2000 and 2999."))
            return data
        start = start or end - timedelta(days=29)
        if end < start:
            self.add_error("end", _("The end date is before the start date."))
        elif (end - start).days >= MAX_DAYS:
            self.add_error("start", _("Choose a range of at most two years."))
        data["start"], data["end"] = start, end
        data["period"] = data.get("period") or period_for((end - start).days + 1)
        return data

    def scope(self, viewer) -> Scope:
        data, zone = self.cleaned_data, timezone.get_current_timezone()
        return Scope(
            viewer=viewer,
            start=datetime.combine(data["start"], time.min, tzinfo=zone),
            end=datetime.combine(data["end"] + timedelta(days=1), time.min, tzinfo=zone),
            team=data["team"].pk if data.get("team") else None,
            service=data["service"].pk if data.get("service") else None,
        )


class MetricsQueryForm(ReportFilterForm):
    """The API's parameters: `from`, `to`, `group_by`, plus team, service and period."""

    group_by = forms.ChoiceField(
        choices=[("", "none"), *[(d, d) for d in DIMENSIONS]], required=False
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            for external, internal in (("from", "start"), ("to", "end")):
                if external in data:
                    data[internal] = data.get(external)
        super().__init__(data, **kwargs)
