"""How fast the progress log writes and reads.

Run with ``python benchmarks/bench_progress.py``. Prints medians of a few runs:

- entries recorded per second, one transaction (and one fsync) each, into a temporary file;
- the time to read a year of daily entries (365) and compute weekly_sessions;
- the time to open an existing log (header check, read-only inspection, quick_check).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from backcourse.progress import ProgressLog, example_log

RUNS = 5
RECORD_SECONDS = 1.0  # per run: long enough to smooth out fsync jitter


def records_per_second(folder: Path, run: int) -> float:
    with ProgressLog(folder / f"record-{run}.sqlite3") as log:
        start = date(2024, 1, 1)
        n, t0 = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - t0) < RECORD_SECONDS:
            log.record(
                start + timedelta(days=n % 365),
                pain=n % 11,
                exercised=n % 2 == 0,
                minutes=20,
                effort=5,
                psfs=[("Sitting", 5)],
                note="benchmark",
            )
            n += 1
    return n / elapsed


def year_read_seconds(path: Path) -> float:
    with ProgressLog(path) as log:
        t0 = time.perf_counter()
        weeks = log.weekly_sessions()
        elapsed = time.perf_counter() - t0
    assert len(weeks) >= 52
    return elapsed


def open_seconds(path: Path) -> float:
    t0 = time.perf_counter()
    ProgressLog(path).close()
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        writes = [records_per_second(folder, run) for run in range(RUNS)]
        year = folder / "year.sqlite3"
        example_log(year, days=365).close()
        reads = [year_read_seconds(year) for _ in range(RUNS)]
        opens = [open_seconds(year) for _ in range(RUNS)]
    print(
        f"record():                  {statistics.median(writes):8.0f} entries/s "
        f"(median of {RUNS} runs, one transaction each)"
    )
    print(
        f"read 365 + weekly_sessions: {statistics.median(reads) * 1000:7.2f} ms "
        f"(median of {RUNS} runs)"
    )
    print(
        f"open a year's log:          {statistics.median(opens) * 1000:7.2f} ms "
        f"(median of {RUNS} runs)"
    )


if __name__ == "__main__":
    main()
