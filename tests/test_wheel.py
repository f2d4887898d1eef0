"""The course as a real wheel: ``pip install .`` (not ``-e .``) gives a working course.

The wheel is built from the checkout, installed into a fresh virtual environment (no system
site-packages, no checkout on the path) and the course is loaded from a folder outside the
checkout. JupyterLite installs this same wheel in the browser, so its requirements must not
drag a server into Pyodide.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(*args: str | os.PathLike[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT, cwd=out)
    (built,) = out.glob("backcourse-*.whl")
    return built


def test_wheel_carries_every_course_data_file_unchanged(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for src in sorted((ROOT / "course_data").glob("*.yaml")):
            inside = f"backcourse/course_data/{src.name}"
            assert inside in names, f"{src.name} is not in the wheel"
            assert z.read(inside) == src.read_bytes(), f"{inside} differs from {src}"
    # Every file of the package in the checkout (code, templates, widget .js/.css) ships too.
    tracked = subprocess.run(
        ["git", "ls-files", "backcourse"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    files = tracked or [str(f.relative_to(ROOT)) for f in (ROOT / "backcourse").rglob("*.py")]
    missing = sorted(f for f in files if f not in names and not Path(f).name.startswith("."))
    assert not missing, f"not in the wheel: {missing}"


def test_wheel_requires_no_server_in_the_browser(wheel: Path) -> None:
    """Pyodide (sys_platform 'emscripten') must not be asked for JupyterLab."""
    with zipfile.ZipFile(wheel) as z:
        meta_name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(z.read(meta_name).decode())
    requires = meta.get_all("Requires-Dist") or []
    lab = [r for r in requires if r.lower().startswith("jupyterlab") and "extra" not in r]
    assert lab, f"jupyterlab is not a requirement any more: {requires}"
    assert all("sys_platform != 'emscripten'" in r.replace('"', "'") for r in lab), lab


def test_installed_wheel_loads_the_course_outside_the_checkout(wheel: Path, tmp_path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    py = venv / "bin" / "python"
    # Only what loading the course and planning a routine import (a full install brings
    # JupyterLab, which this test does not need): pip's cache keeps this quick.
    _run(py, "-m", "pip", "install", "-q", "--no-deps", wheel, cwd=tmp_path)
    _run(py, "-m", "pip", "install", "-q", "pyyaml>=6", "jinja2>=3.1", cwd=tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BACKCOURSE_DATA")}
    script = (
        "import json, backcourse\n"
        "from backcourse import load_course\n"
        "from backcourse.catalog import default_data_dir\n"
        "c = load_course()\n"
        "print(json.dumps({'module': backcourse.__file__, 'data': str(default_data_dir()),"
        " 'exercises': sorted(c.exercises), 'sources': len(c.sources)}))\n"
    )
    got = json.loads(_run(py, "-c", script, cwd=outside, env=env))
    site = str(venv)
    assert got["module"].startswith(site), f"imported from {got['module']}, not the venv"
    assert got["data"].startswith(site), f"course data read from {got['data']}"
    assert not got["data"].startswith(str(ROOT)), "the installed course read the checkout"
    # Oracle: the ids written in the checkout's exercises.yaml, read as plain YAML.
    import yaml

    raw = yaml.safe_load((ROOT / "course_data" / "exercises.yaml").read_text(encoding="utf-8"))
    entries = raw["exercises"] if isinstance(raw, dict) else raw
    assert got["exercises"] == sorted(e["id"] for e in entries)
    assert got["sources"] > 0
