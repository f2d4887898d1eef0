"""How fast the lesson widgets answer once their pictures are drawn (the aim: under 100 ms).

Run with ``python benchmarks/bench_lesson_widgets.py``. Prints the median of several runs:

- muscle explorer: choosing a muscle already shown (its picture comes from the cache);
- exercise browser: choosing an exercise already shown, and changing the category filter;
- sitting planner: changing how often to get up (the bars and the plan redrawn);
- lesson blocks: the red-flag table and an exercise card rendered from their templates.

These were assertions in tests/test_widgets_lessons.py; timings belong here, not in tests
(a shared CI machine makes them flaky there).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
os.environ.setdefault("MPLBACKEND", "Agg")

from backcourse import lesson, load_course
from backcourse.widgets import (
    build_exercise_browser,
    build_muscle_explorer,
    build_sitting_planner,
)

RUNS = 9
GOAL_MS = 100


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def cycle(values: list[str]) -> Callable[[], str]:
    """The values in turn, forever: each call returns the next one."""
    state = {"i": 0}

    def nxt() -> str:
        state["i"] += 1
        return values[state["i"] % len(values)]

    return nxt


def main() -> None:
    course = load_course()
    rows: list[tuple[str, float]] = []

    explorer = build_muscle_explorer(course)
    muscles = list(course.muscles)[:4]
    for mid in muscles:  # draw each picture once
        explorer.parts["select"].value = mid
    nxt_muscle = cycle(muscles)
    rows.append(
        (
            "muscle explorer, a muscle already shown",
            median_ms(lambda: setattr(explorer.parts["select"], "value", nxt_muscle())),
        )
    )

    browser = build_exercise_browser(course)
    browser.parts["clear"].click()
    exercises = list(course.exercises)[:5]
    for eid in exercises:
        browser.parts["results"].value = eid
    nxt_ex = cycle(exercises)
    rows.append(
        (
            "exercise browser, an exercise already shown",
            median_ms(lambda: setattr(browser.parts["results"], "value", nxt_ex())),
        )
    )
    nxt_cat = cycle(["stretch", browser.parts["category"].options[0][1]])
    rows.append(
        (
            "exercise browser, category filter changed",
            median_ms(lambda: setattr(browser.parts["category"], "value", nxt_cat())),
        )
    )

    sitting = build_sitting_planner(course)
    nxt_every = cycle(["45", "60"])
    rows.append(
        (
            "sitting planner, 'get up every' changed",
            median_ms(lambda: setattr(sitting.parts["every"], "value", int(nxt_every()))),
        )
    )

    rows.append(
        ("lesson red-flag table rendered", median_ms(lambda: lesson.red_flag_table(course)))
    )
    bridge = next(iter(course.exercises.values()))
    rows.append(
        (
            "lesson exercise card rendered",
            median_ms(lambda: lesson.exercise_card_html(bridge, course)),
        )
    )

    for what, ms in rows:
        mark = "ok" if ms < GOAL_MS else "OVER"
        print(f"{what}: median {ms:.1f} ms (goal < {GOAL_MS} ms, {mark})")


if __name__ == "__main__":
    main()
