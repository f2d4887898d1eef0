"""Charts of one session: which muscles a routine trains, and its time budget as a timeline.

Each returns a ``matplotlib.figure.Figure`` with an ``alt_text`` that states what the chart
shows in words, numbers included, so nothing is only in the picture.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ...model import PHASES, Routine
from .. import style
from .common import fmt as _fmt
from .common import short as _short

# --------------------------------------------------------------------------- coverage


@style.styled
def coverage_chart(routine: Routine) -> Figure:
    """Which muscles a routine trains: one bar per muscle of the course, grouped.

    A primary target counts 1 per exercise, a secondary one 0.5 (``Routine.coverage``).
    Muscles the routine does not reach are listed with an empty bar, so gaps show.
    """
    course = routine.course
    primary: dict[str, float] = {}
    secondary: dict[str, float] = {}
    for p in routine.items:
        for m in p.exercise.muscles:
            primary[m] = primary.get(m, 0.0) + 1.0
        for m in p.exercise.secondary_muscles:
            secondary[m] = secondary.get(m, 0.0) + 0.5
    muscles = list(course.muscles.values())
    targets = (
        {m for group in course.guidelines.coverage.get("main", {}).values() for m in group}
        if hasattr(course.guidelines, "coverage")
        else set()
    )
    n = len(muscles)
    fig = style.figure(9.5, 1.6 + 0.36 * n)
    ax = fig.add_subplot()
    ys = np.arange(n)[::-1]
    p_vals = np.array([primary.get(m.id, 0.0) for m in muscles])
    s_vals = np.array([secondary.get(m.id, 0.0) for m in muscles])
    ax.barh(ys, p_vals, color=style.PALETTE["blue"], height=0.7, label="main target (1 each)")
    ax.barh(
        ys,
        s_vals,
        left=p_vals,
        color=style.PALETTE["sky_blue"],
        height=0.7,
        label="also worked (0.5 each)",
    )
    labels = []
    for m in muscles:
        star = " \u25cf" if m.id in targets else ""
        labels.append(_short(m.name) + star)
    ax.set_yticks(ys, labels)
    top = max(1.0, float((p_vals + s_vals).max()))
    for y, pv, sv in zip(ys, p_vals, s_vals, strict=True):
        total = pv + sv
        text = _fmt(total) if total else "not trained"
        ax.text(
            total + top * 0.015,
            y,
            text,
            va="center",
            fontsize=style.BASE_SIZE - 2,
            color=style.INK if total else style.MUTED,
        )
    # group bands: a faint stripe behind every other muscle group
    groups: list[tuple[str, list[int]]] = []
    for i, m in enumerate(muscles):
        if not groups or groups[-1][0] != m.group:
            groups.append((m.group, []))
        groups[-1][1].append(i)
    for k, (_group, idx) in enumerate(groups):
        if k % 2 == 0:
            y_hi, y_lo = ys[idx[0]] + 0.5, ys[idx[-1]] - 0.5
            ax.axhspan(y_lo, y_hi, color="#F1F3F5", zorder=0, lw=0)
    ax.set_xlim(0, top * 1.22)
    ax.set_ylim(-0.6, n - 0.4)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("How much the routine works it (exercises; a secondary target counts half)")
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    handles = [
        Patch(color=style.PALETTE["blue"], label="main target of an exercise (1 each)"),
        Patch(color=style.PALETTE["sky_blue"], label="also worked (0.5 each)"),
    ]
    title_note = "\u25cf a muscle a balanced session aims to train" if targets else None
    ax.legend(
        handles=handles,
        loc="lower right",
        title=title_note,
        alignment="left",
        title_fontsize=style.BASE_SIZE - 2,
        fontsize=style.BASE_SIZE - 2,
    )
    fig.suptitle("Which muscles this routine trains", x=0.01, ha="left")
    trained = [
        (p_vals[i] + s_vals[i], _short(m.name))
        for i, m in enumerate(muscles)
        if p_vals[i] + s_vals[i] > 0
    ]
    trained.sort(key=lambda t: (-t[0], t[1]))
    missing = [_short(m.name) for i, m in enumerate(muscles) if p_vals[i] + s_vals[i] == 0]
    missing_targets = [
        _short(m.name) for i, m in enumerate(muscles) if m.id in targets and p_vals[i] == 0
    ]
    fig.alt_text = (  # type: ignore[attr-defined]
        f"Bar chart of how much a {len(routine.items)}-exercise routine works each of the "
        f"course's {n} muscles. Most worked: "
        + ", ".join(f"{name} {_fmt(v)}" for v, name in trained[:5])
        + ". "
        + (f"Not trained: {', '.join(missing)}. " if missing else "Every muscle is trained. ")
        + (
            f"Balanced-session targets not worked as a main target: {', '.join(missing_targets)}."
            if missing_targets
            else ""
        )
    ).strip()
    return fig


# --------------------------------------------------------------------------- time budget


@style.styled
def time_budget_chart(routine: Routine) -> Figure:
    """The session as a timeline: each exercise's minutes in order, coloured by phase, the
    phase totals, and the minutes the learner has available."""
    course = routine.course
    budget = routine.time_budget()
    available = float(routine.profile.minutes_per_session)
    items = list(routine.items)
    n = len(items)
    fig = style.figure(10.0, 2.6 + 0.42 * n)
    ax = fig.add_subplot()
    start = 0.0
    rows = n + 1
    for i, p in enumerate(items):
        y = rows - 1 - i
        colour = style.PHASE_COLOURS.get(p.phase, style.PALETTE["blue"])
        ax.barh(y, p.minutes, left=start, color=colour, height=0.62, edgecolor="white", lw=1)
        ax.text(
            start + p.minutes + 0.15,
            y,
            f"{_fmt(round(p.minutes, 1))} min",
            va="center",
            fontsize=style.BASE_SIZE - 2.5,
            color=style.MUTED,
        )
        start += p.minutes
    # the phase totals as one stacked bar at the bottom
    left = 0.0
    for ph in PHASES:
        v = budget.get(ph, 0.0)
        if v <= 0:
            continue
        colour = style.PHASE_COLOURS.get(ph, style.PALETTE["blue"])
        ax.barh(0, v, left=left, color=colour, height=0.75, edgecolor="white", lw=1.5)
        if v >= available * 0.09:
            ax.text(
                left + v / 2,
                0,
                f"{_fmt(round(v, 1))}",
                ha="center",
                va="center",
                color="white",
                fontsize=style.BASE_SIZE - 1,
                weight="bold",
            )
        left += v
    total = sum(budget.values())
    ax.axvline(available, color=style.INK, lw=2, ls=(0, (5, 3)), zorder=5)
    ax.text(
        available,
        rows - 0.35,
        f" {int(available)} min available",
        ha="left" if total <= available else "right",
        va="bottom",
        fontsize=style.BASE_SIZE - 1,
        weight="bold",
    )
    names = [p.exercise.name for p in items]
    ax.set_yticks([*range(rows - 1, 0, -1), 0], [*names, "Session total"])
    ax.set_ylim(-0.7, rows + 0.2)
    xmax = max(available, total) * 1.12
    ax.set_xlim(0, xmax)
    ax.set_xlabel("Minutes from the start of the session")
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    handles = [
        Patch(
            color=style.PHASE_COLOURS[ph],
            label=course.guidelines.label("phases", ph)
            + f" ({_fmt(round(budget.get(ph, 0.0), 1))} min)",
        )
        for ph in PHASES
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=style.BASE_SIZE - 1.5)
    fig.suptitle(
        f"The session: about {_fmt(round(total, 1))} of {int(available)} minutes", x=0.01, ha="left"
    )
    words = ", ".join(
        f"{course.guidelines.label('phases', ph)} {_fmt(round(budget.get(ph, 0.0), 1))} min"
        for ph in PHASES
    )
    fig.alt_text = (  # type: ignore[attr-defined]
        f"Timeline of a session of {n} exercises, about {_fmt(round(total, 1))} minutes against "
        f"{int(available)} minutes available: {words}. In order: "
        + "; ".join(f"{p.exercise.name} {_fmt(round(p.minutes, 1))} min" for p in items)
        + "."
    )
    return fig
