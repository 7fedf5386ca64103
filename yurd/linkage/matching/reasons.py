"""A pair's explanation as structured reasons: codes with parameters, rendered in any language.

The engine gives reasons, not sentences (explain.explain_pair, ScoredPair.reasons):
`[{"code": "surname.agrees", "strength": "for"}, {"code": "date.years_differ", "first": "1915",
"second": "1904"}, …]`. The registry stores them as they are, and a registrar reads them in
Azerbaijani, Russian or English at display time (yurd.linkage.explanations); `yurd link` writes
them in English (render_english).

Every code's English is a template of CATALOGUE (the msgid its translations use). `parse` reads
English back into reasons: only for explanations stored as text before reasons existed (migration
0003) and for text from outside the engine. A phrase no template knows is kept as written (code
"text"), never lost.
"""

from __future__ import annotations

import re
from functools import lru_cache

# code -> English template (the msgid the renderer translates); %(name)s are parameters.
CATALOGUE: dict[str, str] = {
    "names": "names: %(left)s / %(right)s",
    "surname.missing": "surname missing on one side",
    "surname.agrees": "surname agrees",
    "surname.other_spelling": "surname agrees in another spelling",
    "surname.swapped": "surname agrees with given name and surname swapped",
    "surname.swapped_similar": "surname is similar with given name and surname swapped",
    "surname.family_stem": "surname shares the family stem",
    "surname.very_similar": "surname is very similar",
    "surname.similar": "surname is similar",
    "surname.initial": "surname agrees with an initial",
    "surname.differs_women": "surname differs (both are women: a surname may change with marriage)",
    "surname.differs": "surname differs",
    "given.missing": "given name missing on one side",
    "given.agrees": "given name agrees",
    "given.other_spelling": "given name agrees in another spelling",
    "given.swapped": "given name agrees with given name and surname swapped",
    "given.swapped_similar": "given name is similar with given name and surname swapped",
    "given.family_stem": "given name shares the family stem",
    "given.very_similar": "given name is very similar",
    "given.similar": "given name is similar",
    "given.initial": "given name agrees with an initial",
    "given.differs": "given name differs",
    "patronymic.agrees": "patronymic agrees",
    "patronymic.similar": "patronymic is similar",
    "patronymic.initial": "patronymic agrees with an initial",
    "patronymic.differs": "patronymic differs",
    "date.one_digit": "birth dates differ by one mistyped digit",
    "date.unknown": "birth date unknown on one side",
    "date.exact": "birth date agrees exactly",
    "date.swapped": "birth date agrees with day and month swapped",
    "date.year_only": "birth date agrees to the year",
    "date.same_year": "birth year agrees, day and month differ",
    "date.one_year": "birth years one apart",
    "date.few_years": "birth years %(gap)s apart",
    "date.years_differ": "birth years differ (%(first)s and %(second)s)",
    "sex.differs": "sex differs",
    "place.same": "same village",
    "place.birth_place": "same birth place",
    "place.shared_name": "village name shared by several villages, one of them the same",
    "place.similar": "village names similar",
    "place.differs": "different villages",
    "document.same": "same document number",
    "document.one_character": "document numbers differ by one character",
    "document.other_issuer": "documents from different issuers",
    "document.differs": "different document numbers",
    "address.same": "same address",
    "address.most": "addresses largely agree",
    "address.some": "addresses partly agree",
    "address.differs": "different addresses",
    "household.support": "%(count)s other member(s) of their households also match",
    "household.unsupported": "no other member of their households matches",
    "namesakes": "%(count)s namesakes share this evidence (no father's name or full date)",
    "apart.sex": "kept apart: different sex",
    "apart.household": "kept apart: listed as two members of one household",
    "apart.fathers": "kept apart: different fathers",
    "apart.generation": "kept apart: born a generation apart",
    "apart.dates": "kept apart: different full birth dates",
    "apart.given_names": "kept apart: different given names",
    "apart.siblings_names": "kept apart: siblings: same father, different given names",
    "apart.siblings_years": "kept apart: siblings: same father, birth years far apart",
    "batch.twice": "the same person twice in one import batch",
}
# The suffix a phrase carries when its field weighs strongly (a Bayes factor of 20 or more).
STRENGTH = {"for": " (strong evidence)", "against": " (strong evidence against)"}
TEXT = "text"  # a phrase no template knows, kept verbatim in "text"

Reason = dict[str, str]


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for code, template in CATALOGUE.items():
        parts = re.split(r"%\((\w+)\)s", template)
        regex = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts))
        patterns.append((code, re.compile(f"^{regex}$")))
    # Fixed phrases before templates with parameters, so that a parameter never swallows one.
    patterns.sort(key=lambda item: "(?P<" in item[1].pattern)
    return patterns


def parse_phrase(phrase: str) -> Reason:
    phrase = phrase.strip()
    strength = ""
    for name, suffix in STRENGTH.items():
        if phrase.endswith(suffix):
            phrase, strength = phrase[: -len(suffix)], name
            break
    for code, pattern in _patterns():
        match = pattern.match(phrase)
        if match:
            reason = {"code": code, **match.groupdict()}
            if strength:
                reason["strength"] = strength
            return reason
    return {"code": TEXT, "text": phrase + STRENGTH.get(strength, "")}


def parse(explanation: str) -> list[Reason]:
    """The reasons of an explanation the engine wrote ("; " between phrases)."""
    return [parse_phrase(phrase) for phrase in (explanation or "").split(";") if phrase.strip()]


def render_english(reasons: list[Reason]) -> str:
    """The explanation in the engine's English, as `yurd link` writes it."""
    return "; ".join(render(reason, CATALOGUE.get, STRENGTH.get) for reason in reasons)


def render(reason: Reason, template_of: object, suffix_of: object) -> str:
    """One reason through `template_of(code)` and `suffix_of(strength)` (a translation's lookups)."""
    code = reason.get("code", TEXT)
    if code == TEXT or code not in CATALOGUE:
        return reason.get("text", "")
    template = template_of(code)  # type: ignore[operator]
    params = {key: value for key, value in reason.items() if key not in ("code", "strength")}
    text = template % params if params else template
    strength = reason.get("strength")
    return text + (suffix_of(strength) or "" if strength else "")  # type: ignore[operator]
