"""HTML and SVG templates of prompts/, with autoescaping: every {{ value }} is escaped, so text a user
typed is always shown as text and can never become markup or script."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from assistant.statements import PROMPTS_DIR


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(PROMPTS_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=8)
def html_template(name: str) -> Template:
    """A template file of prompts/ (e.g. 'handout.html.j2'), compiled once, autoescaped."""
    return _env().get_template(name)
