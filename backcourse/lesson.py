"""Small helpers the lesson notebooks call, so the notebooks stay prose plus one-line calls.

Every helper reads the course (``course_data/``) and returns something Jupyter displays:
a :class:`Block` of HTML (with a plain-text twin for text-only viewers and nbval) or a
:class:`Picture` (a PNG with its alt text). Nothing here needs ipywidgets.

>>> from backcourse import load_course, lesson
>>> course = load_course()
>>> lesson.safety_line(course)          # doctest: +SKIP
>>> lesson.references(course, "01_anatomy")   # doctest: +SKIP

CSS classes in the HTML
-----------------------
``bc-safety``  the safety line      ``bc-references``  a reference list
``bc-map``     the course map       ``bc-redflag-table``  the red flags in full
``bc-facts``   fact cards           ``bc-prevalence``  the prevalence table
``bc-card``    an exercise card     ``bc-muscle``      a muscle card
``bc-myths``   the myths-and-facts table   ``bc-progress-rules``  the progression numbers

Citations
---------
Readers never see a source id. A source appears under its short label from sources.yaml
(``cite``: "NICE 2016; Klarity"), linked to the lesson's "References" heading
(``cite_markdown`` for prose, and the "Sources:" line under cards and the safety box).
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import BackcourseError, CourseDataError
from .model import Course, Dose, Exercise, Fact, Muscle, Profile, Routine, Source

__all__ = [
    "Block",
    "Picture",
    "activities",
    "cite",
    "cite_markdown",
    "core_table",
    "course_map",
    "coverage_picture",
    "data_location",
    "dose_text",
    "duration_bands",
    "example_learner",
    "exercise_card_html",
    "exercise_picture",
    "facts",
    "lesson_sources",
    "movement_picture",
    "muscle_card_html",
    "muscle_exercises_html",
    "muscle_picture",
    "myth_table",
    "plan_picture",
    "prevalence_picture",
    "prevalence_table",
    "progress_rules",
    "red_flag_table",
    "references",
    "safety_line",
    "show",
    "spine_picture",
    "time_budget_picture",
]

# Colours: JupyterLab's theme variables first (so dark mode works), then a light fallback.
INK = "var(--jp-content-font-color1, #1A1A1A)"
MUTED = "var(--jp-content-font-color2, #5F5F5F)"
BORDER = "var(--jp-border-color2, #D9D9D9)"
PANEL = "var(--jp-layout-color2, #F4F4F4)"
ALERT = "#B00020"  # dark red: readable on white, used with a text label, never alone
WARN = "#8A5300"  # dark amber
CALM = "#005A8C"  # dark blue


CELL = "padding:5px 8px;text-align:left;vertical-align:top"

# The source article that sorts the core into major and minor muscles (muscles.yaml core_role).
CORE_LIST_SOURCE = ("art_core_2016",)


def _td(content: str, style: str = "", tag: str = "td", span: int = 1) -> str:
    """A table cell, left-aligned (JupyterLab right-aligns cells by default)."""
    colspan = f' colspan="{span}"' if span > 1 else ""
    return f'<{tag}{colspan} style="{CELL};{style}">{content}</{tag}>'


def _table(css_class: str, head: Sequence[str], rows: Sequence[str], foot: str = "") -> str:
    """A table from header labels and ready-made ``<tr>`` rows."""
    th = "".join(_td(h, tag="th") for h in head)
    tfoot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (
        f'<table class="{css_class}" style="border-collapse:collapse;color:{INK}">'
        f"<thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody>{tfoot}</table>"
    )


def _course(course: Course | None) -> Course:
    if course is not None:
        return course
    from .catalog import load_course

    return load_course()


def esc(text: object) -> str:
    """HTML-escape any value as text."""
    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------- display objects


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
    from .figures import style

    png = style.to_png(fig)
    w, h = fig.get_size_inches() * fig.dpi
    return Picture(png, str(getattr(fig, "alt_text", "")), (round(w), round(h)))


def exercise_picture(course: Course | None, exercise_id: str) -> Picture:
    """An exercise's illustration: start and end positions, target muscles highlighted."""
    course = _course(course)
    ex = course.exercises.get(exercise_id)
    if ex is None:
        raise BackcourseError(f"No exercise called {exercise_id!r} in this course")
    from .illustrate import exercise_pictures as poses

    return show(poses.exercise_figure(ex, course))


def movement_picture(course: Course | None, exercise_id: str, steps: int = 5) -> Picture:
    """An exercise as a strip of moments from start to end (how it moves)."""
    course = _course(course)
    ex = course.exercises.get(exercise_id)
    if ex is None:
        raise BackcourseError(f"No exercise called {exercise_id!r} in this course")
    from .illustrate import exercise_pictures as poses

    return show(poses.sequence_figure(ex, course, steps=steps))


def muscle_picture(course: Course | None, highlight: str | Sequence[str] | None = None) -> Picture:
    """The muscle schematic with one muscle (or several) highlighted."""
    course = _course(course)
    from .illustrate import anatomy_figures as anatomy

    return show(anatomy.muscle_figure(course, highlight=highlight))


def spine_picture(
    highlight: str | Sequence[str] | None = None, course: Course | None = None
) -> Picture:
    """The lumbar spine from the side, with parts highlighted (e.g. ``"vertebrae"``, ``"L4"``).

    With ``course`` given, any of its muscles can be highlighted too.
    """
    from .illustrate import anatomy_figures as anatomy

    return show(anatomy.spine_figure(highlight=highlight, course=course))


def prevalence_picture(course: Course | None = None) -> Picture:
    """The prevalence figures of the sources as a chart."""
    course = _course(course)
    from .figures import charts

    return show(charts.prevalence_chart(course))


# --------------------------------------------------------------------------- references


def _source(course: Course, sid: str) -> Source:
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
    course = _course(course)
    if isinstance(lesson_or_ids, str):
        ids = list(lesson_sources(course, lesson_or_ids))
    else:
        ids = list(lesson_or_ids)
    ids += [s for s in extra if s not in ids]
    for sid in ids:
        _source(course, sid)
    # Alphabetical by label, as a reader scanning for "NICE 2016" expects.
    ids = sorted(set(ids), key=lambda sid: course.sources[sid].label().casefold())
    if not ids:
        raise BackcourseError("references: no sources given")
    items, lines = [], []
    for sid in ids:
        src = course.sources[sid]
        link = f' <a href="{esc(src.url)}">{esc(src.url)}</a>' if src.url else ""
        items.append(
            f"<li><strong>{esc(src.label())}</strong> &mdash; {esc(src.citation())}{link}</li>"
        )
        lines.append(f"- {src.label()}: {src.citation()}" + (f" {src.url}" if src.url else ""))
    html_text = (
        '<div class="bc-references"><ul style="line-height:1.5;list-style:none;'
        f'padding-left:0.3em">{"".join(items)}</ul></div>'
    )
    return Block(html_text, "References\n" + "\n".join(lines))


# Where a citation links to: the "References" heading every lesson ends with (Jupyter gives
# a heading an anchor named after its text).
REFERENCES_ANCHOR = "#References"


def cite(course: Course | None, sources: Iterable[str]) -> str:
    """Short labels for source ids, as a reader sees them: ``"NICE 2016; Klarity"``."""
    course = _course(course)
    return "; ".join(_source(course, s).label() for s in sources)


def cite_markdown(course: Course | None, sources: Iterable[str]) -> str:
    """A citation for Markdown prose: ``([NICE 2016](#References); [Klarity](#References))``."""
    course = _course(course)
    labels = [_source(course, s).label() for s in sources]
    return "(" + "; ".join(f"[{label}]({REFERENCES_ANCHOR})" for label in labels) + ")"


def _cite(course: Course, sources: Sequence[str]) -> str:
    return cite(course, sources)


def _cite_html(course: Course, sources: Sequence[str]) -> str:
    links = ", ".join(
        f'<a href="{REFERENCES_ANCHOR}" title="{esc(_source(course, s).citation())}">'
        f"{esc(_source(course, s).label())}</a>"
        for s in sources
    )
    return f'<span style="color:{MUTED};font-size:0.85em">Sources: {links}</span>'


# --------------------------------------------------------------------------- the safety line


def safety_line(course: Course | None = None) -> Block:
    """The safety box each lesson shows near its top: stop, and get advice, if pain gets worse.

    Its sources appear under their short labels ("NHS inform"), linked to the lesson's
    reference list.
    """
    course = _course(course)
    stop = course.fact("guidance", "stop_rule")
    urgent = course.red_flag_tiers["emergency"]["title"]
    text = (
        f"Safety: {stop.title}. {stop.text} Any red-flag sign (see lesson 00, Start here) "
        f"comes first: {urgent.lower()}. Sources: {cite(course, stop.sources)}."
    )
    html_text = (
        f'<div class="bc-safety" role="note" style="border-left:6px solid {ALERT};'
        f'padding:0.6em 0.9em;margin:0.4em 0;background:{PANEL};color:{INK}">'
        f'<strong style="color:{ALERT}">&#9888; Safety &mdash; {esc(stop.title)}.</strong> '
        f"{esc(stop.text)} Any red-flag sign (see <em>lesson 00, Start here</em>) comes first: "
        f"<strong>{esc(urgent.lower())}</strong>.<br>{_cite_html(course, stop.sources)}</div>"
    )
    return Block(html_text, text)


# --------------------------------------------------------------------------- course map


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
    course = _course(course)
    entries = _map_entries(course)
    rows, lines = [], []
    total = 0
    for n, f in enumerate(entries):
        nb = f.data["notebook"]
        stem = nb.removesuffix(".ipynb")
        total += f.data["minutes"]
        mark = stem == here
        style = f"font-weight:600;background:{PANEL}" if mark else ""
        you = " &larr; you are here" if mark else ""
        step = f"{n:02d}" if stem[:2].isdigit() else "app"
        cells = (
            _td(esc(step)),
            _td(f'<a href="{esc(nb)}">{esc(f.title)}</a>{you}'),
            _td(esc(f.text)),
            _td(f"{f.data['minutes']} min", "text-align:right;white-space:nowrap"),
        )
        rows.append(f'<tr style="{style}">{"".join(cells)}</tr>')
        lines.append(f"{step}  {f.title} ({nb}, about {f.data['minutes']} min): {f.text}")
    hours, mins = divmod(total, 60)
    total_text = f"{hours} h {mins} min" if hours else f"{mins} min"
    foot = (
        "<tr>"
        + _td("")
        + _td("<strong>The whole course</strong>", span=2)
        + _td(f"<strong>{total_text}</strong>", "text-align:right;white-space:nowrap")
        + "</tr>"
    )
    html_text = _table("bc-map", ("Step", "Notebook", "What you will do", "Time"), rows, foot)
    return Block(html_text, "\n".join(lines) + f"\nThe whole course: about {total_text}.")


# --------------------------------------------------------------------------- where data is kept


def data_location() -> Block:
    """Where the learner's own progress log is kept on this machine."""
    try:
        from .progress import default_log_path

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
    html_text = (
        f'<div class="bc-data" style="border-left:6px solid {CALM};padding:0.5em 0.9em;'
        f'background:{PANEL};color:{INK}">Your progress log is kept in this file on this '
        f"computer:<br><code>{esc(path)}</code><br>It never leaves the machine: the course "
        "sends nothing anywhere.</div>"
    )
    return Block(html_text, text)


# --------------------------------------------------------------------------- facts


def facts(course: Course | None, section: str, ids: Iterable[str] | None = None) -> Block:
    """Fact cards from one section of facts.yaml (all of them, or the ids given, in order)."""
    course = _course(course)
    if section not in course.facts:
        raise CourseDataError("facts.yaml", None, section, "no such section")
    chosen = list(course.facts[section])
    if ids is not None:
        wanted = list(ids)
        chosen = [course.fact(section, i) for i in wanted]
    cards, lines = [], []
    for f in chosen:
        cards.append(
            f'<div style="border:1px solid {BORDER};border-radius:6px;padding:0.5em 0.8em;'
            f'margin:0.35em 0;color:{INK}"><strong>{esc(f.title)}</strong><br>{esc(f.text)}'
            f"<br>{_cite_html(course, f.sources)}</div>"
        )
        lines.append(f"* {f.title}: {f.text} [{_cite(course, f.sources)}]")
    return Block(f'<div class="bc-facts">{"".join(cards)}</div>', "\n".join(lines))


def example_learner(course: Course | None, learner_id: str) -> Profile:
    """A made-up learner's answers for the worked examples (facts.yaml, example_learners)."""
    course = _course(course)
    try:
        fact = course.fact("example_learners", learner_id)
    except KeyError:
        raise CourseDataError(
            "facts.yaml", f"example_learners/{learner_id}", None, "no such example learner"
        ) from None
    answers = dict(fact.data.get("profile") or {})
    if not answers:
        raise CourseDataError(
            "facts.yaml", f"example_learners/{learner_id}", "profile", "expected the answers"
        )
    for key in ("equipment", "positions", "red_flags"):
        if key in answers:
            answers[key] = frozenset(answers[key])
    try:
        return Profile(**answers)
    except (TypeError, BackcourseError) as exc:
        raise CourseDataError(
            "facts.yaml", f"example_learners/{learner_id}", "profile", str(exc)
        ) from None


def time_budget_picture(routine: Routine) -> Picture:
    """A session as a timeline: each exercise a bar, coloured by part, against the time."""
    from .figures import charts

    return show(charts.time_budget_chart(routine))


def coverage_picture(routine: Routine) -> Picture:
    """How much each muscle is worked in a session: full bar main target, half a helper."""
    from .figures import charts

    return show(charts.coverage_chart(routine))


def plan_picture(routine: Routine, weeks: int = 12) -> Picture:
    """A routine's plan for the weeks ahead: session length and each exercise's dose."""
    from .figures import charts

    return show(charts.plan_chart(routine.plan(weeks)))


def progress_rules(course: Course | None = None) -> Block:
    """The progression numbers of guidelines.yaml as a table, with the course's note on them.

    A trainer changes the numbers in the file; this shows what the tracker reads.
    """
    course = _course(course)
    g = course.guidelines
    rows = [
        "<tr>" + _td(f"<code>{esc(name)}</code>") + _td(esc(value)) + "</tr>"
        for name, value in g.progression.items()
    ]
    note = g.notes.get("progression", "")
    html_text = _table("bc-progress-rules", ("Setting in guidelines.yaml", "Value"), rows) + (
        f"<p>{esc(note)}</p>" if note else ""
    )
    text = "\n".join(f"{name}: {value}" for name, value in g.progression.items())
    return Block(html_text, text + (f"\n{note}" if note else ""))


def myth_table(course: Course | None = None) -> Block:
    """The myths-and-facts table: each common belief beside what the evidence says.

    From the ``myths`` section of facts.yaml (the title is the belief, the text the fact).
    """
    course = _course(course)
    entries = course.facts.get("myths", ())
    if not entries:
        raise CourseDataError("facts.yaml", None, "myths", "expected the myths section")
    rows, lines = [], []
    for f in entries:
        # Two columns, the sources under the fact, so the table still reads on a phone.
        cells = (
            _td(f"<strong>{esc(f.title)}</strong>", "width:32%;min-width:8em"),
            _td(f"{esc(f.text)}<br>{_cite_html(course, f.sources)}"),
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
        lines.append(f"Myth: {f.title} Fact: {f.text} [{cite(course, f.sources)}]")
    html_text = _table("bc-myths", ("The myth", "What the evidence says"), rows)
    return Block(html_text, "\n".join(lines))


def prevalence_table(course: Course | None = None) -> Block:
    """The prevalence figures the sources give, what each counts, and why they differ."""
    course = _course(course)
    rows, lines = [], []
    for f in course.facts["prevalence"]:
        d = f.data
        low, high = d["low_pct"], d["high_pct"]
        figure = f"{_pct(low)}%" if low == high else f"{_pct(low)}-{_pct(high)}%"
        cells = (
            f"<strong>{esc(figure)}</strong><br>{esc(f.title)}",
            esc(d["measure"]),
            esc(d["population"]),
            esc(d.get("why_it_differs", "")),
            esc(cite(course, f.sources)),
        )
        rows.append("<tr>" + "".join(_td(c) for c in cells) + "</tr>")
        lines.append(
            f"{figure} ({f.title}) counts: {d['measure']} Who: {d['population']} "
            f"Why it differs: {d.get('why_it_differs', '')} [{_cite(course, f.sources)}]"
        )
    head = ("Figure", "What it counts", "Who was counted", "Why it differs", "Sources")
    html_text = (
        '<details class="bc-prevalence-details"><summary style="cursor:pointer">'
        "<strong>The three figures in detail</strong> (click to open)</summary>"
        + _table("bc-prevalence", head, rows)
        + "</details>"
    )
    return Block(html_text, "\n".join(lines))


def _pct(value: float) -> str:
    return f"{value:g}"


def duration_bands(course: Course | None = None, weeks: int = 16) -> Block:
    """Where each source puts the line between recent and long-lasting pain, as bars.

    The sources' bands come from facts.yaml (``definitions/duration_bands``); the course's
    own row comes from guidelines.yaml (``stages``), so it always matches the planner.
    """
    course = _course(course)
    fact = course.fact("definitions", "duration_bands")
    rows: list[tuple[str, str, list[int], list[str]]] = []
    for n, band in enumerate(fact.data.get("bands", ())):
        try:
            cuts, names = [int(c) for c in band["cuts"]], [str(x) for x in band["names"]]
            label, source = str(band["label"]), str(band["source"])
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
        _source(course, source)
        rows.append((label, course.sources[source].label(), cuts, names))
    st = course.guidelines.stages
    rows.append(
        (
            "This course",
            "its own rule",
            [st["acute_weeks"], st["chronic_weeks"]],
            ["recent", "settling", "persistent"],  # the stage ids of guidelines.yaml
        )
    )
    colours = ["#E69F00", "#56B4E9", "#0072B2"]  # Okabe-Ito: orange, sky blue, blue
    html_rows, lines = [], []
    for label, source, cuts, names in rows:
        edges = [0, *cuts, weeks]
        segs = []
        for i, name in enumerate(names):
            width = 100 * (min(edges[i + 1], weeks) - edges[i]) / weeks
            colour = colours[0] if i == 0 else colours[-1] if i == len(names) - 1 else colours[1]
            ink = "#000" if colour != colours[-1] else "#FFF"
            segs.append(
                f'<div style="flex:0 0 {width:.3f}%;background:{colour};color:{ink};'
                "text-align:center;font-size:0.85em;line-height:24px;overflow:hidden;"
                f'white-space:nowrap;border-right:2px solid #FFF">{esc(name)}</div>'
            )
        html_rows.append(
            '<div style="display:flex;align-items:center;margin:4px 0">'
            f'<div style="flex:0 0 16em;padding-right:8px">{esc(label)} '
            f'<span style="font-size:0.8em;color:{MUTED}">({esc(source)})</span></div>'
            f'<div style="flex:1 1 auto;display:flex;height:24px">{"".join(segs)}</div></div>'
        )
        spans = [f"{names[0]} under {cuts[0]} weeks"]
        spans += [f"{names[i + 1]} {cuts[i]}-{cuts[i + 1]} weeks" for i in range(len(cuts) - 1)]
        spans.append(f"{names[-1]} from {cuts[-1]} weeks")
        lines.append(f"{label} ({source}): " + "; ".join(spans))
    ticks = "".join(
        f'<span style="position:absolute;left:{100 * w / weeks:.2f}%;'
        f'transform:translateX(-50%);font-size:0.8em">{w}</span>'
        for w in range(0, weeks + 1, 2)
    )
    html_text = (
        f'<div class="bc-bands" role="img" aria-label="{esc("; ".join(lines))}" '
        f'style="color:{INK};max-width:50em">{"".join(html_rows)}'
        '<div style="display:flex"><div style="flex:0 0 16em"></div>'
        f'<div style="flex:1 1 auto;position:relative;height:1.4em">{ticks}</div></div>'
        '<div style="display:flex"><div style="flex:0 0 16em"></div>'
        '<div style="flex:1 1 auto;text-align:center;font-size:0.85em">weeks since the pain '
        "started</div></div></div>"
    )
    lines.append("NICE NG59: no time bands; it looks at how likely the pain is to last.")
    return Block(html_text, "\n".join(lines))


def core_table(course: Course | None = None) -> Block:
    """The muscles of the course sorted into the major and minor core groups (art_core_2016)."""
    course = _course(course)
    groups = {"major": [], "minor": [], "none": []}
    for m in course.muscles.values():
        groups.setdefault(m.core_role, []).append(m)
    heads = {
        "major": "Major core muscles",
        "minor": "Minor core muscles",
        "none": "Not on the core list, but they matter to the back",
    }
    cols, lines = [], []
    for role, head in heads.items():
        items = "".join(
            f"<li><strong>{esc(m.name.split(' (')[0])}</strong><br>"
            f'<span style="color:{MUTED}">{esc(m.plain_name)}</span></li>'
            for m in groups[role]
        )
        cols.append(
            f'<div style="flex:1 1 14em;border:1px solid {BORDER};border-radius:6px;'
            f'padding:0.4em 0.8em;margin:4px"><h4 style="margin:0.3em 0">{esc(head)}</h4>'
            f'<ul style="padding-left:1.2em;line-height:1.35">{items}</ul></div>'
        )
        lines.append(f"{head}: " + ", ".join(m.name for m in groups[role]))
    html_text = (
        f'<div class="bc-core" style="display:flex;flex-wrap:wrap;color:{INK}">{"".join(cols)}'
        f"</div>{_cite_html(course, CORE_LIST_SOURCE)}"
    )
    return Block(html_text, "\n".join(lines))


def activities(course: Course | None = None) -> Block:
    """Low-impact activities to choose now, and high-impact ones to leave for later."""
    course = _course(course)
    cols, lines = [], []
    heads = {
        "low": ("Low impact: good choices now", "#006B4F"),
        "high": ("High impact: wait until the pain has eased a lot", "#8A5300"),
    }
    for impact, (head, colour) in heads.items():
        items = [f for f in course.facts.get("activities", ()) if f.data.get("impact") == impact]
        lis = "".join(f"<li><strong>{esc(f.title)}</strong>: {esc(f.text)}</li>" for f in items)
        cols.append(
            f'<div style="flex:1 1 18em;border-top:5px solid {colour};padding:0.3em 0.8em;'
            f'margin:4px"><h4 style="color:{colour};margin:0.3em 0">{esc(head)}</h4>'
            f'<ul style="padding-left:1.2em;line-height:1.4">{lis}</ul></div>'
        )
        lines.append(f"{head}: " + ", ".join(f.title for f in items))
    sources = sorted({s for f in course.facts.get("activities", ()) for s in f.sources})
    html_text = (
        f'<div class="bc-activities" style="display:flex;flex-wrap:wrap;color:{INK}">'
        f"{''.join(cols)}</div>{_cite_html(course, sources)}"
    )
    return Block(html_text, "\n".join(lines))


# --------------------------------------------------------------------------- red flags


def red_flag_table(course: Course | None = None) -> Block:
    """Every red flag in red_flags.yaml, by tier: what to look for, why, and what to do."""
    course = _course(course)
    parts, lines = [], []
    colours = {"emergency": ALERT, "see_doctor": WARN, "if_not_better": "#0B5394"}
    for tier in ("emergency", "see_doctor", "if_not_better"):
        info = course.red_flag_tiers[tier]
        flags = [f for f in course.red_flags.values() if f.tier == tier]
        colour = colours[tier]
        rows = [
            "<tr>"
            + _td(f"<strong>{esc(f.label)}</strong>")
            + _td(esc(f.why))
            + _td(esc(f.action))
            + "</tr>"
            for f in flags
        ]
        parts.append(
            f'<div style="border-left:6px solid {colour};padding:0.3em 0.8em;margin:0.6em 0">'
            f'<h4 style="color:{colour};margin:0.3em 0">{esc(info["title"])}</h4>'
            f'<p style="color:{INK}">{esc(info["advice"])}</p>'
            + _table("bc-redflag-tier", ("Sign", "Why it matters", "What to do"), rows)
            + "</div>"
        )
        lines.append(f"{info['title'].upper()}: {info['advice']}")
        lines += [f"  - {f.label}: {f.action}" for f in flags]
    sources = sorted({s for f in course.red_flags.values() for s in f.sources})
    html_text = f'<div class="bc-redflag-table">{"".join(parts)}{_cite_html(course, sources)}</div>'
    return Block(html_text, "\n".join(lines))


# --------------------------------------------------------------------------- exercises


def dose_text(dose: Dose) -> str:
    """A source's dose in plain words, e.g. '3 sets of 15, rest 60 s (Trifocus ...)'."""
    parts = []
    if dose.minutes is not None:
        parts.append(f"{dose.minutes} minutes")
    if dose.reps is not None:
        sets = dose.sets or 1
        parts.append(f"{sets} set{'s' if sets != 1 else ''} of {dose.reps}")
    elif dose.sets:
        parts.append(f"{dose.sets} set{'s' if dose.sets != 1 else ''}")
    if dose.hold_s:
        parts.append(f"hold {dose.hold_s} s")
    if dose.per_side:
        parts.append("each side")
    if dose.rest_s:
        parts.append(f"rest {dose.rest_s} s between sets")
    if dose.times_per_day:
        parts.append(f"{dose.times_per_day} times a day")
    return ", ".join(parts)


def _li(items: Iterable[str]) -> str:
    return "".join(f"<li>{esc(i)}</li>" for i in items)


def _chip(text: str) -> str:
    return (
        f'<span style="display:inline-block;border:1px solid {BORDER};border-radius:10px;'
        f'padding:0 8px;margin:2px 4px 2px 0;font-size:0.85em;color:{INK}">{esc(text)}</span>'
    )


def exercise_tags(exercise: Exercise, course: Course) -> list[str]:
    """Plain-word tags: category, position, difficulty, impact and equipment."""
    g = course.guidelines
    tags = [
        g.label("categories", exercise.category),
        g.label("positions", exercise.position),
        g.label("difficulty", str(exercise.difficulty)),
        g.label("impact", exercise.impact),
    ]
    if exercise.equipment:
        tags += [g.label("equipment", e) for e in exercise.equipment]
    else:
        tags.append("no equipment")
    return tags


def exercise_card_html(exercise: Exercise, course: Course) -> str:
    """The text of an exercise card: tags, steps, cues, mistakes, dose, easier/harder, sources.

    The illustration is shown separately (the browser widget puts it above this text).
    """
    muscles = course.muscles
    primary = ", ".join(muscles[m].name for m in exercise.muscles)
    secondary = ", ".join(muscles[m].name for m in exercise.secondary_muscles)
    works = f"<strong>Works:</strong> {esc(primary)}"
    if secondary:
        works += f"; also {esc(secondary)}"
    chain = []
    if exercise.regression:
        chain.append(f"<strong>Easier:</strong> {esc(course.exercises[exercise.regression].name)}")
    if exercise.progression:
        chain.append(f"<strong>Harder:</strong> {esc(course.exercises[exercise.progression].name)}")
    if not chain:
        chain.append("No easier or harder step in this course.")
    dose = exercise.dose
    dose_line = esc(dose_text(dose))
    if dose.source:
        dose_line += f" ({esc(cite(course, [dose.source]))})"
    note = f'<br><span style="color:{MUTED}">{esc(dose.note)}</span>' if dose.note else ""
    caution = (
        f'<p style="border-left:4px solid {WARN};padding-left:0.6em"><strong>Take care:</strong> '
        f"{esc(exercise.caution)}</p>"
        if exercise.caution
        else ""
    )
    return (
        f'<div class="bc-card" style="color:{INK};line-height:1.45">'
        f'<h3 style="margin:0.2em 0">{esc(exercise.name)}</h3>'
        f"<div>{''.join(_chip(t) for t in exercise_tags(exercise, course))}</div>"
        f"<p>{esc(exercise.summary)}</p><p>{works}</p>"
        f"<h4>How to do it</h4><ol>{_li(exercise.steps)}</ol>"
        f"<h4>Cues</h4><ul>{_li(exercise.cues)}</ul>"
        f"<h4>Common mistakes</h4><ul>{_li(exercise.mistakes)}</ul>"
        f"<h4>Dose the source gives</h4><p>{dose_line}{note}</p>"
        f"{caution}<p>{' &nbsp;|&nbsp; '.join(chain)}</p>"
        f"<p>{_cite_html(course, exercise.sources)}</p></div>"
    )


# --------------------------------------------------------------------------- muscles

CORE_ROLE_WORDS = {
    "major": "a major core muscle",
    "minor": "a minor core muscle",
    "none": "not on the core list",
}


def muscle_card_html(muscle: Muscle, course: Course) -> str:
    """What a muscle is, where it is, what it does and why it matters to the back."""
    role = CORE_ROLE_WORDS.get(muscle.core_role, muscle.core_role)
    return (
        f'<div class="bc-muscle" style="color:{INK};line-height:1.45">'
        f'<h3 style="margin:0.2em 0">{esc(muscle.name)}</h3>'
        f'<div style="color:{MUTED}">the {esc(muscle.plain_name)} &middot; {esc(role)} '
        f"({esc(cite(course, CORE_LIST_SOURCE))}) &middot; {esc(muscle.layer)} layer</div>"
        f"<p><strong>Where:</strong> {esc(muscle.location)}</p>"
        f"<p><strong>What it does:</strong> {esc(muscle.action)}</p>"
        f"<p><strong>Why it matters for your back:</strong> {esc(muscle.why_it_matters)}</p>"
        f"<p>{_cite_html(course, muscle.sources)}</p></div>"
    )


def muscle_exercises_html(muscle: Muscle, course: Course) -> str:
    """The exercises that train a muscle: main target first, then helper role."""
    main = [e for e in course.exercises.values() if muscle.id in e.muscles]
    helps = [e for e in course.exercises.values() if muscle.id in e.secondary_muscles]
    g = course.guidelines

    def items(exs: list[Exercise]) -> str:
        return "".join(
            f"<li><strong>{esc(e.name)}</strong> &ndash; "
            f"{esc(g.label('categories', e.category))}, {esc(g.label('positions', e.position))}, "
            f"{esc(g.label('difficulty', str(e.difficulty)))}</li>"
            for e in exs
        )

    out = [f'<div class="bc-muscle-exercises" style="color:{INK};line-height:1.4">']
    ul = '<ul style="margin:0.2em 0 0.6em;padding-left:1.2em">'
    if main:
        out.append(f'<h4 style="margin:0.6em 0 0.2em">Main target in</h4>{ul}{items(main)}</ul>')
    if helps:
        out.append(f'<h4 style="margin:0.6em 0 0.2em">Also works in</h4>{ul}{items(helps)}</ul>')
    if not main and not helps:
        out.append("<p>No exercise in this course targets it directly.</p>")
    out.append("</div>")
    return "".join(out)
