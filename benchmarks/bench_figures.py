"""Figure speed: one exercise figure, the charts (matplotlib + PNG, and SVG), and (with
``BENCH_GALLERY=1``) the whole gallery.

Prints the median wall time of each (CPU time in brackets: the machine may be busy).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from backcourse import Profile, build_routine, load_course
from backcourse.figures import charts, gallery, style
from backcourse.illustrate import exercise_pictures as poses

REPEAT = 7


def timed(fn, repeat: int = REPEAT) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn()`` over ``repeat`` runs (after one warm-up)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    course = load_course()
    ex = course.exercises["bird_dog"]
    routine = build_routine(
        Profile(
            pain_now=4,
            weeks_since_onset=10,
            minutes_per_session=20,
            sessions_per_week=4,
            equipment={"mat", "chair"},
        ),
        course,
    )
    year = charts.example_entries(365)
    rows = [
        ("exercise figure + PNG", timed(lambda: style.to_png(poses.exercise_figure(ex, course)))),
        ("9 slider frames (PNG)", timed(lambda: poses.exercise_frames(ex, course), 3)),
        ("time-budget chart + PNG", timed(lambda: style.to_png(charts.time_budget_chart(routine)))),
        ("plan chart + PNG", timed(lambda: style.to_png(charts.plan_chart(routine.plan(12))), 3)),
        ("plan chart as SVG", timed(lambda: charts.plan_svg(routine.plan(12)))),
        ("trend chart as SVG, a year", timed(lambda: charts.pain_trend_svg(year, course))),
    ]
    for name, (wall, cpu) in rows:
        print(f"{name:28s} median {wall * 1000:7.0f} ms  (cpu {cpu * 1000:5.0f} ms)")
    if not os.environ.get("BENCH_GALLERY"):  # a minute or more: `make bench` stays short
        print("whole gallery: skipped (BENCH_GALLERY=1 to time it)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        w0, c0 = time.perf_counter(), time.process_time()
        gallery.write_gallery(tmp, jobs=1)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        n = len(gallery.jobs_for(course))
    print(f"{'whole gallery, 1 process':28s} {wall:7.1f} s   (cpu {cpu:5.1f} s, {n} figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
