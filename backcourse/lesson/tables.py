"""The lesson tables: the course map, myths and facts, prevalence, the progression numbers
and every red flag by tier. Each returns a :class:`Block` (HTML from
``render/templates/lesson/`` and a plain-text twin with the same words)."""

from __future__ import annotations

from .. import palette
from ..errors import CourseDataError
from ..model import Course, Fact
from ..render import render
from .blocks import Block, course_or_bundled
from .cite import cite, cite_items


def _map_entries(course: Course) -> tuple[Fact, ...]:
    entries = course.facts.get("course_map", ())
    if not entries:
        raise CourseDataError("facts.yaml", None, "course_map", "expected the course map section")
    for f in entries:
        minutes = f.data.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise CourseDataError(
                "facts.yaml", f"course_map/{f.id}", "minutes", "expected a whole number above 0"
            )
        if not str(f.data.get("notebook", "")).endswith(".ipynb"):
            raise CourseDataError(
                "facts.yaml", f"course_map/{f.id}", "notebook", "expected a notebook file name"
            )
    return entries


def course_map(course: Course | None = None, here: str | None = None) -> Block:
    """The course's notebooks in order, what each covers and roughly how long it takes.

    ``here`` (a notebook stem) marks the learner's current notebook.
    """
    course = course_or_bundled(course)
    rows, lines = [], []
    total = 0
    for n, f in enumerate(_map_entries(course)):
        nb = f.data["notebook"]
        stem = nb.removesuffix(".ipynb")
        total += f.data["minutes"]
        step = f"{n:02d}" if stem[:2].isdigit() else "app"
        rows.append((step, nb, f.title, f.text, f.data["minutes"], stem == here))
        lines.append(f"{step}  {f.title} ({nb}, about {f.data['minutes']} min): {f.text}")
    hours, mins = divmod(total, 60)
    total_text = f"{hours} h {mins} min" if hours else f"{mins} min"
    html_text = render("lesson/course_map.html", rows=rows, total=total_text)
    return Block(html_text, "\n".join(lines) + f"\nThe whole course: about {total_text}.")


def myth_table(course: Course | None = None) -> Block:
    """The myths-and-facts table: each common belief beside what the evidence says.

    From the ``myths`` section of facts.yaml (the title is the belief, the text the fact).
    """
    course = course_or_bundled(course)
    entries = course.facts.get("myths", ())
    if not entries:
        raise CourseDataError("facts.yaml", None, "myths", "expected the myths section")
    rows = [(f.title, f.text, cite_items(course, f.sources)) for f in entries]
    lines = [f"Myth: {f.title} Fact: {f.text} [{cite(course, f.sources)}]" for f in entries]
    return Block(render("lesson/myths.html", rows=rows), "\n".join(lines))


def _pct(value: float) -> str:
    return f"{value:g}"


def prevalence_table(course: Course | None = None) -> Block:
    """The prevalence figures the sources give, what each counts, and why they differ."""
    course = course_or_bundled(course)
    rows, lines = [], []
    for f in course.facts["prevalence"]:
        d = f.data
        low, high = d["low_pct"], d["high_pct"]
        figure = f"{_pct(low)}%" if low == high else f"{_pct(low)}-{_pct(high)}%"
        why = d.get("why_it_differs", "")
        rows.append((figure, f.title, d["measure"], d["population"], why, cite(course, f.sources)))
        lines.append(
            f"{figure} ({f.title}) counts: {d['measure']} Who: {d['population']} "
            f"Why it differs: {why} [{cite(course, f.sources)}]"
        )
    return Block(render("lesson/prevalence.html", rows=rows), "\n".join(lines))


def progress_rules(course: Course | None = None) -> Block:
    """The progression numbers of guidelines.yaml as a table, with the course's note on them.

    A trainer changes the numbers in the file; this shows what the tracker reads.
    """
    course = course_or_bundled(course)
    g = course.guidelines
    note = g.notes.get("progression", "")
    html_text = render("lesson/progress_rules.html", rows=g.progression.items(), note=note)
    text = "\n".join(f"{name}: {value}" for name, value in g.progression.items())
    return Block(html_text, text + (f"\n{note}" if note else ""))


# Each red-flag tier's colour, always beside its title in words.
TIER_COLOURS = {
    "emergency": palette.ALERT,
    "see_doctor": palette.WARN,
    "if_not_better": palette.KEEP_ACTIVE,
}


def red_flag_table(course: Course | None = None) -> Block:
    """Every red flag in red_flags.yaml, by tier: what to look for, why, and what to do."""
    course = course_or_bundled(course)
    tiers, lines = [], []
    for tier, colour in TIER_COLOURS.items():
        info = course.red_flag_tiers[tier]
        flags = [f for f in course.red_flags.values() if f.tier == tier]
        tiers.append((colour, info["title"], info["advice"], flags))
        lines.append(f"{info['title'].upper()}: {info['advice']}")
        lines += [f"  - {f.label}: {f.action}" for f in flags]
    sources = sorted({s for f in course.red_flags.values() for s in f.sources})
    html_text = render("lesson/red_flags.html", tiers=tiers, cites=cite_items(course, sources))
    return Block(html_text, "\n".join(lines))
