"""Files: the bytes of any format, safe file names, atomic saving and download links.

A new export format goes here as one line in FORMATS and MIME and one branch in
:func:`render`; its writer lives in a module of its own beside html.py, markdown.py...
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..files import atomic_write
from ..model import Routine
from .html import to_html
from .ics import to_ics
from .json import to_json
from .markdown import to_markdown
from .pdf import pdf_bytes
from .pictures import data_uri
from .templates import render_html
from .text import clean_name, slug

__all__ = ["FORMATS", "MIME", "download_link", "file_name", "render", "save"]

# Format -> file extension and media type.
FORMATS: dict[str, str] = {
    "html": "html",
    "pdf": "pdf",
    "markdown": "md",
    "ics": "ics",
    "json": "json",
}
MIME: dict[str, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "markdown": "text/markdown",
    "ics": "text/calendar",
    "json": "application/json",
}


def _ext(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return FORMATS[fmt]


def file_name(fmt: str, name: object = "") -> str:
    """A safe file name for a format: ``back-routine[-NAME].EXT`` (no folders, no dots).

    >>> file_name("pdf", "Class 3B; Tuesday")
    'back-routine-class-3b-tuesday.pdf'
    """
    ext = _ext(fmt)
    tail = slug(clean_name(name))
    return f"back-routine{'-' + tail if tail else ''}.{ext}"


def render(
    routine: Routine,
    fmt: str,
    *,
    name: object = "",
    swaps: Iterable[Sequence[str]] | None = None,
    start: object = None,
    weeks: int | None = None,
) -> bytes:
    """The bytes of one format (html, pdf, markdown, ics or json)."""
    _ext(fmt)
    if fmt == "html":
        return to_html(routine, name=name, weeks=weeks).encode("utf-8")
    if fmt == "markdown":
        return to_markdown(routine, name=name, weeks=weeks).encode("utf-8")
    if fmt == "json":
        return to_json(routine, swaps=swaps, name=name).encode("utf-8")
    if fmt == "ics":
        return to_ics(routine, start=start, weeks=weeks, name=name).encode("utf-8")
    return pdf_bytes(routine, name=name, weeks=weeks)


def save(
    routine: Routine,
    fmt: str,
    folder: str | os.PathLike[str] = "handouts",
    *,
    name: object = "",
    swaps: Iterable[Sequence[str]] | None = None,
    start: object = None,
    weeks: int | None = None,
) -> Path:
    """Write one format into ``folder`` (created) under :func:`file_name`; return the path.

    The write is atomic (``backcourse.files.atomic_write``): a reader sees the old file or
    the new one, never half of one.
    """
    data = render(routine, fmt, name=name, swaps=swaps, start=start, weeks=weeks)
    return atomic_write(Path(folder) / file_name(fmt, name), data)


def download_link(
    path: str | os.PathLike[str], label: str | None = None, data: bytes | None = None
) -> str:
    """An HTML anchor that downloads the file from a data: URI (works offline, in Voila too)."""
    p = Path(path)
    fmt = next((k for k, v in FORMATS.items() if v == p.suffix.lstrip(".")), "")
    mime = MIME.get(fmt, "application/octet-stream")
    raw = p.read_bytes() if data is None else data
    text = label or f"Download {p.name}"
    return render_html("download.html", name=p.name, href=data_uri(raw, mime), text=text)
