from __future__ import annotations

import io
import json
from pathlib import Path

import bagit
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yurd.accounts.models import User
from yurd.core.actors import Actor, system_actor
from yurd.core.models import AccessLogEntry
from yurd.evidence.models import CustodyEntry, EvidenceItem
from yurd.evidence.packages import PackageError, evidence_package
from yurd.evidence.selectors import evidence_for_targets
from yurd.evidence.services import evidence_link
from yurd.evidence.tests.conftest import ingest_bytes, photo_bytes

pytestmark = pytest.mark.django_db


def test_bag_of_everything_validates_with_bagit(tmp_path: Path) -> None:
    photo = ingest_bytes(photo_bytes(), name="photo.jpg", title_en="Photo")
    note = ingest_bytes(b"synthetic note", name="note.txt")
    output = tmp_path / "bag"
    call_command("evidence", "bag", "--output", str(output), "--all", stdout=io.StringIO())
    bag = bagit.Bag(str(output))
    bag.validate()
    assert (output / "data" / "items" / photo.sha256 / "photo.jpg").read_bytes() == photo_bytes()
    metadata = json.loads((output / "data" / "items" / note.sha256 / "metadata.json").read_text())
    assert metadata["sha256"] == note.sha256
    head = json.loads((output / "data" / "chain-head.json").read_text())
    assert head["seq"] == CustodyEntry.objects.count()
    custody_lines = (output / "data" / "custody.jsonl").read_text().splitlines()
    assert {json.loads(line)["action"] for line in custody_lines} >= {"ingest", "export"}
    assert "sha256" in bag.algorithms
    assert AccessLogEntry.objects.filter(action="export", target_type="evidence.evidenceitem").exists()


def test_bag_for_a_household_holds_only_its_linked_items(tmp_path: Path) -> None:
    linked = ingest_bytes(b"household deed, synthetic", name="deed.txt")
    ingest_bytes(b"unrelated", name="other.txt")
    evidence_link(actor=system_actor(), item=linked, target_type="registry.household", target_code="HH-000001")
    output = tmp_path / "bag"
    call_command("evidence", "bag", "--output", str(output), "--household", "HH-000001", stdout=io.StringIO())
    bagit.Bag(str(output)).validate()
    assert [path.name for path in (output / "data" / "items").iterdir()] == [linked.sha256]


def test_analyst_may_not_export_a_package(analyst: User, tmp_path: Path) -> None:
    with pytest.raises(PackageError):
        evidence_package(
            actor=Actor(user=analyst),
            items=EvidenceItem.objects.all(),
            output=tmp_path / "b",
            purpose="x",
            selection="all",
        )
    with pytest.raises(CommandError):
        call_command("evidence", "bag", "--as", analyst.username, "--output", str(tmp_path / "c"), "--all")


def test_restricted_items_leave_a_package_only_for_roles_that_may_see_them(
    heritage_researcher: User, tmp_path: Path
) -> None:
    restricted = ingest_bytes(b"restricted, synthetic", name="r.txt", sensitivity="restricted")
    evidence_link(actor=system_actor(), item=restricted, target_type="claims.claim", target_code="CL-1")
    assert evidence_for_targets(targets=[("claims.claim", "CL-1")], user=heritage_researcher).count() == 1
    reviewer_like = User.objects.create_user(username="nobody-special")
    assert evidence_for_targets(targets=[("claims.claim", "CL-1")], user=reviewer_like).count() == 0
