"""Charts: a routine's muscle coverage and time budget, the week-by-week plan, the learner's
pain-and-sessions trend, and the prevalence figures of the sources side by side.

Every chart returns a ``matplotlib.figure.Figure`` with an ``alt_text`` that states what the
chart shows in words, numbers included, so nothing is only in the picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from ..model import (
    EARLIEST_DAY,
    LATEST_DAY,
    PHASES,
    Course,
    Plan,
    Prescription,
    Routine,
    day_range_text,
)
from . import style


def _short(name: str) -> str:
    """'Hamstrings (biceps femoris, ...)' -> 'Hamstrings'."""
    return name.split(" (")[0]


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


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


# --------------------------------------------------------------------------- plan


def _dose_cell(p: Prescription) -> tuple[str, float]:
    """Short dose words for a plan cell, and a number that grows with the dose."""
    if p.duration_min is not None:
        return f"{p.duration_min} min", float(p.duration_min)
    if p.reps is not None and p.hold_s:
        return f"{p.sets}\u00d7{p.reps}\n{p.hold_s} s", float(p.sets * p.reps * p.hold_s)
    if p.reps is not None:
        return f"{p.sets}\u00d7{p.reps}", float(p.sets * p.reps)
    if p.hold_s:
        return f"{p.sets}\u00d7{p.hold_s} s", float(p.sets * p.hold_s)
    return f"{p.sets} set{'s' if p.sets != 1 else ''}", float(p.sets)


@style.styled
def plan_chart(plan: Plan) -> Figure:
    """The plan week by week: session minutes per week (steps up marked) over a grid of each
    exercise's dose per week, darker as it grows."""
    routine = plan.routine
    weeks = list(plan.weeks)
    nw = len(weeks)
    order: list[str] = []
    names: dict[str, str] = {}
    phase_of: dict[str, str] = {}
    for w in weeks:
        for p in w.items:
            if p.exercise.id not in names:
                order.append(p.exercise.id)
                names[p.exercise.id] = p.exercise.name
                phase_of[p.exercise.id] = p.phase
    phase_rank = {ph: i for i, ph in enumerate(PHASES)}
    seen = {e: i for i, e in enumerate(order)}
    order.sort(key=lambda e: (phase_rank.get(phase_of[e], 9), seen[e]))
    ne = len(order)
    # Fixed margins measured in inches instead of constrained layout: the layout engine
    # costs a second full draw and dominates the time of a chart drawn per answer.
    label_w = _text_width_in([names[e] for e in order], style.BASE_SIZE - 1)
    left, right, top, bottom = label_w + 0.35, 1.25, 0.62, 1.05
    top_h, gap, grid_h = 1.75, 0.3, max(1.6, 0.46 * ne)
    width = max(9.0, left + right + 0.78 * nw)
    height = top + top_h + gap + grid_h + bottom
    fig = style.figure(width, height, layout="none")
    ax_top = fig.add_axes(_rect_in(fig, left, bottom + grid_h + gap, width - left - right, top_h))
    ax = fig.add_axes(_rect_in(fig, left, bottom, width - left - right, grid_h), sharex=ax_top)
    xs = np.array([w.week for w in weeks])
    mins = np.array([w.minutes for w in weeks])
    available = float(routine.profile.minutes_per_session)
    ax_top.bar(xs, mins, color=style.PALETTE["blue"], width=0.66)
    ax_top.axhline(available, color=style.INK, lw=1.6, ls=(0, (5, 3)))
    ax_top.text(
        xs[-1] + 0.5,
        available,
        f"{int(available)} min\navailable",
        va="bottom",
        ha="left",
        fontsize=style.BASE_SIZE - 2.5,
    )
    steps = [w.week for w in weeks if any(c.startswith("Step up") for c in w.changes)]
    for wk in steps:
        m = mins[wk - weeks[0].week]
        ax_top.plot(
            [wk],
            [m + available * 0.08],
            marker="^",
            ms=11,
            color=style.HIGHLIGHT,
            ls="none",
            zorder=5,
        )
    ax_top.set_ylim(0, max(available, float(mins.max())) * 1.3)
    ax_top.set_ylabel("Minutes")
    ax_top.grid(axis="y")
    ax_top.set_axisbelow(True)
    ax_top.tick_params(labelbottom=False)
    # the dose grid
    values = np.full((ne, nw), np.nan)
    cells: dict[tuple[int, int], str] = {}
    for j, w in enumerate(weeks):
        for p in w.items:
            i = order.index(p.exercise.id)
            text, v = _dose_cell(p)
            values[i, j] = v
            cells[(i, j)] = text
    # One collection of boxes rather than a patch each: far fewer artists to lay out and draw.
    boxes: list[Rectangle] = []
    faces: list[Any] = []
    edges: list[str] = []
    widths: list[float] = []
    # Weeks in a row with the same dose share one box and one label: the plan reads as runs
    # of a dose, and a chart of a few dozen artists instead of one per cell draws at once.
    for i in range(ne):
        row = values[i]
        first = row[~np.isnan(row)][0] if np.any(~np.isnan(row)) else 1.0
        j = 0
        while j < nw:
            if np.isnan(row[j]):
                j += 1
                continue
            new = j > 0 and np.isnan(row[j - 1])
            end = j
            while (
                not new
                and end + 1 < nw
                and not np.isnan(row[end + 1])
                and cells[(i, end + 1)] == cells[(i, j)]
            ):
                end += 1
            growth = min(1.0, (row[j] / first - 1.0) / 1.5) if first else 0.0
            colour = _blend("#FFFFFF", style.PALETTE["sky_blue"], 0.25 + 0.75 * max(0.0, growth))
            boxes.append(
                Rectangle((xs[j] - 0.46, ne - 1 - i - 0.44), float(xs[end] - xs[j]) + 0.92, 0.88)
            )
            faces.append(colour)
            edges.append(style.HIGHLIGHT if new else "white")
            widths.append(2.4 if new else 1.0)
            ax.text(
                (xs[j] + xs[end]) / 2,
                ne - 1 - i,
                cells[(i, j)],
                ha="center",
                va="center",
                fontsize=style.BASE_SIZE - (3.5 if "\n" in cells[(i, j)] else 2.5),
                linespacing=0.95,
            )
            j = end + 1
    ax.add_collection(
        PatchCollection(boxes, facecolors=faces, edgecolors=edges, linewidths=widths, zorder=1)
    )
    ax.set_yticks(range(ne - 1, -1, -1), [names[e] for e in order])
    ax.set_ylim(-0.6, ne - 0.4)
    ax.set_xlim(xs[0] - 0.6, xs[-1] + 1.4)
    ax.set_xticks(xs, [str(x) for x in xs])
    ax.set_xlabel("Week")
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    fig.suptitle(f"The {nw}-week plan: dose per exercise, week by week", x=0.01, ha="left")
    handles = [
        Patch(
            fc=_blend("#FFFFFF", style.PALETTE["sky_blue"], 0.25), ec="none", label="starting dose"
        ),
        Patch(fc=style.PALETTE["sky_blue"], ec="none", label="grown dose"),
        Patch(fc="white", ec=style.HIGHLIGHT, lw=2.4, label="stepped up to a new exercise"),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.02),
        ncols=3,
        fontsize=style.BASE_SIZE - 2,
    )
    step_text = [c for w in weeks for c in w.changes if c.startswith("Step up")]
    fig.alt_text = (  # type: ignore[attr-defined]
        f"A {nw}-week plan for {ne} exercises. Session length goes from "
        f"{_fmt(round(float(mins[0]), 1))} to {_fmt(round(float(mins[-1]), 1))} minutes, against "
        f"{int(available)} minutes available. "
        + (
            " ".join(
                f"Week {w.week}: {c}" for w in weeks for c in w.changes if c.startswith("Step up")
            )
            if step_text
            else "No exercise steps up in this plan."
        )
        + " Doses in the last week: "
        + "; ".join(
            f"{names[order[i]]} {cells[(i, nw - 1)].replace(chr(10), ', ')}"
            for i in range(ne)
            if (i, nw - 1) in cells
        )
        + "."
    )
    return fig


def _text_width_in(texts: Sequence[str], size: float) -> float:
    """The width in inches of the widest of ``texts`` in the house font at ``size`` points
    (measured from the font itself: no figure needs drawing)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=style.FONT, size=size)
    measure = TextToPath().get_text_width_height_descent
    return max((measure(t, prop, ismath=False)[0] for t in texts), default=0.0) / 72


def _rect_in(fig: Figure, left: float, bottom: float, width: float, height: float) -> list[float]:
    """An axes rectangle given in inches, as the figure fractions ``add_axes`` takes."""
    fw, fh = fig.get_size_inches()
    return [left / fw, bottom / fh, width / fw, height / fh]


def _stack_in(
    fig: Figure,
    axes: Sequence[Any],
    ratios: Sequence[float],
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    gap: float,
) -> None:
    """Place axes one above the other, heights in ``ratios``, margins and gap in inches."""
    fw, fh = fig.get_size_inches()
    free = fh - top - bottom - gap * (len(axes) - 1)
    y = fh - top
    for a, r in zip(axes, ratios, strict=True):
        h = free * r / sum(ratios)
        y -= h
        a.set_position(_rect_in(fig, left, y, fw - left - right, h))
        y -= gap


def _blend(a: str, b: str, t: float) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    ca, cb = np.array(to_rgb(a)), np.array(to_rgb(b))
    return tuple(ca + (cb - ca) * t)  # type: ignore[return-value]


# --------------------------------------------------------------------------- pain trend


def _pain_change(course: Course | None) -> int:
    if course is None:
        from ..catalog import load_course

        course = load_course()
    return int(course.guidelines.progression["step_back_pain_rise"])


@style.styled
def pain_trend_chart(entries: Sequence[Any], course: Course | None = None) -> Figure:
    """Pain (0-10) over time with the band of change that is too small to matter, and the
    minutes of each session as bars below.

    Parameters
    ----------
    entries
        Objects with ``.day`` (date), ``.pain`` (0-10), ``.exercised`` (bool) and
        ``.minutes`` (int), e.g. ``ProgressLog.entries()``; any order.
    course
        Gives the size of a change that matters (``guidelines.progression.step_back_pain_rise``);
        the bundled course when None.
    """
    change = _pain_change(course)
    # A day outside the plausible range (a typo such as year 25 or 9999, stored by another
    # program) would stretch the axis over centuries or overflow matplotlib's dates: such
    # entries are left out, and the alt text says so.
    entries = list(entries)
    rows = sorted((e for e in entries if _plausible(e.day)), key=lambda e: e.day)
    left_out = len(entries) - len(rows)
    skipped = (
        f" {left_out} entr{'y' if left_out == 1 else 'ies'} dated outside {day_range_text()} "
        f"{'is' if left_out == 1 else 'are'} left out."
        if left_out
        else ""
    )
    fig = style.figure(10.0, 6.2)
    ax, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2.4, 1.0])
    fig.suptitle("Pain and sessions over time", x=0.01, ha="left")
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("Pain (0-10)")
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax2.set_ylabel("Minutes")
    # Fixed margins (inches) instead of constrained layout, whose extra draw dominated the
    # time from Save to the redrawn chart; the labels here have known, short widths.
    fig.set_layout_engine("none")
    _stack_in(fig, (ax, ax2), (2.4, 1.0), left=1.0, right=0.8, top=0.62, bottom=0.9, gap=0.2)
    if not rows:
        ax.text(
            0.5,
            0.5,
            "No entries yet: log a day to see your trend here.",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color=style.MUTED,
        )
        ax2.set_yticks([])
        ax.set_xticks([])
        fig.alt_text = "Empty chart of pain and sessions: no entries yet." + skipped  # type: ignore[attr-defined]
        return fig
    days = [r.day for r in rows]
    x = date2num(days)
    pain = np.array([r.pain for r in rows], dtype=float)
    first_week = [r.pain for r in rows if (r.day - rows[0].day).days < 7]
    baseline = float(np.mean(first_week))
    lo, hi = max(0.0, baseline - change), min(10.0, baseline + change)
    pad = 0.6
    ax.axhspan(lo, hi, color=style.PALETTE["yellow"], alpha=0.28, lw=0, zorder=0)
    ax.axhline(baseline, color=style.MUTED, lw=1.2, ls=(0, (4, 3)), zorder=1)
    # Dots for each day while they can be told apart; a long log reads better as a line.
    dots = {"marker": "o", "ms": 5} if len(rows) <= 90 else {}
    ax.plot(x, pain, color=style.ACCENT, lw=2.6 if dots else 1.8, zorder=3, **dots)
    last = pain[-1]
    verdict = (
        "better by a change that matters"
        if last <= baseline - change
        else "worse by a change that matters"
        if last >= baseline + change
        else "within the band: not a clear change yet"
    )
    ax.text(
        0.99,
        0.97,
        f"Band: your first week's average ({_fmt(round(baseline, 1))}) \u00b1 {change} points.\n"
        f"A change of {change} or more on the 0-10 scale is one that matters.",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=style.BASE_SIZE - 2.5,
        color=style.INK,
        bbox=dict(fc="white", ec="none", alpha=0.85, pad=2),
    )
    ax.annotate(
        f"latest: {int(last)}",
        xy=(x[-1], last),
        xytext=(6, 10),
        textcoords="offset points",
        fontsize=style.BASE_SIZE - 2,
        color=style.ACCENT,
        weight="bold",
    )
    minutes = np.array([r.minutes if r.exercised else 0 for r in rows], dtype=float)
    done = np.array([bool(r.exercised) for r in rows])
    # One collection of vertical lines, as wide as a bar of 0.7-0.9 days, instead of a
    # patch per day: a year of entries draws in a fraction of the time.
    width_days = 0.7 if len(rows) < 60 else 0.9
    span_days = max(1.0, float(x[-1] - x[0])) * 1.08 + 1.6
    axes_points = fig.get_figwidth() * 72 * 0.86
    line_width = max(1.0, width_days / span_days * axes_points)
    ax2.vlines(x[done], 0, minutes[done], colors=style.GOOD, lw=line_width, capstyle="butt")
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax2.set_ylim(0, max(10.0, float(minutes.max()) * 1.15))
    ax2.grid(axis="y")
    ax2.set_axisbelow(True)
    span = max(1.0, x[-1] - x[0])
    ax.set_xlim(x[0] - max(0.8, span * 0.02) - pad * 0, x[-1] + max(0.8, span * 0.06))
    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax2.xaxis.set_major_locator(locator)
    ax2.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    handles = [
        Patch(color=style.ACCENT, label="pain"),
        Patch(
            color=style.PALETTE["yellow"], alpha=0.5, label=f"\u00b1{change} points of your start"
        ),
        Patch(color=style.GOOD, label="minutes exercised"),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.01),
        ncols=3,
        fontsize=style.BASE_SIZE - 1.5,
    )
    sessions = int(done.sum())
    fig.alt_text = (  # type: ignore[attr-defined]
        f"Line chart of pain from {days[0].isoformat()} to {days[-1].isoformat()} "
        f"({len(rows)} entries): it starts around {_fmt(round(baseline, 1))} out of 10 and the "
        f"latest is {int(last)}, {verdict}. A shaded band marks {change} points either side of "
        f"the first week's average. Below, bars show {sessions} sessions, "
        f"{int(minutes.sum())} minutes in all.{skipped}"
    )
    return fig


def _plausible(day: Any) -> bool:
    """A date (not a date and time) within the days a log may hold."""
    return (
        isinstance(day, dt.date)
        and not isinstance(day, dt.datetime)
        and EARLIEST_DAY <= day <= LATEST_DAY
    )


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


def example_entries(days: int = 42, start: dt.date | None = None) -> list[Any]:
    """A made-up, deterministic progress log (pain easing, sessions most days) for the gallery
    and the tests. Each entry has .day, .pain, .exercised and .minutes."""
    from types import SimpleNamespace

    start = start or dt.date(2024, 3, 4)
    out = []
    for i in range(days):
        pain = (
            6.0
            - 3.2 * i / max(1, days - 1)
            + (1.0 if i % 9 == 4 else 0.0)
            - (0.6 if i % 5 == 2 else 0)
        )
        exercised = i % 7 not in (2, 6)
        out.append(
            SimpleNamespace(
                day=start + dt.timedelta(days=i),
                pain=round(min(10, max(0, pain))),
                exercised=exercised,
                minutes=(15 + (i // 7) * 2) if exercised else 0,
            )
        )
    return out
