"""The learner's trend chart: pain (0-10) over time with the band of change too small to
matter, and the minutes of each session as bars below.

``trend_view`` works out what the chart shows once; ``pain_trend_svg`` draws it as SVG from a
Jinja2 template in milliseconds (the tracker redraws it on every Save), ``pain_trend_chart``
as a matplotlib Figure (lessons, gallery, the practice log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING, Any

from ... import palette
from ...model import EARLIEST_DAY, LATEST_DAY, Course, day_range_text
from . import common
from .svg import SvgChart, nice_ticks, svg_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DOTS_UP_TO = 90  # a dot per day while they can be told apart; a longer log reads as a line
TITLE = "Pain and sessions over time"
EMPTY = "No entries yet: log a day to see your trend here."


@dataclass(frozen=True)
class TrendView:
    """What a trend chart shows, whatever draws it."""

    days: tuple[dt.date, ...]  # sorted, plausible days only
    pain: tuple[float, ...]
    minutes: tuple[float, ...]  # 0 on a day without a session
    exercised: tuple[bool, ...]
    change: int  # a change that matters, in points
    baseline: float  # the first week's average pain
    alt_text: str
    note: str  # how to read the band, two lines

    @property
    def band(self) -> tuple[float, float]:
        return max(0.0, self.baseline - self.change), min(10.0, self.baseline + self.change)

    @property
    def legend(self) -> tuple[tuple[str, str], ...]:
        """(label, colour) of each key entry."""
        return (
            ("pain", palette.OKABE_ITO["blue"]),
            (f"\u00b1{self.change} points of your start", palette.OKABE_ITO["yellow"]),
            ("minutes exercised", palette.OKABE_ITO["bluish_green"]),
        )


def _pain_change(course: Course | None) -> int:
    if course is None:
        from ...catalog import load_course

        course = load_course()
    return int(course.guidelines.progression["step_back_pain_rise"])


def _plausible(day: Any) -> bool:
    """A date (not a date and time) within the days a log may hold."""
    return (
        isinstance(day, dt.date)
        and not isinstance(day, dt.datetime)
        and EARLIEST_DAY <= day <= LATEST_DAY
    )


def trend_view(entries: Sequence[Any], course: Course | None = None) -> TrendView:
    """The points, bars, band and words of the trend chart of ``entries``.

    A day outside the plausible range (a typo such as year 25 or 9999, stored by another
    program) would stretch the axis over centuries: such entries are left out, and the alt
    text says so.
    """
    change = _pain_change(course)
    entries = list(entries)
    rows = sorted((e for e in entries if _plausible(e.day)), key=lambda e: e.day)
    left_out = len(entries) - len(rows)
    skipped = (
        f" {left_out} entr{'y' if left_out == 1 else 'ies'} dated outside {day_range_text()} "
        f"{'is' if left_out == 1 else 'are'} left out."
        if left_out
        else ""
    )
    if not rows:
        alt = "Empty chart of pain and sessions: no entries yet." + skipped
        return TrendView((), (), (), (), change, 0.0, alt, "")
    baseline = float(mean(r.pain for r in rows if (r.day - rows[0].day).days < 7))
    pain = tuple(float(r.pain) for r in rows)
    minutes = tuple(float(r.minutes) if r.exercised else 0.0 for r in rows)
    last = pain[-1]
    verdict = (
        "better by a change that matters"
        if last <= baseline - change
        else "worse by a change that matters"
        if last >= baseline + change
        else "within the band: not a clear change yet"
    )
    base = common.fmt(round(baseline, 1))
    sessions = sum(bool(r.exercised) for r in rows)
    alt = (
        f"Line chart of pain from {rows[0].day.isoformat()} to {rows[-1].day.isoformat()} "
        f"({len(rows)} entries): it starts around {base} out of 10 and the "
        f"latest is {int(last)}, {verdict}. A shaded band marks {change} points either side of "
        f"the first week's average. Below, bars show {sessions} sessions, "
        f"{int(sum(minutes))} minutes in all.{skipped}"
    )
    note = (
        f"Band: your first week's average ({base}) \u00b1 {change} points.\n"
        f"A change of {change} or more on the 0-10 scale is one that matters."
    )
    return TrendView(
        days=tuple(r.day for r in rows),
        pain=pain,
        minutes=minutes,
        exercised=tuple(bool(r.exercised) for r in rows),
        change=change,
        baseline=baseline,
        alt_text=alt,
        note=note,
    )


# --------------------------------------------------------------------------- SVG

WIDTH, FONT = 600.0, 16.0
LEFT, RIGHT = 60.0, 530.0  # the plot's edges; the right margin holds "latest: N"
PAIN_TOP, PAIN_BOTTOM = 96.0, 306.0
MIN_TOP, MIN_BOTTOM = 322.0, 398.0


def date_ticks(first: dt.date, last: dt.date, most: int = 7) -> list[tuple[dt.date, str]]:
    """Round dates between ``first`` and ``last`` to label the time axis, at most ``most``:
    days, Mondays, 1st of the month or New Year's Day, whichever fits."""
    span = (last - first).days
    for days in (1, 2, 7, 14):
        if span / days < most:
            start = first + dt.timedelta(days=(-first.weekday()) % 7 if days >= 7 else 0)
            ticks = [start + dt.timedelta(days=k) for k in range(0, span + 1, days)]
            ticks = [d for d in ticks if d <= last]
            return [(d, f"{d.day} {d:%b}") for d in ticks]
    for months in (1, 2, 3, 6, 12, 24, 60, 120, 600):
        if span / (30.44 * months) < most:
            m = first.year * 12 + first.month - 1
            m += (-m) % months
            out: list[tuple[dt.date, str]] = []
            while (d := dt.date(m // 12, m % 12 + 1, 1)) <= last:
                if d >= first:
                    # The year with the first month shown and with every January.
                    year = months < 12 and (d.month == 1 or not out)
                    out.append(
                        (
                            d,
                            f"{d:%b} {d.year}"
                            if year
                            else f"{d:%b}"
                            if months < 12
                            else str(d.year),
                        )
                    )
                m += months
            return out
    return [(first, str(first.year)), (last, str(last.year))]


def pain_trend_svg(entries: Sequence[Any], course: Course | None = None) -> SvgChart:
    """The trend chart as SVG: the same picture as ``pain_trend_chart``, in milliseconds.

    ``entries`` and ``course`` as for :func:`pain_trend_chart`.
    """
    v = trend_view(entries, course)
    context: dict[str, Any] = dict(
        width=round(WIDTH),
        height=round(MIN_BOTTOM + 88),
        font=FONT,
        left=LEFT,
        right=RIGHT,
        pain_top=PAIN_TOP,
        pain_bottom=PAIN_BOTTOM,
        min_top=MIN_TOP,
        min_bottom=MIN_BOTTOM,
        empty=EMPTY if not v.days else "",
        note=v.note.split("\n"),
    )
    if not v.days:
        return svg_chart("charts/trend.svg", TITLE, v.alt_text, **context)
    n0 = v.days[0].toordinal()
    span = max(1.0, float(v.days[-1].toordinal() - n0))
    lo_x, hi_x = -max(0.8, span * 0.02), span + max(0.8, span * 0.06)

    def x(day: dt.date) -> float:
        return round(LEFT + (RIGHT - LEFT) * (day.toordinal() - n0 - lo_x) / (hi_x - lo_x), 1)

    def y_pain(p: float) -> float:
        return round(PAIN_BOTTOM - (PAIN_BOTTOM - PAIN_TOP) * (p + 0.3) / 10.6, 1)

    top_min = max(10.0, max(v.minutes) * 1.15)

    def y_min(m: float) -> float:
        return round(MIN_BOTTOM - (MIN_BOTTOM - MIN_TOP) * m / top_min, 1)

    bar_w = max(1.0, (RIGHT - LEFT) / (hi_x - lo_x) * (0.7 if len(v.days) < 60 else 0.9))
    lo, hi = v.band
    xs = [x(d) for d in v.days]
    legend, kx = [], LEFT
    for label, colour in v.legend:
        legend.append({"x": kx, "label": label, "colour": colour})
        kx += 26 + common.text_width([label], FONT - 1) + 24
    context.update(
        points=" ".join(f"{px},{y_pain(p)}" for px, p in zip(xs, v.pain, strict=True)),
        # A dot per day as one path of zero-length round-capped lines.
        dots=" ".join(f"M{px} {y_pain(p)}h0" for px, p in zip(xs, v.pain, strict=True))
        if len(v.days) <= DOTS_UP_TO
        else "",
        line_width=2.6 if len(v.days) <= DOTS_UP_TO else 1.8,
        band_top=y_pain(hi),
        band_h=round(y_pain(lo) - y_pain(hi), 1),
        baseline_y=y_pain(v.baseline),
        latest={"x": xs[-1] + 6, "y": y_pain(v.pain[-1]) - 8, "text": f"latest: {int(v.pain[-1])}"},
        pain_ticks=[{"y": y_pain(t), "label": str(t)} for t in range(0, 11, 2)],
        # One path for all the bars (a year is hundreds): a small file, drawn at once.
        bars=" ".join(
            f"M{round(px - bar_w / 2, 1)} {MIN_BOTTOM}V{y_min(m)}h{round(bar_w, 1)}V{MIN_BOTTOM}z"
            for px, m, done in zip(xs, v.minutes, v.exercised, strict=True)
            if done and m > 0
        ),
        minute_ticks=[{"y": y_min(t), "label": common.fmt(t)} for t in nice_ticks(top_min, 4)],
        date_ticks=[
            {"x": x(d), "label": label}
            for d, label in date_ticks(v.days[0], v.days[-1])
            if LEFT <= x(d) <= RIGHT
        ],
        legend=legend,
    )
    return svg_chart("charts/trend.svg", TITLE, v.alt_text, **context)


# --------------------------------------------------------------------------- matplotlib


def pain_trend_chart(entries: Sequence[Any], course: Course | None = None) -> Figure:
    """Pain (0-10) over time with the band of change that is too small to matter, and the
    minutes of each session as bars below, as a matplotlib Figure with ``alt_text``.

    Parameters
    ----------
    entries
        Objects with ``.day`` (date), ``.pain`` (0-10), ``.exercised`` (bool) and
        ``.minutes`` (int), e.g. ``ProgressLog.entries()``; any order.
    course
        Gives the size of a change that matters (``guidelines.progression.step_back_pain_rise``);
        the bundled course when None.
    """
    from .. import style

    with style.context():
        return _trend_figure(trend_view(entries, course))


def _trend_figure(v: TrendView) -> Figure:
    import numpy as np
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    from .. import style

    fig = style.figure(10.0, 6.2, layout="none")
    ax, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2.4, 1.0])
    fig.suptitle(TITLE, x=0.01, ha="left")
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("Pain (0-10)")
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax2.set_ylabel("Minutes")
    common.stack_in(fig, (ax, ax2), (2.4, 1.0), left=1.0, right=0.8, top=0.62, bottom=0.9, gap=0.2)
    fig.alt_text = v.alt_text  # type: ignore[attr-defined]
    if not v.days:
        ax.text(
            0.5, 0.5, EMPTY, ha="center", va="center", transform=ax.transAxes, color=style.MUTED
        )
        ax2.set_yticks([])
        ax.set_xticks([])
        return fig
    x = date2num(v.days)
    pain = np.array(v.pain)
    lo, hi = v.band
    ax.axhspan(lo, hi, color=style.PALETTE["yellow"], alpha=0.28, lw=0, zorder=0)
    ax.axhline(v.baseline, color=style.MUTED, lw=1.2, ls=(0, (4, 3)), zorder=1)
    dots = {"marker": "o", "ms": 5} if len(v.days) <= DOTS_UP_TO else {}
    ax.plot(x, pain, color=style.ACCENT, lw=2.6 if dots else 1.8, zorder=3, **dots)
    ax.text(
        0.99,
        0.97,
        v.note,
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=style.BASE_SIZE - 2.5,
        color=style.INK,
        bbox=dict(fc="white", ec="none", alpha=0.85, pad=2),
    )
    ax.annotate(
        f"latest: {int(pain[-1])}",
        xy=(x[-1], pain[-1]),
        xytext=(6, 10),
        textcoords="offset points",
        fontsize=style.BASE_SIZE - 2,
        color=style.ACCENT,
        weight="bold",
    )
    minutes = np.array(v.minutes)
    done = np.array(v.exercised)
    # One collection of vertical lines, as wide as a bar of 0.7-0.9 days, instead of a
    # patch per day: a year of entries draws in a fraction of the time.
    width_days = 0.7 if len(v.days) < 60 else 0.9
    span_days = max(1.0, float(x[-1] - x[0])) * 1.08 + 1.6
    line_width = max(1.0, width_days / span_days * fig.get_figwidth() * 72 * 0.86)
    ax2.vlines(x[done], 0, minutes[done], colors=style.GOOD, lw=line_width, capstyle="butt")
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    ax2.set_ylim(0, max(10.0, float(minutes.max()) * 1.15))
    ax2.grid(axis="y")
    ax2.set_axisbelow(True)
    span = max(1.0, x[-1] - x[0])
    ax.set_xlim(x[0] - max(0.8, span * 0.02), x[-1] + max(0.8, span * 0.06))
    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax2.xaxis.set_major_locator(locator)
    ax2.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    alphas = (1.0, 0.5, 1.0)
    handles = [
        Patch(color=c, alpha=a, label=label) for (label, c), a in zip(v.legend, alphas, strict=True)
    ]
    common.legend_below(fig, handles, y=0.01, size=style.BASE_SIZE - 1.5)
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
