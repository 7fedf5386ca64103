"""Sex written as free text in any language."""

from __future__ import annotations

_MALE = {
    "m",
    "male",
    "man",
    "k",
    "kişi",
    "kisi",
    "oğlan",
    "erkek",
    "м",
    "муж",
    "мужской",
    "мужчина",
    "ա",
    "արական",
    "1",
}
_FEMALE = {
    "f",
    "female",
    "woman",
    "w",
    "q",
    "qadın",
    "qadin",
    "qız",
    "qiz",
    "ж",
    "жен",
    "женский",
    "женщина",
    "իգ",
    "իգական",
    "2",
}


def parse_sex(text: str | None) -> str:
    """ "m", "f" or "" when the text says neither."""
    value = (text or "").strip().lower().rstrip(".")
    if value in _MALE:
        return "m"
    if value in _FEMALE:
        return "f"
    return ""
