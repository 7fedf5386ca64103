"""Writes of the register: lists, staged imports, linkage into people, and decisions on pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.accounts.scopes import scope_q
from yurd.casualties.importing import RowChecker, read_sheet
from yurd.casualties.models import (
    CasualtyMatch,
    CasualtyPerson,
    ImportStatus,
    ListEntry,
    ListImport,
    ListImportRow,
    MatchStatus,
    SourceList,
)
from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.models import AccessAction
from yurd.core.partial_dates import PartialDate
from yurd.core.permissions import require
from yurd.linkage.matching.linker import REVIEW_THRESHOLD, dedupe, link
from yurd.linkage.selectors import person_record, registry_gazetteer
from yurd.places.models import Place
from yurd.registry.codes import allocate_numbers
from yurd.registry.models import Person, Wave
from yurd.registry.places_lookup import import_place_resolver

IMPORT = "casualties.add_listimport"
ADJUDICATE = "casualties.adjudicate_casualtymatch"
CODE = "CP-{:06d}"


class ImportRefusedError(Exception):
    """The batch cannot be committed (wrong state, or nothing valid)."""


# --- Lists ------------------------------------------------------------------------------


def source_list_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    compiler: str = "",
    compiled_on: PartialDate | str | None = None,
    period_from: PartialDate | str | None = None,
    period_to: PartialDate | str | None = None,
    area: Place | None = None,
    notes: str = "",
) -> SourceList:
    require(actor, "casualties.add_sourcelist")
    source_list = SourceList(
        created_by=actor.user,
        code=code,
        name=name,
        kind=kind,
        compiler=compiler,
        compiled_on=compiled_on,
        period_from=period_from,
        period_to=period_to,
        area=area,
        notes=notes,
    )
    source_list.full_clean()
    source_list.save()
    return source_list


# --- Staged import ------------------------------------------------------------------------


def _checker(actor: Actor) -> RowChecker:
    resolver = import_place_resolver()
    user = actor.user
    scoped = user is not None and not user.full_scope
    within = (
        set(Place.objects.filter(scope_q(user, origin="pk", residence="pk")).values_list("pk", flat=True))
        if scoped
        else set()
    )
    waves = list(Wave.objects.values_list("pk", "code", "name", "year_from", "year_to"))

    def resolve_place(text: str) -> int | None:
        found = resolver(text, None)
        return found.pk if isinstance(found, Place) else None

    def in_scope(place_id: int | None) -> bool:
        return not scoped or place_id in within

    def wave_of(text: str) -> int | None:
        folded = text.strip().lower().replace("–", "-")
        for pk, code, name, year_from, year_to in waves:
            if folded in {code.lower(), name.lower().replace("–", "-")}:
                return pk
            if folded.isdigit() and year_from <= int(folded) <= year_to:
                return pk
        return None

    def registry_person(code: str) -> int | None:
        return Person.objects.visible_to(user).filter(code=code.strip()).values_list("pk", flat=True).first()

    return RowChecker(resolve_place, in_scope, wave_of, registry_person)


def list_import_stage(*, actor: Actor, source_list: SourceList, data: bytes, file_name: str) -> ListImport:
    """Read and check every row of the file and keep them with their reports; writes no entry.

    Raises ImportFileError when the file cannot be read at all."""
    require(actor, IMPORT)
    sheet = read_sheet(data, file_name)
    checker = _checker(actor)
    checked = [checker.check(number, row) for number, row in sheet.rows]
    valid = sum(1 for row in checked if not row.errors)
    with transaction.atomic():
        batch = ListImport.objects.create(
            source_list=source_list,
            file_name=file_name[:255],
            file_format=sheet.file_format,
            created_by=actor.user,
            total_rows=len(checked),
            valid_rows=valid,
            rejected_rows=len(checked) - valid,
        )
        ListImportRow.objects.bulk_create(
            ListImportRow(
                batch=batch,
                number=row.number,
                data=row.data,
                errors=row.errors,
                values=row.values if not row.errors else {},
                is_valid=not row.errors,
            )
            for row in checked
        )
    return batch


def _entry(source_list: SourceList, data: dict[str, str], values: dict[str, Any]) -> ListEntry:
    return ListEntry(
        source_list=source_list,
        record_id=data["record_id"],
        surname=values.get("surname", ""),
        given_name=values.get("given_name", ""),
        patronymic=values.get("patronymic", ""),
        full_name=values.get("full_name", ""),
        sex=values.get("sex", ""),
        birth_date=values.get("birth_date", ""),
        event=values.get("event", "death"),
        event_date=values.get("event_date", ""),
        place_text=values.get("place", ""),
        place_id=values.get("place_id"),
        wave_id=values.get("wave_id"),
        circumstances=values.get("circumstances", ""),
        certainty=values.get("certainty", "high"),
        registry_person_id=values.get("registry_person_id"),
        raw=data,
    )


def list_import_commit(*, actor: Actor, batch: ListImport) -> ListImport:
    """Write every valid row as an entry of the list and link the register, in one transaction.

    Rows whose record id the list already holds are left as they are, so a file imported
    twice adds nothing. Rejected rows are never written; the report keeps them."""
    require(actor, IMPORT)
    with transaction.atomic():
        batch = ListImport.objects.select_for_update().select_related("source_list").get(pk=batch.pk)
        if batch.status != ImportStatus.VALIDATED:
            raise ImportRefusedError(_("Only a checked import that is not yet committed can be committed."))
        if actor.user is not None and batch.created_by_id not in (None, actor.user.pk) and not actor.user.full_scope:
            raise PermissionDenied
        existing = set(batch.source_list.entries.values_list("record_id", flat=True))
        entries = [
            _entry(batch.source_list, row.data, row.values)
            for row in batch.rows.filter(is_valid=True).order_by("number")
            if row.data["record_id"] not in existing
        ]
        ListEntry.objects.bulk_create(entries)
        batch.entries_created = len(entries)
        batch.entries_unchanged = batch.valid_rows - len(entries)
        batch.status = ImportStatus.COMMITTED
        batch.committed_at = timezone.now()
        batch.save()
        register_link(actor=actor)
    return batch


# --- Linkage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkOutcome:
    entries_linked: int
    people_created: int
    pairs_queued: int


def _storage(value: object) -> str:
    """A partial date as stored ("1951-03", "1951~"), whether read back (PartialDate) or just set (text)."""
    if isinstance(value, PartialDate):
        return value.to_storage()
    return str(value or "")


def _record(entry: ListEntry, places: dict[int, str]) -> dict[str, str]:
    return {
        "record_id": f"e{entry.pk}",
        "source": entry.source_list.code,
        "surname": entry.surname,
        "given_name": entry.given_name,
        "patronymic": entry.patronymic,
        "full_name": entry.full_name,
        "sex": entry.sex,
        "birth_date": _storage(entry.birth_date).rstrip("~"),
        "origin_place": places.get(entry.place_id or 0, "") or entry.place_text,
    }


def _fill(person: CasualtyPerson, entries: Iterable[ListEntry]) -> None:
    """Take what the person lacks from the entries, the most certain list first."""
    order = {"definite": 0, "high": 1, "medium": 2, "low": 3}
    ranked = sorted(entries, key=lambda entry: (order.get(entry.certainty, 4), entry.pk))
    if ranked and not person.pk:
        person.event = ranked[0].event
    for entry in ranked:
        if not (person.surname or person.given_name):
            person.surname, person.given_name, person.patronymic = entry.surname, entry.given_name, entry.patronymic
            if not (entry.surname or entry.given_name):
                person.surname = entry.full_name[:100]
        person.sex = person.sex or entry.sex
        if person.birth_year is None and entry.birth_date:
            person.birth_year = int(_storage(entry.birth_date)[:4])
        if person.event_date is None and entry.event_date:
            person.event, person.event_date = entry.event, entry.event_date
        person.place_id = person.place_id or entry.place_id
        person.place_text = person.place_text or entry.place_text
        person.wave_id = person.wave_id or entry.wave_id
        person.circumstances = person.circumstances or entry.circumstances
        person.person_id = person.person_id or entry.registry_person_id


def _propose(actor: Actor, first: CasualtyPerson, second: CasualtyPerson, probability: float, explanation: str) -> bool:
    if first.pk == second.pk:
        return False
    left, right = (first, second) if first.pk < second.pk else (second, first)
    known = CasualtyMatch.objects.filter(left=left, right=right).first()
    if known is not None:
        if known.status == MatchStatus.PENDING and probability > known.probability:
            known.probability, known.explanation = probability, explanation
            known.save(update_fields=["probability", "explanation", "updated_at"])
        return False
    CasualtyMatch.objects.create(
        left=left, right=right, probability=probability, explanation=explanation, proposed_by=actor.user
    )
    return True


def _register_record(person: CasualtyPerson, places: dict[int, str]) -> dict[str, str]:
    return {
        "record_id": person.code,
        "source": "register",
        "surname": person.surname,
        "given_name": person.given_name,
        "patronymic": person.patronymic,
        "sex": person.sex if person.sex in ("m", "f") else "",
        "birth_date": str(person.birth_year or ""),
        "origin_place": places.get(person.place_id or 0, "") or person.place_text,
    }


def _propose_registry_matches(actor: Actor, places: dict[int, str]) -> int:
    """Pairs of a register person not yet linked to the registry and a registry person
    recorded as deceased (within the linker's scope) that the engine scores from the review
    threshold up: proposed in the review queue, never linked without a decision."""
    unlinked = list(CasualtyPerson.objects.filter(person__isnull=True, merged_into__isnull=True).order_by("pk"))
    deceased = list(
        Person.objects.visible_to(actor.user)
        .filter(is_deceased=True, casualty_records__isnull=True)
        .select_related("household__origin_place")
        .order_by("pk")
    )
    if not unlinked or not deceased:
        return 0
    places.update(
        Place.objects.filter(pk__in={p.place_id for p in unlinked if p.place_id} - places.keys()).values_list(
            "pk", "name"
        )
    )
    result = link(
        [_register_record(person, places) for person in unlinked],
        [person_record(person) for person in deceased],
        gazetteer=registry_gazetteer(),
    )
    register = {f"a:{person.code}": person for person in unlinked}
    registry = {f"b:{person.code}": person for person in deceased}
    queued = 0
    for pair in result.pairs:
        if pair.probability < REVIEW_THRESHOLD:
            continue
        ours, theirs = register.get(pair.left), registry.get(pair.right)
        if ours is None or theirs is None:
            ours, theirs = register.get(pair.right), registry.get(pair.left)
        if ours is None or theirs is None:
            continue
        known = CasualtyMatch.objects.filter(left=ours, registry_person=theirs).first()
        if known is not None:
            continue
        CasualtyMatch.objects.create(
            left=ours,
            registry_person=theirs,
            probability=pair.probability,
            explanation=pair.explanation,
            proposed_by=actor.user,
        )
        queued += 1
    return queued


def register_link(*, actor: Actor) -> LinkOutcome:  # noqa: PLR0912 - one pass, each step commented
    """Link every list entry into people of the register, within and across lists, in every script.

    The linkage engine (yurd.linkage.matching) clusters all entries. An entry once given a
    person keeps it; an entry without one joins the person of its cluster, or a new person.
    A cluster holding two people already (linked apart before), and every pair of people
    scored from the review threshold up without being clustered, goes to the register's
    review queue; a pair decided "different people" is never proposed again.
    """
    require(actor, IMPORT)
    with transaction.atomic():
        entries = list(ListEntry.objects.select_related("source_list", "person").order_by("pk"))
        if not entries:
            return LinkOutcome(0, 0, 0)
        places = dict(
            Place.objects.filter(pk__in={entry.place_id for entry in entries if entry.place_id}).values_list(
                "pk", "name"
            )
        )
        result = dedupe([_record(entry, places) for entry in entries], gazetteer=registry_gazetteer())
        by_record = {f"e{entry.pk}": entry for entry in entries}
        clusters: dict[str, list[ListEntry]] = defaultdict(list)
        for record_id, cluster in result.clusters.items():
            clusters[cluster].append(by_record[record_id])
        fresh: list[list[ListEntry]] = []
        linked = 0
        queued = 0
        touched: dict[int, tuple[CasualtyPerson, list[ListEntry]]] = {}
        for members in clusters.values():
            people = sorted({entry.person for entry in members if entry.person is not None}, key=lambda p: p.pk)
            waiting = [entry for entry in members if entry.person is None]
            for other in people[1:]:
                queued += _propose(actor, people[0], other, 0.99, _("the linkage engine puts their entries together"))
            if not waiting:
                continue
            if people:
                target = people[0]
                for entry in waiting:
                    entry.person = target
                touched.setdefault(target.pk, (target, []))[1].extend(waiting)
                linked += len(waiting)
            else:
                fresh.append(waiting)
        numbers = allocate_numbers("casualty_person", len(fresh))
        created = []
        for number, members in zip(numbers, fresh, strict=True):
            person = CasualtyPerson(code=CODE.format(number))
            _fill(person, members)
            created.append(person)
        CasualtyPerson.objects.bulk_create(created)
        for person, members in zip(created, fresh, strict=True):
            for entry in members:
                entry.person = person
            linked += len(members)
        for person, members in touched.values():
            _fill(person, members)
            person.save()
        ListEntry.objects.bulk_update([entry for entry in entries if entry.person is not None], ["person"])
        for pair in result.pairs:
            if pair.probability < REVIEW_THRESHOLD or pair.same_cluster:
                continue
            first, second = by_record[pair.left].person, by_record[pair.right].person
            if first is not None and second is not None and first.pk != second.pk:
                queued += _propose(actor, first, second, pair.probability, pair.explanation)
        queued += _propose_registry_matches(actor, places)
        log_access(
            actor,
            AccessAction.CHANGE,
            ListEntry,
            detail={"linked": linked, "people_created": len(created), "pairs_queued": queued},
        )
    return LinkOutcome(linked, len(created), queued)


def match_decide(*, actor: Actor, match: CasualtyMatch, status: str) -> CasualtyPerson | None:
    """Record a decision; "same person" moves the second person's entries to the first, whose
    record then stands for both (the second stays, marked as merged, so its address still leads there)."""
    require(actor, ADJUDICATE)
    if status not in (MatchStatus.SAME, MatchStatus.DIFFERENT):
        raise ValueError(status)
    with transaction.atomic():
        match = CasualtyMatch.objects.select_for_update().get(pk=match.pk)
        if match.status != MatchStatus.PENDING:
            raise ImportRefusedError(_("This pair has been decided already."))
        match.status, match.decided_by, match.decided_at = status, actor.user, timezone.now()
        match.save()
        if status == MatchStatus.DIFFERENT:
            return None
        if match.registry_person_id is not None:
            # The register's person is the registry's deceased person: linked, nothing merged.
            person = match.left
            person.person_id = match.registry_person_id
            person.save(update_fields=["person", "updated_at"])
            CasualtyMatch.objects.filter(
                Q(left=person) | Q(registry_person_id=match.registry_person_id),
                registry_person__isnull=False,
                status=MatchStatus.PENDING,
            ).delete()
            return person
        survivor, absorbed = match.left, match.right
        if absorbed is None:
            raise ImportRefusedError(_("This pair has no second record of the register."))
        entries = list(absorbed.entries.all())
        ListEntry.objects.filter(person=absorbed).update(person=survivor)
        absorbed.merged_into = survivor
        absorbed.save(update_fields=["merged_into", "updated_at"])
        CasualtyPerson.objects.filter(merged_into=absorbed).update(merged_into=survivor)
        _fill(survivor, entries)
        survivor.save()
        CasualtyMatch.objects.filter(Q(left=absorbed) | Q(right=absorbed), status=MatchStatus.PENDING).delete()
        return survivor
