"""`assistant bench`: where the assistant stands on speed, measured on this machine, with targets.

Prints one table: per-question parse, engine and render time and the whole turn (median, p99) on
the dev set; replay speed over the transcripts; the cold start of `assistant ask` as a whole process
next to a bare `python -c pass` measured in the same run; the terminal app's start to first screen;
and how a turn grows with message length (1x, 10x, 100x) and with lexicon size (1x, 10x synthetic
concepts). Each row has its target and pass / miss.

Honest by construction: the typo cache of the lexicon (`parse.lexicon.correct`) is cleared before
every timed turn, so each turn pays for its fuzzy look-ups as a new question would; the corpus,
templates and lexicon themselves are loaded once, as in a running app.

Environment: BENCH_QUICK=1 for fewer repetitions; BENCH_PROFILE=1 to print the top functions of a
whole turn (cProfile) and the slowest imports of `assistant ask` (python -X importtime).
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"
TRANSCRIPTS = ROOT / "tests" / "transcripts"
SEED = (
    "What is the appropriate management for a patient with osteopenia "
    "(T\u2011score \u20131.1 at total left hip and \u20131.7 at left femoral neck)?"
)

QUICK = os.environ.get("BENCH_QUICK") == "1"
REPS = 5 if QUICK else 20  # timed repetitions of each dev question
PROCESS_RUNS = 3 if QUICK else 7  # whole-process cold starts of each kind

# Targets (issue 7), on the 2-core reference machine.
TURN_MEDIAN_MS = 2.0
TURN_P99_MS = 10.0
COLD_START_S = 0.3
LENGTH_GROWTH_MAX = 15.0  # 10x longer may cost at most 15x (linear, with slack for noise)
LEXICON_10X_MAX = 2.0
REPLAY_MIN_TURNS_PER_S = 2000  # issue 5: replaying the transcripts


@dataclass
class Row:
    name: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: informative, no target

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("pass" if self.ok else "MISS")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


# -- inputs ---------------------------------------------------------------------------------------
def questions() -> tuple[list[str], str]:
    """The dev set's questions, or (without it) the user turns of the test transcripts."""
    if DEV_SET.exists():
        lines = DEV_SET.read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["question"] for line in lines if line.strip()], f"dev set ({DEV_SET.name})"
    turns = [t for _, ts in transcripts() for t in ts]
    return (turns or [SEED]), "transcript turns (no dev set found)"


def transcripts() -> list[tuple[str, list[str]]]:
    import yaml

    out = []
    for path in sorted(TRANSCRIPTS.glob("*.transcript.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            turns = [str(t["user"]) for t in data["turns"]]
        except Exception:  # a broken transcript is the replay tests' business, not the bench's
            continue
        out.append((data.get("profile") or "us", turns))
    return out


# -- timing helpers -----------------------------------------------------------------------------------
def _clear_typo_cache() -> None:
    """Forget what earlier turns taught the parser: typo corrections and token keys, both by word."""
    from assistant.parse import lexicon
    from assistant.parse.normalise import forget_stems  # the package's `normalise` is a function

    correct = getattr(lexicon, "correct", None)
    if correct is not None and hasattr(correct, "cache_clear"):
        correct.cache_clear()
    forget_stems()


def _timed(fn: Callable[[], object]) -> float:
    _clear_typo_cache()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def pipeline(text: str) -> object:
    """parse -> assess -> render (the turn without the conversation's fold and input cap)."""
    from assistant.engine import assess
    from assistant.facts import Intent
    from assistant.parse import parse
    from assistant.render import build_answer

    parsed = parse(text)
    intent = parsed.intent
    if intent in (Intent.FACTS_ONLY, Intent.WHY, Intent.SOURCES, Intent.MISSING_FACTS, Intent.RESET):
        intent = Intent.MANAGEMENT_OVERALL
    answer = build_answer(text, assess(parsed.facts, intent, "us"))
    return answer.text()


def stage_times(qs: list[str]) -> dict[str, list[float]]:
    from assistant.conversation import Conversation
    from assistant.engine import assess
    from assistant.facts import Intent
    from assistant.parse import parse
    from assistant.render import build_answer

    out: dict[str, list[float]] = {"parse": [], "engine": [], "render": [], "turn": []}
    for q in qs:  # warm-up: load corpus, templates, lexicon; first use of every code path
        Conversation().ask(q)
    for _ in range(REPS):
        for q in qs:
            _clear_typo_cache()
            t0 = time.perf_counter()
            parsed = parse(q)
            t1 = time.perf_counter()
            intent = parsed.intent if parsed.intent not in (Intent.FACTS_ONLY,) else Intent.MANAGEMENT_OVERALL
            a = assess(parsed.facts, intent, "us")
            t2 = time.perf_counter()
            build_answer(q, a).text()
            t3 = time.perf_counter()
            out["parse"].append(t1 - t0)
            out["engine"].append(t2 - t1)
            out["render"].append(t3 - t2)
            conv = Conversation()
            out["turn"].append(_timed(lambda conv=conv, q=q: conv.ask(q)))
    return out


def forget_what_was_read() -> None:
    """Empty every cache keyed by what users typed: typo corrections and token keys (by word), worded
    statements (by statement and values). What stays loaded is the data: corpus, lexicon, templates."""
    from assistant.statements import forget_rendered

    _clear_typo_cache()
    forget_rendered()


def replay_throughput(rounds: int = 5, *, cold: bool = True) -> tuple[int, float]:
    """Issue 5's measure: every turn of every transcript replayed (expectations checked) through a fresh
    Conversation per transcript; the best of `rounds` rounds after one warm-up round that loads the data.
    `cold`: the input-keyed caches are emptied before each round, so a round costs what replaying the
    transcripts once in a new process costs, less the loading. Returns (turns per round, best seconds)."""
    from assistant.replay import load_transcript, run_transcript

    loaded = [load_transcript(p) for p in sorted(TRANSCRIPTS.glob("*.transcript.yaml"))]
    for t in loaded:
        run_transcript(t)
    best = float("inf")
    turns = 0
    for _ in range(rounds):
        if cold:
            forget_what_was_read()
        start = time.perf_counter()
        turns = sum(len(run_transcript(t).turns) for t in loaded)
        best = min(best, time.perf_counter() - start)
    return turns, best


def replay_speed() -> tuple[int, float, list[float]]:
    """Every replayed turn timed on its own, the typo and token-key caches cleared before each one (as if
    every turn were a new question): a harsher figure than `replay_throughput`, and the per-turn spread."""
    from assistant.conversation import Conversation

    runs = transcripts()
    samples: list[float] = []
    total_turns = 0
    t_all = 0.0
    for _ in range(max(1, REPS // 4)):
        for profile, turns in runs:
            conv = Conversation(profile=profile)
            for text in turns:
                dt = _timed(lambda conv=conv, text=text: conv.ask(text))
                samples.append(dt)
                t_all += dt
                total_turns += 1
    return len(runs), (total_turns / t_all if t_all else 0.0), samples


def _assistant_exe() -> list[str]:
    exe = Path(sys.executable).parent / "assistant"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]


def _wall(cmd: list[str]) -> float:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - t0


def compile_package() -> None:
    """Write the package's bytecode (.pyc), as `pip install` does for an installed package and as Python does
    itself after a first run. Without it (an editable checkout under PYTHONDONTWRITEBYTECODE=1) every
    `assistant ask` compiles some 60 modules from source first, which measures the setup, not the program."""
    import compileall

    import assistant

    compileall.compile_dir(str(Path(assistant.__file__).parent), quiet=1)


def cold_starts() -> tuple[float, float]:
    compile_package()
    bare, ask = [], []
    _wall([sys.executable, "-c", "pass"])  # page cache warm for both
    _wall([*_assistant_exe(), "ask", SEED])
    for _ in range(PROCESS_RUNS):  # interleaved, so both see the same machine load
        bare.append(_wall([sys.executable, "-c", "pass"]))
        ask.append(_wall([*_assistant_exe(), "ask", SEED]))
    return statistics.median(bare), statistics.median(ask)


TUI_PROBE = """
import asyncio, sys
async def main():
    from assistant.tui.app import AssistantApp
    app = AssistantApp(profile="us", offer_resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sys.stdout.write("ready\\n"); sys.stdout.flush()
asyncio.run(main())
"""


def tui_start() -> float | None:
    try:
        import importlib.util

        if importlib.util.find_spec("assistant.tui.app") is None:
            return None
    except ImportError:
        return None
    times = []
    env = {**os.environ, "PYTHONHASHSEED": "0", "XDG_STATE_HOME": tempfile.mkdtemp(prefix="bench-state-")}
    for _ in range(max(1, PROCESS_RUNS // 2)):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", TUI_PROBE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
        )
        line = proc.stdout.readline() if proc.stdout else ""
        dt = time.perf_counter() - t0
        proc.wait(timeout=60)
        if line.strip() != "ready":
            return None
        times.append(dt)
    return statistics.median(times)


def length_growth(qs: list[str]) -> dict[int, float]:
    """Median pipeline time per message at 1x, 10x and 100x its length (rounds interleaved)."""
    sample = qs[: min(len(qs), 12)]
    texts = {k: [" ".join([q] * k) for q in sample] for k in (1, 10, 100)}
    samples: dict[int, list[float]] = {k: [] for k in texts}
    for ts in texts.values():  # warm-up
        for t in ts:
            pipeline(t)
    for _ in range(max(2, REPS // 4)):
        for k, ts in texts.items():
            samples[k].extend(_timed(lambda t=t: pipeline(t)) for t in ts)
    return {k: statistics.median(v) for k, v in samples.items()}


# -- a 10x lexicon --------------------------------------------------------------------------------------
SYLLABLES = "ka lo mi ne ru sa te vo zi pha tro cle dra gni ost eo ure ina ase ide ol yl".split()


def _synthetic_term(rng: random.Random) -> str:
    words = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return " ".join(words)


@contextlib.contextmanager
def lexicon_scaled(factor: int) -> Iterator[int]:
    """Swap in a lexicon with (factor - 1) synthetic concepts per real one, same number of terms each.

    The parser reads corpus/lexicon.yaml once into an exact index and a fuzzy vocabulary by word
    length (parse.lexicon.lexicon(), lru_cache): point it at an enlarged copy and rebuild them.
    """
    import yaml

    from assistant.parse import lexicon as lex_mod

    original = lex_mod.LEXICON_PATH
    data = yaml.safe_load(original.read_text(encoding="utf-8"))
    real = list(data["concepts"])
    rng = random.Random(7)
    extra = []
    for n in range((factor - 1) * len(real)):
        like = real[n % len(real)]
        terms = len(like.get("synonyms", [])) + len(like.get("brands", []))
        extra.append(
            {
                "id": f"synthetic_{n}",
                "category": "synthetic",
                "synonyms": [_synthetic_term(rng) for _ in range(max(1, terms))],
            }
        )
    data["concepts"] = real + extra
    with tempfile.TemporaryDirectory(prefix="bench-lexicon-") as tmp:
        path = Path(tmp) / "lexicon.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        lex_mod.LEXICON_PATH = path
        lex_mod.lexicon.cache_clear()
        _clear_typo_cache()
        try:
            yield len(lex_mod.lexicon().index)
        finally:
            lex_mod.LEXICON_PATH = original
            lex_mod.lexicon.cache_clear()
            _clear_typo_cache()


def lexicon_growth(qs: list[str]) -> tuple[dict[int, float], dict[int, int]]:
    """Median pipeline time per question with the real and a 10x lexicon, rounds interleaved.

    Both lexicons are built once; each round swaps the module's `lexicon` accessor to one of them
    (every caller in parse/lexicon.py looks it up at call time), so machine load hits both alike.
    """
    from assistant.parse import lexicon as lex_mod

    built: dict[int, object] = {}
    sizes: dict[int, int] = {}
    for factor in (1, 10):
        with lexicon_scaled(factor) as size:
            built[factor] = lex_mod.lexicon()
            sizes[factor] = size
    accessor = lex_mod.lexicon
    samples: dict[int, list[float]] = {1: [], 10: []}
    try:
        for round_no in range(max(3, REPS // 2) + 1):
            for factor in (1, 10):
                lex_mod.lexicon = lambda lex=built[factor]: lex  # type: ignore[assignment, misc]
                times = [_timed(lambda q=q: pipeline(q)) for q in qs]
                if round_no:  # round 0 is the warm-up
                    samples[factor].extend(times)
    finally:
        lex_mod.lexicon = accessor
        _clear_typo_cache()
    return {f: statistics.median(v) for f, v in samples.items()}, sizes


# -- profiling what misses ------------------------------------------------------------------------------
def profile_turn(qs: list[str]) -> str:
    from assistant.conversation import Conversation

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(3):
        for q in qs:
            _clear_typo_cache()
            Conversation().ask(q)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return buf.getvalue()


def import_times() -> str:
    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import assistant.cli, sys; sys.argv=['assistant','ask','x']; from assistant.cli import main; main()",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return "\n".join(f"{us / 1000:8.1f} ms  {name}" for us, name in rows[:20])


# -- the table ------------------------------------------------------------------------------------------
def collect(out: Callable[[str], None]) -> list[Row]:
    qs, where = questions()
    out(f"questions: {len(qs)} from {where}; {REPS} repetitions each; typo cache cleared before each turn")
    rows: list[Row] = []
    st = stage_times(qs)
    for stage in ("parse", "engine", "render"):
        spread = f"{_ms(_p(st[stage], 50))} / {_ms(_p(st[stage], 99))}"
        rows.append(Row(f"{stage} per question (median / p99)", spread))
    turn = st["turn"]
    rows.append(
        Row(
            "whole turn median (Conversation.ask)",
            _ms(_p(turn, 50)),
            f"< {TURN_MEDIAN_MS} ms",
            _p(turn, 50) * 1000 < TURN_MEDIAN_MS,
        )
    )
    rows.append(Row("whole turn p99", _ms(_p(turn, 99)), f"< {TURN_P99_MS} ms", _p(turn, 99) * 1000 < TURN_P99_MS))

    n_turns, seconds = replay_throughput(rounds=3 if QUICK else 5)
    if n_turns:
        rate = n_turns / seconds
        rows.append(
            Row(
                f"replay: {n_turns} transcript turns, best round",
                f"{rate:,.0f} turns/s",
                f">= {REPLAY_MIN_TURNS_PER_S:,} turns/s",
                rate >= REPLAY_MIN_TURNS_PER_S,
            )
        )
    n_files, tps, samples = replay_speed()
    if samples:
        rows.append(Row(f"  each turn timed alone, typo cache cleared ({n_files} files)", f"{tps:,.0f} turns/s"))
        rows.append(
            Row(
                "replay turn (median / p99)",
                f"{_ms(_p(samples, 50))} / {_ms(_p(samples, 99))}",
                f"< {TURN_P99_MS} ms p99",
                _p(samples, 99) * 1000 < TURN_P99_MS,
            )
        )
    else:
        rows.append(Row("replay", "no transcripts found in tests/transcripts"))

    bare, ask = cold_starts()
    rows.append(Row("cold start: python -c pass", f"{bare:.3f} s"))
    rows.append(
        Row(
            "cold start: assistant ask (whole process)",
            f"{ask:.3f} s (+{ask - bare:.3f} s over bare)",
            f"< {COLD_START_S} s",
            ask < COLD_START_S,
        )
    )

    tui = tui_start()
    if tui is None:
        rows.append(Row("terminal app: start to first screen", "skipped (assistant.tui.app not available)"))
    else:
        rows.append(Row("terminal app: start to first screen (process)", f"{tui:.3f} s"))

    growth = length_growth(qs)
    r10, r100 = growth[10] / growth[1], growth[100] / growth[10]
    rows.append(
        Row("message length 1x / 10x / 100x (pipeline)", f"{_ms(growth[1])} / {_ms(growth[10])} / {_ms(growth[100])}")
    )
    linear = r10 <= LENGTH_GROWTH_MAX and r100 <= LENGTH_GROWTH_MAX
    rows.append(
        Row(
            "  growth 1x->10x, 10x->100x",
            f"x{r10:.1f}, x{r100:.1f}",
            f"each <= x{LENGTH_GROWTH_MAX:.0f} (linear)",
            linear,
        )
    )

    lex_t, sizes = lexicon_growth(qs)
    ratio = lex_t[10] / lex_t[1]
    rows.append(
        Row(
            f"lexicon {sizes[1]:,} / {sizes[10]:,} terms (1x / 10x), per turn",
            f"{_ms(lex_t[1])} / {_ms(lex_t[10])} (x{ratio:.2f})",
            f"< x{LEXICON_10X_MAX:.0f}",
            ratio < LEXICON_10X_MAX,
        )
    )
    return rows


def render_table(rows: list[Row]) -> str:
    w0 = max(len(r.name) for r in rows)
    w1 = max(len(r.value) for r in rows)
    w2 = max(len(r.target) for r in rows + [Row("", "", "target")])
    lines = [f"{'measure':<{w0}}  {'value':<{w1}}  {'target':<{w2}}  result", "-" * (w0 + w1 + w2 + 14)]
    lines += [f"{r.name:<{w0}}  {r.value:<{w1}}  {r.target:<{w2}}  {r.verdict}" for r in rows]
    return "\n".join(lines)


def main_bench() -> int:
    out = print
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    out(f"assistant bench: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load}")
    rows = collect(out)
    out("")
    out(render_table(rows))
    misses = [r.name.strip() for r in rows if r.ok is False]
    out("")
    out(f"{len(misses)} target(s) missed" + (f": {'; '.join(misses)}" if misses else ""))
    if os.environ.get("BENCH_PROFILE") == "1":
        qs, _ = questions()
        out("\nTop of a whole turn (cProfile, cumulative):\n" + profile_turn(qs))
        out("Slowest imports of `assistant ask` (self + children):\n" + import_times())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_bench())
