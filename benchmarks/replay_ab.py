"""Replay throughput of two checkouts, measured in turns, interleaved so the VM's drifting speed falls on both.

    .venv/bin/python benchmarks/replay_ab.py OLD_CHECKOUT NEW_CHECKOUT [--pairs N]

Make the old checkout with `git worktree add /tmp/old <commit>`. Each run is a fresh process that
imports the package of its checkout, replays every transcript once to load the data, then 7 rounds
with the typo-correction and statement caches emptied before each; the best round counts. Runs
alternate (A B, B A, ...). Prints every run's turns/s and the best of each side. Asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

RUN = r"""
import sys, time
sys.path.insert(0, ROOT)
from pathlib import Path
from assistant.replay import load_transcript, run_transcript
from assistant.parse.lexicon import correct
import assistant.statements as statements
ts = [load_transcript(p) for p in sorted((Path(ROOT) / "tests" / "transcripts").glob("*.transcript.yaml"))]
for t in ts:
    run_transcript(t)
best = float("inf")
for _ in range(7):
    correct.cache_clear()
    statements._RENDERED.clear()
    start = time.perf_counter()
    turns = sum(len(run_transcript(t).turns) for t in ts)
    best = min(best, time.perf_counter() - start)
print(round(turns / best))
"""


def run(root: Path) -> int:
    out = subprocess.run(
        [sys.executable, "-c", f"ROOT = {str(root)!r}\n" + RUN], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--pairs", type=int, default=4)
    args = ap.parse_args()
    sides = [args.old.resolve(), args.new.resolve()]
    rates: dict[Path, list[int]] = {s: [] for s in sides}
    for i in range(args.pairs):
        for side in sides if i % 2 == 0 else sides[::-1]:
            rates[side].append(run(side))
    for name, side in zip(("old", "new"), sides, strict=True):
        print(f"{name} {side}: {', '.join(f'{r:,}' for r in rates[side])} turns/s (best {max(rates[side]):,})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
