"""The progress log itself: ``ProgressLog``, a learner's entries in a SQLite file.

Every write is one transaction, so a crash or a killed kernel loses at most the entry
being written; two notebooks writing at once both land (WAL mode, a busy timeout). In the
browser (JupyterLite) the log is an in-memory copy written back whole after every change.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..errors import ProgressLogError
from ..files import atomic_open
from ..model import AdviceRules
from . import csvfile
from .advice import Advice, advice
from .csvfile import ImportReport
from .entry import (
    EntryError,
    EntryNotFoundError,
    LogEntry,
    as_day,
    check_id,
    entry_from_row,
    row_params,
)
from .location import default_log_path, open_connection
from .opening import (
    READ_ONLY_WHY,
    create_private,
    foreign_message,
    inspect,
    is_read_only,
    newer_message,
    open_read_only,
)
from .schema import (
    APPLICATION_ID,
    COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    add_sessions_table,
)
from .sessions import SessionMethods
from .stats import Summary, psfs_series, summarise, weekly_sessions

# --- the log -----------------------------------------------------------------------------


class ProgressLog(SessionMethods):
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
        self.read_only = is_read_only(self.path)
        inspect(self.path, self.read_only)
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
        create_private(self.path)
        try:
            conn = open_connection(self.path)
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
                        raise ProgressLogError(foreign_message(self.path))
                    # One statement at a time: executescript() would commit mid-transaction.
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    add_sessions_table(conn)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                elif version > SCHEMA_VERSION:
                    raise ProgressLogError(newer_message(self.path, version))
                elif version < 2:
                    add_sessions_table(conn)  # upgrade a version 1 log in place
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
        """Open a healthy log that this user may read but not write (checked by inspect)."""
        try:
            conn = open_read_only(self.path)
            # A read-only folder may hold a file with no log in it yet: nothing to show.
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.close()
                raise ProgressLogError(
                    f"cannot create the log {self.path}: {READ_ONLY_WHY}. Give ProgressLog "
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
                f"the log {self.path} is read-only ({READ_ONLY_WHY}): you can read it but "
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
        sql = f"SELECT {', '.join(COLUMNS)} FROM entries"
        where, params = [], []
        if start is not None:
            where.append("day >= ?")
            params.append(as_day("start", start).isoformat())
        if end is not None:
            where.append("day <= ?")
            params.append(as_day("end", end).isoformat())
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
                row_params(entry),
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
        entry_id = check_id(entry_id)
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {', '.join(COLUMNS)} FROM entries WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None:
                raise EntryNotFoundError(entry_id)
            current = dict(zip(COLUMNS, row, strict=True))
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
                (*row_params(entry), entry.id),
            )
        return entry

    def delete(self, entry_id: int) -> None:
        """Remove an entry for good."""
        entry_id = check_id(entry_id)
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
        entry_id = check_id(entry_id)
        rows = self._rows(f"SELECT {', '.join(COLUMNS)} FROM entries WHERE id = ?", (entry_id,))
        if not rows:
            raise EntryNotFoundError(entry_id)
        try:
            return entry_from_row(rows[0])
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
                out.append(entry_from_row(row))
        return out

    @property
    def problems(self) -> list[tuple[int, str]]:
        """Stored rows that fail validation, as (id, reason); fix with ``update`` or ``delete``."""
        found = []
        for row in self._select():
            try:
                entry_from_row(row)
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

    def advice(
        self, guidelines_progression: Mapping[str, int], rules: AdviceRules | None = None
    ) -> Advice:
        """What to do next by the progress rules; see the module function ``advice``."""
        return advice(self.entries(), guidelines_progression, rules)

    # CSV

    def export_csv(self, target: str | os.PathLike[str] | IO[str]) -> int:
        """Write every valid entry to a CSV file (or an open text file); return how many.

        A file path is replaced atomically: a crash leaves the old file or the new one, never
        half of one. Rows listed in ``problems`` are not exported.
        """
        entries = self.entries()
        if hasattr(target, "write"):
            csvfile.write_csv(target, entries)  # type: ignore[arg-type]
            return len(entries)
        path = Path(target).expanduser()  # type: ignore[arg-type]
        if path.exists() and path.resolve() == self.path.resolve():
            raise ProgressLogError(f"{path} is the log itself; export to another file")
        try:
            # utf-8-sig: spreadsheet programs then read accented notes correctly.
            with atomic_open(path, "w", encoding="utf-8-sig", newline="") as f:
                csvfile.write_csv(f, entries)
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
        name, text = csvfile.read_text(source)
        header, errors, rows = csvfile.read_csv(name, text)
        good: list[LogEntry] = []
        for line, row in rows:
            try:
                good.append(csvfile.entry_from_csv(header, row))
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

    def add_entries(self, entries: Iterable[LogEntry]) -> None:
        """Add validated entries (their ids are ignored) in one transaction."""
        with self._write():
            self._insert(list(entries))

    def _insert(self, entries: list[LogEntry]) -> None:
        """Add entries; call inside ``_write`` (the caller's transaction holds them)."""
        self._db.executemany(
            "INSERT INTO entries (day, pain, exercised, minutes, effort, psfs, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [row_params(e) for e in entries],
        )

    # guided sessions (schema version 2)
