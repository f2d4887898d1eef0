"""Shared by the anatomy figures: rounded outlines, highlight lists, labels kept apart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .anatomy_shapes import Outline


def smooth(points: np.ndarray, n: int = 8) -> np.ndarray:
    """A closed Catmull-Rom curve through the points, so shapes look drawn, not jagged."""
    pts = np.asarray(points, dtype=float)
    m = len(pts)
    out = []
    for i in range(m):
        p0, p1, p2, p3 = pts[(i - 1) % m], pts[i], pts[(i + 1) % m], pts[(i + 2) % m]
        for t in np.linspace(0.0, 1.0, n, endpoint=False):
            t2, t3 = t * t, t * t * t
            out.append(
                0.5
                * (
                    (2 * p1)
                    + (-p0 + p2) * t
                    + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                    + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
                )
            )
    return np.array(out)


def normalise(highlight: str | Iterable[str] | None) -> list[str]:
    if highlight is None:
        return []
    if isinstance(highlight, str):
        return [highlight]
    return list(dict.fromkeys(highlight))


def curve(outline: Outline) -> np.ndarray:
    """An outline of anatomy.yaml as drawn: smoothed, or with straight edges (smooth 0)."""
    points = np.array(outline.points)
    return smooth(points, outline.smooth) if outline.smooth else points


def place_labels(
    ys: list[float], lo: float, hi: float, gap: float, sizes: Sequence[float] | None = None
) -> list[float]:
    """Spread label heights (centres) so labels of the given heights keep ``gap`` apart,
    staying near their targets, from the top down."""
    sizes = list(sizes) if sizes is not None else [0.0] * len(ys)
    order = sorted(range(len(ys)), key=lambda i: -ys[i])
    placed: dict[int, float] = {}
    last_bottom = hi + gap
    for i in order:
        y = min(ys[i], last_bottom - gap - sizes[i] / 2)
        placed[i] = y
        last_bottom = y - sizes[i] / 2
    shift = lo - min(placed.values(), default=lo)
    if shift > 0:
        for i in placed:
            placed[i] += shift
    return [placed[i] for i in range(len(ys))]
