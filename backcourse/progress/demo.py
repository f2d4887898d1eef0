"""A made-up, deterministic progress log for demonstrations (never real data)."""

from __future__ import annotations

import math
import os
import random
from datetime import date, timedelta

from ..errors import ProgressLogError
from .entry import LogEntry
from .store import ProgressLog

# Fictional activities for the demo log (a PSFS lists the learner's own hard activities).
_EXAMPLE_ACTIVITIES = (
    ("Sitting through a film", 3, 8),
    ("Putting on socks", 4, 9),
    ("Carrying shopping", 2, 7),
)
EXAMPLE_START = date(2024, 1, 1)
EXAMPLE_NOTE = "example data"


def example_log(
    path: str | os.PathLike[str], days: int = 84, seed: int = 0, start: date = EXAMPLE_START
) -> ProgressLog:
    """Write a made-up, deterministic log for demonstrations and return it open.

    Pain eases from about 6.5 to about 2 over the period with day-to-day noise and a flare-up
    a little after half way; every entry's note is "example data". It is never real data.

    Raises
    ------
    ProgressLogError
        The file already holds entries (example data is never mixed into a real log).
    """
    if not 1 <= days <= 3660:
        raise ValueError(f"days must be from 1 to 3660, got {days!r}")
    log = ProgressLog(path)
    if len(log):
        log.close()
        raise ProgressLogError(f"{log.path} already has entries; write example data to a new file")
    rng = random.Random(seed)
    flare = int(days * 0.55)
    entries = []
    for i in range(days):
        t = i / max(days - 1, 1)
        base = 6.5 - 4.5 * (1 - math.exp(-3 * t)) / (1 - math.exp(-3))
        in_flare = flare <= i < flare + 10
        if in_flare:
            base += 4.0 * (1 - (i - flare) / 10)
        pain = min(10, max(0, round(base + rng.gauss(0, 0.7))))
        exercised = rng.random() < (0.3 if in_flare else 0.6)
        minutes = min(300, max(5, round(10 + 15 * t + rng.uniform(-3, 3)))) if exercised else 0
        effort = min(10, max(0, round(5 - 1.5 * t + rng.gauss(0, 1)))) if exercised else None
        psfs: tuple[tuple[str, int], ...] = ()
        if i % 7 == 0:
            psfs = tuple(
                (name, min(10, max(0, round(lo + (hi - lo) * t + rng.gauss(0, 0.5)))))
                for name, lo, hi in _EXAMPLE_ACTIVITIES
            )
        day = start + timedelta(days=i)
        entries.append(LogEntry(None, day, pain, exercised, minutes, effort, psfs, EXAMPLE_NOTE))
    log.add_entries(entries)
    return log
