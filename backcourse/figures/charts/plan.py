"""The 12-week plan chart: session minutes per week over a grid of each exercise's dose.

``plan_view`` works out what the chart shows (rows, runs of the same dose, shades, steps up,
alt text) once; ``plan_svg`` draws it as SVG from a Jinja2 template in a few milliseconds
(the routine builder redraws it per answer), ``plan_chart`` as a matplotlib Figure (lessons,
gallery, handouts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ... import palette
from ...model import PHASES, Plan, Prescription
from . import common
from .svg import SvgChart, nice_ticks, svg_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STEP_UP = "Step up"  # how the planner begins a week's change that swaps in a harder exercise
START_SHADE = 0.25  # share of sky blue in a starting dose's box; a grown dose goes to 1


@dataclass(frozen=True)
class DoseRun:
    """Weeks in a row with the same dose of one exercise: one box, one label."""

    row: int  # index into PlanView.names
    first: int  # index of the first week
    last: int  # index of the last week (inclusive)
    text: str  # "2×10" or "1×8\n5 s"
    shade: str  # fill colour, lighter for a starting dose, darker as it grows
    new: bool  # the exercise joined the plan this week (a step up)


@dataclass(frozen=True)
class PlanView:
    """What a plan chart shows, whatever draws it."""

    weeks: tuple[int, ...]
    minutes: tuple[float, ...]
    available: float
    names: tuple[str, ...]  # exercises, warm-up first, in order of appearance
    runs: tuple[DoseRun, ...]
    steps: tuple[int, ...]  # weeks with a step up
    title: str
    alt_text: str

    @property
    def legend(self) -> tuple[tuple[str, str, str], ...]:
        """(label, fill, edge) of each key entry."""
        return (
            ("starting dose", _shade(0.0), "none"),
            ("grown dose", palette.OKABE_ITO["sky_blue"], "none"),
            ("stepped up to a new exercise", palette.PAPER, palette.OKABE_ITO["vermillion"]),
        )


def _shade(growth: float) -> str:
    share = START_SHADE + (1 - START_SHADE) * max(0.0, growth)
    return common.blend(palette.PAPER, palette.OKABE_ITO["sky_blue"], share)


def dose_cell(p: Prescription) -> tuple[str, float]:
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


def plan_view(plan: Plan) -> PlanView:
    """The rows, runs of a dose, shades and words of ``plan``'s chart."""
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
    rank = {ph: i for i, ph in enumerate(PHASES)}
    seen = {e: i for i, e in enumerate(order)}
    order.sort(key=lambda e: (rank.get(phase_of[e], len(PHASES)), seen[e]))
    row_of = {e: i for i, e in enumerate(order)}
    cells: list[list[tuple[str, float] | None]] = [[None] * nw for _ in order]
    for j, w in enumerate(weeks):
        for p in w.items:
            cells[row_of[p.exercise.id]][j] = dose_cell(p)
    # Weeks in a row with the same dose share one box and one label: the plan reads as runs
    # of a dose, and there are a few dozen shapes to draw instead of one per cell.
    runs: list[DoseRun] = []
    for i, row in enumerate(cells):
        first = next((c[1] for c in row if c is not None), 1.0)
        j = 0
        while j < nw:
            cell = row[j]
            if cell is None:
                j += 1
                continue
            new = j > 0 and row[j - 1] is None
            end = j
            while not new and end + 1 < nw and row[end + 1] is not None:
                if row[end + 1][0] != cell[0]:  # type: ignore[index]
                    break
                end += 1
            growth = min(1.0, (cell[1] / first - 1.0) / 1.5) if first else 0.0
            runs.append(DoseRun(i, j, end, cell[0], _shade(growth), new))
            j = end + 1
    minutes = tuple(float(w.minutes) for w in weeks)
    available = float(plan.routine.profile.minutes_per_session)
    steps = tuple(w.week for w in weeks if any(c.startswith(STEP_UP) for c in w.changes))
    step_words = [f"Week {w.week}: {c}" for w in weeks for c in w.changes if c.startswith(STEP_UP)]
    last_doses = [
        f"{names[order[i]]} {row[-1][0].replace(chr(10), ', ')}"
        for i, row in enumerate(cells)
        if row and row[-1] is not None
    ]
    alt = (
        f"A {nw}-week plan for {len(order)} exercises. Session length goes from "
        f"{common.fmt(round(minutes[0], 1))} to {common.fmt(round(minutes[-1], 1))} minutes, "
        f"against {int(available)} minutes available. "
        + (" ".join(step_words) if step_words else "No exercise steps up in this plan.")
        + " Doses in the last week: "
        + "; ".join(last_doses)
        + "."
    )
    return PlanView(
        weeks=tuple(w.week for w in weeks),
        minutes=minutes,
        available=available,
        names=tuple(names[e] for e in order),
        runs=tuple(runs),
        steps=steps,
        title=f"The {nw}-week plan: dose per exercise, week by week",
        alt_text=alt,
    )


# --------------------------------------------------------------------------- SVG

FONT = 14.0  # px in the SVG's own units (1 unit = 1 CSS px when shown at its own size)
COL = 52.0  # width of a week's column
ROW = 40.0  # height of an exercise's row
TOP_H = 130.0  # the minutes panel


def plan_svg(plan: Plan) -> SvgChart:
    """The plan chart as SVG: the same picture as ``plan_chart``, drawn in milliseconds."""
    v = plan_view(plan)
    nw, ne = len(v.weeks), len(v.names)
    label_w = common.text_width(v.names, FONT)
    left = label_w + 24
    width = left + COL * nw + 100
    title_y, top_y = 28.0, 64.0
    grid_y = top_y + TOP_H + 18
    axis_y = grid_y + ROW * ne
    legend_y = axis_y + 62
    height = legend_y + 22
    ymax = max(v.available, max(v.minutes, default=0.0)) * 1.3 or 1.0

    def y_min(m: float) -> float:
        return round(top_y + TOP_H * (1 - m / ymax), 1)

    def x_mid(j: float) -> float:
        return round(left + COL * (j + 0.5), 1)

    bars = [
        {
            "x": round(x_mid(j) - COL * 0.33, 1),
            "y": y_min(m),
            "w": round(COL * 0.66, 1),
            "h": round(top_y + TOP_H - y_min(m), 1),
        }
        for j, m in enumerate(v.minutes)
    ]
    steps = [
        {"x": x_mid(v.weeks.index(wk)), "y": y_min(v.minutes[v.weeks.index(wk)] + ymax * 0.07)}
        for wk in v.steps
    ]
    ticks = [{"y": y_min(t), "label": common.fmt(t)} for t in nice_ticks(ymax, 4)]
    boxes = []
    for r in v.runs:
        lines = r.text.split("\n")
        boxes.append(
            {
                "x": round(left + COL * r.first + 3, 1),
                "y": round(grid_y + ROW * r.row + 3, 1),
                "w": round(COL * (r.last - r.first + 1) - 6, 1),
                "h": ROW - 6,
                "cx": x_mid((r.first + r.last) / 2),
                "cy": round(grid_y + ROW * (r.row + 0.5), 1),
                "lines": lines,
                "size": FONT - (2 if len(lines) > 1 else 1),
                "fill": r.shade,
                "new": r.new,
            }
        )
    legend, x = [], left
    for label, fill, edge in v.legend:
        legend.append({"x": x, "label": label, "fill": fill, "edge": edge})
        x += 28 + common.text_width([label], FONT - 1) + 26
    return svg_chart(
        "charts/plan.svg",
        v.title,
        v.alt_text,
        width=round(width),
        height=round(height),
        font=FONT,
        left=round(left, 1),
        right=round(left + COL * nw, 1),
        title_y=title_y,
        top_y=top_y,
        top_bottom=top_y + TOP_H,
        grid_y=grid_y,
        axis_y=axis_y,
        legend_y=legend_y,
        bars=bars,
        steps=steps,
        ticks=ticks,
        available_y=y_min(v.available),
        available=int(v.available),
        names=[{"y": round(grid_y + ROW * (i + 0.5), 1), "text": n} for i, n in enumerate(v.names)],
        weeks=[{"x": x_mid(j), "text": str(wk)} for j, wk in enumerate(v.weeks)],
        boxes=boxes,
        legend=legend,
    )


# --------------------------------------------------------------------------- matplotlib


def plan_chart(plan: Plan) -> Figure:
    """The plan week by week as a matplotlib Figure with ``alt_text``: session minutes per
    week (steps up marked) over a grid of each exercise's dose per week, darker as it grows."""
    from .. import style

    with style.context():
        return _plan_figure(plan_view(plan))


def _plan_figure(v: PlanView) -> Figure:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Rectangle

    from .. import style

    nw, ne = len(v.weeks), len(v.names)
    # Fixed margins measured in inches instead of constrained layout: the layout engine
    # costs a second full draw.
    label_w = common.text_width(v.names, style.BASE_SIZE - 1) / 72
    left, right, bottom = label_w + 0.35, 1.25, 1.05
    top_h, gap, grid_h = 1.75, 0.3, max(1.6, 0.46 * ne)
    width = max(9.0, left + right + 0.78 * nw)
    height = 0.62 + top_h + gap + grid_h + bottom
    fig = style.figure(width, height, layout="none")
    ax_top = fig.add_axes(
        common.rect_in(fig, left, bottom + grid_h + gap, width - left - right, top_h)
    )
    ax = fig.add_axes(
        common.rect_in(fig, left, bottom, width - left - right, grid_h), sharex=ax_top
    )
    xs = list(v.weeks)
    ax_top.bar(xs, v.minutes, color=style.PALETTE["blue"], width=0.66)
    ax_top.axhline(v.available, color=style.INK, lw=1.6, ls=(0, (5, 3)))
    ax_top.text(
        xs[-1] + 0.5,
        v.available,
        f"{int(v.available)} min\navailable",
        va="bottom",
        ha="left",
        fontsize=style.BASE_SIZE - 2.5,
    )
    for wk in v.steps:
        m = v.minutes[xs.index(wk)]
        ax_top.plot(
            [wk],
            [m + v.available * 0.08],
            marker="^",
            ms=11,
            color=style.HIGHLIGHT,
            ls="none",
            zorder=5,
        )
    ax_top.set_ylim(0, max(v.available, max(v.minutes)) * 1.3)
    ax_top.set_ylabel("Minutes")
    ax_top.grid(axis="y")
    ax_top.set_axisbelow(True)
    ax_top.tick_params(labelbottom=False)
    # One collection of boxes rather than a patch each: fewer artists to draw.
    boxes: list[Any] = []
    for r in v.runs:
        y = ne - 1 - r.row
        boxes.append(
            Rectangle((xs[r.first] - 0.46, y - 0.44), xs[r.last] - xs[r.first] + 0.92, 0.88)
        )
        ax.text(
            (xs[r.first] + xs[r.last]) / 2,
            y,
            r.text,
            ha="center",
            va="center",
            fontsize=style.BASE_SIZE - (3.5 if "\n" in r.text else 2.5),
            linespacing=0.95,
        )
    ax.add_collection(
        PatchCollection(
            boxes,
            facecolors=[r.shade for r in v.runs],
            edgecolors=[style.HIGHLIGHT if r.new else "white" for r in v.runs],
            linewidths=[2.4 if r.new else 1.0 for r in v.runs],
            zorder=1,
        )
    )
    ax.set_yticks(range(ne - 1, -1, -1), list(v.names))
    ax.set_ylim(-0.6, ne - 0.4)
    ax.set_xlim(xs[0] - 0.6, xs[-1] + 1.4)
    ax.set_xticks(xs, [str(x) for x in xs])
    ax.set_xlabel("Week")
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    fig.suptitle(v.title, x=0.01, ha="left")
    handles = [
        Patch(fc=fill, ec=edge, lw=2.4 if edge != "none" else 0, label=label)
        for label, fill, edge in v.legend
    ]
    common.legend_below(fig, handles, y=0.02, size=style.BASE_SIZE - 2)
    fig.alt_text = v.alt_text  # type: ignore[attr-defined]
    return fig
