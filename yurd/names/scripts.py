"""Which script a piece of text is written in."""

from __future__ import annotations

from enum import StrEnum


class Script(StrEnum):
    LATIN = "latin"
    CYRILLIC = "cyrillic"
    ARMENIAN = "armenian"
    MIXED = "mixed"
    NONE = "none"


def detect_script(text: str) -> Script:
    """The script of the letters in `text`; MIXED when letters of several scripts occur."""
    seen: set[Script] = set()
    for char in text or "":
        if not char.isalpha():
            continue
        code = ord(char)
        if 0x0400 <= code <= 0x052F:
            seen.add(Script.CYRILLIC)
        elif 0x0530 <= code <= 0x058F:
            seen.add(Script.ARMENIAN)
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
            seen.add(Script.LATIN)
    if not seen:
        return Script.NONE
    if len(seen) > 1:
        return Script.MIXED
    return seen.pop()
