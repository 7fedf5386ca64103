"""Current residence fields offer where displaced people live now: Azerbaijan and abroad."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.places.models import Place
from yurd.places.services import residences_load
from yurd.registry.imports import import_commit
from yurd.registry.models import Household
from yurd.registry.tests.conftest import login
from yurd.registry.tests.test_import import errors_of, make_csv, stage
from yurd.registry.tests.test_wizard import member_data
from yurd.testing.personas import Gazetteer


def test_the_wizard_offers_azerbaijan_grouped_and_abroad_with_duplicates_told_apart(
    client: Any, registrar: User, gazetteer: Gazetteer
) -> None:
    residences_load(actor=system_actor())
    login(client, registrar)
    step = lambda name: reverse("registry:register_step", args=[name])  # noqa: E731
    client.post(step("household"), {"source": "field form 12", "notes": ""})
    client.post(step("members"), member_data([{"surname": "Cəfərov", "given_name": "Tofiq", "household_role": "head"}]))
    client.post(step("origin"), {"origin_place": gazetteer.settlement_a1.pk, "wave": "", "displacement_date": "1988"})

    page = client.get(step("residence")).text

    assert '<optgroup label="Azərbaycan">' in page
    assert '<optgroup label="Abroad">' in page
    assert (
        page.index('<optgroup label="Azərbaycan">') < page.index("Sumqayıt") < page.index('<optgroup label="Abroad">')
    )
    assert page.index('<optgroup label="Abroad">') < page.index("Rusiya")
    assert "Şəki (district)" in page and "Şəki (settlement)" in page
    assert gazetteer.settlement_b1.name not in page  # a village of origin is not a residence
    sumgait = Place.objects.get(code="AZ-C-SUM")
    assert client.post(step("residence"), {"current_place": sumgait.pk}).url == step("consent")
    client.post(step("consent"), {"consent_given": "on", "purpose": "registration", "given_on": "2025-01-10"})
    assert Household.objects.get().current_place == sumgait


def test_household_edit_offers_residences_and_keeps_an_older_choice(
    client: Any, administrator: User, mammadov_family: Household, gazetteer: Gazetteer
) -> None:
    residences_load(actor=system_actor())
    mammadov_family.current_place = gazetteer.settlement_b1
    mammadov_family.save(update_fields=["current_place"])
    login(client, administrator)

    page = client.get(reverse("registry:household_edit", args=[mammadov_family.code])).text

    assert "Mingəçevir" in page and "Türkiyə" in page
    assert f'value="{gazetteer.settlement_b1.pk}" selected' in page


def test_an_import_finds_current_residences_in_any_script(gazetteer: Gazetteer) -> None:
    residences_load(actor=system_actor())
    origin = gazetteer.settlement_a1.name
    rows = [
        {"household_ref": "R1", "surname": "Məmmədov", "given_name": "Əli", "origin_place": origin,
         "current_place": "Гянджа"},
        {"household_ref": "R2", "surname": "Həsənov", "given_name": "Vüqar", "origin_place": origin,
         "current_place": "Sumqayıt"},
    ]  # fmt: skip

    batch = stage(make_csv(rows))
    assert batch.valid_rows == 2, errors_of(batch)
    import_commit(actor=system_actor(), batch=batch)

    ganja, sumqayit = (Household.objects.get(source_ref=ref).current_place for ref in ("R1", "R2"))
    assert ganja is not None and ganja.code == "AZ-C-GAN"
    assert sumqayit is not None and sumqayit.code == "AZ-C-SUM"
