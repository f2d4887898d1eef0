"""The progress tracker: log a day, see the trend, get the course's advice, carry the data out.

``build_tracker(course=None, log=None, path=None, *, export_dir=None)`` returns a
:class:`Tracker` (a ``common.App``, an ``ipywidgets.VBox``; ``tracker.progress_log`` is the
open log). It reads and writes a :class:`backcourse.progress.ProgressLog` (the one
given, else the file at ``path``, else ``default_log_path()``), and holds no rules of its own:
validation comes from ``LogEntry``, the advice from ``progress.advice`` with the course's
``guidelines.progression`` numbers and ``advice`` rules (advice.yaml), the chart from
``figures.charts.pain_trend_chart``. The form is in ``tracker_form``, the tables, advice box
and chart in ``tracker_views``; all HTML comes from ``render/templates/progress/``.

Every view is updated kernel-side (HTML and Image ``.value``, ``Select.options``), so the
widget behaves the same in JupyterLab, in Voila and under pytest. The chart is drawn to PNG
once per change of the log (never on a click that changes nothing, and a re-run cell reuses
it), after the list, advice and tables, so those reach the page first.

Parts and CSS classes
---------------------
``tracker.parts[name]`` is the child widget; it carries the CSS class ``bc-tracker-NAME``
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
    Beside each field an ``error-FIELD`` HTML (``error-day``, ``error-pain``,
    ``error-exercised``, ``error-minutes``, ``error-effort``, ``error-psfs``,
    ``error-note``) is empty, or holds the problem in red with role=alert.
Your entries
    ``entries`` (Select, newest first; choosing one loads it into the form for editing),
    ``delete`` (Button), ``confirm`` (HBox, shown after Delete) with ``confirm-text`` (HTML),
    ``confirm-delete`` and ``cancel-delete`` (Buttons), ``problems`` (HTML: stored rows that
    could not be read).
Views
    ``advice`` (HTML: the kind as a heading, e.g. "Step back", then the message; its root
    element has the class ``bc-advice-KIND``; kinds: progress, hold, step_back,
    see_doctor, not_enough_data), ``chart`` (Image: the trend chart as PNG, hidden while the
    log is empty; also class ``bc-figure``), ``chart-caption`` (HTML: the chart's alt text,
    shown under it), ``sessions`` (HTML table: sessions and minutes per week, last 8 weeks),
    ``psfs-table`` (HTML table: each activity's scores over time).
Your data
    ``download`` (Button: writes ``progress-log-YYYY-MM-DD.csv`` into ``export_dir``, by
    default ``progress_exports/`` in the current folder, and fills ``download-link``, an HTML
    download link with a data: URI, so no network is needed), ``upload``
    (FileUpload, .csv), ``upload-report`` (HTML: entries imported, and each bad line with
    its reason).

The tables are also plain functions returning a ``lesson.Block`` (``log_table``,
``sessions_table``, ``psfs_table``, ``advice_box``, ``advice_table``, ``import_report``,
``csv_preview``; in ``tracker_views``, re-exported here), so a lesson can show any log.

>>> tracker = build_tracker()                    # doctest: +SKIP
>>> tracker.parts["pain"].value = 4              # doctest: +SKIP
>>> tracker.parts["exercised"].value = False     # doctest: +SKIP
>>> tracker.parts["save"].click()                # doctest: +SKIP
"""

from __future__ import annotations

import base64
import functools
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..errors import ProgressLogError
from ..progress import EntryError, LogEntry, ProgressLog, advice
from ..render import render
from .common import App, error_html, get_course, report_error, show_picture
from .tracker_form import FIELD_LABELS, clear_form, fill_form, form_values
from .tracker_panels import build_parts, entry_label, page_layout, read_upload
from .tracker_views import (
    PSFS_SCORES_SHOWN,
    RECENT_WEEKS,
    advice_box,
    advice_table,
    advice_title,
    chart_png,
    csv_preview,
    day_text,
    draw_chart,
    import_report,
    log_table,
    paragraph,
    plural,
    psfs_table,
    sessions_table,
)

__all__ = [
    "FIELD_LABELS",
    "PSFS_SCORES_SHOWN",
    "RECENT_WEEKS",
    "Tracker",
    "advice_box",
    "advice_table",
    "advice_title",
    "build_tracker",
    "chart_png",
    "csv_preview",
    "draw_chart",
    "import_report",
    "log_table",
    "psfs_table",
    "sessions_table",
]

EXPORT_FOLDER = "progress_exports"


class Tracker(App):
    """The tracker widget; see the module docstring for its parts.

    Attributes
    ----------
    parts : dict of str to Widget
        Every part by name; each carries the CSS class ``bc-tracker-NAME``.
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
        super().__init__("tracker", "Progress tracker", page_layout(p))
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
        p = build_parts()
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
        p["where"].value = render(
            "progress/where.html",
            path=str(self.progress_log.path),
            count=plural(len(self._entries), "entry", "entries"),
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
            p["entries"].options = [(entry_label(e), e.id) for e in reversed(self._entries)]
        finally:
            self._quiet = False
        if self.editing is not None and self.editing not in {e.id for e in self._entries}:
            self.start_new()
        else:
            self._select(self.editing)
        progression = self.course.guidelines.progression
        result = advice(self._entries, progression, self.course.advice)
        p["advice"].value = advice_box(result, self.course).html
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
            p["chart-caption"].value = paragraph(
                "Your pain chart appears here after your first entry."
            )

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
        self.parts["where"].value = paragraph("The progress log is not available.")
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

    def save(self) -> LogEntry | None:
        """Record the form as a new entry, or save the changes to the entry being edited.

        Returns the saved entry, or None when the form has a problem (shown beside the field).
        """
        if self.progress_log is None:
            return None
        self._clear_errors()
        self._hide_confirm()
        try:
            values = form_values(self.parts)
            # Validate before writing, so a bad value never reaches the file.
            LogEntry(None, **values)
            if self.editing is None:
                entry = self.progress_log.record(**values)
                message = f"Saved your entry for {day_text(entry.day)}."
            else:
                entry = self.progress_log.update(self.editing, **values)
                message = f"Saved the changes to the entry of {day_text(entry.day)}."
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
        self.parts["status"].value = paragraph(f"✓ {message}", role="status")
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
        last = next((e.psfs for e in reversed(self._entries) if e.psfs), ())
        clear_form(p, [name for name, _ in last])
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
        fill_form(p, entry)
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
        self.parts["confirm-text"].value = render(
            "progress/confirm_delete.html", day=day_text(entry.day)
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
        when = f" of {day_text(entry.day)}" if entry else ""
        self.parts["status"].value = paragraph(f"✓ Deleted the entry{when}.", role="status")
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
        self.parts["download-link"].value = render(
            "progress/download_link.html",
            name=target.name,
            data=data,
            count=plural(count, "entry", "entries"),
            path=str(target),
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
            name, buf = read_upload(f)
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
        Default: ``load_course()``. Its ``guidelines.progression`` and ``advice``
        (advice.yaml) drive the advice.
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
