"""The closed condition vocabulary, checked: who produces and who tests each `Facts.conditions` key.

corpus/lexicon.yaml's `condition_vocabulary` defines the keys (and their plain words). The parser may
produce only these (the lexicon's `condition:` and `also:` values, its score categories, and the keys the
parser's code writes as "conditions.<key>"), and the engine may test only these (`has("key")`,
`condition("key")`, `conditions.get("key")`, `conditions["key"]`, "conditions.<key>" in its source). A key
the engine tests that nobody produces can never fire: that is reported too. `assistant corpus check`
prints every problem.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.datafiles import read_yaml
from assistant.facts import KNOWN_CONDITIONS
from assistant.parse.lexicon import LEXICON_PATH

PACKAGE = Path(__file__).resolve().parent.parent
PARSER_DIR = PACKAGE / "parse"
ENGINE_DIR = PACKAGE / "engine"
# how code names a condition key
_TESTED = re.compile(
    r"""\b(?:has|condition)\(\s*["']([a-z0-9_]+)["']\s*\)|conditions(?:\.get\(\s*|\[\s*)["']([a-z0-9_]+)["']|"""
    r"""["']conditions\.([a-z0-9_]+)["']"""
)
_WRITTEN = re.compile(r"""f?["'](?:\?)?conditions\.([a-z0-9_]+)["']""")


def names_in_source(directory: Path, pattern: re.Pattern[str] = _TESTED) -> dict[str, list[str]]:
    """Condition keys named in the Python files under `directory` -> the files (relative) naming them."""
    out: dict[str, list[str]] = {}
    for path in sorted(directory.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in pattern.finditer(text):
            name = next(g for g in m.groups() if g)
            out.setdefault(name, []).append(str(path.relative_to(directory.parent)))
    return out


def lexicon_produces(lexicon_path: Path = LEXICON_PATH) -> dict[str, list[str]]:
    """Condition keys the lexicon makes -> the concepts (or score categories) that make them."""
    data = read_yaml(lexicon_path)
    out: dict[str, list[str]] = {}
    for entry in data.get("concepts") or ():
        for key in [entry.get("condition"), *(entry.get("also") or ())]:
            if key:
                out.setdefault(str(key), []).append(f"concept {entry['id']}")
    for entry in data.get("score_categories") or ():
        out.setdefault(str(entry["condition"]), []).append("score_categories")
    return out


def check_vocabulary(lexicon_path: Path = LEXICON_PATH, engine_dir: Path = ENGINE_DIR,
                     parser_dir: Path = PARSER_DIR) -> list[str]:
    """Every problem with the condition vocabulary, in words (an empty list: all is well)."""
    data = read_yaml(lexicon_path)
    vocabulary = set((data.get("condition_vocabulary") or {}).keys())
    problems: list[str] = []
    if vocabulary != set(KNOWN_CONDITIONS):
        for name in sorted(vocabulary - set(KNOWN_CONDITIONS)):
            problems.append(f"condition {name!r} is in the lexicon's vocabulary but not in facts.KNOWN_CONDITIONS")
        for name in sorted(set(KNOWN_CONDITIONS) - vocabulary):
            problems.append(f"condition {name!r} is in facts.KNOWN_CONDITIONS but not in the lexicon's vocabulary")
    produced = lexicon_produces(lexicon_path)
    written = names_in_source(parser_dir, _WRITTEN)
    for name, where in sorted(produced.items()):
        if name not in vocabulary:
            problems.append(f"the lexicon produces unknown condition {name!r} ({', '.join(where)})")
    for name, where in sorted(written.items()):
        if name not in vocabulary:
            problems.append(f"the parser writes unknown condition {name!r} ({', '.join(sorted(set(where)))})")
    tested = names_in_source(engine_dir)
    for name, where in sorted(tested.items()):
        if name not in vocabulary:
            problems.append(f"the engine tests unknown condition {name!r} ({', '.join(sorted(set(where)))})")
        elif name not in produced and name not in written:
            problems.append(f"the engine tests condition {name!r} that nothing produces "
                            f"({', '.join(sorted(set(where)))}): its rule can never fire")
    return problems
