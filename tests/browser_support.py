"""Helpers for the browser tests: throw-away JupyterLab and Voila servers, and Playwright steps.

Servers run from a temporary COPY of ``notebooks/`` and ``course_data/``, with their own
Jupyter, IPython and matplotlib folders and their own Lab settings, so a test run never
edits a committed notebook or the learner's settings. Nothing here downloads anything.

Typical use::

    server = start_lab(copy_course(tmp))             # JupyterLab, ready to use
    page = open_notebook(context, server, "00_start_here.ipynb")
    run_all_cells(page)
    wait_kernel_idle(page)
    assert not error_outputs(page)
    drive_red_flag_check(page.locator(".bc-redflags").first, course)
    screenshot(page, "lab-00")
    close_notebook(page, server)                     # shuts its kernel down
    server.stop()

The ``drive_*`` functions act like a learner on one app, found by its ``bc-<app>`` CSS
classes (documented in each ``backcourse/widgets/<module>.py``), and raise AssertionError
with what was expected and what the page showed.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCREENSHOTS = "/tmp/backcourse-screens"
# Debian's Chromium, driven by Playwright (never `playwright install`), for the tests and
# the benchmarks alike; no background traffic to other hosts.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Lab settings for tests: no news or update pop-ups, and every cell kept in the page (no
# virtual scrolling), so error outputs and widgets below the fold are in the DOM.
LAB_SETTING_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ERROR_SELECTOR = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
    ".jp-OutputArea-output.jp-mod-error"
)
WIDGET_SELECTOR = ".jupyter-widgets, .widget-box"
BROKEN_WIDGET = re.compile(r"Error displaying widget|Failed to load model class|model not found")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Said by the kernel when Lab's widget manager connects before ipywidgets is imported: noise.
COMM_NOISE = re.compile(r"^No such comm( target registered)?:")


# =========================================================================== servers


def free_port() -> int:
    """A TCP port on localhost that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_course(dest: Path) -> Path:
    """Copy the repository's notebooks/ and course_data/ into ``dest``; return ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for sub in ("notebooks", "course_data"):
        src = ROOT / sub
        if src.is_dir():
            shutil.copytree(
                src,
                dest / sub,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.sqlite3"),
            )
    return dest


def isolated_env(state: Path) -> dict[str, str]:
    """Environment for a server and its kernels: private Jupyter/IPython/matplotlib folders
    and progress log under ``state``."""
    env = dict(os.environ)
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTER_DATA_DIR": "data",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "mpl",
    }
    if env.get("MPLCONFIGDIR", "").startswith(tempfile.gettempdir()):
        # The test session's own temporary matplotlib folder (conftest): share it, so the
        # font cache is built once per run rather than once per server (seconds each).
        del folders["MPLCONFIGDIR"]
    for var, sub in folders.items():
        (state / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(state / sub)
    env["BACKCOURSE_LOG"] = str(state / "progress.sqlite3")
    # A learner's kernel draws figures inline; the test-wide MPLBACKEND=Agg would make
    # plt.show() warn on stderr, which no learner sees.
    env.pop("MPLBACKEND", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (kernels run in their own sessions, so killpg misses them)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@dataclass
class Server:
    """A Jupyter server (JupyterLab or Voila) that this test run started on localhost."""

    kind: str
    base_url: str  # "http://127.0.0.1:PORT/"
    token: str
    root_dir: Path
    state_dir: Path
    proc: subprocess.Popen
    log_path: Path
    _owned_dirs: list[Path] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        """Absolute URL for ``path`` (no leading slash needed), with the token."""
        u = self.base_url + path.lstrip("/")
        if self.token:
            u += ("&" if "?" in u else "?") + "token=" + self.token
        return u

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10) -> Any:
        """Call the server's REST API; return the decoded JSON (None for an empty reply)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path.lstrip("/"), data=data, method=method)
        if self.token:
            req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def log(self, last: int = 4000) -> str:
        """The end of the server's output (for failure messages)."""
        try:
            return self.log_path.read_text(errors="replace")[-last:]
        except OSError:
            return ""

    def shutdown_kernels(self) -> int:
        """Delete every session (shutting its kernel down) and any stray kernel; return how
        many were stopped."""
        n = 0
        for s in self.api("GET", "api/sessions") or []:
            self.api("DELETE", f"api/sessions/{s['id']}", timeout=30)
            n += 1
        for k in self.api("GET", "api/kernels") or []:
            self.api("DELETE", f"api/kernels/{k['id']}", timeout=30)
            n += 1
        return n

    def stop(self, timeout: float = 15) -> None:
        """Stop the server and its kernels (SIGTERM, then SIGKILL) and remove its folders."""
        if self.proc.poll() is None:
            if self.kind == "lab":
                with contextlib.suppress(OSError, urllib.error.URLError):
                    self.shutdown_kernels()
            below = _descendants(self.proc.pid)
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            for pid in below:  # kernels the server did not manage to stop
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for d in self._owned_dirs:
            shutil.rmtree(d, ignore_errors=True)


def _spawn(
    kind: str, argv: list[str], cwd: Path, port: int, token: str, state: Path, root: Path
) -> Server:
    log_path = state / f"{kind}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=isolated_env(state),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, which stop() signals
        )
    return Server(kind, f"http://127.0.0.1:{port}/", token, root, state, proc, log_path)


def wait_ready(server: Server, path: str, timeout: float = 60) -> None:
    """Poll ``path`` until it answers 200; fail early if the server exits."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"{server.kind} server exited with {server.proc.returncode}:\n{server.log()}"
            )
        try:
            # A fresh server can take a while over its first request: keep a timeout on it.
            with urllib.request.urlopen(server.url(path), timeout=15) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = repr(exc)
        time.sleep(0.25)
    raise TimeoutError(f"{server.kind} not ready after {timeout:.0f} s ({last}):\n{server.log()}")


def start_lab(root_dir: Path, *, timeout: float = 60) -> Server:
    """Start JupyterLab on a free localhost port with a random token, serving ``root_dir``,
    and wait until it answers. Its settings come from a private folder holding
    ``overrides.json`` (see LAB_SETTING_OVERRIDES)."""
    root_dir = Path(root_dir)
    state = Path(tempfile.mkdtemp(prefix="backcourse-lab-"))
    settings = state / "lab-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(LAB_SETTING_OVERRIDES, indent=1))
    port, token = 0, secrets.token_hex(16)  # _start picks the port
    argv = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.app_settings_dir={settings}",
        f"--LabApp.user_settings_dir={state / 'user-settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    return _start("lab", argv, root_dir, token, state, root_dir, ("api/status", "lab"), timeout)


def start_voila(
    notebook: Path, *, timeout: float = 60, extra: Sequence[str] = (), root: Path | None = None
) -> Server:
    """Start Voila serving one notebook (at ``server.url()``) on a free localhost port with a
    random token; wait until the server answers. The notebook itself runs per page load.

    With ``root``, Voila starts in ``root`` (a folder above the notebook) and so reads the
    ``voila.json`` there, as ``make app`` does: the app's own template and preheated kernel.
    """
    notebook = Path(notebook)
    cwd = Path(root) if root is not None else notebook.parent
    state = Path(tempfile.mkdtemp(prefix="backcourse-voila-"))
    port, token = 0, secrets.token_hex(16)  # _start picks the port
    argv = [
        str(BIN / "voila"),
        str(notebook.relative_to(cwd)) if root is not None else notebook.name,
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        "--VoilaConfiguration.show_tracebacks=True",
        *extra,
    ]
    # Voila has no status API; its page script answers once the server is up, and asking
    # for it starts no kernel.
    ready = ("voila/static/voila.js",)
    return _start("voila", argv, cwd, token, state, cwd, ready, timeout)


def _start(kind, argv, cwd, token, state, root, ready_paths, timeout) -> Server:
    """Spawn, wait for ``ready_paths``; on an early exit (say another program took the free
    port first) try again on a new port, up to three times."""
    for attempt in range(3):
        port = free_port()
        argv = [re.sub(r"(\.port=)\d+$", rf"\g<1>{port}", a) for a in argv]
        server = _spawn(kind, argv, cwd, port, token, state, root)
        try:
            for path in ready_paths:
                wait_ready(server, path, timeout)
        except RuntimeError:  # exited
            server.stop()
            if attempt == 2:
                raise
            continue
        except BaseException:
            server._owned_dirs.append(state)
            server.stop()
            raise
        server._owned_dirs.append(state)
        return server
    raise AssertionError("unreachable")


# =========================================================================== kernel messages


@dataclass
class KernelMessage:
    msg_type: str
    parent_type: str
    content: dict


def parse_kernel_frame(payload: str | bytes) -> tuple[str, dict, dict, dict] | None:
    """(channel, header, parent_header, content) of one kernel websocket frame, either the
    v1 binary protocol (Lab 4, Voila) or plain JSON; None if it cannot be read."""
    try:
        if isinstance(payload, str):
            m = json.loads(payload)
            return m.get("channel", ""), m["header"], m.get("parent_header") or {}, m["content"]
        n = int.from_bytes(payload[:8], "little")
        offsets = [int.from_bytes(payload[8 + 8 * i : 16 + 8 * i], "little") for i in range(n)]
        parts = [payload[a:b] for a, b in itertools.pairwise(offsets)]
        channel = parts[0].decode()
        header, parent, _meta, content = (json.loads(p) for p in parts[1:5])
        return channel, header, parent, content
    except (ValueError, KeyError, IndexError, UnicodeDecodeError):
        return None


class KernelLog:
    """Records the kernel's error and stream messages a page receives over its websockets.

    A widget callback that raises shows nothing in the notebook (JupyterLab sends it to the
    log console), so the browser tests read it from here.
    """

    def __init__(self) -> None:
        self.messages: list[KernelMessage] = []
        self.state = ""  # the kernel's last execution_state: "busy" or "idle"
        self.last_message = time.monotonic()

    def attach(self, page) -> KernelLog:
        page.on("websocket", self._on_websocket)
        page._bc_kernel_log = self
        return self

    def _on_websocket(self, ws) -> None:
        if "/api/kernels/" in ws.url and "/channels" in ws.url:
            ws.on("framereceived", self._on_frame)

    def _on_frame(self, payload) -> None:
        msg = parse_kernel_frame(payload)
        if msg is None:
            return
        channel, header, parent, content = msg
        self.last_message = time.monotonic()
        if channel == "iopub" and header.get("msg_type") == "status":
            self.state = content.get("execution_state", self.state)
        if channel == "iopub" and header.get("msg_type") in ("error", "stream"):
            self.messages.append(
                KernelMessage(header["msg_type"], parent.get("msg_type", ""), content)
            )

    def problems(self, *, outside_cells_only: bool = True) -> list[str]:
        """Tracebacks and stderr text, by default only those not shown in a cell (widget
        callbacks, comm handlers)."""
        out = []
        for m in self.messages:
            if outside_cells_only and m.parent_type == "execute_request":
                continue
            if m.msg_type == "error":
                tb = ANSI.sub("", "\n".join(m.content.get("traceback") or []))
                # The end of a callback's traceback is the part that names our code.
                tb = tb if len(tb) < 3000 else "...\n" + tb[-3000:]
                out.append(tb or f"{m.content.get('ename')}: {m.content.get('evalue')}")
            elif m.content.get("name") == "stderr":
                text = "\n".join(
                    line
                    for line in ANSI.sub("", m.content.get("text", "")).splitlines()
                    if line.strip() and not COMM_NOISE.match(line)
                )
                if text:
                    out.append(text)
        return out


def wait_kernel_quiet(page, timeout: float = 60, quiet: float = 0.5) -> None:
    """Wait until the page's kernel is idle and has sent nothing for ``quiet`` seconds, as
    seen on the websocket (works in Voila, which has no status bar). Use it after acting on
    a widget, before reading errors: a callback's traceback arrives after the change."""
    log = kernel_log(page)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)  # lets Playwright deliver pending websocket frames
        if log.state == "idle" and time.monotonic() - log.last_message >= quiet:
            return
    raise TimeoutError(f"kernel still busy after {timeout} s (last state {log.state!r})")


def kernel_log(page) -> KernelLog:
    """The KernelLog attached to ``page`` (by open_notebook / open_voila), or an empty one."""
    return getattr(page, "_bc_kernel_log", None) or KernelLog()


# =========================================================================== JupyterLab


def open_notebook(context, server: Server, name: str, *, timeout: float = 60):
    """Open ``notebooks/<name>`` in JupyterLab (``?reset``: no old workspace) in a new page
    of ``context``; return the page once the notebook shows and its kernel is idle."""
    page = context.new_page()
    page.set_default_timeout(timeout * 1000)
    KernelLog().attach(page)
    path = name if "/" in name else f"notebooks/{name}"
    page.goto(server.url(f"lab/tree/{path}?reset"), wait_until="domcontentloaded")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(state="attached")
    _accept_kernel_dialog(page, timeout)
    _wait_kernel_status(page, ("idle",), timeout)
    return page


def close_notebook(page, server: Server) -> None:
    """Shut the notebook's kernel down (REST API: DELETE the sessions) and close the page."""
    try:
        server.shutdown_kernels()
    finally:
        page.close()


def _accept_kernel_dialog(page, timeout: float) -> None:
    """A notebook without kernelspec makes Lab ask for a kernel: take the default."""
    deadline = time.monotonic() + min(timeout, 10)
    while time.monotonic() < deadline:
        if _kernel_status(page):
            return
        accept = page.locator(".jp-Dialog button.jp-mod-accept")
        if accept.count():
            accept.first.click()
            return
        page.wait_for_timeout(100)


def _kernel_status(page) -> str:
    """The kernel status from the status bar ("idle", "busy", ...), "" while no kernel.

    The toolbar's execution indicator says "idle" before a kernel exists, so the status bar
    item ("Python 3 (ipykernel) | Idle") is what counts.
    """
    return page.evaluate(
        """() => {
          for (const el of document.querySelectorAll('.jp-StatusBar-TextItem')) {
            const m = /^(.+) \\| (\\w[\\w ]*)$/.exec(el.textContent.trim());
            if (m && m[1] !== 'No Kernel') return m[2].toLowerCase();
          }
          return '';
        }"""
    )


def _wait_kernel_status(page, wanted: tuple[str, ...], timeout: float, settle: float = 0.3):
    deadline = time.monotonic() + timeout
    status, since = "", None
    while time.monotonic() < deadline:
        status = _kernel_status(page)
        if status in wanted:
            since = since or time.monotonic()
            if time.monotonic() - since >= settle:
                return
        else:
            since = None
        page.wait_for_timeout(50)
    raise TimeoutError(f"kernel status stayed {status!r} (wanted {wanted}) for {timeout} s")


def run_all_cells(page) -> None:
    """Run > Run All Cells, through the menu bar as a learner would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    menu = page.locator("#jp-mainmenu-run")
    item = menu.locator('.lm-Menu-item[data-command="runmenu:run-all"]')
    if not item.count():  # the command id differs between Lab versions; the label does not
        item = menu.locator(".lm-Menu-item").filter(
            has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
        )
    item.click()


def _prompts(page) -> list[str]:
    return page.locator(f"{PANEL} .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()


def wait_kernel_idle(page, timeout: float = 120, settle: float = 0.5) -> None:
    """Wait until no code cell is queued or running ([*]) and the kernel is idle, and both
    stay so for ``settle`` seconds."""
    deadline = time.monotonic() + timeout
    since = None
    while time.monotonic() < deadline:
        busy = sum("*" in p for p in _prompts(page))
        if not busy and _kernel_status(page) == "idle":
            since = since or time.monotonic()
            if time.monotonic() - since >= settle:
                return
        else:
            since = None
        page.wait_for_timeout(100)
    raise TimeoutError(
        f"kernel still busy after {timeout} s: prompts {_prompts(page)}, "
        f"status {_kernel_status(page)!r}"
    )


def unrun_cells(page) -> list[int]:
    """1-based positions (among code cells) of cells that have not run: prompt [ ]."""
    return [n for n, p in enumerate(_prompts(page), 1) if not re.search(r"\[\s*\d+\s*\]", p)]


def widget_view_errors(scope) -> list[str]:
    """Widgets whose view failed in the browser: ipywidgets draws a broken-image box that
    says "Click to show javascript error." and only shows the error when clicked."""
    out = []
    boxes = scope.locator(".jupyter-widgets-error-widget")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        try:
            box.click(timeout=5000)
            text = box.inner_text(timeout=5000)
        except Exception as exc:  # report what we can
            text = f"(could not read the error: {exc})"
        # Keep the message, drop the minified stack ("at N.update (http://...js:9:11780)").
        lines = [ln for ln in text.strip().splitlines() if not ln.strip().startswith("at ")]
        out.append("JavaScript error in a widget view: " + "\n".join(lines)[:1500])
    return out


def error_outputs(page) -> list[str]:
    """Text of every error in the open notebook: stderr and traceback outputs, widgets that
    failed to display (in Python or in the browser), and errors raised in widget callbacks
    (which JupyterLab keeps out of the cells)."""
    texts = page.locator(f"{PANEL} :is({ERROR_SELECTOR})").all_inner_texts()
    broken = page.locator(f"{PANEL} .jp-OutputArea-output", has_text=BROKEN_WIDGET)
    texts = [t.strip() for t in texts + broken.all_inner_texts() if t.strip()]
    return texts + widget_view_errors(page.locator(PANEL)) + kernel_log(page).problems()


def scroll_to_top(locator) -> None:
    """Scroll so that the element's top is at the top of its scrolling area."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG to $BACKCOURSE_SCREENSHOTS (default /tmp/backcourse-screens); return it."""
    folder = Path(os.environ.get("BACKCOURSE_SCREENSHOTS") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# =========================================================================== Voila


def open_voila(context, server: Server, *, timeout: float = 90):
    """Load the Voila app in a new page; return it once a widget has rendered."""
    page = context.new_page()
    page.set_default_timeout(timeout * 1000)
    KernelLog().attach(page)
    page.goto(server.url(), wait_until="domcontentloaded", timeout=timeout * 1000)
    page.locator(f"{WIDGET_SELECTOR}, .voila-error, .jp-OutputArea-output").first.wait_for()
    return page


def voila_errors(page) -> list[str]:
    """Error outputs on a Voila page, Voila's own error page, and callback errors."""
    # .bc-page-notice: the app page's own word that it has no kernel to answer it.
    texts = page.locator(f":is({ERROR_SELECTOR}), .voila-error, .bc-page-notice:not([hidden])")
    texts = texts.all_inner_texts()
    body = page.locator("body").inner_text()
    if "There was an error when executing cell" in body:
        texts.append(body[:3000])
    broken = page.locator(".jp-OutputArea-output", has_text=BROKEN_WIDGET).all_inner_texts()
    texts = [t.strip() for t in texts + broken if t.strip()]
    return texts + widget_view_errors(page.locator("body")) + kernel_log(page).problems()


# =========================================================================== widget drivers
# Each takes the app's top element (a Locator on .bc-<app>) and acts through the page.

CHANGE_TIMEOUT = 20_000  # ms for the kernel to answer one change


def _expect():
    from playwright.sync_api import expect

    return expect


def app_errors(app) -> list[str]:
    """Messages an app shows beside its fields (.bc-error); empty when all is well."""
    return [t.strip() for t in app.locator(".bc-error").all_inner_texts() if t.strip()]


def _text(loc) -> str:
    return loc.inner_text().strip()


def option_labels(select) -> list[str]:
    """The option labels of a <select> (ipywidgets writes spaces as no-break spaces)."""
    texts = select.locator("option").evaluate_all("os => os.map(o => o.textContent)")
    return [" ".join(t.replace("\xa0", " ").split()) for t in texts]


def choose_other_option(select, avoid: tuple[str, ...] = ()) -> str:
    """Pick, in a <select> (Dropdown or Select widget), the first option that is neither
    the current one nor labelled as in ``avoid``; return its label."""
    labels = option_labels(select)
    current = select.evaluate("s => s.selectedIndex")
    others = [i for i, t in enumerate(labels) if i != current and t not in avoid]
    assert others, f"nothing else to choose from: {labels} (current {current}, avoid {avoid})"
    i = others[0]
    select.select_option(index=i)
    return labels[i]


def click_toggle(toggles, label: str) -> None:
    """Press the ToggleButtons button labelled ``label`` and wait for it to show pressed."""
    button = toggles.locator("button.widget-toggle-button").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )
    assert button.count(), f"no button {label!r} in {toggles.all_inner_texts()}"
    button.first.click()
    _expect()(button.first).to_have_class(re.compile(r"\bmod-active\b"), timeout=CHANGE_TIMEOUT)


def set_int_text(box, value: int) -> None:
    """Type a number into an IntText/BoundedIntText and press Enter (it sends on change)."""
    field_ = box.locator("input").first
    field_.fill(str(value))
    field_.press("Enter")


def step_slider(box, steps: int) -> int:
    """Move an IntSlider's handle by ``steps`` (arrow keys on the focused handle); return
    the value it shows afterwards."""
    handle = box.locator(".noUi-handle").first
    start = float(handle.get_attribute("aria-valuenow"))
    handle.focus()
    for _ in range(abs(steps)):
        handle.press("ArrowRight" if steps > 0 else "ArrowLeft")
    _expect()(handle).not_to_have_attribute("aria-valuenow", f"{start:.1f}")
    return int(float(handle.get_attribute("aria-valuenow")))


def wait_until(probe, what: str, shown=lambda: "", timeout: float = CHANGE_TIMEOUT / 1000):
    """Call ``probe`` until it returns something truthy (returned); else AssertionError
    naming ``what`` and ``shown()``, what the page showed instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = probe()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {timeout:.0f} s; the page shows: {shown()!r}")


def wait_changed(loc, before: str, what: str) -> str:
    """Wait until ``loc``'s text differs from ``before``; return the new text."""
    deadline = time.monotonic() + CHANGE_TIMEOUT / 1000
    now = before
    while time.monotonic() < deadline:
        now = _text(loc)
        if now != before:
            return now
        time.sleep(0.1)
    raise AssertionError(f"{what} did not change within {CHANGE_TIMEOUT / 1000:.0f} s: {before!r}")


def drive_red_flag_check(app, course) -> None:
    """00: answer Yes to the first emergency question; emergency advice must appear in
    .bc-redflags-result (and under the question, .bc-redflags-urgent)."""
    tier = course.red_flag_tiers["emergency"]
    result = app.locator(".bc-redflags-result").first
    assert tier["title"] not in _text(result), (
        f"emergency advice shown before any answer: {_text(result)}"
    )
    row = app.locator(".bc-redflags-tier-emergency .bc-redflags-question").first
    click_toggle(row.locator(".bc-redflags-answer").first, "Yes")
    _expect()(result).to_contain_text(tier["title"], timeout=CHANGE_TIMEOUT)
    _expect()(app.locator(".bc-redflags-urgent").first).to_contain_text(tier["title"])
    _expect()(app.locator(".bc-redflags-status").first).to_contain_text("closed")
    assert not app_errors(app), app_errors(app)


def drive_muscle_explorer(app, course=None) -> None:
    """01: choose another muscle; the description and the figure's caption must change."""
    info = app.locator(".bc-muscles-info").first
    caption = app.locator(".bc-muscles-caption").first
    before, before_caption = _text(info), _text(caption)
    assert before, "the muscle description is empty before any choice"
    label = choose_other_option(app.locator(".bc-muscles-select select").first)
    after = wait_changed(info, before, f"description after choosing {label!r}")
    name = label.split(" (")[0]
    assert name.lower() in after.lower(), f"chose {label!r}, description says: {after[:300]}"
    wait_changed(caption, before_caption, "figure caption")
    assert not app_errors(app), app_errors(app)


def drive_exercise_browser(app, course) -> None:
    """03: choose a category; the list of matching exercises (.bc-browser-results) and its
    count must change, and the card (.bc-browser-cards) must show one of that kind."""
    results = app.locator(".bc-browser-results select").first
    count = app.locator(".bc-browser-count").first
    card = app.locator(".bc-browser-cards .bc-browser-card").first
    n_before = results.locator("option").count()
    count_before = _text(count)
    label = choose_other_option(app.locator(".bc-browser-category select").first, ("Any",))
    count_after = wait_changed(count, count_before, f"match count after choosing {label!r}")
    n_after = results.locator("option").count()
    assert n_after != n_before, f"still {n_after} exercises listed after choosing {label!r}"
    assert str(n_after) in count_after, f"{n_after} listed but the count says {count_after!r}"
    category = next(
        c
        for c in course.guidelines.labels["categories"]
        if course.guidelines.label("categories", c).capitalize() == label
    )
    names = {e.name for e in course.exercises.values() if e.category == category}
    shown = option_labels(results)
    assert set(shown) <= names, f"not {label!r}: {sorted(set(shown) - names)}"
    _expect()(card).to_contain_text(shown[0], timeout=CHANGE_TIMEOUT)
    # The illustration follows (it is drawn in the kernel): its caption names the exercise.
    caption = app.locator(".bc-browser-caption").first
    _expect()(caption).to_contain_text(shown[0], timeout=CHANGE_TIMEOUT)
    assert not app_errors(app), app_errors(app)


def drive_quiz(app, course=None) -> None:
    """Quiz: pick letter A and press Check; feedback must appear in .bc-quiz-feedback."""
    feedback = app.locator(".bc-quiz-feedback").first
    assert not _text(feedback), f"feedback before any answer: {_text(feedback)}"
    click_toggle(app.locator(".bc-quiz-choice").first, "A")
    app.locator(".bc-quiz-check button, button.bc-quiz-check").first.click()
    _expect()(feedback).to_contain_text(
        re.compile(r"A is (right|not the best answer)"), timeout=CHANGE_TIMEOUT
    )
    _expect()(app.locator(".bc-quiz-score").first).to_contain_text("Score")
    assert not app_errors(app), app_errors(app)


def _diff(a: str, b: str) -> str:
    import difflib

    return "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1))


# The builder draws exercise pictures one at a time after the routine shows, with this
# placeholder in the meantime: a routine is only compared once none is left.
PICTURE_PENDING = "Drawing the picture"


def settled(probe, what: str, quiet: float = 1.0, timeout: float = CHANGE_TIMEOUT / 1000):
    """``probe()`` once it has returned the same value for ``quiet`` seconds (the kernel has
    finished sending updates); AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    last, since = probe(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.15)
        now = probe()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"{what} kept changing for {timeout:.0f} s; last: {str(last)[:400]!r}")


def _routine_text(app) -> str:
    return (
        _text(app.locator(".bc-builder-summary").first)
        + "\n"
        + _text(app.locator(".bc-builder-routine").first)
    )


def _settled_routine(app, what: str) -> str:
    """The routine's text once it is complete (pictures drawn) and stops changing."""
    wait_until(
        lambda: PICTURE_PENDING not in _routine_text(app),
        f"{what}: every picture drawn",
        lambda: _routine_text(app)[:400],
        timeout=2 * CHANGE_TIMEOUT / 1000,
    )
    return settled(lambda: _routine_text(app), what)


def drive_routine_builder(app, course) -> None:
    """04 and the app: change the minutes and the pain; the routine must change each time.
    Tick an emergency red flag: advice must replace the routine; untick: it comes back."""
    expect = _expect()
    routine = app.locator(".bc-builder-routine").first
    advice = app.locator(".bc-builder-advice").first
    expect(routine).to_be_visible()
    expect(app.locator(".bc-builder-item").first).to_be_visible()
    before = _settled_routine(app, "first routine")

    minutes = app.locator(".bc-builder-minutes").first
    now = int(minutes.locator("input").first.input_value())
    wanted = 45 if now < 30 else 10
    set_int_text(minutes, wanted)
    wait_until(
        lambda: _routine_text(app) != before,
        f"new routine after minutes {now} -> {wanted}",
        lambda: before[:400],
    )
    after_minutes = _settled_routine(app, f"routine for {wanted} minutes")
    assert after_minutes != before, f"same routine for {now} and {wanted} minutes"

    pain = step_slider(app.locator(".bc-builder-pain").first, 4)
    # Each arrow key sends a value: wait for the last one to be drawn.
    wait_until(
        lambda: f"{pain}/10" in _routine_text(app),
        f"routine for pain {pain}/10 (the summary names the pain)",
        lambda: _routine_text(app)[:400],
    )
    after_pain = _settled_routine(app, f"routine for pain {pain}/10")
    assert after_pain != after_minutes, f"same routine for pain 3/10 and {pain}/10"
    assert not app_errors(app), app_errors(app)

    emergency = next(f for f in course.red_flags.values() if f.tier == "emergency")
    flag = app.locator(f".bc-builder-flag-{emergency.id} input").first
    flag.check()
    title = course.red_flag_tiers["emergency"]["title"]
    expect(advice).to_be_visible(timeout=CHANGE_TIMEOUT)
    expect(advice).to_contain_text(title)
    expect(routine).to_be_hidden()
    flag.uncheck()
    expect(routine).to_be_visible(timeout=CHANGE_TIMEOUT)
    expect(advice).to_be_hidden()
    wait_until(
        lambda: _routine_text(app) == after_pain,
        "same routine as before once the red flag is unticked",
        lambda: _diff(after_pain, _routine_text(app)),
    )


@dataclass(frozen=True)
class AppInfo:
    """One course app: its build function, module, top CSS class and (optional) driver."""

    build: str
    module: str
    css: str
    driver: Any = None

    @property
    def module_exists(self) -> bool:
        return (ROOT / "backcourse" / "widgets" / f"{self.module}.py").exists()


APPS = {
    a.build: a
    for a in (
        AppInfo("build_red_flag_check", "red_flags", "bc-redflags", drive_red_flag_check),
        AppInfo("build_muscle_explorer", "muscle_explorer", "bc-muscles", drive_muscle_explorer),
        AppInfo("build_exercise_browser", "exercise_browser", "bc-browser", drive_exercise_browser),
        AppInfo("build_quiz", "quiz", "bc-quiz", drive_quiz),
        AppInfo("build_routine_builder", "routine_builder", "bc-builder", drive_routine_builder),
        AppInfo("build_sitting_planner", "sitting", "bc-sitting"),
        AppInfo("build_tracker", "tracker", "bc-tracker"),
        AppInfo("build_class_planner", "class_planner", "bc-classes"),
        AppInfo("build_session_player", "session_player", "bc-session"),
    )
}


def apps_called(notebook: Path) -> list[AppInfo]:
    """The course apps a notebook's code cells call (``build_xxx(``), in order, once each."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    seen: dict[str, AppInfo] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", []))
        for name in re.findall(r"\b(build_\w+)\s*\(", src):
            if name in APPS:
                seen.setdefault(name, APPS[name])
    return list(seen.values())
