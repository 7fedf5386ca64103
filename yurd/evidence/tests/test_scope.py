"""Evidence inherits the visibility of what it documents (issue 15): a household's scan is
seen only within that household's scope, and a testimony's restriction or withdrawal seals
its media on every channel, until an administrator unseals an item with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.actors import Actor, system_actor
from yurd.core.models import AccessLogEntry, Channel
from yurd.evidence.models import CustodyEntry, DerivativeRole, EvidenceItem, EvidenceKind, Sensitivity
from yurd.evidence.packages import evidence_package
from yurd.evidence.selectors import visible_evidence
from yurd.evidence.services import evidence_link
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes
from yurd.registry.models import Household
from yurd.registry.tests.conftest import register
from yurd.testimonies import models as testimonies
from yurd.testimonies import services as testimony_services
from yurd.testimonies.models import ConsentEvent, MediaUnsealing
from yurd.testimonies.tests.conftest import make_testimony
from yurd.testing.personas import Gazetteer, login_verified, make_scoped_user, make_user
from yurd.testing.responses import streamed


def _household(origin: Any, surname: str) -> Household:
    return register(origin=origin, members=[{"surname": surname, "given_name": "Anar", "household_role": "head"}])


@pytest.fixture
def scans(gazetteer: Gazetteer) -> dict[str, EvidenceItem]:
    """An internal document scan of one household in district A and one in district B."""
    found = {}
    for key, origin in (("a", gazetteer.settlement_a1), ("b", gazetteer.settlement_b1)):
        household = _household(origin, f"Scanned{key.upper()}")
        item = ingest_bytes(f"passport scan {key}, synthetic".encode(), name=f"scan-{key}.txt", title_en=f"Scan {key}")
        evidence_link(actor=system_actor(), item=item, target_type="registry.household", target_code=household.code)
        found[key] = item
    return found


def _status(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    """The status of a GET, a download read to its end: consuming the stream closes the
    stored file (the test client wraps it); closing the response would close the database."""
    response = client.get(url, headers=headers)
    if response.streaming:
        streamed(response)
    return response.status_code


def _channels(client: Client, item: EvidenceItem) -> dict[str, Any]:
    """What one reader gets of an item on every channel of the vault."""
    code = str(item.public_code)
    listed = client.get(reverse("api:evidence-list")).json()["results"]
    download = reverse("evidence:item_download", args=[code])
    return {
        "page": _status(client, reverse("evidence:item_detail", args=[code])),
        "download": _status(client, download),
        "range": _status(client, download, headers={"Range": "bytes=0-3"}),
        "api": _status(client, reverse("api:evidence-detail", args=[code])),
        "api_list": any(row["public_code"] == code for row in listed),
        "list": code in client.get(reverse("evidence:item_list")).content.decode(),
    }


SEEN = {"page": 200, "download": 200, "range": 206, "api": 200, "api_list": True, "list": True}
UNSEEN = {"page": 404, "download": 404, "range": 404, "api": 404, "api_list": False, "list": False}


def test_a_households_scan_is_seen_only_within_the_households_scope(
    client: Client, registrar: User, gazetteer: Gazetteer, scans: dict[str, EvidenceItem]
) -> None:
    client.force_login(registrar)
    assert _channels(client, scans["a"]) == SEEN
    # Before issue 15 any registrar downloaded it: the vault looked at sensitivity only.
    assert _channels(client, scans["b"]) == UNSEEN
    other = make_scoped_user("registrar-bahar", Role.REGISTRAR, gazetteer.district_b)
    client.force_login(other)
    assert _channels(client, scans["a"]) == UNSEEN
    assert _channels(client, scans["b"]) == SEEN
    unscoped = make_user("registrar-nobody", Role.REGISTRAR, full_scope=False)
    client.force_login(unscoped)
    assert _channels(client, scans["a"]) == _channels(client, scans["b"]) == UNSEEN


def test_an_items_place_outside_the_scope_hides_it_from_a_scoped_reader(
    client: Client, registrar: User, gazetteer: Gazetteer
) -> None:
    here = ingest_bytes(b"photo here, synthetic", name="here.txt", place=gazetteer.settlement_a2)
    there = ingest_bytes(b"photo there, synthetic", name="there.txt", place=gazetteer.settlement_b1)
    client.force_login(registrar)
    assert _channels(client, here) == SEEN
    assert _channels(client, there) == UNSEEN


@pytest.fixture
def recorded(gazetteer: Gazetteer) -> testimonies.Testimony:
    """A testimony with its recording and a photograph the narrator showed (with a thumbnail)."""
    testimony = make_testimony(gazetteer)
    photo = ingest_bytes(photo_bytes(), name="house.jpg", kind=EvidenceKind.PHOTO, sensitivity=Sensitivity.PUBLIC)
    testimony.other_media.add(photo)
    return testimony


def _media(testimony: testimonies.Testimony) -> list[EvidenceItem]:
    assert testimony.media is not None
    return [testimony.media, *testimony.other_media.all()]


def test_a_restricted_testimonys_recording_is_sealed_from_roles_that_may_not_read_it(
    client: Client, gazetteer: Gazetteer
) -> None:
    testimony = make_testimony(gazetteer, access_level="restricted")
    registrar = make_user("registrar-full", Role.REGISTRAR)
    client.force_login(registrar)
    assert client.get(reverse("testimonies:testimony_detail", args=[testimony.code])).status_code == 404
    # Before issue 15 the recording itself downloaded (it is only "internal" in the vault).
    assert testimony.media is not None
    assert _channels(client, testimony.media) == UNSEEN
    archivist = make_user("archivist-second", Role.ARCHIVIST)
    client.force_login(archivist)
    assert _channels(client, testimony.media) == SEEN


def test_a_withdrawal_seals_the_testimonys_media_on_every_channel_and_in_packages(
    client: Client, archivist: User, recorded: testimonies.Testimony, tmp_path: Path
) -> None:
    client.force_login(archivist)
    recording, photo = _media(recorded)
    assert _channels(client, recording) == SEEN
    thumbnail = reverse("evidence:item_thumbnail", args=[str(photo.public_code)])
    assert photo.derivatives.filter(role=DerivativeRole.THUMBNAIL).exists()
    assert _status(client, thumbnail) == 200
    testimony_services.testimony_withdraw_consent(
        actor=Actor(user=archivist, channel=Channel.WEB), testimony=recorded, reason="Phoned."
    )
    for item in (recording, photo):
        assert _channels(client, item) == UNSEEN
    assert _status(client, thumbnail) == 404
    assert _status(Client(), thumbnail) == 404  # the photograph was public
    # Packages and exports, even the operator's, leave the sealed media out.
    sealed = {recording.pk, photo.pk}
    assert not sealed & set(visible_evidence(None).values_list("pk", flat=True))
    bag = evidence_package(
        actor=system_actor(), items=visible_evidence(None), output=tmp_path / "bag", purpose="court", selection="all"
    )
    assert bag.info["Yurd-Item-Count"] == str(EvidenceItem.objects.count() - 2)
    assert not (tmp_path / "bag" / "data" / "items" / recording.sha256).exists()


def test_only_an_administrator_unseals_a_withdrawn_item_with_a_reason_and_it_is_logged(
    client: Client, archivist: User, administrator: User, recorded: testimonies.Testimony
) -> None:
    recording, photo = _media(recorded)
    testimony_services.testimony_withdraw_consent(actor=system_actor(), testimony=recorded, reason="Letter of 3 May.")
    code, item = recorded.code, str(recording.public_code)
    with pytest.raises(CommandError, match="administrator"):
        call_command("testimonies", "unseal", code, item, "--reason", "court order")  # the system
    with pytest.raises(CommandError, match="administrator"):
        call_command("testimonies", "--as", archivist.username, "unseal", code, item, "--reason", "court order")
    with pytest.raises(CommandError, match="why"):
        call_command("testimonies", "--as", administrator.username, "unseal", code, item, "--reason", " ")
    assert not MediaUnsealing.objects.exists()
    call_command("testimonies", "--as", administrator.username, "unseal", code, item, "--reason", "Court order 12/2025")
    unsealing = MediaUnsealing.objects.get()
    assert (unsealing.item, unsealing.by, unsealing.reason) == (recording, administrator, "Court order 12/2025")
    assert ConsentEvent.objects.filter(testimony=recorded, action="media_unsealed", by=administrator).exists()
    custody = CustodyEntry.objects.filter(item_sha256=recording.sha256).order_by("seq").last()
    assert custody is not None and custody.details == {"unsealed": recorded.code, "reason": "Court order 12/2025"}
    assert AccessLogEntry.objects.filter(
        username=administrator.username, target_code=str(recording.public_code), action="change"
    ).exists()
    client.force_login(archivist)
    assert _channels(client, recording) == SEEN
    # Only that item: the photograph stays sealed, and so does the testimony itself.
    assert _channels(client, photo) == UNSEEN
    assert client.get(reverse("testimonies:testimony_detail", args=[recorded.code])).status_code == 404
    with pytest.raises(Exception, match="already"):
        testimony_services.testimony_media_unseal(
            actor=Actor(user=administrator, channel=Channel.WEB), testimony=recorded, item=recording, reason="again"
        )


def test_an_administrator_reads_the_vault_through_the_same_rule(
    client: Client, administrator: User, recorded: testimonies.Testimony
) -> None:
    login_verified(client, administrator)
    recording, _photo = _media(recorded)
    assert _channels(client, recording) == SEEN
    testimony_services.testimony_withdraw_consent(actor=system_actor(), testimony=recorded, reason="Letter.")
    assert _channels(client, recording) == UNSEEN
