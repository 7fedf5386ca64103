"""Imports: encodings, every validation rule, staging, commit all-or-nothing, idempotence,
crash safety, rejected-row reports, the command line and the web flow."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import Workbook

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.places.models import Place, PlaceName
from yurd.registry.imports import (
    COLUMNS,
    ImportFileError,
    ImportRefusedError,
    import_commit,
    import_create,
    import_validate,
    register_pre_commit_hook,
    rejected_rows_csv,
)
from yurd.registry.imports.services import PreCommitDecision, unregister_pre_commit_hook
from yurd.registry.models import Household, ImportBatch, Kinship, Person
from yurd.registry.search import registry_search
from yurd.registry.tests.conftest import login
from yurd.testing.personas import Gazetteer

GOOD_ROWS = [
    {"household_ref": "F1", "person_ref": "F1-1", "surname": "Məmmədov", "given_name": "Əli", "sex": "m",
     "birth_date": "12.03.1931", "death_date": "1995", "role": "head", "spouse_ref": "F1-2",
     "origin_place": "Qarabulaq", "wave": "1987-1991", "displacement_date": "11.1988", "current_place": "Dəmirçi"},
    {"household_ref": "F1", "person_ref": "F1-2", "surname": "Məmmədova", "given_name": "Gülnarə", "sex": "f",
     "birth_date": "1935", "role": "spouse", "spouse_ref": "F1-1", "origin_place": "Гарабулаг"},
    {"household_ref": "F1", "person_ref": "F1-3", "full_name": "Мамедов Гасан Алиевич", "sex": "м",
     "birth_date": "1960-05-02", "role": "child", "father_ref": "F1-1", "mother_ref": "F1-2"},
    {"household_ref": "F2", "person_ref": "F2-1", "surname": "Quliyev", "given_name": "Vüqar", "sex": "m",
     "origin_place": "Dəmirçi", "displacement_date": "1949"},
]  # fmt: skip


def make_csv(rows: list[dict[str, str]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def places(gazetteer: Gazetteer) -> Gazetteer:
    PlaceName.objects.create(place=gazetteer.settlement_a1, text="Гарабулаг", language="ru")
    return gazetteer


def stage(data: bytes, *, source: str = "list-1988", file_name: str = "list.csv") -> ImportBatch:
    batch = import_create(actor=system_actor(), data=data, file_name=file_name, source=source)
    return import_validate(batch=batch, data=data)


def errors_of(batch: ImportBatch) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for row in batch.rows.filter(is_valid=False):
        found[row.number] = [(error["column"], error["message"]) for error in row.errors]
    return found


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251"])
def test_every_supported_encoding_reads_names_correctly(places: Gazetteer, encoding: str) -> None:
    rows = [{"household_ref": "R1", "surname": "Мамедов", "given_name": "Али", "origin_place": "Гарабулаг"}]
    batch = stage(make_csv(rows, encoding=encoding))
    assert batch.valid_rows == 1, errors_of(batch)
    import_commit(actor=system_actor(), batch=batch)
    assert Person.objects.get().surname == "Мамедов"


def test_semicolon_separated_and_xlsx_files_are_read(places: Gazetteer) -> None:
    assert stage(make_csv(GOOD_ROWS, delimiter=";")).valid_rows == 4
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in GOOD_ROWS:
        sheet.append([row.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = stage(buffer.getvalue(), file_name="list.xlsx", source="xlsx")
    assert (batch.file_format, batch.valid_rows) == ("xlsx", 4)


def test_commit_creates_households_people_kinship_history_and_search_tokens(places: Gazetteer) -> None:
    batch = import_commit(actor=system_actor(), batch=stage(make_csv(GOOD_ROWS)))
    assert (batch.households_created, batch.people_created) == (2, 4)
    first = Household.objects.get(source_ref="F1")
    assert first.origin_place == places.settlement_a1
    assert first.current_place == places.settlement_b1
    assert str(first.displacement_date) == "11.1988"
    assert first.wave is not None and first.wave.code == "1987-1991"
    wave = Household.objects.get(source_ref="F2").wave
    assert wave is not None and wave.code == "1948-1953"
    son = Person.objects.get(source_ref="F1-3")
    assert (son.surname, son.given_name, son.patronymic, son.sex) == ("Мамедов", "Гасан", "Алиевич", "m")
    assert Person.objects.get(source_ref="F1-1").is_deceased
    assert Kinship.objects.filter(to_person=son, kind="parent_of").count() == 2
    assert Kinship.objects.filter(kind="spouse_of").count() == 1
    assert son.history.get().history_type == "+"
    assert first.history.count() == 1
    hits = registry_search(user=None, query="Mamedov Hasan")
    assert hits.people[0].person == son
    codes = sorted(Household.objects.values_list("code", flat=True))
    assert codes == ["HH-000001", "HH-000002"]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ({"surname": "X"}, "household_ref"),
        ({"household_ref": "H"}, "surname"),
        ({"household_ref": "H", "surname": "X", "birth_date": "31.02.1950"}, "birth_date"),
        ({"household_ref": "H", "surname": "X", "birth_date": "1950", "death_date": "1940"}, "death_date"),
        ({"household_ref": "H", "surname": "X", "sex": "x"}, "sex"),
        ({"household_ref": "H", "surname": "X", "role": "cousin-in-law"}, "role"),
        ({"household_ref": "H", "surname": "X", "origin_place": "Atlantis"}, "origin_place"),
        ({"household_ref": "H", "surname": "X", "current_place": "Nowhere"}, "current_place"),
        ({"household_ref": "H", "surname": "X", "wave": "2050"}, "wave"),
        ({"household_ref": "H", "surname": "X", "father_ref": "nobody"}, "father_ref"),
        ({"household_ref": "H", "person_ref": "P", "surname": "X", "spouse_ref": "P"}, "spouse_ref"),
    ],
)
def test_each_bad_cell_is_reported_with_row_and_column(places: Gazetteer, row: dict[str, str], column: str) -> None:
    batch = stage(make_csv([row]))
    assert batch.rejected_rows == 1
    assert [found_column for found_column, _message in errors_of(batch)[2]] == [column]


def test_unknown_place_is_reported_not_invented(places: Gazetteer) -> None:
    before = Place.objects.count()
    batch = stage(make_csv([{"household_ref": "H", "surname": "X", "origin_place": "Atlantis"}]))
    assert "unknown place 'Atlantis'" in errors_of(batch)[2][0][1]
    assert Place.objects.count() == before


def test_duplicates_conflicts_and_rejected_relatives_are_caught(places: Gazetteer) -> None:
    rows = [
        {"household_ref": "H", "person_ref": "A", "surname": "X", "origin_place": "Qarabulaq"},
        {"household_ref": "H", "person_ref": "A", "surname": "Y"},
        {"household_ref": "H", "person_ref": "B", "surname": "Z", "origin_place": "Dəmirçi"},
        {"household_ref": "H", "person_ref": "C", "surname": "W", "birth_date": "bad"},
        {"household_ref": "H", "person_ref": "D", "surname": "V", "father_ref": "C"},
    ]
    errors = errors_of(stage(make_csv(rows)))
    assert errors[3] == [("person_ref", "the same person_ref is on row 2")]
    assert errors[4][0][0] == "origin_place"
    assert errors[6] == [("father_ref", "refers to rejected row 5")]


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02garbage\xff" * 50, b"name,age\nAli,3\n", b"just one line without columns"],
)
def test_unreadable_files_are_refused_whole(db: None, data: bytes) -> None:
    with pytest.raises(ImportFileError):
        stage(data)


def test_all_or_nothing_commits_nothing_when_a_row_is_rejected(places: Gazetteer) -> None:
    batch = stage(make_csv([*GOOD_ROWS, {"household_ref": "F3", "surname": "X", "origin_place": "Atlantis"}]))
    with pytest.raises(ImportRefusedError):
        import_commit(actor=system_actor(), batch=batch, all_or_nothing=True)
    assert not Person.objects.exists()
    batch = import_commit(actor=system_actor(), batch=batch)
    assert batch.people_created == 4


def test_reimporting_the_same_file_changes_nothing(places: Gazetteer) -> None:
    data = make_csv(GOOD_ROWS)
    import_commit(actor=system_actor(), batch=stage(data))
    snapshot = list(Person.objects.order_by("pk").values_list("pk", "code", "surname", "updated_at"))
    kinship = Kinship.objects.count()
    again = import_commit(actor=system_actor(), batch=stage(data))
    assert (again.people_created, again.households_created, again.people_unchanged) == (0, 0, 4)
    assert list(Person.objects.order_by("pk").values_list("pk", "code", "surname", "updated_at")) == snapshot
    assert Kinship.objects.count() == kinship


def test_rows_without_person_ref_are_recognised_on_reimport(places: Gazetteer) -> None:
    data = make_csv([{"household_ref": "H9", "surname": "Əliyev", "given_name": "Vasif", "birth_date": "1950"}])
    import_commit(actor=system_actor(), batch=stage(data))
    assert import_commit(actor=system_actor(), batch=stage(data)).people_unchanged == 1
    assert Person.objects.count() == 1


def test_crash_during_commit_leaves_the_registry_unchanged(places: Gazetteer) -> None:
    batch = stage(make_csv(GOOD_ROWS))

    def crash(batch: ImportBatch, rows: list[dict[str, Any]]) -> None:
        raise RuntimeError("disk full")

    # The hook runs inside the commit transaction after the first writes are prepared.
    register_pre_commit_hook(crash)
    try:
        with pytest.raises(RuntimeError):
            import_commit(actor=system_actor(), batch=batch)
    finally:
        unregister_pre_commit_hook(crash)
    assert not Household.objects.exists() and not Person.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "validated" and "disk full" in batch.error
    assert import_commit(actor=system_actor(), batch=batch).people_created == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite checks foreign keys at the outer COMMIT only.")
def test_a_broken_reference_fails_the_commit_at_once_and_writes_nothing(places: Gazetteer) -> None:
    """PostgreSQL: foreign keys are checked as each bulk write ends, not at COMMIT (the test's
    own transaction never commits, so a deferred check would not fail here at all)."""
    batch = stage(make_csv(GOOD_ROWS))

    def link_to_nobody(batch: ImportBatch, rows: list[dict[str, Any]]) -> PreCommitDecision:
        return PreCommitDecision(links={"F1-1": 10**9})  # F1-3's father: a person who does not exist

    register_pre_commit_hook(link_to_nobody)
    try:
        with pytest.raises(IntegrityError):
            import_commit(actor=system_actor(), batch=batch)
    finally:
        unregister_pre_commit_hook(link_to_nobody)
    assert not Household.objects.exists() and not Person.objects.exists() and not Kinship.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "validated" and batch.error
    # The rest of the transaction keeps Django's deferred foreign keys, after a failed import
    # and after a committed one: a dangling row is accepted until COMMIT.
    assert_foreign_keys_deferred()
    assert import_commit(actor=system_actor(), batch=batch).people_created == 4
    assert_foreign_keys_deferred()


def assert_foreign_keys_deferred() -> None:
    with transaction.atomic():
        savepoint = transaction.savepoint()
        with connection.cursor() as cursor:  # raises IntegrityError here if checked immediately
            cursor.execute(
                "INSERT INTO registry_kinship"
                " (from_person_id, to_person_id, kind, source, certainty, created_at, updated_at)"
                " VALUES (%s, %s, 'parent_of', '', 'high', %s, %s)",
                [10**9, 10**9 + 1, "2026-01-01", "2026-01-01"],
            )
        transaction.savepoint_rollback(savepoint)


def test_pre_commit_hook_sees_the_valid_rows(places: Gazetteer) -> None:
    seen: list[int] = []

    def match_batch(batch: ImportBatch, rows: list[dict[str, Any]]) -> None:
        seen.extend(row["row"] for row in rows)

    register_pre_commit_hook(match_batch)
    try:
        import_commit(actor=system_actor(), batch=stage(make_csv(GOOD_ROWS)))
    finally:
        unregister_pre_commit_hook(match_batch)
    assert seen == [2, 3, 4, 5]


def test_rejected_rows_report_has_row_column_reason_and_neutralised_cells(places: Gazetteer) -> None:
    batch = stage(make_csv([{"household_ref": "H", "surname": "=HYPERLINK(1)", "sex": "x"}]))
    report = list(csv.reader(io.StringIO(rejected_rows_csv(batch))))
    assert report[0][:3] == ["row", "column", "reason"]
    assert report[1][:2] == ["2", "sex"]
    assert report[1][3 + COLUMNS.index("surname")] == "'=HYPERLINK(1)"


def test_command_line_exit_codes_report_and_commit(places: Gazetteer, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(make_csv(GOOD_ROWS))
    call_command("registry", "import", str(good), "--source", "cli", stdout=io.StringIO())
    assert not Person.objects.exists()  # validation only

    bad = tmp_path / "bad.csv"
    bad.write_bytes(make_csv([*GOOD_ROWS, {"household_ref": "F9", "surname": "X", "birth_date": "soon"}]))
    report = tmp_path / "rejected.csv"
    with pytest.raises(SystemExit) as exit_info:
        call_command("registry", "import", str(bad), "--commit", "--all-or-nothing", "--report", str(report),
                     stdout=io.StringIO())  # fmt: skip
    assert exit_info.value.code == 1
    assert "birth_date" in report.read_text()
    assert not Person.objects.exists()

    with pytest.raises(SystemExit) as exit_info:
        call_command("registry", "import", str(bad), "--commit", stdout=io.StringIO())
    assert exit_info.value.code == 1
    assert Person.objects.count() == 4

    unreadable = tmp_path / "broken.csv"
    unreadable.write_bytes(b"\x00\xff" * 10)
    with pytest.raises(SystemExit) as exit_info:
        call_command("registry", "import", str(unreadable), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        call_command("registry", "import", str(tmp_path / "missing.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 2


def test_web_import_stages_in_background_and_commits(client: Any, registrar: User, places: Gazetteer) -> None:
    login(client, registrar)
    upload = io.BytesIO(make_csv(GOOD_ROWS[:3]))
    upload.name = "families.csv"
    response = client.post(reverse("registry:import_new"), {"file": upload, "source": "web list"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "validated" and batch.valid_rows == 3
    page = client.get(reverse("registry:import_detail", args=[batch.pk]), headers={"HX-Request": "true"})
    assert "Commit 3 valid rows" in page.text
    client.post(reverse("registry:import_commit", args=[batch.pk]), {"mode": "valid"})
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert Person.objects.filter(source="web list").count() == 3
    assert client.get(reverse("registry:import_template")).text.startswith("household_ref,person_ref,")


def test_web_upload_of_unreadable_file_shows_the_reason(client: Any, registrar: User) -> None:
    login(client, registrar)
    upload = io.BytesIO(b"name,age\nAli,3\n")
    upload.name = "wrong.csv"
    response = client.post(reverse("registry:import_new"), {"file": upload, "source": "x"})
    assert response.status_code == 200
    assert "household_ref" in response.text
    assert not ImportBatch.objects.exists()
