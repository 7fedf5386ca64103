"""The duplicate queue: scan, decide, merge, undo, remembered "different people", scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yurd.core.actors import Actor, system_actor
from yurd.core.jobs import job_start
from yurd.core.models import AccessLogEntry
from yurd.linkage.models import MatchCandidate, MatchStatus, Merge
from yurd.linkage.services import candidate_decide, match_batch, merge_undo
from yurd.linkage.tasks import DUPLICATE_SCAN, duplicate_scan
from yurd.registry.models import Kinship, Person, PersonName
from yurd.registry.services import kinship_add
from yurd.registry.tests.conftest import register

pytestmark = pytest.mark.django_db


def _scan() -> None:
    job_start(DUPLICATE_SCAN, None, duplicate_scan)


def _family(gazetteer, *, father: str, birth_date: str, spelling: str = "latin", wife: str = "Leyla"):
    head = (
        {"surname": "Məmmədov", "given_name": "Əli", "patronymic": f"{father} oğlu"}
        if spelling == "latin"
        else {"surname": "Мамедов", "given_name": "Али", "patronymic": "Гасанович"}
    )
    return register(
        origin=gazetteer.settlement_a1,
        members=[
            {**head, "sex": "m", "birth_date": birth_date, "household_role": "head"},
            {"surname": "Məmmədova", "given_name": wife, "sex": "f", "birth_date": "1955", "household_role": "spouse"},
        ],
    )


@pytest.fixture
def duplicate_pair(gazetteer):
    """One man registered twice, in Latin and in Russian, by two families' lists."""
    first = _family(gazetteer, father="Həsən", birth_date="12.03.1951")
    second = _family(gazetteer, father="Həsən", birth_date="1951", spelling="russian", wife="Sevinc")
    _scan()
    head_first = first.members.get(household_role="head")
    head_second = second.members.get(household_role="head")
    return MatchCandidate.objects.get(left__in=[head_first, head_second], right__in=[head_first, head_second])


def test_scan_proposes_the_same_man_written_in_two_scripts(duplicate_pair):
    assert duplicate_pair.status == MatchStatus.PENDING
    assert "surname agrees" in duplicate_pair.explanation


def test_two_men_with_identical_names_from_the_same_village_are_not_proposed_as_one(gazetteer):
    _family(gazetteer, father="Həsən", birth_date="12.03.1951")
    _family(gazetteer, father="Hüseyn", birth_date="05.09.1974", wife="Sevinc")
    _scan()
    heads = Person.objects.filter(given_name="Əli")
    assert not MatchCandidate.objects.filter(left__in=heads, right__in=heads, probability__gte=0.8).exists()


def test_same_person_decision_merges_and_undo_restores_both(duplicate_pair, registrar):
    actor = Actor(user=registrar, channel="web")
    left, right = duplicate_pair.left, duplicate_pair.right
    right_code = right.code
    right_kin = set(Kinship.objects.filter(from_person=right).values_list("pk", flat=True))
    assert right_kin
    merge = candidate_decide(actor=actor, candidate=duplicate_pair, status=MatchStatus.SAME)
    assert merge is not None
    assert not Person.objects.filter(code=right_code).exists()
    assert PersonName.objects.filter(person=left, kind="merged record", source__startswith=right_code).exists()
    assert set(Kinship.objects.filter(pk__in=right_kin).values_list("from_person", flat=True)) == {left.pk}

    restored = merge_undo(actor=actor, merge=merge)
    assert restored.code == right_code
    assert Person.objects.filter(code=left.code).exists()
    assert set(Kinship.objects.filter(pk__in=right_kin).values_list("from_person", flat=True)) == {restored.pk}
    assert not PersonName.objects.filter(person=left, kind="merged record").exists()
    assert Merge.objects.get(pk=merge.pk).is_undone
    assert MatchCandidate.objects.get(pk=duplicate_pair.pk).status == MatchStatus.PENDING


def test_different_people_are_remembered_and_never_proposed_again(duplicate_pair, registrar):
    candidate_decide(actor=Actor(user=registrar, channel="web"), candidate=duplicate_pair, status=MatchStatus.DIFFERENT)
    _scan()
    pair = [duplicate_pair.left, duplicate_pair.right]
    assert list(MatchCandidate.objects.filter(left__in=pair, right__in=pair)) == [duplicate_pair]
    assert MatchCandidate.objects.get(pk=duplicate_pair.pk).status == MatchStatus.DIFFERENT


def test_not_sure_needs_a_note_and_stays_in_the_queue(duplicate_pair, registrar, client):
    client.force_login(registrar)
    url = reverse("linkage:candidate_detail", args=[duplicate_pair.pk])
    response = client.post(url, {"status": MatchStatus.UNSURE, "note": ""})
    assert response.status_code == 200
    client.post(url, {"status": MatchStatus.UNSURE, "note": "Birth day missing in the Russian list"})
    duplicate_pair.refresh_from_db()
    assert duplicate_pair.status == MatchStatus.UNSURE
    assert duplicate_pair in client.get(reverse("linkage:queue")).context["candidates"]


def test_registrar_sees_only_pairs_in_scope(gazetteer, registrar, client):
    for _ in range(2):
        register(
            origin=gazetteer.settlement_b1,
            members=[{"surname": "Quliyev", "given_name": "Vüqar", "patronymic": "Rəşid oğlu", "sex": "m",
                      "birth_date": "1960", "household_role": "head"}],
        )  # fmt: skip
    _scan()
    candidate = MatchCandidate.objects.get()
    client.force_login(registrar)
    assert client.get(reverse("linkage:queue")).context["candidates"] == []
    assert client.get(reverse("linkage:candidate_detail", args=[candidate.pk])).status_code == 404


def test_analyst_may_not_open_the_queue(analyst, client):
    client.force_login(analyst)
    assert client.get(reverse("linkage:queue")).status_code == 403


def test_match_batch_links_certain_matches_and_leaves_new_people_new(gazetteer):
    household = _family(gazetteer, father="Həsən", birth_date="12.03.1951")
    head = household.members.get(household_role="head")
    records = [
        {"full_name": "Мамедов Али Гасан оглы", "birth_date": "12.03.1951", "origin_place": "Qarabulaq", "sex": "муж"},
        {"full_name": "Hüseynova Sevinc Tofiq qızı", "birth_date": "1980", "origin_place": "Qarabulaq"},
    ]
    matches = match_batch(records, actor=system_actor())
    assert (matches[0].outcome, matches[0].person) == ("existing", head)
    assert matches[0].explanation
    assert matches[1].outcome == "new"


def test_the_side_by_side_page_names_no_relative_outside_the_reviewers_scope(
    client, registrar, gazetteer, duplicate_pair
):
    """Issue 15: the pair is in district A; the man's daughter lives (and is registered) in B."""
    daughter_household = register(
        origin=gazetteer.settlement_b1,
        members=[{"surname": "Hidayatova", "given_name": "Sevda", "birth_date": "1979", "household_role": "head"}],
    )
    daughter = daughter_household.members.get()
    kinship_add(actor=system_actor(), from_person=duplicate_pair.left, to_person=daughter, kind="parent_of")
    client.force_login(registrar)
    page = client.get(reverse("linkage:candidate_detail", args=[duplicate_pair.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hidayatova" not in body and "Sevda" not in body and daughter.code not in body
    assert "a relative outside your scope" in body
    assert not AccessLogEntry.objects.filter(target_code=daughter.code).exists()
