"""The colours of the body pictures that are not the house palette's: anatomy tones, props.

Named once here (the house colours are in :mod:`backcourse.palette` and
:mod:`backcourse.figures.style`), with :func:`mix` to lighten or darken any of them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

from .. import palette

LIGHT = palette.PAPER  # mixed in to lighten (far limbs, the flywheel)
DARK = palette.OKABE_ITO["black"]  # mixed in to darken (the mat's edge, the water line)
DUMBBELL = "#3A3A3A"
DUMBBELL_EDGE = "#1E1E1E"

# Anatomy schematics: bone, disc, nerve, skin and the muscles that are not highlighted.
BONE = "#EFE9DF"
BONE_EDGE = "#8C8273"
PALE_BONE = "#F7F4EE"  # the pelvis and femur, behind the spine
PALE_BONE_EDGE = "#B9B0A2"
DISC = "#BFE0F2"
DISC_EDGE = "#4F8DB3"
NERVE = palette.OKABE_ITO["yellow"]
NERVE_EDGE = "#9A8F00"
SKIN = "#F3F4F6"
SKIN_EDGE = "#97A1AB"
MUSCLE = "#D3D9DF"
MUSCLE_EDGE = "#A9B3BD"
HATCH_EDGE = "#7A2E00"  # the edge of a highlighted shape


def mix(colour: str, other: str, t: float) -> tuple[float, float, float]:
    """``colour`` moved a fraction ``t`` of the way towards ``other`` (RGB)."""
    a, b = np.array(to_rgb(colour)), np.array(to_rgb(other))
    return tuple(a + (b - a) * t)  # type: ignore[return-value]
