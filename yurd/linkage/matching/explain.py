"""Why a scored pair scored as it did, as reasons: codes with parameters (reasons.CATALOGUE).

The engine writes no sentence: the registry stores these reasons and renders them in the reader's
language at display time (yurd.linkage.explanations); `yurd link` renders them in English
(reasons.render_english).
"""

from __future__ import annotations

from yurd.linkage.matching.reasons import Reason
from yurd.linkage.matching.records import NormalisedRecord
from yurd.names.dates import compare_birth_dates

# Level labels of model.comparisons() -> the code's suffix, for surname and given name.
_NAME_CODES = {
    "same spelling": "agrees",
    "same name in another spelling": "other_spelling",
    "given name and surname swapped": "swapped",
    "swapped and similar": "swapped_similar",
    "same family stem": "family_stem",
    "very similar": "very_similar",
    "similar": "similar",
    "initial agrees": "initial",
    "different, both women": "differs_women",
    "different": "differs",
}
_PATRONYMIC_CODES = {
    "same": "patronymic.agrees",
    "similar": "patronymic.similar",
    "initial agrees": "patronymic.initial",
    "different": "patronymic.differs",
}
# Only these say enough to carry their strength (the others never did).
_PATRONYMIC_STRENGTH = {"patronymic.agrees", "patronymic.differs"}
_PLACE_CODES = {
    "same": "place.same",
    "same birth place": "place.birth_place",
    "may be the same": "place.shared_name",
    "similar": "place.similar",
    "different": "place.differs",
}
# Document numbers and addresses, where the input has them (levels of model.IDENTIFIER_COMPARISONS).
_IDENTIFIER_CODES = {
    ("document", "same number"): "document.same",
    ("document", "one character mistyped"): "document.one_character",
    ("document", "another issuer's document"): "document.other_issuer",
    ("document", "different"): "document.differs",
    ("address", "same address"): "address.same",
    ("address", "most words shared"): "address.most",
    ("address", "some words shared"): "address.some",
    ("address", "different"): "address.differs",
}
# Why clustering keeps two records apart (clustering.cannot_link's words) -> code.
APART_CODES = {
    "different sex": "apart.sex",
    "listed as two members of one household": "apart.household",
    "different fathers": "apart.fathers",
    "born a generation apart": "apart.generation",
    "different full birth dates": "apart.dates",
    "different given names": "apart.given_names",
    "siblings: same father, different given names": "apart.siblings_names",
    "siblings: same father, birth years far apart": "apart.siblings_years",
}


def _reason(code: str, match_weight: float | None = None, **params: str) -> Reason:
    """Match weights are log2 Bayes factors: ±4.3 is a factor of 20 for or against."""
    reason: Reason = {"code": code, **params}
    if match_weight is not None and match_weight >= 4.3:
        reason["strength"] = "for"
    elif match_weight is not None and match_weight <= -4.3:
        reason["strength"] = "against"
    return reason


def _date_reason(left: NormalisedRecord, right: NormalisedRecord, level: str, weight: float | None) -> Reason:
    if level == "one digit mistyped":
        return _reason("date.one_digit", weight)
    agreement = compare_birth_dates(left.birth, right.birth)
    if agreement.level == "few_years":
        gap = abs((left.birth.year or 0) - (right.birth.year or 0))
        return _reason("date.few_years", weight, gap=str(gap))
    if agreement.level == "different":
        return _reason("date.years_differ", weight, first=str(left.birth.year), second=str(right.birth.year))
    return _reason(f"date.{agreement.level}", weight)


def explain_pair(
    left: NormalisedRecord,
    right: NormalisedRecord,
    levels: dict[str, str],
    match_weights: dict[str, float | None] | None = None,
) -> list[Reason]:
    """`levels` maps comparison names to the level labels of model.comparisons()."""
    weights = match_weights or {}
    reasons: list[Reason] = []
    if levels.get("surname", "unknown") != "unknown" or levels.get("given_name", "unknown") != "unknown":
        reasons.append({"code": "names", "left": left.display_name, "right": right.display_name})
    spellings = {
        "surname": (left.surname_latin, right.surname_latin),
        "given_name": (left.given_latin, right.given_latin),
    }
    for field, prefix in (("surname", "surname"), ("given_name", "given")):
        label = levels.get(field, "unknown")
        if label == "same name":
            first, second = spellings[field]
            label = "same spelling" if first and first == second else "same name in another spelling"
        if label == "unknown":
            reasons.append({"code": f"{prefix}.missing"})
        else:
            reasons.append(_reason(f"{prefix}.{_NAME_CODES.get(label, 'differs')}", weights.get(field)))
    patronymic = _PATRONYMIC_CODES.get(levels.get("patronymic", "unknown"))
    if patronymic:
        weight = weights.get("patronymic") if patronymic in _PATRONYMIC_STRENGTH else None
        reasons.append(_reason(patronymic, weight))
    reasons.append(_date_reason(left, right, levels.get("birth_date", "unknown"), weights.get("birth_date")))
    if levels.get("sex") == "different":
        reasons.append({"code": "sex.differs"})
    place = _PLACE_CODES.get(levels.get("place", "unknown"))
    if place:
        reasons.append({"code": place})
    for optional in ("document", "address"):
        code = _IDENTIFIER_CODES.get((optional, levels.get(optional, "unknown")))
        if code:
            reasons.append(_reason(code, weights.get(optional)))
    return reasons


def apart_reason(conflict: str) -> Reason:
    """Clustering's reason for keeping two records apart, as a code (its words where none is known)."""
    code = APART_CODES.get(conflict)
    return {"code": code} if code else {"code": "text", "text": f"kept apart: {conflict}"}
