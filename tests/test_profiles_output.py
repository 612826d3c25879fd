"""Profiles and the comparison in the outside faces: the JSON answer (assistant.answer/1 keeps every key and
gains "comparison" when asked), `assistant ask --profile/--compare`, the config file, and the Markdown table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.conversation import Conversation
from assistant.corpus import default_corpus
from tests.test_cli import CONTRACT_KEYS, FACT_KEYS

Q = "67-year-old woman, femoral neck T-score -1.7, FRAX 11% major and 1.4% hip"


def ask(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["ask", *argv]) == 0
    return capsys.readouterr().out


def _contract(d: dict) -> None:
    assert d["schema"] == "assistant.answer/1"
    assert CONTRACT_KEYS <= set(d)
    assert FACT_KEYS <= set(d["facts"])


def test_json_carries_the_profile_and_no_comparison_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    d = json.loads(ask(capsys, "--format", "json", "--profile", "acp", Q))
    _contract(d)
    assert d["profile"] == "acp"
    assert d["decision"]["pharmacologic_treatment"] == "conditional"
    assert "comparison" not in d


def test_ask_compare_adds_the_comparison_key(capsys: pytest.CaptureFixture[str]) -> None:
    d = json.loads(ask(capsys, "--format", "json", "--compare", Q))
    _contract(d)
    assert d["profile"] == "us"
    c = d["comparison"]
    assert c["profile_in_use"] == "us"
    assert [p["id"] for p in c["profiles"]] == ["us", "aace", "acp", "endocrine"]
    assert c["decisions"] == {"us": "no", "aace": "no", "acp": "conditional", "endocrine": "no"}
    assert "decision" in c["differ"]
    rows = {r["id"]: r for r in c["rows"]}
    assert set(rows) >= {"decision", "very_high_risk", "drugs", "frax", "vitamin_d", "monitoring", "holiday"}
    passages = default_corpus().passages
    cited = {x["passage"] for x in d["citations"]}
    for r in rows.values():
        for cell in r["cells"].values():
            assert cell["text"] and cell["citations"]
            assert all(pid in passages and pid in cited for pid in cell["citations"])
    refs = {r["id"] for r in d["references"]}
    assert {"nogg-2022", "kanis-2021-nogg", "acp-2017"} <= refs


def test_profile_switch_mid_conversation_shows_in_json() -> None:
    conv = Conversation()
    conv.ask(Q)
    reply = conv.ask("use the AACE profile")
    d = json.loads(reply.format("json"))
    _contract(d)
    assert d["profile"] == "aace"
    assert any("Guideline profile changed from US default (BHOF 2022) to AACE/ACE 2020" in p for p in d["preface"])
    d2 = json.loads(conv.ask("compare guidelines").format("json"))
    assert d2["profile"] == "aace" and d2["comparison"]["profile_in_use"] == "aace"


def test_config_file_sets_the_default_profile(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('profile = "endocrine"\n', encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(cfg))
    d = json.loads(ask(capsys, "--format", "json", Q))
    assert d["profile"] == "endocrine"
    d = json.loads(ask(capsys, "--format", "json", "--profile", "us", Q))
    assert d["profile"] == "us"  # the flag wins over the config file


def test_markdown_comparison_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = ask(capsys, "--format", "markdown", "--compare", Q)
    assert "| | US (BHOF 2022) | AACE/ACE 2020 | ACP 2023 | Endocrine 2019/2020 |" in out
    assert "| **Treatment decision** *(differs)* |" in out
    assert "Not indicated: FRAX below the thresholds [" in out


def test_text_comparison_marks_the_rows_that_differ(capsys: pytest.CaptureFixture[str]) -> None:
    out = ask(capsys, "--compare", "72-year-old woman, femoral neck T-score -2.9")
    assert "Guidelines side by side (profile in use: US (BHOF 2022))" in out
    assert "Treatment decision  <- differs" not in out  # T <= -2.5: treated under every profile
    assert "Very high risk  <- differs" in out
    assert "The profiles differ on: very high risk" in out


def test_profile_without_facts_is_a_plain_message() -> None:
    reply = Conversation().ask("use the endocrine society profile")
    assert reply.kind == "message"
    assert "Guideline profile set to Endocrine Society 2019/2020" in reply.text
