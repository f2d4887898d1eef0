"""The plan's sessions as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

Sessions are spread evenly over each week from a start date, at a local time; UIDs and the
DTSTAMP come from the start date and the learner's name, so the same input gives the same
file and importing it again updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import math
import reprlib
import unicodedata

from ..errors import BackcourseError, ProfileError
from ..model import EARLIEST_DAY, LATEST_DAY, Routine, day_range_text
from .text import clean_name, slug

__all__ = ["SESSION_TIME", "session_days", "start_date", "to_ics"]

SESSION_TIME = dt.time(18, 0)  # calendar sessions start at this local time by default


def _printable(text: str) -> str:
    """Text without control characters (line breaks and tabs kept): icalendar escapes the
    rest (backslash, semicolon, comma, line breaks) and folds long lines.

    One difference from the writer this replaced: icalendar takes a typed backslash-N for
    RFC 5545's escaped line break, so a name such as ``C:\\New`` shows a line break there.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or unicodedata.category(c) != "Cc")


def session_days(sessions_per_week: int) -> tuple[int, ...]:
    """Days (0-6 from the start day) spread evenly over a week, e.g. 3 -> (0, 2, 5)."""
    n = sessions_per_week
    return tuple(math.floor(i * 7 / n + 0.5) for i in range(n))


def start_date(start: object) -> dt.date:
    """The first day of the plan: a date, a datetime or an ISO text (today when None)."""
    if start is None:
        return dt.date.today()
    if isinstance(start, dt.datetime):
        day = start.date()
    elif isinstance(start, dt.date):
        day = start
    else:
        try:
            day = dt.date.fromisoformat(start)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ProfileError(
                "start", f"expected a date like 2025-01-06, got {reprlib.repr(start)}"
            ) from None
    # A plan runs weeks past its start; the whole of it must stay within plausible days.
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ProfileError("start", f"must be from {day_range_text()}, got {day.isoformat()}")
    return day


def to_ics(
    routine: Routine,
    start: object = None,
    weeks: int | None = None,
    *,
    name: object = "",
    at: dt.time = SESSION_TIME,
    alarm_min: int = 15,
) -> str:
    """The sessions of the next ``weeks`` weeks as an iCalendar file (RFC 5545).

    Sessions are spread evenly over each week from ``start`` (today when omitted), at the
    local time ``at`` (floating: the calendar's own time zone); each lasts that week's session
    minutes and lists its doses. With ``alarm_min``, a reminder that many minutes before.
    """
    import icalendar  # loaded on first use: `import backcourse` stays light

    first = start_date(start)
    if not routine.items:
        raise BackcourseError(
            "This routine has no exercises, so there are no sessions to put in a calendar. "
            "Change the answers until the builder shows a routine, then export again."
        )
    plan = routine.plan(weeks)
    who = clean_name(name)
    tag = slug(who, "routine")
    stamp = dt.datetime.combine(first, dt.time(0, 0), tzinfo=dt.timezone.utc)
    days = session_days(plan.sessions_per_week)
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", "-//backcourse//routine builder//EN")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _printable("Back exercises" + (f" - {who}" if who else "")))
    g = routine.course.guidelines
    for w in plan.weeks:
        for n, offset in enumerate(days, 1):
            day = first + dt.timedelta(days=7 * (w.week - 1) + offset)
            minutes = max(1, math.ceil(w.minutes))
            doses = [
                f"{g.label('phases', p.phase).capitalize()}: {p.exercise.name} - {p.dose_text()}"
                for p in w.items
            ]
            desc = [f"Week {w.week}, session {n} of {len(days)}: about {minutes} minutes."]
            desc += doses
            desc += ["What changes this week: " + " ".join(w.changes)]
            desc += [plan.step_back]
            summary = f"Back exercises, week {w.week} ({minutes} min)"
            if who:
                summary += f" - {who}"
            event = icalendar.Event()
            event.add("uid", f"{tag}-{first:%Y%m%d}-w{w.week:02d}-s{n}@backcourse")
            event.add("dtstamp", stamp)
            event.add("dtstart", dt.datetime.combine(day, at))  # floating local time
            event.add("duration", dt.timedelta(minutes=minutes))
            event.add("summary", _printable(summary))
            event.add("description", _printable("\n".join(desc)))
            event.add("categories", ["Exercise"])
            event.add("transp", "OPAQUE")
            if alarm_min:
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", _printable(summary))
                alarm.add("trigger", dt.timedelta(minutes=-int(alarm_min)))
                event.add_component(alarm)
            cal.add_component(event)
    # In the order written (the library sorts properties by name unless told not to).
    return cal.to_ical(sorted=False).decode("utf-8")
