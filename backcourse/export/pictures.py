"""Exercise pictures for handouts and the builder: PNG bytes and alt text, an inline img element,
and ``data:`` URIs, each made once per course, exercise and resolution (cached)."""

from __future__ import annotations

import base64
from functools import lru_cache

from ..illustrate.bundled import PICTURE_COLOURS, PICTURE_DPI
from ..model import Course, Exercise
from .templates import render_html

__all__ = ["HANDOUT_DPI", "CourseKey", "data_uri", "illustration", "picture_html"]

# Illustration resolution in handouts (about 190 dpi when printed) is the shipped pictures'
# own, so a handout uses them as they are.
HANDOUT_DPI = PICTURE_DPI


class CourseKey:
    """Hash a course by identity (its mappings are not hashable), for caches keyed by course;
    holding the course keeps its id unique while the key lives."""

    __slots__ = ("course",)

    def __init__(self, course: Course) -> None:
        self.course = course

    def __hash__(self) -> int:
        return id(self.course)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CourseKey) and other.course is self.course


@lru_cache(maxsize=512)
def _illustration(key: CourseKey, exercise: Exercise, dpi: int) -> tuple[bytes, str]:
    from ..illustrate import bundled

    shipped = bundled.picture(exercise, key.course, dpi)  # drawn at build time, if current
    if shipped is not None:
        return shipped
    # Only now matplotlib: a shipped picture needs none, so an app start need not load it.
    from ..figures import style
    from ..illustrate import exercise_pictures as poses

    fig = poses.exercise_figure(exercise, key.course)
    png = style.to_png(fig, dpi=dpi, colours=PICTURE_COLOURS)
    return png, str(getattr(fig, "alt_text", "") or exercise.name)


def illustration(exercise: Exercise, course: Course, dpi: int = HANDOUT_DPI) -> tuple[bytes, str]:
    """The exercise's start-and-end picture as PNG bytes, and its alt text (cached: the same
    course, exercise and dpi give the very same tuple)."""
    return _illustration(CourseKey(course), exercise, int(dpi))


def data_uri(data: bytes | str, mime: str) -> str:
    """``data:MIME;base64,...`` for bytes or text (text is UTF-8).

    >>> data_uri("hi", "text/plain")
    'data:text/plain;base64,aGk='
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


@lru_cache(maxsize=512)
def _picture_html(key: CourseKey, exercise: Exercise, dpi: int) -> str:
    png, alt = illustration(exercise, key.course, dpi)
    return render_html("picture.html", src=data_uri(png, "image/png"), alt=alt)


def picture_html(exercise: Exercise, course: Course, dpi: int = HANDOUT_DPI) -> str:
    """The exercise's illustration as an inline img element with its alt text (cached, so the
    builder can show it again and again without encoding the picture each time)."""
    return _picture_html(CourseKey(course), exercise, int(dpi))
