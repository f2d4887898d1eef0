"""A class on a JupyterHub: two learners follow the trainer's nbgitpuller link and run a lesson.

A real (throw-away) JupyterHub starts on this machine with configurable-http-proxy and
SimpleLocalProcessSpawner (tests/hub/jupyterhub_config.py). The course is turned into a
git repository in a temporary folder, exactly as the working tree is now; the nbgitpuller
link comes from ``backcourse.trainer.launch_links``. Each learner logs in, lands in
JupyterLab with their own copy of the course, runs a lesson notebook top to bottom in their
own server, and must see no error. A screenshot of each is saved in build/screenshots/.

Needs: pip ``jupyterhub`` and ``nbgitpuller``; npm ``configurable-http-proxy``
(``npm ci --prefix tests/hub``); ``git``; Debian's ``chromium``. Skipped when any is
missing, unless BACKCOURSE_REQUIRE_BROWSER is set (CI), where it fails instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port

from backcourse.trainer import launch_links

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.hub]

ROOT = Path(__file__).resolve().parent.parent
HUB_FILES = ROOT / "tests" / "hub"
SHOTS = ROOT / "build" / "screenshots"
USERS = ("bcuser1", "bcuser2")
PASSWORD = "back-course-class"  # a throw-away hub on 127.0.0.1, gone when the test ends
LESSONS = ("notebooks/04_program_design.ipynb", "notebooks/00_start_here.ipynb")
# Keep JupyterLab quiet and simple to drive: no news pop-up, every cell in the page.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
SECOND = 1000  # Playwright counts milliseconds


def _missing(what: str) -> None:
    message = f"the JupyterHub test needs {what}"
    if os.environ.get("BACKCOURSE_REQUIRE_BROWSER"):
        pytest.fail(message + " (BACKCOURSE_REQUIRE_BROWSER is set)")
    pytest.skip(message)


def _proxy_command() -> str | None:
    local = HUB_FILES / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(local) if local.exists() else shutil.which("configurable-http-proxy")


def _course_repository(dest: Path) -> Path:
    """The course as it is now (tracked and new files, nothing ignored) as a git repository."""
    git = ["git", "-c", "user.name=backcourse tests", "-c", "user.email=tests@localhost"]
    if (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\0")
        files = [f for f in listed if f and "node_modules/" not in f and (ROOT / f).is_file()]
        for f in files:
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dest / f)
    else:  # an unpacked archive: copy what a clone would hold
        shutil.copytree(
            ROOT,
            dest,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                ".venv",
                ".git",
                "node_modules",
                "build",
                "__pycache__",
                ".*_cache",
                ".hypothesis",
            ),
        )
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "course for the hub test"], cwd=dest, check=True)
    return dest


def _wait_for(url: str, seconds: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"JupyterHub did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A running JupyterHub: yields (url, its folder, the course repository)."""
    for module in ("jupyterhub", "nbgitpuller"):
        if importlib.util.find_spec(module) is None:
            _missing(f"the {module} package (pip install {module})")
    proxy = _proxy_command()
    if proxy is None:
        _missing("configurable-http-proxy (npm ci --prefix tests/hub)")
    if shutil.which("git") is None:
        _missing("git")
    singleuser = Path(sys.executable).with_name("jupyterhub-singleuser")
    if not singleuser.exists():
        _missing(f"jupyterhub-singleuser next to {sys.executable}")

    here = tmp_path_factory.mktemp("hub")
    course = _course_repository(tmp_path_factory.mktemp("origin") / "course")
    for user in USERS:  # each learner's JupyterLab settings, in their own home
        labconfig = here / "home" / user / ".jupyter" / "labconfig"
        labconfig.mkdir(parents=True)
        (labconfig / "default_setting_overrides.json").write_text(json.dumps(LAB_OVERRIDES))
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "BC_HUB_DIR": str(here),
        "BC_HUB_PORT": str(port),
        "BC_HUB_API_PORT": str(free_port()),
        "BC_HUB_PROXY_API_PORT": str(free_port()),
        "BC_HUB_PROXY": proxy,
        "BC_HUB_SINGLEUSER": str(singleuser),
        "BC_HUB_USERS": ",".join(USERS),
        "BC_HUB_PASSWORD": PASSWORD,
    }
    log = (here / "jupyterhub.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(HUB_FILES / "jupyterhub_config.py")],
        cwd=here,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/hub/api/", 90, proc)
        yield url, here, course
    finally:
        _stop(proc, here)
        log.close()


def _stop(proc: subprocess.Popen, here: Path) -> None:
    """Stop the hub (it stops the learners' servers and the proxy), then anything left over."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    pid_file = here / "proxy.pid"
    if pid_file.exists():
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


STATE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = panel ? [...panel.querySelectorAll('.jp-CodeCell')] : [];
  const out = {cells: cells.length, pending: 0, unrun: [], errors: []};
  cells.forEach((c, i) => {
    const prompt = (c.querySelector('.jp-InputPrompt') || {}).textContent || '';
    const code = ((c.querySelector('.cm-content') || {}).textContent || '').trim();
    if (prompt.includes('*')) out.pending += 1;
    else if (code && !/\\[\\d+\\]/.test(prompt)) out.unrun.push(i);
    c.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(e => {
      if (/Traceback|Error/.test(e.textContent)) out.errors.push(e.textContent.slice(0, 400));
    });
  });
  return out;
}"""


def _run_all(page, user: str, seconds: float = 300) -> None:
    """Run every cell; fail fast on an error or when nothing runs, with what the page shows."""
    _menu(page, "Edit", "Clear Outputs of All Cells")
    _menu(page, "Run", "Run All Cells")
    start = last_change = time.monotonic()
    previous = None
    while time.monotonic() - start < seconds:
        state = page.evaluate(STATE)
        if state["cells"] and not state["pending"] and not state["unrun"]:
            return
        if state["errors"] and not state["pending"]:
            raise AssertionError(f"{user}: a cell raised: {state['errors'][0]}")
        if state != previous:
            previous, last_change = state, time.monotonic()
        elif time.monotonic() - last_change > 60:
            raise AssertionError(f"{user}: the notebook stopped running: {state}")
        page.wait_for_timeout(500)
    raise AssertionError(f"{user}: the notebook did not finish in {seconds} s: {previous}")


def _learner_runs_the_lesson(browser, url: str, here: Path, course: Path, user: str, lesson: str):
    link = launch_links(f"file://{course}", hub=url, notebook=lesson)["nbgitpuller"]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60 * SECOND)
    try:
        page.goto(link)
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.locator("input[type=submit], button[type=submit]").first.click()
        # The hub starts this learner's server, nbgitpuller clones the course, JupyterLab opens.
        page.wait_for_url(f"**/user/{user}/lab/**", timeout=240 * SECOND)
        home = here / "home" / user
        assert (home / "course" / ".git").is_dir(), f"{user}: the course was not pulled"
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        panel.locator(".jp-CodeCell").first.wait_for(timeout=120 * SECOND)
        # The kernel is ready when the status bar says so (the toolbar says idle too early).
        page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(
            timeout=120 * SECOND
        )
        _run_all(page, user)
        panel.locator(".jp-Notebook").click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")
        page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").wait_for(state="detached")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"hub-{user}.png"))
        assert f"/user/{user}/" in page.url
        return json.loads((home / "course" / lesson).read_text(encoding="utf-8"))
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"hub-{user}-failed.png"))
        log = here / "jupyterhub.log"
        print(log.read_text(errors="replace")[-6000:] if log.exists() else "no hub log")
        raise
    finally:
        context.close()


def test_two_learners_pull_the_course_and_run_a_lesson(hub, browser):
    url, here, course = hub
    lesson = next((n for n in LESSONS if (course / n).is_file()), None)
    if lesson is None:
        pytest.skip(f"none of {', '.join(LESSONS)} exists yet")
    for user in USERS:
        nb = _learner_runs_the_lesson(browser, url, here, course, user, lesson)
        code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        assert code, f"{lesson} has no code to run"
        not_run = [i for i, c in enumerate(code) if c.get("execution_count") is None]
        assert not not_run, f"{user}: code cells {not_run} of {lesson} did not run"
        errors = [
            f"{o.get('ename')}: {o.get('evalue')}"
            for c in code
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert not errors, f"{user}: {lesson} raised {errors}"
    # Each learner has a copy of their own, in their own home.
    copies = [here / "home" / user / "course" / lesson for user in USERS]
    assert all(p.is_file() for p in copies) and copies[0] != copies[1]
