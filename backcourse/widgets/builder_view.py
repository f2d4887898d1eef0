"""The routine builder's controls: the answer form, one exercise card, and the take-away row.

Plain ipywidgets, each with its ``bc-builder-{part}`` class (see routine_builder's
docstring); their HTML comes from ``render/templates/builder/``. Nothing here decides
anything: the decisions are in :mod:`backcourse.builder`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as widgets

from .. import palette
from ..model import MINUTES_RANGE, PAIN_RANGE, POSITIONS, SESSIONS_RANGE, Course
from ..planner import GENTLE_TIER
from ..render import render
from .common import add_classes, fixed_layout

WIDE = {"description_width": "initial"}
CARD_EDGE = f"1px solid {palette.GRID}"
TIER_COLOURS = {"emergency": palette.ALERT, "see_doctor": palette.WARN, GENTLE_TIER: palette.CALM}
DEFAULTS: dict[str, Any] = {  # what the form shows first; any answer can change it
    "pain_now": 3,
    "weeks_since_onset": 8,
    "minutes_per_session": 20,
    "sessions_per_week": 3,
    "positions": POSITIONS,
    "equipment": ("mat",),
    "experience": "beginner",
}
Part = Callable[[str, widgets.Widget], widgets.Widget]  # registers a named part


def html(template: str, **context: Any) -> str:
    """One of the builder's templates (``render/templates/builder/{template}.html``)."""
    return render(f"builder/{template}.html", **context)


def static_html(value: str) -> widgets.HTML:
    """An HTML widget whose layout never changes (it shares one with the others alike)."""
    return widgets.HTML(value, layout=fixed_layout())


def help_line(text: str) -> widgets.HTML:
    return add_classes(static_html(html("text", text=text)), "bc-builder-help")


def title(text: str) -> widgets.HTML:
    return add_classes(static_html(html("text", text=text)), "bc-builder-section-title")


def plain_list(words: Iterable[str]) -> str:
    w = list(words)
    return w[0] if len(w) == 1 else ", ".join(w[:-1]) + " and " + w[-1]


class Card:
    """One exercise of the routine on screen: picture, text and the swap controls.

    The controls for choosing a replacement (a Dropdown, "Use it", "Cancel") and the note
    are made the first time they are needed: most cards never need them, and every widget
    is models the page must create before the builder shows.
    """

    def __init__(self, n: int, on_open: Any, on_apply: Any) -> None:
        self.n = n
        self.on_apply = on_apply
        self.text_key: Any = None
        self.picture_key: Any = None  # the exercise whose picture is shown
        self.picture_want: Any = None  # the exercise whose picture should be shown
        self.picture = add_classes(
            widgets.HTML("", layout=fixed_layout(flex="0 1 auto", max_width="100%")),
            "bc-builder-picture",
        )
        self.text = add_classes(
            widgets.HTML("", layout=fixed_layout(flex="1 1 22em", margin="0 12px 0 0")),
            "bc-builder-text",
        )
        self.swap = add_classes(
            widgets.Button(
                description="Replace this exercise",
                icon="exchange",
                tooltip="See exercises that could take this one's place",
                layout=fixed_layout(width="auto"),
            ),
            "bc-builder-swap",
        )
        self.swap.on_click(lambda _b: on_open(self))
        # The text and the picture side by side (one above the other on a narrow screen),
        # then a full-width row for the swap button, and the choices when asked for.
        self.row = widgets.HBox([self.swap], layout=fixed_layout(flex="1 0 100%"))
        self.box = add_classes(
            widgets.Box(
                [self.text, self.picture, self.row],
                layout=widgets.Layout(
                    display="flex",
                    flex_flow="row wrap",
                    align_items="flex-start",
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

    @functools.cached_property
    def note(self) -> widgets.HTML:
        """A line beside the swap button (made on first use)."""
        note = add_classes(static_html(""), "bc-builder-swap-note")
        self.row.children = (self.swap, note)
        return note

    @functools.cached_property
    def choices(self) -> widgets.HBox:
        """The alternatives offered, "Use it" and "Cancel" (made on first use)."""
        auto = fixed_layout(width="auto")
        self.choice = add_classes(
            widgets.Dropdown(
                description="Replace with",
                style=WIDE,
                layout=fixed_layout(width="auto", max_width="100%"),
            ),
            "bc-builder-swap-choice",
        )
        self.apply = add_classes(
            widgets.Button(description="Use it", button_style="primary", layout=auto),
            "bc-builder-swap-apply",
        )
        self.cancel = add_classes(
            widgets.Button(description="Cancel", layout=auto), "bc-builder-swap-cancel"
        )
        self.apply.on_click(lambda _b: self.on_apply(self))
        self.cancel.on_click(lambda _b: self.close())
        choices = widgets.HBox(
            [self.choice, self.apply, self.cancel],
            layout=widgets.Layout(display="none", flex_flow="row wrap", flex="1 0 100%"),
        )
        self.box.children = (*self.box.children, choices)
        return choices

    def set_phase(self, phase: str) -> None:
        """Colour the card's left edge by its part of the session (warm-up, main, cool-down)."""
        if phase != self.phase:
            self.phase = phase
            colour = palette.PHASE_COLOURS.get(phase, palette.PHASE_COLOURS["main"])
            self.box.layout.border_left = f"7px solid {colour}"

    def close(self) -> None:
        """Hide the choices and the note (if they were ever made)."""
        if "choices" in self.__dict__:
            self.choices.layout.display = "none"
        if "note" in self.__dict__:
            self.note.value = ""

    def offer(self, choices: tuple[tuple[str, str], ...]) -> None:
        """Show what could take this exercise's place, or say there is nothing."""
        if not choices:
            self.note.value = html(
                "note",
                text="Nothing else suits your answers here; keep this one or change an answer.",
            )
            return
        self.choices.layout.display = "flex"
        self.choice.options = list(choices)
        self.choice.value = choices[0][1]
        if "note" in self.__dict__:
            self.note.value = ""


def checkboxes(
    p: dict[str, widgets.Widget], kind: str, items: Iterable[tuple[str, str]], chosen: Any
) -> list[widgets.Checkbox]:
    """One Checkbox per (id, words), as part ``{kind}_{id}`` (class ``bc-builder-{kind}``)."""
    out = []
    for key, words in items:
        cb = widgets.Checkbox(
            value=key in chosen, description=words, indent=False, layout=fixed_layout(width="auto")
        )
        p[f"{kind}_{key}"] = cb
        out.append(cb)
    return out


def grid(children: list[widgets.Widget], column: str) -> widgets.GridBox:
    return widgets.GridBox(
        children,
        layout=fixed_layout(
            width="100%", grid_template_columns=f"repeat(auto-fill, minmax({column}, 1fr))"
        ),
    )


def red_flag_box(course: Course, p: dict[str, widgets.Widget]) -> list[widgets.Widget]:
    """The warning signs, tier by tier: a heading, a tick box each, the questions in full."""
    out: list[widgets.Widget] = []
    for tier, info in course.red_flag_tiers.items():
        flags = [f for f in course.red_flags.values() if f.tier == tier]
        boxes = checkboxes(p, "flag", [(f.id, f.label) for f in flags], ())
        for cb, flag in zip(boxes, flags, strict=True):
            cb.tooltip = flag.question
            add_classes(cb, "bc-builder-flag", f"bc-builder-flag-{flag.id}")
        colour = TIER_COLOURS.get(tier, palette.WARN)
        gentle = tier == GENTLE_TIER  # this tier still gets a (gentle) routine
        out.append(
            static_html(html("flag_tier", colour=colour, title=info["title"], gentle=gentle))
        )
        out.append(grid(boxes, "19em"))
        out.append(
            add_classes(
                static_html(html("flag_questions", flags=flags)), f"bc-builder-questions-{tier}"
            )
        )
    return out


def answer_form(course: Course, p: dict[str, widgets.Widget], part: Part) -> widgets.VBox:
    """The questions: warning signs, pain and weeks, time, positions, equipment, experience."""
    g = course.guidelines
    part(
        "name",
        widgets.Text(
            description="Your name or class code (optional, printed on the handout)",
            placeholder="e.g. Sam, or Tuesday class",
            style=WIDE,
            layout=fixed_layout(width="100%", max_width="52em"),
        ),
    )
    intro = (
        "Tick any warning sign you have; open “Read the full questions” to see each one in "
        "full. If you tick one, the builder shows what to do instead of a routine."
    )
    part(
        "redflags",
        widgets.VBox(
            [help_line(intro), *red_flag_box(course, p), p["error-redflags"]], layout=fixed_layout()
        ),
    )
    for name, lo_hi, words in (
        ("pain", PAIN_RANGE, "Pain right now (0-10)"),
        ("sessions", SESSIONS_RANGE, "Sessions per week"),
    ):
        field = "pain_now" if name == "pain" else "sessions_per_week"
        part(
            name,
            widgets.IntSlider(
                value=DEFAULTS[field],
                min=lo_hi[0],
                max=lo_hi[1],
                description=words,
                style=WIDE,
                continuous_update=False,
            ),
        )
    for name, field, words in (
        ("weeks", "weeks_since_onset", "Weeks since this episode began"),
        ("minutes", "minutes_per_session", "Minutes per session"),
    ):
        part(
            name,
            widgets.IntText(
                value=DEFAULTS[field],
                description=words,
                style=WIDE,
                layout=fixed_layout(width="auto"),
            ),
        )
    positions = [(pos, g.label("positions", pos)) for pos in POSITIONS]
    pos_boxes = checkboxes(p, "position", positions, DEFAULTS["positions"])
    for cb, (pos, _w) in zip(pos_boxes, positions, strict=True):
        add_classes(cb, "bc-builder-position", f"bc-builder-position-{pos}")
    part("positions", grid(pos_boxes, "14em"))
    equipment = list(g.labels.get("equipment", {}).items())
    eq_boxes = checkboxes(p, "equipment", equipment, DEFAULTS["equipment"])
    for cb, (eq, _w) in zip(eq_boxes, equipment, strict=True):
        add_classes(cb, "bc-builder-equipment-item", f"bc-builder-equipment-{eq}")
    part("equipment", grid(eq_boxes, "22em"))
    part(
        "experience",
        widgets.RadioButtons(
            options=[(words, key) for key, words in g.labels.get("experience", {}).items()],
            value=DEFAULTS["experience"],
            description="Your experience",
            style=WIDE,
            layout=fixed_layout(width="auto"),
        ),
    )
    stages = plain_list([g.label("stages", s) for s in ("recent", "settling", "persistent")])
    lo, hi = MINUTES_RANGE

    def row(name: str, help_text: str) -> widgets.Widget:
        line = fixed_layout(align_items="center", flex_flow="row wrap")
        return widgets.VBox(
            [widgets.HBox([p[name], p[f"error-{name}"]], layout=line), help_line(help_text)],
            layout=fixed_layout(),
        )

    def label(text: str, name: str) -> widgets.Widget:
        return widgets.HBox(
            [static_html(html("text", text=text)), p[f"error-{name}"]], layout=fixed_layout()
        )

    return widgets.VBox(
        [
            title("1. Warning signs"),
            p["redflags"],
            title("2. Your back"),
            row("pain", "0 means no pain at all and 10 the worst pain you can imagine."),
            row(
                "weeks",
                f"Count from when this spell of pain started. The routine is different for "
                f"{stages}.",
            ),
            title("3. Your time"),
            row(
                "minutes",
                f"From {lo} to {hi}. The routine fits inside this time, warm-up, rests and "
                "cool-down included.",
            ),
            row("sessions", "The calendar file spreads them across each week."),
            title("4. What you can do"),
            label("Positions you can get into and out of comfortably", "positions"),
            p["positions"],
            help_line("Untick any you cannot manage; the routine only uses the ones ticked."),
            label("Equipment you have", "equipment"),
            p["equipment"],
            help_line("Leave them all unticked for a routine that needs nothing."),
            row("experience", "Harder exercises and more sets come with experience."),
            p["name"],
            help_line(
                "Optional. It is printed on your handout and in the file names, and is never "
                "sent anywhere."
            ),
            p["error-general"],
        ],
        layout=fixed_layout(),
    )


def takeaway(
    p: dict[str, widgets.Widget], part: Part, exports: dict[str, str], folder: str, start: Any
) -> widgets.VBox:
    """The first session's date, a button per file format, where it was saved, and loading."""
    auto = fixed_layout(width="auto")
    part(
        "start",
        widgets.DatePicker(
            value=start, description="First session (for the calendar)", style=WIDE, layout=auto
        ),
    )
    buttons = []
    for fmt, text in exports.items():
        b = part(f"export-{fmt}", widgets.Button(description=text, icon="download", layout=auto))
        buttons.append(add_classes(b, "bc-builder-export-button"))
    part("download", static_html(""))
    part(
        "load",
        widgets.FileUpload(
            accept=".json", multiple=False, description="Load saved answers (JSON)", layout=auto
        ),
    )
    wrap = fixed_layout(flex_flow="row wrap")
    return part(
        "export",
        widgets.VBox(
            [
                title("Take it home"),
                help_line(
                    f"Each button saves a file in the folder '{folder}' next to this notebook "
                    "and offers it for download here. Nothing leaves your computer."
                ),
                widgets.HBox([p["start"], p["error-start"]], layout=wrap),
                widgets.HBox(buttons, layout=wrap),
                p["error-export"],
                p["download"],
                widgets.HBox(
                    [p["load"], p["error-load"]],
                    layout=fixed_layout(flex_flow="row wrap", align_items="center"),
                ),
            ],
            layout=fixed_layout(),
        ),
    )


def exports(weeks: int) -> dict[str, str]:
    """File format -> button text."""
    return {
        "html": "Handout (HTML, print-ready)",
        "pdf": "Handout (PDF)",
        "markdown": "Text (Markdown)",
        "ics": f"Calendar ({weeks} weeks, .ics)",
        "json": "Save answers (JSON)",
    }


def routine_area(p: dict[str, widgets.Widget], part: Part, weeks: int) -> widgets.HBox:
    """The advice box, the summary, the cards' box, the swaps with their undo buttons (the
    row returned), and the charts section (time, muscles, the plan)."""
    part("advice", widgets.HTML("", layout=widgets.Layout(display="none")))
    part("summary", static_html(""))
    part("routine", widgets.VBox([], layout=fixed_layout()))
    part("swaps", static_html(""))
    auto = fixed_layout(width="auto")
    part("undo", widgets.Button(description="Undo last swap", icon="undo", layout=auto))
    part("undo_all", widgets.Button(description="Undo all swaps", layout=auto))
    for name in ("time_chart", "coverage_chart", "plan_chart", "plan"):
        part(name, static_html(""))
    plan = widgets.VBox([p["plan_chart"], p["plan"]], layout=fixed_layout())
    panels = [p["time_chart"], p["coverage_chart"], plan]
    part(
        "charts",
        widgets.Accordion(
            children=panels,
            titles=("Where the time goes", "Muscles covered", f"The next {weeks} weeks"),
            selected_index=None,
        ),
    )
    return widgets.HBox(
        [p["swaps"], p["undo"], p["undo_all"]],
        layout=widgets.Layout(display="none", align_items="center"),
    )
