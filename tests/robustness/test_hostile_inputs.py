"""Hostile and odd inputs, from the catalogue, through Conversation, the CLI and the terminal app.

Every row must give an answer or a clear message: no traceback, no hang, no control codes in the
output, no value used that should have been questioned; and then whatever the row itself expects.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.conversation import Conversation, Reply
from assistant.corpus import CorpusError, load_corpus
from assistant.facts import Facts
from tests.conftest import ROOT
from tests.robustness.checks import UNSAFE_CHARS, check_reply, fact_value, same_value
from tests.robustness.hostile_catalogue import CASES, Case

HANG_SECONDS = 30  # a guard against hangs, not a timing test: a normal turn takes milliseconds


@contextlib.contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def fire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer after {seconds} s: the input hangs the assistant")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def facts_of(reply: Reply, conv: Conversation) -> dict[str, Any]:
    facts = reply.answer.assessment.facts if reply.answer is not None else conv.facts
    return facts.contract_dict()


def check_case(case: Case, reply: Reply, conv: Conversation) -> None:
    """The row's own expectations (the universal ones are in checks.check_reply)."""
    assert reply.kind in case.kinds, f"reply kind {reply.kind!r}, expected one of {sorted(case.kinds)}"
    low = reply.text.lower()
    for s in case.says:
        assert s.lower() in low, f"answer does not say {s!r}"
    for s in case.not_says:
        assert s.lower() not in low, f"answer says {s!r}"
    facts = facts_of(reply, conv)
    for path, want in case.facts.items():
        got = fact_value(facts, path)
        assert same_value(got, want), f"{path}: read {got!r}, expected {want!r}"
    for path, bad in case.not_facts.items():
        got = fact_value(facts, path)
        if bad is None:
            assert got is None, f"{path} should stay unset, got {got!r}"
        else:
            assert not same_value(got, bad), f"{path} holds {got!r}, a value it should have questioned"
    if case.questioned:
        asked = [q["field"] for q in facts["questions"]] + [c["field"] for c in facts["contradictions"]]
        for prefix in case.questioned:
            assert any(f.startswith(prefix) for f in asked), f"{prefix} not questioned (asked back: {asked})"
    a = reply.answer.assessment if reply.answer is not None else None
    if case.decisions is not None and a is not None:
        assert a.decision.value in case.decisions, f"decision {a.decision.value!r}"
    if case.in_scope is not None:
        in_scope = a.in_scope if a is not None and reply.kind in ("answer", "out_of_scope") else False
        assert in_scope == case.in_scope, f"in_scope {in_scope}, expected {case.in_scope}"
    for drug in case.no_drug:
        meds = [m["name"] for m in facts["medications"]]
        assert drug not in meds, f"{drug} taken into the patient's facts from an instruction: {meds}"
        if reply.answer is not None and reply.answer.headline is not None:
            assert drug not in reply.answer.headline.text.lower(), f"bottom line recommends {drug}"
    if case.same_as is not None:
        base = Conversation(profile="us").ask(case.same_as)
        assert base.answer is not None and a is not None, "baseline or hostile turn gave no answer"
        b = base.answer.assessment
        assert a.decision == b.decision, f"injected text changed the decision: {b.decision} -> {a.decision}"
        assert a.classification == b.classification, "injected text changed the classification"
        assert facts["medications"] == b.facts.contract_dict()["medications"], "injected text added drugs"
    extra = EXTRA_CHECKS.get(case.id)
    if extra is not None:
        extra(reply, facts)


def _same_site_conflict(reply: Reply, facts: dict[str, Any]) -> None:
    fn = fact_value(facts, "t_scores.femoral_neck")
    conflict = any(c["field"].startswith("t_score") for c in facts["contradictions"] + facts["questions"])
    if fn is None:
        assert conflict, "two femoral neck values: neither used, but nothing asked back"
    else:
        assert same_value(fn, -2.9), f"two femoral neck values: used {fn}, not the lowest (-2.9)"
        assert "1.2" in reply.text and "2.9" in reply.text, "the answer does not say it saw both values"


EXTRA_CHECKS = {"contradictory-same-site": _same_site_conflict}


# Rows whose right expectation the current code does not meet yet: the owning layer and the gap.
# Not strict: when a fix lands the row simply passes (XPASS); then delete its line here.
KNOWN_GAPS: dict[str, str] = {
}


def _params(cases: tuple[Case, ...] | list[Case]) -> list[object]:
    return [
        pytest.param(c, id=c.id, marks=pytest.mark.xfail(reason=KNOWN_GAPS[c.id], strict=False))
        if c.id in KNOWN_GAPS
        else pytest.param(c, id=c.id)
        for c in cases
    ]


# -- Conversation --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", _params(CASES))
def test_conversation_survives_and_behaves(case: Case) -> None:
    conv = Conversation(profile="us")
    for turn in case.before:
        conv.ask(turn)
    with no_hang():
        reply = conv.ask(case.text)
    check_reply(reply)
    check_case(case, reply, conv)


def test_conversation_survives_the_whole_catalogue_in_one_conversation() -> None:
    """Hostile turns must not poison the state: a clean question afterwards is still answered right."""
    conv = Conversation(profile="us")
    earlier: list[Facts] = []
    with no_hang(120):
        for case in CASES:
            earlier.append(conv.facts)
            check_reply(conv.ask(case.text), earlier=earlier)
        conv.ask("new patient")
        reply = conv.ask("65-year-old woman, T-score -2.7 at the lumbar spine. Treat?")
    check_reply(reply)
    assert reply.answer is not None
    assert reply.answer.assessment.decision.value == "yes"


# -- CLI: a few whole processes, then the whole catalogue in one batch ------------------------------
def _cli(
    cmd: list[str], *args: str | bytes, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, timeout=120, env=env)


def _no_traceback(proc: subprocess.CompletedProcess[bytes]) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, f"traceback on stderr:\n{err[-2000:]}"


CLI_CASES = [c for c in CASES if c.cli]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_ask_process(case: Case, assistant_cmd: list[str]) -> None:
    by_stdin = "\x00" in case.text or len(case.text) > 100_000
    if by_stdin:
        proc = _cli(assistant_cmd, "ask", "-", stdin=case.text.encode("utf-8"))
    else:
        proc = _cli(assistant_cmd, "ask", case.text)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    assert out.strip(), "no answer on stdout"
    bad = UNSAFE_CHARS.search(out)
    assert bad is None, f"control character {bad.group()!r} written to the terminal"


@pytest.mark.parametrize("case", CLI_CASES[:3], ids=[c.id for c in CLI_CASES[:3]])
def test_cli_ask_json_process(case: Case, assistant_cmd: list[str]) -> None:
    proc = _cli(assistant_cmd, "ask", "--format", "json", "-", stdin=case.text.encode("utf-8"))
    _no_traceback(proc)
    assert proc.returncode == 0
    obj = json.loads(proc.stdout.decode("utf-8"))
    assert obj["schema"] in ("assistant.answer/1", "assistant.reply/1")


def test_cli_invalid_utf8_on_stdin(assistant_cmd: list[str]) -> None:
    proc = _cli(assistant_cmd, "ask", "-", stdin=b"\xff\xfe 67F T-score -2.6 at the femoral neck \xc3(")
    _no_traceback(proc)
    assert proc.returncode in (0, 2)
    if proc.returncode == 2:
        assert len(proc.stderr.decode().strip().splitlines()) == 1, "usage errors are one line"


def test_cli_invalid_utf8_in_argv(assistant_cmd: list[str]) -> None:
    proc = _cli(assistant_cmd, "ask", b"\xff\xfe 67F T-score -2.6 at the femoral neck")
    _no_traceback(proc)
    assert proc.returncode == 0
    proc.stdout.decode("utf-8")  # whatever came in, valid UTF-8 goes out


def _batch_lines() -> list[str]:
    lines = [" ".join(c.text.splitlines()) for c in CASES]
    return [line for line in lines if line.strip()]


def test_cli_batch_whole_catalogue(tmp_path: Path, assistant_cmd: list[str]) -> None:
    lines = _batch_lines()
    path = tmp_path / "hostile.txt"
    # A file cannot hold a lone surrogate: it goes in as U+FFFD, as any editor would save it.
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="replace")
    proc = _cli(assistant_cmd, "ask", "--format", "jsonl", "--batch", str(path))
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    out = proc.stdout.decode("utf-8").splitlines()
    # A line of the file may itself hold characters str.splitlines() breaks on (\x1c, \x85 ...):
    # the CLI reads the file the same way, so count what it will see.
    expected = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(out) == len(expected), f"{len(expected)} questions in, {len(out)} JSON lines out"
    for line, question in zip(out, expected, strict=True):
        obj = json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
        assert obj["schema"] in ("assistant.answer/1", "assistant.reply/1")
        if obj["schema"] == "assistant.answer/1":
            assert obj["question"] == question
            assert obj["disclaimer"]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00bad", None],
    ids=["not-utf8", "missing"],
)
@pytest.mark.parametrize("flag", ["--batch", "--turns"])
def test_cli_unreadable_question_file(
    tmp_path: Path, assistant_cmd: list[str], flag: str, content: bytes | None
) -> None:
    path = tmp_path / "questions.txt"
    if content is not None:
        path.write_bytes(content)
    proc = _cli(assistant_cmd, "ask", flag, str(path))
    _no_traceback(proc)
    assert proc.returncode == 2
    err = proc.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "questions.txt" in err[0]


# -- malformed transcripts: `assistant replay` ----------------------------------------------------------
GOOD_TURN = '  - user: "67F, T-score -2.7 at the lumbar spine"\n'
BAD_TRANSCRIPTS: dict[str, tuple[bytes, tuple[int, ...]]] = {
    # name: (content, lines the error may name (an unclosed bracket: where it opens or where the file
    # ends); () when the file as a whole is at fault)
    "yaml-syntax": (b"name: broken\nturns:\n" + GOOD_TURN.encode() + b"  - user: [unclosed\n", (4, 5)),
    "tab-indent": (b"name: tabs\nturns:\n\t- user: hi\n", (3,)),
    "unknown-expect-key": (
        b"name: typo\nturns:\n" + GOOD_TURN.encode() + b"    expect:\n      decison: yes\n",
        (5,),
    ),
    "turn-without-user": (b"name: nouser\nturns:\n  - expect: {decision: 'yes'}\n", (3,)),
    "turns-not-a-list": (b"name: notlist\nturns: hello\n", (2,)),
    "not-a-mapping": (b"- just\n- a list\n", (1,)),
    "empty-file": (b"", ()),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", ()),
    "not-utf8": (b"name: caf\xe9\nturns:\n" + GOOD_TURN.encode(), ()),
}


@pytest.mark.parametrize("name", sorted(BAD_TRANSCRIPTS))
def test_replay_malformed_transcript(tmp_path: Path, assistant_cmd: list[str], name: str) -> None:
    content, lines = BAD_TRANSCRIPTS[name]
    path = tmp_path / f"{name}.transcript.yaml"
    path.write_bytes(content)
    proc = _cli(assistant_cmd, "replay", str(path))
    _no_traceback(proc)
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-500:]}"
    err = proc.stderr.decode("utf-8", "replace").strip()
    assert err, "no error message"
    assert path.name in err, f"the error does not name the file: {err!r}"
    if lines:
        named = any(re.search(rf"(:{n}\b|line {n}\b)", err) for n in lines)
        assert named, f"the error does not name line {' or '.join(map(str, lines))}: {err!r}"


def test_replay_missing_transcript(tmp_path: Path, assistant_cmd: list[str]) -> None:
    proc = _cli(assistant_cmd, "replay", str(tmp_path / "nowhere.transcript.yaml"))
    _no_traceback(proc)
    assert proc.returncode == 2
    assert "nowhere.transcript.yaml" in proc.stderr.decode()


# -- malformed corpus files: load_corpus -----------------------------------------------------------------
REF = "- id: good-2020\n  title: A title\n  source: A journal\n  year: 2020\n"
PASSAGE = "- id: good-2020#one\n  ref: good-2020\n  where: Section 1\n  text: Some words.\n"
BAD_CORPORA: dict[str, tuple[str, bytes, tuple[int, ...]]] = {
    # name: (file to spoil, its content, lines the error may name; () when the file as a whole is at fault)
    "refs-yaml-syntax": ("references.yaml", (REF + "- id: [broken\n").encode(), (5, 6)),
    "refs-not-a-list": ("references.yaml", b"id: good-2020\n", ()),
    "refs-missing-title": ("references.yaml", (REF + "- id: second-2021\n  source: S\n").encode(), (5,)),
    "refs-duplicate-id": ("references.yaml", (REF + REF).encode(), (5,)),
    "passage-yaml-syntax": ("passages/p.yaml", (PASSAGE + "  text: : :\n  - x\n").encode(), (5,)),
    "passage-unknown-ref": (
        "passages/p.yaml",
        (PASSAGE + "- id: other-2000#x\n  ref: other-2000\n  where: W\n  text: T.\n").encode(),
        (5, 6),
    ),
    "passage-empty-text": ("passages/p.yaml", (PASSAGE + "- id: good-2020#two\n  ref: good-2020\n"
                                                "  where: W\n  text: '   '\n").encode(), (5, 8)),
    "passage-extra-key": ("passages/p.yaml", (PASSAGE + "  colour: red\n").encode(), (1, 5)),
    "passage-not-utf8": ("passages/p.yaml", PASSAGE.encode() + b"# caf\xe9\n", ()),
}


def _corpus_dir(tmp_path: Path) -> Path:
    base = tmp_path / "corpus"
    (base / "passages").mkdir(parents=True)
    (base / "references.yaml").write_text(REF, encoding="utf-8")
    (base / "passages" / "p.yaml").write_text(PASSAGE, encoding="utf-8")
    return base


def test_corpus_fixture_is_valid(tmp_path: Path) -> None:
    corpus = load_corpus(_corpus_dir(tmp_path))
    assert "good-2020#one" in corpus.passages


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in sorted(BAD_CORPORA)
    ],
)
def test_malformed_corpus_names_file_and_line(tmp_path: Path, name: str) -> None:
    rel, content, lines = BAD_CORPORA[name]
    base = _corpus_dir(tmp_path)
    (base / rel).write_bytes(content)
    with pytest.raises(CorpusError) as info:
        load_corpus(base)
    msg = str(info.value)
    assert Path(rel).name in msg, f"the error does not name the file: {msg!r}"
    if lines:
        named = info.value.line in lines or any(re.search(rf":{n}\b", msg) for n in lines)
        assert named, f"the error does not name line {' or '.join(map(str, lines))}: {msg!r}"


def test_real_corpus_copied_still_loads(tmp_path: Path) -> None:
    """The temp-dir loader path is the real one: the bundled corpus copied elsewhere loads the same."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    assert load_corpus(tmp_path / "corpus").passages.keys() == load_corpus().passages.keys()


# -- the terminal app ---------------------------------------------------------------------------------------
TUI_CASE_IDS = (
    "rich-close-only", "rich-link", "textual-click-action", "citation-markers", "rich-variables", "rich-bold",
    "ansi-escapes", "nul-bytes", "emoji", "rtl-hebrew-mixed", "empty", "jinja-injection", "dxa-report",
)


def _tui_available() -> bool:
    try:
        from assistant.tui import app  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _tui_available(), reason="the terminal app (assistant/tui/app.py) has not landed yet")
def test_tui_survives_hostile_inputs() -> None:
    import asyncio

    from tests.robustness.tui_driver import drive_app

    texts = [c.text for c in CASES if c.id in TUI_CASE_IDS]
    with no_hang(120):
        problems = asyncio.run(drive_app(texts))
    assert not problems, "\n".join(problems)


if __name__ == "__main__":  # pragma: no cover - a quick manual run
    sys.exit(pytest.main([__file__, "-q"]))


@pytest.mark.skipif(not _tui_available(), reason="the terminal app (assistant/tui/app.py) has not landed yet")
def test_tui_survives_a_long_paste_and_answers_on() -> None:
    """A 100 kB paste (the 1 MB one works too but takes seconds to lay out), then a normal follow-up."""
    import asyncio

    from tests.robustness.hostile_catalogue import MEGABYTE
    from tests.robustness.tui_driver import drive_app

    with no_hang(120):
        problems = asyncio.run(drive_app([MEGABYTE[:100_000], "why?"]))
    assert not problems, "\n".join(problems)
