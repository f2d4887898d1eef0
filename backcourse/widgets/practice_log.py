"""The made-up progress log lesson 05 practises on, so the notebook's code cells stay short.

It lives with the widgets because it shows the tracker's own tables (``tracker_views``:
``log_table`` and friends), so the practice views look exactly like the learner's.

:class:`PracticeLog` writes the course's example log (``progress.example_log``) to a
temporary folder that is deleted by :meth:`PracticeLog.close`, so practice data never mixes
with a learner's own log. Each method returns something Jupyter displays: a table, a chart,
the course's advice, a CSV preview or an import report.

>>> practice = PracticeLog()          # doctest: +SKIP
>>> practice.table(limit=8)           # doctest: +SKIP
>>> practice.close()                  # doctest: +SKIP
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..lesson import Block, Picture, show
from ..model import Course

# A short CSV "typed by hand" for the import example: two good rows and two with mistakes
# (a pain score above 10, and "sometimes" where yes or no is needed). Example data only.
TYPED_BY_HAND = (
    "day,pain,exercised,minutes,note\n"
    "{d0},2,yes,25,new routine\n"
    "{d1},12,no,0,\n"
    "{d2},2,sometimes,0,\n"
    "{d3},1,yes,30,felt good\n"
)


class PracticeLog:
    """The example 12-week log, in a temporary file, with the views lesson 05 shows."""

    def __init__(self, course: Course | None = None) -> None:
        from ..catalog import load_course
        from ..progress import example_log

        self.course = course if course is not None else load_course()
        self._folder = tempfile.TemporaryDirectory(prefix="backcourse-practice-")
        self.folder = Path(self._folder.name)
        self.log = example_log(self.folder / "practice.sqlite3")
        self.entries = self.log.entries()

    # -- views ---------------------------------------------------------------------------

    def table(self, limit: int = 8) -> Block:
        """The first entries of the log as a table."""
        from . import tracker_views as tracker

        return tracker.log_table(self.entries, limit=limit)

    def trend_chart(self) -> Picture:
        """Pain by day with the 2-point band, and minutes exercised."""
        from ..figures.charts import pain_trend_chart

        return show(pain_trend_chart(self.entries, self.course))

    def sessions(self) -> Block:
        """Sessions per week, over the whole log."""
        from . import tracker_views as tracker

        return tracker.sessions_table(self.entries, weeks=None)

    def activities(self) -> Block:
        """The activity (PSFS) scores over time."""
        from . import tracker_views as tracker

        return tracker.psfs_table(self.entries)

    def advice_on_days(self, days: Sequence[int]) -> Block:
        """What the course's rules would have said on each day, from the entries up to it."""
        from . import tracker_views as tracker

        cases = {f"Days 1 to {day}": self.entries[:day] for day in days}
        return tracker.advice_table(cases, self.course.guidelines.progression, self.course)

    def two_more_learners(self) -> Block:
        """Advice for two made-up people the practice log never shows: pain creeping up by
        a point a week for 4 weeks, and pain stuck around 5 for 3 weeks."""
        from ..progress import LogEntry
        from . import tracker_views as tracker

        start = self.entries[0].day
        dates = [start + timedelta(days=i) for i in range(28)]
        creeping = [LogEntry(None, d, pain=4 + i // 7) for i, d in enumerate(dates)]
        stuck = [LogEntry(None, d, pain=(5, 6, 4)[i % 3]) for i, d in enumerate(dates[:21])]
        cases = {"Pain creeping up for 4 weeks": creeping, "Pain stuck around 5 for 3 weeks": stuck}
        return tracker.advice_table(cases, self.course.guidelines.progression, self.course)

    def csv_preview(self, lines: int = 5) -> Block:
        """The first lines of the practice log written out as a CSV file."""
        from . import tracker_views as tracker

        path = self.folder / "practice-log.csv"
        self.log.export_csv(path)
        return tracker.csv_preview(path, lines=lines)

    def typed_by_hand_text(self) -> str:
        """The small hand-typed CSV of the import example, dated just after the log ends."""
        last = self.entries[-1].day
        days = {f"d{i}": (last + timedelta(days=i + 1)).isoformat() for i in range(4)}
        return TYPED_BY_HAND.format(**days)

    def import_typed_by_hand(self) -> Block:
        """Import the hand-typed CSV (two mistakes in it) and report what happened."""
        from . import tracker_views as tracker

        text = self.typed_by_hand_text()
        report = self.log.import_csv(io.StringIO(text))
        shown = tracker.pre(text, code=False)
        result = tracker.import_report(report, "typed-by-hand.csv")
        return Block(shown.html + result.html, shown.text + "\n" + result.text)

    def close(self) -> None:
        """Close the log and delete its temporary folder."""
        self.log.close()
        self._folder.cleanup()

    def __enter__(self) -> PracticeLog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
