"""Replay throughput and per-turn cost over conversation length. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/replay_bench.py              # throughput + turn 1 vs turn 200
    .venv/bin/python benchmarks/replay_bench.py --profile    # plus where the time goes, by layer
    .venv/bin/python benchmarks/replay_bench.py --layers     # plus ms per turn in each layer (no profiler)

Throughput: every turn of every tests/transcripts/*.transcript.yaml, replayed through a fresh
Conversation per transcript (expectations checked), best of several rounds after one warm-up round
that loads the corpus, lexicon and templates. Before each round the caches keyed by what users typed
(typo corrections, worded statements) are emptied, so a round costs what replaying the transcripts
once in a fresh process costs, less the loading; the figure with those caches kept is printed too.
Target: at least 2,000 turns/s (assistant.bench.REPLAY_MIN_TURNS_PER_S).

Per-turn cost: one conversation of 200+ turns (facts, corrections, what-ifs, focused questions,
"why?", sources; never a reset), repeated; the median time of turns 1-10 against turns 191-200.
The cost must not grow with the length of the conversation.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.bench import REPLAY_MIN_TURNS_PER_S, forget_what_was_read, replay_throughput  # noqa: E402
from assistant.conversation import Conversation  # noqa: E402
from assistant.replay import load_transcript, run_transcript  # noqa: E402

TRANSCRIPTS = ROOT / "tests" / "transcripts"
SEED = (
    "What is the appropriate management for a patient with osteopenia "
    "(T\u2011score \u20131.1 at total left hip and \u20131.7 at left femoral neck)?"
)
# A cycle of 20 turns that keeps one patient (no reset), changing facts back and forth.
CYCLE = [
    "She is 67; FRAX 11% major, 1.4% hip.",
    "what if her eGFR were 30?",
    "why?",
    "what labs?",
    "actually she's 58",
    "FRAX 22% major",
    "which drug?",
    "dose?",
    "and if she were a man?",
    "show 2",
    "she smokes",
    "what do you need?",
    "she had a wrist fracture",
    "no, she never had a fracture",
    "how long?",
    "when to repeat DXA?",
    "what about vitamin D?",
    "her eGFR is 40",
    "full plan",
    "sorry, the femoral neck T-score is -1.8",
]


def long_conversation(length: int = 200, repeats: int = 7) -> list[list[float]]:
    """Time of every turn of a `length`-turn conversation, `repeats` times: times[turn][repeat]."""
    Conversation().ask(SEED)  # warm-up
    times: list[list[float]] = [[] for _ in range(length)]
    for _ in range(repeats):
        conv = Conversation()
        turns = [SEED] + [CYCLE[i % len(CYCLE)] for i in range(length - 1)]
        for i, text in enumerate(turns):
            start = time.perf_counter()
            conv.ask(text)
            times[i].append(time.perf_counter() - start)
    return times


def layer_split(rounds: int = 10) -> tuple[float, dict[str, float]]:
    """Milliseconds per replayed turn, in all and in each layer, timed by wrapping the layers' entry points
    (parse, assess, build_answer, Answer.text) with perf_counter: no profiler overhead. The wrappers cost
    a little; the rest (conversation fold, explain, replay checks) is what remains of the whole."""
    import assistant.conversation as conv_mod
    import assistant.render as render_mod

    spent: dict[str, float] = {}
    originals: list[tuple[object, str, object]] = []

    def wrap(owner: object, name: str, key: str) -> None:
        fn = getattr(owner, name)
        originals.append((owner, name, fn))

        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)

    transcripts = [load_transcript(p) for p in sorted(TRANSCRIPTS.glob("*.transcript.yaml"))]
    for t in transcripts:
        run_transcript(t)
    wrap(conv_mod, "parse", "parse")
    wrap(conv_mod, "assess", "engine (assess)")
    wrap(conv_mod, "build_answer", "render (build_answer)")
    wrap(render_mod.Answer, "text", "render (Answer.text)")
    try:
        turns = 0
        start = time.perf_counter()
        for _ in range(rounds):
            forget_what_was_read()  # as in `throughput` (emptying them takes microseconds)
            turns += sum(len(run_transcript(t).turns) for t in transcripts)
        total = time.perf_counter() - start
    finally:
        for owner, name, fn in originals:
            setattr(owner, name, fn)
    per_turn = {k: v / turns * 1e3 for k, v in spent.items()}
    per_turn["rest (conversation, explain, replay)"] = total / turns * 1e3 - sum(per_turn.values())
    return total / turns * 1e3, per_turn


RENDER_FILES = ("/assistant/render.py", "/assistant/statements.py")


def by_layer(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime) summed by the part of the code it was spent in."""
    out: dict[str, float] = {}
    for (filename, _line, _fn), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        name = filename.replace("\\", "/")
        if "/assistant/parse/" in name:
            layer = "parse"
        elif "/assistant/engine/" in name:
            layer = "engine"
        elif name.endswith(RENDER_FILES) or "/jinja2/" in name or name == "<template>":
            layer = "render (render.py, statements.py, jinja2)"
        elif "/assistant/conversation" in name or name.endswith(("/assistant/explain.py", "/assistant/replay.py")):
            layer = "conversation, explain, replay"
        elif "/pydantic" in name:
            layer = "pydantic (models built by every layer)"
        else:
            layer = "other (stdlib, regex, yaml)"
        out[layer] = out.get(layer, 0.0) + tottime
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", action="store_true", help="print where the replay time goes")
    ap.add_argument("--layers", action="store_true", help="print ms per turn in each layer")
    ap.add_argument("--length", type=int, default=200)
    args = ap.parse_args()

    turns, seconds = replay_throughput(cold=True)
    rate = turns / seconds
    print(f"replay throughput: {turns} turns in {seconds * 1000:.1f} ms = {rate:,.0f} turns/s "
          f"({seconds / turns * 1e3:.2f} ms/turn; target >= {REPLAY_MIN_TURNS_PER_S:,} turns/s: "
          f"{'met' if rate >= REPLAY_MIN_TURNS_PER_S else 'NOT met'}; "
          "typo, token-key and statement caches emptied before each round)")
    warm_turns, warm_seconds = replay_throughput(cold=False)
    print(f"  the same with those caches kept from the round before: {warm_turns / warm_seconds:,.0f} turns/s "
          f"({warm_seconds / warm_turns * 1e3:.2f} ms/turn)")

    times = long_conversation(args.length)
    first = statistics.median(t for row in times[:10] for t in row)
    last = statistics.median(t for row in times[-10:] for t in row)
    print(f"per-turn cost, one {args.length}-turn conversation: turns 1-10 median {first * 1e3:.2f} ms, "
          f"turns {args.length - 9}-{args.length} median {last * 1e3:.2f} ms (ratio {last / first:.2f})")
    cycle_a = statistics.median(t for row in times[1:21] for t in row)
    cycle_b = statistics.median(t for row in times[-20:] for t in row)
    print(f"same 20-turn cycle early vs late: turns 2-21 median {cycle_a * 1e3:.2f} ms, last 20 turns median "
          f"{cycle_b * 1e3:.2f} ms (ratio {cycle_b / cycle_a:.2f})")

    if args.layers:
        whole, layers = layer_split()
        print(f"\nms per replayed turn by layer (wrapped entry points, {whole:.3f} ms/turn in all):")
        for name, ms in layers.items():
            print(f"  {name:45s} {ms:6.3f} ms")

    if args.profile:
        transcripts = [load_transcript(p) for p in sorted(TRANSCRIPTS.glob("*.transcript.yaml"))]
        prof = cProfile.Profile()
        prof.enable()
        for t in transcripts:
            run_transcript(t)
        prof.disable()
        stats = pstats.Stats(prof)
        total = sum(by_layer(stats).values())
        print("\nwhere the replay time goes (own time, profiled):")
        for layer, secs in by_layer(stats).items():
            print(f"  {layer:45s} {secs * 1000:8.1f} ms  {secs / total:6.1%}")
        print("\ntop functions by cumulative time:")
        stats.sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
