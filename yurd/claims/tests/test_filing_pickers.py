"""Filing without typing codes: the household found by code or a member's name within the user's
scope, claimants ticked from its members or from the heirs the registry derives, documents found
in the vault by title, the settlement prefilled from the household's origin."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from yurd.accounts.models import User
from yurd.claims.models import Claim, EvidenceReference
from yurd.claims.tests.conftest import World, login, make_child, new_claim
from yurd.evidence.models import Sensitivity
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.registry.models import HeirLine, Person
from yurd.registry.search_index import reindex_person

CREATE = "claims:claim_create"


def _page(client: Client, name: str, query: str = "", args: list[str] | None = None) -> str:
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_household_is_found_by_a_members_name_or_its_code_within_the_scope(world: World, registrar: User) -> None:
    for person in Person.objects.unscoped():
        reindex_person(person)  # the test world is made without the services that index names
    client = login(Client(), registrar)
    choose_a = f"?household={world.household_a.code}"
    choose_b = f"?household={world.household_b.code}"
    # Both households are Məmmədovs; the registrar's scope holds only household A (district A).
    by_name = _page(client, CREATE, "?find=Məmmədov")
    assert choose_a in by_name and choose_b not in by_name
    by_latin_name = _page(client, CREATE, "?find=Mammadov")
    assert choose_a in by_latin_name
    assert choose_a in _page(client, CREATE, f"?find={world.household_a.code.lower()}")
    assert choose_b not in _page(client, CREATE, f"?find={world.household_b.code}")
    # A household outside the scope cannot be chosen by its address either: back to the search.
    outside = _page(client, CREATE, choose_b)
    assert 'name="find"' in outside and world.head_b.code not in outside


def test_a_household_claim_offers_its_living_members_and_splits_equally(world: World, registrar: User) -> None:
    client = login(Client(), registrar)
    page = _page(client, CREATE, f"?household={world.household_a.code}")
    assert f'value="{world.head_a.code}"' in page and f'value="{world.spouse_a.code}"' in page
    assert f'value="{world.grandfather_a.code}"' not in page  # deceased: their heirs claim
    response = client.post(
        reverse(CREATE),
        {
            "household": world.household_a.code,
            "heir_line": "",
            "remedy": "compensation",
            "language": "az",
            "claimants": [world.head_a.code, world.spouse_a.code],
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(household=world.household_a)
    shares = {c.person.code: c.share for c in claim.claimants.select_related("person")}
    assert shares == {world.head_a.code: Fraction(1, 2), world.spouse_a.code: Fraction(1, 2)}


def test_a_share_left_out_among_others_given_is_refused_naming_the_person(world: World, registrar: User) -> None:
    client = login(Client(), registrar)
    response = client.post(
        reverse(CREATE),
        {
            "household": world.household_a.code,
            "remedy": "compensation",
            "language": "az",
            "claimants": [world.head_a.code, world.spouse_a.code],
            f"share_{world.head_a.code}": "1/2",
        },
    )
    assert response.status_code == 200 and not Claim.objects.exists()
    errors = response.context["picker"].errors
    assert world.spouse_a.code in errors[f"share_{world.spouse_a.code}"][0]


def test_heirs_file_through_a_line_of_the_household_with_the_derived_heirs_and_shares(
    world: World, administrator: User
) -> None:
    daughter = make_child(world.grandfather_a, world.household_b, "Leyla")
    son = make_child(world.grandfather_a, world.household_a, "Kamal", deceased=True)
    grandson = make_child(son, world.household_a, "Tural")
    granddaughter = make_child(son, world.household_b, "Nigar")
    line = HeirLine.objects.create(code="HL-T00021", ancestor=world.grandfather_a)
    client = login(Client(), administrator)
    household_page = _page(client, CREATE, f"?household={world.household_b.code}")
    chosen = f"?household={world.household_b.code}&amp;heir_line={line.code}"
    assert chosen in household_page  # the grandfather's line: Leyla and Nigar descend from him
    page = _page(client, CREATE, chosen.replace("&amp;", "&"))
    for heir in (daughter, grandson, granddaughter):
        assert f'value="{heir.code}"' in page
    assert f'value="{world.head_b.code}"' not in page  # not an heir
    assert f'name="share_{daughter.code}" value="1/2"' in page
    response = client.post(
        reverse(CREATE),
        {
            "household": world.household_b.code,
            "heir_line": line.code,
            "remedy": "compensation",
            "language": "ru",
            "claimants": [daughter.code, grandson.code, granddaughter.code],
            f"share_{daughter.code}": "1/2",
            f"share_{grandson.code}": "1/4",
            f"share_{granddaughter.code}": "1/4",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(heir_line=line)
    assert claim.share_override_reason == "" and claim.claimants.count() == 3


def test_documents_are_found_in_the_vault_by_title_and_ticked(world: World, registrar: User) -> None:
    deed = ingest_bytes(b"deed of house 12 (synthetic)", name="deed.pdf", title_en="Title deed of house 12")
    plan = ingest_bytes(b"plan of house 12 (synthetic)", name="plan.pdf", title_az="Evin planı 12")
    secret = ingest_bytes(
        b"medical note (synthetic)", name="note.pdf", sensitivity=Sensitivity.RESTRICTED, title_en="House 12 note"
    )
    claim = new_claim(world, items=[])
    client = login(Client(), registrar)
    url = reverse("claims:loss_item_create", args=[claim.case_number])
    found = _page(client, "claims:loss_item_create", "?vault_q=house 12", args=[claim.case_number])
    assert f'value="{deed.public_code}"' in found and str(secret.public_code) not in found
    # Without script: "Search the vault" posts the form back as typed, with the documents found.
    typed = {
        "version": claim.version,
        "category": "dwelling",
        "place": world.gazetteer.settlement_a1.code,
        "reference": "House 12, Lenin street",
        "quantity": "120",
        "unit": "m2",
        "price_year": "1988",
    }
    searched = client.post(url, {**typed, "vault_q": "planı", "action": "find"}).content.decode()
    assert f'value="{plan.public_code}"' in searched and 'value="House 12, Lenin street"' in searched
    assert not claim.loss_items.exists()
    refused = client.post(url, {**typed, "vault_item": [str(secret.public_code)]})
    assert refused.status_code == 200 and not claim.loss_items.exists()
    saved = client.post(url, {**typed, "vault_item": [str(deed.public_code)], "evidence": "Evin planı 12"})
    assert saved.status_code == 302
    references = set(EvidenceReference.objects.filter(loss_item__claim=claim).values_list("reference", flat=True))
    assert references == {deed.sha256, plan.sha256}


def test_the_settlement_is_prefilled_from_the_households_origin(world: World, registrar: User) -> None:
    claim = new_claim(world, items=[])
    client = login(Client(), registrar)
    response = client.get(reverse("claims:loss_item_create", args=[claim.case_number]))
    origin = world.household_a.origin_place
    assert origin is not None
    assert response.context["form"]["place"].value() == origin.code


@pytest.mark.parametrize("language", ["az", "ru"])
def test_the_filing_pages_speak_the_readers_language(world: World, registrar: User, language: str) -> None:
    for person in Person.objects.unscoped():
        reindex_person(person)
    client = login(Client(), registrar)
    client.cookies["django_language"] = language
    pages = {
        "?find=Məmmədov": ["First find the displaced household that files the claim.", "Find"],
        f"?household={world.household_a.code}": [
            "Tick the members who claim. Leave the shares empty for equal shares.",
            "Claimants and shares",
            "the household itself",
        ],
    }
    for query, texts in pages.items():
        page = _page(client, CREATE, query)
        for text in texts:
            with translation.override(language):
                translated = gettext(text)
            assert translated != text and translated in page and f">{text}<" not in page, text
