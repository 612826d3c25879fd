"""Statement templates: the wording of every recommendation lives in prompts/statements/*.yaml.

A statement is a short Jinja2 template keyed by name; the engine names it and gives the values,
this module fills it in. Templates are compiled once per process. A template never retypes a clinical
number: it gets it as a parameter or reads it with `{{ threshold(ID) | num }}` (corpus/thresholds.yaml;
`| score` writes a T- or Z-score with one decimal).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FunctionLoader, StrictUndefined, Template

from assistant import datafiles
from assistant.datafiles import cache_dir, parse_yaml_file, yaml_error
from assistant.engine.knowledge.thresholds import threshold

PROMPTS_DIR = datafiles.PROMPTS_DIR
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


def score(value: Any) -> str:
    """A T- or Z-score as DXA reports write it, with one decimal: -1.0, -2.5."""
    return f"{value:.1f}"


def threshold_value(threshold_id: str, profile: str | None = None) -> float:
    """`threshold(ID)` in a template: the number from corpus/thresholds.yaml."""
    return threshold(threshold_id, profile).value


def join_and(items: Any) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (keyed by each template's source checksum), so a
    one-shot `assistant ask` does not pay Jinja's compiler again. None when no cache dir is usable."""
    base = cache_dir()
    if base is None:
        return None
    directory = base / "jinja"
    try:
        directory.mkdir(exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(directory))


# Template sources by name ("statement:<key>", "file:<name>", "<prefix>:<key>"), for the loader.
_REGISTERED: dict[str, str] = {}


def _load_source(name: str) -> str | None:
    return _REGISTERED.get(name)


def make_environment(loader: FunctionLoader | None = None, bytecode_cache: BytecodeCache | None = None) -> Environment:
    env = Environment(
        loader=loader,
        bytecode_cache=bytecode_cache,
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
    )
    env.filters["num"] = num
    env.filters["score"] = score
    env.filters["join_and"] = join_and
    env.globals["threshold"] = threshold_value
    return env


@lru_cache(maxsize=1)
def _shared_environment() -> Environment:
    return make_environment(FunctionLoader(_load_source), _bytecode_cache())


def _loaded(name: str) -> Template:
    template = _shared_environment().get_template(name)
    if not isinstance(template.globals, dict):
        # Jinja gives each template a ChainMap of its globals over the environment's, and copies it into
        # every render's context: flattened once into a plain dict, a short render costs a third as much.
        # Nothing changes the globals after the environment is made, so the snapshot stays true.
        template.globals = dict(template.globals)
    return template


def compile_template(name: str, source: str) -> Template:
    """Compile `source` under a unique `name`, through the shared environment and its bytecode cache."""
    _REGISTERED[name] = source
    return _loaded(name)


_FILE_TEMPLATES: dict[str, Template] = {}  # by file name (asking Jinja's own cache costs five times this look-up)


def file_template(filename: str) -> Template:
    """A template file of prompts/, compiled once."""
    template = _FILE_TEMPLATES.get(filename)
    if template is None:
        name = "file:" + filename
        _REGISTERED[name] = (PROMPTS_DIR / filename).read_text(encoding="utf-8")
        template = _FILE_TEMPLATES[filename] = _loaded(name)
    return template


class StatementError(Exception):
    pass


@lru_cache(maxsize=1)
def _sources() -> dict[str, str]:
    """Every statement's template text, read once; compiled lazily on first use."""
    out: dict[str, str] = {}
    for path in sorted(STATEMENTS_DIR.glob("*.yaml")):
        try:
            raw = parse_yaml_file(path) or {}
        except (OSError, UnicodeDecodeError, yaml_error()) as exc:
            raise StatementError(f"{path}: cannot be read: {exc}") from None
        if not isinstance(raw, dict):
            raise StatementError(f"{path}: must map statement keys to templates")
        for key, text in raw.items():
            if not isinstance(text, str):
                raise StatementError(f"{path}: statement {key!r} must be a string")
            if str(key) in out:
                raise StatementError(f"{path}: statement {key!r} is defined twice")
            out[str(key)] = " ".join(text.split())
    return out


@cache
def _template(key: str) -> Template:
    try:
        source = _sources()[key]
    except KeyError:
        raise StatementError(f"unknown statement {key!r} (not in {STATEMENTS_DIR})") from None
    try:
        return compile_template("statement:" + key, source)
    except Exception as exc:  # jinja2 TemplateSyntaxError
        raise StatementError(f"statement {key!r} does not compile: {exc}") from None


_KEY_STYLE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # one style for every key: kebab-case, like rule ids


def check_statements() -> int:
    """Compile every statement (for `assistant corpus check` and the tests); returns how many."""
    for key in _sources():
        if not _KEY_STYLE.fullmatch(key):
            raise StatementError(f"statement {key!r}: keys are kebab-case (lower-case words joined by '-')")
        _template(key)
    return len(_sources())


def statement_sources() -> dict[str, str]:
    """Every statement's template text by key (for checks that read them)."""
    return dict(_sources())


def statement_keys() -> set[str]:
    return set(_sources())


_WORDINGS: dict[str, str | Template] = {}  # statement key -> its text, or its template when it has values

# `{{ threshold(ID) | num }}` (or `| score`, or `threshold(ID, PROFILE)`, ID and PROFILE in single or double
# quotes): a number read from corpus/thresholds.yaml, the same for every use while the process runs.
_THRESHOLD_ONLY = re.compile(
    r"""\{\{\s*threshold\(\s*(["'])[^"'{}]*\1\s*(?:,\s*(["'])[^"'{}]*\2\s*)?\)\s*(?:\|\s*(?:num|score)\s*)?\}\}"""
)


def takes_values(source: str) -> bool:
    """Whether a statement's template reads values given at render time: any template syntax left once its
    threshold look-ups are taken out. (A look-up written some other way counts as a value: the statement is
    then rendered at each use, which gives the same words.)"""
    return "{" in _THRESHOLD_ONLY.sub("", source)


def _wording(key: str) -> str | Template:
    """The statement's text when it takes no values (most do not: no Jinja call per use), else its compiled
    template. A statement whose only template syntax reads thresholds is worded once: the thresholds do not
    change while the process runs. Raises StatementError for an unknown key."""
    wording = _WORDINGS.get(key)
    if wording is None:
        source = _sources().get(key)
        if source is not None and "{" not in source:
            wording = source
        else:
            template = _template(key)
            wording = template if takes_values(_sources()[key]) else template.render()
        _WORDINGS[key] = wording
    return wording


_RENDERED: dict[tuple[str, str], str] = {}


_RENDERED_MAX = 8192  # distinct (statement, values) pairs kept; a conversation repeats most of them


def forget_rendered() -> None:
    """Empty the memo of worded statements and messages (benchmarks time a first replay with it empty)."""
    _RENDERED.clear()


def render_kept(name: str, template: Template, params: dict[str, Any]) -> str:
    """`template.render(**params)`, kept under `name` and the exact values (a Jinja render costs several
    times the key). Statements are kept under their key, messages under "message:<key>"."""
    memo_key = (name, repr(params))  # exact: 1, 1.0 and True, or 0.0 and -0.0, have different reprs
    text = _RENDERED.get(memo_key)
    if text is None:
        text = template.render(**params)
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[memo_key] = text
    return text


def render_statement(key: str, params: dict[str, Any] | None = None) -> str:
    """Fill statement `key` with `params`. Raises StatementError for an unknown key or missing value.

    Rendering is pure, so the words for the same statement and values are kept and reused: a
    conversation re-renders mostly the same statements turn after turn.
    """
    wording = _wording(key)
    if type(wording) is str:
        return wording
    try:
        return render_kept(key, wording, params or {})  # type: ignore[arg-type]
    except Exception as exc:  # jinja2 UndefinedError and friends, on a first render
        raise StatementError(f"statement {key!r}: {exc}") from None
