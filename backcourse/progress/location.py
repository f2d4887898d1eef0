"""Where the log lives and how its file is opened: on a desktop, or in the browser.

On a desktop the log is a SQLite file (``default_log_path()``). In Pyodide (JupyterLite),
SQLite cannot work on /drive, the browser's storage (a file open there reads as empty until
closed): the log is an in-memory copy, written back whole to its file after every change.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from .schema import BUSY_TIMEOUT_S

ENV_VAR = "BACKCOURSE_LOG"


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


def open_connection(path: Path) -> sqlite3.Connection:
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
