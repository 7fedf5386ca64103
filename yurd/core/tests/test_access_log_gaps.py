"""Pages that showed personal data without an access-log entry (issue 15, finding 13).

Each of these requests now writes an entry naming the record it shows. The generated
walk (test_url_access_log.py) keeps every other page honest.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.claims.services.filing import ClaimantShare, claim_create
from yurd.core.actors import Actor, system_actor
from yurd.core.models import AccessLogEntry
from yurd.core.tests import urlwalk
from yurd.evidence.models import EvidenceKind
from yurd.evidence.services import evidence_ingest
from yurd.evidence.tests.conftest import photo_bytes
from yurd.registry.imports.services import import_create, import_validate
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(gazetteer: Gazetteer, administrator: User, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    household = register(
        origin=gazetteer.settlement_a1,
        members=[
            {"surname": "Karimova", "given_name": "Sona", "sex": "f", "birth_date": "1961", "household_role": "head"}
        ],
    )
    person = household.members.get()
    claim, _secret = claim_create(
        actor=system_actor(),
        household=household,
        heir_line=None,
        claimants=[ClaimantShare(person, Fraction(1))],
        remedy="compensation",
        language="az",
    )
    photo = evidence_ingest(
        actor=system_actor(),
        stream=io.BytesIO(photo_bytes()),
        original_name="family.jpg",
        kind=EvidenceKind.PHOTO,
        title_en="Family photograph (synthetic)",
    ).item
    rows = (
        "household_ref,person_ref,surname,given_name,sex,birth_date,role,origin_place\n"
        f"K-1,K-1-1,Karimova,Aysun,f,not-a-date,head,{gazetteer.settlement_a1.code}\n"
    ).encode()
    batch = import_validate(
        batch=import_create(actor=Actor(user=administrator), data=rows, file_name="k.csv", source="k")
    )
    assert batch.rejected_rows == 1
    return {"household": household, "person": person, "claim": claim, "photo": photo, "batch": batch}


PAGES: dict[str, Callable[[dict[str, Any]], tuple[str, str, str]]] = {
    "person edit form": lambda r: (
        reverse("registry:person_edit", args=[r["person"].code]),
        "registry.person",
        r["person"].code,
    ),
    "household edit form": lambda r: (
        reverse("registry:household_edit", args=[r["household"].code]),
        "registry.household",
        r["household"].code,
    ),
    "claim edit form": lambda r: (
        reverse("claims:claim_edit", args=[r["claim"].case_number]),
        "claims.claim",
        r["claim"].case_number,
    ),
    "new claim for a household": lambda r: (
        reverse("claims:claim_create") + f"?household={r['household'].code}",
        "registry.household",
        r["household"].code,
    ),
    "import batch with rejected rows": lambda r: (
        reverse("registry:import_detail", args=[r["batch"].pk]),
        "registry.importbatch",
        str(r["batch"].pk),
    ),
    "evidence thumbnail": lambda r: (
        reverse("evidence:item_thumbnail", args=[r["photo"].public_code]),
        "evidence.evidenceitem",
        str(r["photo"].public_code),
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_page_logs_a_view_of_what_it_shows(
    client: Client, administrator: User, records: dict[str, Any], page: str
) -> None:
    url, target_type, target_code = PAGES[page](records)
    login_verified(client, administrator)
    response = client.get(url)
    assert response.status_code == 200
    urlwalk.close_files(response)  # a thumbnail is a file response
    entry = AccessLogEntry.objects.filter(user=administrator, target_type=target_type, target_code=target_code)
    assert entry.exists(), page


def test_the_kinship_section_logs_a_view_of_the_person(
    client: Client, administrator: User, records: dict[str, Any]
) -> None:
    """The section comes back by htmx after a kinship form, with the relatives' names."""
    person = records["person"]
    login_verified(client, administrator)
    response = client.post(
        reverse("registry:kinship_add", args=[person.code]),
        {"kinship-relation": "child_of", "kinship-other_person": "P-9999999", "kinship-reason": "synthetic"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(target_type="registry.person", target_code=person.code).exists()
