"""Write every figure of the course to one folder, with an index.html to review them all.

    python -m backcourse.figures.gallery OUTDIR [--data COURSE_DIR] [--jobs N]

One PNG per exercise (start and end), one filmstrip per exercise, the muscle map with each
muscle highlighted, the spine with each part and muscle highlighted, and every chart drawn
with example data. The index shows each picture with its alt text, so a reviewer reads what a
screen-reader user hears. The same course gives the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Example data for the charts only (not course content): a learner like the one in DESIGN.md.
EXAMPLE_PROFILE: dict[str, Any] = {
    "pain_now": 4,
    "weeks_since_onset": 10,
    "minutes_per_session": 20,
    "sessions_per_week": 4,
    "equipment": {"mat", "chair"},
    "experience": "beginner",
}


@dataclass(frozen=True)
class Job:
    """One picture to draw: which section it belongs to, its file name and how to make it."""

    section: str
    name: str  # file name without .png
    kind: str
    args: tuple[str, ...] = ()
    title: str = ""


def _course(data: str | None) -> Any:
    from ..catalog import load_course

    return load_course(data)


def _routine(course: Any) -> Any:
    from ..model import Profile
    from ..planner import build_routine

    return build_routine(Profile(**EXAMPLE_PROFILE), course)


def _make(job: Job, data: str | None) -> Any:
    from ..illustrate import anatomy_figures as anatomy
    from ..illustrate import exercise_pictures as poses
    from . import charts

    course = _course(data)
    if job.kind == "exercise":
        return poses.exercise_figure(course.exercises[job.args[0]], course)
    if job.kind == "steps":
        return poses.sequence_figure(course.exercises[job.args[0]], course, steps=5)
    if job.kind == "muscle":
        return anatomy.muscle_figure(course, list(job.args) or None)
    if job.kind == "spine":
        return anatomy.spine_figure(list(job.args) or None, course=course)
    if job.kind == "coverage":
        return charts.coverage_chart(_routine(course))
    if job.kind == "time":
        return charts.time_budget_chart(_routine(course))
    if job.kind == "plan":
        return charts.plan_chart(_routine(course).plan())
    if job.kind == "pain":
        return charts.pain_trend_chart(charts.example_entries(), course)
    if job.kind == "pain_empty":
        return charts.pain_trend_chart([], course)
    if job.kind == "prevalence":
        return charts.prevalence_chart(course)
    raise ValueError(f"unknown figure kind {job.kind!r}")


def _render(job: Job, data: str | None, outdir: str) -> tuple[str, str, float]:
    """Draw one job and write its PNG; returns (file name, alt text, seconds)."""
    from . import style

    t0 = time.perf_counter()
    fig = _make(job, data)
    png = style.to_png(fig)
    path = Path(outdir) / f"{job.name}.png"
    path.write_bytes(png)
    return path.name, str(getattr(fig, "alt_text", "")), time.perf_counter() - t0


def jobs_for(course: Any) -> list[Job]:
    """Every figure of the course, in the order the index lists them."""
    from ..illustrate.anatomy_figures import DISCS, VERTEBRAE

    out: list[Job] = []
    for ex in course.exercises.values():
        out.append(Job("Exercises", f"exercise-{ex.id}", "exercise", (ex.id,), ex.name))
        out.append(Job("Movements (filmstrips)", f"steps-{ex.id}", "steps", (ex.id,), ex.name))
    out.append(Job("Muscles", "muscles", "muscle", (), "All muscles"))
    for m in course.muscles.values():
        out.append(Job("Muscles", f"muscle-{m.id}", "muscle", (m.id,), m.name))
    groups = list(dict.fromkeys(m.group for m in course.muscles.values()))
    for g in groups:
        out.append(Job("Muscle groups", f"group-{g}", "muscle", (g,), g.replace("_", " ")))
    out.append(Job("Spine", "spine", "spine", (), "The lower back"))
    for part in (*VERTEBRAE, *DISCS, "sacrum", "coccyx", "pelvis", "nerves"):
        out.append(Job("Spine", f"spine-{part}", "spine", (part,), part.replace("_", "-")))
    for m in course.muscles.values():
        out.append(Job("Spine", f"spine-muscle-{m.id}", "spine", (m.id,), m.name))
    for kind, title in (
        ("coverage", "Muscle coverage of an example routine"),
        ("time", "Time budget of an example routine"),
        ("plan", "Twelve-week plan of an example routine"),
        ("pain", "Pain and sessions (example log)"),
        ("pain_empty", "Pain and sessions (empty log)"),
        ("prevalence", "Prevalence figures of the sources"),
    ):
        out.append(Job("Charts", f"chart-{kind}", kind, (), title))
    return out


def _index(rows: Sequence[tuple[Job, str, str]], seconds: float) -> str:
    from ..render import render

    sections: dict[str, list[tuple[str, str, str]]] = {}
    for job, fname, alt in rows:
        sections.setdefault(job.section, []).append((job.title, fname, alt))
    shown = [(s, s.lower().replace(" ", "-"), items) for s, items in sections.items()]
    return render("gallery.html", count=len(rows), seconds=seconds, sections=shown) + "\n"


def write_gallery(
    outdir: str | os.PathLike[str],
    data: str | None = None,
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    select: Callable[[Job], bool] | None = None,
) -> Path:
    """Draw every figure into ``outdir`` and write ``outdir/index.html``; returns its path.

    ``jobs`` processes draw in parallel (default: the number of CPUs, at most 8; 1 draws in
    this process). The files do not depend on ``jobs``. ``select`` keeps only some figures
    (for a quick look, or a test).
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    course = _course(data)
    pending = [j for j in jobs_for(course) if select is None or select(j)]
    n = jobs if jobs is not None else min(8, os.cpu_count() or 1)
    t0 = time.perf_counter()
    results: list[tuple[str, str, float]]
    if n <= 1:
        results = []
        for job in pending:
            results.append(_render(job, data, str(out)))
            if progress:
                progress(f"{results[-1][0]} {results[-1][2]:.2f}s")
    else:
        with ProcessPoolExecutor(max_workers=n) as pool:
            futures = [pool.submit(_render, job, data, str(out)) for job in pending]
            results = []
            for f in futures:
                results.append(f.result())
                if progress:
                    progress(f"{results[-1][0]} {results[-1][2]:.2f}s")
    seconds = time.perf_counter() - t0
    index = out / "index.html"
    rows = [(job, fname, alt) for job, (fname, alt, _) in zip(pending, results, strict=True)]
    index.write_text(_index(rows, seconds), encoding="utf-8")
    return index


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backcourse.figures.gallery",
        description="Write every figure of the course to OUTDIR, with an index.html.",
    )
    parser.add_argument("outdir", help="folder to write the PNG files and index.html into")
    parser.add_argument("--data", default=None, help="a course_data folder (default: bundled)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: CPUs)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    index = write_gallery(args.outdir, args.data, args.jobs, None if args.quiet else print)
    count = len(list(Path(args.outdir).glob("*.png")))
    print(f"wrote {count} figures and {index} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
