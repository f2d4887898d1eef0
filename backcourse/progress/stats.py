"""Numbers from a list of entries: sessions per week, PSFS series, pain over 7-day windows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .entry import LogEntry


def weekly_sessions(entries: Iterable[LogEntry]) -> list[tuple[date, int, int]]:
    """Exercise per ISO week (Monday to Sunday), empty weeks included.

    Returns
    -------
    list of (date, int, int)
        (Monday of the week, sessions, minutes of exercise), oldest first.
    """
    weeks: dict[date, tuple[int, int]] = {}
    for e in entries:
        monday = e.day - timedelta(days=e.day.weekday())
        sessions, minutes = weeks.get(monday, (0, 0))
        if e.exercised:
            sessions, minutes = sessions + 1, minutes + e.minutes
        weeks[monday] = (sessions, minutes)
    if not weeks:
        return []
    out = []
    monday, last = min(weeks), max(weeks)
    while monday <= last:
        out.append((monday, *weeks.get(monday, (0, 0))))
        monday += timedelta(days=7)
    return out


def psfs_series(entries: Iterable[LogEntry]) -> dict[str, list[tuple[date, int]]]:
    """Each PSFS activity's scores over time, by day.

    Activities are matched ignoring case; the first spelling seen names the series.
    """
    names: dict[str, str] = {}
    series: dict[str, list[tuple[date, int]]] = {}
    for e in sorted(entries, key=lambda e: (e.day, e.id or 0)):
        for activity, score in e.psfs:
            name = names.setdefault(activity.casefold(), activity)
            series.setdefault(name, []).append((e.day, score))
    return series


@dataclass(frozen=True)
class Summary:
    """The numbers the progress rules look at. Windows end on the last day logged.

    Attributes
    ----------
    entries, days_logged : int
    first_day, last_day : date or None
    recent_pain : float or None
        Mean daily pain over the last 7 days (days with several entries count once).
    previous_pain : float or None
        The same over the 7 days before those.
    baseline_pain : float or None
        The same over the first 7 days of the log.
    sessions_per_week, minutes_per_week : float
        Over the last 14 days (or the whole log when it is shorter).
    """

    entries: int
    days_logged: int
    first_day: date | None
    last_day: date | None
    recent_pain: float | None
    previous_pain: float | None
    baseline_pain: float | None
    sessions_per_week: float
    minutes_per_week: float

    @property
    def span_days(self) -> int:
        """Days from the first entry to the last, both included."""
        if self.first_day is None or self.last_day is None:
            return 0
        return (self.last_day - self.first_day).days + 1


def daily_pain(entries: Iterable[LogEntry]) -> dict[date, float]:
    days: dict[date, list[int]] = {}
    for e in entries:
        days.setdefault(e.day, []).append(e.pain)
    return {d: sum(p) / len(p) for d, p in days.items()}


def mean_pain(daily: Mapping[date, float], first: date, last: date) -> float | None:
    values = [p for d, p in daily.items() if first <= d <= last]
    return sum(values) / len(values) if values else None


def summarise(entries: Iterable[LogEntry]) -> Summary:
    """Recent, previous and starting pain, and sessions per week, of a list of entries."""
    entries = list(entries)
    if not entries:
        return Summary(0, 0, None, None, None, None, None, 0.0, 0.0)
    daily = daily_pain(entries)
    first, last = min(daily), max(daily)
    week = timedelta(days=6)
    window_start = max(first, last - timedelta(days=13))
    weeks = ((last - window_start).days + 1) / 7
    recent = [e for e in entries if e.exercised and e.day >= window_start]
    return Summary(
        entries=len(entries),
        days_logged=len(daily),
        first_day=first,
        last_day=last,
        recent_pain=mean_pain(daily, last - week, last),
        previous_pain=mean_pain(daily, last - timedelta(days=13), last - timedelta(days=7)),
        baseline_pain=mean_pain(daily, first, first + week),
        sessions_per_week=len(recent) / weeks,
        minutes_per_week=sum(e.minutes for e in recent) / weeks,
    )
