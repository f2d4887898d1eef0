"""The quiz answer keys for the trainer's notebook: every answer, and why, lesson by lesson."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Course
from ..render import render
from .roster import course_or_bundled


def answer_key_html(course: Course | None = None, lessons: Iterable[str] | None = None) -> str:
    """Every quiz's answer and why, lesson by lesson, as HTML for the trainer's notebook.

    Each lesson folds away (a details element), so answers on a projector stay hidden until the
    trainer opens them. Each question shows its correct choice with the feedback that
    explains it, then each wrong choice with the feedback that says why it is wrong.
    """
    course = course_or_bundled(course)
    wanted = None if lessons is None else set(lessons)
    titles = {
        str(f.data.get("notebook", "")).removesuffix(".ipynb"): f.title
        for f in course.facts.get("course_map", ())
    }
    order: dict[str, list] = {}
    for q in course.quizzes:
        if wanted is None or q.lesson in wanted:
            labels = "; ".join(course.sources[s].label() for s in q.sources if s in course.sources)
            order.setdefault(q.lesson, []).append((q, labels))
    lessons_shown = [
        (f"{titles[lesson]} ({lesson})" if lesson in titles else lesson, quizzes)
        for lesson, quizzes in order.items()
    ]
    return render("trainer/answer_key.html", lessons=lessons_shown)
