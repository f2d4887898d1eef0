"""The ways in with nothing installed: README's launch links, environment.yml, pyproject.toml.

A Binder or nbgitpuller link that points at a notebook we renamed opens an empty page; an
import that environment.yml does not provide breaks Binder on the first cell. Both fail
here instead.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from backcourse.trainer import APP_NOTEBOOK, START_NOTEBOOK, launch_links

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://[^\s)<>`\"'|\]]+")

# Import name -> the distributions that provide it (any one will do). A distribution that
# depends on another provides it too: matplotlib brings numpy, ipywidgets brings traitlets.
PROVIDERS: dict[str, set[str]] = {
    "yaml": {"pyyaml"},
    "IPython": {"ipython", "ipykernel", "jupyterlab"},
    "ipywidgets": {"ipywidgets"},
    "traitlets": {"traitlets", "ipywidgets"},
    "matplotlib": {"matplotlib"},
    "mpl_toolkits": {"matplotlib"},
    "numpy": {"numpy", "matplotlib"},
    "PIL": {"pillow", "matplotlib"},
    "nbformat": {"nbformat", "jupyterlab"},
    "jupyterlab": {"jupyterlab"},
    "voila": {"voila"},
    "fpdf": {"fpdf2"},  # the PDF handout
    "fontTools": {"fonttools", "fpdf2", "matplotlib"},  # both bring it
    "markupsafe": {"markupsafe", "jinja2"},  # jinja2 brings it
    "icalendar": {"icalendar"},  # the calendar export
}
# conda-forge names that differ from the PyPI ones.
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    spec = spec.split("::")[-1]  # conda channel prefix
    name = re.split(r"[\s<>=!~;\[@]", spec.strip(), maxsplit=1)[0]
    return _norm(CONDA_NAMES.get(name, name))


# --------------------------------------------------------------------------- README links


def readme_links() -> list[str]:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet, so there are no launch links to check")
    links = [
        u.rstrip(".,;")
        for u in URL.findall(readme.read_text(encoding="utf-8"))
        if "urlpath=" in u and ("mybinder.org" in u or "git-pull" in u)
    ]
    if not links:
        pytest.skip("README.md has no Binder or nbgitpuller launch links yet")
    return links


def link_target(url: str) -> str:
    """The repository file a launch link opens."""
    query = parse_qs(urlsplit(url).query)
    assert "urlpath" in query, f"{url}: no urlpath"
    urlpath = query["urlpath"][0].lstrip("/")
    match = re.match(r"(?:lab/tree|voila/render|tree|notebooks)/(.+)", urlpath)
    assert match, f"{url}: urlpath {urlpath!r} opens neither JupyterLab nor Voila"
    path = match.group(1)
    if "git-pull" in url:
        # nbgitpuller clones into a folder named after the repository: drop that folder.
        for key in ("repo", "branch"):
            assert query.get(key), f"{url}: nbgitpuller needs {key}="
        folder = query["repo"][0].rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
        first, _, rest = path.partition("/")
        assert first == folder, f"{url}: urlpath should start with the clone folder {folder!r}"
        path = rest
    return path


def test_readme_has_each_kind_of_link():
    links = readme_links()
    kinds = {
        "Binder JupyterLab": [u for u in links if "mybinder.org" in u and "lab/tree/" in u],
        "Binder Voila app": [u for u in links if "mybinder.org" in u and "voila/render/" in u],
        "nbgitpuller": [u for u in links if "/hub/user-redirect/git-pull?" in u],
    }
    missing = [k for k, found in kinds.items() if not found]
    assert not missing, f"README.md lacks a {', '.join(missing)} link"


def test_every_readme_link_opens_a_file_that_exists():
    for url in readme_links():
        target = link_target(url)
        assert (ROOT / target).is_file(), f"{url} opens {target}, which is not in the repository"


def test_readme_links_match_the_ones_the_trainer_notebook_makes():
    links = readme_links()
    binder = next(u for u in links if "mybinder.org/v2/gh/" in u)
    owner, repo, branch = urlsplit(binder).path.split("/")[3:6]
    made = launch_links(f"https://github.com/{owner}/{repo}", branch=branch, hub="https://HUB")
    for key in ("binder_lab", "binder_app"):
        assert made[key] in links, f"README.md should carry {made[key]}"
    pulls = [u for u in links if "git-pull" in u]
    assert {link_target(u) for u in pulls} == {link_target(made["nbgitpuller"])}


def test_launch_links_for_other_hosts_and_lessons():
    links = launch_links(
        "https://gitlab.com/team/backcourse.git",
        branch="spring",
        hub="https://hub.example.org/",
        notebook="notebooks/03_exercise_technique.ipynb",
    )
    assert links["binder_lab"].startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgitlab.com%2Fteam%2Fbackcourse.git/spring?"
    )
    assert link_target(links["binder_lab"]) == "notebooks/03_exercise_technique.ipynb"
    assert link_target(links["binder_app"]) == APP_NOTEBOOK
    pull = links["nbgitpuller"]
    assert pull.startswith("https://hub.example.org/hub/user-redirect/git-pull?")
    assert parse_qs(urlsplit(pull).query)["branch"] == ["spring"]
    assert link_target(pull) == "notebooks/03_exercise_technique.ipynb"
    assert START_NOTEBOOK in launch_links("https://github.com/a/b")["binder_lab"]
    assert "nbgitpuller" not in launch_links("https://github.com/a/b")


# --------------------------------------------------------------------------- dependencies


def _modules(source: str) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def _notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        # IPython magics and shell escapes are not Python.
        lines += [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        lines.append("")
    return "\n".join(lines)


def third_party_imports() -> dict[str, list[str]]:
    """Import name -> files that import it, for backcourse/ and notebooks/."""
    found: dict[str, list[str]] = {}
    sources = [(p, p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("backcourse/**/*.py"))]
    sources += [(p, _notebook_code(p)) for p in sorted(ROOT.glob("notebooks/*.ipynb"))]
    # Pyodide's own bridge modules: part of the browser runtime, never installed by pip.
    ours = {"backcourse", "__future__", "js", "pyodide"}
    for path, text in sources:
        for mod in _modules(text) - ours - set(sys.stdlib_module_names):
            found.setdefault(mod, []).append(str(path.relative_to(ROOT)))
    return found


def _unprovided(declared: set[str]) -> list[str]:
    missing = []
    for mod, files in sorted(third_party_imports().items()):
        wanted = {_norm(n) for n in PROVIDERS.get(mod, {mod})}
        if not wanted & declared:
            missing.append(
                f"{mod} (imported by {', '.join(files[:3])}; "
                f"declare one of {', '.join(sorted(wanted))})"
            )
    return missing


def test_the_scan_sees_the_imports_we_know_about():
    found = third_party_imports()
    assert {"yaml", "ipywidgets", "matplotlib"} <= set(found)
    assert "backcourse" not in found and "os" not in found


def test_environment_yml_provides_every_import():
    env_file = ROOT / "environment.yml"
    if not env_file.exists():
        pytest.skip("environment.yml is not written yet")
    env = yaml.safe_load(env_file.read_text(encoding="utf-8"))
    declared: set[str] = set()
    for dep in env.get("dependencies", []):
        if isinstance(dep, str):
            declared.add(_requirement_name(dep))
        elif isinstance(dep, dict):
            declared |= {
                _requirement_name(d)
                for d in dep.get("pip", [])
                if not d.startswith(("-", ".", "/"))
            }
    missing = _unprovided(declared)
    assert not missing, "environment.yml does not provide: " + "; ".join(missing)


def test_pyproject_provides_every_import():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_requirement_name(d) for d in project.get("dependencies", [])}
    missing = _unprovided(declared)
    assert not missing, "pyproject.toml [project] dependencies lack: " + "; ".join(missing)


def test_requirement_names_are_read_the_way_installers_read_them():
    assert _requirement_name("conda-forge::matplotlib-base>=3.7") == "matplotlib"
    assert _requirement_name("PyYAML >= 6") == "pyyaml"
    assert _requirement_name("jupyter_server[test]>=2") == "jupyter-server"
    assert _requirement_name("python=3.11") == "python"
