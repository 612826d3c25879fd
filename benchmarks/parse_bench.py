"""Parse time per question over the dev set: median and p99 (not a test; prints numbers).

    .venv/bin/python benchmarks/parse_bench.py [SET.jsonl] [--rounds N] [--old COMMIT]

The first parse (which loads the lexicon and compiles the patterns and the fuzzy index) is
reported apart; the figures per question are over warm runs. The typo-correction cache is
cleared before every timed parse (as `assistant bench` does), so each parse pays for its fuzzy
look-ups. With --old, the parser package at COMMIT is loaded beside the current one (under the
name `oldparse`) and both are timed in the same rounds, alternating which goes first, so that
the machine's changing speed falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def _old_package(commit: str, into: Path) -> ModuleType:
    """The parser package of `commit`, importable as `oldparse` (it reads the current data files)."""
    pkg = into / "oldparse"
    pkg.mkdir()
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{commit}:assistant/parse"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    corpus = repr(str(ROOT / "corpus"))
    for name in names:
        if not name.endswith(".py"):
            continue
        src = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:assistant/parse/{name}"],
            check=True, capture_output=True, text=True,
        ).stdout
        src = src.replace("assistant.parse", "oldparse").replace(
            'Path(__file__).resolve().parent.parent.parent / "corpus"', f"Path({corpus})"
        )
        (pkg / name).write_text(src, encoding="utf-8")
    sys.path.insert(0, str(into))
    import oldparse

    return oldparse


def _stats(times: list[float]) -> str:
    times = sorted(times)
    med = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    return f"median {med:.3f} ms, p99 {p99:.3f} ms, max {times[-1] * 1000:.3f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("set", nargs="?", default=str(DEFAULT_SET))
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--old", metavar="COMMIT", help="also time the parser at this commit, interleaved")
    args = ap.parse_args()
    questions = [
        json.loads(line)["question"]
        for line in Path(args.set).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    t0 = time.perf_counter()
    from assistant.parse import parse
    from assistant.parse.lexicon import correct

    t1 = time.perf_counter()
    parse(questions[0])
    t2 = time.perf_counter()
    runs: dict[str, tuple[Callable[[str], object], Callable[[], None]]] = {"new": (parse, correct.cache_clear)}
    with tempfile.TemporaryDirectory() as tmp:
        if args.old:
            old = _old_package(args.old, Path(tmp))
            from oldparse.lexicon import correct as old_correct  # type: ignore[import-not-found]

            old.parse(questions[0])
            runs["old"] = (old.parse, old_correct.cache_clear)
        times: dict[str, list[float]] = {name: [] for name in runs}
        names = list(runs)
        clock = time.perf_counter
        for r in range(args.rounds):
            order = names if r % 2 == 0 else names[::-1]
            for q in questions:
                for name in order:
                    fn, clear = runs[name]
                    clear()
                    s = clock()
                    fn(q)
                    times[name].append(clock() - s)
    print(f"questions: {len(questions)} x {args.rounds} rounds (typo cache cleared before each parse)")
    print(f"import: {(t1 - t0) * 1000:.1f} ms; first parse (loads lexicon, builds indexes): {(t2 - t1) * 1000:.1f} ms")
    if "old" in times:
        print(f"old ({args.old}) per question: {_stats(times['old'])}")
    print(f"per question: {_stats(times['new'])}")
    if "old" in times:
        ratio = statistics.median(times["new"]) / statistics.median(times["old"])
        print(f"new / old median: {ratio:.2f}")


if __name__ == "__main__":
    main()
