"""The prevalence figures of the sources side by side, as ranges on one 0-100% scale.

Returns a ``matplotlib.figure.Figure`` with an ``alt_text`` (a lesson figure, drawn once).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from ...model import Course
from .. import style
from .common import fmt as _fmt

# --------------------------------------------------------------------------- prevalence


def _measure_words(text: str) -> str:
    head = text.split(":")[0].strip()
    return head[:1].upper() + head[1:]


def _source_words(course: Course, ids: Sequence[str]) -> str:
    out = []
    for sid in ids:
        src = course.sources.get(sid)
        if src is None:
            continue
        if src.authors:
            first = src.authors.split(",")[0].split(" and ")[0].strip()
            who = first + (" et al." if "," in src.authors or " and " in src.authors else "")
            out.append(f"{who} ({src.year})" if src.year else who)
        else:
            out.append(src.publisher or src.title)
    return "; ".join(out)


@style.styled
def prevalence_chart(course: Course) -> Figure:
    """The sources' prevalence figures side by side as ranges on one 0-100% scale, each with
    what it measures, who was counted and where it comes from."""
    facts = list(course.facts.get("prevalence", ()))
    n = max(1, len(facts))
    fig = style.figure(11.0, 1.3 + 2.0 * n)
    ax = fig.add_subplot()
    colours = list(style.CYCLE)
    for i, f in enumerate(facts):
        y = n - 1 - i
        lo, hi = float(f.data["low_pct"]), float(f.data["high_pct"])
        c = colours[i % len(colours)]
        ax.plot([0, 100], [y, y], color=style.GRID, lw=1.0, zorder=0)
        if hi - lo < 1.0:
            ax.plot([lo], [y], marker="o", ms=15, color=c, zorder=3)
            label = f"{_fmt(lo)}%"
        else:
            ax.plot([lo, hi], [y, y], color=c, lw=14, solid_capstyle="round", zorder=3)
            label = f"{_fmt(lo)}-{_fmt(hi)}%"
        ax.text(
            hi + 3.0, y, label, va="center", fontsize=style.BASE_SIZE + 1, weight="bold", color=c
        )
        ax.text(0, y + 0.22, f.title, fontsize=style.BASE_SIZE, weight="bold", va="bottom")
        detail = (
            f"Counts: {_measure_words(str(f.data.get('measure', '')))}. "
            f"Who: {str(f.data.get('population', '')).rstrip('.')}. "
            f"Source: {_source_words(course, f.sources)}."
        )
        ax.text(
            0,
            y - 0.2,
            style.wrap(detail, 118),
            fontsize=style.BASE_SIZE - 2.5,
            va="top",
            color=style.INK,
            linespacing=1.15,
        )
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.75, n - 0.35)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xticks(range(0, 101, 10), [f"{v}%" for v in range(0, 101, 10)])
    ax.set_xlabel("Share of people with low back pain")
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    fig.suptitle("How common is low back pain? It depends what is counted", x=0.01, ha="left")
    fig.alt_text = (  # type: ignore[attr-defined]
        "Range chart of the prevalence figures the sources give: "
        + "; ".join(
            f"{f.title}: {_fmt(float(f.data['low_pct']))}"
            + (
                f" to {_fmt(float(f.data['high_pct']))}"
                if f.data["high_pct"] != f.data["low_pct"]
                else ""
            )
            + f"% ({_measure_words(str(f.data.get('measure', ''))).lower()})"
            for f in facts
        )
        + ". The figures differ because they count different things over different time windows."
    )
    return fig
