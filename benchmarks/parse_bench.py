"""Parse time per question over the dev set: median and p99 (not a test; prints numbers).

    .venv/bin/python benchmarks/parse_bench.py [SET.jsonl] [--rounds N]

The first parse (which loads the lexicon and compiles the patterns and the fuzzy index) is
reported apart; the figures per question are over warm runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

DEFAULT_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("set", nargs="?", default=str(DEFAULT_SET))
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    questions = [
        json.loads(line)["question"]
        for line in Path(args.set).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    t0 = time.perf_counter()
    from assistant.parse import parse

    t1 = time.perf_counter()
    parse(questions[0])
    t2 = time.perf_counter()
    times: list[float] = []
    for _ in range(args.rounds):
        for q in questions:
            s = time.perf_counter()
            parse(q)
            times.append(time.perf_counter() - s)
    times.sort()
    med = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    print(f"questions: {len(questions)} x {args.rounds} rounds")
    print(f"import: {(t1 - t0) * 1000:.1f} ms; first parse (loads lexicon, builds indexes): {(t2 - t1) * 1000:.1f} ms")
    print(f"per question: median {med:.3f} ms, p99 {p99:.3f} ms, max {times[-1] * 1000:.3f} ms")


if __name__ == "__main__":
    main()
