"""Importing gazetteer files: row-level validation, one transaction, idempotent re-import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yurd.core.actors import system_actor
from yurd.places.importing import CSV_FORMAT, GEONAMES_FORMAT, ImportFileError
from yurd.places.models import CoordinatePrecision, NameKind, NameScript, Place, PlaceName
from yurd.places.selectors import place_resolve
from yurd.places.services import place_file_read, place_rows_commit
from yurd.places.tests.conftest import DATA

pytestmark = pytest.mark.django_db


def read(name: str, file_format: str = CSV_FORMAT, alternate: str | None = None):
    alternate_data = (DATA / alternate).read_bytes() if alternate else None
    return place_file_read(data=(DATA / name).read_bytes(), file_format=file_format, alternate_names=alternate_data)


def history_rows() -> int:
    return Place.history.count() + PlaceName.history.count()


def test_good_csv_builds_the_hierarchy_with_names_and_years() -> None:
    parsed, valid = read("good_places.csv")
    assert parsed.errors == []
    summary = place_rows_commit(actor=system_actor(), rows=valid)
    assert summary.created == 5
    village = Place.objects.get(code="SYN-S1")
    assert village.parent is not None
    assert village.parent.code == "SYN-D"
    assert village.path == f"{village.parent.path}{village.pk}/"
    assert village.coordinate_precision == CoordinatePrecision.APPROXIMATE
    russian = village.names.get(language=NameScript.RU)
    assert (russian.text, russian.kind, russian.year_from, russian.year_to) == (
        "Сарыбулах",
        NameKind.OFFICIAL,
        1930,
        1991,
    )
    assert village.names.get(language=NameScript.HY).year_from == 1991
    assert place_resolve("Deghnaghbyur") == village


def test_reimporting_the_same_file_changes_nothing() -> None:
    _parsed, valid = read("good_places.csv")
    place_rows_commit(actor=system_actor(), rows=valid)
    before = history_rows()
    _parsed, valid = read("good_places.csv")
    summary = place_rows_commit(actor=system_actor(), rows=valid)
    assert (summary.created, summary.updated, summary.names_added, summary.names_updated) == (0, 0, 0, 0)
    assert summary.unchanged == 5
    assert history_rows() == before


def test_changed_row_updates_the_place_and_records_why(tmp_path: Path) -> None:
    _parsed, valid = read("good_places.csv")
    place_rows_commit(actor=system_actor(), rows=valid)
    changed = (DATA / "good_places.csv").read_text(encoding="utf-8").replace("40.12,45.11", "40.13,45.12")
    _parsed, valid = place_file_read(data=changed.encode(), file_format=CSV_FORMAT)
    summary = place_rows_commit(actor=system_actor(), rows=valid, reason="corrected coordinates")
    assert summary.updated == 1
    village = Place.objects.get(code="SYN-S1")
    assert str(village.latitude) == "40.130000"
    assert village.history.first().history_change_reason == "corrected coordinates"


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_is_valid() -> None:
    parsed, valid = read("bad_places.csv")
    problems = {(error.row_number, error.column) for error in parsed.errors}
    assert (5, "kind") in problems  # "hamlet"
    assert (6, "latitude") in problems  # 95.5
    assert (7, "parent_code") in problems  # district rejected above, so its village is too
    assert (8, "parent_code") in problems  # unknown parent code
    assert (9, "name_ru") in problems  # years backwards
    assert (11, "longitude") in problems  # only one coordinate
    assert (10, "parent_code") in problems  # parent row 11 rejected
    assert (12, "code") in problems  # duplicate code
    assert {row.code for row in valid} == {"SYN", "SYN-R"}
    messages = " ".join(error.message for error in parsed.errors)
    assert "row 6" in messages  # a rejected parent is named by its row
    assert [warning.column for warning in parsed.warnings] == ["colour"]


def test_a_settlement_cannot_contain_a_district() -> None:
    text = "code,parent_code,kind,name\nA,,country,A\nB,A,settlement,B\nC,B,district,C\n"
    parsed, valid = place_file_read(data=text.encode(), file_format=CSV_FORMAT)
    assert [(error.row_number, error.column) for error in parsed.errors] == [(4, "parent_code")]
    assert [row.code for row in valid] == ["A", "B"]


def test_file_that_is_not_utf8_is_refused_whole() -> None:
    data = "code,kind,name\nX,country,Гарабулаг\n".encode("cp1251")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        place_file_read(data=data, file_format=CSV_FORMAT)


def test_utf16_and_bom_files_are_read() -> None:
    text = "code,kind,name\nX,country,Гарабулаг\n"
    for data in (text.encode("utf-16"), text.encode("utf-8-sig")):
        parsed, valid = place_file_read(data=data, file_format=CSV_FORMAT)
        assert parsed.errors == []
        assert valid[0].name == "Гарабулаг"


def test_missing_columns_are_named() -> None:
    with pytest.raises(ImportFileError, match="kind"):
        place_file_read(data=b"code,name\nX,Y\n", file_format=CSV_FORMAT)


def test_semicolon_separated_csv_is_read() -> None:
    parsed, valid = place_file_read(data=b"code;kind;name\nX;country;Y\n", file_format=CSV_FORMAT)
    assert parsed.errors == []
    assert valid[0].code == "X"


def test_geonames_dump_builds_places_and_names() -> None:
    parsed, valid = read("AM_sample.txt", GEONAMES_FORMAT, "alternateNames_sample.txt")
    assert parsed.errors == []
    assert parsed.skipped == 1  # the river
    place_rows_commit(actor=system_actor(), rows=valid)
    village = Place.objects.get(geonames_id=1004)
    assert village.code == "GN-1004"
    assert village.parent is not None
    assert village.parent.geonames_id == 1003  # ADM2 by admin codes
    parent = Place.objects.get(geonames_id=1005).parent
    assert parent is not None and parent.geonames_id == 1002  # no ADM2: ADM1
    historic = village.names.get(language=NameScript.RU)
    assert (historic.kind, historic.year_from, historic.year_to) == (NameKind.HISTORICAL, 1930, 1991)
    assert village.names.get(text="Сарыбулаг").language == NameScript.AZ_CYRL  # "az" in Cyrillic letters
    assert village.names.get(language=NameScript.HY).kind == NameKind.OFFICIAL  # preferred
    assert not village.names.filter(text__startswith="https").exists()  # links are not names
    assert not PlaceName.objects.filter(text="Spitakadsor").exists()  # German is not kept
    assert place_resolve("Sarıbulaq k.") == village


def test_geonames_reimport_changes_nothing() -> None:
    _parsed, valid = read("AM_sample.txt", GEONAMES_FORMAT, "alternateNames_sample.txt")
    place_rows_commit(actor=system_actor(), rows=valid)
    before = history_rows()
    _parsed, valid = read("AM_sample.txt", GEONAMES_FORMAT, "alternateNames_sample.txt")
    summary = place_rows_commit(actor=system_actor(), rows=valid)
    assert summary.created == summary.updated == summary.names_added == 0
    assert history_rows() == before


def test_csv_given_as_geonames_is_refused() -> None:
    with pytest.raises(ImportFileError, match="GeoNames"):
        read("good_places.csv", GEONAMES_FORMAT)


# --- the command line ------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("places", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_command_without_commit_only_validates() -> None:
    status, out, _err = run("import", str(DATA / "good_places.csv"))
    assert status == 0
    assert "5 valid rows" in out
    assert not Place.objects.exists()


def test_command_commits_valid_rows_and_exits_1_when_some_are_rejected() -> None:
    status, out, _err = run("import", str(DATA / "bad_places.csv"), "--commit")
    assert status == 1
    assert "5,kind," in out  # row, column, message
    assert set(Place.objects.values_list("code", flat=True)) == {"SYN", "SYN-R"}


def test_command_exits_2_for_an_unreadable_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_bytes("code,kind,name\nX,country,Гарабулаг\n".encode("cp1251"))
    status, _out, err = run("import", str(broken), "--commit")
    assert status == 2
    assert "UTF-8" in err
    assert not Place.objects.exists()


def test_command_reads_geonames_with_alternate_names() -> None:
    status, out, _err = run(
        "import",
        str(DATA / "AM_sample.txt"),
        "--format",
        "geonames",
        "--alternate-names",
        str(DATA / "alternateNames_sample.txt"),
        "--commit",
    )
    assert status == 0, out
    assert Place.objects.filter(code__startswith="GN-").count() == 5


def test_command_refuses_a_user_without_the_import_permission(analyst) -> None:

    with pytest.raises(CommandError, match="may not import"):
        call_command("places", "--as", analyst.username, "import", str(DATA / "good_places.csv"), "--commit")
    assert not Place.objects.exists()
    with pytest.raises(CommandError, match="may not import"):
        call_command("places", "import", str(DATA / "good_places.csv"), "--commit", "--as", analyst.username)


def test_export_writes_place_id_and_every_name(tmp_path: Path) -> None:
    _parsed, valid = read("good_places.csv")
    place_rows_commit(actor=system_actor(), rows=valid)
    output = tmp_path / "places.csv"
    status, _out, _err = run("export", "--output", str(output))
    assert status == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("place_id,name_1,name_2")
    village = next(line for line in lines if line.startswith("SYN-S1,"))
    assert "Сарыбулах" in village
    assert "Deghnaghbyur" in village
