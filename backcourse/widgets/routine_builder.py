"""The routine builder: the learner's answers in, a routine out, and a handout to take home.

The widget holds no rules. Answers become a :class:`~backcourse.model.Profile`; the routine
comes from :func:`backcourse.export.rebuild` (``build_routine`` plus the learner's swaps);
replacements come from :func:`backcourse.planner.alternatives`; red flags stop everything
(``RedFlagStop``) and their advice replaces the routine; files come from
:mod:`backcourse.export`. Every view is updated kernel-side (HTML ``.value``), and only the
parts whose content changed are sent again.

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
Every part named here carries the class ``bc-builder-<part>``; the top widget carries
``bc-app`` and ``bc-builder``.

Answers
    ``name`` Text (learner text: printed on the handout, always escaped) ·
    ``redflags`` box of the warning signs, with one Checkbox ``flag_<id>`` per red flag
    (class ``bc-builder-flag``) · ``pain`` IntSlider 0-10 · ``weeks`` IntText ·
    ``minutes`` IntText · ``sessions`` IntSlider · ``positions`` box with one Checkbox
    ``position_<id>`` each (class ``bc-builder-position``) · ``equipment`` box with one
    Checkbox ``equipment_<id>`` each (class ``bc-builder-equipment-item``) ·
    ``experience`` RadioButtons.
Messages beside the fields
    ``error-<field>`` HTML for ``pain``, ``weeks``, ``minutes``, ``sessions``, ``positions``,
    ``equipment``, ``experience``, ``redflags``, ``general``, ``start``, ``export``,
    ``load`` (each also classed ``bc-error``); empty while the answer is fine.
The routine
    ``advice`` HTML: what to do instead, when a warning sign is ticked (role=alert; the
    emergency tier is classed ``bc-builder-emergency``) · ``summary`` HTML: length, stage,
    time per phase and notes · ``routine`` box of cards, one ``item_<n>`` each (class
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
    and ``plan_chart`` + ``plan`` (the twelve-week plan table) HTML.
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

import asyncio
import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from .. import export
from ..errors import BackcourseError, ProfileError, RedFlagStop
from ..model import MINUTES_RANGE, PAIN_RANGE, POSITIONS, SESSIONS_RANGE, Course, Profile, Routine
from .a11y import SliderNames
from .common import (
    App,
    add_classes,
    clear_error,
    error_area,
    get_course,
    picture_ready,
    report_error,
    show_error,
)
from .session_player import start_button

APP = "builder"
PICTURE_DPI = export.HANDOUT_DPI  # the same pictures as the handout, so they render once
FIELDS = {  # Profile field -> the part beside which its message appears
    "pain_now": "pain",
    "weeks_since_onset": "weeks",
    "minutes_per_session": "minutes",
    "sessions_per_week": "sessions",
    "positions": "positions",
    "equipment": "equipment",
    "experience": "experience",
    "red_flags": "redflags",
}
ERROR_PARTS = (*FIELDS.values(), "general", "start", "export", "load")
EXPORTS = {  # format -> button text
    "html": "Handout (HTML, print-ready)",
    "pdf": "Handout (PDF)",
    "markdown": "Text (Markdown)",
    "ics": "Calendar (12 weeks, .ics)",
    "json": "Save answers (JSON)",
}
DEFAULTS: dict[str, Any] = {  # what the form shows first; any answer can change it
    "pain_now": 3,
    "weeks_since_onset": 8,
    "minutes_per_session": 20,
    "sessions_per_week": 3,
    "positions": POSITIONS,
    "equipment": ("mat",),
    "experience": "beginner",
}
WIDE = {"description_width": "initial"}
CARD_EDGE = "1px solid #c8c8c8"
ALERT = "#B00020"
WARN = "#8A5300"
CALM = "#0B5394"  # the third tier: keep gently active, see a GP if it does not get better
TIER_COLOURS = {"emergency": ALERT, "see_doctor": WARN, "if_not_better": CALM}

BUILDER_CSS = """
<style>
.bc-builder .bc-builder-section-title { font-weight: 700; font-size: 1.08em;
  margin: 0.6em 0 0.2em; }
.bc-builder .bc-builder-help { color: var(--jp-ui-font-color2, #5f5f5f); font-size: 0.9em;
  line-height: 1.35; margin: 0 0 0.4em; }
.bc-builder .bc-card { border: none; padding: 0; background: transparent; }
.bc-builder .bc-card-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; }
.bc-builder .bc-card h3 { font-size: 1.15em; margin: 0; }
.bc-builder .bc-card p { margin: 2px 0; line-height: 1.35; }
.bc-builder .bc-phase { font-size: 0.78em; text-transform: uppercase; color: #1a1a1a;
  background: #fff; border: 2px solid var(--bc-phase, #0072B2); border-radius: 3px;
  padding: 0 5px; }
.bc-builder .widget-radio-box input[type="radio"] { width: 24px; height: 24px; margin: 4px 6px;
  vertical-align: middle; }
.bc-builder .widget-radio-box label { min-height: 32px; line-height: 32px; }
/* A phone: a label goes above its field when both do not fit, so nothing runs off the
   side of a 390 px screen. */
@media (max-width: 600px) {
  .bc-builder .widget-inline-hbox, .bc-builder .widget-hbox { flex-wrap: wrap;
    max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important; }
  .bc-builder .widget-inline-hbox .widget-label { width: auto !important; max-width: 100%;
    white-space: normal; }
  .bc-builder .widget-inline-hbox input, .bc-builder .widget-inline-hbox select {
    min-width: 0; max-width: 100%; flex: 1 1 8em; }
}
.bc-builder .bc-dose { font-weight: 700; }
.bc-builder .bc-muscles, .bc-builder .bc-caution { font-size: 0.9em;
  color: var(--jp-ui-font-color2, #444); }
.bc-builder .bc-illustration { width: auto; max-width: min(100%, 600px); max-height: 260px;
  height: auto; display: block; }
.bc-builder .widget-checkbox { height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.bc-builder .widget-checkbox label, .bc-builder .widget-checkbox span {
  white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.3; }
.bc-builder details summary { cursor: pointer; margin: 3px 0; }
.bc-builder a.bc-download { display: inline-block; margin-left: 0.5em; padding: 2px 10px;
  border: 1px solid #0072B2; border-radius: 4px; color: #0072B2; text-decoration: underline; }
.bc-builder .bc-builder-start input[type="date"] { min-width: 11em; }
</style>
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _help(text: str) -> widgets.HTML:
    return add_classes(widgets.HTML(f"<div>{_h(text)}</div>"), "bc-builder-help")


def _title(text: str) -> widgets.HTML:
    return add_classes(widgets.HTML(f"<div>{_h(text)}</div>"), "bc-builder-section-title")


def _plain(words: Iterable[str]) -> str:
    w = list(words)
    return w[0] if len(w) == 1 else ", ".join(w[:-1]) + " and " + w[-1]


# --------------------------------------------------------------------------- cached views


@lru_cache(maxsize=1024)
def _card_text(key: export._Same, item: Any, number: int) -> str:
    return export.item_html(item, number, key.course, steps=False, picture=False)


_PICTURES: dict[tuple[export._Same, Any], str] = {}  # (course, exercise) -> <img> HTML
PICTURE_WAIT = (
    '<div class="bc-builder-help" style="min-height:8em;padding-top:3em">Drawing the picture…</div>'
)


def _picture(key: export._Same, exercise: Any) -> str:
    if (key, exercise) not in _PICTURES:
        _PICTURES[key, exercise] = export.picture_html(exercise, key.course, PICTURE_DPI)
    return _PICTURES[key, exercise]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop when called from a widget callback; None in a plain script."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


CHART_KINDS = ("time", "coverage", "plan")  # the charts section's panels, in order
CHART_DELAY_S = 0.5  # an open chart follows the answers once they pause this long
_CHARTS: dict[tuple[str, Routine], tuple[bytes, str]] = {}
_CHARTS_MAX = 96


def _chart_png(kind: str, routine: Routine) -> tuple[bytes, str]:
    """The time-budget, coverage or plan chart of a routine, as PNG and alt text (cached)."""
    key = (kind, routine)
    if key not in _CHARTS:
        from ..figures import charts, style

        if kind == "time":
            fig = charts.time_budget_chart(routine)
        elif kind == "coverage":
            fig = charts.coverage_chart(routine)
        else:
            fig = charts.plan_chart(routine.plan(export.PLAN_WEEKS))
        if len(_CHARTS) >= _CHARTS_MAX:
            _CHARTS.pop(next(iter(_CHARTS)))  # the oldest
        _CHARTS[key] = (style.to_png(fig), str(getattr(fig, "alt_text", "")))
    return _CHARTS[key]


def _chart_html(kind: str, routine: Routine) -> str:
    png, alt = _chart_png(kind, routine)
    return (
        f'<figure style="margin:0"><img src="{export.data_uri(png, "image/png")}" '
        f'alt="{_h(alt)}" style="max-width:100%;height:auto">'
        f'<figcaption class="bc-builder-help">{_h(alt)}</figcaption></figure>'
    )


def plan_table_html(routine: Routine) -> str:
    """The twelve-week plan as an HTML table: week, session length, what changes."""
    plan = routine.plan(export.PLAN_WEEKS)
    rows = "".join(
        f"<tr><td>{w.week}</td><td>{round(w.minutes)} min</td>"
        f"<td>{'<br>'.join(_h(c) for c in w.changes)}</td></tr>"
        for w in plan.weeks
    )
    return (
        '<table style="border-collapse:collapse;font-size:0.92em" class="bc-builder-plan-table">'
        '<thead><tr><th style="text-align:left;padding:2px 8px">Week</th>'
        '<th style="text-align:left;padding:2px 8px">Session</th>'
        '<th style="text-align:left;padding:2px 8px">What changes</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f'<p class="bc-builder-help">{_h(plan.step_back)}</p>'
    )


# --------------------------------------------------------------------------- the widget


class _Card:
    """One exercise of the routine on screen: picture, text and the swap controls."""

    def __init__(self, n: int, on_open: Any, on_apply: Any) -> None:
        self.n = n
        self.text_key: Any = None
        self.picture_key: Any = None  # the exercise whose picture is shown
        self.picture_want: Any = None  # the exercise whose picture should be shown
        self.picture = add_classes(
            widgets.HTML("", layout=widgets.Layout(flex="0 1 auto", max_width="100%")),
            "bc-builder-picture",
        )
        self.text = add_classes(
            widgets.HTML("", layout=widgets.Layout(flex="1 1 22em", margin="0 12px 0 0")),
            "bc-builder-text",
        )
        self.swap = add_classes(
            widgets.Button(
                description="Replace this exercise",
                icon="exchange",
                tooltip="See exercises that could take this one's place",
                layout=widgets.Layout(width="auto"),
            ),
            "bc-builder-swap",
        )
        self.choice = add_classes(
            widgets.Dropdown(
                description="Replace with",
                style=WIDE,
                layout=widgets.Layout(width="auto", max_width="100%"),
            ),
            "bc-builder-swap-choice",
        )
        self.apply = add_classes(
            widgets.Button(
                description="Use it", button_style="primary", layout=widgets.Layout(width="auto")
            ),
            "bc-builder-swap-apply",
        )
        self.cancel = add_classes(
            widgets.Button(description="Cancel", layout=widgets.Layout(width="auto")),
            "bc-builder-swap-cancel",
        )
        self.note = add_classes(widgets.HTML(""), "bc-builder-swap-note")
        self.choices = widgets.HBox(
            [self.choice, self.apply, self.cancel],
            layout=widgets.Layout(display="none", flex_flow="row wrap"),
        )
        self.swap.on_click(lambda _b: on_open(self))
        self.apply.on_click(lambda _b: on_apply(self))
        self.cancel.on_click(lambda _b: self.close())
        self.box = add_classes(
            widgets.VBox(
                [
                    widgets.Box(
                        [self.text, self.picture],
                        layout=widgets.Layout(
                            display="flex", flex_flow="row wrap", align_items="flex-start"
                        ),
                    ),
                    widgets.HBox([self.swap, self.note]),
                    self.choices,
                ],
                layout=widgets.Layout(
                    border_top=CARD_EDGE,
                    border_right=CARD_EDGE,
                    border_bottom=CARD_EDGE,
                    padding="6px 10px",
                    margin="0 0 10px 0",
                ),
            ),
            "bc-builder-item",
            f"bc-builder-item-{n}",
        )
        self.phase = ""

    def set_phase(self, phase: str) -> None:
        """Colour the card's left edge by its part of the session (warm-up, main, cool-down)."""
        if phase != self.phase:
            self.phase = phase
            self.box.layout.border_left = f"7px solid {export.PHASE_CSS.get(phase, '#0072B2')}"

    def close(self) -> None:
        self.choices.layout.display = "none"
        self.note.value = ""


class RoutineBuilder(App):
    """The routine builder (see the module docstring for its parts and classes)."""

    def __init__(self, course: Course, folder: str | Path, start: dt.date | None) -> None:
        self.course = course
        self.folder = Path(folder)
        self.routine: Routine | None = None
        self.swaps: tuple[export.Swap, ...] = ()
        self.stop: RedFlagStop | None = None
        self._wanted: tuple[export.Swap, ...] = ()
        self._hold = False
        self._key = export._Same(course)
        self._cards: list[_Card] = []
        self._shown: tuple[Any, ...] | None = None
        self._pending: asyncio.TimerHandle | None = None
        self._pictures_pending: asyncio.Handle | None = None
        g = course.guidelines
        p: dict[str, widgets.Widget] = {}

        def part(name: str, w: widgets.Widget) -> widgets.Widget:
            p[name] = add_classes(w, f"bc-builder-{name}")
            return w

        for field in ERROR_PARTS:
            part(f"error-{field}", error_area(APP))

        # --- answers
        part(
            "name",
            widgets.Text(
                description="Your name or class code (optional, printed on the handout)",
                placeholder="e.g. Sam, or Tuesday class",
                style=WIDE,
                layout=widgets.Layout(width="100%", max_width="52em"),
            ),
        )
        flags_box = []
        for tier, info in course.red_flag_tiers.items():
            boxes = []
            for flag in course.red_flags.values():
                if flag.tier != tier:
                    continue
                cb = add_classes(
                    widgets.Checkbox(
                        value=False,
                        description=flag.label,
                        indent=False,
                        tooltip=flag.question,
                        layout=widgets.Layout(width="auto"),
                    ),
                    "bc-builder-flag",
                    f"bc-builder-flag-{flag.id}",
                )
                p[f"flag_{flag.id}"] = cb
                boxes.append(cb)
            colour = TIER_COLOURS.get(tier, WARN)
            gentle = tier == "if_not_better"  # this tier still gets a (gentle) routine
            flags_box.append(
                widgets.HTML(
                    f'<div style="color:{colour};font-weight:700;margin-top:0.3em">'
                    + (
                        f"If you have any of these: {_h(info['title'])} (you still get a "
                        "gentle routine):"
                        if gentle
                        else f"{_h(info['title'])} if you have any of these:"
                    )
                    + "</div>"
                )
            )
            flags_box.append(
                widgets.GridBox(
                    boxes,
                    layout=widgets.Layout(
                        width="100%", grid_template_columns="repeat(auto-fill, minmax(19em, 1fr))"
                    ),
                )
            )
            # The full questions, readable without hovering (touch screens, screen readers).
            questions = "".join(
                f"<li><b>{_h(f.label)}</b>: {_h(f.question)}</li>"
                for f in course.red_flags.values()
                if f.tier == tier
            )
            flags_box.append(
                add_classes(
                    widgets.HTML(
                        '<details style="margin:0.1em 0 0.5em 0"><summary style="cursor:pointer">'
                        f'Read the full questions</summary><ul style="margin:0.3em 0">'
                        f"{questions}</ul></details>"
                    ),
                    f"bc-builder-questions-{tier}",
                )
            )
        part(
            "redflags",
            widgets.VBox(
                [
                    _help(
                        "Tick any warning sign you have; open “Read the full questions” to see "
                        "each one in full. "
                        "If you tick one, the builder shows what to do instead of a routine."
                    ),
                    *flags_box,
                    p["error-redflags"],
                ]
            ),
        )
        part(
            "pain",
            widgets.IntSlider(
                value=DEFAULTS["pain_now"],
                min=PAIN_RANGE[0],
                max=PAIN_RANGE[1],
                description="Pain right now (0-10)",
                style=WIDE,
                continuous_update=False,
            ),
        )
        part(
            "weeks",
            widgets.IntText(
                value=DEFAULTS["weeks_since_onset"],
                description="Weeks since this episode began",
                style=WIDE,
                layout=widgets.Layout(width="auto"),
            ),
        )
        part(
            "minutes",
            widgets.IntText(
                value=DEFAULTS["minutes_per_session"],
                description="Minutes per session",
                style=WIDE,
                layout=widgets.Layout(width="auto"),
            ),
        )
        part(
            "sessions",
            widgets.IntSlider(
                value=DEFAULTS["sessions_per_week"],
                min=SESSIONS_RANGE[0],
                max=SESSIONS_RANGE[1],
                description="Sessions per week",
                style=WIDE,
                continuous_update=False,
            ),
        )
        pos_boxes = []
        for pos in POSITIONS:
            cb = add_classes(
                widgets.Checkbox(
                    value=pos in DEFAULTS["positions"],
                    description=g.label("positions", pos),
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                ),
                "bc-builder-position",
                f"bc-builder-position-{pos}",
            )
            p[f"position_{pos}"] = cb
            pos_boxes.append(cb)
        part(
            "positions",
            widgets.GridBox(
                pos_boxes,
                layout=widgets.Layout(
                    width="100%", grid_template_columns="repeat(auto-fill, minmax(14em, 1fr))"
                ),
            ),
        )
        eq_boxes = []
        for eq, words in g.labels.get("equipment", {}).items():
            cb = add_classes(
                widgets.Checkbox(
                    value=eq in DEFAULTS["equipment"],
                    description=words,
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                ),
                "bc-builder-equipment-item",
                f"bc-builder-equipment-{eq}",
            )
            p[f"equipment_{eq}"] = cb
            eq_boxes.append(cb)
        part(
            "equipment",
            widgets.GridBox(
                eq_boxes,
                layout=widgets.Layout(
                    width="100%", grid_template_columns="repeat(auto-fill, minmax(22em, 1fr))"
                ),
            ),
        )
        part(
            "experience",
            widgets.RadioButtons(
                options=[(words, key) for key, words in g.labels.get("experience", {}).items()],
                value=DEFAULTS["experience"],
                description="Your experience",
                style=WIDE,
                layout=widgets.Layout(width="auto"),
            ),
        )

        stages = _plain([g.label("stages", s) for s in ("recent", "settling", "persistent")])
        lo, hi = MINUTES_RANGE

        def row(name: str, help_text: str) -> widgets.Widget:
            return widgets.VBox(
                [
                    widgets.HBox(
                        [p[name], p[f"error-{name}"]],
                        layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                    ),
                    _help(help_text),
                ]
            )

        about = widgets.VBox(
            [
                _title("1. Warning signs"),
                p["redflags"],
                _title("2. Your back"),
                row("pain", "0 means no pain at all and 10 the worst pain you can imagine."),
                row(
                    "weeks",
                    f"Count from when this spell of pain started. The routine is "
                    f"different for {stages}.",
                ),
                _title("3. Your time"),
                row(
                    "minutes",
                    f"From {lo} to {hi}. The routine fits inside this time, warm-up, "
                    "rests and cool-down included.",
                ),
                row("sessions", "The calendar file spreads them across each week."),
                _title("4. What you can do"),
                widgets.HBox(
                    [
                        widgets.HTML(
                            "<div>Positions you can get into and out of comfortably</div>"
                        ),
                        p["error-positions"],
                    ]
                ),
                p["positions"],
                _help("Untick any you cannot manage; the routine only uses the ones ticked."),
                widgets.HBox([widgets.HTML("<div>Equipment you have</div>"), p["error-equipment"]]),
                p["equipment"],
                _help("Leave them all unticked for a routine that needs nothing."),
                row("experience", "Harder exercises and more sets come with experience."),
                p["name"],
                _help(
                    "Optional. It is printed on your handout and in the file names, and is "
                    "never sent anywhere."
                ),
                p["error-general"],
            ]
        )

        # --- the routine
        part("advice", widgets.HTML("", layout=widgets.Layout(display="none")))
        part("summary", widgets.HTML(""))
        # "Start today's session": the guided player opens under the button (session_player).
        part("session", start_button(lambda: self.routine, course))
        part("routine", widgets.VBox([]))
        part("swaps", widgets.HTML(""))
        part(
            "undo",
            widgets.Button(
                description="Undo last swap", icon="undo", layout=widgets.Layout(width="auto")
            ),
        )
        part(
            "undo_all",
            widgets.Button(description="Undo all swaps", layout=widgets.Layout(width="auto")),
        )
        p["undo"].on_click(lambda _b: self._set_swaps(self._wanted[:-1]))
        p["undo_all"].on_click(lambda _b: self._set_swaps(()))
        self._swap_row = widgets.HBox(
            [p["swaps"], p["undo"], p["undo_all"]],
            layout=widgets.Layout(display="none", align_items="center"),
        )
        part("time_chart", widgets.HTML(""))
        part("coverage_chart", widgets.HTML(""))
        part("plan_chart", widgets.HTML(""))
        part("plan", widgets.HTML(""))
        part(
            "charts",
            widgets.Accordion(
                children=[
                    p["time_chart"],
                    p["coverage_chart"],
                    widgets.VBox([p["plan_chart"], p["plan"]]),
                ],
                titles=("Where the time goes", "Muscles covered", "The next 12 weeks"),
                selected_index=None,
            ),
        )
        p["charts"].observe(lambda _c: self._draw_charts(), names="selected_index")

        # --- take-away
        part(
            "start",
            widgets.DatePicker(
                value=start or dt.date.today(),
                description="First session (for the calendar)",
                style=WIDE,
                layout=widgets.Layout(width="auto"),
            ),
        )
        buttons = []
        for fmt, text in EXPORTS.items():
            b = part(
                f"export-{fmt}",
                widgets.Button(
                    description=text, icon="download", layout=widgets.Layout(width="auto")
                ),
            )
            add_classes(b, "bc-builder-export-button")
            b.on_click(lambda _b, fmt=fmt: self._export_clicked(fmt))
            buttons.append(b)
        part("download", widgets.HTML(""))
        part(
            "load",
            widgets.FileUpload(
                accept=".json",
                multiple=False,
                description="Load saved answers (JSON)",
                layout=widgets.Layout(width="auto"),
            ),
        )
        p["load"].observe(self._upload, names="value")
        part(
            "export",
            widgets.VBox(
                [
                    _title("Take it home"),
                    _help(
                        f"Each button saves a file in the folder '{self.folder.as_posix()}' "
                        "next to this notebook and offers it for download here. Nothing "
                        "leaves your computer."
                    ),
                    widgets.HBox(
                        [p["start"], p["error-start"]], layout=widgets.Layout(flex_flow="row wrap")
                    ),
                    widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
                    p["error-export"],
                    p["download"],
                    widgets.HBox(
                        [p["load"], p["error-load"]],
                        layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                    ),
                ]
            ),
        )
        self._result = widgets.VBox(
            [p["summary"], p["session"], p["routine"], self._swap_row, p["charts"], p["export"]]
        )
        super().__init__(
            APP,
            "Routine builder",
            [
                widgets.HTML(BUILDER_CSS),
                SliderNames(),  # the pain and sessions sliders get accessible names
                about,
                _title("Your routine"),
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

    # ----------------------------------------------------------------- answers

    def __repr__(self) -> str:
        return "Routine builder (interactive: run this notebook in Jupyter to use it)"

    def answers(self) -> dict[str, Any]:
        """The answers as Profile fields (not yet validated)."""
        p = self.parts
        return {
            "pain_now": p["pain"].value,
            "weeks_since_onset": p["weeks"].value,
            "minutes_per_session": p["minutes"].value,
            "sessions_per_week": p["sessions"].value,
            "positions": frozenset(
                k[9:] for k, w in p.items() if k.startswith("position_") and w.value
            ),
            "equipment": frozenset(
                k[10:] for k, w in p.items() if k.startswith("equipment_") and w.value
            ),
            "experience": p["experience"].value,
            "red_flags": frozenset(
                k[5:] for k, w in p.items() if k.startswith("flag_") and w.value
            ),
        }

    def set_answers(
        self,
        profile: Profile | Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        swaps: Iterable[export.Swap] | None = None,
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
            simple = {
                "pain_now": "pain",
                "weeks_since_onset": "weeks",
                "minutes_per_session": "minutes",
                "sessions_per_week": "sessions",
                "experience": "experience",
            }
            for field, part in simple.items():
                if field in values:
                    p[part].value = values[field]
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
                self._wanted = tuple(tuple(s) for s in swaps)  # type: ignore[misc]
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
        clear_error(p["error-general"])
        try:
            profile = Profile(**self.answers())
            routine, applied = export.rebuild(profile, self.course, self._wanted, strict=False)
        except RedFlagStop as stop:
            self._show_stop(stop)
            return
        except ProfileError as err:
            area = p.get(f"error-{FIELDS.get(err.field.split('.')[0], 'general')}")
            show_error(area or p["error-general"], err.problem if area else err)
            self._show_nothing()
            return
        except BackcourseError as err:
            show_error(p["error-general"], err)
            self._show_nothing()
            return
        except Exception as err:  # never a traceback in the page
            report_error(p["error-general"], err)
            self._show_nothing()
            return
        self.stop = None
        self.routine, self.swaps = routine, applied
        self._show_routine(routine)

    def _show_nothing(self) -> None:
        self.routine = None
        self.stop = None
        self.parts["advice"].layout.display = "none"
        self._result.layout.display = "none"

    def _show_stop(self, stop: RedFlagStop) -> None:
        self.routine, self.stop = None, stop
        tier = "emergency" if any(f.tier == "emergency" for f in stop.flags) else "see_doctor"
        # (a stop is never the third tier: that tier builds a gentle routine instead)
        title = self.course.red_flag_tiers[tier]["title"]
        colour = ALERT if tier == "emergency" else WARN
        lines = stop.advice.split("\n")
        items = "".join(f"<li>{_h(x)}</li>" for x in lines[1:])
        box = self.parts["advice"]
        box.value = (
            f'<div role="alert" class="bc-builder-advice-{tier}" style="border:3px solid '
            f'{colour};border-radius:6px;padding:0.7em 1em;margin:0.4em 0">'
            f'<div style="color:{colour};font-weight:800;font-size:1.35em">&#9888; {_h(title)}'
            f'</div><p style="font-size:1.05em;margin:0.4em 0">{_h(lines[0])}</p>'
            f"<ul>{items}</ul><p>No routine is shown while a warning sign is ticked. "
            "Untick it only if it does not apply to you.</p></div>"
        )
        if tier == "emergency":
            box.add_class("bc-builder-emergency")
        else:
            box.remove_class("bc-builder-emergency")
        box.layout.display = None
        self._result.layout.display = "none"

    def _show_routine(self, routine: Routine) -> None:
        p = self.parts
        p["advice"].layout.display = "none"
        p["advice"].remove_class("bc-builder-emergency")
        gentle = [
            self.course.red_flags[f]
            for f in sorted(routine.profile.red_flags)
            if self.course.red_flags[f].tier == "if_not_better"
        ]
        if gentle:  # the third tier: a gentle routine, with the advice above it
            info = self.course.red_flag_tiers["if_not_better"]
            items = "".join(f"<li><b>{_h(f.label)}</b>: {_h(f.action)}</li>" for f in gentle)
            p["advice"].value = (
                f'<div role="status" class="bc-builder-advice-if_not_better" style="border:3px '
                f'solid {CALM};border-radius:6px;padding:0.7em 1em;margin:0.4em 0">'
                f'<div style="color:{CALM};font-weight:800;font-size:1.2em">{_h(info["title"])}'
                f'</div><p style="margin:0.4em 0">{_h(info["advice"])}</p><ul>{items}</ul></div>'
            )
            p["advice"].layout.display = None
        self._result.layout.display = None
        shown = (routine.items, routine.notes, self.swaps, self._wanted)
        if shown == self._shown:
            return
        self._shown = shown
        g = self.course.guidelines
        budget = routine.time_budget()
        parts = " · ".join(f"{g.label('phases', ph)} {m:.1f} min" for ph, m in budget.items() if m)
        # (the third tier's advice is in its own box above; the handout keeps it in the notes)
        boxed = {
            f"{f.label}: {f.action}"
            for f in self.course.red_flags.values()
            if f.tier == "if_not_better"
        }
        tier = self.course.red_flag_tiers.get("if_not_better", {})
        boxed.add(f"{tier.get('title', '')}. {tier.get('advice', '')}")
        notes = "".join(f"<p>{_h(n)}</p>" for n in routine.notes if n not in boxed)
        p["summary"].value = (
            f'<div><p style="font-size:1.1em"><strong>About {round(routine.minutes)} minutes, '
            f"{len(routine.items)} exercises, {routine.profile.sessions_per_week} times a week."
            f"</strong> {_h(parts)}</p>{notes}</div>"
        )
        self._draw_cards(routine)
        self._draw_swaps(routine)
        self._charts_follow()

    def _draw_picture(self, card: _Card) -> None:
        card.picture.value = _picture(self._key, card.picture_want)
        card.picture_key = card.picture_want

    def _draw_next_picture(self) -> None:
        """Draw one waiting picture, then let the kernel read any new answer before the next.

        A picture takes a moment to draw the first time; drawing them one per turn of the
        event loop keeps the routine's text, and the learner's next change, from waiting.
        """
        self._pictures_pending = None
        n = len(self.routine.items) if self.routine is not None else 0
        waiting = [c for c in self._cards[:n] if c.picture_key != c.picture_want]
        if not waiting:
            return
        self._draw_picture(waiting[0])
        loop = _running_loop()
        if len(waiting) > 1:
            if loop is None:
                self._draw_next_picture()
            else:
                self._pictures_pending = loop.call_soon(self._draw_next_picture)

    def _draw_cards(self, routine: Routine) -> None:
        loop = _running_loop()
        waiting = False
        while len(self._cards) < len(routine.items):
            card = _Card(len(self._cards), self._open_swap, self._apply_swap)
            self.parts[f"item_{card.n}"] = card.box
            self._cards.append(card)
        for n, (card, item) in enumerate(zip(self._cards, routine.items, strict=False)):
            text_key = (item, n)
            if card.text_key != text_key:
                card.text.value = _card_text(self._key, item, n + 1)
                card.text_key = text_key
                card.close()
            card.set_phase(item.phase)
            card.picture_want = item.exercise
            if card.picture_key != item.exercise:
                if (
                    (self._key, item.exercise) in _PICTURES
                    or loop is None
                    or picture_ready(item.exercise, self.course, PICTURE_DPI)
                ):
                    self._draw_picture(card)
                else:  # a new picture: draw it once this answer is shown (see below)
                    card.picture.value = PICTURE_WAIT
                    card.picture_key = None
                    waiting = True
        boxes = tuple(c.box for c in self._cards[: len(routine.items)])
        if self.parts["routine"].children != boxes:
            self.parts["routine"].children = boxes
        if waiting and loop is not None and self._pictures_pending is None:
            self._pictures_pending = loop.call_soon(self._draw_next_picture)

    def _draw_swaps(self, routine: Routine) -> None:
        names = {e.id: e.name for e in self.course.exercises.values()}
        made = [f"{_h(names.get(a, a))} → {_h(names.get(b, b))}" for a, b in self.swaps]
        paused = [s for s in self._wanted if s not in self.swaps]
        text = ""
        if made:
            text += "Your swaps: " + "; ".join(made) + "."
        if paused:
            text += (
                f" {len(paused)} earlier swap{'s' if len(paused) > 1 else ''} "
                "do not suit these answers and are paused."
            )
        missing = [b for _a, b in self.swaps if b not in {p.exercise.id for p in routine.items}]
        if missing:
            text += (
                " "
                + _plain([_h(names.get(m, m)) for m in missing])
                + " did not fit in the time, so the planner chose for you."
            )
        self.parts["swaps"].value = f"<div>{text}</div>" if text else ""
        self._swap_row.layout.display = None if self._wanted else "none"

    def _draw_charts(self) -> None:
        """Draw the open chart for the routine shown (charts are cached per routine)."""
        self._pending = None
        p = self.parts
        index = p["charts"].selected_index
        if index is None or self.routine is None:
            return
        kind, r = CHART_KINDS[index], self.routine
        p[f"{kind}_chart"].value = _chart_html(kind, r)
        if kind == "plan":
            p["plan"].value = plan_table_html(r)

    def _charts_follow(self) -> None:
        """After an answer changes, bring the open chart up to date without making the routine
        wait: a cached chart at once; a new one once the answers pause (inside a kernel's
        event loop), with a short note meanwhile. Without an event loop, at once."""
        p = self.parts
        index = p["charts"].selected_index
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if index is None or self.routine is None:
            return
        kind = CHART_KINDS[index]
        if kind == "plan":
            p["plan"].value = plan_table_html(self.routine)  # the table is quick
        if (kind, self.routine) in _CHARTS:
            self._draw_charts()
            return
        loop = _running_loop()
        if loop is None:  # a script or a test: nothing else is waiting
            self._draw_charts()
            return
        p[
            f"{kind}_chart"
        ].value = '<p class="bc-builder-help">Drawing the chart for your new answers…</p>'
        self._pending = loop.call_later(CHART_DELAY_S, self._draw_charts)

    # ----------------------------------------------------------------- swaps

    def _open_swap(self, card: _Card) -> None:
        from ..planner import alternatives

        if self.routine is None:
            return
        found = alternatives(self.routine, card.n)
        if not found:
            card.note.value = (
                "<span>Nothing else suits your answers here; keep this one or "
                "change an answer.</span>"
            )
            return
        g = self.course.guidelines
        card.choice.options = [
            (
                f"{e.name} ({g.label('categories', e.category)}, "
                f"{g.label('difficulty', str(e.difficulty))})",
                e.id,
            )
            for e in found
        ]
        card.choice.value = found[0].id
        card.note.value = ""
        card.choices.layout.display = "flex"

    def _apply_swap(self, card: _Card) -> None:
        if self.routine is None or card.choice.value is None:
            return
        self.swap(card.n, card.choice.value)

    def swap(self, index: int, exercise_id: str) -> Routine | None:
        """Replace ``routine.items[index]`` by ``exercise_id`` (one of its alternatives)."""
        if self.routine is None:
            raise ProfileError("swap", "there is no routine to change")
        from ..planner import alternatives

        old = self.routine.items[index].exercise.id
        if exercise_id not in {e.id for e in alternatives(self.routine, index)}:
            raise ProfileError("swap", f"{exercise_id!r} is not a suitable replacement here")
        self._set_swaps((*self._wanted, (old, exercise_id)))
        return self.routine

    def _set_swaps(self, wanted: Iterable[export.Swap]) -> None:
        self._wanted = tuple(wanted)
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
            self.routine, fmt, self.folder, name=p["name"].value, swaps=self.swaps, start=start
        )
        shown = path.as_posix()
        p["download"].value = (
            f'<div role="status" style="margin:0.3em 0">Saved <code>{_h(shown)}</code>. '
            f"{export.download_link(path, f'Download {path.name}')}</div>"
        )
        return path

    def _export_clicked(self, fmt: str) -> None:
        self.parts["download"].value = '<div role="status">Saving…</div>'
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
        try:
            saved = export.load_json(text, self.course)
        except RedFlagStop:
            data = json.loads(text)
            profile = Profile.from_dict(data["profile"])
            self.set_answers(profile, name=export.clean_name(data.get("name", "")), swaps=())
            return
        self.set_answers(saved.routine.profile, name=saved.name, swaps=saved.swaps)

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
    builder = RoutineBuilder(get_course(course), folder, start)
    if answers is not None:
        builder.set_answers(answers)
    return builder
