from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from yurd.accounts.roles import Role
from yurd.core.actors import Actor
from yurd.testimonies.models import Term, TermStatus
from yurd.testimonies.services import segment_add, term_decide, term_propose
from yurd.testing.personas import make_user

pytestmark = pytest.mark.django_db


def test_proposed_term_is_approved_by_another_archivist(client, heritage_researcher, archivist):
    client.force_login(heritage_researcher)
    client.post(
        reverse("testimonies:term_list"), {"label_en": "Cemetery", "label_az": "Qəbiristanlıq", "label_ru": "Кладбище"}
    )
    term = Term.objects.get(label_en="Cemetery")
    assert term.status == TermStatus.PROPOSED
    client.force_login(archivist)
    client.post(reverse("testimonies:term_decide", args=[term.pk]), {"decision": "approve"})
    term.refresh_from_db()
    assert term.status == TermStatus.APPROVED
    assert term.decided_by == archivist


def test_nobody_approves_their_own_proposal(archivist):
    term = term_propose(actor=Actor(user=archivist), label_en="Spring")
    with pytest.raises(PermissionDenied):
        term_decide(actor=Actor(user=archivist), term=term, approve=True)


def test_researcher_cannot_approve(heritage_researcher):
    other = make_user("archivist-two", Role.ARCHIVIST)
    term = term_propose(actor=Actor(user=other), label_en="Bridge")
    with pytest.raises(PermissionDenied):
        term_decide(actor=Actor(user=heritage_researcher), term=term, approve=True)


def test_segment_refuses_an_unapproved_keyword(archivist, testimony):
    term = term_propose(actor=Actor(user=archivist), label_en="Unreviewed")
    with pytest.raises(ValidationError):
        segment_add(
            actor=Actor(user=archivist),
            testimony=testimony,
            start_seconds=300,
            end_seconds=320,
            title="x",
            keywords=[term],
        )
