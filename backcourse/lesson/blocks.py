"""The objects a lesson cell displays: a :class:`Block` of HTML with a text twin, and a
:class:`Picture` (a figure's PNG with its alt text), plus the one-line picture helpers."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from ..errors import BackcourseError
from ..model import Course, Routine


def course_or_bundled(course: Course | None) -> Course:
    """The course given, or the bundled one (loaded lazily: ``import backcourse`` stays light)."""
    if course is not None:
        return course
    from ..catalog import load_course

    return load_course()


class Block:
    """A piece of lesson HTML with a plain-text twin.

    Jupyter shows the HTML; a text-only viewer (and nbval, which compares outputs) sees the
    text, which carries the same words.
    """

    def __init__(self, html_text: str, text: str) -> None:
        self.html = html_text
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


# Largest size a lesson picture is shown at, in CSS pixels, so a tall figure (a person
# standing) does not fill the whole screen.
MAX_SHOWN_HEIGHT = 460
MAX_SHOWN_WIDTH = 900


class Picture:
    """A figure rendered to PNG, shown with its alt text as the text alternative."""

    def __init__(self, png: bytes, alt: str, size: tuple[int, int] | None = None) -> None:
        self.png = png
        self.alt = alt
        self.size = size  # (width, height) in pixels, when known

    def shown_width(self) -> int | None:
        """Width to show the picture at, so it fits the maximum height and width."""
        if not self.size:
            return None
        w, h = self.size
        scale = min(1.0, MAX_SHOWN_HEIGHT / h, MAX_SHOWN_WIDTH / w)
        return round(w * scale)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        meta: dict[str, Any] = {"alt": self.alt}
        width = self.shown_width()
        if width:
            meta["width"] = width
        return data, {"image/png": meta}

    def __repr__(self) -> str:
        return self.alt


def show(fig: Any) -> Picture:
    """Show a backcourse figure in a notebook: its PNG, with its alt text as the text twin.

    Works the same whatever matplotlib backend the kernel uses.
    """
    from ..figures import style

    png = style.to_png(fig)
    w, h = fig.get_size_inches() * fig.dpi
    return Picture(png, str(getattr(fig, "alt_text", "")), (round(w), round(h)))


def _exercise(course: Course, exercise_id: str):
    ex = course.exercises.get(exercise_id)
    if ex is None:
        raise BackcourseError(f"No exercise called {exercise_id!r} in this course")
    return ex


def exercise_picture(course: Course | None, exercise_id: str) -> Picture:
    """An exercise's illustration: start and end positions, target muscles highlighted."""
    course = course_or_bundled(course)
    ex = _exercise(course, exercise_id)
    from ..illustrate import exercise_pictures as poses

    return show(poses.exercise_figure(ex, course))


def movement_picture(course: Course | None, exercise_id: str, steps: int = 5) -> Picture:
    """An exercise as a strip of moments from start to end (how it moves)."""
    course = course_or_bundled(course)
    ex = _exercise(course, exercise_id)
    from ..illustrate import exercise_pictures as poses

    return show(poses.sequence_figure(ex, course, steps=steps))


def muscle_picture(course: Course | None, highlight: str | Sequence[str] | None = None) -> Picture:
    """The muscle schematic with one muscle (or several) highlighted."""
    course = course_or_bundled(course)
    from ..illustrate import anatomy_figures as anatomy

    return show(anatomy.muscle_figure(course, highlight=highlight))


def spine_picture(
    highlight: str | Sequence[str] | None = None, course: Course | None = None
) -> Picture:
    """The lumbar spine from the side, with parts highlighted (e.g. ``"vertebrae"``, ``"L4"``).

    With ``course`` given, any of its muscles can be highlighted too.
    """
    from ..illustrate import anatomy_figures as anatomy

    return show(anatomy.spine_figure(highlight=highlight, course=course))


def prevalence_picture(course: Course | None = None) -> Picture:
    """The prevalence figures of the sources as a chart."""
    course = course_or_bundled(course)
    from ..figures import charts

    return show(charts.prevalence_chart(course))


def time_budget_picture(routine: Routine) -> Picture:
    """A session as a timeline: each exercise a bar, coloured by part, against the time."""
    from ..figures import charts

    return show(charts.time_budget_chart(routine))


def coverage_picture(routine: Routine) -> Picture:
    """How much each muscle is worked in a session: full bar main target, half a helper."""
    from ..figures import charts

    return show(charts.coverage_chart(routine))


def plan_picture(routine: Routine, weeks: int | None = None) -> Picture:
    """A routine's plan for the weeks ahead (the course's plan_weeks unless given): session
    length and each exercise's dose."""
    from ..figures import charts

    return show(charts.plan_chart(routine.plan(weeks)))
