"""Loaded for every test, notebooks included: keep tests away from the learner's own files.

Tests (and the kernels nbval starts) get temporary Jupyter, IPython and matplotlib folders
and a temporary progress log, so running any test never touches ~/.backcourse or ~/.jupyter.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Tests (and the kernels nbval starts) never touch the learner's own folders or log.
_TMP = Path(tempfile.mkdtemp(prefix="backcourse-tests-"))
for var, sub in {
    "MPLCONFIGDIR": "mpl",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "IPYTHONDIR": "ipython",
}.items():
    os.environ[var] = str(_TMP / sub)
os.environ["BACKCOURSE_LOG"] = str(_TMP / "progress.sqlite3")
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_TMP, ignore_errors=True)
