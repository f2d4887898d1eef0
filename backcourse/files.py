"""Atomic file writes: a reader sees the old file or the new one, never half of one.

A write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the target. Python removes the temporary file when anything fails, but a killed kernel
cannot; so each write first removes the temporaries an earlier, killed write of the same
file left behind (only ones old enough that no write can still be using them).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["TMP_SUFFIX", "atomic_open", "atomic_write", "remove_stale_temporaries"]

TMP_SUFFIX = ".tmp"
# A temporary file older than this belongs to a write that was killed: every write of the
# course (a CSV, a handout, a PDF) takes well under a second once its bytes are ready.
STALE_AFTER_S = 10 * 60


def _prefix(path: Path) -> str:
    # Hidden (leading dot) so the file browser does not show a half-written file.
    return f".{path.name}."


def remove_stale_temporaries(
    path: str | os.PathLike[str], older_than_s: float = STALE_AFTER_S
) -> int:
    """Remove temporary files that killed writes of ``path`` left behind; return how many."""
    target = Path(path)
    removed = 0
    cutoff = time.time() - older_than_s
    try:
        candidates = list(target.parent.glob(_glob_escape(_prefix(target)) + "*" + TMP_SUFFIX))
    except OSError:
        return 0
    for tmp in candidates:
        try:
            if tmp.is_file() and not tmp.is_symlink() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except OSError:
            continue  # someone else's file, or already gone: not ours to worry about
    return removed


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces ``path`` in one step.

    ``mode`` is "wb" or "w" (then ``encoding`` and ``newline`` may be given). The folder is
    created when missing. Raises OSError when the folder or file cannot be written.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes only ('w' or 'wb'), got {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(target), suffix=TMP_SUFFIX, dir=target.parent)
    try:
        with open(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through :func:`atomic_open`; return the path.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", b"hello").read_bytes()
    b'hello'
    """
    target = Path(path)
    with atomic_open(target, "wb") as f:
        f.write(data)
    return target
