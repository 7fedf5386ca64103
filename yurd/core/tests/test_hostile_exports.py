"""Spreadsheet formula injection: text people typed never reaches an export as a formula.

Covers the exports that were written without neutralising (heritage sites CSV, claims
CSV, `yurd link` results) and the XLSX path, where openpyxl would store a string
starting with "=" as a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.core.csvsafe import neutralise
from yurd.heritage.models import Site
from yurd.heritage.tests.conftest import make_site
from yurd.linkage.files import write_csv
from yurd.registry.exports import export_xlsx, registry_export
from yurd.registry.models import Wave
from yurd.registry.services import household_register
from yurd.testing.personas import Gazetteer

FORMULAS = ['=HYPERLINK("http://127.0.0.1/x","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell[:1] in {"=", "+", "@", "\t", "\r"} or cell.startswith("-2+")]


@pytest.mark.parametrize("value", FORMULAS)
def test_every_formula_start_is_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-45.123456", "-3", "12.5"])
def test_plain_numbers_in_text_stay_numbers(value: str) -> None:
    assert neutralise(value) == value


def test_heritage_sites_csv_neutralises_names_and_periods(
    client: Client, heritage_researcher: User, gazetteer: Gazetteer
) -> None:
    site = make_site(heritage_researcher, gazetteer)
    Site.objects.filter(pk=site.pk).update(name=FORMULAS[0], period=FORMULAS[1])
    client.force_login(heritage_researcher)
    response = client.get(reverse("heritage:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "'" + FORMULAS[0]
    assert not _formula_cells(rows[1:])


def test_linkage_results_neutralise_record_ids_from_the_input(tmp_path: Path) -> None:
    output = tmp_path / "links.csv"
    write_csv(output, ["record_id_a", "record_id_b", "match_probability"], [[FORMULAS[0], "@x", 0.97], ["a", "-3", -1]])
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert not _formula_cells(rows[1:])
    assert rows[2] == ["a", "-3", "-1"]


def test_registry_xlsx_export_holds_no_formula(gazetteer: Gazetteer) -> None:
    household_register(
        actor=system_actor(),
        household={"origin_place": gazetteer.settlement_a1, "wave": Wave.objects.order_by("pk").first()},
        members=[{"surname": FORMULAS[0], "given_name": FORMULAS[3], "household_role": "head"}],
    )
    data = export_xlsx(registry_export(actor=system_actor(), purpose="test", identified=True))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert any(cell.value == "'" + FORMULAS[0] for cell in cells)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_control_characters_in_names_do_not_break_the_xlsx_export(gazetteer: Gazetteer) -> None:
    """A name with a control character (an import from an old system can carry one) is exported, not a 500."""
    household_register(
        actor=system_actor(),
        household={"origin_place": gazetteer.settlement_a1, "wave": Wave.objects.order_by("pk").first()},
        members=[{"surname": "Ali\x01yev\x1b", "given_name": "Leyla\x0b", "household_role": "head"}],
    )
    data = export_xlsx(registry_export(actor=system_actor(), purpose="test", identified=True))
    values = [cell.value for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() for cell in row]
    assert any(isinstance(value, str) and value.startswith("Ali") for value in values)
