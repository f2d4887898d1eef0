"""The routine builder: the learner's answers in, a routine out, and a handout to take home.

The widget holds no rules: it reads its controls, asks a
:class:`backcourse.builder.BuilderSession` (answers -> routine or stop, the
learner's swaps, the messages) and shows the View it returns; files come from
:mod:`backcourse.export`. Its controls are built in :mod:`.builder_view` and its HTML comes
from ``render/templates/builder/``. Every view is updated kernel-side (HTML ``.value``),
and only the parts whose content changed are sent again.

Speed: the routine redraws within milliseconds of an answer changing. Inside a kernel, a
picture not drawn before shows "Drawing the picture…" and is drawn one per turn of the
event loop, and an open chart follows once the answers pause (``CHART_DELAY_S``), so
neither makes the learner wait; pictures and charts are cached. Without an event loop (a
script, a test) everything is drawn at once.

>>> from backcourse.widgets import build_routine_builder
>>> builder = build_routine_builder()          # doctest: +SKIP
>>> builder.parts["minutes"].value = 15        # doctest: +SKIP
>>> builder.routine.minutes <= 15              # doctest: +SKIP

Parts (``top.parts``) and CSS classes
-------------------------------------
Every part named here carries the class ``bc-builder-{part}``; the top widget carries
``bc-app`` and ``bc-builder``.

Answers
    ``name`` Text (learner text: printed on the handout, always escaped) ·
    ``redflags`` box of the warning signs, with one Checkbox ``flag_{id}`` per red flag
    (class ``bc-builder-flag``) · ``pain`` IntSlider 0-10 · ``weeks`` IntText ·
    ``minutes`` IntText · ``sessions`` IntSlider · ``positions`` box with one Checkbox
    ``position_{id}`` each (class ``bc-builder-position``) · ``equipment`` box with one
    Checkbox ``equipment_{id}`` each (class ``bc-builder-equipment-item``) ·
    ``experience`` RadioButtons.
Messages beside the fields
    ``error-{field}`` HTML for ``pain``, ``weeks``, ``minutes``, ``sessions``, ``positions``,
    ``equipment``, ``experience``, ``redflags``, ``general``, ``start``, ``export``,
    ``load`` (each also classed ``bc-error``); empty while the answer is fine.
The routine
    ``advice`` HTML: what to do instead, when a warning sign is ticked (role=alert; the
    emergency tier is classed ``bc-builder-emergency``) · ``summary`` HTML: length, stage,
    time per phase and notes · ``routine`` box of cards, one ``item_{n}`` each (class
    ``bc-builder-item``) holding ``bc-builder-picture`` (illustration), ``bc-builder-text``
    (dose, reason, steps), and ``swap`` Button "Replace this exercise" (class
    ``bc-builder-swap``), which opens ``bc-builder-swap-choice`` (Dropdown of suitable
    alternatives), ``bc-builder-swap-apply`` and ``bc-builder-swap-cancel`` ·
    ``session`` box with a "Start today's session" Button (``session.button``, class
    ``bc-session-start``) that opens the guided player in ``session.holder`` ·
    ``swaps`` HTML: the swaps made · ``undo`` Button: undo the last swap ·
    ``undo_all`` Button.
Charts (rendered when their section is opened, then cached per routine)
    ``charts`` Accordion with ``time_chart`` (time budget), ``coverage_chart`` (muscles)
    and ``plan_chart`` + ``plan`` (the plan table, guidelines.yaml ``plan_weeks``) HTML.
Take-away
    ``start`` DatePicker (first session, for the calendar) · ``export-html``,
    ``export-pdf``, ``export-markdown``, ``export-ics``, ``export-json`` Buttons (class
    ``bc-builder-export-button`` too) · ``download`` HTML: where the file was saved and a
    download link · ``load`` FileUpload: a saved JSON file back into the builder.

Attributes: ``top.routine`` (the Routine shown, or None), ``top.swaps`` (the swaps in it),
``top.stop`` (the RedFlagStop shown, or None), ``top.folder`` (where files go),
``top.answers()``, ``top.set_answers(...)``, ``top.swap(index, exercise_id)``,
``top.export(fmt)`` (returns the path), ``top.load_json(text)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .. import export
from ..builder import GENERAL, BuilderSession, View
from ..errors import BackcourseError, ProfileError, RedFlagStop
from ..model import Course, Prescription, Profile, Routine
from ..planner.swaps import Swap
from .a11y import SliderNames
from .builder_pictures import (
    CHART_DELAY_S,
    CHARTS,
    PICTURE_WAIT,
    ChartPanel,
    PictureQueue,
    plan_table_html,
)
from .builder_view import (
    Card,
    answer_form,
    exports,
    html,
    routine_area,
    static_html,
    takeaway,
    title,
)
from .common import (
    App,
    add_classes,
    clear_error,
    error_area,
    get_course,
    report_error,
    shared_layouts,
    show_error,
)
from .session_player import start_button

APP = "builder"
FIELDS = {  # Profile field -> the part beside which its message appears
    "pain_now": "pain",
    "weeks_since_onset": "weeks",
    "minutes_per_session": "minutes",
    "sessions_per_week": "sessions",
    "positions": "positions",
    "equipment": "equipment",
    "experience": "experience",
    "red_flags": "redflags",
    GENERAL: GENERAL,
}
ERROR_PARTS = (*FIELDS.values(), "start", "export", "load")
_CHARTS = CHARTS  # the chart cache, by the name benchmarks/ clear it with
__all__ = [
    "CHART_DELAY_S",
    "PICTURE_WAIT",
    "RoutineBuilder",
    "build_routine_builder",
    "plan_table_html",
]


# --------------------------------------------------------------------------- the widget


class RoutineBuilder(App):
    """The routine builder (see the module docstring for its parts and classes)."""

    def __init__(self, course: Course, folder: str | Path, start: dt.date | None) -> None:
        self.course = course
        self.folder = Path(folder)
        self.session = BuilderSession(course)
        self._hold = False
        self._texts: dict[tuple[Prescription, int], str] = {}  # card texts shown before
        self._cards: list[Card] = []
        self._shown: tuple[Any, ...] | None = None
        self._pictures = PictureQueue(course, self._cards_shown)
        weeks = course.guidelines.plan_weeks
        p: dict[str, widgets.Widget] = {}

        def part(name: str, w: widgets.Widget) -> widgets.Widget:
            p[name] = add_classes(w, f"bc-builder-{name}")
            return w

        for field in ERROR_PARTS:
            part(f"error-{field}", error_area(APP))
        about = answer_form(course, p, part)
        # --- the routine
        # "Start today's session": the guided player opens under the button (session_player).
        part("session", start_button(lambda: self.routine, course))
        self._swap_row = routine_area(p, part, weeks)
        p["undo"].on_click(lambda _b: self._set_swaps(self.session.wanted[:-1]))
        p["undo_all"].on_click(lambda _b: self._set_swaps(()))
        self._charts = ChartPanel(p, lambda: self.routine)
        p["charts"].observe(lambda _c: self._draw_charts(), names="selected_index")
        # --- take-away
        formats = exports(weeks)
        takeaway(p, part, formats, self.folder.as_posix(), start or dt.date.today())
        for fmt in formats:
            p[f"export-{fmt}"].on_click(lambda _b, fmt=fmt: self._export_clicked(fmt))
        p["load"].observe(self._upload, names="value")
        self._result = widgets.VBox(
            [p["summary"], p["session"], p["routine"], self._swap_row, p["charts"], p["export"]]
        )
        super().__init__(
            APP,
            "Routine builder",
            [
                static_html(html("style")),
                SliderNames(),  # the pain and sessions sliders get accessible names
                about,
                title("Your routine"),
                p["advice"],
                self._result,
            ],
        )
        self.parts = p
        for name in ("pain", "weeks", "minutes", "sessions", "experience"):
            p[name].observe(self._changed, names="value")
        for key, w in p.items():
            if key.startswith(("flag_", "position_", "equipment_")):
                w.observe(self._changed, names="value")
        p["name"].observe(lambda _c: self._name_changed(), names="value")
        self.update()

    def __repr__(self) -> str:
        return "Routine builder (interactive: run this notebook in Jupyter to use it)"

    @property
    def routine(self) -> Routine | None:
        """The routine shown, or None."""
        return self.session.view.routine

    @property
    def swaps(self) -> tuple[Swap, ...]:
        """The swaps in the routine shown."""
        return self.session.view.swaps

    @property
    def stop(self) -> RedFlagStop | None:
        """The red-flag stop shown, or None."""
        return self.session.view.stop

    # ----------------------------------------------------------------- answers

    def answers(self) -> dict[str, Any]:
        """The answers as Profile fields (not yet validated)."""
        p = self.parts

        def ticked(prefix: str) -> frozenset[str]:
            return frozenset(
                k[len(prefix) :] for k, w in p.items() if k.startswith(prefix) and w.value
            )

        return {
            "pain_now": p["pain"].value,
            "weeks_since_onset": p["weeks"].value,
            "minutes_per_session": p["minutes"].value,
            "sessions_per_week": p["sessions"].value,
            "positions": ticked("position_"),
            "equipment": ticked("equipment_"),
            "experience": p["experience"].value,
            "red_flags": ticked("flag_"),
        }

    def set_answers(
        self,
        profile: Profile | Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        swaps: Iterable[Swap] | None = None,
        **fields: Any,
    ) -> None:
        """Set several answers at once (one redraw): a Profile, a mapping, or keywords."""
        values: dict[str, Any] = {}
        if isinstance(profile, Profile):
            values.update(profile.to_dict())
        elif profile is not None:
            values.update(profile)
        values.update(fields)
        p = self.parts
        self._hold = True
        try:
            for field, key in FIELDS.items():
                if field in values and key in p and not isinstance(p[key], widgets.Box):
                    p[key].value = values[field]
            for field, prefix in (
                ("positions", "position_"),
                ("equipment", "equipment_"),
                ("red_flags", "flag_"),
            ):
                if field in values:
                    chosen = set(values[field])
                    unknown = chosen - {k[len(prefix) :] for k in p if k.startswith(prefix)}
                    if unknown:
                        raise ProfileError(field, f"unknown {', '.join(sorted(unknown))}")
                    for k, w in p.items():
                        if k.startswith(prefix):
                            w.value = k[len(prefix) :] in chosen
            if name is not None:
                p["name"].value = name
            if swaps is not None:
                self.session.wanted = tuple(tuple(s) for s in swaps)  # type: ignore[misc]
        finally:
            self._hold = False
        self.update()

    def _changed(self, _change: Any = None) -> None:
        if not self._hold:
            self.update()

    def _name_changed(self) -> None:
        self.parts["download"].value = ""  # a saved file no longer has the name shown

    # ----------------------------------------------------------------- redraw

    def update(self) -> None:
        """Rebuild the routine from the answers and redraw what changed."""
        p = self.parts
        for f in FIELDS.values():
            clear_error(p[f"error-{f}"])
        try:
            view = self.session.update(self.answers())
        except Exception as err:  # never a traceback in the page
            report_error(p["error-general"], err)
            self.session.view = View()
            view = self.session.view
        for field, message in view.errors.items():
            show_error(p[f"error-{FIELDS.get(field, GENERAL)}"], message)
        if view.stop is not None:
            self._show_stop(view)
        elif view.routine is not None:
            self._show_routine(view)
        else:
            p["advice"].layout.display = "none"
            self._result.layout.display = "none"

    def _show_stop(self, view: View) -> None:
        box = self.parts["advice"]
        box.value = html("stop", advice=view.advice)
        if view.advice is not None and view.advice.tier == "emergency":
            box.add_class("bc-builder-emergency")
        else:
            box.remove_class("bc-builder-emergency")
        box.layout.display = None
        self._result.layout.display = "none"

    def _show_routine(self, view: View) -> None:
        p, routine = self.parts, view.routine
        assert routine is not None
        p["advice"].layout.display = "none"
        p["advice"].remove_class("bc-builder-emergency")
        if view.advice is not None:  # the third tier: a gentle routine, the advice above it
            p["advice"].value = html("gentle", advice=view.advice)
            p["advice"].layout.display = None
        self._result.layout.display = None
        shown = (routine.items, view.notes, view.swaps, self.session.wanted)
        if shown == self._shown:
            return
        self._shown = shown
        p["summary"].value = html(
            "summary",
            minutes=round(routine.minutes),
            count=len(routine.items),
            sessions=routine.profile.sessions_per_week,
            phases=view.phases,
            notes=view.notes,
        )
        self._draw_cards(routine)
        p["swaps"].value = html("swaps", summary=view.swap_summary)
        self._swap_row.layout.display = None if view.swap_summary.wanted else "none"
        self._charts.follow()

    def _cards_shown(self) -> list[Card]:
        return self._cards[: len(self.routine.items)] if self.routine is not None else []

    def _card_text(self, item: Prescription, number: int) -> str:
        key = (item, number)
        if key not in self._texts:
            if len(self._texts) >= 1024:
                self._texts.pop(next(iter(self._texts)))  # the oldest
            self._texts[key] = export.item_html(
                item, number, self.course, steps=False, picture=False
            )
        return self._texts[key]

    def _draw_cards(self, routine: Routine) -> None:
        while len(self._cards) < len(routine.items):
            card = Card(len(self._cards), self._open_swap, self._apply_swap)
            self.parts[f"item_{card.n}"] = card.box
            self._cards.append(card)
        waiting = False
        for n, (card, item) in enumerate(zip(self._cards, routine.items, strict=False)):
            text_key = (item, n)
            if card.text_key != text_key:
                card.text.value = self._card_text(item, n + 1)
                card.text_key = text_key
                card.close()
            card.set_phase(item.phase)
            waiting |= self._pictures.want(card, item.exercise)
        boxes = tuple(c.box for c in self._cards[: len(routine.items)])
        if self.parts["routine"].children != boxes:
            self.parts["routine"].children = boxes
        if waiting:
            self._pictures.start()

    def _draw_charts(self) -> None:
        """Draw the open chart for the routine shown (charts are cached per routine)."""
        self._charts.draw()

    # ----------------------------------------------------------------- swaps

    def _open_swap(self, card: Card) -> None:
        if self.routine is not None:
            card.offer(self.session.choices(card.n))

    def _apply_swap(self, card: Card) -> None:
        if self.routine is None or card.choice.value is None:
            return
        self.swap(card.n, card.choice.value)

    def swap(self, index: int, exercise_id: str) -> Routine | None:
        """Replace ``routine.items[index]`` by ``exercise_id`` (one of its alternatives)."""
        self.session.swap(index, exercise_id)  # raises ProfileError for an unsuitable one
        self.update()
        return self.routine

    def _set_swaps(self, wanted: Iterable[Swap]) -> None:
        self.session.wanted = tuple(wanted)
        self.update()

    # ----------------------------------------------------------------- take-away

    def export(self, fmt: str) -> Path:
        """Save the routine in one format into ``folder``; show where, and a download link."""
        p = self.parts
        clear_error(p["error-export"])
        clear_error(p["error-start"])
        if self.routine is None:
            raise ProfileError("export", "there is no routine to save: fix the answers first")
        start = p["start"].value
        if fmt == "ics" and start is None:
            raise ProfileError("start", "pick the date of your first session")
        path = export.save(
            self.routine,
            fmt,
            self.folder,
            name=p["name"].value,
            swaps=self.swaps,
            start=start,
            weeks=self.course.guidelines.plan_weeks,
        )
        link = export.download_link(path, f"Download {path.name}")
        p["download"].value = html("status", saved=path.as_posix(), link=link)
        return path

    def _export_clicked(self, fmt: str) -> None:
        self.parts["download"].value = html("status", saved="", text="Saving…")
        try:
            self.export(fmt)
        except ProfileError as err:
            self.parts["download"].value = ""
            area = "start" if err.field == "start" else "export"
            show_error(self.parts[f"error-{area}"], err.problem)
        except (BackcourseError, OSError) as err:
            self.parts["download"].value = ""
            show_error(self.parts["error-export"], f"Could not save the file: {err}")
        except Exception as err:  # never a traceback in the page
            self.parts["download"].value = ""
            report_error(self.parts["error-export"], err)

    def load_json(self, text: str | bytes) -> None:
        """Put a saved routine's answers, name and swaps back into the builder.

        A file whose answers include a warning sign is loaded too: the advice shows.
        """
        saved = self.session.load(text)
        self.set_answers(saved.profile, name=saved.name, swaps=saved.swaps)

    def _upload(self, change: Any) -> None:
        files = change["new"]
        if not files:
            return
        clear_error(self.parts["error-load"])
        item = files[0]
        content = item["content"] if isinstance(item, Mapping) else item.content
        try:
            self.load_json(bytes(content))
        except Exception as err:  # any file at all: a message beside the control, never a raise
            report_error(self.parts["error-load"], err)
        finally:
            self.parts["load"].value = ()  # so the same file can be loaded again


def build_routine_builder(
    course: Course | None = None,
    *,
    folder: str | Path = "handouts",
    start: dt.date | None = None,
    answers: Mapping[str, Any] | Profile | None = None,
) -> RoutineBuilder:
    """The routine builder: answers, the routine with swaps, charts and take-away files.

    Parameters
    ----------
    course
        The loaded course (None: the bundled one).
    folder
        Where the take-away files are written (created on first save), relative to the
        notebook's folder unless absolute.
    start
        The first session's date for the calendar file (today when omitted).
    answers
        Starting answers (a Profile or Profile fields) instead of the defaults.
    """
    with shared_layouts():  # alike layouts become one model (see common.shared_layouts)
        builder = RoutineBuilder(get_course(course), folder, start)
        if answers is not None:
            builder.set_answers(answers)
    return builder
