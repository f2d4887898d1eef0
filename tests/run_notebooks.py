"""Re-execute notebooks in place, so their committed outputs are fresh (`make notebooks`).

Runs each notebook top to bottom in a clean kernel from this environment, with the same
isolated Jupyter/matplotlib folders the tests use, and fails loudly on any cell error.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # widget state is per-run; nbval ignores it anyway
    nbformat.write(nb, path)
    return elapsed


def main(paths: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("MPLBACKEND", "Agg")
        os.environ.setdefault("MPLCONFIGDIR", str(Path(tmp, "mpl")))
        os.environ.setdefault("BACKCOURSE_LOG", str(Path(tmp, "progress.sqlite3")))
        for p in paths:
            print(f"{p}: {run(Path(p)):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
