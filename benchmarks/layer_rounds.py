"""One layer alone on the inputs it saw in one replay of the transcripts, for instruction counting.

    .venv/bin/python benchmarks/layer_rounds.py parse|engine|render|all ROUNDS
    .venv/bin/python benchmarks/layer_rounds.py turns          # how many turns one round replays

Which transcripts: the original 30 (tests/transcripts/01-* to 30-*, 125 turns: the set every figure in
benchmarks/README.md since 2026-11-26 was measured on), or every transcript with LAYER_TRANSCRIPTS=all.
Replays each of them once, recording what `Conversation` handed to `parse`, `assess` and
`build_answer`; then runs only that layer (or the whole replay) ROUNDS times, emptying the
typo-correction and statement caches before each round. Meant to run under
`valgrind --tool=callgrind` (see callgrind_layers.sh): the count of ROUNDS=3 minus ROUNDS=1, over 2
rounds and the turns of one round, is the layer's instructions per replayed turn, independent of the machine's load.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import assistant.conversation as conversation  # noqa: E402
from assistant.replay import load_transcript, run_transcript  # noqa: E402
from benchmarks.bench import forget_what_was_read  # noqa: E402

LAYERS = ("parse", "assess", "build_answer")
ORIGINAL = 30  # transcripts 01 to 30: the set the figures before 2026-12-05 were measured on


def transcript_paths() -> list[Path]:
    paths = sorted((ROOT / "tests" / "transcripts").glob("*.transcript.yaml"))
    if os.environ.get("LAYER_TRANSCRIPTS") == "all":
        return paths
    return [p for p in paths if int(p.name.split("-", 1)[0]) <= ORIGINAL]


def main() -> int:
    if sys.argv[1] == "turns":
        print(sum(len(load_transcript(p).turns) for p in transcript_paths()))
        return 0
    mode, rounds = sys.argv[1], int(sys.argv[2])
    seen: dict[str, list[tuple[tuple, dict]]] = {name: [] for name in LAYERS}
    originals = {name: getattr(conversation, name) for name in LAYERS}
    for name, fn in originals.items():

        def record(*args: object, _name: str = name, _fn: object = fn, **kwargs: object) -> object:
            seen[_name].append((args, kwargs))
            return _fn(*args, **kwargs)  # type: ignore[operator]

        setattr(conversation, name, record)
    transcripts = [load_transcript(p) for p in transcript_paths()]
    for t in transcripts:
        run_transcript(t)
    for name, fn in originals.items():
        setattr(conversation, name, fn)
    for _ in range(rounds):
        forget_what_was_read()
        if mode == "parse":
            for args, kwargs in seen["parse"]:
                originals["parse"](*args, **kwargs)
        elif mode == "engine":
            for args, kwargs in seen["assess"]:
                originals["assess"](*args, **kwargs)
        elif mode == "render":
            for args, kwargs in seen["build_answer"]:
                originals["build_answer"](*args, **kwargs).text()
        else:
            for t in transcripts:
                run_transcript(t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
