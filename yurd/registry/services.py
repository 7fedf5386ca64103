"""Writes to the registry. Each service is atomic, validates with full_clean(), checks the
actor's permission and scope, and leaves a history record naming the actor and reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.core.history import change_reason_set, clean_reason, history_user_set
from yurd.core.partial_dates import PartialDate
from yurd.core.permissions import require
from yurd.estimation import NoEstimateError, estimate
from yurd.estimation.loglinear import NOT_IDENTIFIABLE
from yurd.places.models import Place
from yurd.registry.capture import (
    column_labels,
    complete_lists,
    family_histories,
    family_tables,
    registration_lists,
)
from yurd.registry.codes import allocate_code, allocate_codes
from yurd.registry.models import (
    Certainty,
    Consent,
    ContactDetails,
    HeirLine,
    Household,
    HouseholdRole,
    IdentityDocument,
    Kinship,
    KinshipKind,
    Person,
    PersonName,
    PopulationEstimate,
    PopulationFigure,
    Wave,
)
from yurd.registry.search_index import reindex_person


class HouseholdChanges(TypedDict, total=False):
    """The household fields a registrar may change; only the keys given are changed."""

    origin_place: Place | None
    wave: Wave | None
    displacement_date: PartialDate | str | None
    destination_place: Place | None
    current_place: Place | None
    notes: str


class PersonChanges(TypedDict, total=False):
    """The person fields a registrar may change; only the keys given are changed."""

    household_role: str
    surname: str
    given_name: str
    patronymic: str
    sex: str
    birth_date: PartialDate | str | None
    birth_place: Place | None
    birth_place_text: str
    is_deceased: bool
    death_date: PartialDate | str | None


class NewPerson(PersonChanges, total=False):
    """A new member: the editable fields, and where the record came from."""

    source: str
    source_ref: str


class PersonNameChanges(TypedDict, total=False):
    surname: str
    given_name: str
    patronymic: str
    script: str
    kind: str
    source: str


class ContactChanges(TypedDict, total=False):
    phone: str
    email: str
    address: str


class DocumentChanges(TypedDict, total=False):
    kind: str
    number: str
    issued_by: str
    issued_on: PartialDate | str | dt.date | None


# The typed change sets above are the one list of editable fields: the services check
# names at run time too, since forms pass their cleaned data through as a dict.
HOUSEHOLD_FIELDS = tuple(HouseholdChanges.__annotations__)
PERSON_FIELDS = tuple(PersonChanges.__annotations__)
PERSON_NAME_FIELDS = tuple(PersonNameChanges.__annotations__)
CONTACT_FIELDS = tuple(ContactChanges.__annotations__)
DOCUMENT_FIELDS = tuple(DocumentChanges.__annotations__)


def place_in_scope(actor: Actor, *, origin_place: Place | None, current_place: Place | None) -> bool:
    """Whether a household with these places falls within the actor's scopes."""
    if actor.user is None or actor.user.full_scope:
        return True
    for scope in actor.user.scopes.select_related("place"):
        place = origin_place if scope.basis == "origin" else current_place
        if place is not None and place.path.startswith(scope.place.path):
            return True
    return False


def _ensure_household_in_scope(actor: Actor, household: Household) -> None:
    visible = Household.objects.visible_to(actor.user).filter(pk=household.pk)
    if not visible.exists():
        raise PermissionDenied(_("This household is outside your scope."))


def _save(instance: models.Model, actor: Actor, reason: str) -> None:
    instance.full_clean()
    history_user_set(instance, actor.user)
    change_reason_set(instance, reason)
    instance.save()


def _new_household(actor: Actor, values: Mapping[str, Any], source: str, source_ref: str) -> Household:
    household = Household(code=allocate_code("household"), source=source, source_ref=source_ref)
    for name in HOUSEHOLD_FIELDS:
        if name in values:
            setattr(household, name, values[name])
    if not place_in_scope(actor, origin_place=household.origin_place, current_place=household.current_place):
        raise ValidationError({"origin_place": _("This place is outside your scope.")})
    return household


def _new_person(household: Household, values: Mapping[str, Any]) -> Person:
    unknown = set(values) - set(PERSON_FIELDS) - {"source", "source_ref"}
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(code=allocate_code("person"), household=household, **values)
    if person.death_date:
        person.is_deceased = True
    if not (person.surname or person.given_name):
        raise ValidationError({"surname": _("Give at least a surname or a given name.")})
    return person


@transaction.atomic
def household_register(
    *,
    actor: Actor,
    household: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]],
    consent: Mapping[str, Any] | None = None,
    source: str = "",
    source_ref: str = "",
) -> Household:
    """Register a household with its members in one go (the registration wizard's result).

    Each member may carry `other_names` ([{surname, given_name, patronymic, script}]).
    Kinship follows from the roles: the head and a spouse are spouses, both are parents
    of each child, each parent is a parent of the head. `consent` ({purpose, given_on})
    is recorded for every living adult member.
    """
    require(actor, "registry.add_household")
    new_household = _new_household(actor, household, source, source_ref)
    _save(new_household, actor, _("Registered"))
    people: list[Person] = []
    for member in members:
        values = dict(member)
        other_names = values.pop("other_names", [])
        person = _new_person(new_household, values)
        _save(person, actor, _("Registered"))
        for name in other_names:
            if any(name.get(part) for part in ("surname", "given_name", "patronymic")):
                other = PersonName(person=person, **name)
                _save(other, actor, _("Registered"))
        reindex_person(person)
        people.append(person)
    if not people:
        raise ValidationError(_("A household needs at least one member."))
    _kinship_from_roles(actor, people, source=source or _("registration"))
    if consent:
        for person in people:
            if not person.is_deceased:
                _save(
                    Consent(
                        person=person,
                        purpose=consent["purpose"],
                        given_on=consent["given_on"],
                        recorded_by=actor.user,
                    ),
                    actor,
                    _("Registered"),
                )
    return new_household


def _kinship_from_roles(actor: Actor, people: list[Person], *, source: str) -> None:
    heads = [person for person in people if person.household_role == HouseholdRole.HEAD]
    if not heads:
        return
    head = heads[0]
    spouses = [person for person in people if person.household_role == HouseholdRole.SPOUSE]
    children = [person for person in people if person.household_role == HouseholdRole.CHILD]
    parents = [person for person in people if person.household_role == HouseholdRole.PARENT]
    edges: list[tuple[Person, Person, str]] = [(head, spouse, KinshipKind.SPOUSE_OF) for spouse in spouses]
    for child in children:
        edges.append((head, child, KinshipKind.PARENT_OF))
        edges.extend((spouse, child, KinshipKind.PARENT_OF) for spouse in spouses[:1])
    edges.extend((parent, head, KinshipKind.PARENT_OF) for parent in parents)
    for from_person, to_person, kind in edges:
        _save(
            Kinship(from_person=from_person, to_person=to_person, kind=kind, source=source, certainty=Certainty.HIGH),
            actor,
            _("Registered"),
        )


@transaction.atomic
def household_update(
    *, actor: Actor, household: Household, reason: str, **changes: Unpack[HouseholdChanges]
) -> Household:
    require(actor, "registry.change_household")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you change this record.")})
    household = Household.objects.unscoped().select_for_update().get(pk=household.pk)  # a write: lock
    _ensure_household_in_scope(actor, household)
    for name, value in changes.items():
        if name not in HOUSEHOLD_FIELDS:
            raise TypeError(f"unknown household field {name!r}")
        setattr(household, name, value)
    if not place_in_scope(actor, origin_place=household.origin_place, current_place=household.current_place):
        raise ValidationError({"origin_place": _("This place is outside your scope.")})
    _save(household, actor, reason)
    return household


@transaction.atomic
def person_add(*, actor: Actor, household: Household, reason: str = "", **values: Unpack[NewPerson]) -> Person:
    require(actor, "registry.add_person")
    _ensure_household_in_scope(actor, household)
    person = _new_person(household, values)
    _save(person, actor, reason or _("Added"))
    reindex_person(person)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, reason: str, **changes: Unpack[PersonChanges]) -> Person:
    require(actor, "registry.change_person")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you change this record.")})
    person = Person.objects.unscoped().select_for_update().select_related("household").get(pk=person.pk)  # write
    _ensure_household_in_scope(actor, person.household)
    was_deceased = person.is_deceased
    for name, value in changes.items():
        if name not in PERSON_FIELDS:
            raise TypeError(f"unknown person field {name!r}")
        setattr(person, name, value)
    if person.death_date:
        person.is_deceased = True
    if not (person.surname or person.given_name):
        raise ValidationError({"surname": _("Give at least a surname or a given name.")})
    _save(person, actor, reason)
    reindex_person(person)
    if person.is_deceased != was_deceased:
        # A death (or one recorded in error) changes who inherits, as a kinship edge does.
        _family_changed(actor, [person.pk])
    return person


@transaction.atomic
def person_name_add(
    *,
    actor: Actor,
    person: Person,
    surname: str = "",
    given_name: str = "",
    patronymic: str = "",
    script: str = "",
    kind: str = "",
    source: str = "",
    reason: str = "",
) -> PersonName:
    """Another form of a person's name; the search box finds the person by it at once."""
    require(actor, "registry.add_personname")
    _ensure_household_in_scope(actor, person.household)
    if not (surname or given_name or patronymic):
        raise ValidationError(_("Give at least one part of the name."))
    name = PersonName(
        person=person,
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        script=script,
        kind=kind,
        source=source,
    )
    _save(name, actor, reason or _("Name form added"))
    reindex_person(person)
    return name


KinshipHook = Callable[[Actor, list[int]], object]
_kinship_hooks: list[KinshipHook] = []


def register_kinship_hook(hook: KinshipHook) -> None:
    """Run `hook(actor, person_ids)` in the transaction that adds or removes a kinship edge,
    or records a person's death (or corrects one recorded in error).

    The seam for claims: a claim made on heirs derived from kinship is flagged when the
    family it was based on changes. Raising aborts the change.
    """
    if hook not in _kinship_hooks:
        _kinship_hooks.append(hook)


def _family_changed(actor: Actor, person_ids: list[int]) -> None:
    for hook in _kinship_hooks:
        hook(actor, person_ids)


def _kinship_changed(actor: Actor, kinship: Kinship) -> None:
    _family_changed(actor, [kinship.from_person_id, kinship.to_person_id])


@transaction.atomic
def kinship_add(
    *,
    actor: Actor,
    from_person: Person,
    to_person: Person,
    kind: str,
    source: str = "",
    certainty: str = Certainty.HIGH,
    reason: str = "",
) -> Kinship:
    """`from_person` is parent (or spouse) of `to_person`; refuses loops in parenthood."""
    require(actor, "registry.add_kinship")
    _ensure_household_in_scope(actor, from_person.household)
    _ensure_household_in_scope(actor, to_person.household)
    if from_person.pk == to_person.pk:
        raise ValidationError(_("A person cannot be their own relative."))
    if kind == KinshipKind.PARENT_OF and _is_ancestor(to_person.pk, from_person.pk):
        raise ValidationError(_("This would make a person their own ancestor."))
    if (
        kind == KinshipKind.SPOUSE_OF
        and Kinship.objects.filter(from_person=to_person, to_person=from_person, kind=KinshipKind.SPOUSE_OF).exists()
    ):
        raise ValidationError(_("These two people are already recorded as spouses."))
    kinship = Kinship(from_person=from_person, to_person=to_person, kind=kind, source=source, certainty=certainty)
    _save(kinship, actor, reason or _("Kinship recorded"))
    _kinship_changed(actor, kinship)
    return kinship


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you change this record.")})


def _delete(instance: models.Model, actor: Actor, reason: str) -> None:
    """Delete with a history record naming the actor and the reason."""
    history_user_set(instance, actor.user)
    change_reason_set(instance, reason)
    instance.delete()


@transaction.atomic
def person_name_update(
    *, actor: Actor, name: PersonName, reason: str, **changes: Unpack[PersonNameChanges]
) -> PersonName:
    require(actor, "registry.change_personname")
    _require_reason(reason)
    name = PersonName.objects.select_for_update().select_related("person__household").get(pk=name.pk)
    _ensure_household_in_scope(actor, name.person.household)
    _assign(name, changes, PERSON_NAME_FIELDS)
    if not (name.surname or name.given_name or name.patronymic):
        raise ValidationError(_("Give at least one part of the name."))
    _save(name, actor, reason)
    reindex_person(name.person)
    return name


@transaction.atomic
def person_name_remove(*, actor: Actor, name: PersonName, reason: str) -> None:
    """Remove a name form (a wrong spelling); the history keeps it, and search forgets it."""
    require(actor, "registry.change_personname")
    _require_reason(reason)
    name = PersonName.objects.select_for_update().select_related("person__household").get(pk=name.pk)
    _ensure_household_in_scope(actor, name.person.household)
    person = name.person
    _delete(name, actor, reason)
    reindex_person(person)


@transaction.atomic
def kinship_remove(*, actor: Actor, kinship: Kinship, reason: str) -> None:
    """Remove a kinship edge recorded in error. Correcting the family record is a change
    to kinship (registrars hold it); the history keeps the edge and the reason.
    """
    require(actor, "registry.change_kinship")
    _require_reason(reason)
    kinship = (
        Kinship.objects.select_for_update()
        .select_related("from_person__household", "to_person__household")
        .get(pk=kinship.pk)
    )
    _ensure_household_in_scope(actor, kinship.from_person.household)
    _ensure_household_in_scope(actor, kinship.to_person.household)
    _delete(kinship, actor, reason)
    _kinship_changed(actor, kinship)


def _assign(record: models.Model, values: Mapping[str, object], allowed: Iterable[str]) -> None:
    """Set the editable fields a form sent; any other name is a programming error."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {record._meta.model_name} fields: {sorted(unknown)}")
    for field, value in values.items():
        setattr(record, field, value)


@transaction.atomic
def contact_update(*, actor: Actor, person: Person, reason: str, **values: Unpack[ContactChanges]) -> ContactDetails:
    """Create or change a person's contact details (a sensitive group)."""
    require(actor, "registry.view_sensitive", "registry.change_contactdetails")
    _require_reason(reason)
    person = Person.objects.unscoped().select_related("household").get(pk=person.pk)  # checked below
    _ensure_household_in_scope(actor, person.household)
    contact = ContactDetails.objects.select_for_update().filter(person=person).first()
    if contact is None:
        require(actor, "registry.add_contactdetails")
        contact = ContactDetails(person=person)
    _assign(contact, values, CONTACT_FIELDS)
    _save(contact, actor, reason)
    return contact


@transaction.atomic
def identity_document_add(
    *, actor: Actor, person: Person, reason: str, **values: Unpack[DocumentChanges]
) -> IdentityDocument:
    require(actor, "registry.view_sensitive", "registry.add_identitydocument")
    _require_reason(reason)
    person = Person.objects.unscoped().select_related("household").get(pk=person.pk)  # checked below
    _ensure_household_in_scope(actor, person.household)
    document = IdentityDocument(person=person)
    _assign(document, values, DOCUMENT_FIELDS)
    _save(document, actor, reason)
    return document


@transaction.atomic
def identity_document_update(
    *, actor: Actor, document: IdentityDocument, reason: str, **changes: Unpack[DocumentChanges]
) -> IdentityDocument:
    require(actor, "registry.view_sensitive", "registry.change_identitydocument")
    _require_reason(reason)
    document = IdentityDocument.objects.select_for_update().select_related("person__household").get(pk=document.pk)
    _ensure_household_in_scope(actor, document.person.household)
    _assign(document, changes, DOCUMENT_FIELDS)
    _save(document, actor, reason)
    return document


@transaction.atomic
def identity_document_remove(*, actor: Actor, document: IdentityDocument, reason: str) -> None:
    """Remove a document entered in error; the history keeps it with the reason."""
    require(actor, "registry.view_sensitive", "registry.change_identitydocument")
    _require_reason(reason)
    document = IdentityDocument.objects.select_for_update().select_related("person__household").get(pk=document.pk)
    _ensure_household_in_scope(actor, document.person.household)
    _delete(document, actor, reason)


def _is_ancestor(candidate: int, person: int, *, limit: int = 12) -> bool:
    """Whether `candidate` is `person` or one of their ancestors (walks up generation by generation)."""
    frontier = {person}
    for _generation in range(limit):
        if candidate in frontier:
            return True
        frontier = set(
            Kinship.objects.filter(kind=KinshipKind.PARENT_OF, to_person__in=frontier).values_list(
                "from_person", flat=True
            )
        )
        if not frontier:
            return False
    return False


@transaction.atomic
def consent_record(*, actor: Actor, person: Person, purpose: str, given_on: dt.date) -> Consent:
    require(actor, "registry.add_consent")
    _ensure_household_in_scope(actor, person.household)
    consent = Consent(person=person, purpose=purpose, given_on=given_on, recorded_by=actor.user)
    _save(consent, actor, _("Consent recorded"))
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent: Consent, withdrawn_on: dt.date, reason: str) -> Consent:
    require(actor, "registry.change_consent")
    consent = Consent.objects.select_for_update().select_related("person__household").get(pk=consent.pk)
    _ensure_household_in_scope(actor, consent.person.household)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("A consent cannot be withdrawn before it was given.")})
    consent.withdrawn_on = withdrawn_on
    _save(consent, actor, reason or _("Consent withdrawn"))
    return consent


@transaction.atomic
def heir_line_create(*, actor: Actor, ancestor: Person) -> HeirLine:
    """Open the heir line of a deceased person (claims refer to it)."""
    require(actor, "registry.add_heirline")
    ancestor = (  # a write: lock the ancestor the caller resolved for the actor
        Person.objects.unscoped().select_for_update().select_related("household").get(pk=ancestor.pk)
    )
    _ensure_household_in_scope(actor, ancestor.household)
    if not ancestor.is_deceased:
        raise ValidationError(_("Only a deceased person has heirs."))
    if HeirLine.objects.filter(ancestor=ancestor).exists():
        raise ValidationError(_("This person already has an heir line."))
    heir_line = HeirLine(code=allocate_code("heir_line"), ancestor=ancestor)
    _save(heir_line, actor, _("Heir line opened"))
    return heir_line


__all__ = [
    "allocate_codes",
    "consent_record",
    "consent_withdraw",
    "contact_update",
    "heir_line_create",
    "household_register",
    "household_update",
    "identity_document_add",
    "identity_document_remove",
    "identity_document_update",
    "kinship_add",
    "kinship_remove",
    "person_add",
    "person_name_add",
    "person_name_remove",
    "person_name_update",
    "person_update",
    "population_estimate_compute",
    "population_figure_set",
]


# ---------------------------------------------------------------- how many families in all

SET_POPULATION_FIGURE = "registry.change_populationfigure"


@transaction.atomic
def population_figure_set(
    *,
    actor: Actor,
    families: int,
    kind: str,
    source: str,
    reason: str,
    interval_low: int | None = None,
    interval_high: int | None = None,
    estimate: PopulationEstimate | None = None,
) -> PopulationFigure:
    """Set the number of displaced families that progress is measured against (one row).

    Administrators only; the history row names who, when and why. An estimate cited must
    be a stored one (the figure then shows its interval unless another is given)."""
    require(actor, SET_POPULATION_FIGURE, message=_("Only an administrator may change the number of families."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the figure changes.")})
    figure = PopulationFigure.objects.select_for_update().order_by("pk").first() or PopulationFigure()
    figure.families = families
    figure.kind = kind
    figure.source = source.strip()
    figure.interval_low = interval_low
    figure.interval_high = interval_high
    figure.estimate = estimate
    _save(figure, actor, clean_reason(reason))
    return figure


ESTIMATE_POPULATION = "registry.add_populationestimate"
ESTIMATION_METHODS = ("stepwise", "bic", "fixed")
MAX_BOOTSTRAP = 5000


def _refusal(error: NoEstimateError) -> str:
    if error.status & NOT_IDENTIFIABLE:
        return str(
            _(
                "No estimate from these lists: the model cannot be identified from them "
                "(for example two lists with nobody in common and no third list)."
            )
        )
    return str(_("No estimate from these lists: the estimate does not exist for these overlaps (it lies at infinity)."))


@transaction.atomic
def population_estimate_compute(
    *,
    actor: Actor,
    lists: Sequence[str],
    method: str = "stepwise",
    pthresh: float = 0.02,
    bootstrap: int = 500,
    seed: int | None = 1,
    note: str = "",
) -> PopulationEstimate:
    """Estimate how many displaced families exist from how the chosen registration lists
    overlap (multiple systems estimation over the families' capture histories) and keep it.

    The bootstrap draws the estimated population (resample "population": the question is the
    actual number of families) and repeats the choice of model. Refused, with nothing kept,
    for fewer than two lists, a list that names no family, or no identifiable estimate."""
    require(actor, ESTIMATE_POPULATION, message=_("Only an administrator may estimate the number of families."))
    chosen = list(dict.fromkeys(name for name in lists if name))
    if len(chosen) < 2:
        raise ValidationError({"lists": _("Choose at least two registration lists: one list alone estimates nothing.")})
    if method not in ESTIMATION_METHODS:
        raise ValidationError({"method": _("Unknown method.")})
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise ValidationError({"bootstrap": _("Between 0 and %(most)s bootstrap samples.") % {"most": MAX_BOOTSTRAP}})
    found = family_histories()
    named = dict(registration_lists(found))
    empty = [name for name in chosen if not named.get(name)]
    if empty:
        raise ValidationError({"lists": _("No family is on the list %(list)s.") % {"list": empty[0]}})
    complete = complete_lists(chosen, found)
    if complete:
        raise ValidationError(
            {
                "lists": _(
                    "The list %(list)s names every family the other chosen lists name: it looks complete "
                    "(or it is the register itself), so the overlaps cannot tell how many all the lists "
                    "missed. Leave it out and choose at least two other lists."
                )
                % {"list": complete[0]}
            }
        )
    table = family_tables(chosen, (), found)["all"]
    try:
        result = estimate(
            table,
            method=method,
            pthresh=pthresh,
            bootstrap=bootstrap,
            seed=seed,
            resample="population",
            interval="bca",
            level=0.95,
        )
    except NoEstimateError as error:
        raise ValidationError(_refusal(error)) from None
    names = dict(zip(column_labels(chosen), chosen, strict=True))
    computed = PopulationEstimate(
        lists=chosen,
        method=method,
        pthresh=pthresh if method == "stepwise" else None,
        interactions=[[names[part] for part in term.split(":")] for term in result.interactions],
        observed=result.observed,
        estimate=result.estimate,
        interval_low=result.interval[0] if result.interval else None,
        interval_high=result.interval[1] if result.interval else None,
        level=result.level,
        interval_method=result.interval_method,
        bootstrap_samples=result.bootstrap_samples,
        seed=seed,
        counts=[[[int(bit) for bit in pattern], int(count)] for pattern, count in table.patterns()],
        caveats=[caveat.code for caveat in result.caveats],
        result=result.as_dict(),
        note=note.strip(),
        computed_by=actor.user,
    )
    computed.full_clean()
    computed.save()
    return computed
