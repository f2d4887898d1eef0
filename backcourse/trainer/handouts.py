"""The class's handouts: one HTML page per member (the export's handout, with their name),
written whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..files import atomic_write
from .class_plan import ClassPlan, Member, handout_names

Progress = Callable[[int, int], None]


def handout_html(member: Member) -> str:
    """One person's handout: the export's HTML page, with their name or code on it (escaped)."""
    from ..export import to_html

    return to_html(member.routine, name=member.name)


def write_handouts(
    plan: ClassPlan, folder: str | os.PathLike[str], progress: Progress | None = None
) -> tuple[Path, ...]:
    """Write one HTML handout per member into ``folder`` (created when missing).

    Each file is written whole or not at all. ``progress(done, total)`` is called once
    before the first file and after each one, for a progress bar.

    Returns
    -------
    tuple of Path
        The files written, in roster order.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    total = len(plan.members)
    if progress is not None:
        progress(0, total)
    written = []
    names = handout_names(plan)
    for done, (member, name) in enumerate(zip(plan.members, names, strict=True), start=1):
        # a temporary file in the folder, then a rename
        written.append(atomic_write(out / name, handout_html(member).encode("utf-8")))
        if progress is not None:
            progress(done, total)
    return tuple(written)
