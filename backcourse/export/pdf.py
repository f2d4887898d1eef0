"""The handout as a PDF, laid out with fpdf2: A4 pages, wrapped text, exercise cards three
to a row, then the plan week by week; an 8-exercise routine fits on three pages.

fpdf2 is pure Python (a wheel from PyPI, also in Pyodide): real PDF text with an embedded,
subset font, PNG pictures embedded as they are, and measured line wrapping. Drawing each
page as a matplotlib figure (the earlier way) took about a second; fpdf2 writes the handout
in a small fraction of that and keeps it searchable and copyable.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import palette
from ..files import atomic_write
from ..model import Routine
from .handout import Card, handout
from .pictures import HANDOUT_DPI, illustration

__all__ = ["pdf_bytes", "to_pdf"]

_A4 = (210.0, 297.0)  # mm
_MARGIN = 15.0  # mm; keeps the content inside US Letter's shorter page too
_FOOT = 12.0  # mm kept free at the bottom for the page footer
_GAP = 6.0  # mm between the two columns of exercise cards
_PICTURE_MAX_H = 42.0  # mm: an exercise picture at most this tall
_INK = palette.INK
_MUTED = palette.MUTED
_RULE = palette.GRID
_SAFETY = palette.OKABE_ITO["vermillion"]


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans regular and bold: they ship with matplotlib and cover the course's text."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return str(folder / "DejaVuSans.ttf"), str(folder / "DejaVuSans-Bold.ttf")


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@lru_cache(maxsize=1)
def _blank_pdf() -> Any:
    """An empty A4 document with the fonts loaded: each handout starts from a copy, so the
    fonts are read and parsed once per process (fpdf2 documents support deepcopy)."""
    from fpdf import FPDF

    class _Doc(FPDF):  # type: ignore[misc]
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-_FOOT + 2)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(*_rgb(_MUTED))
            self.cell(0, 4, f"{self.footer_text}  ·  page {self.page_no()}", align="C")

    regular, bold = _fonts()
    doc = _Doc(orientation="portrait", unit="mm", format="A4")
    doc.add_font("DejaVu", "", regular)
    doc.add_font("DejaVu", "B", bold)
    doc.set_margins(_MARGIN, _MARGIN, _MARGIN)
    doc.set_auto_page_break(True, margin=_FOOT + 4)
    # fpdf2's sign for "no real date" (also in the XMP data): the same routine, same bytes.
    doc.set_creation_date(dt.datetime(1969, 12, 31, 19, 0, tzinfo=dt.timezone.utc))
    doc.set_lang("en")
    return doc


@lru_cache(maxsize=4)
def _trimmed_font(path: str) -> bytes:
    """The font file without the layout tables fpdf2 drops anyway when it subsets (no text
    shaping here): reading them again for every handout took most of its time."""
    from fontTools import ttLib

    font = ttLib.TTFont(path, recalcTimestamp=False)
    for tag in ("GSUB", "GPOS", "GDEF", "kern", "hdmx", "MATH"):
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


_WIDTHS: dict[tuple[str, float, str], float] = {}  # (style, size, word) -> width in mm
_IMAGES: dict[str, Any] = {}  # fpdf2's name of a PNG -> its parsed and compressed form


class _Pdf:
    """A4 pages with a footer, paragraphs that wrap, and exercise cards in two columns."""

    def __init__(self, footer: str, meta: dict[str, str]) -> None:
        import copy

        from fontTools import ttLib

        doc = copy.deepcopy(_blank_pdf())
        for font in doc.fonts.values():
            # fpdf2 subsets the font in place when it writes: each document needs its own
            # copy, read lazily from a trimmed one held in memory; widths and cmap are shared.
            data = io.BytesIO(_trimmed_font(str(font.ttffile)))
            font.ttfont = ttLib.TTFont(data, recalcTimestamp=False, lazy=True)
        doc.footer_text = footer
        doc.set_title(meta["Title"])
        doc.set_author(meta["Author"])
        doc.set_subject(meta["Subject"])
        doc.set_creator(meta["Creator"])
        doc.set_producer(meta["Producer"])
        self.doc = doc
        self.width = _A4[0] - 2 * _MARGIN
        doc.add_page()

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        """A PNG placed as it is; one already embedded in an earlier handout is not decoded
        and compressed again (that was most of the time a handout took)."""
        import copy
        import hashlib

        key = hashlib.md5(png.strip(), usedforsecurity=False).hexdigest()  # fpdf2's own name
        images = self.doc.image_cache.images
        if key not in images and key in _IMAGES:
            info = copy.copy(_IMAGES[key])
            info["i"], info["usages"] = len(images) + 1, 0
            images[key] = info
        self.doc.image(io.BytesIO(png), x=x, y=y, w=w, h=h)
        if key not in _IMAGES and key in images and len(_IMAGES) < 256:
            _IMAGES[key] = copy.copy(images[key])

    @property
    def bottom(self) -> float:
        return _A4[1] - _FOOT - 4

    def font(self, size: float, *, bold: bool = False, color: str = _INK) -> None:
        self.doc.set_font("DejaVu", "B" if bold else "", size)
        self.doc.set_text_color(*_rgb(color))

    def text(
        self,
        text: str,
        size: float = 9.5,
        *,
        bold: bool = False,
        color: str = _INK,
        x: float | None = None,
        width: float | None = None,
        gap: float = 1.0,
        dry: bool = False,
    ) -> float:
        """A wrapped paragraph at ``x`` (mm from the left edge); returns its height in mm.

        Lines are broken here, word by word on measured widths, and each is written as one
        cell: fpdf2's own paragraph breaking re-measures the line at every character.
        """
        self.font(size, bold=bold, color=color)
        w = width if width is not None else self.width
        left = _MARGIN if x is None else x
        line_h = size * 0.45
        lines = self._wrap(" ".join(str(text).split()), w)
        if not dry:
            for line in lines:
                if self.doc.get_y() + line_h > self.bottom:
                    self.doc.add_page()
                self.doc.set_x(left)
                self.doc.cell(w, line_h, line, new_x="LMARGIN", new_y="NEXT")
            self.doc.set_y(self.doc.get_y() + gap)
        return len(lines) * line_h + gap

    def _wrap(self, text: str, width: float) -> list[str]:
        style, size = self.doc.font_style, self.doc.font_size_pt

        def measure(word: str) -> float:
            key = (style, size, word)
            if key not in _WIDTHS:
                _WIDTHS[key] = self.doc.get_string_width(word)
            return _WIDTHS[key]

        space = measure(" ")
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        for word in text.split(" "):
            ww = measure(word)
            if line and used + space + ww > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += (space if line else 0.0) + ww
            line.append(word)
        lines.append(" ".join(line))
        return lines

    def rule(self, colour: str = _RULE) -> None:
        y = self.doc.get_y() + 1.5
        self.doc.set_draw_color(*_rgb(colour))
        self.doc.set_line_width(0.3)
        self.doc.line(_MARGIN, y, _A4[0] - _MARGIN, y)
        self.doc.set_y(y + 2.5)

    def room(self, height: float) -> None:
        """A new page unless ``height`` mm fit below the current line."""
        if self.doc.get_y() + height > self.bottom:
            self.doc.add_page()

    # ------------------------------------------------------------------ cards

    def _card(self, c: Card, png: bytes, colour: str, x: float, w: float, dry: bool) -> float:
        """Draw (or measure, when ``dry``) one exercise card at ``x``; its height in mm."""
        top = self.doc.get_y()
        h = 0.0

        def para(text: str, size: float, **kw: Any) -> None:
            nonlocal h
            if not dry:
                self.doc.set_y(top + h)
            h += self.text(text, size, x=x, width=w, dry=dry, **kw)

        if not dry:
            self.doc.set_fill_color(*_rgb(colour))
            self.doc.rect(x, top, w, 1.0, style="F")
        h += 1.8
        para(c.phase_label, 7, bold=True, color=colour, gap=0.2)
        para(f"{c.number}. {c.name}", 10, bold=True, gap=0.3)
        para(f"{c.dose}  (about {c.minutes:.1f} min)", 8, bold=True, gap=0.5)
        para(c.reason, 7, color="#333333", gap=0.3)
        if c.muscles:
            para(f"Target muscles: {c.muscles}", 6.5, color="#444444", gap=0.6)
        pw, ph = _png_size(png)
        img_w = min(w, _PICTURE_MAX_H * pw / ph)
        img_h = img_w * ph / pw
        if not dry:
            self.image(png, x=x, y=top + h, w=img_w, h=img_h)
        h += img_h + 0.8
        for i, step in enumerate(c.steps, 1):
            para(f"{i}. {step}", 6.8, gap=0.15)
        if c.caution:
            para(c.caution, 6.5, color=_MUTED, gap=0.15)
        return h + 3.0

    def cards(self, cards: Sequence[Card], pngs: Sequence[bytes], colours: Sequence[str]) -> None:
        """Cards in three newspaper columns: down the first column, then the next, then a new
        page; a card is never split."""
        per_page = 3
        w = (self.width - _GAP * (per_page - 1)) / per_page
        top, col, y = self.doc.get_y(), 0, self.doc.get_y()
        lowest = top
        for c, png, colour in zip(cards, pngs, colours, strict=True):
            h = self._card(c, png, colour, _MARGIN, w, dry=True)
            while y + h > self.bottom:
                if y > top and col + 1 < per_page:  # no room left here: the next column
                    col, y = col + 1, top
                    continue
                if y == top and top <= _MARGIN + 1:
                    break  # a card taller than a page: it gets a column of its own
                self.doc.add_page()  # no column left, or not even an empty one is tall enough
                top = y = lowest = self.doc.get_y()
                col = 0
            self.doc.set_y(y)
            self._card(c, png, colour, _MARGIN + col * (w + _GAP), w, dry=False)
            y += h
            lowest = max(lowest, y)
        self.doc.set_y(lowest)

    def bytes(self) -> bytes:
        return bytes(self.doc.output())


def pdf_bytes(
    routine: Routine, *, name: object = "", weeks: int | None = None, dpi: int = HANDOUT_DPI
) -> bytes:
    """The handout as a PDF: summary, safety, the exercises with their pictures three to a
    row, and the plan week by week; an 8-exercise routine fits on three A4 pages.

    The margins also fit US Letter. The bytes are stable: no creation date, fixed producer,
    the font embedded as a subset (so the text can be searched and copied).
    """
    h = handout(routine, name, weeks)
    course = routine.course
    pdf = _Pdf(
        "backcourse routine" + (f" for {h.name}" if h.name else ""),
        {
            "Title": h.title,
            "Author": h.name or "backcourse",
            "Subject": "Back exercise routine",
            "Creator": "backcourse",
            "Producer": "backcourse (fpdf2)",
        },
    )
    pdf.text(h.title, 17, bold=True, gap=1.5)
    if h.name:
        pdf.text(f"For: {h.name}", 11.5, gap=1.5)
    for k, v in h.facts:
        pdf.text(f"{k}: {v}", 9, gap=0.2)
    for n in h.notes:
        pdf.text(n, 9, gap=0.8)
    pdf.rule()
    pdf.text("Safety first", 11, bold=True, color=_SAFETY, gap=0.8)
    for s in h.safety:
        pdf.text(s, 8.5, gap=0.6)
    if h.disclaimer:
        pdf.text(h.disclaimer, 7.5, color=_MUTED, gap=0.5)
    pdf.rule()
    pdf.text("At a glance", 11, bold=True, gap=0.8)
    for c in h.cards:
        pdf.text(f"{c.number}. {c.name} ({c.phase_label}): {c.dose}", 8.5, gap=0.2)
    pdf.rule()
    # The cards in the routine's order (warm-up, main block, cool-down), each tagged with its
    # phase in the phase's colour, three to a row.
    pdf.cards(
        h.cards,
        [illustration(c.item.exercise, course, dpi)[0] for c in h.cards],
        [palette.PHASE_COLOURS.get(c.phase, _INK) for c in h.cards],
    )
    pdf.room(30)
    pdf.text(f"The next {len(h.weeks)} weeks", 13, bold=True, gap=1.0)
    if h.progression:
        pdf.text(h.progression, 8.5, gap=1.5)
    for row in h.weeks:
        boxes = "   " + "[  ] " * h.sessions_per_week
        lines = 1 + len(row.changes)
        pdf.room(lines * 4.2 + 1)
        pdf.text(f"Week {row.week} - about {round(row.minutes)} min{boxes}", 9, bold=True, gap=0.2)
        for ch in row.changes:
            pdf.text(ch, 8, x=_MARGIN + 5, width=pdf.width - 5, gap=0.2)
        pdf.doc.ln(0.8)
    if h.sources:
        pdf.room(14)
        pdf.text("Sources", 10, bold=True, gap=0.5)
        for s in h.sources:
            pdf.text(s, 7, gap=0.3)
    return pdf.bytes()


def to_pdf(
    routine: Routine, path: str | os.PathLike[str], *, name: object = "", weeks: int | None = None
) -> Path:
    """Write the PDF handout to ``path`` (atomically) and return the path."""
    return atomic_write(Path(path), pdf_bytes(routine, name=name, weeks=weeks))
