"""Plain-words explanations of a scored pair, for registrars."""

from __future__ import annotations

from yurd.linkage.matching.records import NormalisedRecord
from yurd.names.dates import compare_birth_dates

_NAME_WORDS = {
    "same spelling": "agrees",
    "same name in another spelling": "agrees in another spelling",
    "given name and surname swapped": "agrees with given name and surname swapped",
    "swapped and similar": "is similar with given name and surname swapped",
    "same family stem": "shares the family stem",
    "very similar": "is very similar",
    "similar": "is similar",
    "initial agrees": "agrees with an initial",
    "different, both women": "differs (both are women: a surname may change with marriage)",
    "different": "differs",
}


# Document numbers and addresses, where the input has them (levels of model.IDENTIFIER_COMPARISONS).
_IDENTIFIER_WORDS = {
    ("document", "same number"): "same document number",
    ("document", "one character mistyped"): "document numbers differ by one character",
    ("document", "another issuer's document"): "documents from different issuers",
    ("document", "different"): "different document numbers",
    ("address", "same address"): "same address",
    ("address", "most words shared"): "addresses largely agree",
    ("address", "some words shared"): "addresses partly agree",
    ("address", "different"): "different addresses",
}


def _strength(match_weight: float | None) -> str:
    """Match weights are log2 Bayes factors: ±4.3 is a factor of 20 for or against."""
    if match_weight is None:
        return ""
    if match_weight >= 4.3:
        return " (strong evidence)"
    if match_weight <= -4.3:
        return " (strong evidence against)"
    return ""


def explain_pair(  # noqa: PLR0912 - one sentence per field
    left: NormalisedRecord,
    right: NormalisedRecord,
    levels: dict[str, str],
    match_weights: dict[str, float | None] | None = None,
) -> str:
    """`levels` maps comparison names to the level labels of model.comparisons()."""
    factors = match_weights or {}
    phrases = []
    surname = levels.get("surname", "unknown")
    given = levels.get("given_name", "unknown")
    if surname != "unknown" or given != "unknown":
        phrases.append(f"names: {left.display_name} / {right.display_name}")
    spellings = {
        "surname": (left.surname_latin, right.surname_latin),
        "given_name": (left.given_latin, right.given_latin),
    }
    for field, words in (("surname", "surname"), ("given_name", "given name")):
        label = levels.get(field, "unknown")
        if label == "same name":
            first, second = spellings[field]
            label = "same spelling" if first and first == second else "same name in another spelling"
        if label == "unknown":
            phrases.append(f"{words} missing on one side")
        else:
            phrases.append(f"{words} {_NAME_WORDS.get(label, label)}{_strength(factors.get(field))}")
    patronymic = levels.get("patronymic", "unknown")
    if patronymic == "same":
        phrases.append(f"patronymic agrees{_strength(factors.get('patronymic'))}")
    elif patronymic == "similar":
        phrases.append("patronymic is similar")
    elif patronymic == "initial agrees":
        phrases.append("patronymic agrees with an initial")
    elif patronymic == "different":
        phrases.append(f"patronymic differs{_strength(factors.get('patronymic'))}")
    if levels.get("birth_date") == "one digit mistyped":
        date_words = "birth dates differ by one mistyped digit"
    else:
        date_words = compare_birth_dates(left.birth, right.birth).words
    phrases.append(date_words + _strength(factors.get("birth_date")))
    sex = levels.get("sex", "unknown")
    if sex == "different":
        phrases.append("sex differs")
    place = levels.get("place", "unknown")
    if place == "same":
        phrases.append("same village")
    elif place == "same birth place":
        phrases.append("same birth place")
    elif place == "may be the same":
        phrases.append("village name shared by several villages, one of them the same")
    elif place == "similar":
        phrases.append("village names similar")
    elif place == "different":
        phrases.append("different villages")
    for optional in ("document", "address"):
        known = _IDENTIFIER_WORDS.get((optional, levels.get(optional, "unknown")))
        if known:
            phrases.append(known + _strength(factors.get(optional)))
    return "; ".join(phrases)
