"""User text made safe to show and to store: control characters made visible, Markdown escaped.

User text never goes through Rich/Textual markup (see the measured pitfalls): widgets get `Text`
objects or Markdown in which the user's words are escaped.
"""

from __future__ import annotations

import re

# C0 controls (except none: newline and tab are folded to spaces first), DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # lone surrogates cannot be written as UTF-8
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: ␀ .. ␟ (ESC shows as ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def clean_input(text: str) -> str:
    """One line of user text: line breaks and tabs become spaces, other controls visible symbols."""
    folded = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(_picture, folded))


def clean_block(text: str) -> str:
    """Multi-line text (our own answers): keep line breaks, make other controls visible."""
    lines = (_CONTROL.sub(_picture, line.replace("\t", "    ")) for line in text.split("\n"))
    return _SURROGATE.sub("\ufffd", "\n".join(lines))


def escape_markdown(text: str) -> str:
    """Escape user text so a Markdown renderer shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", clean_input(text))
