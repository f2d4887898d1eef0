"""The lesson boxes: the safety line, where data is kept, fact cards, the core groups, the
activities to choose now or later, and the duration bands of the sources. Each returns a
:class:`Block` (HTML from ``render/templates/lesson/`` and a plain-text twin)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .. import palette
from ..errors import CourseDataError
from ..model import Course
from ..render import render
from .blocks import Block, course_or_bundled
from .cite import cite, cite_items, source

# The source article that sorts the core into major and minor muscles (muscles.yaml core_role).
CORE_LIST_SOURCE = ("art_core_2016",)


def safety_line(course: Course | None = None) -> Block:
    """The safety box each lesson shows near its top: stop, and get advice, if pain gets worse.

    Its sources appear under their short labels ("NHS inform"), linked to the lesson's
    reference list.
    """
    course = course_or_bundled(course)
    stop = course.fact("guidance", "stop_rule")
    urgent = course.red_flag_tiers["emergency"]["title"]
    text = (
        f"Safety: {stop.title}. {stop.text} Any red-flag sign (see lesson 00, Start here) "
        f"comes first: {urgent.lower()}. Sources: {cite(course, stop.sources)}."
    )
    html_text = render(
        "lesson/safety.html",
        stop=stop,
        urgent=urgent.lower(),
        cites=cite_items(course, stop.sources),
    )
    return Block(html_text, text)


def data_location() -> Block:
    """Where the learner's own progress log is kept on this machine."""
    try:
        from ..progress import default_log_path

        path = str(default_log_path())
    except (ImportError, AttributeError):  # pragma: no cover - progress is part of the package
        path = str(Path("~/.backcourse"))
    home = str(Path.home())
    if path.startswith(home + os.sep):
        path = "~" + path[len(home) :]
    text = (
        f"Your progress log is kept in this file on this computer: {path}. It never leaves "
        "the machine: the course sends nothing anywhere."
    )
    return Block(render("lesson/data_location.html", path=path), text)


def facts(course: Course | None, section: str, ids: Iterable[str] | None = None) -> Block:
    """Fact cards from one section of facts.yaml (all of them, or the ids given, in order)."""
    course = course_or_bundled(course)
    if section not in course.facts:
        raise CourseDataError("facts.yaml", None, section, "no such section")
    chosen = list(course.facts[section])
    if ids is not None:
        chosen = [course.fact(section, i) for i in list(ids)]
    cards = [(f.title, f.text, cite_items(course, f.sources)) for f in chosen]
    lines = [f"* {f.title}: {f.text} [{cite(course, f.sources)}]" for f in chosen]
    return Block(render("lesson/facts.html", cards=cards), "\n".join(lines))


# The three columns of the core table, headed in the lesson's words.
CORE_HEADS = {
    "major": "Major core muscles",
    "minor": "Minor core muscles",
    "none": "Not on the core list, but they matter to the back",
}


def core_table(course: Course | None = None) -> Block:
    """The muscles of the course sorted into the major and minor core groups (art_core_2016)."""
    course = course_or_bundled(course)
    groups: dict[str, list] = {"major": [], "minor": [], "none": []}
    for m in course.muscles.values():
        groups.setdefault(m.core_role, []).append(m)
    columns, lines = [], []
    for role, head in CORE_HEADS.items():
        columns.append((head, [(m.name.split(" (")[0], m.plain_name) for m in groups[role]]))
        lines.append(f"{head}: " + ", ".join(m.name for m in groups[role]))
    html_text = render(
        "lesson/core.html", columns=columns, cites=cite_items(course, CORE_LIST_SOURCE)
    )
    return Block(html_text, "\n".join(lines))


ACTIVITY_HEADS = {
    "low": ("Low impact: good choices now", palette.GOOD),
    "high": ("High impact: wait until the pain has eased a lot", palette.WARN),
}


def activities(course: Course | None = None) -> Block:
    """Low-impact activities to choose now, and high-impact ones to leave for later."""
    course = course_or_bundled(course)
    every = course.facts.get("activities", ())
    columns, lines = [], []
    for impact, (head, colour) in ACTIVITY_HEADS.items():
        items = [f for f in every if f.data.get("impact") == impact]
        columns.append((head, colour, items))
        lines.append(f"{head}: " + ", ".join(f.title for f in items))
    sources = sorted({s for f in every for s in f.sources})
    html_text = render("lesson/activities.html", columns=columns, cites=cite_items(course, sources))
    return Block(html_text, "\n".join(lines))


# Band colours (Okabe-Ito): the first band, the middle ones, the last; text that reads on each.
BAND_COLOURS = (
    palette.OKABE_ITO["orange"],
    palette.OKABE_ITO["sky_blue"],
    palette.OKABE_ITO["blue"],
)


def _bands(course: Course) -> list[tuple[str, str, list[int], list[str]]]:
    fact = course.fact("definitions", "duration_bands")
    rows: list[tuple[str, str, list[int], list[str]]] = []
    for n, band in enumerate(fact.data.get("bands", ())):
        try:
            cuts, names = [int(c) for c in band["cuts"]], [str(x) for x in band["names"]]
            label, sid = str(band["label"]), str(band["source"])
        except (KeyError, TypeError, ValueError):
            raise CourseDataError(
                "facts.yaml",
                "definitions/duration_bands",
                f"bands[{n + 1}]",
                "expected label, source, cuts (weeks) and names",
            ) from None
        if len(names) != len(cuts) + 1 or cuts != sorted(cuts):
            raise CourseDataError(
                "facts.yaml",
                "definitions/duration_bands",
                f"bands[{n + 1}]",
                "expected one more name than cuts, and cuts in order",
            )
        rows.append((label, source(course, sid).label(), cuts, names))
    st = course.guidelines.stages
    rows.append(
        (
            "This course",
            "its own rule",
            [st["acute_weeks"], st["chronic_weeks"]],
            ["recent", "settling", "persistent"],  # the stage ids of guidelines.yaml
        )
    )
    return rows


def duration_bands(course: Course | None = None, weeks: int = 16) -> Block:
    """Where each source puts the line between recent and long-lasting pain, as bars.

    The sources' bands come from facts.yaml (``definitions/duration_bands``); the course's
    own row comes from guidelines.yaml (``stages``), so it always matches the planner.
    """
    course = course_or_bundled(course)
    first, middle, last = BAND_COLOURS
    rows, lines = [], []
    for label, src, cuts, names in _bands(course):
        edges = [0, *cuts, weeks]
        segments = []
        for i, name in enumerate(names):
            width = 100 * (min(edges[i + 1], weeks) - edges[i]) / weeks
            colour = first if i == 0 else last if i == len(names) - 1 else middle
            ink = palette.PAPER if colour == last else palette.OKABE_ITO["black"]
            segments.append((width, colour, ink, name))
        rows.append((label, src, segments))
        spans = [f"{names[0]} under {cuts[0]} weeks"]
        spans += [f"{names[i + 1]} {cuts[i]}-{cuts[i + 1]} weeks" for i in range(len(cuts) - 1)]
        spans.append(f"{names[-1]} from {cuts[-1]} weeks")
        lines.append(f"{label} ({src}): " + "; ".join(spans))
    ticks = [(100 * w / weeks, w) for w in range(0, weeks + 1, 2)]
    html_text = render("lesson/duration_bands.html", label="; ".join(lines), rows=rows, ticks=ticks)
    lines.append("NICE NG59: no time bands; it looks at how likely the pain is to last.")
    return Block(html_text, "\n".join(lines))
