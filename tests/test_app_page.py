"""The Voila app's page script (app_page/ -> share/jupyter/voila/templates/backcourse/static/).

The built files are committed, so the app needs no npm; these tests check that they are what
the pinned sources build, and that the widget front ends they bundle speak the versions of
the Python packages the course installs (a mismatch shows the learner a broken widget).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "app_page"
STATIC = ROOT / "share" / "jupyter" / "voila" / "templates" / "backcourse" / "static"
BUILT = ("app.js", "app.css", "app.licenses.txt")
# ipywidgets' own table: each major release of the Python package and the majors of the
# browser packages that speak its protocol (ipywidgets 8: base 6, controls 5).
WIDGET_FRONT_ENDS = {8: {"@jupyter-widgets/base": 6, "@jupyter-widgets/controls": 5}}


def _locked(name: str) -> str:
    lock = json.loads((SOURCE / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{name}"]["version"]


def test_every_npm_package_is_pinned_to_one_release() -> None:
    """A range would let a rebuild take another release than the lock file's."""
    pkg = json.loads((SOURCE / "package.json").read_text())
    loose = {n: v for n, v in pkg["dependencies"].items() if not re.fullmatch(r"\d+\.\d+\.\d+", v)}
    assert not loose, f"app_page/package.json: pin these to one release: {loose}"
    for name, pinned in pkg["dependencies"].items():
        assert _locked(name) == pinned, f"{name}: package.json {pinned}, lock {_locked(name)}"


def test_the_page_bundles_the_front_ends_of_the_installed_widget_packages() -> None:
    ipywidgets_major = int(version("ipywidgets").split(".")[0])
    assert ipywidgets_major in WIDGET_FRONT_ENDS, f"ipywidgets {version('ipywidgets')}"
    for name, major in WIDGET_FRONT_ENDS[ipywidgets_major].items():
        assert int(_locked(name).split(".")[0]) == major, (name, _locked(name))
    # anywidget's Python half asks for "~X.Y.*" of its browser half: the same minor release.
    import anywidget

    wanted = anywidget.AnyWidget().get_state()["_model_module_version"]
    match = re.fullmatch(r"~(\d+)\.(\d+)\.\*", wanted)
    assert match, wanted
    assert _locked("anywidget").split(".")[:2] == list(match.groups()), (
        f"the Python anywidget asks for {wanted}; the page bundles {_locked('anywidget')}"
    )
    # ... and the page registers anywidget's classes under the release it bundles.
    source = (SOURCE / "src" / "index.js").read_text()
    registered = re.search(r"ANYWIDGET_VERSION = '([^']+)'", source)
    assert registered and registered.group(1) == _locked("anywidget"), registered


def test_the_licences_file_names_every_package_the_page_is_built_from() -> None:
    text = (STATIC / "app.licenses.txt").read_text()
    pkg = json.loads((SOURCE / "package.json").read_text())
    for name in pkg["dependencies"]:
        if name == "esbuild":  # the build tool: none of its code is in the page
            continue
        assert f"\n{name} {_locked(name)} (" in text, f"{name} is not in app.licenses.txt"


@pytest.mark.slow
def test_the_committed_page_is_what_the_pinned_sources_build(tmp_path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm not found: cannot rebuild the page to compare")
    work = tmp_path / "app_page"
    shutil.copytree(SOURCE, work, ignore=shutil.ignore_patterns("node_modules"))
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=work, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    out = tmp_path / "static"
    out.mkdir()
    subprocess.run(["node", "build.mjs", str(out)], cwd=work, check=True, timeout=300)
    for name in BUILT:
        assert (out / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"{name} is not what app_page/ builds: run `make app-page` and commit the result"
        )
    assert sorted(p.name for p in STATIC.iterdir()) == sorted(BUILT)
