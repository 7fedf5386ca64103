from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yurd.accounts.roles import Role
from yurd.core.actors import Actor
from yurd.fieldwork.models import Submission, SubmissionMatch, SubmissionStatus, Team
from yurd.fieldwork.tests.conftest import basic, build_submission, give_device_password
from yurd.linkage.models import MatchCandidate
from yurd.registry.imports import import_commit
from yurd.registry.models import ImportRow, ImportStatus, Person
from yurd.returns.models import ReturnIntention
from yurd.testing.personas import make_scoped_user

pytestmark = pytest.mark.django_db


def _post(client, username, xml, **files):
    payload = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml"), **files}
    return client.post(reverse("fieldwork:submission"), payload, **basic(username))


def test_form_list_requires_credentials_and_speaks_openrosa(client, teams):
    anonymous = client.get(reverse("fieldwork:form_list"), secure=True)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Digest ")
    assert 'Basic realm="Yurd"' in anonymous["WWW-Authenticate"]
    response = client.get(reverse("fieldwork:form_list"), **basic("collector-nigar"))
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    body = response.content.decode()
    assert "<formID>yurd_household</formID>" in body
    assert "<hash>md5:" in body
    assert "<manifestUrl>" in body


def test_wrong_password_and_plain_http_are_refused(client, teams):
    assert client.get(reverse("fieldwork:form_list"), **basic("collector-nigar", "wrong")).status_code == 401
    plain = basic("collector-nigar")
    plain["secure"] = False
    assert client.get(reverse("fieldwork:form_list"), **plain).status_code == 403


def test_device_downloads_the_form_and_its_manifest(client, teams):
    form = client.get(reverse("fieldwork:form_download", args=["yurd_household"]), **basic("collector-nigar"))
    assert form.status_code == 200
    assert b'id="yurd_household"' in form.content
    manifest = client.get(reverse("fieldwork:form_manifest", args=["yurd_household"]), **basic("collector-nigar"))
    assert b"<filename>households.csv</filename>" in manifest.content


def test_device_user_cannot_download_another_teams_households(client, teams):
    url = reverse("fieldwork:form_households", args=["yurd_household"])
    north = client.get(url, **basic("collector-nigar")).content.decode()
    assert teams["north_household"].code in north
    assert teams["south_household"].code not in north
    south = client.get(url, **basic("collector-samir")).content.decode()
    assert teams["south_household"].code in south
    assert teams["north_household"].code not in south


def test_user_without_a_team_receives_no_forms(client, teams, registrar):
    give_device_password(registrar)
    response = client.get(reverse("fieldwork:form_list"), **basic("registrar-rena"))
    assert b"<formID>" not in response.content
    url = reverse("fieldwork:form_households", args=["yurd_household"])
    assert client.get(url, **basic("registrar-rena")).status_code == 404


def test_head_on_submission_answers_204(client, teams):
    response = client.head(reverse("fieldwork:submission"), **basic("collector-nigar"))
    assert response.status_code == 204
    assert response["X-OpenRosa-Accept-Content-Length"]


def test_submission_from_the_forms_own_instance_is_accepted_staged_and_matched(client, teams):
    xml = build_submission(
        household__origin_place="Qarabulaq",
        household__displacement_date="11.1988",
        members=[
            # The registered head, spelt the Russian way: the linkage engine should find him.
            {"surname": "Мамедов", "given_name": "Али", "sex": "m", "birth_date": "1951", "role": "head"},
            {"surname": "Məmmədova", "given_name": "Səbinə", "sex": "f", "birth_date": "1955", "role": "spouse"},
        ],
        instance_id="uuid:11111111-2222-3333-4444-555555555555",
    )
    photo = SimpleUploadedFile("house.jpg", b"\xff\xd8synthetic", content_type="image/jpeg")
    response = _post(client, "collector-nigar", xml, **{"house.jpg": photo})
    assert response.status_code == 201
    assert response["X-OpenRosa-Version"] == "1.0"
    assert b"OpenRosaResponse" in response.content
    submission = Submission.objects.get(instance_id="uuid:11111111-2222-3333-4444-555555555555")
    assert submission.status == SubmissionStatus.STAGED
    assert submission.attachments.count() == 1
    batch = submission.import_batch
    assert batch is not None
    assert batch.status == ImportStatus.VALIDATED
    assert batch.valid_rows == 2
    assert ImportRow.objects.filter(batch=batch).count() == 2
    head = Person.objects.get(household=teams["north_household"])
    match = SubmissionMatch.objects.get(submission=submission, member=1)
    assert match.person == head
    assert match.probability > 0.9
    # Nothing was written to the registry: the batch waits for a registrar's commit.
    assert Person.objects.count() == 2


def test_the_same_submission_sent_twice_is_stored_once(client, teams):
    xml = build_submission(
        household__origin_place="Qarabulaq",
        members=[{"surname": "Həsənov", "given_name": "Rəşad", "role": "head"}],
        instance_id="uuid:aaaaaaaa-0000-0000-0000-000000000001",
    )
    assert _post(client, "collector-nigar", xml).status_code == 201
    again = _post(client, "collector-nigar", xml)
    assert again.status_code == 201
    assert b"already received" in again.content
    assert Submission.objects.filter(instance_id="uuid:aaaaaaaa-0000-0000-0000-000000000001").count() == 1
    assert ImportRow.objects.count() == 1


def test_return_survey_of_another_teams_household_is_rejected(client, teams):
    xml = build_submission(
        survey_kind="return",
        household_code=teams["south_household"].code,
        return__intention="yes",
        return__preferred_place="Dəmirçi",
    )
    response = _post(client, "collector-nigar", xml)
    assert response.status_code == 400
    assert Submission.objects.get().status == SubmissionStatus.REJECTED


def test_return_survey_is_recorded_on_the_household_after_review(client, teams):
    household = teams["north_household"]
    xml = build_submission(
        survey_kind="return",
        household_code=household.code,
        return__intention="conditional",
        return__preferred_place="Qarabulaq",
        return__conditions="security housing",
        return__timeline="later",
    )
    assert _post(client, "collector-nigar", xml).status_code == 201
    assert not ReturnIntention.objects.exists()
    submission = Submission.objects.get()
    client.force_login(teams["north_user"])
    client.post(reverse("fieldwork:submission_record_intention", args=[submission.pk]))
    intention = ReturnIntention.objects.get(household=household)
    assert intention.conditions == ["security", "housing"]
    assert intention.source.startswith("fieldwork uuid:")


def test_return_survey_without_a_settlement_is_refused_by_the_intention_rule(client, teams):
    """The form lets a collector skip the settlement; the returns service's rule refuses it on review."""
    household = teams["north_household"]
    xml = build_submission(survey_kind="return", household_code=household.code, return__intention="yes")
    assert _post(client, "collector-nigar", xml).status_code == 201
    submission = Submission.objects.get()
    client.force_login(teams["north_user"])
    response = client.post(reverse("fieldwork:submission_record_intention", args=[submission.pk]), follow=True)
    assert "Name the settlement the household would return to." in response.content.decode()
    assert not ReturnIntention.objects.exists()
    submission.refresh_from_db()
    assert submission.intention_recorded_id is None


def test_malformed_or_foreign_submission_is_refused(client, teams):
    response = _post(client, "collector-nigar", b"<data id='other_form'><meta><instanceID>x</instanceID></meta></data>")
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_committing_the_staged_submission_goes_through_the_registrys_matching(client, teams):
    """The registrar commits the batch on the import page: the import's own matching links or
    queues the members, exactly as the preview said."""
    xml = build_submission(
        household__origin_place="Qarabulaq",
        members=[
            {"surname": "Мамедов", "given_name": "Али", "sex": "m", "birth_date": "12.03.1951", "role": "head"},
            {"surname": "Məmmədova", "given_name": "Səbinə", "sex": "f", "birth_date": "1955", "role": "spouse"},
        ],
    )
    assert _post(client, "collector-nigar", xml).status_code == 201
    submission = Submission.objects.get()
    preview = SubmissionMatch.objects.get(submission=submission, member=1)
    head = Person.objects.get(household=teams["north_household"])
    assert preview.person == head
    assert submission.import_batch is not None
    import_commit(actor=Actor(user=teams["north_user"]), batch=submission.import_batch)
    spouse = Person.objects.get(surname="Məmmədova")
    assert preview.outcome in ("existing", "review")
    if preview.outcome == "existing":
        assert not Person.objects.filter(surname="Мамедов").exists()
        assert spouse.household == head.household
    else:
        newcomer = Person.objects.get(surname="Мамедов")
        assert MatchCandidate.objects.filter(left__in=[newcomer, head], right__in=[newcomer, head]).exists()


def _submit_quliyev(client, username):
    # Vüqar Quliyev of the South team's household (district B), as a collector records him
    # again in a household from Qarabulaq (district A).
    xml = build_submission(
        household__origin_place="Qarabulaq",
        members=[{"surname": "Quliyev", "given_name": "Vüqar", "sex": "m", "birth_date": "1960", "role": "head"}],
    )
    assert _post(client, username, xml).status_code == 201
    return Submission.objects.get()


def test_the_review_page_never_names_a_match_outside_the_reviewers_scope(client, teams, registrar):
    submission = _submit_quliyev(client, "collector-nigar")  # Nigar's scope is the whole region
    vuqar = Person.objects.get(household=teams["south_household"])
    assert SubmissionMatch.objects.filter(submission=submission, person=vuqar).exists()
    client.force_login(registrar)  # district A: sees the submission, not Vüqar
    page = client.get(reverse("fieldwork:submission_detail", args=[submission.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    # The submitted names are on the page (they are the submission); the match is not.
    assert vuqar.code not in body and teams["south_household"].code not in body
    assert list(page.context["matches"]) == []


def test_a_submission_is_matched_only_against_people_its_collector_may_see(client, teams, gazetteer):
    collector = give_device_password(make_scoped_user("collector-aysu", Role.REGISTRAR, gazetteer.district_a))
    Team.objects.get(name="North").members.add(collector)
    submission = _submit_quliyev(client, "collector-aysu")
    assert submission.import_batch.created_by == collector
    # Before issue 15 the preview matched against the whole registry and found Vüqar.
    assert not SubmissionMatch.objects.filter(submission=submission).exists()
