"""Free text -> Facts. (Stub: replaced by the parser.)"""

from assistant.facts import Parsed


def parse(text: str) -> Parsed:
    return Parsed(text=text)
