"""The red-flag check: answer yes or no to each warning sign before building a routine.

The questions, tiers and advice come from ``course_data/red_flags.yaml``; the decision is
``backcourse.screen()``. The widget only collects answers and shows the result:

* any emergency "yes" shows, at once and at the top of the result, what to do now;
* any see-a-doctor "yes" says to get advice first;
* a "yes" only in the third tier (keep gently active, see a GP or physiotherapist if it
  does not get better, e.g. pain into one leg) says a gentle routine is fine, with that
  advice; ``top.gentle`` is then True;
* only when every question is answered does it say the learner can go on. Until then
  ``top.clear`` stays False (the routine builder calls ``screen()`` again itself).

Parts (``top.parts``)
---------------------
``q_{flag id}``  ToggleButtons "Yes"/"No" (None until answered), one per red flag
``none_apply``   Button: answer "No" to every question not answered yet
``reset``        Button: clear every answer
``status``       HTML: how many questions are left, or that the check is clear
``result``       HTML: what to do (empty until there is something to say)
``urgent``       HTML: the emergency advice again, right under the emergency questions
``error``        HTML: a message if screening fails

Attributes: ``top.clear`` (bool trait: every answer given and no stopping sign),
``top.gentle`` (True when a third-tier sign allows only a gentle routine), ``top.result``
(the last ``ScreenResult`` or None), ``top.answers()`` (flag id -> bool, answered only).

CSS classes
-----------
``bc-redflags`` (top) · ``bc-redflags-tier`` and ``bc-redflags-tier-{tier}`` (each tier's box)
· ``bc-redflags-question`` (one row) · ``bc-redflags-q-{flag id}`` (that row)
· ``bc-redflags-answer`` (each Yes/No toggle) · ``bc-redflags-none`` · ``bc-redflags-reset``
· ``bc-redflags-status`` · ``bc-redflags-result`` · ``bc-redflags-urgent``
· ``bc-redflags-error``
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import palette
from ..model import Course, RedFlag
from ..render import render
from .common import ERROR_COLOUR, StateApp, add_classes, error_area, get_course, guarded

YES, NO = "Yes", "No"
TIER_COLOURS = {
    "emergency": palette.ALERT,
    "see_doctor": palette.WARN,
    "if_not_better": palette.KEEP_ACTIVE,
}


def _question_row(flag: RedFlag) -> tuple[widgets.Widget, widgets.ToggleButtons]:
    toggle = widgets.ToggleButtons(
        options=[YES, NO],
        value=None,
        tooltips=[f"Yes: {flag.label}", f"No: {flag.label}"],
        style={"button_width": "4.5em"},
        layout=widgets.Layout(flex="0 0 auto"),
    )
    add_classes(toggle, "bc-redflags-answer")
    label = widgets.HTML(
        render("widgets/redflags_question.html", flag=flag),
        layout=widgets.Layout(flex="1 1 auto", width="auto"),
    )
    row = widgets.HBox(
        [label, toggle],
        layout=widgets.Layout(
            align_items="center",
            justify_content="space-between",
            padding="4px 0",
            border_bottom=f"1px solid {palette.LAB_BORDER}",
        ),
    )
    add_classes(row, "bc-redflags-question", f"bc-redflags-q-{flag.id}")
    return row, toggle


def _result_html(result, course: Course) -> str:
    """What to do, most urgent first. Plain words from red_flags.yaml."""
    return render("widgets/redflags_result.html", result=result, tiers=course.red_flag_tiers)


def build_red_flag_check(course: Course | None = None) -> StateApp:
    """The red-flag check, three tiers of yes/no questions, answered before any routine.

    Parameters
    ----------
    course
        The loaded course; the bundled one when omitted.

    Returns
    -------
    StateApp
        A VBox with ``.parts``, ``.clear`` and ``.result`` (see the module docstring).
    """
    from ..safety import screen

    course = get_course(course)
    toggles: dict[str, widgets.ToggleButtons] = {}
    tier_boxes = []
    # Right under the emergency questions, so an emergency answer is seen where it is given.
    urgent = add_classes(widgets.HTML(""), "bc-redflags-urgent")
    for tier in ("emergency", "see_doctor", "if_not_better"):
        info = course.red_flag_tiers[tier]
        rows = []
        for flag in course.red_flags.values():
            if flag.tier != tier:
                continue
            row, toggle = _question_row(flag)
            toggles[flag.id] = toggle
            rows.append(row)
        colour = TIER_COLOURS[tier]
        heading = widgets.HTML(
            render(
                "widgets/redflags_heading.html",
                tier=tier,
                title=info["title"],
                colour=colour,
                n=len(rows),
            )
        )
        extra = []
        if tier == "emergency":
            extra = [urgent]
        box = widgets.VBox(
            [heading, *rows, *extra],
            layout=widgets.Layout(border=f"2px solid {colour}", padding="6px 12px", margin="6px 0"),
        )
        tier_boxes.append(add_classes(box, "bc-redflags-tier", f"bc-redflags-tier-{tier}"))

    intro = widgets.HTML(render("widgets/redflags_intro.html"))
    none_apply = add_classes(
        widgets.Button(
            description="Answer No to the rest",
            tooltip="Answer No to every question you have not answered yet",
            layout=widgets.Layout(width="auto"),
        ),
        "bc-redflags-none",
    )
    reset = add_classes(
        widgets.Button(description="Start again", layout=widgets.Layout(width="auto")),
        "bc-redflags-reset",
    )
    status = add_classes(widgets.HTML(""), "bc-redflags-status")
    result_html = add_classes(widgets.HTML(""), "bc-redflags-result")
    error = error_area("redflags")

    top = StateApp(
        "redflags",
        "Red-flag check",
        [intro, *tier_boxes, widgets.HBox([none_apply, reset]), status, result_html, error],
    )
    top.result = None
    top.gentle = False

    def answers() -> dict[str, bool]:
        return {fid: t.value == YES for fid, t in toggles.items() if t.value is not None}

    top.answers = answers

    @guarded(error)
    def update(_change=None) -> None:
        given = answers()
        result = screen(given, course)
        left = len(toggles) - len(given)
        done = left == 0
        top.result = result if (done or result.stops) else None
        top.clear = bool(done and not result.stops)
        top.gentle = bool(done and result.gentle_only)
        result_html.value = _result_html(result, course) if (done or result.stops) else ""
        urgent.value = result_html.value if result.urgent else ""
        state = (
            "gentle"
            if top.gentle
            else "clear"
            if top.clear
            else "closed"
            if result.stops
            else "open"
        )
        status.value = render(
            "widgets/redflags_status.html",
            state=state,
            total=len(toggles),
            given=len(given),
            alert_colour=ERROR_COLOUR,
        )

    for toggle in toggles.values():
        toggle.observe(update, names="value")

    def no_to_rest(_button=None) -> None:
        for t in toggles.values():
            if t.value is None:
                t.value = NO

    def start_again(_button=None) -> None:
        for t in toggles.values():
            t.value = None
        update()

    none_apply.on_click(no_to_rest)
    reset.on_click(start_again)

    top.parts.update({f"q_{fid}": t for fid, t in toggles.items()})
    top.parts.update(
        none_apply=none_apply,
        reset=reset,
        status=status,
        result=result_html,
        urgent=urgent,
        error=error,
    )
    update()
    return top
