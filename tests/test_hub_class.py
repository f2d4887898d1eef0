"""A small class on the test JupyterHub, measured the way `make bench-hub` measures 30.

Five learners arrive together; each has a server started, follows the trainer's
nbgitpuller link and runs notebook 04 cell by cell in a kernel of their own
(benchmarks/hub_class.py). All five must finish with no error, every code cell of the
notebook must have been timed for each, and the sampled figures must be real: a learner's
server and kernel hold more memory than a bare Python, and the whole server more than the
learners alone. Timings are reported by `make bench-hub`, never asserted here.

Needs what tests/test_hub.py needs (jupyterhub, nbgitpuller, configurable-http-proxy, git);
skipped without them unless BACKCOURSE_REQUIRE_BROWSER is set (CI), where it fails.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

pytestmark = [pytest.mark.slow, pytest.mark.hub]
LEARNERS = 5


def test_five_learners_run_lesson_04_on_one_hub():
    import test_hub as th

    for module in ("jupyterhub", "nbgitpuller", "psutil", "websocket", "requests"):
        if importlib.util.find_spec(module) is None:
            th._missing(f"the {module} package")
    if th._proxy_command() is None:
        th._missing("configurable-http-proxy (npm ci --prefix tests/hub)")
    if shutil.which("git") is None:
        th._missing("git")
    import hub_class

    report = hub_class.run_class(LEARNERS, wave=LEARNERS, gap_s=0)
    hub_class.print_report(report)
    assert report["errors"] == {}, report["errors"]
    assert report["finished_without_error"] == LEARNERS
    nb = json.loads((ROOT / hub_class.LESSON).read_text())
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"])]
    assert report["cells_timed"] == LEARNERS * len(code_cells)
    mib = report["learner_peak_mib_median"]
    assert 60 < mib < 2048, f"a learner's server and kernel measured {mib:.0f} MiB"
    assert report["server_peak_mib"] > LEARNERS * report["learner_peak_mib_median"] * 0.9
    assert report["learner_cpu_s_median"] > 0.5  # the notebook really ran
