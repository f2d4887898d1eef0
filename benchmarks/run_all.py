"""``make bench``: the camera coach's figures (bench_coach.py: model load, time per frame, what
it adds to the wheel and the site), then goals.py, each figure of the speed goals side by
side with its goal (a few minutes). ``python benchmarks/run_all.py --all`` first runs every
bench_*.py script of this folder (the detailed figures per module; much longer on a busy
machine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
every = "--all" in sys.argv[1:]
scripts = sorted(here.glob("bench_*.py")) if every else [here / "bench_coach.py"]
failed = 0
for script in [*scripts, here / "goals.py"]:
    print(f"== {script.stem}", flush=True)
    failed |= subprocess.run([sys.executable, str(script)], check=False).returncode != 0
sys.exit(failed)
