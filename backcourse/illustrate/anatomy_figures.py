"""The anatomy schematics, in one place to import from: the muscle map and the lower back.

:func:`muscle_figure` (front and back views, :mod:`~backcourse.illustrate.muscle_map`) and
:func:`spine_figure` (the lumbar spine from the side,
:mod:`~backcourse.illustrate.spine_view`), both drawn from ``course_data/anatomy.yaml``
(:mod:`~backcourse.illustrate.anatomy_shapes`).
"""

from __future__ import annotations

from .anatomy_shapes import DISCS, VERTEBRAE
from .muscle_map import muscle_figure
from .spine_view import SPINE_PARTS, spine_figure

__all__ = ["DISCS", "SPINE_PARTS", "VERTEBRAE", "muscle_figure", "spine_figure"]
