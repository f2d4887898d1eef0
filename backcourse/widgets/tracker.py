"""The progress tracker: log a day, see the trend, get the course's advice, carry the data out.

``build_tracker(course=None, log=None, path=None, *, export_dir=None)`` returns a
:class:`Tracker` (a ``common.App``, an ``ipywidgets.VBox``; ``tracker.progress_log`` is the
open log). It reads and writes a :class:`backcourse.progress.ProgressLog` (the one
given, else the file at ``path``, else ``default_log_path()``), and holds no rules of its own:
validation comes from ``LogEntry``, the advice from ``progress.advice`` with the course's
``guidelines.progression`` numbers, the chart from ``figures.charts.pain_trend_chart``.

Every view is updated kernel-side (HTML and Image ``.value``, ``Select.options``), so the
widget behaves the same in JupyterLab, in Voila and under pytest. The chart is drawn to PNG
once per change of the log (never on a click that changes nothing, and a re-run cell reuses
it), after the list, advice and tables, so those reach the page first.

Parts and CSS classes
---------------------
``tracker.parts[name]`` is the child widget; it carries the CSS class ``bc-tracker-<name>``
and the whole widget carries ``bc-tracker``.

Where the data lives
    ``where`` (HTML: the log's path; it never leaves the machine), ``error`` (HTML, role=alert:
    a log that cannot be used, e.g. a damaged or foreign file, which is never overwritten),
    ``status`` (HTML, role=status: what the last action did).
Today's entry (``form``, a VBox)
    ``form-title`` (HTML), ``day`` (DatePicker, today by default), ``pain`` (ToggleButtons
    0-10, none chosen at first), ``exercised`` (ToggleButtons Yes/No, none chosen at first),
    ``minutes`` (IntText), ``effort`` (Dropdown: not rated, 0-10), ``psfs-on`` (Checkbox:
    rate my activities today), ``psfs`` (VBox of three rows, shown when ``psfs-on`` is
    ticked) with ``psfs1-activity`` .. ``psfs3-activity`` (Text) and ``psfs1-score`` ..
    ``psfs3-score`` (Dropdown: none, 0-10), ``note`` (Textarea), ``save`` (Button: "Save",
    or "Save changes" while an entry is being edited), ``new-entry`` (Button: leave editing).
    Beside each field an ``error-<field>`` HTML (``error-day``, ``error-pain``,
    ``error-exercised``, ``error-minutes``, ``error-effort``, ``error-psfs``,
    ``error-note``) is empty, or holds the problem in red with role=alert.
Your entries
    ``entries`` (Select, newest first; choosing one loads it into the form for editing),
    ``delete`` (Button), ``confirm`` (HBox, shown after Delete) with ``confirm-text`` (HTML),
    ``confirm-delete`` and ``cancel-delete`` (Buttons), ``problems`` (HTML: stored rows that
    could not be read).
Views
    ``advice`` (HTML: the kind as a heading, e.g. "Step back", then the message; its root
    element has the class ``bc-advice-<kind>``; kinds: progress, hold, step_back,
    see_doctor, not_enough_data), ``chart`` (Image: the trend chart as PNG, hidden while the
    log is empty; also class ``bc-figure``), ``chart-caption`` (HTML: the chart's alt text,
    shown under it), ``sessions`` (HTML table: sessions and minutes per week, last 8 weeks),
    ``psfs-table`` (HTML table: each activity's scores over time).
Your data
    ``download`` (Button: writes ``progress-log-YYYY-MM-DD.csv`` into ``export_dir``, by
    default ``progress_exports/`` in the current folder, and fills ``download-link``, an HTML
    ``<a download>`` with a data: URI, so no network is needed), ``upload``
    (FileUpload, .csv), ``upload-report`` (HTML: entries imported, and each bad line with
    its reason).

Views for lessons
-----------------
The tables the widget shows are also plain functions returning a ``backcourse.lesson.Block``
(HTML with a plain-text twin), so a notebook can show them for any list of entries:
``log_table``, ``sessions_table``, ``psfs_table``, ``advice_box``, ``advice_table`` (the
advice for several logs side by side), ``import_report`` and ``csv_preview``.

>>> from backcourse.widgets import build_tracker
>>> tracker = build_tracker()                    # doctest: +SKIP
>>> tracker.parts["pain"].value = 4              # doctest: +SKIP
>>> tracker.parts["exercised"].value = False     # doctest: +SKIP
>>> tracker.parts["save"].click()                # doctest: +SKIP
"""

from __future__ import annotations

import base64
import functools
import html
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..errors import ProgressLogError
from ..lesson import Block
from ..progress import (
    PSFS_MAX_ACTIVITIES,
    Advice,
    EntryError,
    ImportReport,
    LogEntry,
    ProgressLog,
    advice,
    psfs_series,
    weekly_sessions,
)
from .common import (
    ERROR_COLOUR,
    App,
    CourseKey,
    error_html,
    figure_png,
    get_course,
    picture,
    report_error,
    show_picture,
)

__all__ = [
    "Tracker",
    "advice_box",
    "advice_table",
    "build_tracker",
    "csv_preview",
    "import_report",
    "log_table",
    "psfs_table",
    "sessions_table",
]

# Plain words and colours for each kind of advice. The text says the kind; the colour only
# repeats it (Okabe-Ito hues as a border; the text itself stays dark for contrast).
ADVICE_TITLES = {
    "progress": "Ready to progress",
    "hold": "Hold steady",
    "step_back": "Step back",
    "see_doctor": "See a doctor or physiotherapist",
    "not_enough_data": "Not enough data yet",
}
_ADVICE_COLOURS = {
    "progress": "#009E73",
    "hold": "#0072B2",
    "step_back": "#E69F00",
    "see_doctor": "#D55E00",
    "not_enough_data": "#8A8A8A",
}
FIELD_LABELS = {
    "day": "Date",
    "pain": "Pain",
    "exercised": "Exercised",
    "minutes": "Minutes",
    "effort": "Effort",
    "psfs": "Activities",
    "note": "Note",
}
RECENT_WEEKS = 8  # weeks shown in the sessions table
_NOT_A_DIAGNOSIS = (
    "These suggestions follow the course's progress rules; they are not a diagnosis. If your "
    "pain gets clearly worse, or any warning sign appears, stop and get advice."
)
PSFS_SCORES_SHOWN = 8  # scores per activity shown in the PSFS table
EXPORT_FOLDER = "progress_exports"
_SCALE = [(str(i), i) for i in range(11)]  # the 0-10 scales' answers (NPRS, PSFS, effort)
# A dropdown cannot show an option whose value is None, so "not rated" is this sentinel.
_UNRATED = ""


def _inline() -> widgets.Layout:
    """Keeps a ToggleButtons' label on the same line as its buttons (JupyterLab stacks them)."""
    return widgets.Layout(width="auto", display="flex", align_items="center")


def _day_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _hint(text: str) -> str:
    """A short help line under a heading: smaller, with normal line spacing."""
    return f'<p style="margin:0;font-size:0.9em;line-height:1.4">{html.escape(text)}</p>'


def _unsentinel(value: Any) -> Any:
    return None if value == _UNRATED else value


def _entry_label(e: LogEntry) -> str:
    parts = [f"{_short_day(e.day)} · pain {e.pain}"]
    parts.append(f"exercised {e.minutes} min" if e.exercised else "no exercise")
    if e.psfs:
        parts.append("activities rated")
    if e.note:
        note = e.note if len(e.note) <= 30 else e.note[:29] + "…"
        parts.append(f"“{note}”")
    return " · ".join(parts)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    """An HTML table; cells are already escaped. Left-aligned (JupyterLab right-aligns
    table cells by default); only the last column wraps."""
    cell = "text-align:left;padding:1px 12px 1px 0;vertical-align:top"
    last = len(header) - 1

    def td(i: int, c: str) -> str:
        return f'<td style="{cell}{"" if i == last else ";white-space:nowrap"}">{c}</td>'

    head = "".join(f'<th scope="col" style="{cell}">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(td(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (
        '<table style="border-collapse:collapse;line-height:1.4;margin:0">'
        '<caption style="text-align:left;font-weight:600;padding-bottom:2px;'
        f'white-space:nowrap">{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _text_table(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> str:
    """The same table as plain text, columns aligned (for text-only viewers and nbval)."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    lines = [caption]
    for row in (header, *rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _both(header: Sequence[str], html_rows: list[list[str]], text_rows: list[list[str]],
          caption: str) -> Block:  # fmt: skip
    return Block(
        _table(header, html_rows, html.escape(caption)), _text_table(header, text_rows, caption)
    )


def log_table(entries: Iterable[LogEntry], limit: int | None = None) -> Block:
    """Entries as a table, oldest first: day, pain, exercise, effort, activities, note.

    ``limit`` shows only the first that many.
    """
    entries = list(entries)
    shown = entries[:limit] if limit is not None else entries
    header = ["Day", "Pain", "Exercise", "Effort", "Activities rated", "Note"]
    rows = [
        [
            _short_day(e.day),
            str(e.pain),
            f"{e.minutes} min" if e.exercised else "none",
            "-" if e.effort is None else str(e.effort),
            ", ".join(f"{name} {score}" for name, score in e.psfs) or "-",
            e.note or "-",
        ]
        for e in shown
    ]
    caption = f"{_plural(len(entries), 'entry', 'entries')}"
    if len(shown) < len(entries):
        caption += f", the first {len(shown)} shown"
    return _both(header, [[html.escape(c) for c in r] for r in rows], rows, caption)


def sessions_table(entries: Iterable[LogEntry], weeks: int | None = RECENT_WEEKS) -> Block:
    """Sessions and minutes of exercise per week (Monday to Sunday), newest week first.

    ``weeks`` limits the table to the most recent weeks; None shows them all.
    """
    data = weekly_sessions(entries)
    if weeks is not None:
        data = data[-weeks:]
    if not data:
        text = "Sessions per week appear here once you log a day."
        return Block(f"<p>{text}</p>", text)
    html_rows, text_rows = [], []
    for monday, sessions, minutes in reversed(data):
        bar = (
            '<span aria-hidden="true" style="display:inline-block;height:0.8em;'
            f'width:{sessions * 14}px;background:#0072B2;margin-right:6px"></span>'
            if sessions
            else ""
        )
        day = _short_day(monday)
        html_rows.append([html.escape(day), f"{bar}{sessions}", str(minutes)])
        text_rows.append([day, f"{sessions} {'#' * sessions}", str(minutes)])
    caption = f"Sessions per week, newest first ({_plural(len(data), 'week', 'weeks')})"
    return _both(["Week starting", "Sessions", "Minutes"], html_rows, text_rows, caption)


def psfs_table(entries: Iterable[LogEntry]) -> Block:
    """Each Patient-Specific Functional Scale activity's scores over time."""
    series = psfs_series(entries)
    if not series:
        text = (
            "No activities rated yet. Tick 'Rate my activities today' every week or two to see "
            "them here."
        )
        return Block(f"<p>{html.escape(text)}</p>", text)
    html_rows, text_rows = [], []
    for name, scores in series.items():
        (first_day, first), (last_day, last) = scores[0], scores[-1]
        shown = " → ".join(str(s) for _, s in scores[-PSFS_SCORES_SHOWN:])
        if len(scores) > PSFS_SCORES_SHOWN:
            shown = "… → " + shown
        row = [name, f"{first} ({_short_day(first_day)})", f"{last} ({_short_day(last_day)})"]
        row += [f"{last - first:+d}", shown]
        text_rows.append(row)
        html_rows.append(
            [
                html.escape(name),
                f"{first} <small>({html.escape(_short_day(first_day))})</small>",
                f"{last} <small>({html.escape(_short_day(last_day))})</small>",
                row[3],
                html.escape(shown),
            ]
        )
    header = ["Activity", "First score", "Latest score", "Change", "Scores, oldest first"]
    caption = "Your activities (0 = cannot do it, 10 = as well as before the pain)"
    return _both(header, html_rows, text_rows, caption)


def advice_title(kind: str) -> str:
    """The words shown for a kind of advice, e.g. 'Step back'."""
    return ADVICE_TITLES.get(kind, kind.replace("_", " ").capitalize())


def advice_box(result: Advice) -> Block:
    """The advice: its kind in words as a heading, then the message."""
    title = advice_title(result.kind)
    colour = _ADVICE_COLOURS.get(result.kind, "#8A8A8A")
    html_text = (
        f'<div class="bc-advice bc-advice-{html.escape(result.kind)}" role="status" '
        f'style="border-left:8px solid {colour};padding:4px 12px;background:#F7F7F7;'
        'line-height:1.4">'
        f'<p style="margin:4px 0;font-size:1.15em;font-weight:700">Advice: {html.escape(title)}</p>'
        f'<p style="margin:4px 0">{html.escape(result.message)}</p>'
        f'<p style="margin:4px 0;font-size:0.9em">{html.escape(_NOT_A_DIAGNOSIS)}</p></div>'
    )
    return Block(html_text, f"Advice: {title}. {result.message}")


def advice_table(cases: Mapping[str, Iterable[LogEntry]], progression: Mapping[str, int]) -> Block:
    """What ``progress.advice`` says for each of several logs (label -> entries), as a table."""
    html_rows, text_rows = [], []
    for label, entries in cases.items():
        result = advice(entries, progression)
        title = advice_title(result.kind)
        colour = _ADVICE_COLOURS.get(result.kind, "#8A8A8A")
        html_rows.append(
            [
                html.escape(label),
                f'<span class="bc-advice-{html.escape(result.kind)}" style="border-left:6px '
                f'solid {colour};padding-left:6px;font-weight:700;white-space:nowrap">'
                f"{html.escape(title)}</span>",
                html.escape(result.message),
            ]
        )
        text_rows.append([label, title, result.message])
    block = _both(["Log", "Advice", "Why"], html_rows, text_rows, "What the progress rules say")
    # Long messages: the plain text puts each on its own line instead of in a column.
    lines = ["What the progress rules say"]
    lines += [f"- {label}: {title}. {message}" for label, title, message in text_rows]
    return Block(block.html, "\n".join(lines))


def import_report(report: ImportReport, name: str = "the file") -> Block:
    """What an import did: entries added, duplicates skipped, and each bad line's reason."""
    text = f"{name}: imported {_plural(report.imported, 'entry', 'entries')}"
    if report.duplicates:
        text += f"; {report.duplicates} already in the log were skipped"
    text += "."
    html_text = f'<p role="status" style="margin:2px 0">{html.escape(text)}</p>'
    if report.errors:
        head = (
            f"{_plural(len(report.errors), 'line was', 'lines were')} not imported; fix "
            f"{'it' if len(report.errors) == 1 else 'them'} in the file and upload it again:"
        )
        items = "".join(
            f"<li>line {line}: {html.escape(reason)}</li>" for line, reason in report.errors
        )
        html_text += (
            f'<div role="alert" style="color:{ERROR_COLOUR}">'
            f"<p style='margin:2px 0'>{html.escape(head)}</p><ul>{items}</ul></div>"
        )
        text += "\n" + head + "".join(f"\n  line {ln}: {why}" for ln, why in report.errors)
    return Block(html_text, text)


def csv_preview(path: str | os.PathLike[str], lines: int = 5) -> Block:
    """The first lines of a CSV file, as the file has them."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        head = [line.rstrip("\r\n") for _, line in zip(range(lines), f, strict=False)]
    text = "\n".join(head)
    style = (
        "line-height:1.35;font-family:var(--jp-code-font-family, monospace);"
        "font-size:var(--jp-code-font-size, 13px);white-space:pre;overflow-x:auto"
    )
    return Block(f'<pre style="{style}">{html.escape(text)}</pre>', text)


def draw_chart(entries: Iterable[LogEntry], course: Any = None) -> tuple[bytes, str]:
    """The trend chart of ``entries`` as (PNG bytes, alt text), drawn now."""
    from ..figures.charts import pain_trend_chart

    return figure_png(pain_trend_chart(list(entries), get_course(course)))


@functools.lru_cache(maxsize=8)
def _cached_chart(key: CourseKey) -> tuple[bytes, str]:
    return draw_chart(key.key[1], key.course)


def chart_png(entries: Iterable[LogEntry], course: Any = None) -> tuple[bytes, str]:
    """The trend chart as (PNG bytes, alt text); the same entries are drawn only once
    (a re-run cell, or an edit undone, reuses the picture)."""
    course = get_course(course)
    return _cached_chart(CourseKey(course, tuple(entries)))


class Tracker(App):
    """The tracker widget; see the module docstring for its parts.

    Attributes
    ----------
    parts : dict of str to Widget
        Every part by name; each carries the CSS class ``bc-tracker-<name>``.
    progress_log : ProgressLog or None
        The open log, or None when it could not be opened (``parts["error"]`` says why).
    editing : int or None
        The id of the entry being edited, or None for a new entry.
    """

    def __init__(
        self,
        course: Any,
        log: ProgressLog | None,
        open_error: str | None = None,
        export_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.course = course
        self.progress_log = log
        self.editing: int | None = None
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd() / EXPORT_FOLDER
        self._shown: tuple[LogEntry, ...] | None = None  # entries the views were drawn from
        self._quiet = False  # True while the code (not the learner) changes the selection
        self._entries: list[LogEntry] = []
        p = self._build()
        super().__init__("tracker", "Progress tracker", self._layout(p))
        self.parts = p
        for name, part in p.items():
            part.add_class(f"bc-tracker-{name}")
        if open_error is not None:
            self._fail(open_error)
            return
        try:
            self.refresh()
        except Exception as exc:  # an unreadable log must not stop the page from showing
            self._fail(f"The progress log could not be read: {exc}")
            return
        if log is not None and log.read_only:
            self._read_only()

    # building

    def _build(self) -> dict[str, widgets.Widget]:
        p: dict[str, widgets.Widget] = {}
        wide = {"description_width": "7em"}
        p["where"] = widgets.HTML()
        p["error"] = widgets.HTML()
        p["status"] = widgets.HTML()
        p["form-title"] = widgets.HTML("<h4 style='margin:4px 0'>Log a day</h4>")
        p["day"] = widgets.DatePicker(value=date.today(), description="Date", style=wide)
        p["pain"] = widgets.ToggleButtons(
            options=_SCALE,
            value=None,
            description="Pain (0-10)",
            tooltips=["no pain"] + [""] * 9 + ["worst pain imaginable"],
            style={**wide, "button_width": "3em"},
            layout=_inline(),
        )
        p["exercised"] = widgets.ToggleButtons(
            options=[("Yes", True), ("No", False)],
            value=None,
            description="Exercised?",
            style={**wide, "button_width": "4em"},
            layout=_inline(),
        )
        p["minutes"] = widgets.IntText(
            value=0,
            description="Minutes",
            disabled=True,
            style=wide,
            layout=widgets.Layout(width="14em"),
        )
        p["effort"] = widgets.Dropdown(
            options=[("not rated", _UNRATED), *_SCALE],
            value=_UNRATED,
            description="Effort (0-10)",
            disabled=True,
            style=wide,
            layout=widgets.Layout(width="14em"),
        )
        p["psfs-on"] = widgets.Checkbox(
            value=False,
            description="Rate my activities today (every week or two)",
            indent=False,
            layout=widgets.Layout(width="auto", margin="4px 0 4px 7.5em"),
        )
        rows = []
        for i in range(1, PSFS_MAX_ACTIVITIES + 1):
            p[f"psfs{i}-activity"] = widgets.Text(
                placeholder="an activity your back makes hard",
                description=f"Activity {i}",
                style=wide,
                layout=widgets.Layout(width="26em"),
            )
            p[f"psfs{i}-score"] = widgets.Dropdown(
                options=[("–", _UNRATED), *_SCALE],
                value=_UNRATED,
                description="score",
                style={"description_width": "3em"},
                layout=widgets.Layout(width="8em"),
            )
            rows.append(widgets.HBox([p[f"psfs{i}-activity"], p[f"psfs{i}-score"]]))
        p["psfs"] = widgets.VBox(
            [
                widgets.HTML(
                    _hint(
                        "0 = cannot do it at all, 10 = as well as before the pain. "
                        "Keep the same activities each time."
                    ),
                    layout=widgets.Layout(margin="0 0 0 7.5em"),
                ),
                *rows,
            ],
            layout=widgets.Layout(display="none"),
        )
        p["note"] = widgets.Textarea(
            placeholder="anything worth remembering (optional)",
            description="Note",
            style=wide,
            layout=widgets.Layout(width="30em", height="4em"),
        )
        p["save"] = widgets.Button(description="Save", button_style="primary", icon="check")
        p["new-entry"] = widgets.Button(
            description="New entry instead", layout=widgets.Layout(display="none")
        )
        for name in FIELD_LABELS:
            p[f"error-{name}"] = widgets.HTML()
            p[f"error-{name}"].add_class("bc-error")
        p["error-psfs"].layout.margin = "0 0 0 7.5em"  # under the activities, not beside
        p["entries"] = widgets.Select(
            options=[], value=None, rows=10, layout=widgets.Layout(width="34em")
        )
        p["delete"] = widgets.Button(description="Delete", icon="trash", disabled=True)
        p["confirm-text"] = widgets.HTML()
        p["confirm-delete"] = widgets.Button(description="Yes, delete it", button_style="danger")
        p["cancel-delete"] = widgets.Button(description="Keep it")
        p["confirm"] = widgets.HBox(
            [p["confirm-text"], p["confirm-delete"], p["cancel-delete"]],
            layout=widgets.Layout(display="none", align_items="center"),
        )
        p["problems"] = widgets.HTML()
        p["advice"] = widgets.HTML()
        p["chart"], p["chart-caption"] = picture("tracker", "chart")
        p["sessions"] = widgets.HTML()
        p["psfs-table"] = widgets.HTML()
        p["download"] = widgets.Button(description="Download CSV", icon="download")
        p["download-link"] = widgets.HTML()
        p["upload"] = widgets.FileUpload(
            accept=".csv,text/csv", multiple=False, description="Upload CSV"
        )
        p["upload-report"] = widgets.HTML()

        # Every handler runs through _guard: whatever goes wrong becomes a message.
        p["save"].on_click(lambda _: self._guard(self.save))
        p["new-entry"].on_click(lambda _: self._guard(self.start_new))
        p["delete"].on_click(lambda _: self._guard(self._ask_delete))
        p["confirm-delete"].on_click(lambda _: self._guard(self._confirm_delete))
        p["cancel-delete"].on_click(lambda _: self._guard(self._hide_confirm))
        p["download"].on_click(lambda _: self._guard(self.download))
        for name, handler in (
            ("entries", self._on_select),
            ("exercised", self._on_exercised),
            ("psfs-on", self._on_psfs_on),
            ("upload", self._on_upload),
        ):
            p[name].observe(functools.partial(self._guard_change, handler), names="value")
        return p

    def _layout(self, p: dict[str, widgets.Widget]) -> list[widgets.Widget]:
        def heading(text: str) -> widgets.HTML:
            return widgets.HTML(f"<h4 style='margin:8px 0 4px'>{text}</h4>")

        def beside(name: str) -> widgets.HBox:
            return widgets.HBox(
                [p[name], p[f"error-{name}"]], layout=widgets.Layout(align_items="center")
            )

        form = widgets.VBox(
            [
                p["form-title"],
                beside("day"),
                beside("pain"),
                beside("exercised"),
                beside("minutes"),
                beside("effort"),
                p["psfs-on"],
                p["psfs"],
                p["error-psfs"],
                beside("note"),
                widgets.HBox([p["save"], p["new-entry"]]),
            ],
            layout=widgets.Layout(margin="0 24px 0 0"),
        )
        p["form"] = form
        entries = widgets.VBox(
            [
                heading("Your entries"),
                widgets.HTML(_hint("Choose an entry to change it in the form.")),
                p["entries"],
                p["delete"],
                p["confirm"],
                p["problems"],
            ]
        )
        flow = widgets.Layout(flex_flow="row wrap", align_items="flex-start")
        data = widgets.VBox(
            [
                heading("Your data"),
                widgets.HTML(
                    _hint(
                        "Download a CSV copy to keep (for example before a Binder session "
                        "ends) or to open in a spreadsheet; upload one to add its entries "
                        "back. Entries already in the log are skipped. A note that starts "
                        "with =, +, - or @ gets an apostrophe in front, so a spreadsheet "
                        "shows it as text; uploading takes the apostrophe off again."
                    )
                ),
                widgets.HBox([p["download"], p["upload"]]),
                p["download-link"],
                p["upload-report"],
            ]
        )
        return [
            p["where"],
            p["error"],
            p["status"],
            widgets.HBox([form, entries], layout=flow),
            heading("What the course suggests"),
            p["advice"],
            heading("Pain over time"),
            p["chart"],
            p["chart-caption"],
            widgets.HBox(
                [
                    widgets.Box([p["sessions"]], layout=widgets.Layout(margin="0 32px 0 0")),
                    p["psfs-table"],
                ],
                layout=flow,
            ),
            data,
        ]

    # the log and the views

    @property
    def entries(self) -> list[LogEntry]:
        """The entries the views show (valid rows of the log, oldest first)."""
        return list(self._entries)

    def refresh(self) -> None:
        """Read the log again and redraw what changed."""
        if self._update_views():
            self._update_chart()

    def _update_views(self) -> bool:
        """Read the log and update every view but the chart; True when the entries changed.

        The chart, the slow part, is drawn afterwards by ``_update_chart``, so the list, the
        advice and the status reach the page first.
        """
        if self.progress_log is None:
            return False
        p = self.parts
        self._entries = self.progress_log.entries()
        key = tuple(self._entries)
        p["where"].value = (
            f"<p>Your log: <code>{html.escape(str(self.progress_log.path))}</code> · "
            f"{len(self._entries)} entr{'y' if len(self._entries) == 1 else 'ies'}. "
            "It stays on this computer; nothing is sent anywhere.</p>"
        )
        problems = self.progress_log.problems
        p["problems"].value = (
            ""
            if not problems
            else error_html(
                f"{len(problems)} stored row(s) could not be read and are left out: "
                + "; ".join(f"entry {i}: {why}" for i, why in problems[:5])
            )
        )
        if key == self._shown:
            return False
        self._shown = key
        self._quiet = True  # a new list of options selects its first: not the learner's choice
        try:
            p["entries"].options = [(_entry_label(e), e.id) for e in reversed(self._entries)]
        finally:
            self._quiet = False
        if self.editing is not None and self.editing not in {e.id for e in self._entries}:
            self.start_new()
        else:
            self._select(self.editing)
        progression = self.course.guidelines.progression
        p["advice"].value = advice_box(advice(self._entries, progression)).html
        p["sessions"].value = sessions_table(self._entries).html
        p["psfs-table"].value = psfs_table(self._entries).html
        return True

    def _update_chart(self) -> None:
        """Draw the trend chart of the entries shown (once per change of the log)."""
        p = self.parts
        if self._entries:
            png, alt = chart_png(self._entries, self.course)
            p["chart"].layout.display = None
            show_picture(p["chart"], p["chart-caption"], png, alt)
        else:
            p["chart"].layout.display = "none"
            p["chart"].value = b""
            p["chart-caption"].value = "<p>Your pain chart appears here after your first entry.</p>"

    def _guard(self, action: Callable[[], Any]) -> None:
        """Run a handler's action; whatever fails shows a message, never a traceback.

        A bad value goes beside its field; anything else (a log that cannot be written, a
        full disk, a bug) goes in the message area at the top.
        """
        try:
            action()
        except EntryError as exc:
            self._show_error(exc)
        except Exception as exc:  # a widget never raises into the page
            report_error(self.parts["error"], exc)

    def _guard_change(self, handler: Callable[[dict[str, Any]], None], change: Any) -> None:
        self._guard(lambda: handler(change))

    def _read_only(self) -> None:
        """A log this user may read but not change: show it, and say why nothing can be saved."""
        self.parts["error"].value = error_html(
            "This log is read-only: you can read it but not save to it (the file or its folder "
            "cannot be written). Copy it to a folder you can write to, or ask for permission."
        )
        for name in ("save", "delete", "confirm-delete", "upload"):
            self.parts[name].disabled = True

    def _fail(self, message: str) -> None:
        self.parts["error"].value = error_html(message)
        self.parts["where"].value = "<p>The progress log is not available.</p>"
        for name, part in self.parts.items():
            if hasattr(part, "disabled") and name not in ("where", "error", "status"):
                part.disabled = True

    # the form

    def _clear_errors(self) -> None:
        for name in FIELD_LABELS:
            self.parts[f"error-{name}"].value = ""
        self.parts["error"].value = ""

    def _show_error(self, exc: EntryError) -> None:
        field = "psfs" if exc.field.startswith("psfs") else exc.field
        if field in FIELD_LABELS:
            self.parts[f"error-{field}"].value = error_html(f"{FIELD_LABELS[field]}: {exc.problem}")
        else:
            self.parts["error"].value = error_html(str(exc))

    def _form_values(self) -> dict[str, Any]:
        """The form as ``record`` arguments; raises EntryError for a question left blank."""
        p = self.parts
        if p["day"].value is None:
            raise EntryError("day", "choose a date")
        if p["pain"].value is None:
            raise EntryError("pain", "choose a number (0 = no pain, 10 = worst imaginable)")
        if p["exercised"].value is None:
            raise EntryError("exercised", "choose Yes or No")
        exercised = bool(p["exercised"].value)
        psfs = []
        if p["psfs-on"].value:
            for i in range(1, PSFS_MAX_ACTIVITIES + 1):
                name = p[f"psfs{i}-activity"].value
                score = _unsentinel(p[f"psfs{i}-score"].value)
                if name.strip() or score is not None:
                    psfs.append((name, score))
        return {
            "day": p["day"].value,
            "pain": p["pain"].value,
            "exercised": exercised,
            "minutes": p["minutes"].value if exercised else 0,
            "effort": _unsentinel(p["effort"].value) if exercised else None,
            "psfs": psfs,
            "note": p["note"].value,
        }

    def save(self) -> LogEntry | None:
        """Record the form as a new entry, or save the changes to the entry being edited.

        Returns the saved entry, or None when the form has a problem (shown beside the field).
        """
        if self.progress_log is None:
            return None
        self._clear_errors()
        self._hide_confirm()
        try:
            values = self._form_values()
            # Validate before writing, so a bad value never reaches the file.
            LogEntry(None, **values)
            if self.editing is None:
                entry = self.progress_log.record(**values)
                message = f"Saved your entry for {_day_text(entry.day)}."
            else:
                entry = self.progress_log.update(self.editing, **values)
                message = f"Saved the changes to the entry of {_day_text(entry.day)}."
        except EntryError as exc:
            self._show_error(exc)
            self.parts["status"].value = ""
            return None
        same_day = sum(1 for e in self._entries if e.day == entry.day and e.id != entry.id)
        if same_day:
            message += f" That day has {same_day + 1} entries now; the chart uses their average."
        self.editing = None
        changed = self._update_views()
        self.start_new(keep_status=True)
        self.parts["status"].value = f'<p role="status">✓ {html.escape(message)}</p>'
        if changed:
            self._update_chart()
        return entry

    def start_new(self, keep_status: bool = False) -> None:
        """Leave editing: an empty form for a new entry, dated today."""
        p = self.parts
        self.editing = None
        self._clear_errors()
        self._hide_confirm()
        self._select(None)
        p["day"].value = date.today()
        p["pain"].value = None
        p["exercised"].value = None
        p["minutes"].value = 0
        p["effort"].value = _UNRATED
        p["note"].value = ""
        p["psfs-on"].value = False
        last_names = [
            name for name, _ in (next((e.psfs for e in reversed(self._entries) if e.psfs), ()))
        ]
        for i in range(1, PSFS_MAX_ACTIVITIES + 1):
            p[f"psfs{i}-activity"].value = last_names[i - 1] if i <= len(last_names) else ""
            p[f"psfs{i}-score"].value = _UNRATED
        p["form-title"].value = "<h4 style='margin:4px 0'>Log a day</h4>"
        p["save"].description = "Save"
        p["new-entry"].layout.display = "none"
        p["delete"].disabled = True
        if not keep_status:
            p["status"].value = ""

    def edit(self, entry_id: int) -> None:
        """Load an entry into the form; Save then changes it."""
        p = self.parts
        entry = next((e for e in self._entries if e.id == entry_id), None)
        if entry is None:
            self.start_new()
            return
        self._clear_errors()
        self._hide_confirm()
        self.editing = entry_id
        p["day"].value = entry.day
        p["pain"].value = entry.pain
        p["exercised"].value = entry.exercised
        p["minutes"].value = entry.minutes
        p["effort"].value = _UNRATED if entry.effort is None else entry.effort
        p["note"].value = entry.note
        p["psfs-on"].value = bool(entry.psfs)
        for i in range(1, PSFS_MAX_ACTIVITIES + 1):
            name, score = entry.psfs[i - 1] if i <= len(entry.psfs) else ("", _UNRATED)
            p[f"psfs{i}-activity"].value = name
            p[f"psfs{i}-score"].value = score
        p["form-title"].value = (
            f"<h4 style='margin:4px 0'>Changing the entry of {html.escape(_day_text(entry.day))}"
            "</h4>"
        )
        p["save"].description = "Save changes"
        p["new-entry"].layout.display = None
        p["delete"].disabled = False
        p["status"].value = ""
        self._select(entry_id)

    def _select(self, entry_id: int | None) -> None:
        """Highlight an entry in the list without treating it as the learner's choice."""
        self._quiet = True
        try:
            self.parts["entries"].value = entry_id
        finally:
            self._quiet = False

    def _on_select(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        if change["new"] is None:
            if self.editing is not None:
                self.start_new()
            return
        if change["new"] != self.editing:
            self.edit(change["new"])

    def _on_exercised(self, change: dict[str, Any]) -> None:
        off = change["new"] is not True or self.progress_log is None
        self.parts["minutes"].disabled = off
        self.parts["effort"].disabled = off

    def _on_psfs_on(self, change: dict[str, Any]) -> None:
        self.parts["psfs"].layout.display = None if change["new"] else "none"
        if not change["new"]:
            self.parts["error-psfs"].value = ""

    # deleting, with a confirm step

    def _ask_delete(self) -> None:
        entry = next((e for e in self._entries if e.id == self.editing), None)
        if entry is None:
            return
        self.parts["confirm-text"].value = (
            f"<span role='alert'>Delete the entry of {html.escape(_day_text(entry.day))} for "
            "good?</span>"
        )
        self.parts["confirm"].layout.display = None

    def _hide_confirm(self) -> None:
        self.parts["confirm"].layout.display = "none"
        self.parts["confirm-text"].value = ""

    def _confirm_delete(self) -> None:
        if self.progress_log is None or self.editing is None:
            self._hide_confirm()
            return
        entry = next((e for e in self._entries if e.id == self.editing), None)
        self.progress_log.delete(self.editing)
        self.editing = None
        changed = self._update_views()
        self.start_new()
        when = f" of {_day_text(entry.day)}" if entry else ""
        self.parts["status"].value = f'<p role="status">✓ Deleted the entry{html.escape(when)}.</p>'
        if changed:
            self._update_chart()

    # CSV out and in

    def download(self) -> Path | None:
        """Write the log as CSV into ``export_dir`` and offer it as a download link."""
        if self.progress_log is None:
            return None
        target = self.export_dir / f"progress-log-{date.today().isoformat()}.csv"
        count = self.progress_log.export_csv(target)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        name = html.escape(target.name)
        self.parts["download-link"].value = (
            f'<p><a download="{name}" href="data:text/csv;charset=utf-8;base64,{data}" '
            'style="font-weight:600;text-decoration:underline">'
            f"⬇ Save {name} to your computer</a> · {count} entr{'y' if count == 1 else 'ies'}, "
            f"also written to <code>{html.escape(str(target))}</code></p>"
        )
        return target

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        self._guard(lambda: self.upload(files))
        # Clear the picker so the same file can be chosen again after fixing it.
        self.parts["upload"].value = ()

    def upload(self, files: Iterable[Any]) -> None:
        """Import uploaded CSV files (FileUpload values) and report what happened."""
        if self.progress_log is None:
            return
        out = []
        for f in files:
            name = str(
                f.get("name", "the file") if isinstance(f, dict) else getattr(f, "name", "the file")
            )
            content = f["content"] if isinstance(f, dict) else f.content
            buf = io.BytesIO(bytes(content))
            buf.name = name  # type: ignore[attr-defined]  # names the file in messages
            try:
                report = self.progress_log.import_csv(buf)
            except ProgressLogError as exc:
                out.append(error_html(str(exc)))
                continue
            out.append(import_report(report, name).html)
        self.parts["upload-report"].value = "".join(out)
        self.refresh()


def build_tracker(
    course: Any = None,
    log: ProgressLog | None = None,
    path: str | os.PathLike[str] | None = None,
    *,
    export_dir: str | os.PathLike[str] | None = None,
) -> Tracker:
    """The progress tracker: log a day, edit or delete entries, see the trend and advice.

    Parameters
    ----------
    course : Course, optional
        Default: ``load_course()``. Its ``guidelines.progression`` drives the advice.
    log : ProgressLog, optional
        An open log. Default: ``ProgressLog(path)``.
    path : str or PathLike, optional
        The log file when ``log`` is not given. Default: ``default_log_path()``
        (``$BACKCOURSE_LOG`` or ``~/.backcourse/progress.sqlite3``).
    export_dir : str or PathLike, optional
        Where Download CSV writes. Default: ``progress_exports`` in the current folder,
        where the Jupyter file browser shows it.

    Returns
    -------
    Tracker
        A VBox with ``.parts``. A log file that cannot be used (damaged, or another
        program's) is left untouched and the widget shows why instead of a form.
    """
    course = get_course(course)
    open_error = None
    if log is None:
        try:
            log = ProgressLog(path)
        except ProgressLogError as exc:
            log, open_error = None, str(exc)
    return Tracker(course, log, open_error=open_error, export_dir=export_dir)
