"""The Zero to JupyterHub config a trainer deploys for a class beyond one machine.

Parsed as YAML and checked against what Zero to JupyterHub reads and against the figures
`make bench-hub` measured for 30 learners (benchmarks/hub_class_30.json, committed with the
run): every learner is guaranteed at least the memory a learner was seen to peak at, the
limit leaves headroom over the largest peak, idle servers are culled, the image is built from
this repository with nbgitpuller in it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "z2jh" / "config.yaml"
MEASURED = ROOT / "benchmarks" / "hub_class_30.json"
UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3}


def _bytes(size: str) -> int:
    """Kubernetes-style sizes as z2jh takes them: 256M, 1G, 512Mi."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]i?)?", str(size))
    assert m, f"not a size: {size!r}"
    return int(float(m.group(1)) * UNITS[m.group(2) or ""])


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text())


def test_only_known_top_level_sections(config):
    known = {"hub", "singleuser", "prePuller", "scheduling", "cull", "proxy", "ingress"}
    assert set(config) <= known, set(config) - known


def test_memory_and_cpu_follow_the_measured_class(config):
    mem, cpu = config["singleuser"]["memory"], config["singleuser"]["cpu"]
    guarantee, limit = _bytes(mem["guarantee"]), _bytes(mem["limit"])
    assert 0 < guarantee < limit
    assert 0 < cpu["guarantee"] < cpu["limit"] <= 4
    measured = json.loads(MEASURED.read_text())
    assert measured["learners"] == 30 and measured["finished_without_error"] == 30
    mib = 1024 * 1024
    assert guarantee >= measured["learner_peak_mib_median"] * mib
    assert limit >= 2 * measured["learner_peak_mib_max"] * mib  # headroom for a bigger log
    # a class runs the notebook together: each learner's lesson CPU within about a minute
    assert cpu["guarantee"] >= measured["learner_cpu_s_median"] / 60


def test_idle_servers_are_culled(config):
    cull = config["cull"]
    assert cull["enabled"] is True
    assert 600 <= cull["timeout"] <= 4 * 3600
    assert 0 < cull["every"] <= cull["timeout"]


def test_the_image_is_the_course_built_by_repo2docker(config):
    image = config["singleuser"]["image"]
    assert image["name"] and str(image["tag"])
    assert config["singleuser"]["defaultUrl"] == "/lab"
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "-e ." in pip
    names = [str(d).split(">")[0].split("=")[0] for d in env["dependencies"]]
    assert "nbgitpuller" in names + pip, "the image needs nbgitpuller for the class links"


def test_the_sizing_tables_are_the_measured_class():
    """The README's and notebook 06's sizing paragraph and table are what hub_class.py
    derives from the committed measurement, word for word: not a copy of an older run."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import hub_class

    expected = hub_class.sizing_markdown(json.loads(MEASURED.read_text()))
    readme = (ROOT / "README.md").read_text()
    assert expected in readme, "README: paste `make bench-hub`'s sizing output"
    nb = json.loads((ROOT / "notebooks" / "06_for_trainers.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert any(expected in c for c in cells), "06_for_trainers: paste the sizing output"
