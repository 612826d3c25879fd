"""Transcript replay: expectations, snapshots and diffs, malformed files, --update, save, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.conversation import Conversation
from assistant.replay import (
    TranscriptError,
    load_transcript,
    main_replay,
    parse_transcript,
    run_transcript,
    save_transcript,
)
from tests.conftest import ROOT, SEED_QUESTION

TRANSCRIPTS = ROOT / "tests" / "transcripts"


def _write(tmp_path: Path, text: str, name: str = "t.transcript.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = f"""name: seed then FRAX
turns:
  - user: "{SEED_QUESTION}"
    expect:
      facts: {{t_scores: {{total_hip: -1.1, femoral_neck: -1.7}}}}
      classification: osteopenia
      decision: conditional
      says: ["FRAX", "20%"]
  - user: "She is 67; FRAX 11% major, 1.4% hip."
    expect: {{decision: no, facts: {{age: 67, frax: {{major: 11, hip: 1.4}}}}}}
"""


# -- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name: x\nturns:\n  - user: hi\n    expect: {decisoin: no}\n", 4, "unknown key 'decisoin'"),
        ("name: x\nturns:\n  - user: hi\n    expext: {}\n", 4, "unknown key 'expext'"),
        ("name: x\nturns:\n  - user: hi\n  - usr: hello\n", 4, "unknown key 'usr'"),
        ("name: x\nturns: []\n", 2, "non-empty"),
        ("turns:\n  - user: hi\n", 1, "missing required key 'name'"),
        ("name: x\nprofile: nice\nturns:\n  - user: hi\n", 2, "unknown profile"),
        ("name: x\nturns:\n  - user: hi\n    expect:\n      decision: maybe\n", 5, "decision must be one of"),
        ("name: x\nturns:\n  - user: hi\n    expect:\n      facts: {agee: 3}\n", 5, "unknown key 'agee'"),
        ("name: x\nturns:\n  - user: [hi\n", 4, "not valid YAML"),
        ("name: x\nturns:\n  - user: hi\n    expect:\n      says: {a: 1}\n", 5, "list of strings"),
        ("", 1, "empty"),
    ],
)
def test_a_malformed_transcript_is_refused_with_file_line_and_fault(text: str, line: int, words: str) -> None:
    with pytest.raises(TranscriptError) as exc:
        parse_transcript(text, "bad.transcript.yaml")
    assert exc.value.line == line, str(exc.value)
    assert words in str(exc.value)
    assert str(exc.value).startswith(f"bad.transcript.yaml:{line}: ")


def test_decision_no_is_read_as_the_word_no_not_false() -> None:
    t = parse_transcript("name: x\nturns:\n  - user: hi\n    expect: {decision: no}\n")
    assert t.turns[0].expect is not None and t.turns[0].expect.decision == "no"


def test_the_replay_command_refuses_a_malformed_file_with_exit_2(tmp_path: Path, capsys) -> None:
    bad = _write(tmp_path, "name: x\nturns:\n  - user: hi\n    surprise: 1\n")
    assert main_replay([str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4:" in err and "surprise" in err


# -- running -------------------------------------------------------------------------------------
def test_a_passing_transcript_exits_0_with_a_line_per_turn(tmp_path: Path, capsys) -> None:
    p = _write(tmp_path, GOOD)
    assert main_replay([str(p)]) == 0
    out = capsys.readouterr().out
    assert out.count("ok   ") == 2 and "1 passed, 0 failed" in out


def test_a_failing_expectation_fails_and_says_what(tmp_path: Path, capsys) -> None:
    p = _write(tmp_path, GOOD.replace("expect: {decision: no,", "expect: {decision: yes,"))
    assert main_replay([str(p)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "decision: expected 'yes', got 'no'" in out


@pytest.mark.parametrize(
    ("says", "not_says", "failure"),
    [
        (["frax", "FRAX"], [], None),  # says: any case finds the phrase
        (["quantum"], [], "says: 'quantum' is not in the answer"),
        ([], ["frax"], "not_says: 'frax' is in the answer"),  # not_says: any case is a hit
        (["FRAX"], ["QUANTUM"], None),
    ],
)
def test_says_and_not_says_ignore_case(tmp_path: Path, capsys, says: list[str], not_says: list[str],
                                       failure: str | None) -> None:
    text = f'name: x\nturns:\n  - user: "{SEED_QUESTION}"\n    expect: {{says: {says}, not_says: {not_says}}}\n'
    p = _write(tmp_path, text)
    out_code = main_replay([str(p)])
    out = capsys.readouterr().out
    if failure is None:
        assert out_code == 0, out
    else:
        assert out_code == 1 and failure in out, out


def test_a_changed_snapshot_fails_with_a_unified_diff(tmp_path: Path, capsys) -> None:
    text = "name: x\nturns:\n  - user: new patient\n    answer: |\n      Something else entirely.\n"
    p = _write(tmp_path, text)
    assert main_replay([str(p)]) == 1
    out = capsys.readouterr().out
    assert "--- " in out and "+++ " in out and "-Something else entirely." in out and "+Starting over" in out


def test_update_rerecords_snapshots_and_keeps_the_rest(tmp_path: Path, capsys) -> None:
    text = (
        "# a comment that must survive\n"
        "name: x\n"
        "turns:\n"
        f'  - user: "{SEED_QUESTION}"\n'
        "    answer: stale  # old\n"
        "    expect: {decision: conditional}\n"
        "  - user: new patient\n"
        "    answer:\n"
        "  - user: why?\n"
    )
    p = _write(tmp_path, text)
    assert main_replay([str(p)]) == 1
    assert main_replay([str(p)], update=True) == 0
    new = p.read_text(encoding="utf-8")
    assert new.startswith("# a comment that must survive\nname: x\n")
    assert "expect: {decision: conditional}" in new
    t = load_transcript(p)
    assert t.turns[1].answer is not None and t.turns[1].answer.startswith("Starting over")
    assert not t.turns[2].has_answer
    capsys.readouterr()
    assert main_replay([str(p)]) == 0


def test_xfail_turns_a_failure_into_an_expected_failure(tmp_path: Path, capsys) -> None:
    p = _write(tmp_path, 'xfail: "known engine gap"\n' + GOOD.replace("decision: no,", "decision: yes,"))
    assert main_replay([str(p)]) == 0
    assert "XFAIL" in capsys.readouterr().out


# -- saving --------------------------------------------------------------------------------------
TURNS = [
    SEED_QUESTION,
    "She is 67; FRAX 11% major, 1.4% hip.",
    "what if her eGFR were 30?",
    "why?",
    "show 2",
    "what do you need?",
    "[bold]x[/] \x1b[31m \u2603 \"quotes\" and: colons # not a comment",
    "new patient",
]


def test_a_saved_conversation_replays_green(tmp_path: Path) -> None:
    conv = Conversation()
    for turn in TURNS:
        conv.ask(turn)
    path = save_transcript(conv, tmp_path / "saved.transcript.yaml")
    t = load_transcript(path)
    assert [turn.user for turn in t.turns] == TURNS
    result = run_transcript(t)
    assert result.ok, result.report(passing=False)
    assert all(turn.has_answer for turn in t.turns)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_the_plain_chat_saves_a_transcript(tmp_path: Path, assistant_cmd: list[str]) -> None:
    out = tmp_path / "chat.transcript.yaml"
    proc = subprocess.run(
        [*assistant_cmd, "chat", "--plain", "--transcript", str(out)],
        input="\n".join(TURNS[:3]) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert main_replay([str(out)]) == 0


# -- determinism ---------------------------------------------------------------------------------
def _run_turns(tmp_path: Path, seed: str, assistant_cmd: list[str]) -> bytes:
    turns = tmp_path / "turns.txt"
    turns.write_text("\n".join(TURNS[:6]) + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONHASHSEED=seed)
    proc = subprocess.run(
        [*assistant_cmd, "ask", "--format", "jsonl", "--turns", str(turns)], capture_output=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_replies_are_the_same_bytes_across_processes_and_hash_seeds(tmp_path: Path, assistant_cmd) -> None:
    a = _run_turns(tmp_path, "0", assistant_cmd)
    b = _run_turns(tmp_path, "12345", assistant_cmd)
    assert a == b and len(a.splitlines()) == 6


def test_the_transcript_suite_gives_the_same_answers_in_another_hash_seed() -> None:
    files = sorted(str(p) for p in TRANSCRIPTS.glob("*.transcript.yaml"))
    code = (
        "import sys\n"
        "from assistant.replay import load_transcript, run_transcript\n"
        "for f in sys.argv[1:]:\n"
        "    for t in run_transcript(load_transcript(f)).turns:\n"
        "        sys.stdout.write(t.reply.format('json'))\n"
    )
    outs = []
    for seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1] and len(outs[0].splitlines()) >= 100


# -- the pytest plugin, in a test suite of its own -------------------------------------------------
def test_the_plugin_collects_transcripts_in_any_suite(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "good.transcript.yaml")
    stale = "name: stale\nturns:\n  - user: new patient\n    answer: |\n      Old words.\n"
    _write(tmp_path, stale, "stale.transcript.yaml")
    _write(tmp_path, "name: bad\nturns:\n  - user: hi\n    expect: {decison: no}\n", "bad.transcript.yaml")
    _write(tmp_path, "name: x\nturns:\n  - user: hi\n", "ignored.yaml")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--continue-on-collection-errors",
         str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "1 failed, 1 passed, 1 error" in out
    assert "-Old words." in out and "+Starting over" in out  # the failing snapshot's diff
    assert "bad.transcript.yaml:4: unknown key 'decison'" in out
