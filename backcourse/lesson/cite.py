"""Citations: a source's short label for readers, links to a lesson's reference list, and
the reference list itself (from sources.yaml). Readers never see a source id."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..errors import BackcourseError, CourseDataError
from ..model import Course, Source
from ..render import render
from .blocks import Block, course_or_bundled

# Where a citation links to: the "References" heading every lesson ends with (Jupyter gives
# a heading an anchor named after its text).
REFERENCES_ANCHOR = "#References"


def source(course: Course, sid: str) -> Source:
    """The source ``sid``; a course-data error naming it when sources.yaml lacks it."""
    try:
        return course.sources[sid]
    except KeyError:
        raise CourseDataError(
            "sources.yaml", sid, None, "is cited by a lesson but is not in sources.yaml"
        ) from None


def lesson_sources(course: Course, lesson: str) -> tuple[str, ...]:
    """Source ids behind a lesson, in sources.yaml order: its course-map entry, its quiz, and
    the safety box every lesson shows."""
    cited: set[str] = set(course.fact("guidance", "stop_rule").sources)
    for fact in course.facts.get("course_map", ()):
        if fact.data.get("notebook", "").removesuffix(".ipynb") == lesson:
            cited |= set(fact.sources)
    for quiz in course.quizzes_for(lesson):
        cited |= set(quiz.sources)
    return tuple(s for s in course.sources if s in cited)


def references(
    course: Course | None, lesson_or_ids: str | Iterable[str], extra: Iterable[str] = ()
) -> Block:
    """The reference list of a lesson, from sources.yaml, each work under its short label.

    Parameters
    ----------
    course
        The loaded course (None: the bundled one).
    lesson_or_ids
        A notebook stem such as ``"01_anatomy"`` (its course-map entry and quiz sources), or
        a list of source ids.
    extra
        More source ids the lesson's text cites.
    """
    course = course_or_bundled(course)
    if isinstance(lesson_or_ids, str):
        ids = list(lesson_sources(course, lesson_or_ids))
    else:
        ids = list(lesson_or_ids)
    ids += [s for s in extra if s not in ids]
    for sid in ids:
        source(course, sid)
    # Alphabetical by label, as a reader scanning for "NICE 2016" expects.
    ids = sorted(set(ids), key=lambda sid: course.sources[sid].label().casefold())
    if not ids:
        raise BackcourseError("references: no sources given")
    items = [course.sources[sid] for sid in ids]
    lines = [f"- {s.label()}: {s.citation()}" + (f" {s.url}" if s.url else "") for s in items]
    html_text = render("lesson/references.html", items=items)
    return Block(html_text, "References\n" + "\n".join(lines))


def cite(course: Course | None, sources: Iterable[str]) -> str:
    """Short labels for source ids, as a reader sees them: ``"NICE 2016; Klarity"``."""
    course = course_or_bundled(course)
    return "; ".join(source(course, s).label() for s in sources)


def cite_markdown(course: Course | None, sources: Iterable[str]) -> str:
    """A citation for Markdown prose: ``([NICE 2016](#References); [Klarity](#References))``."""
    course = course_or_bundled(course)
    labels = [source(course, s).label() for s in sources]
    return "(" + "; ".join(f"[{label}]({REFERENCES_ANCHOR})" for label in labels) + ")"


def cite_items(course: Course, sources: Sequence[str]) -> list[tuple[str, str, str]]:
    """(link, label, full citation) per source, for the ``sources`` macro of the templates."""
    return [
        (REFERENCES_ANCHOR, source(course, s).label(), source(course, s).citation())
        for s in sources
    ]
