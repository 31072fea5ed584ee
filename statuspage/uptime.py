"""Minutes of outage and degradation per service and day, from incident intervals.

Pure functions, no database: `daily_minutes` takes (service, start, end, outage) intervals
and the days to cover. Overlapping incidents on one service count once per minute (the
intervals are merged), and a minute of outage is never also a minute of degradation.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Span:
    """How long one incident affected its service, and how badly."""

    service_id: int
    start: datetime
    end: datetime
    outage: bool


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of the intervals, as sorted disjoint intervals."""
    merged: list[list[datetime]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    """Parts of merged `intervals` outside merged `holes`."""
    result = []
    for start, end in intervals:
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end <= cursor or hole_start >= end:
                continue
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
        if cursor < end:
            result.append((cursor, end))
    return result


def seconds_within(intervals: list[Interval], start: datetime, end: datetime) -> float:
    return sum(max(0.0, (min(e, end) - max(s, start)).total_seconds()) for s, e in intervals)


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def daily_minutes(
    spans: Iterable[Span], days: list[date], zone: ZoneInfo
) -> dict[tuple[int, date], tuple[int, int]]:
    """{(service_id, day): (outage minutes, degraded minutes)} for every service with a
    span and every day in `days`; days without any are (0, 0)."""
    outages, degradations = defaultdict(list), defaultdict(list)
    for span in spans:
        target = outages if span.outage else degradations
        target[span.service_id].append((span.start, span.end))
    result = {}
    for service_id in set(outages) | set(degradations):
        down = merge(outages[service_id])
        slow = subtract(merge(degradations[service_id]), down)
        for day in days:
            start, end = day_bounds(day, zone)
            result[service_id, day] = (
                round(seconds_within(down, start, end) / 60),
                round(seconds_within(slow, start, end) / 60),
            )
    return result
