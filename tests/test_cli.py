"""The one-shot command: formats, exit codes, the JSON contract, and a light import path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.answer_text import after_read_as
from tests.conftest import SEED_QUESTION

CONTRACT_KEYS = {
    "schema",
    "question",
    "in_scope",
    "facts",
    "classification",
    "decision",
    "recommendations",
    "missing_facts",
    "references",
    "disclaimer",
    "trace",
}
FACT_KEYS = {
    "age",
    "sex",
    "menopause",
    "t_scores",
    "z_scores",
    "frax",
    "prior_fragility_fracture",
    "fracture_sites",
    "glucocorticoids",
    "egfr",
    "vitamin_d",
    "medications",
}


def run(cmd: list[str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.fixture(scope="module")
def seed_json() -> dict:
    from assistant.cli import main  # noqa: F401  (import check)
    from assistant.conversation import Conversation

    return json.loads(Conversation().ask(SEED_QUESTION).format("json"))


def test_json_answer_has_every_contract_key(seed_json: dict) -> None:
    assert CONTRACT_KEYS <= set(seed_json)
    assert seed_json["schema"] == "assistant.answer/1"
    assert FACT_KEYS <= set(seed_json["facts"])
    assert set(seed_json["classification"]) >= {"category", "lowest_t_score", "site"}
    assert set(seed_json["decision"]) >= {"pharmacologic_treatment", "because"}


def test_json_answer_for_the_seed(seed_json: dict) -> None:
    assert seed_json["question"] == SEED_QUESTION
    assert seed_json["in_scope"] is True
    assert seed_json["facts"]["t_scores"] == {"total_hip": -1.1, "femoral_neck": -1.7}
    assert seed_json["classification"] == {
        "category": "osteopenia",
        "lowest_t_score": -1.7,
        "site": "femoral_neck",
        "basis": "bmd",
    }
    assert seed_json["decision"]["pharmacologic_treatment"] == "conditional"
    assert seed_json["decision"]["because"]
    assert {"age", "sex", "frax"} <= set(seed_json["missing_facts"])


def test_json_citations_resolve_and_references_are_listed(seed_json: dict) -> None:
    from assistant.corpus import default_corpus

    corpus = default_corpus()
    cited_refs = set()
    for rec in seed_json["recommendations"]:
        assert rec["citations"], rec["id"]
        assert rec["text"]
        for pid in rec["citations"]:
            assert pid in corpus.passages
            cited_refs.add(corpus.passages[pid].ref)
    listed = {r["id"] for r in seed_json["references"]}
    assert cited_refs <= listed
    for ref in seed_json["references"]:
        assert {"id", "title", "source", "year", "url"} <= set(ref)


def test_trace_records_rules_with_facts_used(seed_json: dict) -> None:
    assert seed_json["trace"]
    for step in seed_json["trace"]:
        assert {"rule", "used", "result"} <= set(step)


def test_ask_text_and_markdown_and_stdin(assistant_cmd: list[str]) -> None:
    text = run(assistant_cmd, "ask", SEED_QUESTION)
    assert text.returncode == 0, text.stderr
    assert after_read_as(text.stdout).startswith("Treat: it depends on the fracture risk.")
    assert "Disclaimer" in text.stdout
    md = run(assistant_cmd, "ask", "--format", "markdown", SEED_QUESTION)
    assert md.returncode == 0 and "### Sources" in md.stdout
    assert after_read_as(md.stdout).startswith("**Treat: it depends on the fracture risk.")
    full = run(assistant_cmd, "ask", "--full", SEED_QUESTION)
    assert full.returncode == 0 and len(full.stdout.split()) > len(text.stdout.split())
    assert "Pitfalls to avoid" in full.stdout and "more points in the full plan" not in full.stdout
    piped = run(assistant_cmd, "ask", "-", stdin=SEED_QUESTION)
    assert piped.returncode == 0 and piped.stdout == text.stdout


def test_batch_jsonl_gives_one_json_a_line(assistant_cmd: list[str], tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(SEED_QUESTION + "\n\nHow do I treat gout?\n", encoding="utf-8")
    res = run(assistant_cmd, "ask", "--format", "jsonl", "--batch", str(questions))
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["decision"]["pharmacologic_treatment"] == "conditional"
    assert second["in_scope"] is False


@pytest.mark.parametrize(
    "args",
    [
        ["ask"],
        ["ask", "--format", "yaml", "x"],
        ["ask", "--batch", "/nonexistent/file.txt"],
        ["ask", "x", "--batch", "y"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_with_one_line(assistant_cmd: list[str], args: list[str]) -> None:
    res = run(assistant_cmd, *args)
    assert res.returncode == 2
    assert res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr


def test_out_of_scope_question_still_exits_0(assistant_cmd: list[str]) -> None:
    res = run(assistant_cmd, "ask", "What is the best treatment for gout?")
    assert res.returncode == 0
    assert "Disclaimer" in res.stdout


def test_ask_does_not_import_textual() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from assistant.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', 'osteopenia T-score -1.7'])\n"
        "print('textual' in sys.modules)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"


def test_one_shot_ask_loads_only_what_the_answer_needs(tmp_path: Path) -> None:
    """With the data cache warm (the second run) and no config file, a well-spelled question never loads the
    YAML parser, the fuzzy matcher, the TOML reader or subprocess: each costs the cold start several ms."""
    code = (
        "import sys, io, contextlib\n"
        "from assistant.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ask', 'Osteopenia, femoral neck T-score -1.7: what is the management?'])\n"
        "print([m for m in ('yaml', 'rapidfuzz', 'tomllib', 'subprocess') if m in sys.modules])\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("ASSISTANT_NO_CACHE", None)
    env.pop("ASSISTANT_CONFIG", None)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
            for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert "yaml" in runs[0].stdout  # the first run parses the data files (and fills the cache)
    assert runs[1].stdout.strip() == "[]"
    # a typo needs the fuzzy matcher, and gets it
    typo = code.replace("femoral neck", "femural nek").replace("'yaml', ", "")
    res = subprocess.run([sys.executable, "-c", typo], capture_output=True, text=True, timeout=60, env=env)
    assert res.returncode == 0 and "rapidfuzz" in res.stdout, res.stderr


def test_corpus_check_prints_a_summary(assistant_cmd: list[str]) -> None:
    res = run(assistant_cmd, "corpus", "check")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("corpus ok:")


def test_python_dash_m_works() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--format", "json", SEED_QUESTION],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["schema"] == "assistant.answer/1"


def test_corpus_check_refuses_a_broken_corpus_naming_file_line_and_entry(
    assistant_cmd: list[str], tmp_path: Path
) -> None:
    from assistant.corpus import CORPUS_DIR

    (tmp_path / "passages").mkdir()
    (tmp_path / "references.yaml").write_text((CORPUS_DIR / "references.yaml").read_text(encoding="utf-8"))
    (tmp_path / "passages" / "broken.yaml").write_text(
        "- id: bhof-2022#fine\n  ref: bhof-2022\n  where: somewhere\n  text: words\n"
        "- id: bhof-2022#no-text\n  ref: bhof-2022\n  where: somewhere\n",
        encoding="utf-8",
    )
    res = run(assistant_cmd, "corpus", "check", str(tmp_path))
    assert res.returncode == 2
    assert "broken.yaml:5" in res.stderr and "bhof-2022#no-text" in res.stderr and "text" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("content", "problem"),
    [('profile = "nogg"\n', "unknown profile 'nogg'"), ("profile = \n", "cannot be read"), (None, "not found")],
)
def test_a_config_problem_is_reported_on_stderr(
    assistant_cmd: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, problem: str
) -> None:
    config = tmp_path / "config.toml"
    if content is not None:
        config.write_text(content, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    res = run(assistant_cmd, "ask", "what labs?")
    assert res.returncode == 0
    assert problem in res.stderr and "using the us profile" in res.stderr


def test_a_good_config_is_used_silently(
    assistant_cmd: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('profile = "aace"\n', encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(config))
    res = run(assistant_cmd, "ask", "--format", "json", "70-year-old woman, T-score -2.7 at the hip")
    assert res.returncode == 0 and res.stderr == ""
    assert json.loads(res.stdout)["profile"] == "aace"


def test_plain_chat_wraps_to_the_terminal_with_hanging_indents() -> None:
    from assistant.plain_chat import wrap

    text = "  * " + "word " * 40 + "[1]\nshort line"
    out = wrap(text, 60)
    lines = out.split("\n")
    assert all(len(line) <= 60 for line in lines)
    assert lines[0].startswith("  * ") and lines[1].startswith("    ") and lines[-1] == "short line"
