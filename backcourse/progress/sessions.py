"""Guided sessions in the log (schema version 2): what the session player adds to a day.

A session is its day's entry plus a ``sessions`` row (pain before and after, time done,
stopped early, skipped and swapped exercises), written in one transaction; deleting the
entry deletes the session too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from .entry import (
    ACTIVITY_MAX_CHARS,
    PAIN_RANGE,
    EntryError,
    EntryNotFoundError,
    LogEntry,
    check_int,
    check_text,
    entry_from_row,
    row_params,
)
from .schema import COLUMNS

SESSION_SECONDS_MAX = 300 * 60


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


class SessionMethods:
    """ProgressLog's guided-session methods (the log's ``_write`` and ``_rows`` do the SQL)."""

    read_only: bool
    _write: Any
    _rows: Any

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
        before = check_int("pain_before", pain_before, *PAIN_RANGE, " (0-10 pain scale)")
        after = None
        if pain_after is not None:
            after = check_int("pain_after", pain_after, *PAIN_RANGE, " (0-10 pain scale)")
        seconds = check_int("seconds_done", seconds_done, 0, SESSION_SECONDS_MAX)
        skip = tuple(check_text("skipped", x, ACTIVITY_MAX_CHARS) for x in skipped)
        swaps = tuple(
            (
                check_text("swapped", a, ACTIVITY_MAX_CHARS),
                check_text("swapped", b, ACTIVITY_MAX_CHARS),
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
                row_params(entry),
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
        after = check_int("pain_after", pain_after, *PAIN_RANGE, " (0-10 pain scale)")
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
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        rows = self._rows(
            f"SELECT {cols}, s.pain_before, s.pain_after, s.seconds_done, s.stopped,"
            " s.skipped, s.swapped FROM sessions s JOIN entries e ON e.id = s.entry_id"
            " ORDER BY e.day, e.id"
        )
        out = []
        for row in rows:
            n = len(COLUMNS)
            with suppress(EntryError, ValueError, TypeError):
                before, after, seconds, stopped, skipped, swapped = row[n:]
                out.append(
                    SessionRecord(
                        entry_from_row(row[:n]),
                        before,
                        after,
                        seconds,
                        bool(stopped),
                        tuple(json.loads(skipped)),
                        tuple((a, b) for a, b in json.loads(swapped)),
                    )
                )
        return out
