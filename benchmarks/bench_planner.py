"""Planner speed: one routine and one twelve-week plan, over a few thousand random profiles."""

from __future__ import annotations

import statistics
import time

from compare_outputs import random_profiles  # the same learners the before/after check uses

from backcourse import build_routine, load_course

N = 3000


def main() -> None:
    course = load_course()
    profiles = random_profiles(N, seed=0)
    routine_ms, plan_ms = [], []
    for p in profiles:
        t0 = time.perf_counter()
        routine = build_routine(p, course)
        t1 = time.perf_counter()
        routine.plan(12)
        t2 = time.perf_counter()
        routine_ms.append((t1 - t0) * 1000)
        plan_ms.append((t2 - t1) * 1000)

    def p95(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=20)[-1]

    print(f"{N} random profiles")
    for name, xs in (("build_routine", routine_ms), ("plan(weeks=12)", plan_ms)):
        print(f"{name:16} median {statistics.median(xs):6.2f} ms   p95 {p95(xs):6.2f} ms")


if __name__ == "__main__":
    main()
