"""How fast does the routine builder answer, and how long does each take-away file take?

Drives the builder the way a learner does (kernel side, no browser): after a warm-up that
renders every illustration once, a few hundred random answer changes, each timed from
setting the value to the redrawn routine. Prints the median and 95th percentile, with the
charts section closed (the default) and open (the chart then follows once the answers pause),
the time to draw that chart, then the time to write each export, first cold (pictures not
yet rendered) and then warm.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHANGES = 300
WARM_CHANGES = 50
SEED = 7


def percentile(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def change(builder, rng: random.Random, course) -> None:
    from backcourse.model import POSITIONS

    part = rng.choice(
        ["pain", "weeks", "minutes", "sessions", "experience", "position", "equipment"]
    )
    p = builder.parts
    if part == "pain":
        p["pain"].value = rng.randint(0, 10)
    elif part == "weeks":
        p["weeks"].value = rng.choice([1, 3, 5, 8, 11, 16, 40])
    elif part == "minutes":
        p["minutes"].value = rng.randint(5, 60)
    elif part == "sessions":
        p["sessions"].value = rng.randint(1, 7)
    elif part == "experience":
        p["experience"].value = rng.choice(["beginner", "intermediate", "advanced"])
    elif part == "position":
        box = p[f"position_{rng.choice(POSITIONS)}"]
        box.value = not box.value
    else:
        eq = rng.choice(sorted(course.guidelines.labels["equipment"]))
        p[f"equipment_{eq}"].value = not p[f"equipment_{eq}"].value


def responses(builder, course, n: int) -> list[float]:
    rng = random.Random(SEED)
    for _ in range(WARM_CHANGES):
        change(builder, rng, course)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        change(builder, rng, course)
        times.append((time.perf_counter() - t) * 1000)
    return times


async def first_builder(course, folder: Path) -> tuple[float, float, object]:
    """A cold first build inside an event loop, as in a kernel: text first, then pictures."""
    from backcourse.widgets import build_routine_builder

    t = time.perf_counter()
    builder = build_routine_builder(course, folder=folder)
    shown = (time.perf_counter() - t) * 1000
    while any(c.picture_key != c.picture_want for c in builder._cards):
        await asyncio.sleep(0)
    return shown, (time.perf_counter() - t) * 1000, builder


async def in_loop(builder, course) -> list[float]:
    return responses(builder, course, CHANGES)


def report(label: str, times: list[float]) -> None:
    print(
        f"{label:<44} median {statistics.median(times):6.1f} ms   "
        f"p95 {percentile(times, 95):6.1f} ms   max {max(times):6.1f} ms   (n={len(times)})"
    )


def main() -> int:
    from backcourse import export, load_course
    from backcourse.widgets import routine_builder as rb

    course = load_course()
    with tempfile.TemporaryDirectory() as tmp:
        shown, done, builder = asyncio.run(first_builder(course, Path(tmp) / "cold"))
        cold = {}
        for fmt in export.FORMATS:
            t = time.perf_counter()
            builder.export(fmt)
            cold[fmt] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        for ex in course.exercises.values():
            export.illustration(ex, course)
        warm_up = (time.perf_counter() - t) * 1000

        n = len(builder.routine.items)
        print(f"first builder in a kernel: routine shown after      {shown:7.0f} ms")
        print(f"  ... its {n} new pictures drawn (one per turn) after {done:7.0f} ms")
        print(
            f"warm-up: every picture ({len(course.exercises)}) drawn once        {warm_up:7.0f} ms"
        )
        report("answer change -> routine redrawn", responses(builder, course, CHANGES))
        # With the 12-week plan open, inside an event loop as in a kernel: the routine is
        # redrawn at once and the chart follows when the answers pause.
        builder.parts["charts"].selected_index = 2
        report("... with the 12-week plan chart open", asyncio.run(in_loop(builder, course)))
        charts = []
        rng = random.Random(SEED + 1)
        for _ in range(10):
            change(builder, rng, course)  # no event loop here: the chart is drawn at once
            rb._CHARTS.clear()
            t = time.perf_counter()
            builder._draw_charts()
            charts.append((time.perf_counter() - t) * 1000)
        report("drawing a new 12-week plan chart (after a pause)", charts)
        builder.parts["charts"].selected_index = None

        builder.folder = Path(tmp) / "warm"
        print("export (write one file)          cold ms    warm ms   size")
        for fmt in export.FORMATS:
            t = time.perf_counter()
            path = builder.export(fmt)
            warm = (time.perf_counter() - t) * 1000
            size = path.stat().st_size / 1024
            print(f"  {fmt:<30} {cold[fmt]:8.0f}   {warm:8.1f}   {size:6.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
