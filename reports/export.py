"""CSV downloads of the reports page: figures per group, and the incidents behind them.

Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading quote.
"""

import csv

from django.db.models import F
from django.http import StreamingHttpResponse

from reports.metrics import FIGURE_NAMES, Figures, Scope, Seconds

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def _stream(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def figures_csv(name: str, figures: list[Figures]) -> StreamingHttpResponse:
    header = FIGURE_NAMES
    rows = ([figure.as_dict()[column] for column in header] for figure in figures)
    return _stream(f"incident-figures-by-{name}.csv", header, rows)


INCIDENT_COLUMNS = [
    ("number", "number"),
    ("title", "title"),
    ("status", "status"),
    ("priority", "priority"),
    ("service", "service__name"),
    ("team", "team__name"),
    ("category", "category__name"),
    ("channel", "channel"),
    ("major", "major"),
    ("opened_at", "opened_at"),
    ("acknowledged_at", "acknowledged_at"),
    ("resolved_at", "resolved_at"),
    ("time_to_acknowledge_s", "tta"),
    ("time_to_resolve_s", "ttr"),
    ("hold_and_reopen_s", "paused_seconds"),
    ("response_due", "response_due"),
    ("resolution_due", "resolution_due"),
]


def incidents_csv(scope: Scope) -> StreamingHttpResponse:
    """Every incident opened or resolved in the scope, with its own times (seconds)."""
    incidents = (
        scope.queryset()
        .annotate(
            tta=Seconds(F("acknowledged_at"), F("opened_at")),
            ttr=Seconds(F("resolved_at"), F("opened_at")) - F("paused_seconds"),
        )
        .order_by("opened_at", "pk")
        .values_list(*[column for _, column in INCIDENT_COLUMNS])
    )

    def rows():
        for row in incidents.iterator(chunk_size=500):
            yield [round(value, 1) if isinstance(value, float) else value for value in row]

    return _stream("incidents.csv", [name for name, _ in INCIDENT_COLUMNS], rows())
