"""One search box for people and households, in any script, tolerant of typos.

1. The query is folded into Latin tokens (yurd.names.search_tokens), so
   "Mamedov Ali", "Məmmədov Əli" and "Мамедов Али" become the same tokens.
2. Each query token is looked up in the small NameToken vocabulary: exact, prefix
   (as you type) and close spellings (rapidfuzz), one indexed range query per token.
3. Candidates are narrowed by indexed keys before anything is scored:
   a. people whose name, as stored in Person.search_text (surname, given name,
      patronymic, folded), starts with the query's words in order (or given name
      first): a handful of range scans on the search_text index, exact spellings first;
   b. only when that finds too few, people holding a matching token for every query
      word, through the indexed PersonNameToken table (other name forms, patronymics,
      words out of order).
   Scope is applied in the same query; at most CANDIDATES people are kept.
4. The candidates are ranked with rapidfuzz against all their name forms and the
   matching words are highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz

from yurd.accounts.models import User
from yurd.names import search_tokens
from yurd.registry.models import Household, NameToken, Person, PersonName, PersonNameToken
from yurd.registry.selectors import household_queryset, person_queryset

CANDIDATES = 300
MAX_QUERY_TOKENS = 5
FUZZY_CUTOFF = 80.0
_HOUSEHOLD_CODE = re.compile(r"^\s*(?:hh[- ]?)?(\d{1,6})\s*$", re.I)


@dataclass
class PersonHit:
    person: Person
    score: float
    name_html: SafeString
    other_name_html: SafeString | None = None


@dataclass
class HouseholdHit:
    household: Household
    score: float
    members: list[PersonHit] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    people: list[PersonHit]
    households: list[HouseholdHit]


def _next_prefix(text: str) -> str:
    return text[:-1] + chr(ord(text[-1]) + 1)


def token_score(query_token: str, token: str) -> float:
    if token == query_token:
        return 100.0
    if token.startswith(query_token):
        return 92.0 if len(query_token) >= 3 else 80.0
    if len(query_token) < 4:
        return 0.0
    return fuzz.ratio(query_token, token)


def _matching_tokens(query_token: str) -> tuple[dict[int, str], dict[int, str]]:
    """(exact tokens, wider tokens: prefix and close spellings) for one query token, by id."""
    bucket = NameToken.objects.filter(text__gte=query_token[0], text__lt=_next_prefix(query_token[0]))
    if len(query_token) < 4:
        bucket = bucket.filter(text__gte=query_token, text__lt=_next_prefix(query_token))
    exact: dict[int, str] = {}
    wider: dict[int, str] = {}
    for token_id, text in bucket.values_list("id", "text"):
        score = token_score(query_token, text)
        if score == 100.0:
            exact[token_id] = text
        elif score >= FUZZY_CUTOFF:
            wider[token_id] = text
    return exact, wider


def _candidate_ids(user: User | None, token_sets: list[set[int]], limit: int) -> list[int]:
    """People holding a token of every set: the links of one set are read from the
    (token, person) index, each checked against the person's few other links, and the
    reading stops at `limit`: no set of links is gathered whole.
    """
    if not token_sets or any(not ids for ids in token_sets):
        return []
    # Most selective first: fewer token ids usually means fewer people.
    first, *others = sorted(token_sets, key=len)
    links = PersonNameToken.objects.filter(token_id__in=first)
    for ids in others:
        links = links.filter(Exists(PersonNameToken.objects.filter(person_id=OuterRef("person_id"), token_id__in=ids)))
    if user is not None and not user.full_scope:
        links = links.filter(Exists(person_queryset(user=user).filter(pk=OuterRef("person_id"))))
    else:
        person_queryset(user=user)  # the permission check
    found: dict[int, None] = {}
    for person_id in links.order_by().values_list("person_id", flat=True)[: limit * 2]:
        found.setdefault(person_id)
    return list(found)[:limit]


MAX_ORDERED_PREFIXES = 24
_ALTERNATIVES_PER_WORD = 3


def _ordered_prefixes(
    query_tokens: list[str], matches: list[tuple[dict[int, str], dict[int, str]]], *, exact: bool
) -> list[str]:
    """Beginnings of search_text that a person named by the query in order would have.

    Every word but the last is a whole vocabulary token; the last may be a prefix (the
    user is still typing). `exact` keeps the words as spelled; otherwise close spellings
    of each word are tried too. Given name first ("Ali Mamedov") is tried as well.
    """
    if len(query_tokens) < 2:
        return []
    options: list[list[str]] = []
    for position, (query_token, (exact_texts, wider_texts)) in enumerate(zip(query_tokens, matches, strict=True)):
        last = position == len(query_tokens) - 1
        words = sorted(exact_texts.values())
        if not exact:
            closest = sorted(wider_texts.values(), key=lambda text: (-token_score(query_token, text), text))
            words += closest[:_ALTERNATIVES_PER_WORD]
        if last and query_token not in words:
            words.append(query_token)  # as typed: a prefix
        if not words:
            return []
        options.append(words)
    orders = [options, [options[1], options[0], *options[2:]]]
    prefixes: dict[str, None] = {}
    for ordered in orders:
        combinations: list[list[str]] = [[]]
        for words in ordered:
            combinations = [[*done, word] for done in combinations for word in words][:MAX_ORDERED_PREFIXES]
        for combination in combinations:
            prefixes.setdefault(" ".join(combination))
    return list(prefixes)[:MAX_ORDERED_PREFIXES]


def _prefix_q(prefix: str) -> Q:
    if connection.vendor == "postgresql":
        # LIKE 'prefix%' reads the text_pattern_ops index byte-wise, whatever the collation.
        return Q(search_text__startswith=prefix)
    # SQLite's LIKE ignores case and so cannot use the index; a range on BINARY order can.
    return Q(search_text__gte=prefix, search_text__lt=_next_prefix(prefix))


def _prefix_candidate_ids(user: User | None, prefixes: list[str], limit: int, skip: set[int]) -> list[int]:
    if not prefixes or limit <= 0:
        return []
    condition = Q()
    for prefix in prefixes:
        condition |= _prefix_q(prefix)
    # No ORDER BY: sorting would make the database read every match (and choose the name
    # index over the search_text ranges); candidates are ranked in Python anyway.
    queryset = person_queryset(user=user).filter(condition).order_by()
    if skip:
        queryset = queryset.exclude(pk__in=skip)
    return list(queryset.values_list("pk", flat=True)[:limit])


def highlight(text: str, query_tokens: Iterable[str]) -> tuple[SafeString, int]:
    """The text with every word matching a query token in <mark>, and how many matched."""
    tokens = list(query_tokens)
    parts = []
    matched = 0
    for word in re.split(r"(\s+)", text):
        word_tokens = search_tokens(word) if word.strip() else []
        if word_tokens and any(token_score(q, t) >= FUZZY_CUTOFF for q in tokens for t in word_tokens):
            parts.append(f"<mark>{escape(word)}</mark>")
            matched += 1
        else:
            parts.append(escape(word))
    return mark_safe("".join(parts)), matched


def _score(search_text: str, query_tokens: list[str]) -> float:
    tokens = search_text.split()
    if not tokens:
        return 0.0
    present = set(tokens)
    per_token = [100.0 if q in present else max(token_score(q, t) for t in tokens) for q in query_tokens]
    # search_text starts with the primary form (surname, given name, patronymic): a query
    # matching it in that order (or given name first) ranks above one matching a patronymic.
    query = " ".join(query_tokens)
    head = tokens[: len(query_tokens)]
    order = max(fuzz.ratio(query, " ".join(head)), fuzz.ratio(query, " ".join(head[1::-1] + head[2:])))
    return 0.8 * sum(per_token) / len(per_token) + 0.2 * order


def _person_hit(
    person: Person, score: float, other_names: list[PersonName], query_tokens: list[str], show_names: bool
) -> PersonHit:
    if not show_names:
        return PersonHit(person=person, score=score, name_html=mark_safe(escape(person.code)))
    name_html, matched = highlight(person.display_name, query_tokens)
    other_html = None
    for other in other_names:
        other_candidate, other_matched = highlight(str(other), query_tokens)
        if other_matched > matched:
            other_html, matched = other_candidate, other_matched
    return PersonHit(person=person, score=score, name_html=name_html, other_name_html=other_html)


def registry_search(*, user: User | None, query: str, limit: int = 25) -> SearchResult:
    """People and households matching a name (any script) or a household code, best first."""
    query = (query or "").strip()[:200]
    query_tokens = search_tokens(query)[:MAX_QUERY_TOKENS]
    households_by_code: list[Household] = []
    if code_match := _HOUSEHOLD_CODE.match(query):
        code = f"HH-{int(code_match.group(1)):06d}"
        households_by_code = list(household_queryset(user=user).filter(code=code))
    if not query_tokens:
        return SearchResult(query, [], [HouseholdHit(household, 100.0) for household in households_by_code])

    matches = [_matching_tokens(token) for token in query_tokens]
    candidate_ids: list[int] = []
    for exact in (True, False):
        # Enough people named exactly so, in order, fill the page with the best scores
        # there are: the wider passes could only add people ranked below them.
        if len(candidate_ids) >= limit:
            break
        prefixes = _ordered_prefixes(query_tokens, matches, exact=exact)
        candidate_ids += _prefix_candidate_ids(user, prefixes, CANDIDATES - len(candidate_ids), set(candidate_ids))
    token_sets = [set(exact) | set(wider) for exact, wider in matches]
    for sets in ([set(exact) for exact, _wider in matches], token_sets):
        if len(candidate_ids) >= limit:
            break
        seen = set(candidate_ids)
        more = _candidate_ids(user, sets, CANDIDATES)
        candidate_ids += [pk for pk in more if pk not in seen][: CANDIDATES - len(candidate_ids)]
    if not candidate_ids:
        # No one matches every word: fall back to people matching any of them.
        any_ids = set().union(*token_sets)
        if any_ids:
            candidate_ids = list(
                person_queryset(user=user)
                .filter(pk__in=PersonNameToken.objects.filter(token_id__in=any_ids).values("person_id"))
                .order_by()
                .values_list("pk", flat=True)[:CANDIDATES]
            )
    # Rank on the stored search text first; only the best `limit` are fetched and highlighted.
    scored = sorted(
        (
            (_score(search_text, query_tokens), surname, given_name, pk)
            for pk, search_text, surname, given_name in Person.objects.visible_to(user)
            .filter(pk__in=candidate_ids)
            .values_list("pk", "search_text", "surname", "given_name")
        ),
        key=lambda item: (-item[0], item[1], item[2], item[3]),
    )[:limit]
    scores = {pk: score for score, _surname, _given, pk in scored}
    people = (
        Person.objects.visible_to(user).filter(pk__in=scores).select_related("household", "household__origin_place")
    )
    other_names: dict[int, list[PersonName]] = {}
    for name in PersonName.objects.filter(person_id__in=scores).order_by("pk"):
        other_names.setdefault(name.person_id, []).append(name)
    show_names = user is None or user.sees_names
    hits = [
        _person_hit(person, scores[person.pk], other_names.get(person.pk, []), query_tokens, show_names)
        for person in people
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.person.surname, hit.person.given_name, hit.person.code))

    households: dict[int, HouseholdHit] = {
        household.pk: HouseholdHit(household, 100.0) for household in households_by_code
    }
    for hit in hits:
        entry = households.setdefault(hit.person.household_id, HouseholdHit(hit.person.household, hit.score))
        entry.members.append(hit)
    ranked_households = sorted(households.values(), key=lambda entry: (-entry.score, entry.household.code))
    return SearchResult(query, hits, ranked_households[:limit])


def people_by_query_q(query: str) -> Q:
    """A plain filter on search_text for callers that need a queryset (e.g. exports)."""
    condition = Q()
    for token in search_tokens(query):
        condition &= Q(search_text__contains=token)
    return condition
