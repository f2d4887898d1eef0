"""The learner's own progress log: pain, sessions and activities, kept in a SQLite file.

The log lives on the learner's machine (``default_log_path()`` says where) and nothing in it
is sent anywhere. Every write is one transaction, so a crash or a killed kernel loses at most
the entry being written; two notebooks writing at once both land. A file that is not a
backcourse log is refused and left exactly as it was.

CSV files (``export_csv``, ``import_csv``) open safely in a spreadsheet: a note or activity
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (which a spreadsheet
would run as a formula) is written with an apostrophe in front, and so is one that starts
with an apostrophe; import takes exactly one such apostrophe off, so the text comes back as
the learner wrote it. Import reads comma, semicolon or tab separated UTF-8; each line it
cannot use (a bad value, a day outside 1900-2100, a quote that is never closed) is reported
by its line number, and every other row is imported.

The package, one job a module:

- ``entry``: one day's entry (``LogEntry``) and its validation;
- ``schema``: the file format (tables, version, upgrades); ``opening``: checks before opening;
- ``location``: where the log lives, and its in-memory copy in the browser;
- ``store``: ``ProgressLog``, the file and its transactions; ``sessions``: guided sessions;
- ``csvfile``: CSV export and import; ``stats``: weekly sessions, PSFS series, summaries;
- ``advice``: the progress rules, with thresholds and wording from course_data/advice.yaml;
- ``demo``: the made-up example log.

>>> log = ProgressLog()                      # doctest: +SKIP
>>> log.record("2024-03-04", pain=5, exercised=True, minutes=20)  # doctest: +SKIP
"""

from __future__ import annotations

from .advice import ADVICE_KINDS, Advice, advice
from .csvfile import CSV_COLUMNS, ImportReport, protect_cell, unprotect_cell
from .demo import EXAMPLE_NOTE, EXAMPLE_START, example_log
from .entry import (
    ACTIVITY_MAX_CHARS,
    EFFORT_RANGE,
    MINUTES_RANGE,
    NOTE_MAX_CHARS,
    PAIN_RANGE,
    PSFS_MAX_ACTIVITIES,
    PSFS_SCORE_RANGE,
    EntryError,
    EntryNotFoundError,
    LogEntry,
)
from .location import BROWSER_LOG, ENV_VAR, default_log_path
from .schema import APPLICATION_ID, SCHEMA_VERSION
from .sessions import SESSION_SECONDS_MAX, SessionRecord
from .stats import Summary, psfs_series, summarise, weekly_sessions
from .store import ProgressLog

__all__ = [
    "ACTIVITY_MAX_CHARS",
    "ADVICE_KINDS",
    "APPLICATION_ID",
    "BROWSER_LOG",
    "CSV_COLUMNS",
    "EFFORT_RANGE",
    "ENV_VAR",
    "EXAMPLE_NOTE",
    "EXAMPLE_START",
    "MINUTES_RANGE",
    "NOTE_MAX_CHARS",
    "PAIN_RANGE",
    "PSFS_MAX_ACTIVITIES",
    "PSFS_SCORE_RANGE",
    "SCHEMA_VERSION",
    "SESSION_SECONDS_MAX",
    "Advice",
    "EntryError",
    "EntryNotFoundError",
    "ImportReport",
    "LogEntry",
    "ProgressLog",
    "SessionRecord",
    "Summary",
    "advice",
    "default_log_path",
    "example_log",
    "protect_cell",
    "psfs_series",
    "summarise",
    "unprotect_cell",
    "weekly_sessions",
]
