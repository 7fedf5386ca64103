"""Writes of the linkage app: proposing pairs, deciding them, merging and undoing merges."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yurd.core.actors import Actor
from yurd.core.history import change_context
from yurd.core.permissions import require
from yurd.linkage.explanations import reasons_of
from yurd.linkage.matching.linker import DEFAULT_THRESHOLD, REVIEW_THRESHOLD, dedupe, link
from yurd.linkage.matching.reasons import Reason, render_english
from yurd.linkage.models import MatchCandidate, MatchStatus, Merge
from yurd.linkage.selectors import candidate_in_scope, person_record, registry_gazetteer, scoped_people
from yurd.registry.models import Kinship, Person, PersonName
from yurd.registry.search_index import reindex_person

ADJUDICATE = "linkage.adjudicate_matchcandidate"

REFUSED = gettext_lazy("You may not decide on duplicate records.")


def _ordered(first: Person, second: Person) -> tuple[Person, Person]:
    return (first, second) if first.pk < second.pk else (second, first)


def _known_pair(first: Person, second: Person) -> MatchCandidate | None:
    return MatchCandidate.objects.filter(Q(left=first, right=second) | Q(left=second, right=first)).first()


def candidate_propose(
    *,
    first: Person,
    second: Person,
    probability: float,
    origin: str,
    reasons: Sequence[Reason] | None = None,
    explanation: str = "",
) -> MatchCandidate | None:
    """Queue a pair for a decision, unless it is already queued or was decided before
    ("different people" is remembered for good). `reasons` are the engine's codes (ScoredPair.reasons),
    stored as they are and rendered in the reader's language; `explanation` is for text from
    elsewhere (read into reasons where it is the engine's English)."""
    if first.pk == second.pk:
        return None
    stored = list(reasons) if reasons is not None else reasons_of(explanation)
    text = render_english(stored) if reasons is not None else explanation
    existing = _known_pair(first, second)
    if existing is not None:
        if existing.status == MatchStatus.PENDING and probability > existing.probability:
            existing.probability, existing.explanation, existing.reasons = probability, text, stored
            existing.save(update_fields=["probability", "explanation", "reasons", "updated_at"])
        return None
    left, right = _ordered(first, second)
    return MatchCandidate.objects.create(
        left=left, right=right, probability=probability, explanation=text, reasons=stored, origin=origin
    )


@transaction.atomic
def candidate_decide(*, actor: Actor, candidate: MatchCandidate, status: str, note: str = "") -> Merge | None:
    """Record a decision; "same person" merges the right record into the left one."""
    require(actor, ADJUDICATE, message=REFUSED)
    candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
    if actor.user is not None and not candidate_in_scope(candidate, user=actor.user):
        raise PermissionDenied(_("This pair is outside your scope."))
    if status not in MatchStatus.values or status == MatchStatus.PENDING:
        raise ValidationError({"status": _("Choose a decision.")})
    if candidate.status in (MatchStatus.SAME, MatchStatus.DIFFERENT):
        raise ValidationError(_("This pair has already been decided."))
    if status == MatchStatus.UNSURE and not note.strip():
        raise ValidationError({"note": _("Say what is unclear, so the next person can pick it up.")})
    candidate.status = status
    candidate.note = note.strip()
    candidate.decided_by = actor.user
    candidate.decided_at = timezone.now()
    candidate.full_clean()
    candidate.save()
    if status != MatchStatus.SAME:
        return None
    survivor, absorbed = candidate.left, candidate.right
    if (
        Merge.objects.filter(survivor=absorbed, undone_at__isnull=True).exists()
        and not Merge.objects.filter(survivor=survivor, undone_at__isnull=True).exists()
    ):
        survivor, absorbed = absorbed, survivor
    return person_merge(actor=actor, survivor=survivor, absorbed=absorbed, candidate=candidate)


# Relations to a Person that a merge must not move: the search index is rebuilt, history rows
# keep pointing at the record they describe, and merges keep their own survivor.
def _movable_relations() -> list[Any]:
    relations: list[Any] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        if not isinstance(model, type) or model is Merge:
            continue
        if model._meta.label in ("registry.PersonNameToken",) or model.__name__.startswith("Historical"):
            continue
        if relation.one_to_many or relation.one_to_one:
            relations.append(relation)
    return relations


def _serialise(objects: Iterable[models.Model]) -> list[dict[str, Any]]:
    return json.loads(serializers.serialize("json", list(objects)))


@transaction.atomic
def person_merge(*, actor: Actor, survivor: Person, absorbed: Person, candidate: MatchCandidate | None = None) -> Merge:
    """Absorb one person record into another, keeping every source record and its provenance.

    Names, documents, kinship, consents and every other row pointing at the absorbed record
    move to the survivor; the absorbed name becomes one of the survivor's names with its source.
    The snapshot lets `merge_undo` restore both records exactly."""
    require(actor, ADJUDICATE, message=REFUSED)
    # A write on two people the caller resolved for the actor: locked whatever the scope.
    survivor = Person.objects.unscoped().select_for_update().get(pk=survivor.pk)
    absorbed = Person.objects.unscoped().select_for_update().get(pk=absorbed.pk)
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if Merge.objects.filter(survivor=absorbed, undone_at__isnull=True).exists():
        raise ValidationError(_("This record keeps an earlier merge: undo that merge first."))
    snapshot: dict[str, Any] = {"person": _serialise([absorbed]), "moved": [], "removed": []}
    with change_context(user=actor.user, reason=f"Merged {absorbed.code} into {survivor.code}"):
        for relation in _movable_relations():
            model = relation.related_model
            field_name = relation.field.name
            rows = model._default_manager.filter(**{field_name: absorbed})
            if relation.one_to_one and model._default_manager.filter(**{field_name: survivor}).exists():
                snapshot["removed"] += _serialise(rows)
                rows.delete()
                continue
            clashes = _clashing_rows(model, field_name, absorbed, survivor)
            if clashes:
                snapshot["removed"] += _serialise(clashes)
                model._default_manager.filter(pk__in=[row.pk for row in clashes]).delete()
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                model._default_manager.filter(pk__in=ids).update(**{field_name: survivor})
                snapshot["moved"].append({"model": model._meta.label, "field": field_name, "ids": ids})
        provenance = PersonName.objects.create(
            person=survivor,
            surname=absorbed.surname,
            given_name=absorbed.given_name,
            patronymic=absorbed.patronymic,
            kind="merged record",
            source=f"{absorbed.code} {absorbed.source} {absorbed.source_ref}".strip()[:200],
        )
        snapshot["provenance_name"] = provenance.pk
        absorbed_code, absorbed_name = absorbed.code, absorbed.display_name
        absorbed.delete()
        merge = Merge.objects.create(
            survivor=survivor,
            absorbed_code=absorbed_code,
            absorbed_name=absorbed_name[:300],
            candidate=candidate,
            snapshot=snapshot,
            merged_by=actor.user,
        )
    reindex_person(survivor)
    return merge


def _clashing_rows(model: type[models.Model], field_name: str, absorbed: Person, survivor: Person) -> list[Any]:
    """Rows that would break a constraint once moved: kinship between the two records themselves
    (a self-loop) or an edge the survivor already has."""
    if model is not Kinship:
        return []
    other = "to_person" if field_name == "from_person" else "from_person"
    survivor_edges = set(Kinship.objects.filter(**{field_name: survivor}).values_list(f"{other}_id", "kind"))
    return [
        edge
        for edge in Kinship.objects.filter(**{field_name: absorbed})
        if getattr(edge, f"{other}_id") == survivor.pk or (getattr(edge, f"{other}_id"), edge.kind) in survivor_edges
    ]


@transaction.atomic
def merge_undo(*, actor: Actor, merge: Merge) -> Person:
    """Restore the absorbed record and move back everything the merge moved."""
    require(actor, ADJUDICATE, message=REFUSED)
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError(_("This merge has already been undone."))
    if Merge.objects.filter(survivor__code=merge.absorbed_code, undone_at__isnull=True).exists():
        raise ValidationError(_("A later merge depends on this one: undo it first."))
    snapshot = merge.snapshot
    with change_context(user=actor.user, reason=f"Undid merge of {merge.absorbed_code}"):
        for item in serializers.deserialize("json", json.dumps(snapshot["person"])):
            item.save()
        restored = Person.objects.unscoped().get(code=merge.absorbed_code)  # the undo restores it, a write

        for moved in snapshot["moved"]:
            model = apps.get_model(moved["model"])
            model._default_manager.filter(pk__in=moved["ids"]).update(**{moved["field"]: restored})
        for item in serializers.deserialize("json", json.dumps(snapshot["removed"])):
            item.save()
        PersonName.objects.filter(pk=snapshot.get("provenance_name")).delete()
        merge.undone_at = timezone.now()
        merge.undone_by = actor.user
        merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
        if merge.candidate_id:
            MatchCandidate.objects.filter(pk=merge.candidate_id).update(
                status=MatchStatus.PENDING, decided_by=None, decided_at=None
            )
    reindex_person(restored)
    reindex_person(merge.survivor)
    return restored


# ---------------------------------------------------------------- matching new records


@dataclass(frozen=True)
class BatchMatch:
    """What matching says about one incoming record."""

    index: int  # position in the batch
    outcome: str  # "existing" (certain match), "review" (uncertain), "new"
    person: Person | None  # the existing person for "existing" and "review"
    probability: float
    reasons: tuple[Reason, ...]  # the engine's codes (ScoredPair.reasons)
    same_as_index: int | None = None  # an earlier record of the same batch that is this person

    @property
    def explanation(self) -> str:
        return render_english(list(self.reasons))


def match_batch(
    records: Sequence[Mapping[str, str]],
    *,
    actor: Actor,
    candidates: Iterable[Person] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[BatchMatch]:
    """Match an import batch within itself and against the registry, before anything is committed.

    `records` use the `yurd link` columns (record_id optional). Certain matches name the
    existing person; uncertain ones come back as "review" so the import can queue them with
    `candidate_propose` once the new person exists (which skips pairs remembered as "different
    people"); the rest are new people."""
    people = list(candidates) if candidates is not None else list(scoped_people(actor=actor))
    existing_rows = [person_record(person) for person in people]
    by_code = {person.code: person for person in people}
    incoming = [{**dict(record), "record_id": f"n{index}"} for index, record in enumerate(records)]
    result = (
        link(incoming, existing_rows, gazetteer=registry_gazetteer(), threshold=threshold) if existing_rows else None
    )
    best: dict[int, tuple[float, tuple[Reason, ...], Person, bool]] = {}
    for pair in result.pairs if result else []:
        index = int(pair.left[3:])
        person = by_code[pair.right[2:]]
        if pair.probability < REVIEW_THRESHOLD:
            continue
        if index not in best or pair.probability > best[index][0]:
            best[index] = (pair.probability, pair.reasons, person, pair.same_cluster)

    within = dedupe(incoming, gazetteer=registry_gazetteer(), threshold=threshold).clusters if len(incoming) > 1 else {}
    first_of_cluster: dict[str, int] = {}
    matches = []
    for index in range(len(records)):
        same_as = None
        cluster = within.get(f"n{index}")
        if cluster is not None:
            same_as = first_of_cluster.setdefault(cluster, index)
            same_as = None if same_as == index else same_as
        if index in best:
            probability, reasons, person, certain = best[index]
            outcome = "existing" if certain and probability >= threshold else "review"
            matches.append(BatchMatch(index, outcome, person, probability, reasons, same_as))
        else:
            matches.append(BatchMatch(index, "new", None, 0.0, (), same_as))
    return matches
