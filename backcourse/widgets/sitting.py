"""The sitting planner: a day at a desk drawn as a bar, then the same day with breaks.

The learner types when their sitting day starts and ends, how often to get up and for how
long; ``backcourse.sitting.plan_breaks`` does the sums. Defaults, limits and the suggested
moves come from ``course_data/facts.yaml`` (``guidance/sitting_breaks``). A value that
cannot be used is explained beside its field; the drawing keeps the last good plan.

Parts (``top.parts``)
---------------------
``start``, ``end``        Text: times of day such as "09:00" (applied on Enter or leaving)
``every``, ``length``     IntText: minutes between breaks, minutes per break
``start_error``, ``end_error``, ``every_error``, ``length_error``   HTML beside each field
``timeline``   HTML: the day without breaks and with them, as two bars
``summary``    HTML: the plan in a sentence or two
``plan``       HTML: each break's time and its suggested move, then how to do each move
``error``      HTML: any other problem

Attribute: ``top.plan`` (the last good ``BreakPlan``).

CSS classes
-----------
``bc-sitting`` (top) · ``bc-sitting-start`` · ``bc-sitting-end`` · ``bc-sitting-every``
· ``bc-sitting-length`` · ``bc-sitting-error`` (every message area; each also has
``bc-sitting-<field>-error``) · ``bc-sitting-timeline`` · ``bc-sitting-summary``
· ``bc-sitting-plan``
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..errors import ProfileError
from ..model import Course
from ..sitting import BreakPlan, clock, duration, plan_breaks, sitting_rules
from .common import (
    App,
    add_classes,
    clear_error,
    error_area,
    get_course,
    report_error,
    show_error,
)

SIT = "#0072B2"  # Okabe-Ito blue
MOVE = "#009E73"  # Okabe-Ito bluish green
FIELDS = ("start", "end", "every", "length")


def _esc(text: object) -> str:
    return html.escape(str(text))


def _bar(plan: BreakPlan, with_breaks: bool) -> str:
    """One day as a bar of coloured segments, widths in proportion to minutes."""
    segments = []
    spells = plan.spells if with_breaks else ()
    if not with_breaks:
        segments.append(_segment(plan.span, plan.span, SIT, f"sitting {duration(plan.span)}"))
    for s in spells:
        colour = SIT if s.kind == "sit" else MOVE
        what = "sitting" if s.kind == "sit" else f"break: {s.move.name if s.move else 'move'}"
        segments.append(
            _segment(s.minutes, plan.span, colour, f"{clock(s.start)}-{clock(s.end)} {what}")
        )
    return (
        '<div style="display:flex;height:26px;border:1px solid #5F5F5F;border-radius:3px;'
        f'overflow:hidden;width:100%">{"".join(segments)}</div>'
    )


def _segment(minutes: int, span: int, colour: str, title: str) -> str:
    width = 100 * minutes / span
    return (
        f'<div title="{_esc(title)}" style="flex:0 0 {width:.3f}%;background:{colour};'
        'border-right:1px solid rgba(255,255,255,0.6)"></div>'
    )


def _ticks(plan: BreakPlan) -> str:
    """Hour labels under the bars."""
    step = 60 if plan.span <= 10 * 60 else 120
    first = -(-plan.start // step) * step
    labels = []
    t = first
    while t <= plan.end:
        left = 100 * (t - plan.start) / plan.span
        labels.append(
            f'<span style="position:absolute;left:{left:.2f}%;transform:translateX(-50%);'
            f'font-size:0.8em">{clock(t)}</span>'
        )
        t += step
    return f'<div style="position:relative;height:1.3em;margin:0 1.2em">{"".join(labels)}</div>'


def timeline_html(plan: BreakPlan) -> str:
    """The day without breaks and with them, with a legend."""
    longest = duration(plan.longest_sit)
    legend = (
        f'<span style="display:inline-block;width:1em;height:1em;background:{SIT};'
        'vertical-align:middle"></span> sitting &nbsp; '
        f'<span style="display:inline-block;width:1em;height:1em;background:{MOVE};'
        'vertical-align:middle"></span> up and moving'
    )
    return (
        '<div role="img" aria-label="'
        + _esc(
            f"Your sitting day from {clock(plan.start)} to {clock(plan.end)}: without breaks, "
            f"{duration(plan.span)} in one go; with {len(plan.breaks)} breaks, at most "
            f"{longest} at a time."
        )
        + '" style="margin:0.4em 0;line-height:1.4">'
        f"<div><strong>Without breaks</strong>: {duration(plan.span)} in one go</div>"
        f'<div style="margin:0 1.2em">{_bar(plan, with_breaks=False)}</div>'
        f'<div style="margin-top:0.6em"><strong>With your breaks</strong>: at most {longest} '
        "at a time</div>"
        f'<div style="margin:0 1.2em">{_bar(plan, with_breaks=True)}</div>'
        f"{_ticks(plan)}<div>{legend}</div></div>"
    )


def plan_html(plan: BreakPlan, course: Course) -> str:
    """Each break with its time and move, then a short how-to for each move used."""
    if not plan.breaks:
        return "<p>No breaks needed at this setting. Stand up and stretch when you finish.</p>"
    rows = "".join(
        f"<li><strong>{clock(b.start)}</strong> &ndash; {_esc(b.move.name if b.move else '')}"
        f" ({duration(b.minutes)})</li>"
        for b in plan.breaks
    )
    used = []
    for b in plan.breaks:
        if b.move is not None and b.move not in used:
            used.append(b.move)
    g = course.guidelines
    how = "".join(
        f"<li><strong>{_esc(m.name)}</strong> ({_esc(g.label('positions', m.position))}): "
        f"{_esc(m.summary)}</li>"
        for m in used
    )
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:1.5em;line-height:1.4">'
        f'<div style="flex:1 1 30em"><h4 style="margin:0.3em 0">Your breaks</h4>'
        f'<ol style="column-width:17em;column-gap:2.5em;margin:0">{rows}</ol></div>'
        f'<div style="flex:1 1 22em"><h4 style="margin:0.3em 0">The moves</h4>'
        f"<ul style='margin:0'>{how}</ul>"
        "<p>Full steps for each move are in the exercise browser (03_exercise_technique)."
        "</p></div></div>"
    )


def build_sitting_planner(
    course: Course | None = None, start: str = "09:00", end: str = "17:00"
) -> App:
    """Draw a sitting day and a plan of short breaks.

    Parameters
    ----------
    course
        The loaded course; the bundled one when omitted.
    start, end
        The sitting day shown first.
    """
    course = get_course(course)
    rules = sitting_rules(course)
    lo_e, hi_e = rules.every_range
    lo_l, hi_l = rules.length_range
    inputs = {
        "start": widgets.Text(
            value=start,
            description="I sit from",
            continuous_update=False,
            placeholder="e.g. 09:00",
            layout=widgets.Layout(width="14em"),
        ),
        "end": widgets.Text(
            value=end,
            description="until",
            continuous_update=False,
            placeholder="e.g. 17:30",
            layout=widgets.Layout(width="14em"),
        ),
        "every": widgets.IntText(
            value=rules.every,
            description="Get up every",
            layout=widgets.Layout(width="14em"),
            tooltip=f"minutes of sitting between breaks ({lo_e} to {hi_e})",
        ),
        "length": widgets.IntText(
            value=rules.length,
            description="for",
            layout=widgets.Layout(width="14em"),
            tooltip=f"minutes each break lasts ({lo_l} to {hi_l})",
        ),
    }
    units = {
        "start": "",
        "end": "",
        "every": f"minutes ({lo_e}-{hi_e})",
        "length": f"minutes ({lo_l}-{hi_l})",
    }
    errors = {}
    rows = []
    for name, w in inputs.items():
        w.style.description_width = "7em"
        add_classes(w, f"bc-sitting-{name}")
        errors[name] = add_classes(error_area("sitting"), f"bc-sitting-{name}-error")
        rows.append(
            widgets.HBox(
                [w, widgets.HTML(f"&nbsp;{_esc(units[name])}&nbsp;"), errors[name]],
                layout=widgets.Layout(align_items="center"),
            )
        )
    timeline = add_classes(widgets.HTML(""), "bc-sitting-timeline")
    summary = add_classes(widgets.HTML(""), "bc-sitting-summary")
    plan_box = add_classes(widgets.HTML(""), "bc-sitting-plan")
    error = error_area("sitting")
    top = App(
        "sitting",
        "Sitting planner",
        [*rows, error, timeline, summary, plan_box],
    )
    top.plan = None

    def update(_change=None) -> None:
        for area in (*errors.values(), error):
            clear_error(area)
        try:
            plan = plan_breaks(
                inputs["start"].value,
                inputs["end"].value,
                inputs["every"].value,
                inputs["length"].value,
                course,
            )
        except ProfileError as exc:
            area = errors.get(exc.field, error)
            show_error(area, exc.problem if exc.field in errors else exc)
            return
        except Exception as exc:  # any other failure: a message, never a traceback
            report_error(error, exc)
            return
        top.plan = plan
        timeline.value = timeline_html(plan)
        summary.value = f'<p style="font-size:1.05em;line-height:1.4">{_esc(plan.summary())}</p>'
        plan_box.value = plan_html(plan, course)

    for w in inputs.values():
        w.observe(update, names="value")
    top.parts.update(inputs)
    top.parts.update({f"{k}_error": v for k, v in errors.items()})
    top.parts.update(timeline=timeline, summary=summary, plan=plan_box, error=error)
    update()
    return top
