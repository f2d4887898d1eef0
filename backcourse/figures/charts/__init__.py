"""Charts: a routine's muscle coverage and time budget, the week-by-week plan, the learner's
pain-and-sessions trend, and the prevalence figures of the sources side by side.

Every ``*_chart`` function returns a ``matplotlib.figure.Figure`` with an ``alt_text`` that
states what the chart shows in words, numbers included, so nothing is only in the picture.
The two charts a widget redraws while the learner works, the plan and the trend, also come as
SVG (``plan_svg``, ``pain_trend_svg``): an :class:`SvgChart` drawn in milliseconds from a
Jinja2 template, with the same alt text.

Modules
-------
common      number words, colour blending, text widths, margins
svg         ``SvgChart`` and the template renderer
session     ``coverage_chart()``, ``time_budget_chart()``
plan        ``plan_view()``, ``plan_svg()``, ``plan_chart()``
trend       ``trend_view()``, ``pain_trend_svg()``, ``pain_trend_chart()``, ``example_entries()``
prevalence  ``prevalence_chart()``
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported on first use: the SVG charts need no matplotlib, so a widget that only draws
# those never pays for importing it.
_LAZY = {
    "SvgChart": "svg",
    "coverage_chart": "session",
    "time_budget_chart": "session",
    "plan_chart": "plan",
    "plan_svg": "plan",
    "plan_view": "plan",
    "pain_trend_chart": "trend",
    "pain_trend_svg": "trend",
    "trend_view": "trend",
    "example_entries": "trend",
    "prevalence_chart": "prevalence",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
