"""Checks before a log file is opened: ours, healthy, not newer, writable or read-only.

A file that is not a healthy backcourse log is refused without a byte of it changed.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ..errors import ProgressLogError
from .schema import APPLICATION_ID, BUSY_TIMEOUT_S, MAGIC, SCHEMA_VERSION

READ_ONLY_WHY = "this user cannot write to the file or to its folder"


def is_read_only(path: Path) -> bool:
    """True for an existing log this user may not change: SQLite needs to write the file
    and to create its -wal and -shm files beside it."""
    if not path.is_file():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK))


def open_read_only(path: Path) -> sqlite3.Connection:
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


def create_private(path: Path) -> None:
    """Create the log file readable by its owner only: it holds health data."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise ProgressLogError(f"cannot create the log {path}: {exc}") from exc


def foreign_message(path: Path) -> str:
    return (
        f"{path} is a database of another application, not a backcourse progress log. "
        "backcourse has not changed it; give ProgressLog a different file."
    )


def newer_message(path: Path, version: int) -> str:
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
        if not header or (len(header) == 100 and header.startswith(MAGIC)):
            return header
        start = header[: len(MAGIC)]
        if not (MAGIC.startswith(start) or header.startswith(MAGIC) or not any(start)):
            return header  # plainly something else: no need to wait
        time.sleep(0.05 * (attempt + 1))
    return header


def inspect(path: Path, read_only: bool = False) -> None:
    """Refuse, without changing a byte, a file that is not a healthy backcourse log."""
    if not path.exists():
        return
    if not path.is_file():
        raise ProgressLogError(f"{path} is not a file; give ProgressLog the path of a log file")
    header = _read_header(path)
    if not header:
        return  # an empty file: a log about to be created
    if not header.startswith(MAGIC):
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
        raise ProgressLogError(foreign_message(path))
    # The format version is in the header too: a newer log is refused before any connection,
    # which could leave -wal and -shm files beside a file we must not touch.
    version = int.from_bytes(header[60:64], "big")
    if app_id == APPLICATION_ID and version > SCHEMA_VERSION:
        raise ProgressLogError(newer_message(path, version))
    try:
        # Read-only: inspecting must never write to a file we may not own.
        if read_only:
            conn = open_read_only(path)
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
            raise ProgressLogError(foreign_message(path))
        if version > SCHEMA_VERSION:
            raise ProgressLogError(newer_message(path, version))
        result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if result != ["ok"]:
            raise ProgressLogError(damaged + f" (SQLite check: {'; '.join(result[:3])}).")
    except sqlite3.DatabaseError as exc:
        raise ProgressLogError(damaged + f" ({exc}).") from exc
    finally:
        conn.close()
