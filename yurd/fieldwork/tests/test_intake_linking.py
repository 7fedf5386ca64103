"""Field intake merges nobody silently (issue 17): a registration submission's members reach the
registry through the import's matching when a registrar commits the staged batch; a link the
engine is certain of is the committing registrar's merge, undoable, and anyone else's commit
sends it to the adjudication queue."""

from __future__ import annotations

import pytest

from yurd.accounts.roles import Role
from yurd.core.actors import Actor
from yurd.fieldwork.models import MatchOutcome, Submission, SubmissionMatch
from yurd.fieldwork.tests.conftest import build_submission
from yurd.fieldwork.tests.test_openrosa import _post
from yurd.linkage.models import MatchCandidate, MatchStatus, Merge
from yurd.linkage.services import merge_undo
from yurd.registry.imports import import_commit
from yurd.registry.models import Person
from yurd.testing.personas import make_user

pytestmark = pytest.mark.django_db


def _submit_ali(client) -> Submission:
    xml = build_submission(
        household__origin_place="Qarabulaq",
        members=[{"surname": "Мамедов", "given_name": "Али", "sex": "m", "birth_date": "12.03.1951", "role": "head"}],
    )
    assert _post(client, "collector-nigar", xml).status_code == 201
    submission = Submission.objects.get()
    preview = SubmissionMatch.objects.get(submission=submission, member=1)
    assert preview.outcome == MatchOutcome.EXISTING  # the engine is certain: the same Əli
    return submission


def test_a_certain_intake_match_is_the_committing_registrars_undoable_merge(client, teams):
    submission = _submit_ali(client)
    head = Person.objects.get(household=teams["north_household"])
    registrar = teams["north_user"]
    assert submission.import_batch is not None
    import_commit(actor=Actor(user=registrar), batch=submission.import_batch)
    merge = Merge.objects.get()
    assert (merge.survivor_id, merge.merged_by) == (head.pk, registrar)
    assert merge.candidate is not None and merge.candidate.decided_by == registrar
    assert merge.candidate.status == MatchStatus.SAME and merge.candidate.origin == "import"
    assert not Person.objects.filter(surname="Мамедов").exists()
    restored = merge_undo(actor=Actor(user=registrar), merge=merge)
    assert restored.surname == "Мамедов" and restored.source == "fieldwork"
    assert MatchCandidate.objects.get().status == MatchStatus.PENDING


def test_a_certain_intake_match_committed_by_someone_who_may_not_decide_is_queued(client, teams):
    submission = _submit_ali(client)
    head = Person.objects.get(household=teams["north_household"])
    clerk = make_user("intake-clerk", Role.REVIEWER)
    assert submission.import_batch is not None
    import_commit(actor=Actor(user=clerk), batch=submission.import_batch)
    newcomer = Person.objects.get(surname="Мамедов")
    candidate = MatchCandidate.objects.get()
    assert {candidate.left_id, candidate.right_id} == {head.pk, newcomer.pk}
    assert candidate.status == MatchStatus.PENDING and candidate.decided_by is None
    assert not Merge.objects.exists()
