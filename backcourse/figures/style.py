"""The house style of every backcourse figure: palette, fonts, sizes and deterministic output.

Figures are built on ``matplotlib.figure.Figure`` directly (never pyplot), so there is no
global state and no backend to choose. Text sizes are chosen to stay readable on a projector
at the figure sizes used here.

>>> from backcourse.figures import style
>>> fig = style.figure(6, 4, alt_text="An empty figure")
>>> png = style.to_png(fig)   # the same figure gives the same bytes every time
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import matplotlib
from matplotlib.figure import Figure

from .. import palette

# The Okabe-Ito palette, safe for the common kinds of colour blindness (backcourse.palette).
PALETTE: dict[str, str] = palette.OKABE_ITO
# The order in which series take colours (black last: it is used for text and axes).
CYCLE: tuple[str, ...] = (
    PALETTE["blue"],
    PALETTE["orange"],
    PALETTE["bluish_green"],
    PALETTE["vermillion"],
    PALETTE["reddish_purple"],
    PALETTE["sky_blue"],
    PALETTE["yellow"],
)
# Roles, so every figure uses a colour for the same meaning.
HIGHLIGHT = PALETTE["vermillion"]  # the muscles an exercise targets; the thing to look at
SECONDARY = PALETTE["orange"]
ACCENT = PALETTE["blue"]  # arrows, trend lines
GOOD = PALETTE["bluish_green"]
MAT = PALETTE["sky_blue"]
WATER = PALETTE["sky_blue"]
PHASE_COLOURS: dict[str, str] = palette.PHASE_COLOURS
# Neutral tones (not part of Okabe-Ito; greys carry no meaning).
INK = palette.INK  # text
MUTED = palette.MUTED  # secondary text, gridlines' labels
GRID = palette.GRID
PAPER = palette.PAPER
BODY_NEAR = "#55606B"  # limbs nearest the viewer are darkest
BODY_MID = "#8A96A3"
BODY_FAR = "#BEC6CE"
BODY_EDGE = "#2B3138"
PROP = "#C9C4BC"
PROP_EDGE = "#6E675E"
FLOOR = "#E9E6E1"

DPI = 100  # fixed: the same figure always has the same pixel size
FONT = "DejaVu Sans"  # ships with matplotlib, so text renders the same everywhere
BASE_SIZE = 13.0

RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": BASE_SIZE,
    "axes.titlesize": BASE_SIZE + 2,
    "axes.titleweight": "bold",
    "axes.labelsize": BASE_SIZE,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.prop_cycle": matplotlib.cycler(color=list(CYCLE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.labelsize": BASE_SIZE - 1,
    "ytick.labelsize": BASE_SIZE - 1,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.fontsize": BASE_SIZE - 1,
    "legend.frameon": False,
    "figure.titlesize": BASE_SIZE + 5,
    "figure.titleweight": "bold",
    "figure.facecolor": PAPER,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.facecolor": PAPER,
    "text.color": INK,
    "lines.linewidth": 2.5,
    "lines.solid_capstyle": "round",
    "svg.hashsalt": "backcourse",  # stable ids inside SVG files
    "svg.fonttype": "none",  # text stays text in SVG: searchable, and read by screen readers
    "path.simplify": True,
    "image.resample": False,
}

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def context() -> Iterator[None]:
    """Apply the house rcParams while a figure is built (text reads them when it is made)."""
    with matplotlib.rc_context(RC):
        yield


def styled(func: F) -> F:
    """Decorator: build the figure inside :func:`context`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def figure(width: float = 10.0, height: float = 5.0, alt_text: str = "", **kwargs: Any) -> Figure:
    """A new Figure in the house style (constrained layout, white paper, fixed dpi).

    Build the rest of the figure inside :func:`context` (or a :func:`styled` function) so
    its text picks up the house fonts.
    """
    with context():
        kwargs.setdefault("layout", "constrained")
        fig = Figure(figsize=(width, height), dpi=DPI, facecolor=PAPER, **kwargs)
    fig.alt_text = alt_text  # type: ignore[attr-defined]
    return fig


def apply(fig: Figure) -> Figure:
    """Give an existing figure the house look: paper colour, fixed dpi, muted spines."""
    fig.set_facecolor(PAPER)
    fig.set_dpi(DPI)
    for ax in fig.axes:
        for name, spine in ax.spines.items():
            spine.set_color(MUTED)
            if name in ("top", "right"):
                spine.set_visible(False)
        ax.tick_params(colors=INK, labelsize=BASE_SIZE - 1)
    if not hasattr(fig, "alt_text"):
        fig.alt_text = ""  # type: ignore[attr-defined]
    return fig


def to_png(fig: Figure, dpi: int = DPI, colours: int | None = None) -> bytes:
    """The figure as PNG bytes; identical input gives identical bytes (no timestamps).

    ``colours``: store it with a palette of at most that many colours (no dithering). A
    flat drawing (the exercise pictures: a few fills, their anti-aliased edges and text)
    looks the same with 64 and takes about a quarter of the bytes, which every page that
    shows it must carry.
    """
    buf = io.BytesIO()
    with context():
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if colours is None:
        return buf.getvalue()
    from PIL import Image  # matplotlib's own dependency

    buf.seek(0)
    with Image.open(buf) as drawn:
        rgba = drawn.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    small = flat.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="png", optimize=True)
    return out.getvalue()


def to_svg(fig: Figure) -> str:
    """The figure as SVG text, without dates or random ids, so it is deterministic."""
    buf = io.StringIO()
    with context():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def wrap(text: str, width: int) -> str:
    """Wrap plain text to lines of at most ``width`` characters (for captions)."""
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(text.split()), width)) if text else ""
