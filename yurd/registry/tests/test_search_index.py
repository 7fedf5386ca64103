"""The name search index: rebuilt by `yurd registry reindex` and by the migration that
re-keyed it, and kept in step when people go."""

from __future__ import annotations

import importlib
import io

from django.apps import apps
from django.core.management import call_command
from django.db import connection

from yurd.registry.models import Household, NameToken, Person, PersonNameToken
from yurd.registry.search import registry_search

rekey_migration = importlib.import_module("yurd.registry.migrations.0008_fill_person_name_tokens")


def tokens_of(person: Person) -> set[str]:
    ids = PersonNameToken.objects.filter(person=person).values_list("token_id", flat=True)
    return set(NameToken.objects.filter(pk__in=ids).values_list("text", flat=True))


def test_reindex_repairs_a_damaged_index_and_search_finds_the_person_again(mammadov_family: Household) -> None:
    ali = mammadov_family.members.get(given_name="Əli")
    before = tokens_of(ali)
    assert before and registry_search(user=None, query="Məmmədov Əli").people[0].person == ali
    # An index written by older folding rules: wrong keys, a stray token, a missing one.
    Person.objects.filter(pk=ali.pk).update(search_text="zzz")
    PersonNameToken.objects.filter(person=ali).delete()
    stray = NameToken.objects.create(text="qqqstray")
    PersonNameToken.objects.create(token=stray, person=ali)
    assert all(hit.person != ali for hit in registry_search(user=None, query="Məmmədov Əli").people)

    out = _run("reindex")

    assert f"{Person.objects.count()} people checked, 1 re-indexed" in out
    ali.refresh_from_db()
    assert ali.search_text != "zzz" and tokens_of(ali) == before
    assert registry_search(user=None, query="Мамедов Али").people[0].person == ali
    assert "1 re-indexed" not in _run("reindex")  # nothing left to do: "0 re-indexed"


def test_the_rekeying_migration_rebuilds_every_persons_tokens(mammadov_family: Household) -> None:
    expected = {person.pk: tokens_of(person) for person in Person.objects.all()}
    PersonNameToken.objects.all().delete()

    rekey_migration.fill_name_tokens(apps, connection.schema_editor())

    assert {person.pk: tokens_of(person) for person in Person.objects.all()} == expected
    assert all(expected.values())


def test_a_deleted_persons_tokens_go_with_them(mammadov_family: Household) -> None:
    # No database foreign key holds this table: the ORM's cascade must remove the rows.
    person = mammadov_family.members.get(given_name="Rəşad")
    assert PersonNameToken.objects.filter(person=person).exists()
    person_id = person.pk
    person.delete()
    assert not PersonNameToken.objects.filter(person_id=person_id).exists()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("registry", *args, stdout=out)
    return out.getvalue()
