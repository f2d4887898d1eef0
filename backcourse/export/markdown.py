"""The handout as Markdown (no pictures), with :func:`md_escape` for every piece of text."""

from __future__ import annotations

import re

from ..model import PHASES, Routine
from .handout import handout, phase_label

__all__ = ["md_escape", "to_markdown"]

# A line break inside a Markdown table cell: Markdown has none of its own, and every
# renderer of tables (GitHub, Jupyter, pandoc) accepts this one.
_CELL_BREAK = "<br>"

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


def to_markdown(routine: Routine, *, name: object = "", weeks: int | None = None) -> str:
    """The handout as Markdown (no pictures), every piece of text escaped."""
    h = handout(routine, name, weeks)
    e = md_escape
    out = [f"# {e(h.title)}", ""]
    if h.name:
        out += [f"For: **{e(h.name)}**", ""]
    out += [f"- **{e(k)}:** {e(v)}" for k, v in h.facts] + [""]
    out += [e(n) + "\n" for n in h.notes]
    out += ["## Safety first", ""]
    for s in (*h.safety, *filter(None, [h.disclaimer])):
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
        out += [f"## {e(phase_label(routine.course, phase))}", ""]
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
            f"| {w.week} | {round(w.minutes)} min | {_CELL_BREAK.join(e(c) for c in w.changes)} |"
        )
    out.append("")
    if h.sources:
        out += ["## Sources", ""] + [f"- {e(s)}" for s in h.sources] + [""]
    return "\n".join(out)
