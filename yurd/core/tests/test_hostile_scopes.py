"""Guessing codes: a record outside one's scope answers exactly like a record that does not exist (404).

404, not 403: a 403 would confirm that HH-000002 exists somewhere. Pages and the API
answer the same way (docs/security.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.claims.tests.conftest import make_world, new_claim
from yurd.core.actors import system_actor
from yurd.core.models import Job
from yurd.evidence.models import Sensitivity
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.fieldwork.services import submission_receive
from yurd.fieldwork.tests.conftest import build_submission
from yurd.testing.personas import Gazetteer, make_scoped_user


@pytest.fixture
def elsewhere(gazetteer: Gazetteer, registrar: User) -> dict[str, Any]:
    """A household, its head and a claim in district B, and another registrar's export job."""
    planet = make_world(gazetteer)
    claim = new_claim(planet, household=planet.household_b)
    other = make_scoped_user("registrar-bahar", Role.REGISTRAR, gazetteer.district_b)
    job = Job.objects.create(kind="registry_export", owner=other, result_file="exports/other.csv")
    return {"household": planet.household_b, "person": planet.head_b, "claim": claim, "job": job, "own": planet}


def _urls(household: str, person: str, claim: str, job: str) -> list[str]:
    return [
        reverse("registry:household_detail", args=[household]),
        reverse("registry:household_edit", args=[household]),
        reverse("registry:household_history", args=[household]),
        reverse("registry:person_detail", args=[person]),
        reverse("registry:person_edit", args=[person]),
        reverse("claims:claim_detail", args=[claim]),
        reverse("core:job_detail", args=[job]),
        reverse("core:job_download", args=[job]),
        f"/api/households/{household}/",
        f"/api/people/{person}/",
        f"/api/claims/{claim}/",
    ]


def test_a_registrar_guessing_codes_of_another_district_gets_404_like_for_missing_codes(
    client: Client, registrar: User, elsewhere: dict[str, Any]
) -> None:
    client.force_login(registrar)
    own = elsewhere["own"]
    # Her own district's records open: the 404s below are about scope, not broken URLs.
    assert client.get(reverse("registry:household_detail", args=[own.household_a.code])).status_code == 200
    assert client.get(f"/api/households/{own.household_a.code}/").status_code == 200
    guessed = _urls(
        elsewhere["household"].code,
        elsewhere["person"].code,
        elsewhere["claim"].case_number,
        str(elsewhere["job"].pk),
    )
    missing = _urls("HH-999999", "P-9999999", "C-9999-99999", "00000000-0000-4000-8000-000000000009")
    for url in guessed + missing:
        assert client.get(url).status_code == 404, url


def test_out_of_scope_posts_are_404_too(client: Client, registrar: User, elsewhere: dict[str, Any]) -> None:
    client.force_login(registrar)
    household = elsewhere["household"].code
    response = client.post(reverse("registry:household_edit", args=[household]), {"reason": "guess"})
    assert response.status_code == 404


def test_codes_of_other_districts_never_appear_in_lists_or_search(
    client: Client, registrar: User, elsewhere: dict[str, Any]
) -> None:
    client.force_login(registrar)
    code = elsewhere["household"].code
    link = reverse("registry:household_detail", args=[code])
    person = elsewhere["person"]
    for query in ("", code, person.surname, person.given_name):
        html = client.get(reverse("registry:household_list"), {"q": query}).content.decode()
        assert link not in html and person.code not in html, query
    api = client.get("/api/households/").json()
    assert code not in str(api)


def test_a_restricted_evidence_uuid_answers_404_to_those_who_may_not_see_it(
    client: Client, registrar: User, heritage_researcher: User, archivist: User, assessor: User
) -> None:
    """A role that may not see evidence at all gets 403 whatever the UUID: that reveals nothing."""
    item = ingest_bytes(b"synthetic restricted deed", name="deed.txt", sensitivity=Sensitivity.RESTRICTED)
    missing = "00000000-0000-4000-8000-000000000009"
    checked = 0
    for user in (registrar, heritage_researcher, archivist, assessor):
        if not user.has_perm("evidence.view_evidenceitem") or user.has_perm("evidence.view_restricted_evidence"):
            continue
        checked += 1
        client.force_login(user)
        for code in (str(item.public_code), missing):
            for name in ("evidence:item_detail", "evidence:item_thumbnail"):
                assert client.get(reverse(name, args=[code])).status_code == 404, (user, name)
            may_download = user.has_perm("evidence.download_evidence")
            download = client.get(reverse("evidence:item_download", args=[code])).status_code
            assert download == (404 if may_download else 403), user
            assert client.get(f"/api/evidence/{code}/").status_code == 404, user
    assert checked, "no persona sees evidence without restricted items"


def test_a_registrar_cannot_open_a_field_submission_from_another_district(
    client: Client, registrar: User, gazetteer: Gazetteer
) -> None:
    xml = build_submission(
        household__origin_place=gazetteer.settlement_b1.name,
        household__displacement_date="11.1988",
        members=[{"surname": "Uzaqova", "given_name": "Sevda", "sex": "f", "birth_date": "1970", "role": "head"}],
    )
    submission, _created = submission_receive(actor=system_actor(), xml=xml)
    client.force_login(registrar)
    assert submission.instance_id not in client.get(reverse("fieldwork:index")).content.decode()
    assert client.get(reverse("fieldwork:submission_detail", args=[submission.pk])).status_code == 404


@pytest.mark.parametrize(
    "url", ["/registry/households/%00/", "/registry/?q=%00", "/api/evidence/?q=a%00b", "/api/households/HH-%00/"]
)
def test_a_nul_in_an_address_is_a_400_on_every_database(client: Client, registrar: User, url: str) -> None:
    """Found by the API schema fuzzing on PostgreSQL: a NUL in a filter or code was a database error (500)."""
    client.force_login(registrar)
    assert client.get(url).status_code == 400


def test_a_registrar_opens_a_field_submission_from_her_own_district(
    client: Client, registrar: User, gazetteer: Gazetteer
) -> None:
    xml = build_submission(
        household__origin_place=gazetteer.settlement_a1.name,
        household__displacement_date="11.1988",
        members=[{"surname": "Yaxınova", "given_name": "Sevda", "sex": "f", "birth_date": "1970", "role": "head"}],
    )
    submission, _created = submission_receive(actor=system_actor(), xml=xml)
    assert submission.origin_place == gazetteer.settlement_a1
    client.force_login(registrar)
    assert submission.instance_id in client.get(reverse("fieldwork:index")).content.decode()
    assert client.get(reverse("fieldwork:submission_detail", args=[submission.pk])).status_code == 200
