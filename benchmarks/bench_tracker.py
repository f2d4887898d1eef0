"""How fast the progress tracker responds with a year of daily entries.

Run with ``python benchmarks/bench_tracker.py``. Prints medians of several runs, on a
made-up log of 365 daily entries (``progress.example_log``) in a temporary folder:

- draw: the trend chart for 365 entries, drawn and encoded to PNG (what a change costs);
- save: from a click on Save (a valid new entry) to every view redrawn (list, advice,
  chart, tables); the log is written with one transaction and one fsync;
- save, text views: the same click with the chart drawing left out, i.e. how long until
  the status, the list, the advice and the tables reach the page (the chart follows);
- no-op: a click on Save with a bad value (the message appears; nothing is redrawn);
- edit: choosing an entry in the list until the form shows it;
- build: building the whole widget from an existing log, and building it again with the
  log unchanged (a re-run cell reuses the picture).

The aim is under 100 ms for a click where possible; the chart is drawn once per change.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
os.environ.setdefault("MPLBACKEND", "Agg")

from backcourse import load_course
from backcourse.progress import example_log
from backcourse.widgets import tracker as tracker_module
from backcourse.widgets import tracker_views
from backcourse.widgets.tracker import build_tracker, chart_png, draw_chart

RUNS = 9
DAYS = 365


def median_ms(action: Callable[[], object], runs: int = RUNS, setup=None) -> float:
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main() -> None:
    course = load_course()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = example_log(folder / "year.sqlite3", days=DAYS)
        entries = log.entries()
        assert len(entries) == DAYS

        draw_chart(entries, course)  # warm up fonts and caches, as the first view does
        draw = median_ms(lambda: draw_chart(entries, course))

        def build_it() -> object:
            return build_tracker(course, log=log, export_dir=folder)

        build = median_ms(build_it, runs=3, setup=tracker_views.clear_chart_cache)
        rebuild = median_ms(build_it, runs=3)  # a re-run cell: the picture is reused
        tracker = build_tracker(course, log=log, export_dir=folder)
        p = tracker.parts
        day = [entries[-1].day]

        def fill_valid() -> None:
            day[0] += timedelta(days=1)
            p["day"].value = day[0]
            p["pain"].value = 3
            p["exercised"].value = True
            p["minutes"].value = 20

        def save() -> None:
            p["save"].click()
            assert len(tracker.entries) > DAYS, p["error-minutes"].value

        saved = median_ms(save, setup=fill_valid)
        picture = chart_png(entries, course)
        tracker_module.chart_png = lambda entries, course: picture  # leave the chart out
        try:
            text_views = median_ms(save, setup=fill_valid)
        finally:
            tracker_module.chart_png = chart_png

        def fill_bad() -> None:
            fill_valid()
            p["minutes"].value = 999

        noop = median_ms(lambda: p["save"].click(), setup=fill_bad)
        assert "must be from" in p["error-minutes"].value

        ids = [e.id for e in tracker.entries][-RUNS - 2 :]

        def choose() -> None:
            p["entries"].value = ids.pop()

        edit = median_ms(choose, setup=tracker.start_new)
        log.close()

    print(f"trend chart, {DAYS} entries, drawn to PNG: median {draw:.0f} ms")
    print(f"Save click to redrawn view ({DAYS}+ entries): median {saved:.0f} ms")
    print(f"Save click to text views (list, advice, tables): median {text_views:.0f} ms")
    print(f"Save click with a bad value (message only): median {noop:.2f} ms")
    print(f"choose an entry to edit: median {edit:.2f} ms")
    print(f"build the widget from a {DAYS}-entry log: median {build:.0f} ms")
    print(f"build it again, log unchanged (re-run cell): median {rebuild:.0f} ms")


if __name__ == "__main__":
    main()
