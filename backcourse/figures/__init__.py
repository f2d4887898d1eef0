"""Figures for the course: exercise illustrations, anatomy schematics and charts.

matplotlib only (never ipywidgets, never pyplot). Every figure function returns a
``matplotlib.figure.Figure`` carrying an ``alt_text`` attribute for screen readers, drawn in
the house style of :mod:`backcourse.figures.style`; the same input always gives the same PNG
bytes (:func:`backcourse.figures.style.to_png`).

Modules
-------
style    palette, fonts, ``figure()``, ``to_png()``, ``to_svg()``
poses    ``exercise_figure()``, ``exercise_frames()``, ``sequence_figure()``
anatomy  ``spine_figure()``, ``muscle_figure()``
charts   ``coverage_chart()``, ``time_budget_chart()``, ``plan_chart()``,
         ``pain_trend_chart()``, ``prevalence_chart()``; as SVG (milliseconds, for widgets
         that redraw per answer): ``plan_svg()``, ``pain_trend_svg()``
gallery  ``python -m backcourse.figures.gallery OUTDIR`` writes every figure and an index.html
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "coverage_chart",
    "exercise_figure",
    "exercise_frames",
    "muscle_figure",
    "pain_trend_chart",
    "pain_trend_svg",
    "plan_chart",
    "plan_svg",
    "prevalence_chart",
    "sequence_figure",
    "spine_figure",
    "time_budget_chart",
    "to_png",
    "to_svg",
]

_LAZY = {
    "exercise_figure": "poses",
    "exercise_frames": "poses",
    "sequence_figure": "poses",
    "spine_figure": "anatomy",
    "muscle_figure": "anatomy",
    "coverage_chart": "charts",
    "time_budget_chart": "charts",
    "plan_chart": "charts",
    "pain_trend_chart": "charts",
    "pain_trend_svg": "charts",
    "plan_svg": "charts",
    "prevalence_chart": "charts",
    "to_png": "style",
    "to_svg": "style",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'backcourse.figures' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
