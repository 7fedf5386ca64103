"""The typed change sets of the registry, places and testimony services name real model fields.

They are the one list of what a form may change: if a model field is renamed, these fail
before a form silently stops saving it.
"""

from __future__ import annotations

from inspect import signature

import pytest
from django.db import models

from yurd.accounts.models import User
from yurd.casualties.models import SourceList
from yurd.casualties.services import source_list_create
from yurd.core.actors import Actor
from yurd.places.models import Place, PlaceName
from yurd.places.services import PlaceChanges, PlaceNameChanges
from yurd.registry.models import ContactDetails, Household, IdentityDocument, Person, PersonName
from yurd.registry.services import (
    ContactChanges,
    DocumentChanges,
    HouseholdChanges,
    NewPerson,
    PersonChanges,
    PersonNameChanges,
    household_update,
)
from yurd.testimonies import models as testimony_models
from yurd.testimonies import services as testimony_services


def _editable(model: type[models.Model]) -> set[str]:
    fields = {field.name for field in model._meta.get_fields() if getattr(field, "editable", False)}
    return fields


@pytest.mark.parametrize(
    ("change_set", "model"),
    [
        (HouseholdChanges, Household),
        (PersonChanges, Person),
        (NewPerson, Person),
        (PersonNameChanges, PersonName),
        (ContactChanges, ContactDetails),
        (DocumentChanges, IdentityDocument),
        (PlaceChanges, Place),
        (PlaceNameChanges, PlaceName),
        (testimony_services.TestimonyChanges, testimony_models.Testimony),
    ],
)
def test_every_key_of_a_change_set_is_an_editable_field_of_its_model(
    change_set: type, model: type[models.Model]
) -> None:
    keys = set(change_set.__annotations__)
    assert keys, change_set
    assert keys <= _editable(model), sorted(keys - _editable(model))


def test_a_source_list_is_created_from_named_fields_only() -> None:
    parameters = set(signature(source_list_create).parameters) - {"actor"}
    assert parameters <= _editable(SourceList), sorted(parameters - _editable(SourceList))


@pytest.mark.django_db
def test_an_unknown_household_field_is_refused_and_nothing_is_written(
    mammadov_family: Household, registrar: User
) -> None:
    notes_before = mammadov_family.notes
    with pytest.raises(TypeError):
        household_update(  # type: ignore[call-arg]  # an unknown field, on purpose
            actor=Actor(user=registrar),
            household=mammadov_family,
            reason="Typo in a form",
            notes="changed",
            colour="red",
        )
    mammadov_family.refresh_from_db()
    assert mammadov_family.notes == notes_before
