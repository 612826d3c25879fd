"""Statement templates: the wording of every recommendation lives in prompts/statements.yaml.

A statement is a short Jinja2 template keyed by name; the engine names it and gives the values,
this module fills it in. Templates are compiled once per process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
STATEMENTS_DIR = PROMPTS_DIR / "statements"  # one YAML file per topic: key -> template


def num(value: Any) -> str:
    """A number as a clinician writes it: 11.0 -> '11', 1.40 -> '1.4', -1.7 -> '-1.7'."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def join_and(items: Any) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def make_environment() -> Environment:
    env = Environment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = num
    env.filters["join_and"] = join_and
    return env


class StatementError(Exception):
    pass


@lru_cache(maxsize=1)
def _templates() -> dict[str, Template]:
    env = make_environment()
    out: dict[str, Template] = {}
    for path in sorted(STATEMENTS_DIR.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise StatementError(f"{path}: cannot be read: {exc}") from None
        if not isinstance(raw, dict):
            raise StatementError(f"{path}: must map statement keys to templates")
        for key, text in raw.items():
            if not isinstance(text, str):
                raise StatementError(f"{path}: statement {key!r} must be a string")
            if str(key) in out:
                raise StatementError(f"{path}: statement {key!r} is defined twice")
            out[str(key)] = env.from_string(" ".join(text.split()))
    return out


def statement_keys() -> set[str]:
    return set(_templates())


def render_statement(key: str, params: dict[str, Any] | None = None) -> str:
    """Fill statement `key` with `params`. Raises StatementError for an unknown key or missing value."""
    try:
        template = _templates()[key]
    except KeyError:
        raise StatementError(f"unknown statement {key!r} (not in {STATEMENTS_DIR})") from None
    try:
        return template.render(**(params or {}))
    except Exception as exc:  # jinja2 UndefinedError and friends
        raise StatementError(f"statement {key!r}: {exc}") from None
