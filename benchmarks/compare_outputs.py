"""Before/after check for refactoring: what 2,000 random learners see, as digests.

For each seeded random profile it records a SHA-256 of the routine, its 12-week plan, the
HTML handout, the Markdown and the JSON export. Run it with ``--write`` before a change and
with ``--check`` after: every digest must match, byte for byte.

    python benchmarks/compare_outputs.py --write /tmp/before.json
    python benchmarks/compare_outputs.py --check /tmp/before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

from backcourse import BackcourseError, Profile, build_routine, load_course
from backcourse.model import EXPERIENCE, POSITIONS

# Names that test escaping in every format: markup, quotes, Markdown and non-ASCII.
NAMES = ("", "Ana", "Ana <b>&</b> O'Neil", "*Zoë* [x](y) | `z`", 'Łukasz "Ł" #1')
KINDS = ("routine", "plan", "html", "markdown", "json")


def random_profiles(n: int, seed: int) -> list[Profile]:
    """Seeded profiles over every answer, with the occasional gentle-only warning sign."""
    rng = random.Random(seed)
    course = load_course()
    equipment = sorted(course.guidelines.labels["equipment"])
    gentle = sorted(f.id for f in course.red_flags.values() if f.tier == "if_not_better")
    out = []
    for _ in range(n):
        flags = set(rng.sample(gentle, 1)) if gentle and rng.random() < 0.1 else set()
        out.append(
            Profile(
                pain_now=rng.randint(0, 10),
                weeks_since_onset=rng.randint(0, 104),
                minutes_per_session=rng.randint(5, 60),
                sessions_per_week=rng.randint(1, 7),
                positions=set(rng.sample(POSITIONS, rng.randint(1, len(POSITIONS)))),
                equipment=set(rng.sample(equipment, rng.randint(0, len(equipment)))),
                experience=rng.choice(EXPERIENCE),
                red_flags=flags,
            )
        )
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digests(n: int, seed: int) -> list[dict[str, str]]:
    """One dict of digests per profile (or the error message, if the planner refused)."""
    from backcourse.export import to_html, to_json, to_markdown

    course = load_course()
    rows = []
    for i, profile in enumerate(random_profiles(n, seed)):
        name = NAMES[i % len(NAMES)]
        try:
            routine = build_routine(profile, course)
        except BackcourseError as exc:
            rows.append({"error": _sha(str(exc))})
            continue
        plan = routine.plan(12)
        rows.append(
            {
                "routine": _sha(repr(routine.items) + repr(routine.notes)),
                "plan": _sha(repr(plan)),
                "html": _sha(to_html(routine, name=name)),
                "markdown": _sha(to_markdown(routine, name=name)),
                "json": _sha(to_json(routine, name=name)),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--write", type=Path, help="write the digests to this file")
    what.add_argument("--check", type=Path, help="compare with digests written before")
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    t0 = time.perf_counter()
    rows = digests(args.n, args.seed)
    took = time.perf_counter() - t0
    if args.write:
        args.write.write_text(json.dumps({"n": args.n, "seed": args.seed, "rows": rows}))
        print(f"wrote {len(rows)} profiles' digests to {args.write} in {took:.1f} s")
        return 0
    before = json.loads(args.check.read_text())
    if (before["n"], before["seed"]) != (args.n, args.seed):
        print(f"the file was written with -n {before['n']} --seed {before['seed']}")
        return 2
    same = {k: 0 for k in (*KINDS, "error")}
    differ = {k: [] for k in same}
    for i, (old, new) in enumerate(zip(before["rows"], rows, strict=True)):
        for kind in set(old) | set(new):
            if old.get(kind) == new.get(kind):
                same[kind] += 1
            else:
                differ[kind].append(i)
    print(f"{len(rows)} profiles, checked in {took:.1f} s")
    for kind in same:
        first = f" (first: profile {differ[kind][0]})" if differ[kind] else ""
        print(f"  {kind:9} identical {same[kind]:5}  different {len(differ[kind]):5}{first}")
    return 1 if any(differ.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
