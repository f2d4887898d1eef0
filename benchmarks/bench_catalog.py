"""How the course loader copes with hostile copies of course_data (issue 13).

Run with ``python benchmarks/bench_catalog.py``. Each case runs in a fresh process (the
loader caches courses) and prints the wall time of ``load_course`` and the process's peak
resident memory (the interpreter and PyYAML alone take about 18 MiB):

- an alias bomb (9 levels of 9 aliases in exercises.yaml): refused; goal well under 1 s;
- a chain of 2,000 exercises, each the progression of the one before: loads; goal about 1 s
  (the YAML parse of the ~100,000-line file is most of it);
- the bundled data, for comparison.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

_CASE = """
import resource, sys, time
sys.path.insert(0, {root!r})
from backcourse import catalog
from backcourse.errors import CourseDataError
t0 = time.perf_counter()
try:
    course = catalog.load_course({folder!r})
    outcome = "loaded"
except CourseDataError as exc:
    course, outcome = None, "refused: " + str(exc)[:70]
seconds = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
chain = ""
if course is not None:  # the check that used to be cubic, timed on its own
    t0 = time.perf_counter()
    for name in ("regression", "progression"):
        catalog.cross.chains_end(course.exercises, name)
    chain = f", chain check {{(time.perf_counter() - t0) * 1000:.1f}} ms"
print(f"{{seconds:.2f}} s, peak RSS {{rss:.0f}} MiB{{chain}}, {{outcome}}")
"""


def bomb_copy(dest: Path, levels: int = 9, width: int = 9) -> None:
    """The first exercise's aliases become a list nesting ``levels`` of ``width`` aliases."""
    path = dest / "exercises.yaml"
    items = ["&l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        items.append(f"&l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("  aliases:"))
    path.write_text(text.replace(first, "  aliases: [" + ", ".join(items) + "]", 1))


def chain_copy(dest: Path, n: int = 2000) -> None:
    path = dest / "exercises.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = next(i for i in items if not i.get("regression") and not i.get("progression"))
    for k in range(n):
        item = {**base, "id": f"chain_{k}", "name": f"Chain step {k}"}
        item["progression"] = f"chain_{k + 1}" if k + 1 < n else None
        items.append(item)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class NoAliases(dumper):  # type: ignore[misc, valid-type]
        def ignore_aliases(self, data: object) -> bool:
            return True

    path.write_text(yaml.dump(items, Dumper=NoAliases, sort_keys=False), encoding="utf-8")


def run(label: str, folder: Path) -> None:
    code = _CASE.format(root=str(ROOT), folder=str(folder))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    print(f"{label:<28} {(out.stdout or out.stderr).strip()}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        run("bundled data", ROOT / "course_data")
        bomb = base / "bomb"
        shutil.copytree(ROOT / "course_data", bomb)
        bomb_copy(bomb)
        run("alias bomb (9 x 9)", bomb)
        chain = base / "chain"
        shutil.copytree(ROOT / "course_data", chain)
        chain_copy(chain)
        run("2,000-exercise chain", chain)


if __name__ == "__main__":
    main()
