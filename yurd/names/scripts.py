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


def scripts_in(text: str) -> frozenset[Script]:
    """The scripts (Cyrillic, Armenian, Latin) whose letters occur in `text`."""
    # One regular-expression search per script: the import and linkage run this on every name of
    # hundreds of thousands of records, where a loop over the characters cost a quarter of the time.
    return frozenset(script for script, letters in _SCRIPT_LETTERS if text and letters.search(text))


def script_of(scripts: frozenset[Script]) -> Script:
    """One script for the scripts a text's letters are in: MIXED for several, NONE for none."""
    if not scripts:
        return Script.NONE
    if len(scripts) > 1:
        return Script.MIXED
    return next(iter(scripts))


def detect_script(text: str) -> Script:
    """The script of the letters in `text`; MIXED when letters of several scripts occur."""
    return script_of(scripts_in(text))
