"""The service API clients call: an answer given by codes, with errors naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yurd.core.actors import Actor
from yurd.returns.selectors import intentions_for_household
from yurd.returns.services import return_intention_record, return_intention_submit

pytestmark = pytest.mark.django_db


def test_answer_by_codes_is_recorded_with_history(registrar, quliyev_family, gazetteer):
    member = quliyev_family.members.order_by("code").first()
    intention = return_intention_submit(
        actor=Actor(user=registrar),
        household_code=quliyev_family.code,
        survey_date=dt.date(2025, 7, 1),
        intention="yes",
        preferred_place_code=gazetteer.settlement_a1.code,
        conditions=["housing"],
        returning_member_codes=[member.code],
    )
    assert intention.source == "api"
    assert list(intention.returning_members.all()) == [member]
    assert intention.history.first().history_user == registrar
    assert list(intentions_for_household(user=registrar, code=quliyev_family.code)) == [intention]


def test_errors_name_each_field(registrar, quliyev_family, demirci_family):
    stranger = demirci_family.members.first()
    with pytest.raises(ValidationError) as caught:
        return_intention_submit(
            actor=Actor(user=registrar),
            household_code=quliyev_family.code,
            survey_date=dt.date(2025, 7, 1),
            intention="maybe",
            preferred_place_code="NOWHERE",
            returning_member_codes=[stranger.code],
            timeline="soon",
        )
    assert set(caught.value.message_dict) == {"intention", "timeline", "preferred_place", "returning_members"}


def test_household_outside_scope_is_not_found(registrar, demirci_family):
    with pytest.raises(Http404):
        return_intention_submit(
            actor=Actor(user=registrar),
            household_code=demirci_family.code,
            survey_date=dt.date(2025, 7, 1),
            intention="no",
        )


def test_a_role_without_the_permission_is_refused(assessor, quliyev_family, gazetteer):
    with pytest.raises(PermissionDenied):
        return_intention_record(
            actor=Actor(user=assessor),
            household=quliyev_family,
            survey_date=dt.date(2025, 7, 1),
            intention="yes",
            preferred_place=gazetteer.settlement_a1,
        )
