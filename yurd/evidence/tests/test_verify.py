from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import stat
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.evidence.chain import ChainEntry, walk
from yurd.evidence.models import CustodyAction, CustodyEntry, CustodyHead, EvidenceItem, EvidenceLink
from yurd.evidence.services import custody_append, evidence_change_sensitivity, evidence_link, evidence_record_view
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.testing.personas import login_verified

pytestmark = pytest.mark.django_db


def run_verify(*args: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("evidence", "verify", *args, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


@pytest.fixture
def vault() -> list[EvidenceItem]:
    items = [ingest_bytes(f"synthetic file {number}".encode(), name=f"{number}.txt") for number in range(3)]
    for item in items:
        evidence_record_view(actor=system_actor(), item=item)
    return items  # six custody entries


def test_intact_vault_verifies(vault: list[EvidenceItem]) -> None:
    ok, output = run_verify()
    assert ok, output
    assert "OK" in output


def test_changed_byte_in_a_stored_file_is_named(vault: list[EvidenceItem]) -> None:
    victim = vault[1]
    path = Path(default_storage.path(victim.storage_name))
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[0] ^= 1
    path.write_bytes(bytes(data))
    ok, output = run_verify()
    assert not ok
    assert output.splitlines() == [
        f"{victim.sha256}: file was altered (its bytes now hash to {output.split()[-1][:-1]})"
    ]


def test_missing_file_is_named(vault: list[EvidenceItem]) -> None:
    victim = vault[2]
    default_storage.delete(victim.storage_name)
    ok, output = run_verify()
    assert not ok
    assert f"{victim.sha256}: file is missing" in output


def test_deleted_custody_entry_is_named() -> None:
    for number in range(5):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number:064d}")
    CustodyEntry.objects.filter(seq=3).delete()
    ok, output = run_verify()
    assert not ok
    assert output.splitlines() == ["entry 3: custody entry 3 is missing (deleted)"]


def test_deleted_last_entry_is_named() -> None:
    for number in range(4):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number:064d}")
    CustodyEntry.objects.filter(seq=4).delete()
    ok, output = run_verify()
    assert not ok
    assert "entry 4" in output


def test_edited_custody_entry_is_named() -> None:
    for number in range(5):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number:064d}")
    CustodyEntry.objects.filter(seq=2).update(actor="someone-else")
    ok, output = run_verify()
    assert not ok
    assert output.splitlines() == ["entry 2: custody entry 2 was altered (hash mismatch)"]


def test_reordered_pair_of_entries_is_named() -> None:
    for number in range(5):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number:064d}")
    # Swap entries 3 and 4 (through a free number, since seq is unique).
    CustodyEntry.objects.filter(seq=3).update(seq=1000)
    CustodyEntry.objects.filter(seq=4).update(seq=3)
    CustodyEntry.objects.filter(seq=1000).update(seq=4)
    ok, output = run_verify()
    assert not ok
    assert output.splitlines() == ["entry 3: custody entries 3 and 4 are in the wrong order (reordered)"]


def test_published_head_proves_the_log_only_grew(tmp_path: Path) -> None:
    for number in range(3):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number:064d}")
    head_file = tmp_path / "head.json"
    call_command("evidence", "head", "--output", str(head_file), stdout=io.StringIO())
    assert json.loads(head_file.read_text())["seq"] == 3
    custody_append(actor=system_actor(), action="view", item_sha256="9" * 64)
    ok, output = run_verify("--since-head", str(head_file))
    assert ok, output


def test_rewritten_history_fails_against_the_published_head(tmp_path: Path) -> None:
    for number in range(3):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number:064d}")
    head_file = tmp_path / "head.json"
    call_command("evidence", "head", "--output", str(head_file), stdout=io.StringIO())
    # Someone deletes the whole log and starts over with a consistent new chain.
    CustodyEntry.objects.all().delete()

    CustodyHead.objects.all().delete()
    for number in range(4):
        custody_append(actor=system_actor(), action="view", item_sha256=f"{number + 5:064d}")
    ok, output = run_verify("--since-head", str(head_file))
    assert not ok
    assert "entry 3: the published head entry has a different hash now" in output


def test_chain_walk_without_database_names_every_kind_of_problem() -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    entries = []
    previous = "0" * 64
    for seq in range(1, 4):
        entry = ChainEntry(seq, at, "a", "cli", "view", "f" * 64, {}, previous)
        entry = ChainEntry(**{**entry.__dict__, "entry_hash": entry.compute_hash()})
        entries.append(entry)
        previous = entry.entry_hash
    assert list(walk(entries)) == []
    assert [problem.kind for problem in walk([entries[0], entries[2]])] == ["missing"]


# --- The item rows: metadata, sensitivity and links as the chain recorded them -----------


def test_a_sensitivity_changed_in_the_database_is_named(vault: list[EvidenceItem]) -> None:
    victim = vault[0]
    EvidenceItem.objects.filter(pk=victim.pk).update(sensitivity="public")
    ok, output = run_verify()
    assert not ok
    assert f"{victim.sha256}: the item's metadata, sensitivity or links were changed without a custody entry" in output


def test_a_title_changed_in_the_database_is_named(vault: list[EvidenceItem]) -> None:
    victim = vault[1]
    EvidenceItem.objects.filter(pk=victim.pk).update(title_en="Another title", source="forged")
    ok, output = run_verify()
    assert not ok
    assert victim.sha256 in output


def test_a_link_added_or_removed_in_the_database_is_named(vault: list[EvidenceItem]) -> None:
    linked = evidence_link(actor=system_actor(), item=vault[0], target_type="registry.household", target_code="HH-1")
    assert run_verify()[0]  # a link through the service is recorded
    EvidenceLink.objects.create(item=vault[1], target_type="registry.household", target_code="HH-2")
    linked.delete()
    ok, output = run_verify()
    assert not ok
    assert vault[0].sha256 in output and vault[1].sha256 in output


def test_changes_through_the_services_verify(vault: list[EvidenceItem]) -> None:
    evidence_change_sensitivity(actor=system_actor(), item=vault[2], sensitivity="restricted", reason="consent")
    ok, output = run_verify()
    assert ok, output


def test_a_deleted_item_row_is_named(vault: list[EvidenceItem]) -> None:
    victim = vault[2]
    EvidenceItem.objects.filter(pk=victim.pk).delete()
    ok, output = run_verify("--skip-files")
    assert not ok
    assert f"{victim.sha256}: the item's row was deleted" in output


def test_the_admin_cannot_edit_evidence_metadata(client: Client, vault: list[EvidenceItem]) -> None:
    superuser = User.objects.create_superuser("root-rauf", password="a-long-superuser-passphrase")

    login_verified(client, superuser)
    url = reverse("admin:evidence_evidenceitem_change", args=[vault[0].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title_en"' not in page.content.decode()
    client.post(url, {"title_en": "Changed in the admin", "kind": "other"})
    vault[0].refresh_from_db()
    assert vault[0].title_en != "Changed in the admin"


def test_the_migration_records_the_state_of_items_ingested_before_states_were(vault: list[EvidenceItem]) -> None:
    """Finding 15: an item whose ingest recorded no state was never checked; the back-fill
    records its state as found, after which a change in the database is named."""
    backfill = importlib.import_module("yurd.evidence.migrations.0004_backfill_item_states").backfill_states
    # The vault as it stood before states were recorded: each item's ingest entry, no state.
    CustodyEntry.objects.all().delete()
    CustodyHead.objects.filter(pk=1).update(seq=0, entry_hash="")
    for item in vault:
        custody_append(actor=system_actor(), action=CustodyAction.INGEST, item_sha256=item.sha256)
    EvidenceItem.objects.filter(pk=vault[0].pk).update(title_en="Retitled before the back-fill")
    assert run_verify()[0]  # unchecked: nothing recorded to compare with

    backfill(apps, None)
    ok, output = run_verify()
    assert ok, output  # the chain is intact, and the states are those found
    assert CustodyEntry.objects.filter(action=CustodyAction.METADATA, details__has_key="backfill").count() == 3
    backfill(apps, None)
    assert CustodyEntry.objects.count() == 6  # run again, it finds nothing to record

    EvidenceItem.objects.filter(pk=vault[1].pk).update(sensitivity="public")
    ok, output = run_verify()
    assert not ok
    assert (
        f"{vault[1].sha256}: the item's metadata, sensitivity or links were changed without a custody entry" in output
    )
