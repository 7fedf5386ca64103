"""Site and observation codes: from a locked sequence, never a code already in use."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.forms import add_service_errors
from yurd.heritage.models import Site, SiteType
from yurd.heritage.services import SITE_CODES, observation_record
from yurd.heritage.tests.conftest import make_site
from yurd.registry.codes import allocate_unused_code
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def _post_site(client: Client, gazetteer: Gazetteer, name: str) -> str:
    response = client.post(
        "/heritage/sites/new/",
        {
            "name": name,
            "site_type": SiteType.objects.get(code="bridge").pk,
            "settlement": gazetteer.settlement_a1.pk,
            "latitude": "40.5",
            "longitude": "45.25",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Site.objects.get(name=name).code


def test_two_sites_created_in_a_row_after_the_demo_get_consecutive_codes(
    client: Client, heritage_researcher: User, gazetteer: Gazetteer
) -> None:
    # As after `make demo`: its sites are HS-D0001..HS-D0036, which sort after HS-000001 as text.
    for number in (1, 2, 36):
        make_site(heritage_researcher, gazetteer, name=f"Demo site {number}", code=f"HS-D{number:04d}")
    client.force_login(heritage_researcher)

    first = _post_site(client, gazetteer, "Stone bridge")
    second = _post_site(client, gazetteer, "Old bridge")

    assert (first, second) == ("HS-000001", "HS-000002")


def test_codes_continue_after_those_handed_out_before_the_sequence(
    heritage_researcher: User, gazetteer: Gazetteer
) -> None:
    # Codes of an installation that numbered its sites before the sequence existed.
    for code in ("HS-000001", "HS-000002", "HS-000010", "HS-D0036"):
        make_site(heritage_researcher, gazetteer, name=f"Site {code}", code=code)

    created = [make_site(heritage_researcher, gazetteer, name=f"New site {number}").code for number in range(2)]

    assert created == ["HS-000011", "HS-000012"]
    with transaction.atomic():
        assert allocate_unused_code(*SITE_CODES, Site) == "HS-000013"


def test_observations_get_consecutive_codes(heritage_researcher: User, gazetteer: Gazetteer) -> None:
    site = make_site(heritage_researcher, gazetteer)
    codes = [
        observation_record(
            actor=Actor(user=heritage_researcher),
            site=site,
            physical_state="no_visible_change",
            certainty="high",
            method="archival",
            observed_on=str(year),
            summary="Archival photograph (synthetic).",
        ).code
        for year in (1980, 1985)
    ]
    assert codes == ["OBS-000001", "OBS-000002"]


class _NameForm(forms.Form):
    name = forms.CharField()


def test_a_service_error_on_a_field_the_form_lacks_is_shown_above_the_form() -> None:
    form = _NameForm({"name": "Stone bridge"})
    assert form.is_valid()

    add_service_errors(form, ValidationError({"code": "Site with this Code already exists.", "name": "Too short."}))

    assert form.non_field_errors() == ["Site with this Code already exists."]
    assert form.errors["name"] == ["Too short."]
