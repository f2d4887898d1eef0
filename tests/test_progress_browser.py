"""The progress log's browser mode (JupyterLite), run here with the mode switched on.

In Pyodide the log is an in-memory SQLite copy written back to its file after every change
(SQLite cannot run on JupyterLite's /drive). What a learner depends on: every recorded entry
is in the file at once (a reload or a closed tab loses nothing), the file is an ordinary
SQLite database, and a log made on a desktop opens in the browser.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backcourse import progress
from backcourse.progress import ProgressLog


@pytest.fixture
def browser_mode(monkeypatch):
    monkeypatch.setattr(progress.location, "IN_BROWSER", True)


def _rows_on_disk(path: Path) -> list[tuple]:
    """Read the file with a separate, ordinary SQLite connection (not the code under test)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT day, pain, minutes, note FROM entries ORDER BY id").fetchall()
    finally:
        conn.close()


def test_each_entry_is_in_the_file_as_soon_as_it_is_recorded(tmp_path, browser_mode):
    path = tmp_path / "log.sqlite3"
    log = ProgressLog(path)
    log.record("2024-03-04", pain=5, exercised=True, minutes=20, note="first")
    # Not closed: a reload kills the kernel without closing anything.
    assert _rows_on_disk(path) == [("2024-03-04", 5, 20, "first")]
    entry = log.record("2024-03-05", pain=4, minutes=15)
    log.update(entry.id, pain=3)
    assert _rows_on_disk(path) == [("2024-03-04", 5, 20, "first"), ("2024-03-05", 3, 15, "")]
    log.delete(entry.id)
    assert _rows_on_disk(path) == [("2024-03-04", 5, 20, "first")]


def test_a_reopened_log_has_the_entries_and_keeps_the_ids(tmp_path, browser_mode):
    path = tmp_path / "log.sqlite3"
    first = ProgressLog(path).record("2024-03-04", pain=5)
    again = ProgressLog(path)  # the page was reloaded: a new kernel opens the same file
    assert [(e.day.isoformat(), e.pain) for e in again.entries()] == [("2024-03-04", 5)]
    second = again.record("2024-03-05", pain=4)
    assert second.id > first.id


def test_a_desktop_log_opens_in_the_browser(tmp_path, monkeypatch):
    path = tmp_path / "log.sqlite3"
    with ProgressLog(path) as desktop:  # WAL mode on a desktop
        desktop.record("2024-03-04", pain=6, minutes=10)
    monkeypatch.setattr(progress.location, "IN_BROWSER", True)
    browser = ProgressLog(path)
    assert [(e.day.isoformat(), e.pain) for e in browser.entries()] == [("2024-03-04", 6)]
    browser.record("2024-03-05", pain=5)
    assert [r[:2] for r in _rows_on_disk(path)] == [("2024-03-04", 6), ("2024-03-05", 5)]


def test_the_default_log_is_on_the_browser_drive(monkeypatch, browser_mode):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    # /drive is JupyterLite's storage, kept across reloads; the home folder is in memory.
    assert progress.default_log_path().parts[:2] == ("/", "drive")


class _FakeShell:
    def __init__(self) -> None:
        self.sent: list[tuple] = []

    def send_comm(self, msg_type, content, metadata, ident, buffers):
        self.sent.append((msg_type, content, metadata, ident, buffers))


def test_widget_updates_to_none_keep_their_key_in_the_browser(monkeypatch):
    """Pyodide's bridge drops keys whose value is None; the fix sends JSON-parsed objects."""
    import json
    import sys
    import types

    from backcourse.browser import fix_comm_bridge

    parsed: list[str] = []
    fake_js = types.SimpleNamespace(
        JSON=types.SimpleNamespace(parse=lambda text: parsed.append(text) or json.loads(text))
    )
    monkeypatch.setitem(sys.modules, "js", fake_js)
    shell = _FakeShell()
    assert fix_comm_bridge(shell)
    assert fix_comm_bridge(shell)  # a second import changes nothing
    content = {"data": {"method": "update", "state": {"display": None}}, "comm_id": "c1"}
    shell.send_comm("comm_msg", content, {}, "jupyter.widget", None)
    assert len(shell.sent) == 1
    assert shell.sent[0][1] == content
    assert json.loads(parsed[0]) == content and '"display": null' in parsed[0]
