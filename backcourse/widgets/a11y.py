"""Accessibility fixes the widget library cannot make itself, as small browser-side helpers.

:class:`SliderNames` (anywidget): put one in an app and every slider handle in that app gets
the slider's description as its accessible name (ipywidgets' sliders have none; see
``static/slider_names.js``). Its JavaScript is a file in this package, loaded from nowhere
else.
"""

from __future__ import annotations

from pathlib import Path

import anywidget

STATIC = Path(__file__).parent / "static"


class SliderNames(anywidget.AnyWidget):
    """An invisible helper: names the slider handles of the app it is placed in."""

    _esm = STATIC / "slider_names.js"
