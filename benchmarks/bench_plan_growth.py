"""Does the 12-week plan keep growing, and does every plan rule hold? Over a grid of profiles.

Prints the share of main-block exercises that rise or step up within 12 weeks (sessions of
15 minutes or more, and all sessions), then every rule's violation count (all should be 0).
The rules are worked out from course_data/*.yaml by tests/plan_oracle.py, not by the planner.
Run: .venv/bin/python benchmarks/bench_plan_growth.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import plan_oracle as oracle

from backcourse import Profile, build_routine, load_course


def main() -> None:
    course = load_course()
    t0 = time.perf_counter()
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    first = {True: 0, False: 0}
    grown = {True: 0, False: 0}
    late = [0, 0]
    profiles = list(oracle.grid(Profile))
    routines = {}
    for p in profiles:
        routine = build_routine(p, course)
        routines[p] = routine
        plan = routine.plan(12)
        for rule, found in oracle.violations(plan, p).items():
            counts[rule] += len(found)
            if found and rule not in examples:
                examples[rule] = f"{found[0]}  ({p})"
        n, g = oracle.rises(plan)
        big = p.minutes_per_session >= 15
        first[big] += n
        grown[big] += g
        if big:
            n, g = oracle.rises_late(plan)
            late[0] += n
            late[1] += g
    # more pain never means more work: each pain score against every lower one
    pairs = 0
    for p in profiles:
        for lower in oracle.GRID_PAIN:
            if lower < p.pain_now:
                easy = routines[Profile(**{**p.to_dict(), "pain_now": lower})]
                found = oracle.more_pain_more_work(easy, routines[p])
                pairs += 1
                counts["more pain never means more work"] += len(found)
                if found and "more pain never means more work" not in examples:
                    examples["more pain never means more work"] = f"{found[0]}  ({p})"
    seconds = time.perf_counter() - t0
    total_first, total_grown = first[True] + first[False], grown[True] + grown[False]
    print(f"{len(profiles)} profiles, 12-week plans ({seconds:.1f} s)")
    print(
        "main-block exercises that rise or step up within 12 weeks, sessions >= 15 min: "
        f"{grown[True]}/{first[True]} = {100 * grown[True] / first[True]:.1f} %"
    )
    print(
        "main-block exercises that rise or step up within 12 weeks, all sessions: "
        f"{total_grown}/{total_first} = {100 * total_grown / total_first:.1f} %"
    )
    print(
        "... and that still rise or step up in weeks 7-12, sessions >= 15 min: "
        f"{late[1]}/{late[0]} = {100 * late[1] / late[0]:.1f} %"
    )
    print(f"rule violations ({pairs} pain pairs compared):")
    for rule in [*oracle.RULES, "more pain never means more work"]:
        print(f"  {counts[rule]:6d}  {rule}")
        if rule in examples:
            print(f"          e.g. {examples[rule]}")
    sys.exit(1 if any(counts.values()) else 0)


if __name__ == "__main__":
    main()
