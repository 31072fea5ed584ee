"""Charts as server-rendered SVG: no JavaScript, no CDN, nothing the CSP has to allow.

Three shapes cover the reports page: columns (volume over time), lines (a trend) and
horizontal bars (a ranking or a percentage per group). Every text is escaped; each chart
has a title and a description for screen readers, and the page shows the numbers in a table.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 34, 46
PALETTE = ("#2563eb", "#15803d", "#c2410c", "#7c3aed")
FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="#374151"'


@dataclass
class Series:
    name: str
    values: list  # floats or None (no data)
    colour: str = PALETTE[0]
    dashed: bool = False


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _open(title: str, description: str, height: int = HEIGHT) -> list[str]:
    slug = "".join(ch for ch in title.lower() if ch.isalnum())[:24] or "chart"
    return [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{slug}-t {slug}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{slug}-t">{escape(title)}</title>',
        f'<desc id="{slug}-d">{escape(description)}</desc>',
        f'<text x="{LEFT}" y="18" {FONT} font-size="13" font-weight="600">{escape(title)}</text>',
    ]


def _legend(series: list[Series]) -> str:
    parts, x = [], WIDTH - RIGHT
    for item in reversed(series):
        x -= 8 + 6 * len(item.name) + 18
        parts.append(
            f'<rect x="{x}" y="9" width="10" height="10" fill="{item.colour}"/>'
            f'<text x="{x + 14}" y="18" {FONT}>{escape(item.name)}</text>'
        )
    return "".join(parts)


def _y_axis(top_value: float, unit: str, plot_height: int) -> str:
    parts = []
    for i in range(5):
        value = top_value * i / 4
        y = TOP + plot_height - plot_height * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    return "".join(parts)


def _x_labels(categories: list[str], step_width: float) -> str:
    every = max(1, math.ceil(len(categories) / 10))  # at most ten labels fit
    parts = []
    for i, label in enumerate(categories):
        if i % every == 0:
            x = LEFT + step_width * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" {FONT}>'
                f"{escape(label)}</text>"
            )
    return "".join(parts)


def _empty(parts: list[str]) -> SafeString:
    parts.append(
        f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" {FONT} font-size="13">'
        "No incidents in this range</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text and numbers


def columns(title: str, categories: list[str], series: list[Series], unit: str = "") -> SafeString:
    """Grouped columns, one group per category (e.g. opened and resolved per day)."""
    parts = _open(title, f"{', '.join(s.name for s in series)} per period")
    values = [v for s in series for v in s.values if v is not None]
    if not categories or not any(values):
        return _empty(parts)
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT
    top = nice_max(max(values))
    step = plot_w / len(categories)
    bar = max(1.0, step * 0.8 / len(series))
    parts += [_legend(series), _y_axis(top, unit, plot_h), _x_labels(categories, step)]
    for s_index, item in enumerate(series):
        for i, value in enumerate(item.values):
            if not value:
                continue
            h = plot_h * value / top
            x = LEFT + step * i + step * 0.1 + bar * s_index
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}"'
                f' fill="{item.colour}"><title>{escape(categories[i])}: {escape(item.name)} '
                f"{_fmt(value)}{escape(unit)}</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text and numbers


def lines(title: str, categories: list[str], series: list[Series], unit: str = "") -> SafeString:
    """One line per series over the categories; gaps where a period has no value."""
    parts = _open(title, f"{', '.join(s.name for s in series)} over time")
    values = [v for s in series for v in s.values if v is not None]
    if not categories or not values:
        return _empty(parts)
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT
    top = nice_max(max(values))
    step = plot_w / len(categories)
    parts += [_legend(series), _y_axis(top, unit, plot_h), _x_labels(categories, step)]
    for item in series:
        points = [
            (LEFT + step * (i + 0.5), TOP + plot_h - plot_h * value / top, categories[i], value)
            for i, value in enumerate(item.values)
            if value is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        width = 2 if item.dashed else 3
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{item.colour}"'
            f' stroke-width="{width}"{dash}/>'
        )
        for x, y, label, value in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{item.colour}"><title>'
                f"{escape(label)}: {escape(item.name)} {_fmt(value)}{escape(unit)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text and numbers


def bars(
    title: str, labels: list[str], series: list[Series], unit: str = "", maximum: float = 0
) -> SafeString:
    """Horizontal bars, one row per label (a ranking, or a percentage per group)."""
    row_h = 14 * len(series) + 10
    height = TOP + max(1, len(labels)) * row_h + 24
    parts = _open(title, f"{', '.join(s.name for s in series)} per group", height)
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not values:
        parts[0] = parts[0].replace(f"0 0 {WIDTH} {height}", f"0 0 {WIDTH} {HEIGHT}")
        return _empty(parts)
    left, plot_w = 150, WIDTH - 150 - RIGHT - 40
    top = maximum or nice_max(max(values))
    parts.append(_legend(series) if len(series) > 1 else "")
    for i, label in enumerate(labels):
        y = TOP + i * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + row_h / 2 + 2:.1f}" text-anchor="end" {FONT}>'
            f"{escape(label[:24])}</text>"
        )
        for s_index, item in enumerate(series):
            value = item.values[i]
            bar_y = y + 4 + s_index * 14
            if value is None:
                parts.append(f'<text x="{left + 4}" y="{bar_y + 10}" {FONT}>no data</text>')
                continue
            w = plot_w * value / top
            parts.append(
                f'<rect x="{left}" y="{bar_y}" width="{w:.1f}" height="12" fill="{item.colour}">'
                f"<title>{escape(label)}: {escape(item.name)} {_fmt(value)}{escape(unit)}</title>"
                f'</rect><text x="{left + w + 4:.1f}" y="{bar_y + 10}" {FONT}>'
                f"{_fmt(value)}{escape(unit)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped text and numbers
