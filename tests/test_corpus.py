"""The bundled corpus loads and is consistent; a broken corpus is refused with a CorpusError that names
the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.corpus import CORPUS_DIR, CorpusError, default_corpus, load_corpus
from assistant.engine import all_rules

SEED_REFERENCES = {
    "bhof-2022",
    "reid-mcclung-2024",
    "osteopenia-review-2012",
    "risedronate-osteopenia-2008",
    "siris-2001",
    "siris-2004",
    "reid-2018",
    "gourlay-2012",
    "asbmr-2016",
    "tsourdi-2021",
    "acr-2022",
    "iom-2011",
    "label-alendronate",
    "label-denosumab",
    "label-zoledronic-acid",
}


def test_bundled_corpus_loads() -> None:
    c = load_corpus()
    assert len(c.references) >= 50 and len(c.passages) >= 40
    assert SEED_REFERENCES <= set(c.references)


def test_reference_data_is_as_the_sources_sheet_gives_it() -> None:
    refs = default_corpus().references
    assert refs["bhof-2022"].doi == "10.1007/s00198-021-05900-y" and refs["bhof-2022"].year == 2022
    assert refs["reid-mcclung-2024"].source.startswith("Lancet Diabetes Endocrinol 2024")
    assert refs["osteopenia-review-2012"].pmid == "21710179"
    assert refs["risedronate-osteopenia-2008"].authors is None  # authors unverified: left out
    assert refs["label-denosumab"].year == 2024 and refs["label-denosumab"].kind == "label"
    assert refs["label-alendronate"].year is None  # the sheet gives no year: none invented


def test_every_passage_id_cited_by_a_rule_exists() -> None:
    passages = default_corpus().passages
    missing = [(r.id, c) for r in all_rules() for c in r.cites if c not in passages]
    assert not missing


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, dest)
    return dest


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_bad_yaml_is_refused_naming_the_file(corpus_copy: Path) -> None:
    bad = corpus_copy / "passages" / "diagnosis.yaml"
    _append(bad, "\n- id: [unclosed\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "diagnosis.yaml" in str(err.value) and "YAML" in str(err.value)


def test_missing_field_is_refused_naming_file_and_entry(corpus_copy: Path) -> None:
    _append(
        corpus_copy / "passages" / "risk.yaml", "\n- id: bhof-2022#no-text-here\n  ref: bhof-2022\n  where: somewhere\n"
    )
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    msg = str(err.value)
    assert "risk.yaml" in msg and "bhof-2022#no-text-here" in msg and "text" in msg


def test_duplicate_passage_id_is_refused(corpus_copy: Path) -> None:
    _append(
        corpus_copy / "passages" / "evidence.yaml",
        "\n- id: who-1994#t-score-categories\n  ref: who-1994\n  where: again\n  text: a copy\n",
    )
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "duplicate" in str(err.value) and "who-1994#t-score-categories" in str(err.value)


def test_duplicate_reference_id_is_refused(corpus_copy: Path) -> None:
    _append(corpus_copy / "references.yaml", "\n- id: bhof-2022\n  title: again\n  source: x\n  year: 2022\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "references.yaml" in str(err.value) and "duplicate" in str(err.value)


def test_unknown_reference_is_refused(corpus_copy: Path) -> None:
    _append(
        corpus_copy / "passages" / "special.yaml",
        "\n- id: made-up-2030#x\n  ref: made-up-2030\n  where: nowhere\n  text: invented\n",
    )
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "special.yaml" in str(err.value) and "made-up-2030" in str(err.value)


@pytest.mark.parametrize("bad_id", ["BHOF-2022#Upper", "bhof-2022-no-hash", "bhof-2022#has space"])
def test_badly_shaped_passage_id_is_refused(corpus_copy: Path, bad_id: str) -> None:
    _append(
        corpus_copy / "passages" / "pitfalls.yaml",
        f'\n- id: "{bad_id}"\n  ref: bhof-2022\n  where: here\n  text: something\n',
    )
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "pitfalls.yaml" in str(err.value) and bad_id in str(err.value)


def test_passage_id_must_start_with_its_reference(corpus_copy: Path) -> None:
    _append(
        corpus_copy / "passages" / "decision.yaml",
        "\n- id: who-1994#wrong-ref\n  ref: bhof-2022\n  where: here\n  text: something\n",
    )
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "who-1994#wrong-ref" in str(err.value)


def test_reference_year_out_of_range_is_refused(corpus_copy: Path) -> None:
    _append(corpus_copy / "references.yaml", "\n- id: odd-1066\n  title: t\n  source: s\n  year: 1066\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus_copy)
    assert "odd-1066" in str(err.value) and "year" in str(err.value)


def test_statement_keys_share_one_style_and_a_snake_case_key_is_refused(monkeypatch, tmp_path: Path) -> None:
    from assistant import statements

    assert statements.check_statements() == len(statements.statement_keys())
    assert all("_" not in key for key in statements.statement_keys())
    (tmp_path / "extra.yaml").write_text("calcium_general: Take calcium.\n", encoding="utf-8")
    monkeypatch.setattr(statements, "STATEMENTS_DIR", tmp_path)
    statements._sources.cache_clear()
    try:
        with pytest.raises(statements.StatementError, match="kebab-case"):
            statements.check_statements()
    finally:
        monkeypatch.undo()
        statements._sources.cache_clear()


def test_a_statement_is_worded_once_only_when_it_reads_nothing_but_thresholds() -> None:
    """Statements that read only thresholds are worded once per process; any other value makes the statement
    render at each use. Checked against Jinja's own list of the names a template reads."""
    from jinja2 import meta

    from assistant import statements

    env = statements.make_environment()
    worded_once = 0
    for key, source in statements.statement_sources().items():
        reads = meta.find_undeclared_variables(env.parse(source))
        if not reads <= {"threshold"}:  # reads a value: never worded once (a threshold look-up written another
            assert statements.takes_values(source), key  # way may be rendered at each use: same words, more work)
        worded_once += "{" in source and not statements.takes_values(source)
    assert worded_once >= 1  # the bundled statements include threshold-only ones
    assert not statements.takes_values('Treat at {{ threshold("frax-major-treat", "endocrine") | num }}%.')
    assert statements.takes_values('At {{ threshold("frax-major-treat") | num }}%, {{ age }} years.')
    assert statements.takes_values('{{ threshold("t-score-normal") - margin }}')
    assert statements.takes_values("{% if male %}men{% endif %}")
