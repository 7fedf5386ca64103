"""Parsers of uploaded files fed hostile bytes: each reads or refuses with its own error, never crashes.

Registry CSV/XLSX import (every encoding it accepts, malformed rows, huge fields, NUL
bytes), KoBo / ODK Central exports, OpenRosa XML and name normalisation. Bounded
examples keep CI quick; bench/fuzz_parsers.py searches further with atheris.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from bench.fuzz_parsers import TARGETS, _target
from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.fieldwork.submissions import SubmissionError, parse_export, parse_instance
from yurd.heritage.forms import SiteForm
from yurd.names.folding import fold_token, latin, search_key, search_tokens
from yurd.places.importing import ImportFileError as PlaceFileError
from yurd.places.services import place_import_stage
from yurd.registry.imports.reading import ImportFileError, read_table
from yurd.testing.hostile import TRAVERSAL_NAMES, xlsx_bomb, zip_with_member
from yurd.testing.personas import make_user

QUICK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251"]
CELL = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20) | st.sampled_from(
    ["=1+1", '"', '""', "\x00", "\r", "\n", ";", "\t", "Əli", "Мамедов", "a" * 300]
)


def _read_all(data: bytes, name: str = "list.csv") -> None:
    try:
        table = read_table(data, name)
        for row in table.rows:
            assert len(row) == 18
    except ImportFileError as error:
        assert str(error)


@QUICK
@given(st.binary(max_size=400))
def test_registry_import_reads_or_refuses_any_bytes(data: bytes) -> None:
    _read_all(data)


@QUICK
@given(st.lists(st.lists(CELL, min_size=1, max_size=6), max_size=6), st.sampled_from(ENCODINGS))
def test_registry_import_reads_or_refuses_any_table_in_any_encoding(rows: list[list[str]], encoding: str) -> None:
    lines = ["household_ref,surname,given_name"] + [",".join(row) for row in rows]
    data = "\r\n".join(lines).encode(encoding, errors="replace")
    _read_all(data)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_names_survive_every_accepted_encoding(encoding: str) -> None:
    data = "household_ref;surname;given_name\nH1;Мамедов;Али\n".encode(encoding)
    if encoding == "cp1251":
        data = "household_ref;surname;given_name\nH1;Мамедов;Али\n".encode("cp1251")
    rows = list(read_table(data, "list.csv").rows)
    assert rows[0][2] == "Мамедов" and rows[0][3] == "Али"


def test_a_huge_field_nul_bytes_and_an_unclosed_quote_are_refused_with_a_message() -> None:
    for data in (
        b'household_ref,surname\n1,"' + b"a" * 200_000 + b'"\n',
        b"household_ref,surname\n1,A\x00li\n",
    ):
        with pytest.raises(ImportFileError):
            list(read_table(data, "list.csv").rows)
    list(read_table(b'household_ref,surname\n1,"Aliyev\n', "list.csv").rows)  # read as one field to the end


@QUICK
@given(st.binary(max_size=400))
def test_kobo_exports_are_read_or_refused(data: bytes) -> None:
    for name in ("export.csv", "export.xlsx"):
        with contextlib.suppress(SubmissionError):
            parse_export(data, name)


@QUICK
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=5))
def test_kobo_csv_tables_are_read_or_refused(rows: list[list[str]]) -> None:
    data = "\n".join(["instanceID,household/surname,_index"] + [",".join(row) for row in rows]).encode()
    with contextlib.suppress(SubmissionError):
        parse_export(data, "export.csv")


XML_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)


@QUICK
@given(st.binary(max_size=300) | XML_TEXT.map(lambda text: f'<data id="{text}">{text}</data>'.encode()))
def test_openrosa_instances_are_read_or_refused(data: bytes) -> None:
    with contextlib.suppress(SubmissionError):
        parse_instance(data)


@QUICK
@given(st.text(max_size=40))
@example("OÜ")  # found by hypothesis: ü folds to u and made a new "ou"
def test_name_normalisation_never_raises_and_is_idempotent(text: str) -> None:
    assert latin(latin(text)) == latin(text)
    assert search_key(search_key(text)) == search_key(text) or not search_key(text)
    for token in search_tokens(text):
        assert token == token.strip() and token
        fold_token(token)


def test_every_fuzz_target_runs_on_its_seeds() -> None:
    """The atheris harness's targets stay runnable in CI, on seeds that once found problems."""
    seeds = [
        b"",
        b"\x00",
        b"PK\x03\x04junk",
        xlsx_bomb(8),
        zip_with_member("../../x"),
        b'<!DOCTYPE d [<!ENTITY x "y">]>',
    ]
    seeds += [name.encode() for name in TRAVERSAL_NAMES]
    for name in TARGETS:
        target = _target(name)
        for seed in seeds:
            target(seed)


GEOJSON_TEXT = st.text(max_size=60) | st.integers(min_value=1, max_value=200_000).map(
    lambda depth: '{"type": "Polygon", "coordinates": ' + "[" * depth + "]" * depth + "}"
)


@pytest.mark.django_db
@QUICK
@given(GEOJSON_TEXT)
def test_the_site_form_answers_any_geometry_text_with_a_form_error(text: str) -> None:
    """Found here: deeply nested JSON raised RecursionError out of the form (a 500)."""
    form = SiteForm(data={"name": "Site", "geometry": text})
    if not form.is_valid():
        assert form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/households/", "/api/observations/"])
def test_the_api_answers_deeply_nested_json_with_400(path: str) -> None:
    """Found here: DRF's JSON parser let RecursionError through (a 500)."""
    client = APIClient()
    client.force_authenticate(make_user("registrar-rasim", Role.REGISTRAR, Role.HERITAGE_RESEARCHER))
    depth = 100_000
    body = '{"household": ' + "[" * depth + "]" * depth + "}"
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert b"nested too deeply" in response.content


GAZETTEER = st.binary(max_size=300) | st.lists(st.lists(CELL, min_size=1, max_size=6), max_size=5).map(
    lambda rows: "\n".join(["code,name,kind,parent_code"] + [",".join(row) for row in rows]).encode()
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GAZETTEER, st.sampled_from(["csv", "geonames"]))
def test_gazetteer_files_are_staged_or_refused_on_every_database(data: bytes, file_format: str) -> None:
    """Found here: a NUL byte reached PostgreSQL, which refuses it in text (a 500)."""
    try:
        place_import_stage(actor=system_actor(), data=data, file_name="places.csv", file_format=file_format)
    except PlaceFileError as error:
        assert str(error)
