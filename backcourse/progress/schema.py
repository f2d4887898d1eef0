"""The log file's format: its SQLite tables, the marks that make it ours, and upgrades."""

from __future__ import annotations

import sqlite3

# Marks the file as ours: "BCLG" in the header's application_id, and the schema version in
# user_version, so a newer file is refused instead of being misread.
APPLICATION_ID = 0x42434C47
SCHEMA_VERSION = 2  # 2 adds the sessions table (guided sessions); 1 is upgraded on open
MAGIC = b"SQLite format 3\x00"
# Long enough for another notebook's write (milliseconds) or a big import to finish.
BUSY_TIMEOUT_S = 30.0

SCHEMA = """
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
SESSIONS_SCHEMA = """
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

# No CHECK constraints: validation lives in LogEntry alone, and rows that fail it (a hand
# edit, an older version) are reported by ``problems`` instead of making the file unreadable.

COLUMNS = ("id", "day", "pain", "exercised", "minutes", "effort", "psfs", "note")


def add_sessions_table(conn: sqlite3.Connection) -> None:
    """Create the version 2 sessions table (inside the caller's transaction)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sessions'").fetchone():
        return
    conn.execute(SESSIONS_SCHEMA.split("CREATE TRIGGER")[0])
    conn.execute("CREATE TRIGGER" + SESSIONS_SCHEMA.split("CREATE TRIGGER")[1])
