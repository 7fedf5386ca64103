"""Demo claims: valuation table v1 and claims for about 40 % of the demo households, in every state.

Everything is synthetic. Claims go through the real services (so every file has its
history, events, decisions and letters); the assessment and review steps are signed by
two synthetic staff accounts, demo-claims-assessor and demo-claims-reviewer, which log in with
the published demo password like every demo user. Idempotent: households that already
have a claim are left alone, and the table is imported once.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction

from yurd.accounts.demo import demo_user
from yurd.accounts.models import User
from yurd.claims.errors import ClaimError
from yurd.claims.models import Claim, LossCategory, ValuationTable
from yurd.claims.services.assessment import claim_assess
from yurd.claims.services.decisions import claim_decide
from yurd.claims.services.filing import ClaimantShare, claim_create, loss_item_add
from yurd.claims.services.workflow import (
    claim_annul,
    claim_approve,
    claim_return,
    claim_submit,
    claim_verify_documents,
    claim_withdraw,
)
from yurd.claims.valuation import valuation_import_apply, valuation_import_stage
from yurd.core.actors import Actor, system_actor
from yurd.registry.models import Household, HouseholdRole

ORDER = 40
SHARE = 0.4

DEMO_TABLE = """record,category,region,year,unit,unit_value,currency,sequence,label,factor
rate,dwelling,,1988,m2,85,SUR,,,
rate,dwelling,,,m2,420,AZN,,,
rate,land,,1988,ha,1200,SUR,,,
rate,land,,,ha,6000,AZN,,,
rate,other_real_property,,,m2,180,AZN,,,
rate,livestock,,,head,900,AZN,,,
rate,movable_property,,,item,150,AZN,,,
rate,death,,,person,25000,AZN,,,
rate,injury,,,person,5000,AZN,,,
rate,income,,,month,250,AZN,,,
rate,departure,,,lump,2500,AZN,,,
index,,,1988,,,,1,SUR to AZN (1992 and 2006 redenominations),0.0002
index,,,1988,,,,2,Inflation 1988 to 2026 (synthetic),4350
"""

# Target state of each demo claim, with weights; withdrawn and annulled show that they never count.
STATES = [
    ("draft", 12),
    ("submitted", 8),
    ("documents_verified", 8),
    ("assessed", 14),
    ("approved", 8),
    ("returned", 5),
    ("decided", 35),
    ("withdrawn", 3),
    ("annulled", 2),
]
# Loss items, names and reasons are typed in Azerbaijani, as the community's registrars
# would type them; pages in every language show them as records.
VALUATION_TABLE_NAME = "Demo istinad qiymətləri (sintetik)"
ITEMS = [
    ("dwelling", "m2", (60, 220), "Ev {n}"),
    ("land", "ha", (1, 30), "Torpaq sahəsi {n}"),
    ("livestock", "head", (1, 25), "Sürü"),
    ("departure", "lump", (1, 1), "Köçmə"),
]


def _staff(username: str, codenames: list[str]) -> User:
    """A synthetic staff account that signs demo steps."""
    user = demo_user(username)
    if not user.first_name:
        user.first_name = "Synthetic"
        user.save(update_fields=["first_name"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="claims", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def _table() -> ValuationTable:
    existing = ValuationTable.objects.filter(name=VALUATION_TABLE_NAME).first()
    if existing is not None:
        return existing
    actor = system_actor()
    staged = valuation_import_stage(
        actor=actor,
        file=io.BytesIO(DEMO_TABLE.encode()),
        filename="demo-valuation-v1.csv",
        name=VALUATION_TABLE_NAME,
        currency="AZN",
    )
    return valuation_import_apply(actor=actor, staged=staged)


def load(*, households: int, stdout: Any) -> None:
    del households
    _table()
    assessor = _staff("demo-claims-assessor", ["assess_claim"])
    reviewer = _staff("demo-claims-reviewer", ["approve_claim", "decide_claim"])
    categories = {category.code: category for category in LossCategory.objects.all()}
    with_claims = Claim.objects.values("household_id")
    candidates = list(
        Household.objects.unscoped()  # demo data, made by the system
        .exclude(pk__in=with_claims)
        .filter(origin_place__isnull=False)
        .select_related("origin_place", "wave")
        .order_by("code")
    )
    # Chosen by the household's own code, so a second run picks no one new.
    chosen = [household for household in candidates if random.Random(household.code).random() < SHARE]  # noqa: S311
    generator = random.Random(40)  # noqa: S311 - synthetic data
    created = 0
    for household in chosen:
        members = list(household.members.filter(is_deceased=False).order_by("code"))
        if not members:
            continue
        adults = [m for m in members if m.household_role in (HouseholdRole.HEAD, HouseholdRole.SPOUSE)] or members[:1]
        state = generator.choices([s for s, _w in STATES], weights=[w for _s, w in STATES])[0]
        try:
            with transaction.atomic():
                _make_claim(
                    household,
                    adults=adults,
                    state=state,
                    categories=categories,
                    generator=generator,
                    assessor=assessor,
                    reviewer=reviewer,
                )
            created += 1
        except ClaimError as error:
            stdout.write(f"  claims demo: {household.code} skipped ({error.message})\n")
    stdout.write(f"Claims demo: valuation table v1 and {created} synthetic claims added.\n")


def _make_claim(
    household: Household,
    *,
    adults: list[Any],
    state: str,
    categories: dict[str, LossCategory],
    generator: random.Random,
    assessor: User,
    reviewer: User,
) -> None:
    system = system_actor()
    shares = [Fraction(1, len(adults))] * len(adults)
    claim, _secret = claim_create(
        actor=system,
        household=household,
        claimants=[ClaimantShare(person, share) for person, share in zip(adults, shares, strict=True)],
        remedy=generator.choice(["compensation", "compensation", "restitution", "undecided"]),
        language=generator.choice(["az", "az", "ru", "en"]),
        notes="Sintetik demo iddiası.",
    )
    year = 1988 if household.wave is None or household.wave.code == "1987-1991" else household.wave.year_to
    for code, unit, (low, high), reference in generator.sample(ITEMS, k=generator.randint(1, 3)):
        claim.refresh_from_db()
        loss_item_add(
            actor=system,
            claim=claim,
            expected_version=claim.version,
            category=categories[code],
            place=household.origin_place,
            reference=reference.format(n=generator.randint(1, 200)),
            quantity=Decimal(generator.randint(low, high))
            if unit != "ha"
            else Decimal(generator.randint(low, high)) / 10,
            unit=unit,
            price_year=year,
            period_start=str(year),
        )
    steps = {
        "submitted": lambda c: claim_submit(actor=system, claim=c, expected_version=c.version),
        "documents_verified": lambda c: claim_verify_documents(actor=system, claim=c, expected_version=c.version),
        "assessed": lambda c: claim_assess(actor=Actor(user=assessor), claim=c, expected_version=c.version),
        "approved": lambda c: claim_approve(actor=Actor(user=reviewer), claim=c, expected_version=c.version),
        "decided": lambda c: claim_decide(
            actor=Actor(user=reviewer), claim=c, expected_version=c.version, reason="Sintetik demo qərarı"
        ),
    }
    path = {
        "draft": [],
        "submitted": ["submitted"],
        "documents_verified": ["submitted", "documents_verified"],
        "assessed": ["submitted", "documents_verified", "assessed"],
        "approved": ["submitted", "documents_verified", "assessed", "approved"],
        "decided": ["submitted", "documents_verified", "assessed", "approved", "decided"],
        "returned": ["submitted"],
        "withdrawn": [],
        "annulled": ["submitted", "documents_verified", "assessed"],
    }[state]
    for step in path:
        claim.refresh_from_db()
        steps[step](claim)
    claim.refresh_from_db()
    if state == "returned":
        claim_return(
            actor=system, claim=claim, expected_version=claim.version, reason="Doğum şəhadətnaməsi çatışmır (demo)"
        )
    elif state == "withdrawn":
        claim_withdraw(
            actor=system, claim=claim, expected_version=claim.version, reason="Ailə iddianı geri götürdü (demo)"
        )
    elif state == "annulled":
        claim_annul(actor=system, claim=claim, expected_version=claim.version, reason="Başqa işin dublikatıdır (demo)")
