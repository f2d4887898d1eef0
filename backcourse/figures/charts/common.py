"""Small helpers every chart shares: number words, colour blending, text widths, margins.

Nothing here imports matplotlib at module level, so the SVG charts stay light; the
matplotlib helpers import what they need when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any


def fmt(x: float) -> str:
    """A number as a person writes it: 5, 2.5 (no trailing zeros)."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def short(name: str) -> str:
    """'Hamstrings (biceps femoris, ...)' -> 'Hamstrings'."""
    return name.split(" (")[0]


def blend(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from hex colour ``a`` to ``b``, as '#RRGGBB'."""
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb, strict=True))


@cache
def _font() -> Any:
    """DejaVu Sans (shipped with matplotlib) for measuring text, read once per process."""
    import importlib.util
    from pathlib import Path

    from PIL import ImageFont

    from .. import style

    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
    return ImageFont.truetype(str(folder / f"{style.FONT.replace(' ', '')}.ttf"), 100)


@lru_cache(maxsize=4096)
def _width_em(text: str) -> float:
    return max((_font().getlength(line) for line in text.split("\n")), default=0.0) / 100


def text_width(texts: Sequence[str], size: float) -> float:
    """The width of the widest of ``texts`` at font ``size`` (same unit out as in), in the
    house font. DejaVu Sans is wider than the fallback fonts a browser may use instead, so
    space measured here is enough for them too."""
    return max((_width_em(t) for t in texts), default=0.0) * size


# --------------------------------------------------------------------------- matplotlib


def rect_in(fig: Any, left: float, bottom: float, width: float, height: float) -> list[float]:
    """An axes rectangle given in inches, as the figure fractions ``add_axes`` takes."""
    fw, fh = fig.get_size_inches()
    return [left / fw, bottom / fh, width / fw, height / fh]


def stack_in(
    fig: Any,
    axes: Sequence[Any],
    ratios: Sequence[float],
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    gap: float,
) -> None:
    """Place axes one above the other, heights in ``ratios``, margins and gap in inches.

    Fixed margins instead of constrained layout: the layout engine costs a second full draw.
    """
    fw, fh = fig.get_size_inches()
    free = fh - top - bottom - gap * (len(axes) - 1)
    y = fh - top
    for a, r in zip(axes, ratios, strict=True):
        h = free * r / sum(ratios)
        y -= h
        a.set_position(rect_in(fig, left, y, fw - left - right, h))
        y -= gap


def legend_below(fig: Any, handles: Sequence[Any], *, y: float, size: float) -> None:
    """The chart's key as one row of three under the axes, centred (plan and trend charts)."""
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, y), ncols=3, fontsize=size)
