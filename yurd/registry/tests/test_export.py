"""Exports: pseudonymised by default, names only with the permission, injection-safe, logged."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.models import AccessLogEntry
from yurd.registry.exports import export_csv, neutralise, pseudonym, registry_export
from yurd.registry.models import Household
from yurd.registry.services import person_update
from yurd.registry.tests.conftest import login
from yurd.testing.responses import streamed


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_is_pseudonymised_by_default_with_keyed_per_purpose_pseudonyms(
    registrar: User, mammadov_family: Household
) -> None:
    export = registry_export(actor=Actor(user=registrar), purpose="statistics")
    rows = rows_of("".join(export_csv(export)))
    assert len(rows) == 4
    assert "surname" not in rows[0] and "person_url" not in rows[0]
    text = str(rows)
    assert "Məmmədov" not in text and "P-0000001" not in text and "HH-000001" not in text
    assert {row["person"] for row in rows} == {pseudonym(f"P-000000{number}", "statistics") for number in range(1, 5)}
    assert pseudonym("P-0000001", "statistics") != pseudonym("P-0000001", "research")
    entry = AccessLogEntry.objects.get(action="export")
    assert (entry.username, entry.purpose, entry.detail["identified"]) == (registrar.username, "statistics", False)


def test_identified_export_has_names_and_stable_record_urls(registrar: User, mammadov_family: Household) -> None:
    export = registry_export(
        actor=Actor(user=registrar), purpose="claims", identified=True, base_url="https://yurd.example"
    )
    rows = rows_of("".join(export_csv(export)))
    head = next(row for row in rows if row["given_name"] == "Əli")
    assert head["person_url"] == f"https://yurd.example/registry/people/{head['person_code']}/"
    assert head["household_url"] == "https://yurd.example/registry/households/HH-000001/"


def test_identified_export_needs_the_permission(assessor: User, reviewer: User, mammadov_family: Household) -> None:
    with pytest.raises(PermissionDenied):
        registry_export(actor=Actor(user=assessor), purpose="claims", identified=True)
    with pytest.raises(PermissionDenied):
        registry_export(actor=Actor(user=reviewer), purpose="claims")


def test_export_needs_a_purpose(registrar: User) -> None:
    with pytest.raises(PermissionDenied):
        registry_export(actor=Actor(user=registrar), purpose="  ")


def test_export_honours_scope(registrar: User, mammadov_family: Household, other_district_household: Household) -> None:
    rows = rows_of("".join(export_csv(registry_export(actor=Actor(user=registrar), purpose="x", identified=True))))
    assert {row["household_code"] for row in rows} == {mammadov_family.code}


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx"])
def test_formula_cells_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert neutralise("Məmmədov") == "Məmmədov"


def test_exported_names_starting_with_formula_characters_are_neutralised(
    registrar: User, mammadov_family: Household
) -> None:
    person = mammadov_family.members.get(given_name="Rəşad")
    person_update(actor=Actor(user=registrar), person=person, reason="test", surname="=HYPERLINK(1)")
    rows = rows_of("".join(export_csv(registry_export(actor=Actor(user=registrar), purpose="x", identified=True))))
    assert "'=HYPERLINK(1)" in {row["surname"] for row in rows}


def test_export_page_downloads_csv_and_xlsx(client: Any, registrar: User, mammadov_family: Household) -> None:
    login(client, registrar)
    response = client.post(reverse("registry:export"), {"purpose": "audit", "file_format": "csv"})
    assert response.status_code == 200
    assert len(rows_of(streamed(response).decode())) == 4
    response = client.post(reverse("registry:export"), {"purpose": "audit", "file_format": "xlsx", "identified": "on"})
    workbook = load_workbook(io.BytesIO(streamed(response)))
    assert workbook.active is not None and workbook.active.max_row == 5


def test_export_command_runs_as_the_given_user(registrar: User, mammadov_family: Household, tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    call_command("registry", "export", "--output", str(output), "--purpose", "audit", "--as", registrar.username,
                 stdout=io.StringIO())  # fmt: skip
    assert len(rows_of(output.read_text(encoding="utf-8"))) == 4
    assert AccessLogEntry.objects.get(action="export").username == registrar.username
    with pytest.raises(CommandError):
        call_command("registry", "export", "--output", str(output), "--purpose", "", stdout=io.StringIO())
