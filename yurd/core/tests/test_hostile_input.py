"""Hostile input: parsers never fail in unplanned ways, markup is escaped, scopes hold.

Property tests (hypothesis) have bounded examples so the suite stays quick; the
deeper, open-ended search is the atheris harness in bench/fuzz_parsers.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.core.csvsafe import neutralise as reports_neutralise
from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.heritage.geometry import GeometryError, validate
from yurd.names.dates import parse_birth_date
from yurd.names.personal import parse_name
from yurd.registry.exports import neutralise as registry_neutralise
from yurd.registry.models import Household, Wave
from yurd.registry.services import household_register
from yurd.testing.personas import Gazetteer

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATE_LIKE = st.text(alphabet="0123456789./- cа~?", max_size=14) | st.text(max_size=30)


@QUICK
@given(DATE_LIKE)
def test_partial_date_parse_accepts_or_refuses_with_its_own_error(text: str) -> None:
    try:
        date = PartialDate.parse(text)
    except PartialDateError:
        return
    # What parses survives storage and shows a range that is in order.
    assert PartialDate.from_storage(date.to_storage()) == date
    start, end = date.as_range()
    assert start <= end


@QUICK
@given(st.one_of(st.none(), DATE_LIKE))
def test_linkage_birth_date_parsing_never_raises(text: str | None) -> None:
    parse_birth_date(text)


@QUICK
@given(st.text(max_size=60), st.text(max_size=20), st.text(max_size=20), st.text(max_size=20))
def test_linkage_name_parsing_never_raises_on_any_script(full: str, given_name: str, surname: str, patr: str) -> None:
    parse_name(full_name=full, given_name=given_name, surname=surname, patronymic=patr)


JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
GEOMETRY = st.fixed_dictionaries(
    {"type": st.sampled_from(["Point", "Polygon", "LineString", "point"]), "coordinates": JSON}
)


@QUICK
@given(st.one_of(JSON, GEOMETRY))
def test_geojson_validation_refuses_with_geometry_error_only(geometry: Any) -> None:
    try:
        result = validate(geometry)
    except GeometryError:
        return
    assert result["type"] in {"Point", "Polygon"}


@QUICK
@given(st.text(max_size=30))
def test_exported_cells_never_start_a_spreadsheet_formula(value: str) -> None:
    for neutralise in (registry_neutralise, reports_neutralise):
        cell = neutralise(value)
        plain_number = re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell)
        assert plain_number or not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (neutralise.__module__, value)


# --- Markup in names, scopes by guessed codes, CSRF ----------------------------------

SCRIPT = '<script>alert("x")</script>'


def _household(origin: Any, surname: str) -> Household:
    return household_register(
        actor=system_actor(),
        household={"origin_place": origin, "wave": Wave.objects.order_by("pk").first(), "displacement_date": "1990"},
        members=[
            {"surname": surname, "given_name": SCRIPT, "sex": "f", "birth_date": "1970", "household_role": "head"}
        ],
    )


def test_script_in_a_name_is_shown_escaped_on_household_and_person_pages(
    client: Client, registrar: User, gazetteer: Gazetteer
) -> None:
    household = _household(gazetteer.settlement_a1, f"Ev{SCRIPT}")
    client.force_login(registrar)
    person = household.members.get()
    pages = [
        reverse("registry:household_detail", args=[household.code]),
        reverse("registry:person_detail", args=[person.code]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SCRIPT not in html, url
        assert "&lt;script&gt;" in html, url


def test_script_in_a_place_name_is_shown_escaped(client: Client, registrar: User, gazetteer: Gazetteer) -> None:
    place = gazetteer.settlement_a2
    place.name = SCRIPT
    place.save(update_fields=["name"])
    client.force_login(registrar)
    response = client.get(reverse("places:place_detail", args=[place.code]))
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()


def test_a_registrar_cannot_open_another_districts_household_by_guessing_its_code(
    client: Client, registrar: User, gazetteer: Gazetteer
) -> None:
    elsewhere = _household(gazetteer.settlement_b1, "Uzaq")
    person = elsewhere.members.get()
    client.force_login(registrar)
    urls = [
        reverse("registry:household_detail", args=[elsewhere.code]),
        reverse("registry:household_edit", args=[elsewhere.code]),
        reverse("registry:household_history", args=[elsewhere.code]),
        reverse("registry:person_detail", args=[person.code]),
        reverse("registry:person_edit", args=[person.code]),
    ]
    for url in urls:
        assert client.get(url).status_code in {403, 404}, url
    assert SCRIPT not in client.get(reverse("registry:household_list"), {"q": "Uzaq"}).content.decode()


def test_posts_without_a_csrf_token_are_refused(registrar: User) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("accounts:login"), {"username": "x", "password": "y"}).status_code == 403
    client.force_login(registrar)
    assert client.post(reverse("set_language"), {"language": "ru"}).status_code == 403


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\boot.ini", "/abs/path.csv", "a/../../b.txt"])
def test_uploaded_file_names_never_leave_the_storage(name: str, tmp_path: Any) -> None:
    storage = FileSystemStorage(location=tmp_path / "media")

    try:
        saved = storage.save(name, ContentFile(b"x"))
    except SuspiciousFileOperation:
        return
    assert (tmp_path / "media").resolve() in (tmp_path / "media" / saved).resolve().parents
