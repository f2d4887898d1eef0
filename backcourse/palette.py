"""The course's colours, in one place: figures, lessons, widgets and handouts all use these.

Plain data (no imports), so HTML templates and matplotlib figures share it cheaply.
Templates see it as ``palette`` (see ``backcourse.render``), e.g. ``{{ palette.ALERT }}``.

>>> from backcourse import palette
>>> palette.OKABE_ITO["blue"]
'#0072B2'
"""

from __future__ import annotations

# The Okabe-Ito palette, safe for the common kinds of colour blindness.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Neutral tones (greys carry no meaning).
INK = "#1A1A1A"  # text
MUTED = "#5F5F5F"  # secondary text
GRID = "#D9D9D9"  # rules and gridlines
PAPER = "#FFFFFF"
PANEL = "#F4F4F4"  # a box's background

# Text colours that read on white; always used with a word, never alone.
ALERT = "#B00020"  # dark red
WARN = "#8A5300"  # dark amber
CALM = "#005A8C"  # dark blue
GOOD = "#006B4F"  # dark green: a right answer, a low-impact choice
KEEP_ACTIVE = "#0B5394"  # blue: the red flags' third tier (keep active, see a GP if no better)

# The red-flag check's result boxes: a pale tint of the tier's colour behind dark text
# (background, text), by tier, and for a clear check.
TIER_TINTS: dict[str, tuple[str, str]] = {
    "emergency": ("#FDECEE", "#3A0008"),
    "see_doctor": ("#FFF4E0", "#2E1C00"),
    "if_not_better": ("#EAF2FB", "#061A2E"),
    "clear": ("#E8F5EF", "#00291E"),
}

# In JupyterLab, the theme's variables first (so dark mode works), then the light colour.
LAB_INK = f"var(--jp-content-font-color1, {INK})"
LAB_MUTED = f"var(--jp-content-font-color2, {MUTED})"
LAB_BORDER = f"var(--jp-border-color2, {GRID})"
LAB_PANEL = f"var(--jp-layout-color2, {PANEL})"

# A routine's three phases, the same colour in every chart, card and handout.
PHASE_COLOURS: dict[str, str] = {
    "warm_up": OKABE_ITO["orange"],
    "main": OKABE_ITO["blue"],
    "cool_down": OKABE_ITO["bluish_green"],
}


def as_dict() -> dict[str, object]:
    """Every colour above by name, for templates."""
    return {k: v for k, v in globals().items() if k.isupper() or k == "OKABE_ITO"}
