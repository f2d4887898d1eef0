"""``make bench``: goals.py, each figure of the speed goals side by side with its goal (a few
minutes). ``python benchmarks/run_all.py --all`` first runs every bench_*.py script of this
folder too (the detailed figures per module; much longer on a busy machine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
scripts = sorted(here.glob("bench_*.py")) if "--all" in sys.argv[1:] else []
failed = 0
for script in [*scripts, here / "goals.py"]:
    print(f"== {script.stem}", flush=True)
    failed |= subprocess.run([sys.executable, str(script)], check=False).returncode != 0
sys.exit(failed)
