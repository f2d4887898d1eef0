"""The builder's pictures and charts: drawn once, cached, and never making the learner wait.

Inside a kernel, a picture not drawn before shows "Drawing the picture…" and is drawn one
per turn of the event loop; an open chart follows once the answers pause
(``CHART_DELAY_S``). Without an event loop (a script, a test) everything is drawn at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import export
from ..model import Course, Exercise, Routine
from .builder_view import Card, html
from .common import picture_ready

PICTURE_DPI = export.HANDOUT_DPI  # the same pictures as the handout, so they render once
# (id of the course, exercise) -> (the course, its img tag); holding the course keeps its id
# from being reused while the entry lives.
PICTURES: dict[tuple[int, Exercise], tuple[Course, str]] = {}
PICTURE_WAIT = html(
    "help", tag="div", style="min-height:8em;padding-top:3em", text="Drawing the picture…"
)
CHART_KINDS = ("time", "coverage", "plan")  # the charts section's panels, in order
CHART_DELAY_S = 0.5  # an open chart follows the answers once they pause this long
CHARTS: dict[tuple[str, Routine], tuple[bytes, str]] = {}  # (kind, routine) -> PNG, alt
CHARTS_MAX = 96
CHART_WAIT = html("help", tag="p", style="", text="Drawing the chart for your new answers…")


def picture(course: Course, exercise: Exercise) -> str:
    """The exercise's picture as an HTML img tag with its alt text (cached)."""
    key = (id(course), exercise)
    if key not in PICTURES:
        PICTURES[key] = (course, export.picture_html(exercise, course, PICTURE_DPI))
    return PICTURES[key][1]


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop when called from a widget callback; None in a plain script."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def chart_png(kind: str, routine: Routine) -> tuple[bytes, str]:
    """The time-budget, coverage or plan chart of a routine, as PNG and alt text (cached)."""
    key = (kind, routine)
    if key not in CHARTS:
        from ..figures import charts, style

        if kind == "time":
            fig = charts.time_budget_chart(routine)
        elif kind == "coverage":
            fig = charts.coverage_chart(routine)
        else:
            fig = charts.plan_chart(routine.plan())
        if len(CHARTS) >= CHARTS_MAX:
            CHARTS.pop(next(iter(CHARTS)))  # the oldest
        CHARTS[key] = (style.to_png(fig), str(getattr(fig, "alt_text", "")))
    return CHARTS[key]


def chart_html(kind: str, routine: Routine) -> str:
    if kind == "plan":  # SVG, drawn in milliseconds (figures.charts.plan_svg)
        from ..figures.charts.plan import plan_svg

        return plan_svg(routine.plan()).html()
    png, alt = chart_png(kind, routine)
    return html("chart", src=export.data_uri(png, "image/png"), alt=alt)


def plan_table_html(routine: Routine) -> str:
    """The plan (guidelines.yaml ``plan_weeks``) as an HTML table: week, session, changes."""
    return html("plan_table", plan=routine.plan())


class PictureQueue:
    """The cards' pictures: shown at once when cached, else drawn one per turn of the loop.

    A picture takes a moment to draw the first time; drawing them one per turn of the
    event loop keeps the routine's text, and the learner's next change, from waiting.
    """

    def __init__(self, course: Course, shown: Callable[[], Sequence[Card]]) -> None:
        self.course, self.shown = course, shown
        self.pending: asyncio.Handle | None = None

    def draw(self, card: Card) -> None:
        card.picture.value = picture(self.course, card.picture_want)
        card.picture_key = card.picture_want

    def want(self, card: Card, exercise: Exercise) -> bool:
        """Show the exercise's picture on the card; True when it must wait its turn."""
        card.picture_want = exercise
        if card.picture_key == exercise:
            return False
        if (
            (id(self.course), exercise) in PICTURES
            or running_loop() is None
            or picture_ready(exercise, self.course, PICTURE_DPI)
        ):
            self.draw(card)
            return False
        card.picture.value = PICTURE_WAIT
        card.picture_key = None
        return True

    def start(self) -> None:
        """Draw the waiting pictures once this answer is shown."""
        loop = running_loop()
        if loop is not None and self.pending is None:
            self.pending = loop.call_soon(self.next)

    def next(self, _: Any = None) -> None:
        """Draw one waiting picture, then let the kernel read any new answer first."""
        self.pending = None
        waiting = [c for c in self.shown() if c.picture_key != c.picture_want]
        if not waiting:
            return
        self.draw(waiting[0])
        loop = running_loop()
        if len(waiting) > 1:
            if loop is None:
                self.next()
            else:
                self.pending = loop.call_soon(self.next)


class ChartPanel:
    """The charts section: the open panel drawn for the routine shown, and kept up to date."""

    def __init__(self, parts: Mapping[str, Any], shown: Callable[[], Routine | None]) -> None:
        self.parts, self.shown = parts, shown
        self.pending: asyncio.TimerHandle | None = None

    def draw(self) -> None:
        """Draw the open panel's chart (and the plan's table) for the routine shown."""
        self.pending = None
        routine = self.shown()
        p = self.parts
        index = p["charts"].selected_index
        if index is None or routine is None:
            return
        kind = CHART_KINDS[index]
        p[f"{kind}_chart"].value = chart_html(kind, routine)
        if kind == "plan":
            p["plan"].value = plan_table_html(routine)

    def follow(self) -> None:
        """After an answer changes, bring the open chart up to date without making the routine
        wait: a cached chart at once; a new one once the answers pause (inside a kernel's
        event loop), with a short note meanwhile. Without an event loop, at once."""
        p, routine = self.parts, self.shown()
        index = p["charts"].selected_index
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
        if index is None or routine is None:
            return
        kind = CHART_KINDS[index]
        if kind == "plan":
            p["plan"].value = plan_table_html(routine)  # the table is quick
        loop = running_loop()
        if (kind, routine) in CHARTS or loop is None:  # cached, or nothing is waiting
            self.draw()
            return
        p[f"{kind}_chart"].value = CHART_WAIT
        self.pending = loop.call_later(CHART_DELAY_S, self.draw)
