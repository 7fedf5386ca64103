"""The one bulk writer (registry.imports.bulk.BulkWriter): its columns and history rows come
from the models, so the import's commit cannot drift from a model change unnoticed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from yurd.core.actors import system_actor
from yurd.core.history import history_manager
from yurd.registry.imports import import_commit, import_create, import_validate
from yurd.registry.imports.bulk import BulkWriter
from yurd.registry.imports.commit import _HOUSEHOLD_COLUMNS, _PERSON_COLUMNS
from yurd.registry.models import Household, Kinship, Person
from yurd.registry.tests.test_import import GOOD_ROWS, make_csv
from yurd.testing.personas import Gazetteer

KINSHIP_COLUMNS = ["id", "created_at", "updated_at", "from_person_id", "to_person_id", "kind", "source", "certainty"]


@pytest.mark.parametrize(
    ("model", "given"),
    [(Household, _HOUSEHOLD_COLUMNS), (Person, _PERSON_COLUMNS), (Kinship, KINSHIP_COLUMNS)],
)
def test_the_writer_writes_every_column_of_the_model_and_of_its_history(model: type[Model], given: list[str]) -> None:
    writer = BulkWriter(model, given, actor=system_actor(), reason="test")
    assert set(writer.columns) == {field.column for field in model._meta.concrete_fields}
    history = history_manager(model).model
    assert set(writer.history_columns) == {field.column for field in history._meta.concrete_fields} - {"history_id"}


def test_a_column_the_caller_leaves_out_gets_its_default() -> None:
    """What a field added to the model with a default looks like to the import: written."""
    writer = BulkWriter(
        Household, [c for c in _HOUSEHOLD_COLUMNS if c != "displacement_date"], actor=system_actor(), reason=""
    )
    assert writer.columns[-3:] == ["displacement_date", "destination_place_id", "notes"]
    assert writer.defaults == ("", None, "")


def test_a_column_that_cannot_be_defaulted_stops_the_writer() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"Person\.household"):
        BulkWriter(Person, [c for c in _PERSON_COLUMNS if c != "household_id"], actor=system_actor(), reason="")
    with pytest.raises(ImproperlyConfigured, match="per-row default"):
        BulkWriter(Person, [c for c in _PERSON_COLUMNS if c != "created_at"], actor=system_actor(), reason="")
    with pytest.raises(ImproperlyConfigured, match="no column nickname"):
        BulkWriter(Person, [*_PERSON_COLUMNS, "nickname"], actor=system_actor(), reason="")


@pytest.mark.django_db
def test_imported_rows_and_their_history_agree_on_every_field(gazetteer: Gazetteer) -> None:
    actor = system_actor()
    batch = import_create(actor=actor, data=make_csv(GOOD_ROWS), file_name="f.csv", source="bulk")
    batch = import_commit(actor=actor, batch=import_validate(batch=batch))
    assert batch.people_created == 4
    # Import bookkeeping: every record, whoever could see it.
    groups: list[tuple[type[Model], list[Any]]] = [
        (Household, list(Household.objects.unscoped())),
        (Person, list(Person.objects.unscoped())),
        (Kinship, list(Kinship.objects.all())),
    ]
    for model, records in groups:
        assert records
        for record in records:
            history = record.history.get()
            assert history.history_type == "+"
            assert history.history_change_reason.startswith("Imported from f.csv")
            for field in model._meta.concrete_fields:
                assert getattr(history, field.attname) == getattr(record, field.attname), field.name
