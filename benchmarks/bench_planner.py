"""Planner speed: one routine and one twelve-week plan, over a few thousand random profiles."""

from __future__ import annotations

import random
import statistics
import time

from backcourse import Profile, build_routine, load_course
from backcourse.model import EXPERIENCE, POSITIONS

N = 3000


def random_profiles(n: int, seed: int = 0) -> list[Profile]:
    rng = random.Random(seed)
    course = load_course()
    equipment = sorted(course.guidelines.labels["equipment"])
    return [
        Profile(
            pain_now=rng.randint(0, 10),
            weeks_since_onset=rng.randint(0, 104),
            minutes_per_session=rng.randint(5, 60),
            sessions_per_week=rng.randint(1, 7),
            positions=set(rng.sample(POSITIONS, rng.randint(1, len(POSITIONS)))),
            equipment=set(rng.sample(equipment, rng.randint(0, len(equipment)))),
            experience=rng.choice(EXPERIENCE),
        )
        for _ in range(n)
    ]


def main() -> None:
    course = load_course()
    profiles = random_profiles(N)
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
