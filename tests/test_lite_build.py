"""How ``make lite`` (site/build_lite.py) packs the camera coach and the page policy, without
a browser: the site's wheel leaves the coach's large files out and carries their sums; the
files sit beside it in the site; every page refuses connections to other hosts.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import zipfile
from pathlib import Path

import pytest

from backcourse import coach

ROOT = Path(__file__).resolve().parent.parent
LITE = ROOT / "_build" / "lite"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_lite", ROOT / "site" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_lite = _load_builder()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fake_wheel(path: Path) -> Path:
    """A small wheel with the coach's files in it, as ``pip wheel`` makes the course's."""
    files = {
        "backcourse/__init__.py": b"",
        "backcourse/widgets/static/coach.js": b"export function startCoach() {}",
        "backcourse/widgets/static/coach/vision_wasm_internal.wasm": b"\0asm" * 100,
        "backcourse/widgets/static/coach/pose_landmarker_lite.task": b"model" * 100,
        "backcourse/widgets/static/coach/NOTICE.md": b"notice",
    }
    record = [f"{n},sha256=x,{len(b)}" for n, b in files.items()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.writestr("backcourse-1.0.dist-info/RECORD", "\n".join(record) + "\n")
    return path


def test_the_sites_wheel_leaves_the_large_files_out_and_carries_their_sums(tmp_path):
    wheel = fake_wheel(tmp_path / "backcourse-1.0-py3-none-any.whl")
    js = tmp_path / "coach.js"
    js.write_bytes(b"the coach")
    model = tmp_path / "pose_landmarker_lite.task"
    model.write_bytes(b"a model")
    notice = tmp_path / "NOTICE.md"
    notice.write_bytes(b"notice")
    build_lite.for_site(
        wheel, {"coach.js": js, "pose_landmarker_lite.task": model, "NOTICE.md": notice}
    )
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        manifest = z.read(build_lite.SITE_MANIFEST)
        record = z.read("backcourse-1.0.dist-info/RECORD").decode()
    assert not any(n.endswith((".wasm", ".task")) for n in names), names
    assert "backcourse/widgets/static/coach.js" in names  # small: stays (the kernel path)
    assert "backcourse/widgets/static/coach/NOTICE.md" in names
    got = json.loads(manifest)
    assert got == {
        "folder": "coach/",
        "sha256": {"coach.js": sha(b"the coach"), "pose_landmarker_lite.task": sha(b"a model")},
    }
    digest = base64.urlsafe_b64encode(hashlib.sha256(manifest).digest()).decode().rstrip("=")
    assert f"{build_lite.SITE_MANIFEST},sha256={digest},{len(manifest)}" in record
    assert ".wasm" not in record and ".task" not in record


def test_without_the_coach_the_sites_wheel_has_no_manifest(tmp_path):
    wheel = fake_wheel(tmp_path / "backcourse-1.0-py3-none-any.whl")
    build_lite.for_site(wheel, None)
    with zipfile.ZipFile(wheel) as z:
        assert build_lite.SITE_MANIFEST not in z.namelist()


def test_a_site_built_without_npm_has_no_coach_and_a_stale_one_stops_the_build(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(build_lite, "COACH_BUILT", tmp_path / "not-built")
    assert build_lite.coach_files() is None
    built = tmp_path / "built"
    built.mkdir()
    sums = dict(
        reversed(line.split()) for line in build_lite.COACH_SUMS.read_text().splitlines() if line
    )
    for name in [*sums, *build_lite.COACH_NOTICES]:
        (built / name).write_bytes(b"not what make coach builds")
    monkeypatch.setattr(build_lite, "COACH_BUILT", built)
    with pytest.raises(SystemExit, match="differs from coach/SHA256SUMS"):
        build_lite.coach_files()


def test_every_page_gets_the_policy_first_in_its_head(tmp_path):
    (tmp_path / "lab").mkdir()
    page = "<!DOCTYPE html>\n<html>\n  <head>\n    <script>fetch('x')</script>\n  </head></html>"
    for p in (tmp_path / "index.html", tmp_path / "lab" / "index.html"):
        p.write_text(page)
    assert build_lite.add_policy(tmp_path) == 2
    for p in (tmp_path / "index.html", tmp_path / "lab" / "index.html"):
        html = p.read_text()
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert meta and meta.group(1) == "connect-src 'self' blob: data:"
        assert html.index("Content-Security-Policy") < html.index("<script>")
    assert build_lite.add_policy(tmp_path) == 2  # built again: still one policy per page
    assert (tmp_path / "index.html").read_text().count("Content-Security-Policy") == 1


@pytest.mark.skipif(
    not (LITE / "coach" / "SHA256SUMS").is_file(), reason="make lite (with make coach) not run"
)
def test_the_built_site_carries_the_files_its_wheel_names():
    """The files in the built site are byte for byte the ones the wheel's sums name (the
    page refuses any other), and they are the package's own."""
    lock = json.loads((LITE / "static" / "pyodide" / "pyodide-lock.json").read_text())
    wheel = LITE / "static" / "pyodide" / lock["packages"]["backcourse"]["file_name"]
    with zipfile.ZipFile(wheel) as z:
        manifest = json.loads(z.read(build_lite.SITE_MANIFEST))
        assert not [n for n in z.namelist() if n.endswith((".wasm", ".task", ".mjs"))]
    folder = LITE / manifest["folder"]
    assert set(manifest["sha256"]) == {"coach.js", *coach.ASSET_NAMES}
    for name, want in manifest["sha256"].items():
        assert sha((folder / name).read_bytes()) == want, name
    for name in coach.ASSET_NAMES:
        assert (folder / name).read_bytes() == (coach.ASSETS / name).read_bytes(), name
    for notice in ("LICENSE-Apache-2.0.txt", "NOTICE.md"):
        assert (folder / notice).is_file(), notice
    pages = [p for p in LITE.rglob("*.html") if "static" not in p.relative_to(LITE).parts]
    assert pages
    for page in pages:
        assert "connect-src 'self' blob: data:" in page.read_text(), page
