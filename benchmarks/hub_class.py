"""A class on one JupyterHub, measured: ``make bench-hub`` (30 learners) and its CI test (5).

The hub is the throw-away one of tests/test_hub.py (configurable-http-proxy, one local
process per learner, 127.0.0.1 only), started in a temporary folder and stopped at the end,
whatever happens. The course is the working tree as a git repository. Each learner, in
waves as a class arrives:

1. has their server started by the hub (the hub's REST API, as the login would);
2. follows the trainer's nbgitpuller link (``backcourse.trainer.launch_links``): the same
   repository, branch and folder, through nbgitpuller's own pull endpoint;
3. runs notebook 04 top to bottom in a kernel of their own server, cell by cell, over the
   kernel's websocket, as JupyterLab would, and records each cell's time and any error.

Meanwhile every process of the hub is sampled (psutil): memory (PSS: shared libraries are
shared out, so the sum is what the machine holds) and CPU, per learner (their server and
kernel) and for the whole server (hub, proxy and all learners). The report: how many
finished with no error, the 95th percentile of a cell's time, the peak memory and CPU time
per learner and the peak of the whole server, and the learners per GB and per core they
imply.

Run: ``python benchmarks/hub_class.py --learners 30 --wave 10``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

LESSON = "notebooks/04_program_design.ipynb"
PASSWORD = "back-course-class"  # a throw-away hub on 127.0.0.1, gone when the run ends
CELL_TIMEOUT_S = 600
RUN_LIMIT_S = 40 * 60  # the whole run stops by itself after this, finished or not


@dataclass
class Learner:
    name: str
    started: float = 0.0
    server_ready_s: float = 0.0
    pulled_s: float = 0.0
    cells: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    finished: bool = False


# --------------------------------------------------------------------------- the hub


class Hub:
    """The test hub, started for ``users`` with a service token for the REST API."""

    def __init__(self, users: list[str], folder: Path) -> None:
        import test_hub as th

        self.users = users
        self.here = folder / "hub"
        self.here.mkdir()
        self.course = th._course_repository(folder / "origin")
        self.token = secrets.token_hex(24)
        proxy = th._proxy_command()
        singleuser = Path(sys.executable).with_name("jupyterhub-singleuser")
        if proxy is None or not singleuser.exists():
            raise RuntimeError("needs configurable-http-proxy (npm ci --prefix tests/hub)")
        port = th.free_port()
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "BC_HUB_DIR": str(self.here),
            "BC_HUB_PORT": str(port),
            "BC_HUB_API_PORT": str(th.free_port()),
            "BC_HUB_PROXY_API_PORT": str(th.free_port()),
            "BC_HUB_PROXY": proxy,
            "BC_HUB_SINGLEUSER": str(singleuser),
            "BC_HUB_USERS": ",".join(users),
            "BC_HUB_PASSWORD": PASSWORD,
            "BC_HUB_API_TOKEN": self.token,
        }
        for user in users:
            (self.here / "home" / user).mkdir(parents=True)
        self.log = (self.here / "jupyterhub.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(th.HUB_FILES / "jupyterhub_config.py")],
            cwd=self.here,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}"
        th._wait_for(f"{self.url}/hub/api/", 120, self.proc)

    def stop(self) -> None:
        import test_hub as th

        th._stop(self.proc, self.here)
        self.log.close()

    def api(self, method: str, path: str, **kw):
        import requests

        r = requests.request(
            method,
            f"{self.url}{path}",
            headers={"Authorization": f"token {self.token}"},
            timeout=kw.pop("timeout", 60),
            **kw,
        )
        r.raise_for_status()
        return r


# --------------------------------------------------------------------------- a learner


def _start_server(hub: Hub, who: Learner) -> None:
    hub.api("POST", f"/hub/api/users/{who.name}/server")
    deadline = time.monotonic() + RUN_LIMIT_S
    while time.monotonic() < deadline:
        user = hub.api("GET", f"/hub/api/users/{who.name}").json()
        server = (user.get("servers") or {}).get("", {})
        if server.get("ready"):
            return
        time.sleep(1)
    raise TimeoutError("the server did not start")


def _pull(hub: Hub, who: Learner, link: str) -> None:
    """nbgitpuller's pull, with the parameters of the trainer's link."""
    import requests

    q = {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
    repo = q["repo"]
    params = {"repo": repo, "branch": q.get("branch", "main"), "targetpath": "course"}
    with requests.get(
        f"{hub.url}/user/{who.name}/git-pull/api",
        params=params,
        headers={"Authorization": f"token {hub.token}"},
        stream=True,
        timeout=600,
    ) as r:
        r.raise_for_status()
        for line in r.iter_lines(decode_unicode=True):
            if not line or not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event.get("phase") == "finished":
                return
            if event.get("phase") == "error":
                raise RuntimeError(f"nbgitpuller: {event.get('message')}")
    raise RuntimeError("nbgitpuller ended without finishing")


def _run_notebook(hub: Hub, who: Learner, notebook: Path) -> None:
    """Every code cell of ``notebook`` in a new kernel of the learner's server, in order."""
    import websocket

    base = f"/user/{who.name}/api"
    folder = str(Path("course") / Path(LESSON).parent)
    kernel = hub.api("POST", f"{base}/kernels", json={"name": "python3", "path": folder}).json()
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{urlparse(hub.url).port}{base}/kernels/{kernel['id']}/channels",
        header=[f"Authorization: token {hub.token}"],
        timeout=CELL_TIMEOUT_S,
    )
    session = uuid.uuid4().hex
    try:
        cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
        for cell in cells:
            code = "".join(cell["source"])
            if not code.strip():
                continue
            msg_id = uuid.uuid4().hex
            msg = {
                "header": {
                    "msg_id": msg_id,
                    "username": who.name,
                    "session": session,
                    "msg_type": "execute_request",
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
            t = time.perf_counter()
            ws.send(json.dumps(msg))
            replied = idle = False
            while not (replied and idle):
                frame = ws.recv()
                if isinstance(frame, bytes):
                    continue  # binary buffers of widget messages
                m = json.loads(frame)
                if m.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = m["header"]["msg_type"]
                if kind == "error":
                    who.errors.append(f"{m['content']['ename']}: {m['content']['evalue']}")
                elif kind == "execute_reply":
                    replied = True
                    if m["content"].get("status") != "ok":
                        who.errors.append(f"cell status {m['content'].get('status')}")
                elif kind == "status" and m["content"]["execution_state"] == "idle":
                    idle = True
            who.cells.append(time.perf_counter() - t)
            if who.errors:
                return
    finally:
        ws.close()


def learner(hub: Hub, who: Learner) -> Learner:
    from backcourse.trainer import launch_links

    who.started = time.monotonic()
    try:
        _start_server(hub, who)
        who.server_ready_s = time.monotonic() - who.started
        link = launch_links(f"file://{hub.course}", hub=hub.url, notebook=LESSON)["nbgitpuller"]
        _pull(hub, who, link)
        who.pulled_s = time.monotonic() - who.started
        copy = hub.here / "home" / who.name / "course" / LESSON
        if not copy.is_file():
            raise RuntimeError("the course was not pulled into the learner's home")
        _run_notebook(hub, who, copy)
        who.finished = not who.errors
    except Exception as exc:  # one learner's failure is a result, not a crash
        who.errors.append(f"{type(exc).__name__}: {exc}")
    return who


# --------------------------------------------------------------------------- sampling


class Sampler(threading.Thread):
    """Samples the hub's processes every ``every`` seconds: memory and CPU, per learner."""

    def __init__(self, root_pid: int, users: list[str], every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.users, self.every = root_pid, set(users), every
        self.halt = threading.Event()
        self.peak_total = 0.0  # bytes, every process of the hub
        self.peak_user: dict[str, float] = {}  # bytes, a learner's server + kernel
        self.cpu_user: dict[str, float] = {}  # CPU seconds, last seen (they only grow)
        self.cpu_total_start: float | None = None
        self.cpu_total = 0.0
        self.peak_cores = 0.0  # CPU cores busy at once, whole server (between two samples)
        self._last: tuple[float, float] | None = None

    @staticmethod
    def _memory(p) -> float:
        try:
            return float(p.memory_full_info().pss)
        except Exception:  # no PSS on this system: RSS
            return float(p.memory_info().rss)

    def sample(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.root_pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total_mem = total_cpu = 0.0
        per_mem: dict[str, float] = {}
        per_cpu: dict[str, float] = {}
        for p in procs:
            try:
                mem = self._memory(p)
                t = p.cpu_times()
                cpu = t.user + t.system
                user = p.environ().get("JUPYTERHUB_USER")
            except psutil.Error:
                continue
            total_mem += mem
            total_cpu += cpu
            if user in self.users:
                per_mem[user] = per_mem.get(user, 0.0) + mem
                per_cpu[user] = per_cpu.get(user, 0.0) + cpu
        self.peak_total = max(self.peak_total, total_mem)
        for u, m in per_mem.items():
            self.peak_user[u] = max(self.peak_user.get(u, 0.0), m)
        for u, c in per_cpu.items():
            self.cpu_user[u] = max(self.cpu_user.get(u, 0.0), c)
        now = time.monotonic()
        if self.cpu_total_start is None:
            self.cpu_total_start = total_cpu
        self.cpu_total = max(self.cpu_total, total_cpu - self.cpu_total_start)
        if self._last is not None and now > self._last[0]:
            self.peak_cores = max(
                self.peak_cores, (total_cpu - self._last[1]) / (now - self._last[0])
            )
        self._last = (now, total_cpu)

    def run(self) -> None:
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.every)


# --------------------------------------------------------------------------- the class


def run_class(learners: int, wave: int, gap_s: float) -> dict:
    """Start the hub, let ``learners`` arrive in waves of ``wave`` every ``gap_s`` seconds,
    wait for all (at most RUN_LIMIT_S), stop the hub; return the figures."""
    users = [f"learner{i:02d}" for i in range(1, learners + 1)]
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        hub = Hub(users, Path(tmp))
        sampler = Sampler(hub.proc.pid, users)
        sampler.start()
        results: list[Learner] = []
        try:
            with ThreadPoolExecutor(max_workers=learners) as pool:
                futures = []
                for i, name in enumerate(users):
                    if i and i % wave == 0:
                        time.sleep(gap_s)
                    futures.append(pool.submit(learner, hub, Learner(name)))
                deadline = time.monotonic() + RUN_LIMIT_S
                for f in futures:
                    results.append(f.result(timeout=max(1.0, deadline - time.monotonic())))
        finally:
            sampler.halt.set()
            sampler.join(5)
            sampler.sample()
            hub.stop()
    cells = [c for r in results for c in r.cells]
    mib = 1024 * 1024
    per_mem = list(sampler.peak_user.values()) or [0.0]
    per_cpu = list(sampler.cpu_user.values()) or [0.0]
    report = {
        "learners": learners,
        "wave": wave,
        "finished_without_error": sum(r.finished for r in results),
        "errors": {r.name: r.errors[:1] for r in results if r.errors},
        "cells_timed": len(cells),
        "cell_p95_s": statistics.quantiles(cells, n=100, method="inclusive")[94]
        if len(cells) > 1
        else float("nan"),
        "cell_median_s": statistics.median(cells) if cells else float("nan"),
        "server_ready_median_s": statistics.median(r.server_ready_s for r in results),
        "learner_peak_mib_median": statistics.median(per_mem) / mib,
        "learner_peak_mib_max": max(per_mem) / mib,
        "learner_cpu_s_median": statistics.median(per_cpu),
        "server_peak_mib": sampler.peak_total / mib,
        "server_cpu_s": sampler.cpu_total,
        "server_peak_cores": sampler.peak_cores,
        "wall_s": time.monotonic() - t0,
        "cores": os.cpu_count(),
    }
    return report


def print_report(r: dict) -> None:
    print(f"learners: {r['learners']} in waves of {r['wave']}; machine: {r['cores']} cores")
    print(f"finished with no error: {r['finished_without_error']} of {r['learners']}")
    for name, errs in r["errors"].items():
        print(f"  {name}: {errs[0] if errs else '?'}")
    print(
        f"cell time: median {r['cell_median_s']:.2f} s, 95th percentile {r['cell_p95_s']:.2f} s "
        f"({r['cells_timed']} cells)"
    )
    print(f"server start (hub API -> ready): median {r['server_ready_median_s']:.1f} s")
    print(
        "per learner (server + kernel, PSS): peak memory median "
        f"{r['learner_peak_mib_median']:.0f} MiB, max {r['learner_peak_mib_max']:.0f} MiB; "
        f"CPU median {r['learner_cpu_s_median']:.1f} s"
    )
    print(
        f"whole server (hub, proxy, all learners): peak memory {r['server_peak_mib']:.0f} MiB; "
        f"CPU {r['server_cpu_s']:.0f} s in {r['wall_s']:.0f} s; peak {r['server_peak_cores']:.1f} "
        "cores busy"
    )
    per_gb = 1024 / max(1.0, r["learner_peak_mib_max"])
    print(f"=> about {per_gb:.1f} learners per GB of memory (at each learner's peak)")


CLASS_WINDOW_S = 60  # a class runs the same notebook together, within about a minute
CLASS_SIZES = (10, 30, 60, 100)


def sizing(r: dict) -> dict:
    """Learners per GB and per core, from a measured class.

    Memory: each learner is counted at the largest peak any learner reached (server and
    kernel, PSS); the rest of the whole server's peak (hub, proxy) is a fixed overhead.
    CPU: the median CPU time of one learner's lesson (server start, pull, notebook 04); a
    core serves the learners whose lessons fit in CLASS_WINDOW_S of its time, when the class
    runs the notebook together.
    """
    per = r["learner_peak_mib_max"]
    overhead = max(0.0, r["server_peak_mib"] - r["learners"] * r["learner_peak_mib_median"])
    # Whole learners, rounded down: a core cannot serve 4.9 learners' lessons in the window
    # without someone waiting (the text and the table say the same number).
    per_core = max(1, int(CLASS_WINDOW_S / max(0.1, r["learner_cpu_s_median"])))
    return {
        "learner_mib": per,
        "overhead_mib": overhead,
        "learners_per_gb": 1024 / per,
        "learners_per_core": per_core,
        "rows": [(n, (overhead + n * per) / 1024, -(-n // per_core)) for n in CLASS_SIZES],
    }


def sizing_markdown(r: dict) -> str:
    """The sizing table for the README and notebook 06, from a measured class."""
    s = sizing(r)
    lines = [
        f"Measured by `make bench-hub`: {r['learners']} learners on one hub, "
        f"{r['finished_without_error']} finished notebook 04 with no error; a learner's "
        f"server and kernel peaked at {s['learner_mib']:.0f} MiB and used "
        f"{r['learner_cpu_s_median']:.0f} s of CPU for the lesson; the hub and proxy added "
        f"{s['overhead_mib']:.0f} MiB. That is about **{s['learners_per_gb']:.1f} learners per "
        f"GB** of memory and **{s['learners_per_core']} learners per core** when a class "
        f"runs the notebook together (within a minute). On the 2-core test machine, shared "
        f"with other work, the {r['learners']} learners' cells took {r['cell_median_s']:.1f} s "
        f"(median) and {r['cell_p95_s']:.0f} s (95th percentile): too few cores makes the "
        "class wait.",
        "",
        "| class size | memory (GB, at least) | CPU cores (at least) |",
        "| --- | --- | --- |",
    ]
    for n, gb, cores in s["rows"]:
        lines.append(f"| {n} | {gb:.1f} | {cores} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--learners", type=int, default=30)
    ap.add_argument("--wave", type=int, default=10, help="learners arriving together")
    ap.add_argument("--gap", type=float, default=30.0, help="seconds between waves")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--sizing", type=Path, help="print the sizing table of a written --json")
    a = ap.parse_args()
    if a.sizing:
        print(sizing_markdown(json.loads(a.sizing.read_text())))
        return 0
    report = run_class(a.learners, a.wave, a.gap)
    print_report(report)
    print()
    print(sizing_markdown(report))
    if a.json:
        a.json.write_text(json.dumps(report, indent=1))
    return 0 if report["finished_without_error"] == a.learners else 1


if __name__ == "__main__":
    sys.exit(main())
