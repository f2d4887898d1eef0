"""Charts drawn as SVG from Jinja2 templates (``render/templates/charts/``).

Why SVG for the charts a widget redraws on every answer: matplotlib spends 150-300 ms laying
out and rasterising a chart full of text, far over the 100 ms in which a change feels
instant; a template fills in a few dozen shapes in a few milliseconds. The result is crisp at
any size, a few KB, its text is real text, and it carries its alt text as its SVG title and
description for screen readers, plus the same words as a visible caption.

>>> from backcourse.figures.charts.svg import nice_ticks
>>> nice_ticks(26.0, 4)
[0.0, 10.0, 20.0]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ... import palette

# Fonts to ask the browser for, widest first (space is measured for DejaVu Sans).
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class SvgChart:
    """A chart as SVG text, with the alt text that says in words what it shows."""

    svg: str
    alt_text: str
    width: int  # the SVG's own size, in CSS pixels
    height: int

    def html(self) -> str:
        """The chart as an HTML figure: the SVG inline, the alt text as its caption.

        On a narrow screen the chart keeps at least three quarters of its own width (so its
        text stays readable) and scrolls sideways instead of shrinking further.
        """
        from ...render import render

        return render("charts/figure.html", chart=self)

    def _repr_html_(self) -> str:  # shown as itself in a notebook
        return self.html()

    def __str__(self) -> str:
        return self.alt_text


def svg_chart(template: str, title: str, alt_text: str, **context: Any) -> SvgChart:
    """Render ``template`` with the chart's ``title`` and ``alt_text`` and its shapes.

    The ids that tie the title and description to the chart come from its content, so the same
    chart gives the same bytes and two different charts on one page never share an id.
    """
    from ...render import render

    key = hashlib.sha1(f"{template}\n{title}\n{alt_text}".encode()).hexdigest()[:10]
    svg = render(
        template,
        uid=f"bc-chart-{key}",
        title=title,
        alt_text=alt_text,
        font_family=FONT_FAMILY,
        ink=palette.INK,
        muted=palette.MUTED,
        grid=palette.GRID,
        paper=palette.PAPER,
        colours=palette.OKABE_ITO,
        **context,
    )
    return SvgChart(svg, alt_text, int(context["width"]), int(context["height"]))


def nice_ticks(top: float, most: int) -> list[float]:
    """Round tick values from 0 up to ``top`` (inclusive), at most ``most`` of them."""
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600):
        if top / step < most:
            return [float(step * k) for k in range(int(top // step) + 1)]
    return [0.0, float(top)]
