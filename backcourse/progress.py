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

>>> log = ProgressLog()                      # doctest: +SKIP
>>> log.record("2024-03-04", pain=5, exercised=True, minutes=20)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import math
import operator
import os
import random
import re
import reprlib
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from .errors import BackcourseError, ProgressLogError
from .files import atomic_open
from .model import EARLIEST_DAY, LATEST_DAY, day_range_text

__all__ = [
    "Advice",
    "EntryError",
    "EntryNotFoundError",
    "ImportReport",
    "LogEntry",
    "ProgressLog",
    "Summary",
    "advice",
    "default_log_path",
    "example_log",
    "psfs_series",
    "summarise",
    "weekly_sessions",
]

ENV_VAR = "BACKCOURSE_LOG"

# Ranges of what a learner records. They describe the questions (the 0-10 Numeric Pain Rating
# Scale, the 0-10 Patient-Specific Functional Scale), not doses, so they live here.
PAIN_RANGE = (0, 10)
MINUTES_RANGE = (0, 300)
EFFORT_RANGE = (0, 10)
PSFS_SCORE_RANGE = (0, 10)
PSFS_MAX_ACTIVITIES = 3
ACTIVITY_MAX_CHARS = 100
NOTE_MAX_CHARS = 1000

# Marks the file as ours: "BCLG" in the header's application_id, and the schema version in
# user_version, so a newer file is refused instead of being misread.
APPLICATION_ID = 0x42434C47
SCHEMA_VERSION = 2  # 2 adds the sessions table (guided sessions); 1 is upgraded on open
_MAGIC = b"SQLite format 3\x00"
# Long enough for another notebook's write (milliseconds) or a big import to finish.
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so an id names one entry for good
    day TEXT NOT NULL,                     -- ISO date, YYYY-MM-DD: sorts as text
    pain INTEGER NOT NULL,
    exercised INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    effort INTEGER,
    psfs TEXT NOT NULL DEFAULT '[]',       -- JSON list of [activity, score]
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entries_by_day ON entries (day, id);
"""
# Version 2: what a guided session adds to its day's entry (backcourse.session's player).
# One row per entry at most; deleting the entry deletes it (the trigger), so Undo is one
# DELETE of the entry.
_SESSIONS_SCHEMA = """
CREATE TABLE sessions (
    entry_id INTEGER PRIMARY KEY,          -- the entries row this session belongs to
    pain_before INTEGER NOT NULL,
    pain_after INTEGER,                    -- NULL when the session stopped before it was asked
    seconds_done INTEGER NOT NULL,
    stopped INTEGER NOT NULL,              -- 1: stopped early because it hurt
    skipped TEXT NOT NULL DEFAULT '[]',    -- JSON list of exercise ids
    swapped TEXT NOT NULL DEFAULT '[]'     -- JSON list of [from id, to id]
);
CREATE TRIGGER sessions_follow_entries AFTER DELETE ON entries
BEGIN DELETE FROM sessions WHERE entry_id = old.id; END
"""
SESSION_SECONDS_MAX = 300 * 60

# No CHECK constraints: validation lives in LogEntry alone, and rows that fail it (a hand
# edit, an older version) are reported by ``problems`` instead of making the file unreadable.

_COLUMNS = ("id", "day", "pain", "exercised", "minutes", "effort", "psfs", "note")

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "day",
    "pain",
    "exercised",
    "minutes",
    "effort",
    *(
        f"psfs{i}_{part}"
        for i in range(1, PSFS_MAX_ACTIVITIES + 1)
        for part in ("activity", "score")
    ),
    "note",
)
_CSV_REQUIRED = ("day", "pain")
# Learner text a spreadsheet would run as a formula (OWASP "CSV injection") starts with one
# of these. On export such a cell gets a leading apostrophe, the mark spreadsheets use for
# "this is text"; text that itself starts with an apostrophe gets one more, so import can
# take exactly one off and every note comes back as the learner wrote it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_MARK = "'"
_TEXT_COLUMNS = ("note", *(f"psfs{i}_activity" for i in range(1, PSFS_MAX_ACTIVITIES + 1)))
# Separators a spreadsheet may save with: a comma, or a semicolon where the comma is the
# decimal mark, or a tab. The header line decides which one a file uses.
_SEPARATORS = (",", ";", "\t")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0", ""}

# NPRS bands: 1-3 mild, 4-6 moderate, 7-10 severe.
MILD_PAIN_MAX = 3
MIN_ENTRIES_FOR_ADVICE = 7
MIN_SESSIONS_TO_PROGRESS = 2
ADVICE_KINDS = ("progress", "hold", "step_back", "see_doctor", "not_enough_data")


class EntryError(BackcourseError, ValueError):
    """A log entry has a value out of range or of the wrong type; ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class EntryNotFoundError(ProgressLogError, LookupError):
    """No entry with this id is in the log."""

    def __init__(self, entry_id: object) -> None:
        self.id = entry_id
        super().__init__(f"there is no entry with id {reprlib.repr(entry_id)} in the log")


def default_log_path() -> Path:
    """Where the progress log lives unless a path is given.

    Returns
    -------
    Path
        ``$BACKCOURSE_LOG`` when set, else ``~/.backcourse/progress.sqlite3`` (in the browser,
        ``/drive/backcourse-progress.sqlite3``).
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    if IN_BROWSER:
        return BROWSER_LOG
    return Path.home() / ".backcourse" / "progress.sqlite3"


# --- the browser (JupyterLite) ----------------------------------------------------------
# In Pyodide, SQLite cannot work on /drive, JupyterLite's storage in the browser (a file open
# there reads as empty until closed): the log is an in-memory copy, written back whole to its
# file after every change. /drive outlives a page reload; Pyodide's home folder does not.

IN_BROWSER = sys.platform == "emscripten"
BROWSER_LOG = Path("/drive/backcourse-progress.sqlite3")


class _SavedCopy(sqlite3.Connection):
    """An in-memory database that writes itself to ``saved_to`` when a transaction ends or
    a statement outside one changes rows."""

    saved_to: Path
    _saved_at: int = 0

    def _saving(self, method: Any, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        was_in_transaction = self.in_transaction
        cursor = method(*args, **kwargs)
        if not self.in_transaction and (was_in_transaction or self.total_changes != self._saved_at):
            self.saved_to.write_bytes(self.serialize())
            self._saved_at = self.total_changes
        return cursor

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        return self._saving(super().execute, *args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        return self._saving(super().executemany, *args, **kwargs)

    def executescript(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        return self._saving(super().executescript, *args, **kwargs)


def _open_connection(path: Path) -> sqlite3.Connection:
    """The log's SQLite connection: the file itself, or in the browser its saved copy."""
    if not IN_BROWSER:
        # isolation_level=None: no implicit transactions; every write opens its own.
        return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn = sqlite3.connect(":memory:", isolation_level=None, factory=_SavedCopy)
    data = bytearray(path.read_bytes()) if path.exists() else bytearray()
    if data:
        # A log made on a desktop is in WAL mode (header bytes 18-19 = 2), which an in-memory
        # database cannot open; closed cleanly, its file holds everything: read it as legacy.
        if data[18:20] == b"\x02\x02":
            data[18:20] = b"\x01\x01"
        conn.deserialize(bytes(data))
    conn.saved_to = path
    conn._saved_at = conn.total_changes
    return conn


# --- validation --------------------------------------------------------------------------


def _short(value: object) -> str:
    """A value for a message, cut short: a message must stay readable whatever was typed."""
    return reprlib.repr(value)


def _check_int(name: str, value: object, lo: int, hi: int, scale: str = "") -> int:
    if isinstance(value, bool):
        raise EntryError(
            name, f"expected a whole number from {lo} to {hi}{scale}, got {_short(value)}"
        )
    try:
        number = operator.index(value)  # type: ignore[arg-type]  # int, numpy ints
    except TypeError:
        if isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            raise EntryError(
                name, f"expected a whole number from {lo} to {hi}{scale}, got {_short(value)}"
            ) from None
    if not lo <= number <= hi:
        raise EntryError(name, f"must be from {lo} to {hi}{scale}, got {number}")
    return number


def _check_text(name: str, value: object, max_chars: int) -> str:
    if not isinstance(value, str):
        raise EntryError(name, f"expected text, got {type(value).__name__}")
    if len(value) > max_chars:
        raise EntryError(name, f"must be at most {max_chars} characters, got {len(value)}")
    if "\x00" in value:
        raise EntryError(name, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise EntryError(name, "contains characters that cannot be saved as text") from None
    return value


def _as_day(name: str, value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise EntryError(name, f"expected a date as YYYY-MM-DD, got {_short(value)}")


def _check_day(name: str, value: object) -> date:
    """A date within EARLIEST_DAY..LATEST_DAY (model.py says why those)."""
    day = _as_day(name, value)
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise EntryError(name, f"must be from {day_range_text()}, got {day.isoformat()}")
    return day


def _check_id(entry_id: object) -> int:
    """An entry id as a whole number; one no log can hold is simply not there."""
    if isinstance(entry_id, bool):
        raise EntryNotFoundError(entry_id)
    try:
        number = operator.index(entry_id)  # type: ignore[arg-type]
    except TypeError:
        raise EntryNotFoundError(entry_id) from None
    if not 1 <= number <= 2**63 - 1:  # SQLite's integer range
        raise EntryNotFoundError(entry_id)
    return number


def _check_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # how SQLite stores it
        return bool(value)
    raise EntryError(name, f"expected True or False, got {_short(value)}")


def _check_psfs(value: object) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = list(value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise EntryError(
            "psfs", f"expected up to three (activity, score) pairs, got {_short(value)}"
        )
    pairs = list(value)
    if len(pairs) > PSFS_MAX_ACTIVITIES:
        raise EntryError(
            "psfs", f"at most {PSFS_MAX_ACTIVITIES} activities can be scored, got {len(pairs)}"
        )
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    for n, pair in enumerate(pairs, 1):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise EntryError(
                "psfs", f"activity {n}: expected an (activity, score) pair, got {_short(pair)}"
            )
        name, score = pair
        try:
            name = _check_text("psfs", name, ACTIVITY_MAX_CHARS).strip()
            score = _check_int("psfs", score, *PSFS_SCORE_RANGE)
        except EntryError as exc:
            raise EntryError("psfs", f"activity {n}: {exc.problem}") from None
        if not name:
            raise EntryError("psfs", f"activity {n}: the activity needs a name")
        if name.casefold() in seen:
            raise EntryError("psfs", f"activity {n}: {_short(name)} is scored twice")
        seen.add(name.casefold())
        out.append((name, score))
    return tuple(out)


@dataclass(frozen=True)
class LogEntry:
    """One day's record. Validated on creation: bad values raise EntryError naming the field.

    Attributes
    ----------
    id : int or None
        The log's id for the entry; None until it is recorded.
    day : datetime.date
    pain : int
        Pain on the 0-10 Numeric Pain Rating Scale (0 none, 10 worst imaginable).
    exercised : bool
        Whether the learner did their routine that day.
    minutes : int
        Minutes of exercise, 0-300.
    effort : int or None
        How hard the session felt, 0-10, or None when not given.
    psfs : tuple of (str, int)
        Up to three activities the learner finds hard, each scored 0 (unable) to 10 (as
        before the problem): the Patient-Specific Functional Scale.
    note : str
        Free text, up to 1000 characters.
    """

    id: int | None
    day: date
    pain: int
    exercised: bool = False
    minutes: int = 0
    effort: int | None = None
    psfs: tuple[tuple[str, int], ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise through the back door, once
        if self.id is not None:
            set_(self, "id", _check_int("id", self.id, 1, 2**63 - 1))
        set_(self, "day", _check_day("day", self.day))
        set_(self, "pain", _check_int("pain", self.pain, *PAIN_RANGE, " (0-10 pain scale)"))
        set_(self, "exercised", _check_bool("exercised", self.exercised))
        set_(self, "minutes", _check_int("minutes", self.minutes, *MINUTES_RANGE))
        if self.effort is not None:
            set_(self, "effort", _check_int("effort", self.effort, *EFFORT_RANGE))
        set_(self, "psfs", _check_psfs(self.psfs))
        set_(self, "note", _check_text("note", self.note, NOTE_MAX_CHARS))

    def _content(self) -> tuple[Any, ...]:
        """Everything but the id: what makes two entries the same record."""
        return (
            self.day,
            self.pain,
            self.exercised,
            self.minutes,
            self.effort,
            self.psfs,
            self.note,
        )


def _entry_from_row(row: tuple[Any, ...]) -> LogEntry:
    entry_id, day, pain, exercised, minutes, effort, psfs, note = row
    if isinstance(day, str):
        day = _check_day("day", day)
    try:
        pairs = json.loads(psfs) if isinstance(psfs, str) else psfs
    except ValueError:
        raise EntryError("psfs", f"stored value is not readable: {_short(psfs)}") from None
    return LogEntry(entry_id, day, pain, exercised, minutes, effort, pairs, note)


def _params(entry: LogEntry) -> tuple[Any, ...]:
    return (
        entry.day.isoformat(),
        entry.pain,
        int(entry.exercised),
        entry.minutes,
        entry.effort,
        json.dumps([list(p) for p in entry.psfs], ensure_ascii=False),
        entry.note,
    )


@dataclass(frozen=True)
class ImportReport:
    """What ``import_csv`` did.

    Attributes
    ----------
    imported : int
        Rows added to the log.
    errors : list of (int, str)
        Rows not imported: the CSV line number (the header is line 1) and the reason.
    duplicates : int
        Rows skipped because the same entry was already in the log (importing twice is safe).
    """

    imported: int
    errors: list[tuple[int, str]] = field(default_factory=list)
    duplicates: int = 0

    def __str__(self) -> str:
        text = f"Imported {self.imported} entr{'y' if self.imported == 1 else 'ies'}."
        if self.duplicates:
            text += f" {self.duplicates} already in the log were skipped."
        if self.errors:
            text += f" {len(self.errors)} row(s) were not imported:"
            text += "".join(f"\n  line {line}: {reason}" for line, reason in self.errors)
        return text


# --- the log -----------------------------------------------------------------------------


class ProgressLog:
    """A learner's pain and session log in a SQLite file.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The log file. Default: ``default_log_path()``. Missing folders are created.

    Attributes
    ----------
    read_only : bool
        True when the file or its folder cannot be written (a shared or locked folder): the
        log can be read, and saving raises ProgressLogError saying so.

    Raises
    ------
    ProgressLogError
        The file is not a backcourse log (not SQLite, damaged, another application's
        database, or from a newer backcourse). The file is left untouched.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_log_path()
        self._conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise ProgressLogError(
                f"cannot create the folder for the log {self.path}: {exc}"
            ) from exc
        self.read_only = _read_only(self.path)
        _inspect(self.path, self.read_only)
        self._conn = self._connect_read_only() if self.read_only else self._connect()

    def __repr__(self) -> str:
        return f"ProgressLog({str(self.path)!r})"

    def __enter__(self) -> ProgressLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file. The log cannot be used afterwards."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # connection and transactions

    def _connect(self) -> sqlite3.Connection:
        _create_private(self.path)
        try:
            conn = _open_connection(self.path)
        except sqlite3.Error as exc:
            raise ProgressLogError(f"cannot open the log {self.path}: {exc}") from exc
        try:
            # FULL: a commit survives a power cut too, not just a crash of Python.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if app_id != APPLICATION_ID:
                    # Checked again under the write lock: the file may have changed since.
                    if app_id != 0 or version != 0 or objects:
                        raise ProgressLogError(_foreign_message(self.path))
                    # One statement at a time: executescript() would commit mid-transaction.
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    _add_sessions_table(conn)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                elif version > SCHEMA_VERSION:
                    raise ProgressLogError(_newer_message(self.path, version))
                elif version < 2:
                    _add_sessions_table(conn)  # upgrade a version 1 log in place
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            # WAL: readers never block the writer, and a killed writer leaves the file whole.
            conn.execute("PRAGMA journal_mode = WAL")
        except ProgressLogError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise ProgressLogError(f"cannot open the log {self.path}: {exc}") from exc
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open a healthy log that this user may read but not write (checked by _inspect)."""
        try:
            conn = _open_read_only(self.path)
            # A read-only folder may hold a file with no log in it yet: nothing to show.
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.close()
                raise ProgressLogError(
                    f"cannot create the log {self.path}: {_READ_ONLY_WHY}. Give ProgressLog "
                    "a file in a folder you can write to."
                )
        except sqlite3.Error as exc:
            raise ProgressLogError(f"cannot open the log {self.path}: {exc}") from exc
        return conn

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProgressLogError(
                f"the log {self.path} is closed; open it again with ProgressLog()"
            )
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of the block lands, or none of it."""
        conn = self._db
        if self.read_only:
            raise ProgressLogError(
                f"the log {self.path} is read-only ({_READ_ONLY_WHY}): you can read it but "
                "not save to it. Copy it to a folder you can write to, or ask for permission "
                "to write there."
            )
        try:
            conn.execute("BEGIN IMMEDIATE")  # take the write lock now, waiting if busy
        except sqlite3.Error as exc:
            why = "another program is writing to it; try again" if "locked" in str(exc) else exc
            raise ProgressLogError(f"cannot write to the log {self.path}: {why}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ProgressLogError(f"could not save to the log {self.path}: {exc}") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise ProgressLogError(f"could not read the log {self.path}: {exc}") from exc

    def _select(self, start: object = None, end: object = None) -> list[tuple[Any, ...]]:
        sql = f"SELECT {', '.join(_COLUMNS)} FROM entries"
        where, params = [], []
        if start is not None:
            where.append("day >= ?")
            params.append(_as_day("start", start).isoformat())
        if end is not None:
            where.append("day <= ?")
            params.append(_as_day("end", end).isoformat())
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._rows(sql + " ORDER BY day, id", tuple(params))

    # writing

    def record(
        self,
        day: date | str,
        pain: int,
        exercised: bool = False,
        minutes: int = 0,
        effort: int | None = None,
        psfs: Iterable[tuple[str, int]] | Mapping[str, int] = (),
        note: str = "",
    ) -> LogEntry:
        """Add one entry and return it with its id.

        Raises
        ------
        EntryError
            A value is out of range; the message names the field and the allowed range.
        """
        entry = LogEntry(None, day, pain, exercised, minutes, effort, psfs, note)  # type: ignore[arg-type]
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO entries (day, pain, exercised, minutes, effort, psfs, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                _params(entry),
            )
            entry_id = cur.lastrowid
        return LogEntry(entry_id, *entry._content())

    def update(self, entry_id: int, **fields: Any) -> LogEntry:
        """Change some fields of an entry and return the new entry.

        A stored row that fails validation (see ``problems``) can be repaired this way.
        """
        names = set(LogEntry.__dataclass_fields__) - {"id"}
        for name in fields:
            if name not in names:
                raise EntryError(
                    name, f"is not a field you can change; fields are {', '.join(sorted(names))}"
                )
        entry_id = _check_id(entry_id)
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None:
                raise EntryNotFoundError(entry_id)
            current = dict(zip(_COLUMNS, row, strict=True))
            if isinstance(current["psfs"], str) and "psfs" not in fields:
                try:
                    current["psfs"] = json.loads(current["psfs"])
                except ValueError:
                    raise EntryError(
                        "psfs", "stored value is not readable; give new psfs"
                    ) from None
            current.update(fields)
            entry = LogEntry(**current)
            conn.execute(
                "UPDATE entries SET day = ?, pain = ?, exercised = ?, minutes = ?, effort = ?,"
                " psfs = ?, note = ? WHERE id = ?",
                (*_params(entry), entry.id),
            )
        return entry

    def delete(self, entry_id: int) -> None:
        """Remove an entry for good."""
        entry_id = _check_id(entry_id)
        with self._write() as conn:
            if conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,)).rowcount == 0:
                raise EntryNotFoundError(entry_id)

    # reading

    def get(self, entry_id: int) -> LogEntry:
        """The entry with this id.

        Raises
        ------
        EntryNotFoundError
            No such entry.
        EntryError
            The stored row fails validation (it was edited outside backcourse).
        """
        entry_id = _check_id(entry_id)
        rows = self._rows(f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE id = ?", (entry_id,))
        if not rows:
            raise EntryNotFoundError(entry_id)
        try:
            return _entry_from_row(rows[0])
        except EntryError as exc:
            raise EntryError(
                exc.field, f"entry {entry_id} in the log is invalid: {exc.problem}"
            ) from None

    def entries(
        self, start: date | str | None = None, end: date | str | None = None
    ) -> list[LogEntry]:
        """Valid entries from ``start`` to ``end`` (inclusive), by day and then id.

        Rows that fail validation are left out here and listed by ``problems``.
        """
        out = []
        for row in self._select(start, end):
            # A bad row is reported by .problems; it must not hide the others.
            with suppress(EntryError):
                out.append(_entry_from_row(row))
        return out

    @property
    def problems(self) -> list[tuple[int, str]]:
        """Stored rows that fail validation, as (id, reason); fix with ``update`` or ``delete``."""
        found = []
        for row in self._select():
            try:
                _entry_from_row(row)
            except EntryError as exc:
                found.append((row[0], str(exc)))
        return found

    def __len__(self) -> int:
        """The number of stored rows (rows listed in ``problems`` included)."""
        return self._rows("SELECT count(*) FROM entries")[0][0]

    def weekly_sessions(self) -> list[tuple[date, int, int]]:
        """Sessions and minutes per ISO week; see the module function ``weekly_sessions``."""
        return weekly_sessions(self.entries())

    def psfs_series(self) -> dict[str, list[tuple[date, int]]]:
        """Scores per activity over time; see the module function ``psfs_series``."""
        return psfs_series(self.entries())

    def summary(self) -> Summary:
        """Recent pain and sessions; see ``summarise``."""
        return summarise(self.entries())

    def advice(self, guidelines_progression: Mapping[str, int]) -> Advice:
        """What to do next by the progress rules; see the module function ``advice``."""
        return advice(self.entries(), guidelines_progression)

    # CSV

    def export_csv(self, target: str | os.PathLike[str] | IO[str]) -> int:
        """Write every valid entry to a CSV file (or an open text file); return how many.

        A file path is replaced atomically: a crash leaves the old file or the new one, never
        half of one. Rows listed in ``problems`` are not exported.
        """
        entries = self.entries()
        if hasattr(target, "write"):
            _write_csv(target, entries)  # type: ignore[arg-type]
            return len(entries)
        path = Path(target).expanduser()  # type: ignore[arg-type]
        if path.exists() and path.resolve() == self.path.resolve():
            raise ProgressLogError(f"{path} is the log itself; export to another file")
        try:
            # utf-8-sig: spreadsheet programs then read accented notes correctly.
            with atomic_open(path, "w", encoding="utf-8-sig", newline="") as f:
                _write_csv(f, entries)
        except OSError as exc:
            raise ProgressLogError(f"cannot write {path}: {exc}") from exc
        return len(entries)

    def import_csv(self, source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> ImportReport:
        """Add the entries of a CSV file made by ``export_csv`` (or by hand, same header).

        Good rows are added in one transaction; each bad row is reported by its line number
        and reason. Entries already in the log are skipped, so importing twice is safe.

        Raises
        ------
        ProgressLogError
            The file cannot be read, is empty, or its header is not a progress-log header.
        """
        name, text = _read_text(source)
        header, errors, rows = _read_csv(name, text)
        good: list[LogEntry] = []
        for line, row in rows:
            try:
                good.append(_entry_from_csv(header, row))
            except EntryError as exc:
                errors.append((line, str(exc)))
        errors.sort()

        with self._write():
            # Compared under the write lock, so two imports at once cannot both add a row.
            have: dict[tuple[Any, ...], int] = {}
            for entry in self.entries():
                have[entry._content()] = have.get(entry._content(), 0) + 1
            new, duplicates = [], 0
            for entry in good:
                key = entry._content()
                if have.get(key, 0) > 0:
                    have[key] -= 1
                    duplicates += 1
                else:
                    new.append(entry)
            self._insert(new)
        return ImportReport(imported=len(new), errors=errors, duplicates=duplicates)

    def _insert(self, entries: list[LogEntry]) -> None:
        """Add entries; call inside ``_write`` (the caller's transaction holds them)."""
        self._db.executemany(
            "INSERT INTO entries (day, pain, exercised, minutes, effort, psfs, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [_params(e) for e in entries],
        )

    # guided sessions (schema version 2)

    def record_session(
        self,
        day: date | str,
        pain_before: int,
        pain_after: int | None,
        seconds_done: int,
        *,
        effort: int | None = None,
        stopped: bool = False,
        skipped: Iterable[str] = (),
        swapped: Iterable[tuple[str, str]] = (),
        note: str = "",
    ) -> SessionRecord:
        """Record a guided session: its day's entry and what the player saw, in one write.

        The entry gets ``exercised`` (any time done), ``minutes`` (the time actually done,
        rounded, at least 1 once started), ``pain`` (after, else before) and ``effort``.
        Delete the entry (``delete(record.entry.id)``) to undo both.
        """
        before = _check_int("pain_before", pain_before, *PAIN_RANGE, " (0-10 pain scale)")
        after = None
        if pain_after is not None:
            after = _check_int("pain_after", pain_after, *PAIN_RANGE, " (0-10 pain scale)")
        seconds = _check_int("seconds_done", seconds_done, 0, SESSION_SECONDS_MAX)
        skip = tuple(_check_text("skipped", x, ACTIVITY_MAX_CHARS) for x in skipped)
        swaps = tuple(
            (
                _check_text("swapped", a, ACTIVITY_MAX_CHARS),
                _check_text("swapped", b, ACTIVITY_MAX_CHARS),
            )
            for a, b in swapped
        )
        minutes = max(1, (seconds + 30) // 60) if seconds else 0
        entry = LogEntry(
            None,
            day,  # type: ignore[arg-type]
            after if after is not None else before,
            exercised=seconds > 0,
            minutes=minutes,
            effort=effort,
            note=note,
        )
        with self._write() as conn:
            entry_id = conn.execute(
                "INSERT INTO entries (day, pain, exercised, minutes, effort, psfs, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                _params(entry),
            ).lastrowid
            conn.execute(
                "INSERT INTO sessions (entry_id, pain_before, pain_after, seconds_done, stopped,"
                " skipped, swapped) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    entry_id,
                    before,
                    after,
                    seconds,
                    int(bool(stopped)),
                    json.dumps(list(skip)),
                    json.dumps([list(x) for x in swaps]),
                ),
            )
        return SessionRecord(
            LogEntry(entry_id, *entry._content()),
            before,
            after,
            seconds,
            bool(stopped),
            skip,
            swaps,
        )

    def update_session_pain(self, entry_id: int, pain_after: int) -> SessionRecord:
        """Set the pain after a session (asked once a stopped session has been saved)."""
        after = _check_int("pain_after", pain_after, *PAIN_RANGE, " (0-10 pain scale)")
        if self.session(entry_id) is None:
            raise EntryNotFoundError(entry_id)
        with self._write() as conn:
            conn.execute("UPDATE entries SET pain = ? WHERE id = ?", (after, entry_id))
            conn.execute("UPDATE sessions SET pain_after = ? WHERE entry_id = ?", (after, entry_id))
        found = self.session(entry_id)
        assert found is not None  # just written, in this transaction's file
        return found

    def session(self, entry_id: int) -> SessionRecord | None:
        """The guided session recorded with this entry, or None (a day logged by hand)."""
        found = [r for r in self.sessions() if r.entry.id == entry_id]
        return found[0] if found else None

    def sessions(self) -> list[SessionRecord]:
        """Every guided session, by day and then entry id (invalid rows are left out)."""
        if self.read_only and not self._rows("SELECT 1 FROM sqlite_master WHERE name = 'sessions'"):
            return []  # a version 1 log, read-only so not upgraded: no guided sessions yet
        cols = ", ".join(f"e.{c}" for c in _COLUMNS)
        rows = self._rows(
            f"SELECT {cols}, s.pain_before, s.pain_after, s.seconds_done, s.stopped,"
            " s.skipped, s.swapped FROM sessions s JOIN entries e ON e.id = s.entry_id"
            " ORDER BY e.day, e.id"
        )
        out = []
        for row in rows:
            n = len(_COLUMNS)
            with suppress(EntryError, ValueError, TypeError):
                before, after, seconds, stopped, skipped, swapped = row[n:]
                out.append(
                    SessionRecord(
                        _entry_from_row(row[:n]),
                        before,
                        after,
                        seconds,
                        bool(stopped),
                        tuple(json.loads(skipped)),
                        tuple((a, b) for a, b in json.loads(swapped)),
                    )
                )
        return out


@dataclass(frozen=True)
class SessionRecord:
    """A guided session as recorded: its day's entry plus what only the player knows."""

    entry: LogEntry
    pain_before: int
    pain_after: int | None
    seconds_done: int
    stopped: bool  # stopped early because it hurt
    skipped: tuple[str, ...] = ()  # exercise ids
    swapped: tuple[tuple[str, str], ...] = ()  # (from id, to id): "Too hard" swaps


def _add_sessions_table(conn: sqlite3.Connection) -> None:
    """Create the version 2 sessions table (inside the caller's transaction)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sessions'").fetchone():
        return
    conn.execute(_SESSIONS_SCHEMA.split("CREATE TRIGGER")[0])
    conn.execute("CREATE TRIGGER" + _SESSIONS_SCHEMA.split("CREATE TRIGGER")[1])


_READ_ONLY_WHY = "this user cannot write to the file or to its folder"


def _read_only(path: Path) -> bool:
    """True for an existing log this user may not change: SQLite needs to write the file
    and to create its -wal and -shm files beside it."""
    if not path.is_file():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK))


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates no file beside the log.

    A log in WAL mode normally needs a -shm file even to be read; where that cannot be
    created (a read-only folder), or must not be left behind, the file is opened as
    immutable. That is only safe with no write-ahead file holding newer data, so an existing
    non-empty -wal is read the ordinary way.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _create_private(path: Path) -> None:
    """Create the log file readable by its owner only: it holds health data."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise ProgressLogError(f"cannot create the log {path}: {exc}") from exc


def _foreign_message(path: Path) -> str:
    return (
        f"{path} is a database of another application, not a backcourse progress log. "
        "backcourse has not changed it; give ProgressLog a different file."
    )


def _newer_message(path: Path, version: int) -> str:
    return (
        f"{path} was written by a newer backcourse (log format {version}; this version reads "
        f"up to {SCHEMA_VERSION}). Update backcourse to open it; the file has not been changed."
    )


def _read_header(path: Path) -> bytes:
    # A log being created by another process can be caught between writes: look again
    # before calling it foreign.
    for attempt in range(5):
        try:
            with open(path, "rb") as f:
                header = f.read(100)
        except OSError as exc:
            raise ProgressLogError(f"cannot read the log {path}: {exc}") from exc
        if not header or (len(header) == 100 and header.startswith(_MAGIC)):
            return header
        start = header[: len(_MAGIC)]
        if not (_MAGIC.startswith(start) or header.startswith(_MAGIC) or not any(start)):
            return header  # plainly something else: no need to wait
        time.sleep(0.05 * (attempt + 1))
    return header


def _inspect(path: Path, read_only: bool = False) -> None:
    """Refuse, without changing a byte, a file that is not a healthy backcourse log."""
    if not path.exists():
        return
    if not path.is_file():
        raise ProgressLogError(f"{path} is not a file; give ProgressLog the path of a log file")
    header = _read_header(path)
    if not header:
        return  # an empty file: a log about to be created
    if not header.startswith(_MAGIC):
        raise ProgressLogError(
            f"{path} is not a backcourse progress log (it is not a SQLite database). "
            "backcourse has not changed it; give ProgressLog a different file."
        )
    damaged = (
        f"{path} looks damaged, so backcourse will not use it and has not changed it. "
        "Keep a copy, then start a new log elsewhere and import your last CSV export"
    )
    if len(header) < 100:
        raise ProgressLogError(damaged + " (the file is cut short).")
    app_id = int.from_bytes(header[68:72], "big")
    # Our logs get their application_id before they switch to WAL, so a WAL file without it
    # is someone else's. Refusing it from the header alone matters: even a read-only
    # connection to a WAL database leaves -wal and -shm files beside it.
    wal = header[18] == 2 or header[19] == 2
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and wal):
        raise ProgressLogError(_foreign_message(path))
    # The format version is in the header too: a newer log is refused before any connection,
    # which could leave -wal and -shm files beside a file we must not touch.
    version = int.from_bytes(header[60:64], "big")
    if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
        raise ProgressLogError(_newer_message(path, version))
    try:
        # Read-only: inspecting must never write to a file we may not own.
        if read_only:
            conn = _open_read_only(path)
        else:
            conn = sqlite3.connect(
                path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S
            )
    except sqlite3.Error as exc:
        raise ProgressLogError(f"cannot open the log {path}: {exc}") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id == 0 and version == 0 and objects == 0:
                return  # a blank database: nothing in it to lose
            raise ProgressLogError(_foreign_message(path))
        if version > SCHEMA_VERSION:
            raise ProgressLogError(_newer_message(path, version))
        result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if result != ["ok"]:
            raise ProgressLogError(damaged + f" (SQLite check: {'; '.join(result[:3])}).")
    except sqlite3.DatabaseError as exc:
        raise ProgressLogError(damaged + f" ({exc}).") from exc
    finally:
        conn.close()


# --- CSV ---------------------------------------------------------------------------------


def protect_cell(text: str) -> str:
    """Learner text as a CSV cell a spreadsheet shows as text and never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe; so does text that starts with an apostrophe, so ``unprotect_cell`` can take
    exactly one off again.

    >>> protect_cell("=SUM(A1:A9)"), protect_cell("'quoted'"), protect_cell("fine")
    ("'=SUM(A1:A9)", "''quoted'", 'fine')
    """
    if text.startswith((*_FORMULA_STARTS, _TEXT_MARK)):
        return _TEXT_MARK + text
    return text


def unprotect_cell(text: str) -> str:
    """The learner's text back from a cell written by ``protect_cell``.

    >>> unprotect_cell("'=SUM(A1:A9)"), unprotect_cell("''quoted'"), unprotect_cell("'tis")
    ('=SUM(A1:A9)', "'quoted'", "'tis")
    """
    if text.startswith(_TEXT_MARK) and text[1:].startswith((*_FORMULA_STARTS, _TEXT_MARK)):
        return text[1:]
    return text


def _write_csv(f: IO[str], entries: Iterable[LogEntry]) -> None:
    writer = csv.writer(f)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        psfs: list[Any] = []
        for i in range(PSFS_MAX_ACTIVITIES):
            name, score = e.psfs[i] if i < len(e.psfs) else ("", "")
            psfs.extend((protect_cell(name), score))
        effort = "" if e.effort is None else e.effort
        exercised = "yes" if e.exercised else "no"
        writer.writerow(
            [
                e.id,
                e.day.isoformat(),
                e.pain,
                exercised,
                e.minutes,
                effort,
                *psfs,
                protect_cell(e.note),
            ]
        )


# One physical line with its line break (\r\n, \r or \n), as the csv module counts lines.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


class _Lines:
    """Physical lines fed to csv.reader one at a time, so a reader can restart anywhere."""

    def __init__(self, lines: list[str], pos: int = 0) -> None:
        self.lines = lines
        self.pos = pos

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _one_line(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return []


def _find_header(name: str, lines: list[str]) -> tuple[int, str, list[str]]:
    """The header's index among the lines, the separator it uses, and its column names."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue  # blank lines before the header hold nothing
        for separator in _SEPARATORS:
            header = [c.strip().lower() for c in _one_line(line, separator)]
            if all(c in header for c in _CSV_REQUIRED):
                break
        else:
            header = [c.strip().lower() for c in _one_line(line, ",")]
            separator = ","
        _check_header(name, header, index + 1)
        return index, separator, header
    raise ProgressLogError(f"{name} is empty: expected a header line {','.join(CSV_COLUMNS)}")


def _runs_on(lines: list[str], header: list[str], separator: str) -> int | None:
    """The index of the first line that reads as an entry of its own, or None.

    Used on the lines a quoted value took in after its first line: a note may hold line
    breaks, but not whole rows; when it does, a quote was left open.
    """
    day = header.index("day")
    for index, line in enumerate(lines):
        cells = _one_line(line, separator)
        if len(cells) == len(header) or (
            len(cells) > day and _ISO_DAY.fullmatch(cells[day].strip())
        ):
            return index
    return None


def _ends_inside_quotes(record: str, separator: str) -> bool:
    """True when a record's text ends inside a quoted value (its quote never closed)."""
    try:
        for _ in csv.reader(io.StringIO(record, newline=""), delimiter=separator, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _read_csv(
    name: str, text: str
) -> tuple[list[str], list[tuple[int, str]], list[tuple[int, list[str]]]]:
    """Split a CSV into its header, the lines it cannot read, and the rows it can.

    Rows are (line number, cells) with the header on its own line number; each problem is
    (line number, reason). A quoted value that never closes, or that runs on over lines
    that look like rows, is reported on the line where it opens; reading then starts again
    on the next line, so the rows it swallowed are read as rows.
    """
    lines = _LINE.findall(text)
    header_at, separator, header = _find_header(name, lines)
    errors: list[tuple[int, str]] = []
    rows: list[tuple[int, list[str]]] = []
    source = _Lines(lines, header_at + 1)
    while source.pos < len(lines):
        start = source.pos
        reader = csv.reader(source, delimiter=separator)  # fresh: no state from a bad row
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((start + 1, f"cannot be read as CSV: {exc}"))
            source.pos = start + 1
            continue
        taken = lines[start : source.pos]
        if len(taken) > 1:
            later = _runs_on(taken[1:], header, separator)
            if later is not None:
                errors.append(
                    (
                        start + 1,
                        f'a quote (") opened on this line runs on into line {start + 2 + later},'
                        " which looks like an entry of its own; this line was not imported."
                        " Close the quote (or remove it) and import the file again",
                    )
                )
                source.pos = start + 1
                continue
        if source.pos >= len(lines) and _ends_inside_quotes("".join(taken), separator):
            errors.append(
                (
                    start + 1,
                    'a quote (") opened on this line is never closed: the file ends inside'
                    " it, so this line was not imported. Close the quote (or remove it) and"
                    " import the file again",
                )
            )
            source.pos = start + 1
            continue
        if any(cell.strip() for cell in row):
            rows.append((start + 1, row))
    return header, errors, rows


def _read_text(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> tuple[str, str]:
    """The CSV's name and text. Bytes that are not UTF-8 stay as surrogates, so the rows
    holding them can be reported one by one instead of failing the whole file."""
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "the CSV file"))
        data = source.read()  # type: ignore[union-attr]
    else:
        name = str(source)
        try:
            data = Path(source).expanduser().read_bytes()  # type: ignore[arg-type]
        except OSError as exc:
            raise ProgressLogError(f"cannot read {name}: {exc}") from exc
    if isinstance(data, bytes):
        head = data[:200]
        # UTF-16 has a byte-order mark, or (without one) a NUL byte beside every ASCII letter.
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) * 3 >= max(len(head), 3):
            raise ProgressLogError(
                f"{name} is saved as UTF-16 text, which backcourse does not read. Save it as "
                "UTF-8 (in a spreadsheet: 'CSV UTF-8') and import it again; nothing was imported."
            )
        data = data.decode("utf-8", errors="surrogateescape")
    return name, data.removeprefix("\ufeff")


def _check_header(name: str, header: list[str], line: int) -> None:
    expected = f"expected a header like {','.join(CSV_COLUMNS)}"
    bad = []
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        bad.append(f"missing column(s) {', '.join(missing)}")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        bad.append(f"unknown column(s) {', '.join(_short(c) for c in unknown[:5])}")
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        bad.append(f"column(s) given twice: {', '.join(twice)}")
    if bad:
        raise ProgressLogError(
            f"{name} is not a progress-log CSV: the header (line {line}) has {'; '.join(bad)}. "
            f"Nothing was imported; {expected}."
        )


def _csv_int(column: str, text: str, lo: int, hi: int, required: bool) -> int | None:
    text = text.strip()
    if not text:
        if required:
            raise EntryError(column, "is missing")
        return None
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if number.is_integer():
            return int(number)
        raise EntryError(
            column, f"expected a whole number from {lo} to {hi}, got {_short(text)}"
        ) from None


def _entry_from_csv(header: list[str], row: list[str]) -> LogEntry:
    if len(row) < len(header):
        raise EntryError(
            header[len(row)],
            f"is missing: the row has {len(row)} values but the header has {len(header)} columns",
        )
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        raise EntryError(
            "row", f"has {len(row)} values but the header has {len(header)} columns (extra values)"
        )
    cells = dict(zip(header, row[: len(header)], strict=True))
    for column, text in cells.items():
        if any("\udc80" <= ch <= "\udcff" for ch in text):
            raise EntryError(
                column, "contains bytes that are not UTF-8 text; save the file as UTF-8"
            )
    day_text = cells["day"].strip()
    if not day_text:
        raise EntryError("day", "is missing")
    day = _check_day("day", day_text)
    pain = _csv_int("pain", cells["pain"], *PAIN_RANGE, required=True)
    flag = cells.get("exercised", "").strip().lower()
    if flag in _YES:
        exercised = True
    elif flag in _NO:
        exercised = False
    else:
        raise EntryError("exercised", f"expected yes or no, got {_short(cells['exercised'])}")
    minutes = _csv_int("minutes", cells.get("minutes", ""), *MINUTES_RANGE, required=False) or 0
    effort = _csv_int("effort", cells.get("effort", ""), *EFFORT_RANGE, required=False)
    psfs = []
    for i in range(1, PSFS_MAX_ACTIVITIES + 1):
        activity = unprotect_cell(cells.get(f"psfs{i}_activity", "").strip())
        score_text = cells.get(f"psfs{i}_score", "")
        if not activity and not score_text.strip():
            continue
        if not activity:
            raise EntryError(f"psfs{i}_activity", "is missing (a score needs its activity)")
        score = _csv_int(f"psfs{i}_score", score_text, *PSFS_SCORE_RANGE, required=True)
        psfs.append((activity, score))
    note = unprotect_cell(cells.get("note", ""))
    return LogEntry(None, day, pain, exercised, minutes, effort, tuple(psfs), note)  # type: ignore[arg-type]


# --- summaries and advice ----------------------------------------------------------------


def weekly_sessions(entries: Iterable[LogEntry]) -> list[tuple[date, int, int]]:
    """Exercise per ISO week (Monday to Sunday), empty weeks included.

    Returns
    -------
    list of (date, int, int)
        (Monday of the week, sessions, minutes of exercise), oldest first.
    """
    weeks: dict[date, tuple[int, int]] = {}
    for e in entries:
        monday = e.day - timedelta(days=e.day.weekday())
        sessions, minutes = weeks.get(monday, (0, 0))
        if e.exercised:
            sessions, minutes = sessions + 1, minutes + e.minutes
        weeks[monday] = (sessions, minutes)
    if not weeks:
        return []
    out = []
    monday, last = min(weeks), max(weeks)
    while monday <= last:
        out.append((monday, *weeks.get(monday, (0, 0))))
        monday += timedelta(days=7)
    return out


def psfs_series(entries: Iterable[LogEntry]) -> dict[str, list[tuple[date, int]]]:
    """Each PSFS activity's scores over time, by day.

    Activities are matched ignoring case; the first spelling seen names the series.
    """
    names: dict[str, str] = {}
    series: dict[str, list[tuple[date, int]]] = {}
    for e in sorted(entries, key=lambda e: (e.day, e.id or 0)):
        for activity, score in e.psfs:
            name = names.setdefault(activity.casefold(), activity)
            series.setdefault(name, []).append((e.day, score))
    return series


@dataclass(frozen=True)
class Summary:
    """The numbers the progress rules look at. Windows end on the last day logged.

    Attributes
    ----------
    entries, days_logged : int
    first_day, last_day : date or None
    recent_pain : float or None
        Mean daily pain over the last 7 days (days with several entries count once).
    previous_pain : float or None
        The same over the 7 days before those.
    baseline_pain : float or None
        The same over the first 7 days of the log.
    sessions_per_week, minutes_per_week : float
        Over the last 14 days (or the whole log when it is shorter).
    """

    entries: int
    days_logged: int
    first_day: date | None
    last_day: date | None
    recent_pain: float | None
    previous_pain: float | None
    baseline_pain: float | None
    sessions_per_week: float
    minutes_per_week: float

    @property
    def span_days(self) -> int:
        """Days from the first entry to the last, both included."""
        if self.first_day is None or self.last_day is None:
            return 0
        return (self.last_day - self.first_day).days + 1


def _daily_pain(entries: Iterable[LogEntry]) -> dict[date, float]:
    days: dict[date, list[int]] = {}
    for e in entries:
        days.setdefault(e.day, []).append(e.pain)
    return {d: sum(p) / len(p) for d, p in days.items()}


def _mean_pain(daily: Mapping[date, float], first: date, last: date) -> float | None:
    values = [p for d, p in daily.items() if first <= d <= last]
    return sum(values) / len(values) if values else None


def summarise(entries: Iterable[LogEntry]) -> Summary:
    """Recent, previous and starting pain, and sessions per week, of a list of entries."""
    entries = list(entries)
    if not entries:
        return Summary(0, 0, None, None, None, None, None, 0.0, 0.0)
    daily = _daily_pain(entries)
    first, last = min(daily), max(daily)
    week = timedelta(days=6)
    window_start = max(first, last - timedelta(days=13))
    weeks = ((last - window_start).days + 1) / 7
    recent = [e for e in entries if e.exercised and e.day >= window_start]
    return Summary(
        entries=len(entries),
        days_logged=len(daily),
        first_day=first,
        last_day=last,
        recent_pain=_mean_pain(daily, last - week, last),
        previous_pain=_mean_pain(daily, last - timedelta(days=13), last - timedelta(days=7)),
        baseline_pain=_mean_pain(daily, first, first + week),
        sessions_per_week=len(recent) / weeks,
        minutes_per_week=sum(e.minutes for e in recent) / weeks,
    )


@dataclass(frozen=True)
class Advice:
    """What the progress rules suggest.

    Attributes
    ----------
    kind : str
        One of "progress", "hold", "step_back", "see_doctor", "not_enough_data".
    message : str
        Plain English for the learner.
    summary : Summary
        The numbers the decision was based on.
    """

    kind: str
    message: str
    summary: Summary


def _threshold(progression: Mapping[str, int], key: str) -> int:
    if key not in progression:
        raise KeyError(f"the guidelines' progression section has no {key!r}")
    value = progression[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"progression {key!r} must be a whole number of at least 1, got {value!r}")
    return value


def _day_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # "4 March 2024": no leading zero, no ambiguity


def _weeks_around(daily: Mapping[date, float], day: date) -> tuple[float | None, float | None]:
    """Mean pain over the 7 days ending on ``day`` and over the 7 days before those."""
    return (
        _mean_pain(daily, day - timedelta(days=6), day),
        _mean_pain(daily, day - timedelta(days=13), day - timedelta(days=7)),
    )


def advice(entries: Iterable[LogEntry], guidelines_progression: Mapping[str, int]) -> Advice:
    """Suggest progressing, holding, stepping back or seeing a professional.

    Parameters
    ----------
    entries : iterable of LogEntry
    guidelines_progression : mapping
        The ``progression`` section of course_data/guidelines.yaml; uses
        ``step_back_pain_rise``, ``review_after_weeks`` and ``expected_weeks``.

    Notes
    -----
    Pain is the mean per day over 7-day windows ending on the last day logged. A rise of
    ``step_back_pain_rise`` points on the week before is a flare-up; half of that is a real
    change rather than day-to-day noise. First match wins:

    1. fewer than 7 entries, or nothing logged in the week before the last: not_enough_data;
    2. a flare-up now, or one in the last ``review_after_weeks`` weeks that has not settled
       back near its level before: step_back;
    3. pain higher over the last ``review_after_weeks`` weeks than over the same span before
       it and not easing this week; or, after ``review_after_weeks`` weeks of logging, no
       week clearly better than the first while pain is moderate (4 or more): see_doctor;
    4. with 2 or more sessions a week, pain down by ``step_back_pain_rise`` (on the week
       before or on the first week) and not rising, or steady and mild (3 or less): progress;
    5. otherwise: hold.
    """
    rise = _threshold(guidelines_progression, "step_back_pain_rise")
    review = _threshold(guidelines_progression, "review_after_weeks")
    expected = _threshold(guidelines_progression, "expected_weeks")
    entries = list(entries)
    s = summarise(entries)
    noise = rise / 2  # changes smaller than this are day-to-day noise

    if s.entries < MIN_ENTRIES_FOR_ADVICE:
        return Advice(
            "not_enough_data",
            f"Log at least {MIN_ENTRIES_FOR_ADVICE} days to get advice: you have {s.entries} "
            f"entr{'y' if s.entries == 1 else 'ies'} so far.",
            s,
        )
    assert s.first_day and s.last_day and s.recent_pain is not None and s.baseline_pain is not None
    if s.previous_pain is None:
        return Advice(
            "not_enough_data",
            "Nothing was logged in the week before your last 7 days, so there is no week to "
            "compare with. Keep logging for another week.",
            s,
        )
    daily = _daily_pain(entries)
    change = s.recent_pain - s.previous_pain
    review_days = 7 * review

    # A flare-up: now, or within the review period and not yet back near where it started.
    # Until it settles or the review period is over, the advice stays "step back".
    for back in range(review_days):
        day = s.last_day - timedelta(days=back)
        now, before = _weeks_around(daily, day)
        if now is None or before is None or now - before < rise:
            continue
        if back == 0 or s.recent_pain - before >= noise:
            review_by = day + timedelta(days=review_days)
            return Advice(
                "step_back",
                f"Your pain flared up: the 7 days to {_day_text(day)} averaged {now:.1f} out of "
                f"10, up {now - before:.1f} on the week before (now {s.recent_pain:.1f}). "
                "Step back to the last level that felt comfortable (fewer repetitions, "
                "shorter holds, easier versions) until it settles. If it has not settled by "
                f"{_day_text(review_by)}, ask a doctor or physiotherapist.",
                s,
            )
        break  # the latest flare-up has settled

    later = _mean_pain(daily, s.last_day - timedelta(days=review_days - 1), s.last_day)
    earlier = _mean_pain(
        daily,
        s.last_day - timedelta(days=2 * review_days - 1),
        s.last_day - timedelta(days=review_days),
    )
    if (
        s.span_days >= 2 * review_days
        and earlier is not None
        and later is not None
        and later - earlier >= noise
        and change >= 0  # a flare-up that is easing is not a trend
    ):
        return Advice(
            "see_doctor",
            f"Your pain has been getting worse over the last {2 * review} weeks (from "
            f"{earlier:.1f} to {later:.1f} out of 10 on average). Please ask a doctor or "
            "physiotherapist to check your back before you carry on.",
            s,
        )

    # "No improvement" means no week since the first was clearly better: pain that eased and
    # then flared again is the step-back rule's business.
    blocks = (
        _mean_pain(daily, s.first_day + timedelta(days=k), s.first_day + timedelta(days=k + 6))
        for k in range(7, s.span_days, 7)
    )
    best = min((b for b in blocks if b is not None), default=s.baseline_pain)
    if (
        s.span_days >= max(review_days, 14)
        and s.recent_pain >= MILD_PAIN_MAX + 1
        and s.baseline_pain - min(best, s.recent_pain) < noise
    ):
        return Advice(
            "see_doctor",
            f"After {s.span_days // 7} weeks of logging your pain has not improved (about "
            f"{s.recent_pain:.1f} out of 10, against {s.baseline_pain:.1f} in your first week). "
            "Please ask a doctor or physiotherapist: exercise can still help, and they can "
            "adjust it for you.",
            s,
        )

    active = s.sessions_per_week >= MIN_SESSIONS_TO_PROGRESS
    down = max(-change, s.baseline_pain - s.recent_pain) >= rise and change < noise
    steady_low = abs(change) < noise and s.recent_pain <= MILD_PAIN_MAX
    if active and (down or steady_low):
        how = (
            f"down to {s.recent_pain:.1f} out of 10"
            if down
            else f"steady and mild (about {s.recent_pain:.1f} out of 10)"
        )
        return Advice(
            "progress",
            f"Your pain is {how} and you are exercising about {s.sessions_per_week:.1f} times "
            "a week. You can make your routine a little harder: one small step at a time, "
            "and step back if the pain rises.",
            s,
        )
    if not active:
        why = (
            f"You exercised about {s.sessions_per_week:.1f} times a week lately; aim for at "
            f"least {MIN_SESSIONS_TO_PROGRESS} sessions a week before making it harder."
        )
    else:
        why = f"Your pain is about {s.recent_pain:.1f} out of 10 and not rising."
    return Advice(
        "hold",
        f"Keep going at the same level. {why} It can take up to {expected} weeks to notice "
        "a change.",
        s,
    )


# --- example data ------------------------------------------------------------------------

# Fictional activities for the demo log (a PSFS lists the learner's own hard activities).
_EXAMPLE_ACTIVITIES = (
    ("Sitting through a film", 3, 8),
    ("Putting on socks", 4, 9),
    ("Carrying shopping", 2, 7),
)
EXAMPLE_START = date(2024, 1, 1)
EXAMPLE_NOTE = "example data"


def example_log(
    path: str | os.PathLike[str], days: int = 84, seed: int = 0, start: date = EXAMPLE_START
) -> ProgressLog:
    """Write a made-up, deterministic log for demonstrations and return it open.

    Pain eases from about 6.5 to about 2 over the period with day-to-day noise and a flare-up
    a little after half way; every entry's note is "example data". It is never real data.

    Raises
    ------
    ProgressLogError
        The file already holds entries (example data is never mixed into a real log).
    """
    if not 1 <= days <= 3660:
        raise ValueError(f"days must be from 1 to 3660, got {days!r}")
    log = ProgressLog(path)
    if len(log):
        log.close()
        raise ProgressLogError(f"{log.path} already has entries; write example data to a new file")
    rng = random.Random(seed)
    flare = int(days * 0.55)
    entries = []
    for i in range(days):
        t = i / max(days - 1, 1)
        base = 6.5 - 4.5 * (1 - math.exp(-3 * t)) / (1 - math.exp(-3))
        in_flare = flare <= i < flare + 10
        if in_flare:
            base += 4.0 * (1 - (i - flare) / 10)
        pain = min(10, max(0, round(base + rng.gauss(0, 0.7))))
        exercised = rng.random() < (0.3 if in_flare else 0.6)
        minutes = min(300, max(5, round(10 + 15 * t + rng.uniform(-3, 3)))) if exercised else 0
        effort = min(10, max(0, round(5 - 1.5 * t + rng.gauss(0, 1)))) if exercised else None
        psfs: tuple[tuple[str, int], ...] = ()
        if i % 7 == 0:
            psfs = tuple(
                (name, min(10, max(0, round(lo + (hi - lo) * t + rng.gauss(0, 0.5)))))
                for name, lo, hi in _EXAMPLE_ACTIVITIES
            )
        day = start + timedelta(days=i)
        entries.append(LogEntry(None, day, pain, exercised, minutes, effort, psfs, EXAMPLE_NOTE))
    with log._write():
        log._insert(entries)
    return log
