"""The reports page of the responder workspace (registered in ReportsConfig.ready)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from incidents.choices import Priority
from paging.selectors import engagement_figures
from reports import charts
from reports.export import figures_csv, incidents_csv
from reports.forms import ReportFilterForm
from reports.metrics import by_dimension, by_period, summary
from satisfaction.selectors import satisfaction_figures

PERMISSION = "incidents.view_incident"
EXPORTS = ("period", "priority", "service", "team", "category", "channel")
HOUR = 3600.0
TOP_SERVICES = 8


def _hours(value):
    return round(value / HOUR, 1) if value is not None else None


def _short_label(figure, period: str) -> str:
    """Axis labels: "02 Mar" for days and weeks, "Mar 2026" for months."""
    label = figure.label.replace("Week of ", "")
    return label if period == "month" else label.rsplit(" ", 1)[0]


def _charts(periods, priorities, services, period: str) -> dict:
    labels = [_short_label(figure, period) for figure in periods]
    by_priority = {figure.key: figure for figure in priorities}
    shown = [p for p in Priority.values if p in by_priority]
    top = services[:TOP_SERVICES]
    return {
        "volume": charts.columns(
            "Incidents opened and resolved",
            labels,
            [
                charts.Series("Opened", [f.opened for f in periods], charts.PALETTE[0]),
                charts.Series("Resolved", [f.resolved for f in periods], charts.PALETTE[1]),
            ],
        ),
        "mttr": charts.lines(
            "Time to resolve (hours, hold time excluded)",
            labels,
            [
                charts.Series("Mean", [_hours(f.mttr_mean) for f in periods], charts.PALETTE[2]),
                charts.Series(
                    "Median",
                    [_hours(f.mttr_median) for f in periods],
                    charts.PALETTE[3],
                    dashed=True,
                ),
            ],
            unit=" h",
        ),
        "sla": charts.bars(
            "SLA compliance by priority",
            shown,
            [
                charts.Series(
                    "Response", [by_priority[p].sla_response_pct for p in shown], charts.PALETTE[0]
                ),
                charts.Series(
                    "Resolution",
                    [by_priority[p].sla_resolution_pct for p in shown],
                    charts.PALETTE[1],
                ),
            ],
            unit="%",
            maximum=100,
        ),
        "services": charts.bars(
            "Top services by incidents opened",
            [figure.label for figure in top],
            [charts.Series("Opened", [figure.opened for figure in top], charts.PALETTE[0])],
        ),
    }


def reports_view(request: HttpRequest, context: dict) -> HttpResponse:
    """Figures and charts for a date range, team and service; `?export=` downloads CSV."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = ReportFilterForm(request.GET or ReportFilterForm.defaults())
    if not form.is_valid():
        return render(
            request,
            "reports/reports.html",
            {**context, "form": form, "title": "Reports"},
            status=400,
        )
    scope, period = form.scope(request.user), form.cleaned_data["period"]
    export = request.GET.get("export")
    if export == "incidents":
        return incidents_csv(scope)
    if export in EXPORTS:
        rows = by_period(scope, period) if export == "period" else by_dimension(scope, export)
        return figures_csv(period if export == "period" else export, rows)
    periods = by_period(scope, period)
    priorities = by_dimension(scope, "priority")
    services = by_dimension(scope, "service")
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "reports/reports.html",
        {
            **context,
            "title": "Reports",
            "form": form,
            "period": period,
            "totals": summary(scope),
            "periods": periods,
            "priorities": priorities,
            "services": services,
            "teams": by_dimension(scope, "team"),
            "engagement": engagement_figures(scope),
            "satisfaction": satisfaction_figures(scope),
            "charts": _charts(periods, priorities, services, period),
            "query": query.urlencode(),
            "exports": EXPORTS,
        },
    )
