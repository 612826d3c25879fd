"""corpus/thresholds.yaml is the one place for every clinical number: complete, grounded in existing passages,
checked by `assistant corpus check`, and read by the decision, the comparison, the picture and the wording alike."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from assistant.corpus import CORPUS_DIR, default_corpus
from assistant.engine.knowledge.thresholds import (
    THRESHOLDS_FILE,
    all_thresholds,
    check_thresholds,
    load_thresholds,
    threshold,
)

QUESTION = "67-year-old woman, femoral neck T-score -1.7, FRAX 17% major and 1.4% hip"
PICTURE = (
    "from assistant.facts import Facts, Frax\n"
    "from assistant.tui.picture import frax_picture\n"
    "print(frax_picture(Facts(frax=Frax(major=17.0, hip=1.4)), 60).plain)\n"
)


def _run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, capture_output=True, text=True, encoding="utf-8", timeout=120, env={**os.environ, **(env or {})}
    )


def _assistant() -> list[str]:
    exe = Path(sys.executable).parent / "assistant"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]


def test_the_api_others_code_against() -> None:
    t = threshold("frax-major-treat")
    assert t.value == 20.0 and t.unit == "%" and t.comparison == ">=" and t.passage == "bhof-2022#who-to-treat"
    assert str(t) == "20%" and str(threshold("t-score-normal")) == "-1.0"
    assert threshold("frax-major-treat", profile="aace").value == 20.0  # no AACE entry: the default


def test_every_threshold_is_complete_and_its_passage_exists_and_states_it() -> None:
    passages = default_corpus().passages
    assert check_thresholds(THRESHOLDS_FILE, passages, []) == []
    for t in all_thresholds():
        assert t.unit and t.comparison in (">=", ">", "<=", "<", "=")
        text = passages[t.passage].text.replace("\u2212", "-")
        number = f"{abs(t.value):g}"
        assert number in text, f"{t.id}: {number} not in its passage {t.passage}"


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, dest)
    return dest


def _edit_thresholds(corpus: Path, tid: str, **changes: object) -> None:
    path = corpus / "thresholds.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for e in entries:
        if e["id"] == tid:
            for k, v in changes.items():
                if v is None:
                    e.pop(k)
                else:
                    e[k] = v
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")


def test_corpus_check_refuses_a_threshold_without_unit(corpus_copy: Path) -> None:
    _edit_thresholds(corpus_copy, "vitamin-d-bhof-target", unit=None)
    res = _run([*_assistant(), "corpus", "check", str(corpus_copy)])
    assert res.returncode == 2 and "vitamin-d-bhof-target" in res.stderr and "missing unit" in res.stderr
    assert "Traceback" not in res.stderr


def test_corpus_check_refuses_a_passage_that_does_not_exist(corpus_copy: Path) -> None:
    _edit_thresholds(corpus_copy, "frax-hip-treat", passage="bhof-2022#nowhere")
    res = _run([*_assistant(), "corpus", "check", str(corpus_copy)])
    assert res.returncode == 2 and "'frax-hip-treat' cites unknown passage 'bhof-2022#nowhere'" in res.stderr


def test_corpus_check_refuses_an_unknown_threshold_id(corpus_copy: Path) -> None:
    profiles = corpus_copy / "profiles.yaml"
    text = profiles.read_text(encoding="utf-8").replace("{threshold: acp-treat-years}", "{threshold: acp-treat-yrs}")
    profiles.write_text(text, encoding="utf-8")
    res = _run([*_assistant(), "corpus", "check", str(corpus_copy)])
    assert res.returncode == 2 and "unknown threshold 'acp-treat-yrs'" in res.stderr


def test_the_bundled_file_is_refused_when_broken(tmp_path: Path) -> None:
    bad = tmp_path / "thresholds.yaml"
    bad.write_text("- id: x\n  value: 1\n  comparison: '>'\n  passage: who-1994#t-score-categories\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing unit"):
        load_thresholds(bad)


def _answers(env: dict[str, str] | None) -> tuple[dict, str, str]:
    res = _run([*_assistant(), "ask", "--format", "json", "--compare", QUESTION], env)
    assert res.returncode == 0, res.stderr
    text = _run([*_assistant(), "ask", "--compare", QUESTION], env)
    picture = _run([sys.executable, "-c", PICTURE], env)
    assert picture.returncode == 0, picture.stderr
    return json.loads(res.stdout), text.stdout, picture.stdout


def test_changing_one_threshold_changes_decision_comparison_picture_and_wording(tmp_path: Path) -> None:
    """FRAX major 17%: below the bundled 20% (not indicated); at or over 15% once the file says 15."""
    before, before_text, before_picture = _answers(None)
    assert before["decision"]["pharmacologic_treatment"] == "no"
    assert "below 20%" in before["decision"]["because"] and "under the 20% threshold" in before_picture

    modified = tmp_path / "thresholds.yaml"
    entries = yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8"))
    for e in entries:
        if e["id"] == "frax-major-treat":
            e["value"] = 15.0
    modified.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    after, after_text, after_picture = _answers({"ASSISTANT_THRESHOLDS": str(modified)})

    # the decision and its wording
    assert after["decision"]["pharmacologic_treatment"] == "yes"
    assert "threshold of 15% for major" in after["decision"]["because"]
    assert any(s["threshold"] == "FRAX major >= 15% or hip >= 3%" for s in after["trace"])
    # the guideline comparison: the US, AACE and Endocrine profiles use the same FRAX threshold
    decisions = after["comparison"]["decisions"]
    assert (decisions["us"], decisions["aace"], decisions["endocrine"]) == ("yes", "yes", "yes")
    assert before["comparison"]["decisions"]["us"] == "no"
    frax_row = next(r for r in after["comparison"]["rows"] if r["id"] == "frax")
    assert "15%" in frax_row["cells"]["us"]["text"] and "20%" not in frax_row["cells"]["us"]["text"]
    # the picture
    assert "over the 15% threshold" in after_picture or "at the 15% threshold" in after_picture
    assert "20%" not in after_picture
    # and the words everywhere in the answer: no stale 20% left
    assert before_text.count("20%") >= 5 and "20%" not in after_text and after_text.count("15%") >= 5
