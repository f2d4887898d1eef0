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
``bc-sitting-{field}-error``) · ``bc-sitting-timeline`` · ``bc-sitting-summary``
· ``bc-sitting-plan``
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import palette
from ..errors import ProfileError
from ..model import Course
from ..render import render
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

SIT = palette.OKABE_ITO["blue"]
MOVE = palette.OKABE_ITO["bluish_green"]
FIELDS = ("start", "end", "every", "length")


def _segments(plan: BreakPlan, with_breaks: bool) -> list[tuple[float, str, str]]:
    """One day as coloured segments: (width in % of the day, colour, what it is)."""
    if not with_breaks:
        return [(100.0, SIT, f"sitting {duration(plan.span)}")]
    out = []
    for s in plan.spells:
        colour = SIT if s.kind == "sit" else MOVE
        what = "sitting" if s.kind == "sit" else f"break: {s.move.name if s.move else 'move'}"
        out.append((100 * s.minutes / plan.span, colour, f"{clock(s.start)}-{clock(s.end)} {what}"))
    return out


def _ticks(plan: BreakPlan) -> list[tuple[float, str]]:
    """Hour labels under the bars: (left in % of the day, time)."""
    step = 60 if plan.span <= 10 * 60 else 120
    t = -(-plan.start // step) * step
    labels = []
    while t <= plan.end:
        labels.append((100 * (t - plan.start) / plan.span, clock(t)))
        t += step
    return labels


def timeline_html(plan: BreakPlan) -> str:
    """The day without breaks and with them, with a legend."""
    longest = duration(plan.longest_sit)
    label = (
        f"Your sitting day from {clock(plan.start)} to {clock(plan.end)}: without breaks, "
        f"{duration(plan.span)} in one go; with {len(plan.breaks)} breaks, at most "
        f"{longest} at a time."
    )
    return render(
        "widgets/sitting_timeline.html",
        label=label,
        span=duration(plan.span),
        longest=longest,
        plain=_segments(plan, with_breaks=False),
        broken=_segments(plan, with_breaks=True),
        ticks=_ticks(plan),
        sit=SIT,
        move=MOVE,
    )


def plan_html(plan: BreakPlan, course: Course) -> str:
    """Each break with its time and move, then a short how-to for each move used."""
    breaks = [
        (clock(b.start), b.move.name if b.move else "", duration(b.minutes)) for b in plan.breaks
    ]
    used = []
    for b in plan.breaks:
        if b.move is not None and b.move not in used:
            used.append(b.move)
    g = course.guidelines
    moves = [(m.name, g.label("positions", m.position), m.summary) for m in used]
    return render("widgets/sitting_plan.html", breaks=breaks, moves=moves)


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
                [
                    w,
                    widgets.HTML(render("widgets/sitting_unit.html", unit=units[name])),
                    errors[name],
                ],
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
        summary.value = render("widgets/sitting_summary.html", summary=plan.summary())
        plan_box.value = plan_html(plan, course)

    for w in inputs.values():
        w.observe(update, names="value")
    top.parts.update(inputs)
    top.parts.update({f"{k}_error": v for k, v in errors.items()})
    top.parts.update(timeline=timeline, summary=summary, plan=plan_box, error=error)
    update()
    return top
