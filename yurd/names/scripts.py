"""Which script a piece of text is written in."""

from __future__ import annotations

import re
from enum import StrEnum


class Script(StrEnum):
    LATIN = "latin"
    CYRILLIC = "cyrillic"
    ARMENIAN = "armenian"
    MIXED = "mixed"
    NONE = "none"


def _letters(*ranges: tuple[int, int]) -> re.Pattern[str]:
    """A character class of the letters (str.isalpha) in these code point ranges."""
    letters = "".join(chr(code) for low, high in ranges for code in range(low, high + 1) if chr(code).isalpha())
    return re.compile(f"[{re.escape(letters)}]")


_SCRIPT_LETTERS = (
    (Script.CYRILLIC, _letters((0x0400, 0x052F))),
    (Script.ARMENIAN, _letters((0x0530, 0x058F))),
    (Script.LATIN, _letters((0x0000, 0x024F), (0x1E00, 0x1EFF))),
)


def detect_script(text: str) -> Script:
    """The script of the letters in `text`; MIXED when letters of several scripts occur."""
    if not text:
        return Script.NONE
    # One regular-expression search per script: the import and linkage run this on every name of
    # hundreds of thousands of records, where a loop over the characters cost a quarter of the time.
    seen = [script for script, letters in _SCRIPT_LETTERS if letters.search(text)]
    if not seen:
        return Script.NONE
    if len(seen) > 1:
        return Script.MIXED
    return seen[0]
