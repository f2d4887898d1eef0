"""Shared test set-up: isolated Jupyter/matplotlib folders, the course, and the browser."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def course():
    from backcourse import load_course

    return load_course()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A trainer's copy of course_data/ that a test may edit."""
    dest = tmp_path / "course_data"
    shutil.copytree(ROOT / "course_data", dest)
    return dest


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of PNG bytes (and a check that they are a PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def browser_available() -> bool:
    return Path(CHROMIUM).exists()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright. Skipped without it, unless CI requires it.

    Module-scoped on purpose: Playwright's sync API keeps an event loop running while it is
    open, and code that schedules work on a running loop (the routine builder does, inside
    a kernel) must not see it in the tests that come after the browser tests.
    """
    if not browser_available():
        if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is required here (BACKCOURSE_REQUIRE_BROWSER is set)")
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
