"""Change history: reasons and users on history rows, the history table, the change log."""

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from yurd.accounts.models import User
from yurd.core.history import change_context, clean_reason, delete_with_reason, history_rows, save_with_reason
from yurd.places.models import Place, PlaceKind
from yurd.testing.personas import Gazetteer, login_verified, make_place

pytestmark = pytest.mark.django_db


def test_save_with_reason_records_user_and_reason(registrar: User, gazetteer: Gazetteer) -> None:
    place = gazetteer.settlement_a1
    place.name = "Qarabulaq (Yernjatap)"

    save_with_reason(place, reason="Both names appear on the 1988 list", user=registrar)

    latest = place.history.latest()
    assert latest.history_user == registrar
    assert latest.history_change_reason == "Both names appear on the 1988 list"
    # The reason does not stick to the instance's next save.
    place.name = "Qarabulaq"
    place.save()
    assert place.history.latest().history_change_reason is None


def test_change_context_labels_every_save_inside_it(registrar: User, gazetteer: Gazetteer) -> None:
    with change_context(user=registrar, reason="Gazetteer review"):
        gazetteer.settlement_a1.name = "Qarabulaq I"
        gazetteer.settlement_a1.save()
        new_place = make_place("TST-S13", "Yeni kənd", PlaceKind.SETTLEMENT, gazetteer.district_a)

    for place in (gazetteer.settlement_a1, new_place):
        latest = place.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (registrar, "Gazetteer review")
    gazetteer.settlement_a2.save()
    assert gazetteer.settlement_a2.history.latest().history_change_reason is None


def test_an_explicit_reason_wins_over_the_context(registrar: User, gazetteer: Gazetteer) -> None:
    with change_context(user=registrar, reason="Batch"):
        save_with_reason(gazetteer.settlement_a1, reason="This one is special", user=registrar)
    assert gazetteer.settlement_a1.history.latest().history_change_reason == "This one is special"


def test_delete_with_reason_leaves_a_labelled_history_row(registrar: User, gazetteer: Gazetteer) -> None:
    place = make_place("TST-S99", "Duplicate", PlaceKind.SETTLEMENT, gazetteer.district_b)
    place_id = place.pk

    delete_with_reason(place, reason="Duplicate of TST-S21", user=registrar)

    deleted = Place.history.filter(id=place_id, history_type="-").get()
    assert deleted.history_change_reason == "Duplicate of TST-S21"
    assert deleted.history_user == registrar


def test_reasons_become_one_trimmed_line() -> None:
    assert clean_reason("  two\nlines  ") == "two lines"
    assert len(clean_reason("x" * 300)) == 100


def test_history_rows_show_the_fields_each_change_touched(registrar: User, gazetteer: Gazetteer) -> None:
    place = gazetteer.settlement_b1
    place.name = "Dəmirçilər"
    save_with_reason(place, reason="Spelling in the 1975 census", user=registrar)

    rows = history_rows(place)

    assert [row.kind for row in rows] == ["~", "~", "+"]  # make_place saves twice: create, then path
    newest = rows[0]
    assert newest.username == "registrar-rena"
    assert newest.reason == "Spelling in the 1975 census"
    assert [(change.field, change.old, change.new) for change in newest.changes] == [("name", "Dəmirçi", "Dəmirçilər")]
    assert rows[-1].username == "system"


def test_history_table_renders_who_what_and_why(registrar: User, gazetteer: Gazetteer) -> None:
    place = gazetteer.settlement_b1
    place.name = "Dəmirçilər"
    save_with_reason(place, reason="Spelling in the 1975 census", user=registrar)
    request = RequestFactory().get("/")
    request.user = registrar

    html = Template("{% load audit %}{% history_table record %}").render(Context({"request": request, "record": place}))

    assert "Change history" in html
    assert "Spelling in the 1975 census" in html
    assert "Dəmirçilər" in html
    assert "registrar-rena" in html


def test_change_log_lists_recent_changes_across_models(
    client: Client, auditor: User, registrar: User, gazetteer: Gazetteer
) -> None:
    save_with_reason(gazetteer.settlement_a1, reason="Checked against the map", user=registrar)
    login_verified(client, auditor)

    response = client.get("/audit/changes/")
    filtered = client.get("/audit/changes/", {"username": "registrar-rena", "model": "places.place"})

    assert response.status_code == 200
    assert "Checked against the map" in response.content.decode()
    assert [row.record_label for row in filtered.context["rows"]] == ["TST-S11"]


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize(("language", "system", "record_type"), [("az", "sistem", "Yer"), ("ru", "система", "Место")])
def test_change_log_names_the_system_and_record_types_in_the_pages_language(
    client: Client, auditor: User, language: str, system: str, record_type: str
) -> None:
    login_verified(client, auditor)  # the gazetteer was written without a user: by the system
    client.cookies["django_language"] = language

    page = client.get("/audit/changes/", {"model": "places.place"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]

    assert f"<td>{system}</td>" in table and f"<td>{record_type}</td>" in table
    assert "<td>system</td>" not in table


def test_a_reason_the_system_wrote_reads_in_the_pages_language_and_a_typed_one_as_typed(
    client: Client, auditor: User, registrar: User, gazetteer: Gazetteer
) -> None:
    # Services write catalogue messages, in English at the command line.
    save_with_reason(gazetteer.settlement_a1, reason="Reference gazetteer of current residences", user=registrar)
    save_with_reason(gazetteer.settlement_a2, reason="Checked against the map", user=registrar)
    login_verified(client, auditor)
    client.cookies["django_language"] = "ru"

    page = client.get("/audit/changes/", {"model": "places.place"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Справочник мест нынешнего проживания" in page
    assert "Reference gazetteer" not in page
    assert "Checked against the map" in page


def test_change_log_rejects_an_unknown_model_as_a_form_error(client: Client, auditor: User) -> None:
    login_verified(client, auditor)
    response = client.get("/audit/changes/", {"model": "auth.user'--"})
    assert response.status_code == 200
    assert "model" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["registrar", "analyst", "outsider"])
def test_change_log_is_refused_to_other_roles(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    login_verified(client, request.getfixturevalue(persona))
    assert client.get("/audit/changes/").status_code == 403
