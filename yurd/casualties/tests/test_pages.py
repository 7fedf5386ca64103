"""The register's pages: figures for everyone with them, names only for those who may see them."""

from __future__ import annotations

import pytest
from django.test import Client

from yurd.accounts.models import User
from yurd.casualties.models import CasualtyPerson
from yurd.casualties.tests.conftest import CYRILLIC, LATIN, import_list, make_list
from yurd.core.actors import Actor
from yurd.core.models import AccessLogEntry
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(gazetteer: Gazetteer, administrator: User) -> None:
    actor = Actor(user=administrator)
    import_list(actor, make_list(actor, "community"), LATIN)
    import_list(actor, make_list(actor, "press"), CYRILLIC)


def test_home_shows_documented_beside_estimated_with_interval_and_method(
    linked: None, administrator: User, client: Client
) -> None:
    login_verified(client, administrator)
    page = client.get("/casualties/").content.decode()
    assert 'id="documented-total">5<' in page
    assert 'id="estimated-interval">' in page
    assert "bootstrap resamples" in page and "closed population" in page.lower()
    assert "register-chart-data" in page


def test_analyst_sees_counts_and_overlaps_but_never_names(linked: None, analyst: User, client: Client) -> None:
    client.force_login(analyst)
    for url in ("/casualties/", "/casualties/lists/community/", "/casualties/overlaps/", "/casualties/lists/"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "Məmmədov" not in text and "Мамедов" not in text, url
    person = CasualtyPerson.objects.first()
    assert person is not None
    assert client.get(f"/casualties/people/{person.code}/").status_code == 403
    assert client.get("/casualties/people/").status_code == 403


def test_person_page_shows_every_list_naming_them_and_logs_the_read(
    linked: None, administrator: User, client: Client
) -> None:
    login_verified(client, administrator)
    person = CasualtyPerson.objects.get(entries__record_id="A-1")
    before = AccessLogEntry.objects.count()
    text = client.get(f"/casualties/people/{person.code}/").content.decode()
    assert "Məmmədov" in text and "Мамедов" in text and "community" in text and "press" in text
    assert AccessLogEntry.objects.filter(target_code=person.code, action="view").count() == 1
    assert AccessLogEntry.objects.count() == before + 1


def test_scoped_registrar_sees_only_people_of_her_district(
    gazetteer: Gazetteer, administrator: User, registrar: User, client: Client
) -> None:
    actor = Actor(user=administrator)
    text = "record_id,surname,given_name,place\nB-9,Vəliyev,Kamran,Dəmirçi\nA-9,Orucov,Nadir,Qarabulaq\n"
    import_list(actor, make_list(actor, "mixed"), text)
    client.force_login(registrar)
    listing = client.get("/casualties/people/").content.decode()
    assert "Orucov" in listing and "Vəliyev" not in listing
    outside = CasualtyPerson.objects.get(surname="Vəliyev")
    assert client.get(f"/casualties/people/{outside.code}/").status_code == 404
    entries = client.get("/casualties/lists/mixed/").content.decode()
    assert "Orucov" in entries and "Vəliyev" not in entries
