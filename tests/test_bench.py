"""The benchmark's helpers (benchmarks/bench.py): the parts cheap enough for the suite (the bench takes minutes)."""

from __future__ import annotations

import sys

from assistant.conversation import Conversation
from assistant.parse import lexicon, parse
from assistant.replay import load_transcript
from benchmarks import bench

normalise_module = sys.modules["assistant.parse.normalise"]  # `assistant.parse.normalise` is a function


def test_clearing_the_caches_forgets_typos_and_token_keys() -> None:
    parse("osteoporsis with a T-score of -2.6 at the femoral neck")
    assert lexicon.correct.cache_info().currsize > 0
    assert normalise_module._STEMS

    bench._clear_typo_cache()

    assert lexicon.correct.cache_info().currsize == 0
    assert not normalise_module._STEMS


def test_forgetting_what_was_read_also_forgets_worded_statements() -> None:
    statements_module = sys.modules["assistant.statements"]
    Conversation().ask("osteopenia, T-score -1.7 at the femoral neck, she is 67")
    assert statements_module._RENDERED

    bench.forget_what_was_read()

    assert not statements_module._RENDERED
    assert lexicon.correct.cache_info().currsize == 0


def test_replay_throughput_counts_every_turn_of_every_transcript() -> None:
    files = sorted(bench.TRANSCRIPTS.glob("*.transcript.yaml"))
    expected = sum(len(load_transcript(p).turns) for p in files)

    turns, seconds = bench.replay_throughput(rounds=1)

    assert len(files) >= 25
    assert turns == expected
    assert seconds > 0


def test_replay_speed_times_every_turn_alone() -> None:
    n_files, turns_per_s, samples = bench.replay_speed()
    assert n_files == len(list(bench.TRANSCRIPTS.glob("*.transcript.yaml")))
    assert turns_per_s > 0
    assert len(samples) % sum(len(turns) for _, turns in bench.transcripts()) == 0
