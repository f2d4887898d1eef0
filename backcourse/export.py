"""Take a routine home: a print-ready HTML handout, a PDF, Markdown, iCalendar and JSON.

Every format is built from the same handout content (:func:`handout`), and every piece of
text in it is treated as untrusted: the learner's name, and the exercise, muscle and source
names a trainer can edit in course_data/. Each writer escapes for its own format (HTML
entities, Markdown backslashes, RFC 5545 text escapes, ``$`` for matplotlib, and ``<``,
``>``, ``&`` as ``\\u003c``... in JSON), so nothing a learner types can become markup.

The same routine, name and start date always give the same bytes: no clocks are read, PDF
metadata carries no dates, and calendar stamps come from the start date.

>>> from backcourse import load_course, build_routine, Profile
>>> from backcourse import export
>>> course = load_course()
>>> profile = Profile(pain_now=3, weeks_since_onset=10, minutes_per_session=15,
...                   sessions_per_week=3)
>>> routine, swaps = export.rebuild(profile, course, swaps=())
>>> path = export.save(routine, "html", folder="handouts", name="Sam")   # doctest: +SKIP
>>> again = export.routine_from_json(export.to_json(routine), course)
>>> again.items == routine.items
True

This module imports no ipywidgets; matplotlib loads only when a picture or a PDF is made.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import io
import json
import math
import os
import re
import reprlib
import unicodedata
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import BackcourseError, ProfileError
from .files import atomic_open
from .lesson import Block
from .model import (
    EARLIEST_DAY,
    LATEST_DAY,
    PHASES,
    POSITIONS,
    Course,
    Exercise,
    Prescription,
    Profile,
    Routine,
    day_range_text,
)

__all__ = [
    "FORMATS",
    "MIME",
    "Glance",
    "Saved",
    "clean_name",
    "data_uri",
    "download_link",
    "file_name",
    "glance",
    "handout",
    "illustration",
    "item_html",
    "load_json",
    "md_escape",
    "pdf_bytes",
    "picture_html",
    "plan_glance",
    "rebuild",
    "routine_from_json",
    "routine_to_dict",
    "save",
    "slug",
    "swaps_of",
    "to_html",
    "to_ics",
    "to_json",
    "to_markdown",
    "to_pdf",
]

# Format -> file extension and media type.
FORMATS: dict[str, str] = {
    "html": "html",
    "pdf": "pdf",
    "markdown": "md",
    "ics": "ics",
    "json": "json",
}
MIME: dict[str, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "markdown": "text/markdown",
    "ics": "text/calendar",
    "json": "application/json",
}
JSON_FORMAT = "backcourse-routine"
JSON_VERSION = 1
NAME_MAX = 80  # characters of a learner's name or class code that are kept
SLUG_MAX = 40
PLAN_WEEKS = 12
DISCLAIMER = (
    "Made with the backcourse routine builder. This handout is for education; it does not "
    "replace advice from a doctor or physiotherapist."
)
HANDOUT_DPI = 80  # illustration resolution in handouts: about 190 dpi when printed
SESSION_TIME = dt.time(18, 0)  # calendar sessions start at this local time by default

Swap = tuple[str, str]  # (id of the exercise replaced, id of the one chosen instead)

# --------------------------------------------------------------------------- learner text


def clean_name(name: object) -> str:
    """A learner's name or class code as one line of at most NAME_MAX printable characters.

    Control characters and line breaks become spaces; nothing else is removed here (each
    format escapes what it must).
    """
    if name is None:
        return ""
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in str(name))
    return " ".join(text.split())[:NAME_MAX].strip()


def slug(text: object, default: str = "") -> str:
    """Lower-case a-z, 0-9 and single hyphens only, at most SLUG_MAX characters.

    >>> slug("<script>alert(1)</script>")
    'script-alert-1-script'
    >>> slug("../../etc/passwd")
    'etc-passwd'
    """
    ascii_ = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    out = out[:SLUG_MAX].strip("-")
    return out or default


def file_name(fmt: str, name: object = "") -> str:
    """A safe file name for a format: ``back-routine[-<name>].<ext>`` (no folders, no dots).

    >>> file_name("pdf", "Class 3B; Tuesday")
    'back-routine-class-3b-tuesday.pdf'
    """
    ext = _ext(fmt)
    tail = slug(clean_name(name))
    return f"back-routine{'-' + tail if tail else ''}.{ext}"


def _ext(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return FORMATS[fmt]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
_MD_LINE_START = re.compile(r"^(\s*\d*)([-+=>.)])")


def md_escape(text: object) -> str:
    """Text for Markdown, on one line: every character that could start markup is escaped.

    Backslashes go before emphasis, code, link, HTML, table, heading, strike-through,
    entity and maths characters anywhere, and before a list or quote marker at the start.

    >>> md_escape("<b>*hi*</b> & $x$")
    '\\\\<b\\\\>\\\\*hi\\\\*\\\\</b\\\\> \\\\& \\\\$x\\\\$'
    """
    line = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


# --------------------------------------------------------------------------- swaps


_SWAPS: weakref.WeakKeyDictionary[Routine, tuple[Swap, ...]] = weakref.WeakKeyDictionary()


def rebuild(
    profile: Profile, course: Course, swaps: Iterable[Sequence[str]] = (), *, strict: bool = True
) -> tuple[Routine, tuple[Swap, ...]]:
    """Build a routine from answers, then replay the learner's swaps in order.

    Each swap ``(old, new)`` must replace an exercise that is in the routine at that point
    by one of ``planner.alternatives`` for it; the routine is then rebuilt with
    ``build_routine`` leaving out every exercise swapped away and choosing every exercise
    swapped in first. Same answers and swaps, same routine.

    Parameters
    ----------
    strict
        True (loading a file): a swap that no longer applies raises ProfileError.
        False (the builder after an answer changed): such swaps are dropped.

    Returns
    -------
    (routine, swaps_applied)

    Raises
    ------
    RedFlagStop, ProfileError
        As ``build_routine`` does; ProfileError also for a swap that does not apply.
    """
    from .planner import alternatives, build_routine

    routine = build_routine(profile, course)
    exclude: set[str] = set()
    prefer: set[str] = set()
    applied: list[Swap] = []
    for pair in swaps:
        if isinstance(pair, str) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
            raise ProfileError("swaps", f"expected pairs of exercise ids, got {pair!r}")
        old, new = pair
        index = next((i for i, p in enumerate(routine.items) if p.exercise.id == old), None)
        ok = index is not None and new in {e.id for e in alternatives(routine, index)}
        if not ok:
            if strict:
                raise ProfileError(
                    "swaps", f"{new!r} cannot replace {old!r} in this routine any more"
                )
            continue
        exclude.add(old)
        prefer.discard(old)
        prefer.add(new)
        routine = build_routine(profile, course, exclude=exclude, prefer=prefer)
        applied.append((old, new))
    result = tuple(applied)
    _SWAPS[routine] = result
    return routine, result


def swaps_of(routine: Routine) -> tuple[Swap, ...]:
    """The swaps that made a routine returned by :func:`rebuild` (``()`` for any other)."""
    try:
        return _SWAPS.get(routine, ())
    except TypeError:  # an unhashable stand-in
        return ()


# --------------------------------------------------------------------------- illustrations


class _Same:
    """Hash a course by identity (its mappings are not hashable); holding it keeps ids unique."""

    __slots__ = ("course",)

    def __init__(self, course: Course) -> None:
        self.course = course

    def __hash__(self) -> int:
        return id(self.course)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.course is self.course


@lru_cache(maxsize=512)
def _illustration(key: _Same, exercise: Exercise, dpi: int) -> tuple[bytes, str]:
    from .figures import style
    from .illustrate import bundled
    from .illustrate import exercise_pictures as poses

    shipped = bundled.picture(exercise, key.course, dpi)  # drawn at build time, if current
    if shipped is not None:
        return shipped
    fig = poses.exercise_figure(exercise, key.course)
    return style.to_png(fig, dpi=dpi), str(getattr(fig, "alt_text", "") or exercise.name)


def illustration(exercise: Exercise, course: Course, dpi: int = HANDOUT_DPI) -> tuple[bytes, str]:
    """The exercise's start-and-end picture as PNG bytes, and its alt text (cached)."""
    return _illustration(_Same(course), exercise, int(dpi))


def data_uri(data: bytes | str, mime: str) -> str:
    """``data:<mime>;base64,...`` for bytes or text (text is UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def _img_tag(exercise: Exercise, course: Course, dpi: int, cls: str = "bc-illustration") -> str:
    png, alt = illustration(exercise, course, dpi)
    return f'<img class="{cls}" src="{data_uri(png, "image/png")}" alt="{_h(alt)}">'


# --------------------------------------------------------------------------- handout content


@dataclass(frozen=True)
class Card:
    """One exercise of a handout, as plain (unescaped) text."""

    number: int
    item: Prescription
    phase: str
    phase_label: str
    name: str
    dose: str
    minutes: float
    reason: str
    summary: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    muscles: str
    caution: str


@dataclass(frozen=True)
class WeekRow:
    week: int
    minutes: float
    changes: tuple[str, ...]
    items: tuple[Prescription, ...]


@dataclass(frozen=True)
class Handout:
    """Everything a handout says, as plain text; the writers escape it for their format."""

    title: str
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, value) lines about the routine
    notes: tuple[str, ...]
    safety: tuple[str, ...]
    cards: tuple[Card, ...]
    weeks: tuple[WeekRow, ...]
    progression: str
    sources: tuple[str, ...]
    sessions_per_week: int


def _phase_label(course: Course, phase: str) -> str:
    words = course.guidelines.label("phases", phase)
    return words[:1].upper() + words[1:]


def _muscle_names(course: Course, ids: Iterable[str]) -> str:
    names = []
    for m in ids:
        muscle = course.muscles.get(m)
        names.append(muscle.plain_name if muscle else m.replace("_", " "))
    return ", ".join(names)


def card_for(item: Prescription, number: int, course: Course) -> Card:
    """The handout card of one prescription."""
    ex = item.exercise
    return Card(
        number=number,
        item=item,
        phase=item.phase,
        phase_label=_phase_label(course, item.phase),
        name=ex.name,
        dose=item.dose_text(),
        minutes=item.minutes,
        reason=item.reason,
        summary=ex.summary,
        steps=tuple(ex.steps),
        cues=tuple(ex.cues),
        muscles=_muscle_names(course, ex.muscles),
        caution=ex.caution,
    )


def _plain_list(words: Sequence[str]) -> str:
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def handout(routine: Routine, name: object = "", weeks: int = PLAN_WEEKS) -> Handout:
    """The content every format shares: facts, safety, one card per exercise, the plan."""
    course, profile = routine.course, routine.profile
    g = course.guidelines
    plan = routine.plan(weeks)
    positions = [g.label("positions", p) for p in POSITIONS if p in profile.positions]
    equipment = [g.label("equipment", e) for e in sorted(profile.equipment)] or ["none"]
    facts = (
        ("Session", f"about {round(routine.minutes)} minutes, {len(routine.items)} exercises"),
        ("How often", f"{profile.sessions_per_week} times a week"),
        ("Pain when built", f"{profile.pain_now} out of 10"),
        ("Stage", g.label("stages", routine.stage)),
        ("Experience", g.label("experience", profile.experience)),
        ("Positions", _plain_list(positions)),
        ("Equipment", _plain_list(equipment)),
    )
    safety = [plan.step_back]
    with contextlib.suppress(KeyError):  # a trainer's course may leave this fact out
        safety.insert(0, course.fact("guidance", "stop_rule").text)
    ids: list[str] = []
    for p in routine.items:
        ids += [s for s in p.exercise.sources if s not in ids]
    for section in ("dose_bounds", "progression"):
        ids += [s for s in g.sources.get(section, ()) if s not in ids]
    sources = tuple(course.sources[s].citation() for s in ids if s in course.sources)
    return Handout(
        title="Your back exercise routine",
        name=clean_name(name),
        facts=facts,
        notes=tuple(routine.notes),
        safety=tuple(safety),
        cards=tuple(card_for(p, i + 1, course) for i, p in enumerate(routine.items)),
        weeks=tuple(WeekRow(w.week, w.minutes, w.changes, w.items) for w in plan.weeks),
        progression=g.notes.get("progression", ""),
        sources=sources,
        sessions_per_week=profile.sessions_per_week,
    )


# --------------------------------------------------------------------------- HTML

PHASE_CSS = {"warm_up": "#E69F00", "main": "#0072B2", "cool_down": "#009E73"}  # Okabe-Ito

CSS = """
.bc-handout { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1a1a1a;
  line-height: 1.45; font-size: 11pt; max-width: 182mm; margin: 0 auto; }
.bc-handout h1 { font-size: 21pt; margin: 0 0 2pt; }
.bc-handout h2 { font-size: 15pt; margin: 16pt 0 6pt; border-bottom: 2px solid #d9d9d9;
  padding-bottom: 2pt; break-after: avoid; page-break-after: avoid; }
.bc-handout .bc-for { font-size: 13pt; margin: 0 0 8pt; color: #3a3a3a; }
.bc-handout .bc-facts { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt;
  margin: 6pt 0 8pt; }
.bc-handout .bc-facts dt { font-weight: bold; }
.bc-handout .bc-facts dd { margin: 0; }
.bc-handout .bc-safety { border: 2px solid #D55E00; border-radius: 6px; padding: 6pt 10pt;
  margin: 8pt 0; background: #fff6f0; break-inside: avoid; page-break-inside: avoid; }
.bc-handout .bc-safety p { margin: 3pt 0; }
.bc-card { border: 1px solid #c8c8c8; border-left: 7px solid var(--bc-phase, #0072B2);
  border-radius: 5px; padding: 7pt 10pt 8pt; margin: 0 0 9pt; break-inside: avoid;
  page-break-inside: avoid; background: #fff; }
.bc-card-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2pt 10pt; }
.bc-card h3 { font-size: 13.5pt; margin: 0; }
.bc-card .bc-phase { font-size: 9pt; text-transform: uppercase; letter-spacing: .05em;
  color: #1a1a1a; background: #fff; border: 1.5pt solid var(--bc-phase, #0072B2);
  border-radius: 3px; padding: 0 5pt; }
.bc-card .bc-dose { font-weight: bold; font-size: 12pt; margin: 3pt 0 1pt; }
.bc-card .bc-why { margin: 2pt 0; color: #333; }
.bc-card .bc-muscles { margin: 2pt 0; font-size: 10pt; color: #444; }
.bc-card .bc-body { margin-top: 4pt; }
.bc-card .bc-illustration { width: auto; height: auto; max-width: 100%; max-height: 58mm;
  display: block; margin: 0 0 4pt; }
.bc-card ol { margin: 0; padding-left: 16pt; font-size: 9.5pt; columns: 2; column-gap: 16pt; }
.bc-card li { margin: 0 0 2pt; break-inside: avoid; page-break-inside: avoid; }
.bc-card .bc-caution { font-size: 9.5pt; color: #5f5f5f; margin: 4pt 0 0; }
.bc-handout table.bc-plan { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
.bc-handout table.bc-plan th, .bc-handout table.bc-plan td { border: 1px solid #c8c8c8;
  padding: 3pt 5pt; vertical-align: top; text-align: left; }
.bc-handout table.bc-plan tr { break-inside: avoid; page-break-inside: avoid; }
.bc-handout table.bc-plan ul { margin: 0; padding-left: 12pt; }
.bc-handout .bc-boxes { white-space: nowrap; font-size: 13pt; letter-spacing: 2pt; }
.bc-handout .bc-sources { font-size: 9pt; color: #444; }
.bc-handout .bc-disclaimer { font-size: 9pt; color: #5f5f5f; }
.bc-handout .bc-glance ol { margin: 0; padding-left: 18pt; }
@media print {
  /* No page size is forced, so the same page prints on A4 and on US Letter: the content
     is at most 182 mm wide, which fits both with 14 mm side margins. */
  @page { margin: 12mm 14mm 14mm; }
  html, body { background: #fff; }
  .bc-handout { max-width: none; font-size: 10pt; }
  .bc-handout a { color: inherit; text-decoration: none; }
  .bc-plan-section { break-before: page; page-break-before: always; }
  .bc-card, .bc-safety { box-shadow: none; }
  /* Two exercises to a page: smaller pictures and steps on paper than on screen. */
  .bc-card .bc-illustration { max-height: 40mm; }
  .bc-card ol { font-size: 9pt; }
  .bc-card { padding: 5pt 9pt 6pt; margin-bottom: 6pt; }
}
@media screen { body.bc-page { margin: 18px; } }
"""


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
    folds the steps into a <details> element; ``picture=False`` leaves the picture out (the
    builder shows it separately, so it is only sent again when the exercise changes).
    """
    return _card_html(card_for(item, number, course), course, dpi=dpi, steps=steps, picture=picture)


def picture_html(exercise: Exercise, course: Course, dpi: int = HANDOUT_DPI) -> str:
    """The exercise's illustration as an inline <img> with its alt text."""
    return _img_tag(exercise, course, dpi)


def _card_html(c: Card, course: Course, *, dpi: int, steps: bool, picture: bool = True) -> str:
    colour = PHASE_CSS.get(c.phase, "#0072B2")
    img = _img_tag(c.item.exercise, course, dpi) if picture else ""
    parts = [
        f'<div class="bc-card bc-card-{_h(c.phase)}" style="--bc-phase: {colour}">',
        '<div class="bc-card-head">',
        f"<h3>{c.number}. {_h(c.name)}</h3>",
        f'<span class="bc-phase">{_h(c.phase_label)}</span>',
        f'<span class="bc-minutes">about {c.minutes:.1f} min</span>',
        "</div>",
        f'<p class="bc-dose">{_h(c.dose)}</p>',
        f'<p class="bc-why">{_h(c.reason)}</p>',
    ]
    if c.muscles:
        parts.append(f'<p class="bc-muscles">Target muscles: {_h(c.muscles)}</p>')
    items = "".join(f"<li>{_h(s)}</li>" for s in c.steps)
    if steps:
        parts.append(f'<div class="bc-body">{img}<ol class="bc-steps">{items}</ol></div>')
        if c.caution:
            parts.append(f'<p class="bc-caution">{_h(c.caution)}</p>')
    else:
        if img:
            parts.append(f'<div class="bc-body">{img}</div>')
        if items:
            caution = f'<p class="bc-caution">{_h(c.caution)}</p>' if c.caution else ""
            parts.append(
                f"<details><summary>How to do it</summary>"
                f'<ol class="bc-steps">{items}</ol>{caution}</details>'
            )
    parts.append("</div>")
    return "".join(parts)


def _boxes(n: int) -> str:
    return "☐" * n


def to_html(
    routine: Routine, *, name: object = "", weeks: int = PLAN_WEEKS, dpi: int = HANDOUT_DPI
) -> str:
    """A self-contained, print-ready HTML page: illustrations inline, CSS for A4 and Letter."""
    h = handout(routine, name, weeks)
    course = routine.course
    title = h.title + (f" - {h.name}" if h.name else "")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="backcourse">',
        f"<title>{_h(title)}</title>",
        f"<style>{CSS}</style>",
        '</head><body class="bc-page"><main class="bc-handout">',
        f"<h1>{_h(h.title)}</h1>",
    ]
    if h.name:
        out.append(f'<p class="bc-for">For: <strong class="bc-name">{_h(h.name)}</strong></p>')
    out.append('<dl class="bc-facts">')
    out += [f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in h.facts]
    out.append("</dl>")
    out += [f'<p class="bc-note">{_h(n)}</p>' for n in h.notes]
    out.append('<section class="bc-safety" aria-label="Safety"><p><strong>Safety first.</strong>')
    out.append("</p>" + "".join(f"<p>{_h(s)}</p>" for s in h.safety))
    out.append(f'<p class="bc-disclaimer">{_h(DISCLAIMER)}</p></section>')
    out.append('<section class="bc-glance"><h2>At a glance</h2><ol>')
    out += [
        f"<li><strong>{_h(c.name)}</strong> ({_h(c.phase_label.lower())}): {_h(c.dose)}</li>"
        for c in h.cards
    ]
    out.append("</ol></section>")
    for phase in PHASES:
        cards = [c for c in h.cards if c.phase == phase]
        if not cards:
            continue
        out.append(f'<section class="bc-phase-section"><h2>{_h(_phase_label(course, phase))}</h2>')
        out += [_card_html(c, course, dpi=dpi, steps=True) for c in cards]
        out.append("</section>")
    out.append(f'<section class="bc-plan-section"><h2>The next {len(h.weeks)} weeks</h2>')
    if h.progression:
        out.append(f"<p>{_h(h.progression)}</p>")
    out.append(
        f"<p>Tick a box for each session you do ({h.sessions_per_week} a week).</p>"
        '<table class="bc-plan"><thead><tr><th>Week</th><th>Session</th>'
        "<th>What changes</th><th>Done</th></tr></thead><tbody>"
    )
    for w in h.weeks:
        changes = "".join(f"<li>{_h(c)}</li>" for c in w.changes)
        out.append(
            f"<tr><td>{w.week}</td><td>{round(w.minutes)} min</td><td><ul>{changes}</ul></td>"
            f'<td class="bc-boxes" aria-label="{h.sessions_per_week} boxes to tick">'
            f"{_boxes(h.sessions_per_week)}</td></tr>"
        )
    out.append("</tbody></table></section>")
    if h.sources:
        out.append('<section class="bc-sources"><h2>Sources</h2><ul>')
        out += [f"<li>{_h(s)}</li>" for s in h.sources]
        out.append("</ul></section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- notebook views


# A routine or plan at a glance, for a notebook: HTML for Jupyter, the same words as text
# for text-only viewers and nbval. It is the lessons' own display block.
Glance = Block


_TH = 'style="text-align:left;padding:3px 8px;border-bottom:2px solid #c8c8c8"'
_TD = 'style="text-align:left;padding:3px 8px;vertical-align:top;border-bottom:1px solid #e4e4e4"'


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], css: str) -> str:
    th = "".join(f"<th {_TH}>{_h(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td {_TD}>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (
        f'<table class="{css}" style="border-collapse:collapse;font-size:0.95em">'
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
    )


def glance(routine: Routine) -> Glance:
    """One row per exercise: phase, dose, minutes and why it was chosen, then the total."""
    course = routine.course
    rows, lines = [], []
    for n, p in enumerate(routine.items, 1):
        phase = _phase_label(course, p.phase)
        rows.append(
            (
                str(n),
                f"<strong>{_h(p.exercise.name)}</strong>",
                _h(phase),
                _h(p.dose_text()),
                f"{p.minutes:.1f}",
                _h(p.reason),
            )
        )
        lines.append(
            f"{n}. {p.exercise.name} ({phase.lower()}): {p.dose_text()}, "
            f"about {p.minutes:.1f} min. {p.reason}"
        )
    total = (
        f"About {round(routine.minutes)} of {routine.profile.minutes_per_session} minutes, "
        f"{routine.profile.sessions_per_week} times a week."
    )
    notes = " ".join(routine.notes)
    html_text = (
        _table(("#", "Exercise", "Part", "Dose", "Minutes", "Why"), rows, "bc-glance")
        + f"<p><strong>{_h(total)}</strong> {_h(notes)}</p>"
    )
    return Glance(html_text, "\n".join([*lines, total, notes]))


def plan_glance(routine: Routine, weeks: int = PLAN_WEEKS) -> Glance:
    """The plan week by week: session minutes and what changes, then the step-back rule."""
    plan = routine.plan(weeks)
    rows = [
        (str(w.week), f"{round(w.minutes)} min", "<br>".join(_h(c) for c in w.changes))
        for w in plan.weeks
    ]
    lines = [f"Week {w.week} ({round(w.minutes)} min): " + " ".join(w.changes) for w in plan.weeks]
    html_text = (
        _table(("Week", "Session", "What changes"), rows, "bc-plan-glance")
        + f"<p><strong>Stepping back.</strong> {_h(plan.step_back)}</p>"
    )
    return Glance(html_text, "\n".join([*lines, "Stepping back: " + plan.step_back]))


# --------------------------------------------------------------------------- Markdown


def to_markdown(routine: Routine, *, name: object = "", weeks: int = PLAN_WEEKS) -> str:
    """The handout as Markdown (no pictures), every piece of text escaped."""
    h = handout(routine, name, weeks)
    e = md_escape
    out = [f"# {e(h.title)}", ""]
    if h.name:
        out += [f"For: **{e(h.name)}**", ""]
    out += [f"- **{e(k)}:** {e(v)}" for k, v in h.facts] + [""]
    out += [e(n) + "\n" for n in h.notes]
    out += ["## Safety first", ""]
    for s in (*h.safety, DISCLAIMER):
        out += [f"> {e(s)}", ">"]
    out[-1] = ""
    out += ["## At a glance", ""]
    out += [
        f"{c.number}\\. **{e(c.name)}** ({e(c.phase_label.lower())}): {e(c.dose)}  "
        for c in h.cards
    ]
    out.append("")
    for phase in PHASES:
        cards = [c for c in h.cards if c.phase == phase]
        if not cards:
            continue
        out += [f"## {e(_phase_label(routine.course, phase))}", ""]
        for c in cards:
            out += [
                f"### {c.number}\\. {e(c.name)}",
                "",
                f"**{e(c.dose)}** (about {c.minutes:.1f} min)",
                "",
                e(c.reason),
                "",
            ]
            if c.muscles:
                out += [f"Target muscles: {e(c.muscles)}", ""]
            out += [f"{i}. {e(s)}" for i, s in enumerate(c.steps, 1)]
            if c.steps:
                out.append("")
            if c.caution:
                out += [f"*{e(c.caution)}*", ""]
    out += [f"## The next {len(h.weeks)} weeks", ""]
    if h.progression:
        out += [e(h.progression), ""]
    out += ["| Week | Session | What changes |", "| --- | --- | --- |"]
    for w in h.weeks:
        out.append(
            f"| {w.week} | {round(w.minutes)} min | {'<br>'.join(e(c) for c in w.changes)} |"
        )
    out.append("")
    if h.sources:
        out += ["## Sources", ""] + [f"- {e(s)}" for s in h.sources] + [""]
    return "\n".join(out)


# --------------------------------------------------------------------------- JSON


def routine_to_dict(
    routine: Routine, *, swaps: Iterable[Sequence[str]] | None = None, name: object = ""
) -> dict[str, Any]:
    """Plain data: the answers and swaps that rebuild the routine, and its items to check."""
    pairs = swaps_of(routine) if swaps is None else tuple(tuple(s) for s in swaps)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "name": clean_name(name),
        "profile": routine.profile.to_dict(),
        "swaps": [{"replace": old, "with": new} for old, new in pairs],
        "minutes": routine.minutes,
        "stage": routine.stage,
        "items": [
            {
                "exercise": p.exercise.id,
                "name": p.exercise.name,
                "phase": p.phase,
                "sets": p.sets,
                "reps": p.reps,
                "hold_s": p.hold_s,
                "per_side": p.per_side,
                "rest_s": p.rest_s,
                "duration_min": p.duration_min,
                "minutes": p.minutes,
                "dose": p.dose_text(),
                "reason": p.reason,
            }
            for p in routine.items
        ],
        "notes": list(routine.notes),
    }


def to_json(
    routine: Routine, *, swaps: Iterable[Sequence[str]] | None = None, name: object = ""
) -> str:
    """The routine as JSON that :func:`routine_from_json` loads back.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` so the text is
    safe to embed in a web page; any JSON reader turns them back.
    """
    text = json.dumps(
        routine_to_dict(routine, swaps=swaps, name=name), indent=2, ensure_ascii=False
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


@dataclass(frozen=True)
class Saved:
    """What a saved JSON file holds once loaded: the rebuilt routine, swaps and name."""

    routine: Routine
    swaps: tuple[Swap, ...]
    name: str


_ITEM_KEYS = ("exercise", "phase", "sets", "reps", "hold_s", "rest_s", "duration_min")


def load_json(text: str | bytes, course: Course, *, verify: bool = True) -> Saved:
    """Load a file written by :func:`to_json`: rebuild the routine and check it matches.

    Raises
    ------
    ProfileError
        For text that is not such a file, answers out of range, a swap that no longer
        applies, or (with ``verify``) a rebuilt routine that differs from the saved one
        (the course data changed since it was saved).
    RedFlagStop
        When the saved answers include a red flag.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ProfileError("json", "this is not a saved routine (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as err:
        raise ProfileError("json", f"this is not a saved routine ({err})") from None
    except RecursionError:
        raise ProfileError("json", "this is not a saved routine (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ProfileError("json", f"this is not a saved routine (no format {JSON_FORMAT!r})")
    if data.get("version") != JSON_VERSION:
        raise ProfileError(
            "json",
            f"saved with format version {data.get('version')!r}; this version reads {JSON_VERSION}",
        )
    profile = Profile.from_dict(data.get("profile"))  # type: ignore[arg-type]
    raw = data.get("swaps", [])
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise ProfileError("swaps", "expected a list of {replace, with} pairs")
    pairs = [(s.get("replace"), s.get("with")) for s in raw]
    if not all(isinstance(x, str) for pair in pairs for x in pair):
        raise ProfileError("swaps", "expected exercise ids (text) in every {replace, with} pair")
    routine, applied = rebuild(profile, course, pairs, strict=True)  # type: ignore[arg-type]
    if verify:
        saved = data.get("items")
        if not isinstance(saved, list):
            raise ProfileError("items", "expected the list of saved exercises")
        now = routine_to_dict(routine)["items"]
        if len(saved) != len(now):
            raise ProfileError(
                "items",
                f"the saved routine has {len(saved)} exercises; "
                f"rebuilt from its answers it has {len(now)}. The course data "
                "has changed since it was saved: check the new routine.",
            )
        for i, (a, b) in enumerate(zip(saved, now, strict=True)):
            if not isinstance(a, dict) or any(a.get(k) != b[k] for k in _ITEM_KEYS):
                what = a.get("name", "?") if isinstance(a, dict) else "?"
                raise ProfileError(
                    "items",
                    f"exercise {i + 1} ({what}) differs when rebuilt "
                    "from the saved answers. The course data has changed since "
                    "it was saved: check the new routine.",
                )
    return Saved(routine, applied, clean_name(data.get("name", "")))


def routine_from_json(text: str | bytes, course: Course) -> Routine:
    """The routine a :func:`to_json` file describes, rebuilt and checked (see load_json)."""
    return load_json(text, course).routine


# --------------------------------------------------------------------------- iCalendar


def _ics_text(text: object) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma escaped; line breaks as \\n."""
    s = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    s = s.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return "".join(c for c in s if c == "\t" or unicodedata.category(c) != "Cc")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    out, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(cur)
            cur, size = " ", 1
        cur += ch
        size += n
    out.append(cur)
    return "\r\n".join(out)


def session_days(sessions_per_week: int) -> tuple[int, ...]:
    """Days (0-6 from the start day) spread evenly over a week, e.g. 3 -> (0, 2, 5)."""
    n = sessions_per_week
    return tuple(math.floor(i * 7 / n + 0.5) for i in range(n))


def _as_date(start: object) -> dt.date:
    if start is None:
        return dt.date.today()
    if isinstance(start, dt.datetime):
        day = start.date()
    elif isinstance(start, dt.date):
        day = start
    else:
        try:
            day = dt.date.fromisoformat(start)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ProfileError(
                "start", f"expected a date like 2025-01-06, got {reprlib.repr(start)}"
            ) from None
    # A plan runs weeks past its start; the whole of it must stay within plausible days.
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ProfileError("start", f"must be from {day_range_text()}, got {day.isoformat()}")
    return day


def to_ics(
    routine: Routine,
    start: object = None,
    weeks: int = PLAN_WEEKS,
    *,
    name: object = "",
    at: dt.time = SESSION_TIME,
    alarm_min: int = 15,
) -> str:
    """The sessions of the next ``weeks`` weeks as an iCalendar file (RFC 5545).

    Sessions are spread evenly over each week from ``start`` (today when omitted), at the
    local time ``at``; each lasts that week's session minutes and lists its doses. UIDs and
    DTSTAMP come from the start date and the name, so the same input gives the same file and
    importing it again updates the events instead of duplicating them.
    """
    first = _as_date(start)
    if not routine.items:
        raise BackcourseError(
            "This routine has no exercises, so there are no sessions to put in a calendar. "
            "Change the answers until the builder shows a routine, then export again."
        )
    plan = routine.plan(weeks)
    who = clean_name(name)
    tag = slug(who, "routine")
    stamp = dt.datetime.combine(first, dt.time(0, 0)).strftime("%Y%m%dT%H%M%SZ")
    days = session_days(plan.sessions_per_week)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//backcourse//routine builder//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _ics_text("Back exercises" + (f" - {who}" if who else "")),
    ]
    g = routine.course.guidelines
    for w in plan.weeks:
        for n, offset in enumerate(days, 1):
            day = first + dt.timedelta(days=7 * (w.week - 1) + offset)
            begin = dt.datetime.combine(day, at)
            minutes = max(1, math.ceil(w.minutes))
            doses = [
                f"{g.label('phases', p.phase).capitalize()}: {p.exercise.name} - {p.dose_text()}"
                for p in w.items
            ]
            desc = [f"Week {w.week}, session {n} of {len(days)}: about {minutes} minutes."]
            desc += doses
            desc += ["What changes this week: " + " ".join(w.changes)]
            desc += [plan.step_back]
            summary = f"Back exercises, week {w.week} ({minutes} min)"
            if who:
                summary += f" - {who}"
            lines += [
                "BEGIN:VEVENT",
                f"UID:{tag}-{first:%Y%m%d}-w{w.week:02d}-s{n}@backcourse",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{begin:%Y%m%dT%H%M%S}",
                f"DURATION:PT{minutes}M",
                "SUMMARY:" + _ics_text(summary),
                "DESCRIPTION:" + _ics_text("\n".join(desc)),
                "CATEGORIES:" + _ics_text("Exercise"),
                "TRANSP:OPAQUE",
            ]
            if alarm_min:
                lines += [
                    "BEGIN:VALARM",
                    "ACTION:DISPLAY",
                    "DESCRIPTION:" + _ics_text(summary),
                    f"TRIGGER:-PT{int(alarm_min)}M",
                    "END:VALARM",
                ]
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"


# --------------------------------------------------------------------------- PDF
# Written with fpdf2 (pure Python, on PyPI): real PDF text with an embedded, subset font,
# PNG pictures embedded as they are, and measured line wrapping. Drawing each page as a
# matplotlib figure (the earlier way) took about a second; fpdf2 writes the handout in a
# small fraction of that and keeps it searchable and copyable.

_A4 = (210.0, 297.0)  # mm
_MARGIN = 15.0  # mm; keeps the content inside US Letter's shorter page too
_FOOT = 12.0  # mm kept free at the bottom for the page footer
_GAP = 6.0  # mm between the two columns of exercise cards
_PICTURE_MAX_H = 42.0  # mm: an exercise picture at most this tall
_INK = "#1a1a1a"
_MUTED = "#5f5f5f"
_RULE = "#d9d9d9"


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans regular and bold: they ship with matplotlib and cover the course's text."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return str(folder / "DejaVuSans.ttf"), str(folder / "DejaVuSans-Bold.ttf")


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@lru_cache(maxsize=1)
def _blank_pdf() -> Any:
    """An empty A4 document with the fonts loaded: each handout starts from a copy, so the
    fonts are read and parsed once per process (fpdf2 documents support deepcopy)."""
    from fpdf import FPDF

    class _Doc(FPDF):  # type: ignore[misc]
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-_FOOT + 2)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(*_rgb(_MUTED))
            self.cell(0, 4, f"{self.footer_text}  ·  page {self.page_no()}", align="C")

    regular, bold = _fonts()
    doc = _Doc(orientation="portrait", unit="mm", format="A4")
    doc.add_font("DejaVu", "", regular)
    doc.add_font("DejaVu", "B", bold)
    doc.set_margins(_MARGIN, _MARGIN, _MARGIN)
    doc.set_auto_page_break(True, margin=_FOOT + 4)
    # fpdf2's sign for "no real date" (also in the XMP data): the same routine, same bytes.
    doc.set_creation_date(dt.datetime(1969, 12, 31, 19, 0, tzinfo=dt.timezone.utc))
    doc.set_lang("en")
    return doc


@lru_cache(maxsize=4)
def _trimmed_font(path: str) -> bytes:
    """The font file without the layout tables fpdf2 drops anyway when it subsets (no text
    shaping here): reading them again for every handout took most of its time."""
    from fontTools import ttLib

    font = ttLib.TTFont(path, recalcTimestamp=False)
    for tag in ("GSUB", "GPOS", "GDEF", "kern", "hdmx", "MATH"):
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


_WIDTHS: dict[tuple[str, float, str], float] = {}  # (style, size, word) -> width in mm
_IMAGES: dict[str, Any] = {}  # fpdf2's name of a PNG -> its parsed and compressed form


class _Pdf:
    """A4 pages with a footer, paragraphs that wrap, and exercise cards in two columns."""

    def __init__(self, footer: str, meta: dict[str, str]) -> None:
        import copy

        from fontTools import ttLib

        doc = copy.deepcopy(_blank_pdf())
        for font in doc.fonts.values():
            # fpdf2 subsets the font in place when it writes: each document needs its own
            # copy, read lazily from a trimmed one held in memory; widths and cmap are shared.
            data = io.BytesIO(_trimmed_font(str(font.ttffile)))
            font.ttfont = ttLib.TTFont(data, recalcTimestamp=False, lazy=True)
        doc.footer_text = footer
        doc.set_title(meta["Title"])
        doc.set_author(meta["Author"])
        doc.set_subject(meta["Subject"])
        doc.set_creator(meta["Creator"])
        doc.set_producer(meta["Producer"])
        self.doc = doc
        self.width = _A4[0] - 2 * _MARGIN
        doc.add_page()

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        """A PNG placed as it is; one already embedded in an earlier handout is not decoded
        and compressed again (that was most of the time a handout took)."""
        import copy
        import hashlib

        key = hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()  # fpdf2's own name
        images = self.doc.image_cache.images
        if key not in images and key in _IMAGES:
            info = copy.copy(_IMAGES[key])
            info["i"], info["usages"] = len(images) + 1, 0
            images[key] = info
        self.doc.image(io.BytesIO(png), x=x, y=y, w=w, h=h)
        if key not in _IMAGES and key in images and len(_IMAGES) < 256:
            _IMAGES[key] = copy.copy(images[key])

    @property
    def bottom(self) -> float:
        return _A4[1] - _FOOT - 4

    def font(self, size: float, *, bold: bool = False, color: str = _INK) -> None:
        self.doc.set_font("DejaVu", "B" if bold else "", size)
        self.doc.set_text_color(*_rgb(color))

    def text(
        self,
        text: str,
        size: float = 9.5,
        *,
        bold: bool = False,
        color: str = _INK,
        x: float | None = None,
        width: float | None = None,
        gap: float = 1.0,
        dry: bool = False,
    ) -> float:
        """A wrapped paragraph at ``x`` (mm from the left edge); returns its height in mm.

        Lines are broken here, word by word on measured widths, and each is written as one
        cell: fpdf2's own paragraph breaking re-measures the line at every character.
        """
        self.font(size, bold=bold, color=color)
        w = width if width is not None else self.width
        left = _MARGIN if x is None else x
        line_h = size * 0.45
        lines = self._wrap(" ".join(str(text).split()), w)
        if not dry:
            for line in lines:
                if self.doc.get_y() + line_h > self.bottom:
                    self.doc.add_page()
                self.doc.set_x(left)
                self.doc.cell(w, line_h, line, new_x="LMARGIN", new_y="NEXT")
            self.doc.set_y(self.doc.get_y() + gap)
        return len(lines) * line_h + gap

    def _wrap(self, text: str, width: float) -> list[str]:
        style, size = self.doc.font_style, self.doc.font_size_pt

        def measure(word: str) -> float:
            key = (style, size, word)
            if key not in _WIDTHS:
                _WIDTHS[key] = self.doc.get_string_width(word)
            return _WIDTHS[key]

        space = measure(" ")
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        for word in text.split(" "):
            ww = measure(word)
            if line and used + space + ww > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += (space if line else 0.0) + ww
            line.append(word)
        lines.append(" ".join(line))
        return lines

    def rule(self, colour: str = _RULE) -> None:
        y = self.doc.get_y() + 1.5
        self.doc.set_draw_color(*_rgb(colour))
        self.doc.set_line_width(0.3)
        self.doc.line(_MARGIN, y, _A4[0] - _MARGIN, y)
        self.doc.set_y(y + 2.5)

    def room(self, height: float) -> None:
        """A new page unless ``height`` mm fit below the current line."""
        if self.doc.get_y() + height > self.bottom:
            self.doc.add_page()

    # ------------------------------------------------------------------ cards

    def _card(self, c: Card, png: bytes, colour: str, x: float, w: float, dry: bool) -> float:
        """Draw (or measure, when ``dry``) one exercise card at ``x``; its height in mm."""
        top = self.doc.get_y()
        h = 0.0

        def para(text: str, size: float, **kw: Any) -> None:
            nonlocal h
            if not dry:
                self.doc.set_y(top + h)
            h += self.text(text, size, x=x, width=w, dry=dry, **kw)

        if not dry:
            self.doc.set_fill_color(*_rgb(colour))
            self.doc.rect(x, top, w, 1.0, style="F")
        h += 1.8
        para(c.phase_label, 7, bold=True, color=colour, gap=0.2)
        para(f"{c.number}. {c.name}", 10, bold=True, gap=0.3)
        para(f"{c.dose}  (about {c.minutes:.1f} min)", 8, bold=True, gap=0.5)
        para(c.reason, 7, color="#333333", gap=0.3)
        if c.muscles:
            para(f"Target muscles: {c.muscles}", 6.5, color="#444444", gap=0.6)
        pw, ph = _png_size(png)
        img_w = min(w, _PICTURE_MAX_H * pw / ph)
        img_h = img_w * ph / pw
        if not dry:
            self.image(png, x=x, y=top + h, w=img_w, h=img_h)
        h += img_h + 0.8
        for i, step in enumerate(c.steps, 1):
            para(f"{i}. {step}", 6.8, gap=0.15)
        if c.caution:
            para(c.caution, 6.5, color=_MUTED, gap=0.15)
        return h + 3.0

    def cards(self, cards: Sequence[Card], pngs: Sequence[bytes], colours: Sequence[str]) -> None:
        """Cards in three newspaper columns: down the first column, then the next, then a new
        page; a card is never split."""
        per_page = 3
        w = (self.width - _GAP * (per_page - 1)) / per_page
        top, col, y = self.doc.get_y(), 0, self.doc.get_y()
        lowest = top
        for c, png, colour in zip(cards, pngs, colours, strict=True):
            h = self._card(c, png, colour, _MARGIN, w, dry=True)
            while y + h > self.bottom:
                if y > top and col + 1 < per_page:  # no room left here: the next column
                    col, y = col + 1, top
                    continue
                if y == top and top <= _MARGIN + 1:
                    break  # a card taller than a page: it gets a column of its own
                self.doc.add_page()  # no column left, or not even an empty one is tall enough
                top = y = lowest = self.doc.get_y()
                col = 0
            self.doc.set_y(y)
            self._card(c, png, colour, _MARGIN + col * (w + _GAP), w, dry=False)
            y += h
            lowest = max(lowest, y)
        self.doc.set_y(lowest)

    def bytes(self) -> bytes:
        return bytes(self.doc.output())


def pdf_bytes(
    routine: Routine, *, name: object = "", weeks: int = PLAN_WEEKS, dpi: int = HANDOUT_DPI
) -> bytes:
    """The handout as a PDF: summary, safety, the exercises with their pictures three to a
    row, and the plan week by week; an 8-exercise routine fits on three A4 pages.

    The margins also fit US Letter. The bytes are stable: no creation date, fixed producer,
    the font embedded as a subset (so the text can be searched and copied).
    """
    h = handout(routine, name, weeks)
    course = routine.course
    pdf = _Pdf(
        "backcourse routine" + (f" for {h.name}" if h.name else ""),
        {
            "Title": h.title,
            "Author": h.name or "backcourse",
            "Subject": "Back exercise routine",
            "Creator": "backcourse",
            "Producer": "backcourse (fpdf2)",
        },
    )
    pdf.text(h.title, 17, bold=True, gap=1.5)
    if h.name:
        pdf.text(f"For: {h.name}", 11.5, gap=1.5)
    for k, v in h.facts:
        pdf.text(f"{k}: {v}", 9, gap=0.2)
    for n in h.notes:
        pdf.text(n, 9, gap=0.8)
    pdf.rule()
    pdf.text("Safety first", 11, bold=True, color="#D55E00", gap=0.8)
    for s in h.safety:
        pdf.text(s, 8.5, gap=0.6)
    pdf.text(DISCLAIMER, 7.5, color=_MUTED, gap=0.5)
    pdf.rule()
    pdf.text("At a glance", 11, bold=True, gap=0.8)
    for c in h.cards:
        pdf.text(f"{c.number}. {c.name} ({c.phase_label}): {c.dose}", 8.5, gap=0.2)
    pdf.rule()
    # The cards in the routine's order (warm-up, main block, cool-down), each tagged with its
    # phase in the phase's colour, three to a row.
    pdf.cards(
        h.cards,
        [illustration(c.item.exercise, course, dpi)[0] for c in h.cards],
        [PHASE_CSS.get(c.phase, _INK) for c in h.cards],
    )
    pdf.room(30)
    pdf.text(f"The next {len(h.weeks)} weeks", 13, bold=True, gap=1.0)
    if h.progression:
        pdf.text(h.progression, 8.5, gap=1.5)
    for row in h.weeks:
        boxes = "   " + "[  ] " * h.sessions_per_week
        lines = 1 + len(row.changes)
        pdf.room(lines * 4.2 + 1)
        pdf.text(f"Week {row.week} - about {round(row.minutes)} min{boxes}", 9, bold=True, gap=0.2)
        for ch in row.changes:
            pdf.text(ch, 8, x=_MARGIN + 5, width=pdf.width - 5, gap=0.2)
        pdf.doc.ln(0.8)
    if h.sources:
        pdf.room(14)
        pdf.text("Sources", 10, bold=True, gap=0.5)
        for s in h.sources:
            pdf.text(s, 7, gap=0.3)
    return pdf.bytes()


def to_pdf(
    routine: Routine, path: str | os.PathLike[str], *, name: object = "", weeks: int = PLAN_WEEKS
) -> Path:
    """Write the PDF handout to ``path`` (atomically) and return the path."""
    return _write(Path(path), pdf_bytes(routine, name=name, weeks=weeks))


# --------------------------------------------------------------------------- files


def _write(path: Path, data: bytes) -> Path:
    """Write bytes atomically: a temporary file in the same folder, then a rename.

    Temporary files an earlier, killed write of the same file left behind are removed
    (see ``backcourse.files``).
    """
    with atomic_open(path, "wb") as f:
        f.write(data)
    return path


def render(
    routine: Routine,
    fmt: str,
    *,
    name: object = "",
    swaps: Iterable[Sequence[str]] | None = None,
    start: object = None,
    weeks: int = PLAN_WEEKS,
) -> bytes:
    """The bytes of one format (html, pdf, markdown, ics or json)."""
    _ext(fmt)
    if fmt == "html":
        return to_html(routine, name=name, weeks=weeks).encode("utf-8")
    if fmt == "markdown":
        return to_markdown(routine, name=name, weeks=weeks).encode("utf-8")
    if fmt == "json":
        return to_json(routine, swaps=swaps, name=name).encode("utf-8")
    if fmt == "ics":
        return to_ics(routine, start=start, weeks=weeks, name=name).encode("utf-8")
    return pdf_bytes(routine, name=name, weeks=weeks)


def save(
    routine: Routine,
    fmt: str,
    folder: str | os.PathLike[str] = "handouts",
    *,
    name: object = "",
    swaps: Iterable[Sequence[str]] | None = None,
    start: object = None,
    weeks: int = PLAN_WEEKS,
) -> Path:
    """Write one format into ``folder`` (created) under :func:`file_name`; return the path."""
    data = render(routine, fmt, name=name, swaps=swaps, start=start, weeks=weeks)
    return _write(Path(folder) / file_name(fmt, name), data)


def download_link(
    path: str | os.PathLike[str], label: str | None = None, data: bytes | None = None
) -> str:
    """An HTML anchor that downloads the file from a data: URI (works offline, in Voila too)."""
    p = Path(path)
    fmt = next((k for k, v in FORMATS.items() if v == p.suffix.lstrip(".")), "")
    mime = MIME.get(fmt, "application/octet-stream")
    raw = p.read_bytes() if data is None else data
    text = label or f"Download {p.name}"
    return (
        f'<a class="bc-download" download="{_h(p.name)}" href="{data_uri(raw, mime)}">'
        f"{_h(text)}</a>"
    )
