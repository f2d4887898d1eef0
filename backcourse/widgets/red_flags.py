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
``q_<flag id>``  ToggleButtons "Yes"/"No" (None until answered), one per red flag
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
``bc-redflags`` (top) · ``bc-redflags-tier`` and ``bc-redflags-tier-<tier>`` (each tier's box)
· ``bc-redflags-question`` (one row) · ``bc-redflags-q-<flag id>`` (that row)
· ``bc-redflags-answer`` (each Yes/No toggle) · ``bc-redflags-none`` · ``bc-redflags-reset``
· ``bc-redflags-status`` · ``bc-redflags-result`` · ``bc-redflags-urgent``
· ``bc-redflags-error``
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..model import Course, RedFlag
from .common import ERROR_COLOUR, StateApp, add_classes, error_area, get_course, guarded

YES, NO = "Yes", "No"
ALERT = "#B00020"
WARN = "#8A5300"
GOOD = "#006B4F"
CALM = "#0B5394"
TIER_COLOURS = {"emergency": ALERT, "see_doctor": WARN, "if_not_better": CALM}


def _esc(text: object) -> str:
    return html.escape(str(text))


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
        f"<div style='line-height:1.35'><strong>{_esc(flag.label)}</strong><br>"
        f"{_esc(flag.question)}</div>",
        layout=widgets.Layout(flex="1 1 auto", width="auto"),
    )
    row = widgets.HBox(
        [label, toggle],
        layout=widgets.Layout(
            align_items="center",
            justify_content="space-between",
            padding="4px 0",
            border_bottom="1px solid var(--jp-border-color2, #D9D9D9)",
        ),
    )
    add_classes(row, "bc-redflags-question", f"bc-redflags-q-{flag.id}")
    return row, toggle


def _result_html(result, course: Course) -> str:
    """What to do, most urgent first. Plain words from red_flags.yaml."""
    tiers = course.red_flag_tiers
    if result.urgent:
        info = tiers["emergency"]
        items = "".join(
            f"<li><strong>{_esc(f.label)}</strong>: {_esc(f.action)}</li>" for f in result.urgent
        )
        more = ""
        if result.see_doctor:
            labels = ", ".join(_esc(f.label) for f in result.see_doctor)
            more = f"<p>You also answered yes to: {labels}. Mention these too.</p>"
        return (
            f'<div role="alert" style="border:3px solid {ALERT};border-radius:6px;'
            f'padding:0.7em 1em;background:#FDECEE;color:#3A0008;line-height:1.4">'
            f'<div style="font-size:1.35em;font-weight:700;color:{ALERT}">&#9888; '
            f"{_esc(info['title'])}</div><p style='font-size:1.1em'>{_esc(info['advice'])}</p>"
            f"<ul>{items}</ul>{more}<p><strong>Do not build a routine or start the exercises."
            "</strong></p></div>"
        )
    if result.see_doctor and not result.urgent:
        info = tiers["see_doctor"]
        items = "".join(
            f"<li><strong>{_esc(f.label)}</strong>: {_esc(f.action)}</li>"
            for f in result.see_doctor
        )
        return (
            f'<div role="alert" style="border:3px solid {WARN};border-radius:6px;'
            f'padding:0.7em 1em;background:#FFF4E0;color:#2E1C00;line-height:1.4">'
            f'<div style="font-size:1.25em;font-weight:700;color:{WARN}">{_esc(info["title"])}'
            f"</div><p>{_esc(info['advice'])}</p><ul>{items}</ul>"
            "<p><strong>Routine building stays closed until a professional says exercise is "
            "safe for you.</strong></p></div>"
        )
    if result.if_not_better:
        info = tiers["if_not_better"]
        items = "".join(
            f"<li><strong>{_esc(f.label)}</strong>: {_esc(f.action)}</li>"
            for f in result.if_not_better
        )
        return (
            f'<div role="status" style="border:3px solid {CALM};border-radius:6px;'
            f'padding:0.7em 1em;background:#EAF2FB;color:#061A2E;line-height:1.4">'
            f'<div style="font-size:1.2em;font-weight:700;color:{CALM}">{_esc(info["title"])}'
            f"</div><p>{_esc(info['advice'])}</p><ul>{items}</ul>"
            "<p><strong>You can go on to build a routine: it will keep to gentle work.</strong>"
            "</p></div>"
        )
    return (
        f'<div role="status" style="border:3px solid {GOOD};border-radius:6px;'
        f'padding:0.7em 1em;background:#E8F5EF;color:#00291E;line-height:1.4">'
        f'<div style="font-size:1.2em;font-weight:700;color:{GOOD}">&#10004; You can go on to '
        "build a routine.</div><p>You answered no to every warning sign. Ask these questions "
        "again whenever something changes, and stop if your pain gets clearly worse.</p></div>"
    )


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
        when = (
            f"If you answer yes: {_esc(info['title'])}"
            if tier == "if_not_better"
            else f"{_esc(info['title'])} if you answer yes"
        )
        heading = widgets.HTML(
            f'<div style="font-size:1.15em;font-weight:700;color:{colour}">{when}</div>'
            f"<div>{len(rows)} questions</div>"
        )
        extra = []
        if tier == "emergency":
            extra = [urgent]
        box = widgets.VBox(
            [heading, *rows, *extra],
            layout=widgets.Layout(border=f"2px solid {colour}", padding="6px 12px", margin="6px 0"),
        )
        tier_boxes.append(add_classes(box, "bc-redflags-tier", f"bc-redflags-tier-{tier}"))

    intro = widgets.HTML(
        "<div style='line-height:1.4'>Answer each question for how you are <em>now</em>. "
        "A yes does not mean something is wrong. In the first two groups it means a "
        "professional should check first; in the last group it means keep gently active and "
        "see a GP or physiotherapist if it does not get better.</div>"
    )
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
        if top.gentle:
            status.value = (
                f"<strong style='color:{CALM}'>All {len(toggles)} answered: you can build a "
                "gentle routine (see the advice below).</strong>"
            )
        elif top.clear:
            status.value = (
                f"<strong style='color:{GOOD}'>All {len(toggles)} answered: the check is clear."
                "</strong>"
            )
        elif result.stops:
            status.value = (
                f"<strong style='color:{ERROR_COLOUR}'>Routine building is closed: "
                "see the advice at the top.</strong>"
            )
        else:
            status.value = (
                f"{len(given)} of {len(toggles)} answered; {left} to go. Routine building "
                "opens when every question is answered and no sign in the first two groups "
                "is a yes."
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
