"""Keeps Person.search_text and the name-token index in step with every name form."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from yurd.names import search_tokens
from yurd.registry.models import NameToken, Person, PersonName, PersonNameToken


def name_forms_tokens(forms: Iterable[tuple[str, str, str]]) -> list[str]:
    """Distinct folded tokens of (surname, given name, patronymic) forms, first-seen order."""
    tokens: dict[str, None] = {}
    for form in forms:
        for token in search_tokens(" ".join(part for part in form if part)):
            tokens.setdefault(token[:64])
    return list(tokens)


def token_ids(texts: Iterable[str]) -> dict[str, int]:
    """Ids of the given tokens, creating the missing ones."""
    wanted = set(texts)
    if not wanted:
        return {}
    found: dict[str, int] = {}
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        found.update(NameToken.objects.filter(text__in=chunk[start : start + 500]).values_list("text", "id"))
    missing = wanted - found.keys()
    if missing:
        NameToken.objects.bulk_create([NameToken(text=text) for text in sorted(missing)], ignore_conflicts=True)
        for start in range(0, len(chunk), 500):
            found.update(NameToken.objects.filter(text__in=chunk[start : start + 500]).values_list("text", "id"))
    return found


def reindex_person(person: Person) -> None:
    """Recompute search_text and tokens of one person from all of their name forms."""
    forms = [(person.surname, person.given_name, person.patronymic)]
    forms += list(PersonName.objects.filter(person=person).values_list("surname", "given_name", "patronymic"))
    tokens = name_forms_tokens(forms)
    text = " ".join(tokens)
    if person.search_text != text:
        person.search_text = text
        Person.objects.unscoped().filter(pk=person.pk).update(search_text=text)  # index upkeep, a write
    ids = token_ids(tokens)
    PersonNameToken.objects.filter(person=person).exclude(token_id__in=ids.values()).delete()
    existing = set(PersonNameToken.objects.filter(person=person).values_list("token_id", flat=True))
    PersonNameToken.objects.bulk_create(
        [PersonNameToken(token_id=token_id, person=person) for token_id in ids.values() if token_id not in existing]
    )


def bulk_index_people(person_tokens: Iterable[tuple[int, list[str]]]) -> int:
    """Insert token links for freshly created people (no existing links); returns rows written."""
    pairs = list(person_tokens)
    ids = token_ids({token for _person, tokens in pairs for token in tokens})
    table = PersonNameToken._meta.db_table
    rows = [(ids[token], person_id) for person_id, tokens in pairs for token in tokens]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(
                f"INSERT INTO {table} (token_id, person_id) VALUES (%s, %s)",  # noqa: S608 - table name from model meta
                rows[start : start + 20_000],
            )
    return len(rows)


def reindex_all(*, chunk: int = 2000) -> tuple[int, int]:
    """Recompute every person's search_text and name tokens from all of their name forms
    (after the folding rules changed, or to repair the index); one transaction per chunk of
    people, so a search meanwhile sees each person either indexed the old way or the new.
    Returns (people seen, people whose index changed)."""
    seen = changed = 0
    last = 0
    while True:
        people = list(
            Person.objects.unscoped()  # the index of the whole registry, rebuilt by the system
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "surname", "given_name", "patronymic", "search_text")[:chunk]
        )
        if not people:
            return seen, changed
        last = people[-1][0]
        seen += len(people)
        forms: dict[int, list[tuple[str, str, str]]] = {pk: [(sur, given, patr)] for pk, sur, given, patr, _ in people}
        for person_id, *form in PersonName.objects.filter(person_id__in=forms).values_list(
            "person_id", "surname", "given_name", "patronymic"
        ):
            forms[person_id].append((form[0], form[1], form[2]))
        wanted = {pk: name_forms_tokens(forms[pk]) for pk in forms}
        ids = token_ids({token for tokens in wanted.values() for token in tokens})
        held: dict[int, set[int]] = {pk: set() for pk in forms}
        for token_id, person_id in PersonNameToken.objects.filter(person_id__in=forms).values_list(
            "token_id", "person_id"
        ):
            held[person_id].add(token_id)
        with transaction.atomic():
            for pk, _sur, _given, _patr, search_text in people:
                text = " ".join(wanted[pk])
                want = {ids[token] for token in wanted[pk]}
                if text == search_text and want == held[pk]:
                    continue
                changed += 1
                if text != search_text:
                    Person.objects.unscoped().filter(pk=pk).update(search_text=text)  # index upkeep
                if held[pk] - want:
                    PersonNameToken.objects.filter(person_id=pk, token_id__in=held[pk] - want).delete()
                PersonNameToken.objects.bulk_create(
                    [PersonNameToken(token_id=token_id, person_id=pk) for token_id in want - held[pk]]
                )
