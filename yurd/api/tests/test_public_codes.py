"""Records are named by their public codes in the API, never by database ids (issue 19):
in the schema, in every response, and in the addresses it answers. A code outside the
caller's scope is answered exactly like a code that does not exist, and leaves nothing in
the access log."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from yurd.accounts.models import User
from yurd.api.tests.test_read import token_client
from yurd.claims.tests import conftest as claims_conftest
from yurd.claims.tests.conftest import World, new_claim
from yurd.core.actors import system_actor
from yurd.core.models import AccessLogEntry
from yurd.evidence.services import evidence_ingest
from yurd.heritage.tests.conftest import make_site
from yurd.testimonies.tests.conftest import make_testimony

pytestmark = pytest.mark.django_db

world = claims_conftest.world

# GeoNames' own identifier of a place: a public code of another gazetteer, not one of ours.
EXTERNAL_CODES = {"geonames_id"}


def database_id_keys(value: Any, path: str = "") -> list[str]:
    """Every key of a JSON value (recursively) that names a database id."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if (key in {"id", "pk"} or key.endswith("_id")) and key not in EXTERNAL_CODES:
                found.append(f"{path}.{key}")
            found += database_id_keys(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for inner in value:
            found += database_id_keys(inner, f"{path}[]")
    return found


def test_the_schema_names_no_database_id() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert (
        database_id_keys({name: part.get("properties", {}) for name, part in schema["components"]["schemas"].items()})
        == []
    )
    for address, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert parameter["name"] not in {"id", "pk"}, address
                if parameter["in"] == "path" and parameter["name"] != "version":
                    assert parameter["schema"]["type"] == "string", (address, parameter)


def test_responses_carry_codes_and_no_database_id(world: World, gazetteer: Any, administrator: User) -> None:
    claim = new_claim(world, items=[{"reference": "House 12 (synthetic)"}, {"reference": "Orchard (synthetic)"}])
    testimony = make_testimony(gazetteer)
    evidence_ingest(actor=system_actor(), stream=io.BytesIO(b"deed (synthetic)"), original_name="deed.pdf")
    client = token_client(administrator)
    addresses = [
        reverse("api:household-list"),
        reverse("api:household-detail", args=[world.household_a.code]),
        reverse("api:person-list"),
        reverse("api:person-detail", args=[world.head_a.code]),
        reverse("api:place-list"),
        reverse("api:claim-list"),
        reverse("api:claim-detail", args=[claim.case_number]),
        reverse("api:claim-loss-items", args=[claim.case_number]),
        reverse("api:testimony-list"),
        reverse("api:testimony-detail", args=[testimony.code]),
        reverse("api:evidence-list"),
        reverse("api:kinship-list") + f"?person={world.grandfather_a.code}",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        assert database_id_keys(response.json()) == [], address

    items = client.get(reverse("api:claim-loss-items", args=[claim.case_number]), {"page_size": 1, "page": 2}).json()
    (second,) = items["results"]
    assert (second["line"], second["reference"]) == (2, "Orchard (synthetic)")
    segments = client.get(reverse("api:testimony-detail", args=[testimony.code])).json()["segments"]
    assert [segment["start_seconds"] for segment in segments] == [0, 75]


def test_a_database_id_names_no_record(world: World, gazetteer: Any, administrator: User) -> None:
    """Every detail address answers 404 to the database id of a record it would show by code."""
    claim = new_claim(world)
    testimony = make_testimony(gazetteer)
    site = make_site(administrator, gazetteer)
    item = evidence_ingest(actor=system_actor(), stream=io.BytesIO(b"scan (synthetic)"), original_name="s.pdf").item
    client = token_client(administrator)
    records = [
        ("api:household-detail", world.household_a),
        ("api:person-detail", world.head_a),
        ("api:person-heirs", world.grandfather_a),
        ("api:person-consents", world.head_a),
        ("api:place-detail", gazetteer.settlement_a1),
        ("api:claim-detail", claim),
        ("api:claim-loss-items", claim),
        ("api:claim-decisions", claim),
        ("api:heritage-site-detail", site),
        ("api:heritage-site-names", site),
        ("api:testimony-detail", testimony),
        ("api:evidence-detail", item),
    ]
    for name, record in records:
        code = getattr(record, "code", None) or getattr(record, "case_number", None) or record.public_code
        address = reverse(name, args=[code])
        assert client.get(address).status_code == 200, name
        assert str(record.pk) != str(code)
        # Built by hand: the evidence route does not even match a number.
        assert client.get(address.replace(str(code), str(record.pk))).status_code == 404, name
    assert client.get(reverse("api:kinship-list"), {"person": world.head_a.code}).status_code == 200
    assert client.get(reverse("api:kinship-list"), {"person": world.head_a.pk}).status_code == 404
    assert client.get(reverse("api:household-list"), {"origin": gazetteer.settlement_a1.pk}).json()["count"] == 0


def test_a_code_outside_the_scope_is_answered_as_unknown_and_logs_nothing(
    world: World, registrar: User, caplog: pytest.LogCaptureFixture
) -> None:
    """The registrar's scope is district A; household B, its head and its claim lie outside."""
    claim = new_claim(world, household=world.household_b)
    client = token_client(registrar)
    outside = [
        ("api:household-detail", world.household_b.code, "HH-T99999"),
        ("api:person-detail", world.head_b.code, "P-9999999"),
        ("api:person-heirs", world.head_b.code, "P-9999999"),
        ("api:person-consents", world.head_b.code, "P-9999999"),
        ("api:claim-detail", claim.case_number, "CL-2026-999999"),
        ("api:claim-loss-items", claim.case_number, "CL-2026-999999"),
        ("api:claim-decisions", claim.case_number, "CL-2026-999999"),
    ]
    entries = AccessLogEntry.objects.count()
    with caplog.at_level(logging.DEBUG):
        for name, code, unknown in outside:
            response = client.get(reverse(name, args=[code]))
            assert response.status_code == 404, name
            assert response.json() == client.get(reverse(name, args=[unknown])).json(), name
            assert "Rəşad" not in response.content.decode()
        kinship = client.get(reverse("api:kinship-list"), {"person": world.head_b.code})
        assert kinship.status_code == 404
        assert kinship.json() == client.get(reverse("api:kinship-list"), {"person": "P-9999999"}).json()
    assert AccessLogEntry.objects.count() == entries
    assert not AccessLogEntry.objects.filter(target_code__in=[code for _name, code, _unknown in outside]).exists()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Rəşad" not in logged
    assert world.household_b.code not in logged.replace(f"/api/households/{world.household_b.code}/", "")
