"""Figures for the course: the house style, charts and the gallery.

Exercise illustrations and anatomy schematics are drawn in :mod:`backcourse.illustrate`; their
public functions are re-exported here so ``backcourse.figures.exercise_figure`` keeps working.

matplotlib only (never ipywidgets, never pyplot). Every figure function returns a
``matplotlib.figure.Figure`` carrying an ``alt_text`` attribute for screen readers, drawn in
the house style of :mod:`backcourse.figures.style`; the same input always gives the same PNG
bytes (:func:`backcourse.figures.style.to_png`).

Modules
-------
style    palette, fonts, ``figure()``, ``to_png()``, ``to_svg()``
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
    "exercise_figure": "backcourse.illustrate.exercise_pictures",
    "exercise_frames": "backcourse.illustrate.exercise_pictures",
    "sequence_figure": "backcourse.illustrate.exercise_pictures",
    "spine_figure": "backcourse.illustrate.anatomy_figures",
    "muscle_figure": "backcourse.illustrate.anatomy_figures",
    "coverage_chart": "backcourse.figures.charts",
    "time_budget_chart": "backcourse.figures.charts",
    "plan_chart": "backcourse.figures.charts",
    "pain_trend_chart": "backcourse.figures.charts",
    "pain_trend_svg": "backcourse.figures.charts",
    "plan_svg": "backcourse.figures.charts",
    "prevalence_chart": "backcourse.figures.charts",
    "to_png": "backcourse.figures.style",
    "to_svg": "backcourse.figures.style",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'backcourse.figures' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
