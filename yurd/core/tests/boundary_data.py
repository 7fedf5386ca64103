"""A dataset that crosses the scope boundary, for the tests generated from the URL conf.

District A is the scope of the registrar persona (by origin); district B lies outside
it. District B holds a household of every kind of record a URL can name (people,
other names, documents, consents, kinship to district A, an heir line, a claim with a
decision, evidence of each sensitivity, a restricted testimony with its recording,
an appeal, a sent letter and a proposed duplicate property, a return intention, a field
submission, an import batch with rejected rows, a match
candidate, a team assignment, another registrar's job and export), and district A a
household whose head is the child of a district B person. Every name is synthetic and
spelled so that it occurs nowhere else in the application's pages.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.accounts.services import api_token_create
from yurd.casualties.models import CasualtyMatch, CasualtyPerson, ListEntry, SourceList
from yurd.casualties.services import list_import_stage
from yurd.claims.letters import letter_record_sent
from yurd.claims.models import Claim, Cohort, CohortBatch, LossCategory, PropertyDuplicate, ValuationImport
from yurd.claims.services.appeals import claim_appeal
from yurd.claims.services.cohorts import cohort_get_or_create
from yurd.claims.services.filing import ClaimantShare, claim_create, loss_item_add
from yurd.claims.tests.conftest import TABLE_V1, advance, import_table
from yurd.core.actors import Actor, system_actor
from yurd.core.models import Job
from yurd.evidence.models import EvidenceKind, Sensitivity
from yurd.evidence.services import evidence_ingest, evidence_link
from yurd.evidence.tests.conftest import photo_bytes
from yurd.fieldwork.matching import submissions_match
from yurd.fieldwork.models import Assignment, Team
from yurd.fieldwork.services import submission_receive
from yurd.fieldwork.tests.conftest import build_submission
from yurd.heritage.services import observation_record
from yurd.heritage.tests.conftest import make_site
from yurd.linkage.services import candidate_propose, person_merge
from yurd.places.models import PlaceImport, PlaceName
from yurd.registry.imports.services import import_create, import_validate
from yurd.registry.models import IdentityDocument, KinshipKind, Person, PersonName, Wave
from yurd.registry.services import heir_line_create, household_register, kinship_add
from yurd.reports.exports import download_token
from yurd.reports.models import ExportRequest
from yurd.returns.services import return_intention_record
from yurd.testimonies.models import Term
from yurd.testimonies.services import segment_add, term_propose, testimony_create, transcript_add
from yurd.testing.personas import Gazetteer, make_scoped_user, make_totp_device, make_user

# Names of district B's people; none of them is allowed to reach the out-of-scope personas.
B_SURNAME = "Zulfuqarli"
B_NAMES = {
    "head": ("Zulfuqarli", "Mehrinisa"),
    "spouse": ("Zulfuqarli", "Rustambey"),
    "ancestor": ("Zulfuqarli", "Qasimxan"),
    "relative": ("Sarvanova", "Gulbahar"),  # mother of district A's head
}
B_OTHER_SCRIPT = "Зульфугарлы"
B_IMPORTED = ("Vexdiyeva", "Sunbulxanim")  # in another registrar's import batch, one row rejected
A_NAMES = {"head": ("Ardaqulova", "Inarabeyim"), "child": ("Ardaqulov", "Tofiqbey")}
# The field submission from district A spells the district B head's name the way a
# collector might, so that its match (not its own text) would reveal her.
A_SUBMITTED = ("Zulfugarly", "Mehrinnisa")
HIDDEN_SITE = "Gizlinqala Tower"


@dataclass
class Boundary:
    gazetteer: Gazetteer
    registrar: User  # scoped to district A: everything of district B is outside her scope
    unscoped_registrar: User  # a registrar without any scope
    analyst: User
    administrator: User
    other_registrar: User  # district B's registrar, who owns the batch, job and export
    records: dict[str, Any] = field(default_factory=dict)
    # What an out-of-scope persona must never receive: names and codes of district B.
    district_b_secrets: set[str] = field(default_factory=set)
    # What no persona without any scope may receive: names and codes of both districts.
    all_secrets: set[str] = field(default_factory=set)


def _register(origin: Any, members: list[dict[str, Any]], *, current: Any = None) -> Any:
    wave, _created = Wave.objects.get_or_create(
        code="1987-1991", defaults={"name": "1987–1991", "year_from": 1987, "year_to": 1991}
    )
    return household_register(
        actor=system_actor(),
        household={
            "origin_place": origin,
            "current_place": current or origin,
            "wave": wave,
            "displacement_date": "11.1988",
        },
        members=members,
        consent={"purpose": "registration", "given_on": dt.date(2024, 5, 1)},
    )


# The register of deaths and injuries names district B's ancestor (who died in 1990) on two
# lists, once as the registry writes him and once in Cyrillic; a second record of him waits
# in the review queue, and another registrar's staged list holds a rejected row.
CASUALTY_NAMES = ("Гасымхан", "Sevdimalı", "Qəmərtac")


def _casualties(gazetteer: Gazetteer, other_registrar: User, ancestor_b: Any) -> dict[str, Any]:
    wave = Wave.objects.get(code="1987-1991")
    official = SourceList.objects.create(
        code="beta-official", name="Official report (synthetic)", kind="official_report"
    )
    community = SourceList.objects.create(
        code="beta-community", name="Community list (synthetic)", kind="community_list"
    )
    place = gazetteer.settlement_b1
    person = CasualtyPerson.objects.create(
        code="CP-990001", person=ancestor_b, surname=B_NAMES["ancestor"][0], given_name=B_NAMES["ancestor"][1],
        sex="m", birth_year=1925, event="death", event_date="1990", place=place, wave=wave,
    )  # fmt: skip
    twin = CasualtyPerson.objects.create(
        code="CP-990002", surname=B_NAMES["ancestor"][0], given_name=CASUALTY_NAMES[1], event="injury",
        place=place, wave=wave,
    )  # fmt: skip
    ListEntry.objects.create(
        source_list=official, record_id="OF-1", person=person, surname=B_NAMES["ancestor"][0],
        given_name=B_NAMES["ancestor"][1], event_date="1990", place=place, place_text=place.name, wave=wave,
    )  # fmt: skip
    ListEntry.objects.create(
        source_list=community, record_id="CO-1", person=person, surname=B_OTHER_SCRIPT,
        given_name=CASUALTY_NAMES[0], event_date="1990", place=place, place_text=place.name, wave=wave,
    )  # fmt: skip
    ListEntry.objects.create(
        source_list=community, record_id="CO-2", person=twin, surname=B_NAMES["ancestor"][0],
        given_name=CASUALTY_NAMES[1], event="injury", place=place, wave=wave,
    )  # fmt: skip
    match = CasualtyMatch.objects.create(left=person, right=twin, probability=0.6, explanation="synthetic")
    rows = (
        "record_id,surname,given_name,place,birth_date\n"
        f"S-1,{B_SURNAME},{CASUALTY_NAMES[2]},{place.name},1950\n"
        f"S-2,{B_SURNAME},{CASUALTY_NAMES[2]},{place.name},not-a-date\n"
    ).encode()
    batch = list_import_stage(
        actor=Actor(user=other_registrar), source_list=community, data=rows, file_name="beta-community.csv"
    )
    return {
        "source_list": official,
        "casualty_person": person,
        "casualty_people": [person, twin],
        "casualty_match": match,
        "casualty_import": batch,
    }


def build(gazetteer: Gazetteer) -> Boundary:
    system = system_actor()
    registrar = make_scoped_user("registrar-rena", Role.REGISTRAR, gazetteer.district_a)
    other_registrar = make_scoped_user("registrar-bahar", Role.REGISTRAR, gazetteer.district_b)
    unscoped = make_user("registrar-nobody", Role.REGISTRAR, full_scope=False)
    analyst = make_user("analyst-aysel", Role.ANALYST)
    administrator = make_user("admin-ayla", Role.ADMINISTRATOR, is_staff=True)
    assessor = make_user("assessor-anar", Role.ASSESSOR)
    reviewer = make_user("reviewer-rauf", Role.REVIEWER)
    researcher = make_user("researcher-humay", Role.HERITAGE_RESEARCHER)
    boundary = Boundary(gazetteer, registrar, unscoped, analyst, administrator, other_registrar)
    records = boundary.records

    # --- Households -------------------------------------------------------------------
    household_b = _register(
        gazetteer.settlement_b1,
        [
            {
                "surname": B_NAMES["head"][0],
                "given_name": B_NAMES["head"][1],
                "sex": "f",
                "birth_date": "1960",
                "household_role": "head",
                "other_names": [{"surname": B_OTHER_SCRIPT, "given_name": "Мехринисе", "script": "ru"}],
            },
            {
                "surname": B_NAMES["spouse"][0],
                "given_name": B_NAMES["spouse"][1],
                "sex": "m",
                "birth_date": "1958",
                "household_role": "spouse",
            },
            {
                "surname": B_NAMES["ancestor"][0],
                "given_name": B_NAMES["ancestor"][1],
                "sex": "m",
                "birth_date": "c. 1925",
                "death_date": "1990",
                "household_role": "parent",
            },
            {
                "surname": B_NAMES["relative"][0],
                "given_name": B_NAMES["relative"][1],
                "sex": "f",
                "birth_date": "1935",
                "household_role": "other",
            },
        ],
    )
    household_a = _register(
        gazetteer.settlement_a1,
        [
            {
                "surname": A_NAMES["head"][0],
                "given_name": A_NAMES["head"][1],
                "sex": "f",
                "birth_date": "1962",
                "household_role": "head",
            },
            {
                "surname": A_NAMES["child"][0],
                "given_name": A_NAMES["child"][1],
                "sex": "m",
                "birth_date": "1990",
                "household_role": "child",
            },
        ],
    )
    people_b = {person.given_name: person for person in household_b.members.all()}
    head_b, ancestor_b = people_b[B_NAMES["head"][1]], people_b[B_NAMES["ancestor"][1]]
    relative_b = people_b[B_NAMES["relative"][1]]
    head_a = household_a.members.get(given_name=A_NAMES["head"][1])
    # Kinship across the boundary: district A's head is the daughter of a district B person.
    crossing = kinship_add(actor=system, from_person=relative_b, to_person=head_a, kind=KinshipKind.PARENT_OF)
    other_name = PersonName.objects.filter(person=head_b).first()
    document = IdentityDocument.objects.create(
        person=head_b, kind="passport", number="ZQ9081726", issued_by="Synthetic office"
    )
    consent = head_b.consents.first()
    kinship_b = head_b.kinship_out.first() or head_b.kinship_in.first()
    heir_line = heir_line_create(actor=system, ancestor=ancestor_b)

    # --- Claims ---------------------------------------------------------------------
    valuation_table = import_table(TABLE_V1)
    claim_b, _secret = claim_create(
        actor=system,
        household=household_b,
        heir_line=None,
        claimants=[ClaimantShare(head_b, Fraction(1))],
        remedy="compensation",
        language="az",
    )
    dwelling = LossCategory.objects.get(code="dwelling")
    loss_item_add(
        actor=system,
        claim=claim_b,
        expected_version=claim_b.version,
        category=dwelling,
        place=gazetteer.settlement_b1,
        reference="House of the Zulfuqarli family (synthetic)",
        quantity=Decimal("120"),
        unit="m2",
        price_year=1988,
        original_owner=None,
    )
    # The same house again, with its original owner named: a second property of the same
    # settlement and kind whose name folds alike, proposed for the duplicate review.
    loss_item_add(
        actor=system,
        claim=claim_b,
        expected_version=Claim.objects.get(pk=claim_b.pk).version,
        category=dwelling,
        place=gazetteer.settlement_b1,
        reference="House of the Zulfuqarli family (synthetic)",
        quantity=Decimal("120"),
        unit="m2",
        price_year=1988,
        original_owner=ancestor_b,
    )
    property_duplicate = PropertyDuplicate.objects.get()
    claim_b = advance(claim_b, to="decided", assessor=assessor, reviewer=reviewer)
    decision = claim_b.decisions.order_by("number").first()
    assert decision is not None
    letter = letter_record_sent(
        actor=system, decision=decision, language="az", recipient=f"{B_NAMES['head'][1]} {B_SURNAME}", channel="post"
    )
    claim_appeal(actor=system, claim=claim_b, expected_version=claim_b.version, reason="Synthetic appeal")
    claim_b.refresh_from_db()
    appeal = claim_b.appeals.get()
    cohort = cohort_get_or_create(origin=gazetteer.settlement_b1, wave=household_b.wave, category=dwelling)
    cohort_batch = CohortBatch.objects.create(
        cohort=cohort,
        precedent=decision,
        applied_by=reviewer,
        applied_at=timezone.now(),
        qc_confidence=Decimal("0.95"),
        qc_margin=Decimal("0.05"),
    )
    assert Cohort.objects.filter(pk=cohort.pk).exists()

    # --- Evidence of each sensitivity, documenting district B's records ---------------
    evidence = {}
    targets = {
        Sensitivity.PUBLIC: ("registry.household", household_b.code),
        Sensitivity.INTERNAL: ("registry.person", head_b.code),
        Sensitivity.RESTRICTED: ("claims.claim", claim_b.case_number),
    }
    for sensitivity, (target_type, target_code) in targets.items():
        item = evidence_ingest(
            actor=system,
            stream=io.BytesIO(photo_bytes(size=(40, 30)) + sensitivity.encode()),
            original_name=f"{B_SURNAME.lower()}-{sensitivity}.jpg",
            kind=EvidenceKind.PHOTO,
            title_en=f"{B_SURNAME} family, {sensitivity} (synthetic)",
            sensitivity=sensitivity,
            place=gazetteer.settlement_b1,
        ).item
        evidence_link(actor=system, item=item, target_type=target_type, target_code=target_code)
        evidence[str(sensitivity)] = item

    # --- A restricted testimony with its recording ------------------------------------
    media = evidence_ingest(
        actor=system,
        stream=io.BytesIO(b"ID3 synthetic recording of the Zulfuqarli testimony"),
        original_name="zulfuqarli.mp3",
        media_type="audio/mpeg",
        kind="audio",
        sensitivity=Sensitivity.INTERNAL,
    ).item
    testimony = testimony_create(
        actor=system,
        title=f"{B_NAMES['head'][1]} {B_SURNAME} remembers (synthetic)",
        narrator=head_b,
        interviewer="Interviewer (synthetic)",
        recorded_on="05.2024",
        place=gazetteer.settlement_b1,
        language="az",
        consent_uses=["archive"],
        access_level="restricted",
        media=media,
    )
    transcript = transcript_add(
        actor=system, testimony=testimony, language="en", kind="transcript", text=f"I am {B_NAMES['head'][1]}."
    )
    segment = segment_add(
        actor=system, testimony=testimony, start_seconds=0, end_seconds=60, title="Leaving", summary="Synthetic."
    )
    term = term_propose(actor=system, label_en="Synthetic orchard")
    assert Term.objects.filter(pk=term.pk).exists()

    # --- Heritage -------------------------------------------------------------------
    site = make_site(researcher, gazetteer, name="Beta bridge (synthetic)", settlement=gazetteer.settlement_b1)
    hidden_site = make_site(
        researcher, gazetteer, name=HIDDEN_SITE, settlement=gazetteer.settlement_b1, published=False
    )
    observation = observation_record(
        actor=Actor(user=researcher),
        site=site,
        physical_state="destroyed",
        certainty="high",
        method="satellite",
        observed_on="2021-08",
    )

    # --- Returns, field work, imports, linkage --------------------------------------
    return_intention_record(
        actor=system,
        household=household_b,
        survey_date=dt.date(2025, 3, 1),
        intention="yes",
        preferred_place=gazetteer.settlement_b1,
    )
    submission_b, _created = submission_receive(
        actor=system,
        xml=build_submission(
            household__origin_place=gazetteer.settlement_b1.name,
            household__displacement_date="11.1988",
            members=[
                {"surname": "Qovsarova", "given_name": "Leylixanim", "sex": "f", "birth_date": "1970", "role": "head"}
            ],
        ),
    )
    submission_a, _created = submission_receive(
        actor=system,
        xml=build_submission(
            household__origin_place=gazetteer.settlement_a1.name,
            household__displacement_date="11.1988",
            members=[
                {
                    "surname": A_SUBMITTED[0],
                    "given_name": A_SUBMITTED[1],
                    "sex": "f",
                    "birth_date": "1960",
                    "role": "head",
                }
            ],
        ),
    )
    submissions_match(submissions=[submission_a, submission_b])
    team = Team.objects.create(name="Beta team (synthetic)")
    team.members.add(other_registrar)
    assignment = Assignment.objects.create(team=team, household=household_b)
    rows = (
        "household_ref,person_ref,surname,given_name,sex,birth_date,role,origin_place\n"
        f"Z-1,Z-1-1,{B_IMPORTED[0]},{B_IMPORTED[1]},f,1966,head,{gazetteer.settlement_b1.code}\n"
        f"Z-1,Z-1-2,{B_IMPORTED[0]},Nurlanbey,m,not-a-date,spouse,{gazetteer.settlement_b1.code}\n"
    ).encode()
    batch = import_validate(
        batch=import_create(actor=Actor(user=other_registrar), data=rows, file_name="beta.csv", source="beta")
    )
    twin = Person.objects.create(
        code="P-9900001", household=household_b, household_role="other", surname=B_SURNAME, given_name="Mehrinise"
    )
    candidate = candidate_propose(first=head_b, second=twin, probability=0.97, explanation="synthetic", origin="scan")
    duplicate = Person.objects.create(
        code="P-9900002", household=household_b, household_role="other", surname=B_SURNAME, given_name="Mehrinisa"
    )
    merge = person_merge(actor=system, survivor=head_b, absorbed=duplicate)
    casualties = _casualties(gazetteer, other_registrar, ancestor_b)
    place_import = PlaceImport.objects.create(file_name="places.csv")
    place_name = PlaceName.objects.create(place=gazetteer.settlement_b1, text="Demirchi", language="az-Latn")

    # --- Another registrar's job, export and device ----------------------------------
    job = Job.objects.create(kind="registry_export", owner=other_registrar, result_file="exports/beta.csv")
    export = ExportRequest.objects.create(
        requested_by=other_registrar, kind="people", file_format="csv", purpose="synthetic", file_name="beta.csv"
    )
    device = make_totp_device(other_registrar)
    token, _key = api_token_create(user=other_registrar, name="beta device (synthetic)", two_factor=False)

    records.update(
        household_a=household_a,
        head_a=head_a,
        household_b=household_b,
        head_b=head_b,
        ancestor_b=ancestor_b,
        relative_b=relative_b,
        twin_b=twin,
        crossing=crossing,
        kinship_b=kinship_b,
        other_name=other_name,
        document=document,
        consent=consent,
        heir_line=heir_line,
        claim_b=claim_b,
        decision=decision,
        letter=letter,
        appeal=appeal,
        property_duplicate=property_duplicate,
        loss_item=claim_b.loss_items.order_by("pk").first(),
        cohort=cohort,
        cohort_batch=cohort_batch,
        evidence=evidence,
        media=media,
        testimony=testimony,
        transcript=transcript,
        segment=segment,
        term=term,
        site=site,
        hidden_site=hidden_site,
        observation=observation,
        submission_a=submission_a,
        submission_b=submission_b,
        team=team,
        assignment=assignment,
        batch=batch,
        candidate=candidate,
        place_import=place_import,
        merge=merge,
        place_name=place_name,
        valuation_table=valuation_table,
        valuation_import=ValuationImport.objects.order_by("-pk").first(),
        job=job,
        export=export,
        export_token=download_token(export),
        device=device,
        api_token=token,
        **casualties,
    )

    district_b_people = list(household_b.members.all())
    boundary.district_b_secrets = {
        household_b.code,
        claim_b.case_number,
        testimony.code,
        testimony.title,
        heir_line.code,
        B_OTHER_SCRIPT,
        *B_IMPORTED,
        *(str(item.public_code) for item in evidence.values()),
        *(person.code for person in district_b_people),
        "P-9900002",
        *(person.surname for person in district_b_people),
        *(person.given_name for person in district_b_people),
        submission_b.instance_id,
        "Qovsarova",
        "Leylixanim",
        *CASUALTY_NAMES,
        *(person.code for person in casualties["casualty_people"]),
    }
    boundary.all_secrets = boundary.district_b_secrets | {
        household_a.code,
        *(person.code for person in household_a.members.all()),
        *(name for pair in A_NAMES.values() for name in pair),
        A_SUBMITTED[0],
        submission_a.instance_id,
    }
    return boundary
