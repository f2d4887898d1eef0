"""The tracker's views as ``Block`` s (HTML from ``render/templates/progress/`` plus a text twin).

The tables the tracker shows (entries, sessions per week, PSFS activities), the advice box,
an import report and a CSV preview, and the trend chart as PNG. Plain functions of a list
of entries, so a lesson can show them for any log; the tracker widget only places them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..lesson import Block
from ..model import AdviceRules, Course
from ..progress import Advice, ImportReport, LogEntry, advice, psfs_series, weekly_sessions
from ..render import render
from .common import ERROR_COLOUR, CourseKey, get_course

RECENT_WEEKS = 8  # weeks shown in the sessions table
PSFS_SCORES_SHOWN = 8  # scores per activity shown in the PSFS table


def day_text(day: date) -> str:
    """A day as "4 March 2024": no leading zero, no ambiguity."""
    return f"{day.day} {day:%B %Y}"


def short_day(day: date) -> str:
    """A day as "Mon 4 Mar 2024", for lists and tables."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def plural(n: int, one: str, many: str) -> str:
    """``n`` with its noun: "1 entry", "2 entries"."""
    return f"{n} {one if n == 1 else many}"


def hint(text: str) -> str:
    """A short help line under a heading, as HTML."""
    return render("progress/hint.html", text=text)


def heading(text: str, margin: str = "8px 0 4px") -> str:
    """A heading of the tracker, as HTML."""
    return render("progress/heading.html", text=text, margin=margin)


def paragraph(text: str, role: str | None = None, style: str | None = None) -> str:
    """One paragraph, as HTML; ``role`` "status" or "alert" has screen readers announce it."""
    return render("progress/p.html", text=text, role=role, style=style)


def _text_table(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    """A table as plain text, columns aligned (for text-only viewers and nbval)."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    lines = [caption]
    for row in (header, *rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def log_table(entries: Iterable[LogEntry], limit: int | None = None) -> Block:
    """Entries as a table, oldest first: day, pain, exercise, effort, activities, note.

    ``limit`` shows only the first that many.
    """
    entries = list(entries)
    shown = entries[:limit] if limit is not None else entries
    header = ["Day", "Pain", "Exercise", "Effort", "Activities rated", "Note"]
    rows = [
        [
            short_day(e.day),
            str(e.pain),
            f"{e.minutes} min" if e.exercised else "none",
            "-" if e.effort is None else str(e.effort),
            ", ".join(f"{name} {score}" for name, score in e.psfs) or "-",
            e.note or "-",
        ]
        for e in shown
    ]
    caption = f"{plural(len(entries), 'entry', 'entries')}"
    if len(shown) < len(entries):
        caption += f", the first {len(shown)} shown"
    html = render("progress/table.html", header=header, rows=rows, caption=caption)
    return Block(html, _text_table(header, rows, caption))


def sessions_table(entries: Iterable[LogEntry], weeks: int | None = RECENT_WEEKS) -> Block:
    """Sessions and minutes of exercise per week (Monday to Sunday), newest week first.

    ``weeks`` limits the table to the most recent weeks; None shows them all.
    """
    data = weekly_sessions(entries)
    if weeks is not None:
        data = data[-weeks:]
    if not data:
        text = "Sessions per week appear here once you log a day."
        return Block(paragraph(text), text)
    header = ["Week starting", "Sessions", "Minutes"]
    rows = [(short_day(monday), sessions, str(minutes)) for monday, sessions, minutes in data]
    rows.reverse()
    caption = f"Sessions per week, newest first ({plural(len(data), 'week', 'weeks')})"
    html = render("progress/sessions.html", header=header, weeks=rows, caption=caption)
    text_rows = [[day, f"{n} {'#' * n}", minutes] for day, n, minutes in rows]
    return Block(html, _text_table(header, text_rows, caption))


def psfs_table(entries: Iterable[LogEntry]) -> Block:
    """Each Patient-Specific Functional Scale activity's scores over time."""
    series = psfs_series(entries)
    if not series:
        text = (
            "No activities rated yet. Tick 'Rate my activities today' every week or two to see "
            "them here."
        )
        return Block(paragraph(text), text)
    rows, text_rows = [], []
    for name, scores in series.items():
        (first_day, first), (last_day, last) = scores[0], scores[-1]
        shown = " → ".join(str(s) for _, s in scores[-PSFS_SCORES_SHOWN:])
        if len(scores) > PSFS_SCORES_SHOWN:
            shown = "… → " + shown
        row = dict(
            name=name,
            first=first,
            first_day=short_day(first_day),
            last=last,
            last_day=short_day(last_day),
            change=f"{last - first:+d}",
            shown=shown,
        )
        rows.append(row)
        text_rows.append(
            [
                name,
                f"{first} ({row['first_day']})",
                f"{last} ({row['last_day']})",
                row["change"],
                shown,
            ]
        )
    header = ["Activity", "First score", "Latest score", "Change", "Scores, oldest first"]
    caption = "Your activities (0 = cannot do it, 10 = as well as before the pain)"
    html = render("progress/psfs.html", header=header, rows=rows, caption=caption)
    return Block(html, _text_table(header, text_rows, caption))


def _rules(course: Course | None) -> AdviceRules:
    rules = get_course(course).advice
    if rules is None:  # a Course built by hand, without advice.yaml: the bundled words
        rules = get_course(None).advice
    assert rules is not None
    return rules


def advice_title(kind: str, course: Course | None = None) -> str:
    """The words shown for a kind of advice, e.g. 'Step back' (advice.yaml's titles)."""
    return _rules(course).titles.get(kind, kind.replace("_", " ").capitalize())


def advice_box(result: Advice, course: Course | None = None) -> Block:
    """The advice: its kind in words as a heading, then the message."""
    title = advice_title(result.kind, course)
    html = render(
        "progress/advice_box.html",
        kind=result.kind,
        title=title,
        message=result.message,
        reminder=_rules(course).not_a_diagnosis,
    )
    return Block(html, f"Advice: {title}. {result.message}")


def advice_table(
    cases: Mapping[str, Iterable[LogEntry]],
    progression: Mapping[str, int],
    course: Course | None = None,
) -> Block:
    """What ``progress.advice`` says for each of several logs (label -> entries), as a table."""
    rules = _rules(course)
    rows = []
    for label, entries in cases.items():
        result = advice(entries, progression, rules)
        rows.append((label, result.kind, advice_title(result.kind, course), result.message))
    caption = "What the progress rules say"
    html = render("progress/advice_table.html", header=["Log", "Advice", "Why"], rows=rows,
                  caption=caption)  # fmt: skip
    # Long messages: the plain text puts each on its own line instead of in a column.
    lines = [caption] + [f"- {label}: {title}. {message}" for label, _, title, message in rows]
    return Block(html, "\n".join(lines))


def import_report(report: ImportReport, name: str = "the file") -> Block:
    """What an import did: entries added, duplicates skipped, and each bad line's reason."""
    text = f"{name}: imported {plural(report.imported, 'entry', 'entries')}"
    if report.duplicates:
        text += f"; {report.duplicates} already in the log were skipped"
    text += "."
    head = ""
    if report.errors:
        head = (
            f"{plural(len(report.errors), 'line was', 'lines were')} not imported; fix "
            f"{'it' if len(report.errors) == 1 else 'them'} in the file and upload it again:"
        )
    html = render(
        "progress/import_report.html",
        text=text,
        head=head,
        errors=report.errors,
        error_colour=ERROR_COLOUR,
    )
    if report.errors:
        text += "\n" + head + "".join(f"\n  line {ln}: {why}" for ln, why in report.errors)
    return Block(html, text)


def pre(text: str, code: bool = True) -> Block:
    """Text shown as it is, preformatted (monospace and scrolling sideways when ``code``)."""
    return Block(render("progress/pre.html", text=text, code=code), text)


def csv_preview(path: str | os.PathLike[str], lines: int = 5) -> Block:
    """The first lines of a CSV file, as the file has them."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        head = [line.rstrip("\r\n") for _, line in zip(range(lines), f, strict=False)]
    return pre("\n".join(head))


def draw_chart(entries: Iterable[LogEntry], course: Any = None) -> tuple[bytes, str]:
    """The trend chart of ``entries`` as (SVG bytes, alt text), drawn now (milliseconds)."""
    from ..figures.charts import pain_trend_svg

    chart = pain_trend_svg(list(entries), get_course(course))
    return chart.svg.encode(), chart.alt_text


@functools.lru_cache(maxsize=8)
def _cached_chart(key: CourseKey) -> tuple[bytes, str]:
    return draw_chart(key.key[1], key.course)


def chart_png(entries: Iterable[LogEntry], course: Any = None) -> tuple[bytes, str]:
    """The trend chart as (PNG bytes, alt text); the same entries are drawn only once
    (a re-run cell, or an edit undone, reuses the picture)."""
    course = get_course(course)
    return _cached_chart(CourseKey(course, tuple(entries)))


def clear_chart_cache() -> None:
    """Forget the charts drawn so far (benchmarks time a first drawing with it)."""
    _cached_chart.cache_clear()
