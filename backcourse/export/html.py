"""The handout as one self-contained HTML page, an exercise card, and notebook glances.

All of it comes from the templates in ``render/templates/handout/`` (autoescape on), so
learner and trainer text is escaped by construction; pictures are inline ``data:`` URIs.
"""

from __future__ import annotations

from markupsafe import Markup

from .. import palette
from ..lesson import Block
from ..model import PHASES, Course, Prescription, Routine
from .handout import Card, card_for, handout, phase_label
from .pictures import HANDOUT_DPI, picture_html
from .templates import render_html

__all__ = ["PHASE_CSS", "Glance", "glance", "item_html", "plan_glance", "to_html"]

PHASE_CSS: dict[str, str] = palette.PHASE_COLOURS  # a card's colour by phase (Okabe-Ito)
_DEFAULT_PHASE = palette.OKABE_ITO["blue"]


def item_html(
    item: Prescription,
    number: int,
    course: Course,
    *,
    dpi: int = HANDOUT_DPI,
    steps: bool = True,
    picture: bool = True,
) -> str:
    """One exercise as an HTML card: illustration, dose, why, muscles and (optionally) steps.

    Used by the handout and by the routine builder, so both look the same. ``steps=False``
    folds the steps into a details element; ``picture=False`` leaves the picture out (the
    builder shows it separately, so it is only sent again when the exercise changes).
    """
    return _card_html(card_for(item, number, course), course, dpi=dpi, steps=steps, picture=picture)


def _card_html(c: Card, course: Course, *, dpi: int, steps: bool, picture: bool = True) -> str:
    img = picture_html(c.item.exercise, course, dpi) if picture else ""
    return render_html(
        "card.html",
        c=c,
        colour=PHASE_CSS.get(c.phase, _DEFAULT_PHASE),
        picture=Markup(img),  # made by the picture template, escaped there
        steps=steps,
    )


def to_html(
    routine: Routine, *, name: object = "", weeks: int | None = None, dpi: int = HANDOUT_DPI
) -> str:
    """A self-contained, print-ready HTML page: illustrations inline, CSS for A4 and Letter."""
    h = handout(routine, name, weeks)
    course = routine.course
    sections = [  # (phase label, its cards' HTML) in the routine's phase order
        (
            phase_label(course, phase),
            [
                Markup(_card_html(c, course, dpi=dpi, steps=True))
                for c in h.cards
                if c.phase == phase
            ],
        )
        for phase in PHASES
        if any(c.phase == phase for c in h.cards)
    ]
    return render_html("page.html", h=h, sections=sections)


# A routine or plan at a glance, for a notebook: HTML for Jupyter, the same words as text
# for text-only viewers and nbval. It is the lessons' own display block.
Glance = Block


def glance(routine: Routine) -> Glance:
    """One row per exercise: phase, dose, minutes and why it was chosen, then the total."""
    course = routine.course
    rows, lines = [], []
    for n, p in enumerate(routine.items, 1):
        phase = phase_label(course, p.phase)
        rows.append((n, p.exercise.name, phase, p.dose_text(), f"{p.minutes:.1f}", p.reason))
        lines.append(
            f"{n}. {p.exercise.name} ({phase.lower()}): {p.dose_text()}, "
            f"about {p.minutes:.1f} min. {p.reason}"
        )
    total = (
        f"About {round(routine.minutes)} of {routine.profile.minutes_per_session} minutes, "
        f"{routine.profile.sessions_per_week} times a week."
    )
    notes = " ".join(routine.notes)
    html_text = render_html("glance.html", rows=rows, total=total, notes=notes)
    return Glance(html_text, "\n".join([*lines, total, notes]))


def plan_glance(routine: Routine, weeks: int | None = None) -> Glance:
    """The plan week by week: session minutes and what changes, then the step-back rule."""
    plan = routine.plan(weeks)
    rows = [(w.week, f"{round(w.minutes)} min", w.changes) for w in plan.weeks]
    lines = [f"Week {w.week} ({round(w.minutes)} min): " + " ".join(w.changes) for w in plan.weeks]
    html_text = render_html("plan_glance.html", weeks=rows, step_back=plan.step_back)
    return Glance(html_text, "\n".join([*lines, "Stepping back: " + plan.step_back]))
