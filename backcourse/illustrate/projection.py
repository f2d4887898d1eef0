"""Seeing the 3-D body model in a picture: the camera of a view and each segment's outline.

A segment is a rounded, tapering solid (an ellipsoid at each end); its outline in the
picture is the convex hull of the two ends as the camera sees them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .body_model import View
from .kinematics import Segment


@dataclass(frozen=True)
class Camera:
    """Projects world points (cm) onto the picture: ``right`` and ``up`` span the picture,
    ``towards`` points at the viewer (larger depth = nearer)."""

    right: np.ndarray
    up: np.ndarray
    towards: np.ndarray

    @classmethod
    def of(cls, view: View) -> Camera:
        az, el = math.radians(view.azimuth), math.radians(view.elevation)
        towards = np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])
        right = np.array([math.cos(az), 0.0, -math.sin(az)])
        up = np.cross(towards, right)
        return cls(right, up, towards)

    @property
    def plane(self) -> np.ndarray:
        return np.vstack([self.right, self.up])

    def xy(self, p: Sequence[float] | np.ndarray) -> np.ndarray:
        return self.plane @ np.asarray(p, dtype=float)

    def depth(self, p: Sequence[float] | np.ndarray) -> float:
        return float(np.asarray(p, dtype=float) @ self.towards)


def _ellipse_matrix(cam: Camera, seg: Segment, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Centre and 2x2 shape matrix Q of a segment end (an ellipsoid) as the camera sees it:
    the outline is {c + L u : |u| = 1} with L L^T = Q."""
    centre = seg.start if end == 0 else seg.end
    semi = seg.semi_start if end == 0 else seg.semi_end
    m = cam.plane @ np.array(seg.frame) @ np.diag(semi)
    return cam.xy(centre), m @ m.T + np.eye(2) * 1e-9


_DIRS = np.column_stack(
    [
        np.cos(np.linspace(0.0, 2 * math.pi, 48, endpoint=False)),
        np.sin(np.linspace(0.0, 2 * math.pi, 48, endpoint=False)),
    ]
)


def outline(cam: Camera, seg: Segment) -> np.ndarray:
    """The projected outline of a segment: the convex hull of its two rounded ends, found as
    the support points of the two ellipses in 48 directions (counter-clockwise)."""
    best_val = np.full(len(_DIRS), -np.inf)
    best_pt = np.zeros((len(_DIRS), 2))
    for end in (0, 1):
        c, q = _ellipse_matrix(cam, seg, end)
        qd = _DIRS @ q  # rows: Q d (Q is symmetric)
        h = np.sqrt(np.einsum("ij,ij->i", qd, _DIRS))
        pts = c + qd / h[:, None]
        val = _DIRS @ c + h
        take = val > best_val
        best_val[take] = val[take]
        best_pt[take] = pts[take]
    return best_pt
