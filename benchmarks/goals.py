"""The speed goals of the course, each measured figure side by side with its goal.

``make bench`` runs this last. Every row is measured here, now, on this machine:

- builder: an answer changed -> the routine redrawn (kernel side, no browser);
- builder: a new 12-week plan chart drawn (chart cache emptied before each draw);
- tracker: Save -> every view redrawn, the trend chart included, with a year of entries;
- pictures: a first routine in a fresh kernel-like process until all its pictures are shown;
- the session player: "Start today's session" -> the player built with its first movement
  loops, the first time in a fresh process that shows the builder (as the app does);
- the Voila app: page opened -> the first frame that paints the builder (timed inside the
  page), cold (server just started) and warm (later pages, a preheated kernel waiting), with
  the page's requests to any other host counted, beside the floor on this machine (the same
  page with one slider, warm);
- the PDF handout of an 8-exercise routine with its pictures and the 12-week plan.

Timings on a shared machine are inflated by whatever else runs; ``uptime`` is printed first.
``BENCH_SKIP_VOILA=1`` leaves the Voila row out (it needs Debian's chromium and ~1 minute).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

ROWS: list[tuple[str, str, str, bool | None]] = []  # (what, measured, goal, met)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[94]


def row(what: str, measured: str, goal: str, met: bool | None) -> None:
    ROWS.append((what, measured, goal, met))
    print(f"  measured: {what}: {measured}", flush=True)


CPU: list[float] = []  # CPU ms of the last timed() call's runs (wall time suffers from load)


def timed(action, runs: int, setup=None) -> list[float]:
    out = []
    CPU.clear()
    for _ in range(runs):
        if setup is not None:
            setup()
        t, c = time.perf_counter(), time.process_time()
        action()
        out.append((time.perf_counter() - t) * 1000)
        CPU.append((time.process_time() - c) * 1000)
    return out


# --------------------------------------------------------------------------- builder


def builder_rows() -> None:
    import bench_builder as bb

    from backcourse import load_course
    from backcourse.widgets import build_routine_builder
    from backcourse.widgets import routine_builder as rb

    course = load_course()
    with tempfile.TemporaryDirectory() as tmp:
        builder = build_routine_builder(course, folder=Path(tmp))
        times = bb.responses(builder, course, 200)
        med, q = statistics.median(times), p95(times)
        row(
            "builder: answer changed -> routine redrawn",
            f"median {med:.1f} ms, p95 {q:.1f} ms",
            "keep (p95 < 100 ms)",
            q < 100,
        )
        builder.parts["charts"].selected_index = 2
        import random

        rng = random.Random(11)

        def new_chart() -> None:
            bb.change(builder, rng, course)  # no event loop: the chart is drawn at once
            rb._CHARTS.clear()

        charts = timed(builder._draw_charts, 20, setup=new_chart)
        row(
            "builder: a new 12-week plan chart",
            f"median {statistics.median(charts):.0f} ms, p95 {p95(charts):.0f} ms "
            f"(CPU median {statistics.median(CPU):.0f} ms)",
            "p95 < 100 ms",
            p95(charts) < 100,
        )


# --------------------------------------------------------------------------- tracker


def tracker_row() -> None:
    from backcourse import load_course
    from backcourse.progress import example_log
    from backcourse.widgets.tracker import build_tracker

    course = load_course()
    with tempfile.TemporaryDirectory() as tmp:
        log = example_log(Path(tmp) / "year.sqlite3", days=365)
        tracker = build_tracker(course, log=log, export_dir=Path(tmp))
        p = tracker.parts
        day = [tracker.entries[-1].day]

        def fill() -> None:
            day[0] += timedelta(days=1)
            p["day"].value = day[0]
            p["pain"].value = 3
            p["exercised"].value = True
            p["minutes"].value = 20

        times = timed(lambda: p["save"].click(), 15, setup=fill)
        cpu = statistics.median(CPU)
        assert len(tracker.entries) >= 365 + 15, p["error-minutes"].value
        from backcourse.widgets.tracker import draw_chart

        chart = timed(lambda: draw_chart(tracker.entries, course), 15)
        log.close()
    row(
        "tracker: Save -> chart redrawn (a year of entries)",
        f"median {statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms "
        f"(CPU median {cpu:.0f} ms; the chart alone: median {statistics.median(chart):.0f} ms, "
        f"p95 {p95(chart):.0f} ms)",
        "p95 < 100 ms",
        p95(times) < 100,
    )


# --------------------------------------------------------------------------- pictures

FIRST_ROUTINE = """
import asyncio, json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
from backcourse import load_course
from backcourse.widgets import build_routine_builder
course = load_course()
async def main():
    t = time.perf_counter()
    b = build_routine_builder(course, folder=Path(tempfile.mkdtemp()))
    shown = time.perf_counter() - t
    while any(c.picture_key != c.picture_want for c in b._cards):
        await asyncio.sleep(0)
    n = len(b.routine.items)
    waiting = sum("Drawing the picture" in c.picture.value for c in b._cards[:n])
    print(json.dumps([shown * 1000, (time.perf_counter() - t) * 1000, n, waiting]))
asyncio.run(main())
"""


def fresh_runs(code: str, n: int) -> list:
    """Run ``code`` in ``n`` fresh Python processes; each prints JSON as its last line."""
    runs = []
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        runs.append(__import__("json").loads(out.strip().splitlines()[-1]))
    return runs


def pictures_row() -> None:
    runs = fresh_runs(FIRST_ROUTINE, 3)
    after = statistics.median(r[1] - r[0] for r in runs)
    text = statistics.median(r[0] for r in runs)
    n, waiting = runs[0][2], max(r[3] for r in runs)
    row(
        "pictures: a first routine's pictures all visible",
        f"{n} pictures visible {after:.0f} ms after the routine's text "
        f"({waiting} shown 'Drawing…' first; building the whole builder took {text:.0f} ms), "
        "median of 3 fresh processes",
        "< 300 ms",
        after < 300 and waiting == 0,
    )


# The first session of a fresh kernel: the builder shown, then the player opened.
FIRST_SESSION = """
import json, sys, time
from backcourse import Profile, build_routine, load_course
from backcourse.widgets import build_routine_builder, build_session_player
c = load_course()
r = build_routine(Profile(pain_now=3, weeks_since_onset=8, minutes_per_session=20,
                          sessions_per_week=3), c)
builder = build_routine_builder(c)
t = time.perf_counter()
player = build_session_player(r, c)
ms = (time.perf_counter() - t) * 1000
print(json.dumps([ms, len(player.player.frames), "matplotlib" in sys.modules]))
"""


def session_row() -> None:
    runs = fresh_runs(FIRST_SESSION, 5)
    times = [r[0] for r in runs]
    drew = any(r[2] for r in runs)
    row(
        "session player: Start today's session -> player ready (first in a kernel)",
        f"median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms of 5 fresh "
        f"processes; {runs[0][1]} exercises' loops sent; matplotlib "
        f"{'loaded (frames drawn)' if drew else 'not loaded (frames shipped)'}",
        "< 100 ms",
        max(times) < 100,
    )


# --------------------------------------------------------------------------- PDF


def pdf_row() -> None:
    from backcourse import Profile, build_routine, export, load_course

    course = load_course()
    routine = build_routine(
        Profile(
            pain_now=3,
            weeks_since_onset=10,
            minutes_per_session=20,  # an 8-exercise routine
            sessions_per_week=3,
            equipment={"mat", "chair"},
        ),
        course,
    )
    data = export.pdf_bytes(routine, name="Sam")  # first: fonts and pictures read once
    times = timed(lambda: export.pdf_bytes(routine, name="Sam"), 9)
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") + data.count(b"/Type/Page")
    row(
        f"PDF handout ({len(routine.items)} exercises, pictures, 12-week plan)",
        f"median {statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms, "
        f"{pages} A4 pages, {len(data) // 1024} KB",
        "< 300 ms, <= 3 pages",
        p95(times) < 300 and pages <= 3,
    )


# --------------------------------------------------------------------------- Voila


def voila_row() -> None:
    if os.environ.get("BENCH_SKIP_VOILA"):
        row("the Voila app: page opened -> first widget", "skipped", "< 2 s warm, < 4 s cold", None)
        return
    import browser_bench

    nb = browser_bench.notebook_times()
    print(
        f"  the app notebook in a fresh kernel (what the preheated kernel does before a page "
        f"asks): kernel start {nb['kernel']:.1f} s, cells "
        + ", ".join(f"{s:.1f} s" for _, s in nb["cells"])
        + f"; {nb['widgets']} widgets, {nb['state_kib']:.0f} KiB of widget state"
    )
    result = browser_bench.voila_times(ROOT)
    print("  " + browser_bench.summary(result).replace("\n", "\n  "))
    cold, warm = result["cold"], result["warm"]
    warm_median = statistics.median(w["widget"] for w in warm)
    floor = statistics.median(browser_bench.floor_times())
    row(
        "the Voila app: page opened -> first widget",
        f"cold {cold['widget']:.1f} s, warm median {warm_median:.1f} s over {len(warm)} "
        f"(another browser, empty cache: {result['fresh_browser']['widget']:.1f} s; the "
        f"floor, the same page with one slider, warm: {floor:.1f} s); "
        f"requests to other hosts: {result['foreign']}",
        "< 2 s warm, < 4 s cold, no other host",
        cold["widget"] < 4 and warm_median < 2 and result["foreign"] == 0,
    )


def main() -> int:
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    builder_rows()
    tracker_row()
    pictures_row()
    session_row()
    pdf_row()
    voila_row()
    width = max(len(r[0]) for r in ROWS)
    print()
    print(f"{'interaction':<{width}}  {'goal':<40}  met  measured")
    for what, measured, goal, met in ROWS:
        mark = "yes" if met else "n/a" if met is None else "NO "
        print(f"{what:<{width}}  {goal:<40}  {mark}  {measured}")
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    sys.exit(main())
