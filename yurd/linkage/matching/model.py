"""The Splink model: comparisons on normalised fields, blocking on canonical keys.

The m and u values written here are only starting points (and the model used for inputs too
small to estimate from): `train()` estimates u by random sampling and m by expectation
maximisation on the data being linked.
"""

from __future__ import annotations

from typing import Any

JW = "jaro_winkler_similarity"
_SAME_INITIAL = "substr({c}_l, 1, 1) = substr({c}_r, 1, 1)"


def _null(column: str) -> dict[str, Any]:
    return {
        "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        "label_for_charts": "unknown",
        "is_null_level": True,
    }


def _level(sql: str, label: str, m: float, u: float, tf_column: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}
    if tf_column:
        level["tf_adjustment_column"] = tf_column
        level["tf_adjustment_weight"] = 1.0
    return level


def _name_comparison(column: str, label: str, *, other: str | None) -> dict[str, Any]:
    levels = [
        _null(column),
        # One level for the same name in any spelling: the term-frequency adjustment divides the u of
        # plain key equality by the name's frequency. (A "same spelling" level above a "same key"
        # level left the latter a tiny u, and every common name then counted against a match.)
        # The explanation still tells an identical spelling from a transliteration.
        _level(f"{column}_l = {column}_r", "same name", 0.85, 0.004, tf_column=column),
    ]
    if other:
        levels.append(
            _level(
                f"{column}_l = {other}_r AND {other}_l = {column}_r",
                "given name and surname swapped",
                0.03,
                0.0001,
            )
        )
        levels.append(
            _level(
                f"{JW}({column}_l, {other}_r) >= 0.9 AND {JW}({other}_l, {column}_r) >= 0.9",
                "swapped and similar",
                0.01,
                0.0001,
            )
        )
    if column == "surname_key":
        # Surnames share their endings (-ov, -yev): similarity is measured on the family stems, or
        # Kərimov and Qasımov would look alike.
        # A misspelling keeps the first letter (typists slip inside a word); a different first letter
        # is another name (Əliyev / Vəliyev, Tamilla / Nailə), however alike the rest.
        levels += [
            _level("surname_stem_l = surname_stem_r", "same family stem", 0.03, 0.003),
            _level(
                f"damerau_levenshtein(surname_key_l, surname_key_r) <= 1 AND {_SAME_INITIAL.format(c='surname_key')}",
                "very similar",
                0.05,
                0.005,
            ),
            _level(
                f"{JW}(surname_stem_l, surname_stem_r) >= 0.88 AND {_SAME_INITIAL.format(c='surname_key')}",
                "similar",
                0.03,
                0.03,
            ),
            # A woman's surname changes with marriage: a different surname says less about women.
            _level("sex_l = 'f' AND sex_r = 'f'", "different, both women", 0.1, 0.45),
        ]
    else:
        levels += [
            _initial_level(column),
            _level(
                f"{JW}({column}_l, {column}_r) >= 0.92 AND {_SAME_INITIAL.format(c=column)}",
                "very similar",
                0.05,
                0.005,
            ),
            _level(f"{JW}({column}_l, {column}_r) >= 0.8 AND {_SAME_INITIAL.format(c=column)}", "similar", 0.03, 0.03),
        ]
    levels.append(
        {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.04, "u_probability": 0.96}
    )
    return {"output_column_name": label, "comparison_levels": levels}


def _initial_level(column: str) -> dict[str, Any]:
    """An initial ("Гасанова С. Т.") agrees with every name of its letter: weak evidence, not a conflict."""
    return _level(
        f"(length({column}_l) = 1 OR length({column}_r) = 1) AND substr({column}_l, 1, 1) = substr({column}_r, 1, 1)",
        "initial agrees",
        0.03,
        0.06,
    )


# Optional comparisons, used only when some record of the input carries the field: a file without
# document numbers or addresses is scored by exactly the model it always was.
IDENTIFIER_COMPARISONS = ("document", "address")
_SPLIT = "string_split({c}_{s}, ' ')"


def _jaccard(column: str) -> str:
    """Share of the two records' words that both have (DuckDB list functions)."""
    left, right = _SPLIT.format(c=column, s="l"), _SPLIT.format(c=column, s="r")
    return f"len(list_intersect({left}, {right})) / len(list_distinct(list_concat({left}, {right})))"


def _document_comparison() -> dict[str, Any]:
    """A passport or ID number (folded by yurd.names.documents: script, spaces and dashes aside).
    A person holds several documents in a life (a Soviet passport, today's ID card), so another
    number from another issuer says little; from the same issuer, it says more."""
    return {
        "output_column_name": "document",
        "comparison_levels": [
            _null("document_key"),
            _level("document_key_l = document_key_r", "same number", 0.9, 0.0001),
            _level(
                "length(document_key_l) >= 5 AND damerau_levenshtein(document_key_l, document_key_r) <= 1",
                "one character mistyped",
                0.05,
                0.0005,
            ),
            _level(
                "document_authority_l IS NOT NULL AND document_authority_r IS NOT NULL "
                "AND document_authority_l <> document_authority_r",
                "another issuer's document",
                0.3,
                0.5,
            ),
            {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.05, "u_probability": 0.5},
        ],
    }


def _address_comparison() -> dict[str, Any]:
    """An address as a set of distinctive words (yurd.names.documents.address_tokens)."""
    return {
        "output_column_name": "address",
        "comparison_levels": [
            _null("address_key"),
            _level("address_key_l = address_key_r", "same address", 0.6, 0.001),
            _level(f"{_jaccard('address_key')} >= 0.6", "most words shared", 0.25, 0.002),
            _level(f"{_jaccard('address_key')} >= 0.3", "some words shared", 0.08, 0.02),
            {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.07, "u_probability": 0.977},
        ],
    }


def comparisons(identifiers: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The model's comparisons; `identifiers` adds those of IDENTIFIER_COMPARISONS named."""
    extra = []
    if "document" in identifiers:
        extra.append(_document_comparison())
    if "address" in identifiers:
        extra.append(_address_comparison())
    return [*_core_comparisons(), *extra]


def comparison_names(identifiers: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(comparison["output_column_name"] for comparison in comparisons(identifiers))


def _core_comparisons() -> list[dict[str, Any]]:
    return [
        _name_comparison("surname_key", "surname", other="given_key"),
        _name_comparison("given_key", "given_name", other="surname_key"),
        {
            "output_column_name": "patronymic",
            "comparison_levels": [
                _null("patronymic_key"),
                _level("patronymic_key_l = patronymic_key_r", "same", 0.85, 0.01, tf_column="patronymic_key"),
                _initial_level("patronymic_key"),
                _level(f"{JW}(patronymic_key_l, patronymic_key_r) >= 0.88", "similar", 0.1, 0.02),
                {
                    "sql_condition": "ELSE",
                    "label_for_charts": "different",
                    "m_probability": 0.05,
                    "u_probability": 0.97,
                },
            ],
        },
        {
            "output_column_name": "birth_date",
            "comparison_levels": [
                _null("birth_year"),
                # birth_date_key names the comparison's column, so EM sessions blocked on it leave it alone.
                _level("birth_date_key_l = birth_date_key_r", "exact", 0.6, 0.0001),
                _level(
                    "birth_year_l = birth_year_r AND birth_md_l = birth_md_swapped_r",
                    "day and month swapped",
                    0.03,
                    0.00005,
                ),
                _level("damerau_levenshtein(birth_digits_l, birth_digits_r) <= 1", "one digit mistyped", 0.05, 0.0005),
                _level(
                    "birth_year_l = birth_year_r AND (birth_md_l IS NULL OR birth_md_r IS NULL)",
                    "same year, day unknown",
                    0.2,
                    0.01,
                ),
                _level("birth_year_l = birth_year_r", "same year, day differs", 0.04, 0.012),
                _level("abs(birth_year_l - birth_year_r) = 1", "one year apart", 0.08, 0.025),
                _level("abs(birth_year_l - birth_year_r) <= 3", "two or three years apart", 0.03, 0.05),
                {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.02, "u_probability": 0.9},
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_levels": [
                _null("sex"),
                _level("sex_l = sex_r", "same", 0.98, 0.5),
                {"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": 0.02, "u_probability": 0.5},
            ],
        },
        {
            "output_column_name": "place",
            "comparison_levels": [
                _null("place_key"),
                _level("place_key_l = place_key_r", "same", 0.85, 0.05, tf_column="place_key"),
                # One record's birth place is the other's village of origin or birth place (an heir born
                # in a town: the registry names the village of origin, the passport the town).
                _level(
                    "place_alt_l = place_key_r OR place_key_l = place_alt_r OR place_alt_l = place_alt_r",
                    "same birth place",
                    0.05,
                    0.01,
                ),
                # A name several villages share: the other record's village is one of them.
                _level(
                    "(contains(place_key_l, '|') OR contains(place_key_r, '|')) AND "
                    "list_has_any(string_split(place_key_l, '|'), string_split(place_key_r, '|'))",
                    "may be the same",
                    0.05,
                    0.005,
                ),
                # Spelling similarity only for names the gazetteer did not know (ids are not words).
                _level(
                    f"NOT starts_with(place_key_l, '#') AND NOT starts_with(place_key_r, '#') "
                    f"AND {JW}(place_key_l, place_key_r) >= 0.9",
                    "similar",
                    0.07,
                    0.02,
                ),
                {
                    "sql_condition": "ELSE",
                    "label_for_charts": "different",
                    "m_probability": 0.08,
                    "u_probability": 0.93,
                },
            ],
        },
    ]


# Pairs are only scored when they share one of these canonical keys, so that recall survives
# transliteration (the keys are script-independent) and typos (one key may fail, not all).
# Rules keep a place or a full date next to common keys: a common surname and a birth year alone
# would pair every Məmmədov born in 1960 with every other. A place is blocked on `place_block`
# (records.place_blocks): a village name several villages share meets each of those villages.
BLOCKING_RULES = [
    "l.surname_stem = r.surname_stem AND l.birth_year = r.birth_year AND l.place_block = r.place_block",
    "l.surname_stem = r.surname_stem AND l.birth_date_key = r.birth_date_key",
    "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.place_block = r.place_block",
    "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.birth_year = r.birth_year",
    "l.given_key = r.given_key AND l.patronymic_key = r.patronymic_key AND l.birth_year = r.birth_year",
    "l.given_key = r.surname_key AND l.surname_key = r.given_key",
    "l.given_key = r.given_key AND l.birth_year = r.birth_year AND l.place_block = r.place_block",
    "l.given_key = r.given_key AND l.patronymic_key = r.patronymic_key AND l.place_block = r.place_block",
    "l.birth_date_key = r.birth_date_key AND l.place_block = r.place_block",
    # A mistyped or missing date and a given name with a typo after its first letters.
    "l.surname_stem = r.surname_stem AND l.place_block = r.place_block "
    "AND substr(l.given_key, 1, 2) = substr(r.given_key, 1, 2)",
    "substr(l.given_key, 1, 3) = substr(r.given_key, 1, 3) AND l.birth_date_key = r.birth_date_key",
    "substr(l.surname_key, 1, 3) = substr(r.surname_key, 1, 3) AND l.birth_date_key = r.birth_date_key",
    # The father's name where a list gives no date and no village it resolves (community lists).
    "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.patronymic_key = r.patronymic_key",
    # A year off by one (or written by another calendar's rounding), the day and month as written or
    # swapped (US forms): the full-date rules above miss these.
    "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.birth_md = r.birth_md",
    "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.birth_md = r.birth_md_swapped",
    # The same full date written day first and month first (05/04/1958 on an online form, 1958-05-04
    # in the registry) beside a misspelt given name or a surname changed at marriage.
    "l.surname_stem = r.surname_stem AND l.birth_year = r.birth_year AND l.birth_md = r.birth_md_swapped",
    "substr(l.given_key, 1, 3) = substr(r.given_key, 1, 3) AND l.birth_year = r.birth_year "
    "AND l.birth_md = r.birth_md_swapped",
    # Both names misspelt, or a woman's surname changed and her given name spelt another way: the
    # father's name with the year and the village.
    "l.patronymic_key = r.patronymic_key AND l.birth_year = r.birth_year AND l.place_block = r.place_block",
]

# Added when the input has the field: a shared document number is a candidate pair whatever else
# was mistyped; an address, with a name or year beside it (a household shares its address).
# A mistyped number keeps its first or last characters; an address its first word (the house
# number where there is one) beside a name or a full date.
_FIRST_WORD = "split_part({s}.address_key, ' ', 1)"
IDENTIFIER_BLOCKING_RULES = {
    "document": [
        "l.document_key = r.document_key",
        "left(l.document_key, 4) = left(r.document_key, 4) AND l.given_key = r.given_key",
        "right(l.document_key, 3) = right(r.document_key, 3) AND l.surname_stem = r.surname_stem",
    ],
    "address": [
        "l.address_key = r.address_key AND l.given_key = r.given_key",
        "l.address_key = r.address_key AND l.birth_year = r.birth_year",
        f"{_FIRST_WORD.format(s='l')} = {_FIRST_WORD.format(s='r')} "
        "AND l.given_key = r.given_key AND l.surname_stem = r.surname_stem",
        f"{_FIRST_WORD.format(s='l')} = {_FIRST_WORD.format(s='r')} AND l.birth_date_key = r.birth_date_key",
    ],
}


def blocking_rules(identifiers: tuple[str, ...] = ()) -> list[str]:
    rules = list(BLOCKING_RULES)
    for name in IDENTIFIER_COMPARISONS:
        if name in identifiers:
            rules += IDENTIFIER_BLOCKING_RULES[name]
    return rules


# Rules precise enough to count near-certain matches, for the prior match probability.
DETERMINISTIC_RULES = [
    "l.given_key = r.given_key AND l.surname_key = r.surname_key AND l.birth_date_key = r.birth_date_key",
    "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.patronymic_key = r.patronymic_key "
    "AND l.birth_year = r.birth_year",
]

# Expectation maximisation runs once per rule; each rule leaves the other fields free to learn.
# Each rule must yield mostly true matches, or EM learns "same family" instead of "same person":
# a rule on names alone also gathers namesakes (a grandson named after his grandfather, two
# Məmməd Məmmədovs of one village), and EM would learn that a true match often has another birth
# date. So the name rule also requires the patronymic and the place where the data carry them.
# The fields a rule may add when filled in often enough to keep the rule's pairs plentiful.
OPTIONAL_TRAINING_FIELDS = ("patronymic_key", "place_key")
MIN_FILL_FOR_TRAINING = 0.3


def training_rules(fill: dict[str, float]) -> list[str]:
    """EM blocking rules for data whose columns are filled in these shares (0..1)."""
    present = [column for column in OPTIONAL_TRAINING_FIELDS if fill.get(column, 0.0) >= MIN_FILL_FOR_TRAINING]
    names = ["given_key", "surname_key", *present]
    dates = ["birth_date_key", *(["place_key"] if "place_key" in present else [])]
    rules = [
        " AND ".join(f"l.{column} = r.{column}" for column in names),  # learns dates, sex
        " AND ".join(f"l.{column} = r.{column}" for column in dates),  # learns names, patronymic
        # learns places and patronymics from pairs sure on everything else
        "l.given_key = r.given_key AND l.surname_stem = r.surname_stem AND l.birth_date_key = r.birth_date_key",
    ]
    return rules


TRAINING_RULES = training_rules({"patronymic_key": 1.0, "place_key": 1.0})


def _without_term_frequencies(comparison: dict[str, Any]) -> dict[str, Any]:
    levels = [
        {key: value for key, value in level.items() if not key.startswith("tf_")}
        for level in comparison["comparison_levels"]
    ]
    return {**comparison, "comparison_levels": levels}


DEFAULT_PRIOR = 0.0001


def settings(
    link_type: str = "dedupe_only",
    prior: float = DEFAULT_PRIOR,
    *,
    term_frequencies: bool = True,
    identifiers: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Term-frequency adjustments (a common surname agrees more often by chance) need a list
    large enough for frequencies to mean something; small lists are scored without them.
    `identifiers`: the optional comparisons (IDENTIFIER_COMPARISONS) the input has data for."""
    chosen = comparisons(identifiers)
    if not term_frequencies:
        chosen = [_without_term_frequencies(comparison) for comparison in chosen]
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": chosen,
        "blocking_rules_to_generate_predictions": blocking_rules(identifiers),
        "probability_two_random_records_match": prior,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "em_convergence": 0.001,
        "max_iterations": 20,
    }
