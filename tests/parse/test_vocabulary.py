"""The closed condition vocabulary: the parser produces, and the engine tests, only the lexicon's names."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.facts import KNOWN_CONDITIONS
from assistant.parse import parse
from assistant.parse.lexicon import LEXICON_PATH, condition_vocabulary
from assistant.parse.vocabulary import check_vocabulary


def test_the_bundled_vocabulary_is_closed() -> None:
    assert check_vocabulary() == []
    assert set(condition_vocabulary()) == set(KNOWN_CONDITIONS)


def test_an_unknown_name_in_the_engine_is_rejected(tmp_path: Path) -> None:
    engine = tmp_path / "engine"
    engine.mkdir()
    (engine / "rule.py").write_text('def r(f):\n    return f.has("osteopenia_stated") or f.has("cushing")\n')
    problems = check_vocabulary(engine_dir=engine)
    assert any("'cushing'" in p and "engine tests unknown" in p for p in problems), problems


def test_a_tested_name_nobody_produces_is_reported(tmp_path: Path) -> None:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    data["concepts"] = [c for c in data["concepts"] if c.get("condition") != "osteomalacia"]
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text(yaml.safe_dump(data), encoding="utf-8")
    engine = tmp_path / "engine"
    engine.mkdir()
    (engine / "rule.py").write_text('def r(f):\n    return f.has("osteomalacia")\n')
    problems = check_vocabulary(lexicon_path=lexicon, engine_dir=engine)
    assert any("'osteomalacia'" in p and "never fire" in p for p in problems), problems


def test_an_unknown_name_in_the_lexicon_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    data["concepts"].append({"id": "gout", "category": "condition", "condition": "gout", "synonyms": ["gout"]})
    lexicon = tmp_path / "lexicon.yaml"
    lexicon.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert any("unknown condition 'gout'" in p for p in check_vocabulary(lexicon_path=lexicon))


SAMPLES = [
    "67F on letrozole for breast cancer, s/p sleeve gastrectomy, ESRD on peritoneal dialysis",
    "72M on leuprolide for prostate cancer, PHPT, T2DM, osteomalacia, Cushing's, AFF on alendronate",
    "smoker, RA, heavy drinker, mother broke her hip, recent MI, achalasia, bedbound, low calcium",
    "falls, recent fracture, fracture while on denosumab, multiple vertebral fractures, DVT, thigh pain",
    "celiac disease, declining BMD, on HRT, dental extraction planned, anaemia, paraprotein",
]


def test_the_parser_produces_only_vocabulary_names() -> None:
    for text in SAMPLES:
        for key in parse(text).facts.conditions:
            assert key in KNOWN_CONDITIONS, (text, key)
