"""Field collection helpers: device users in teams, and submissions built from the form itself."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.actors import Actor, system_actor
from yurd.fieldwork.definition import xform_xml
from yurd.fieldwork.models import Assignment, Team
from yurd.fieldwork.services import device_password_set
from yurd.registry.models import Household, Wave
from yurd.registry.services import household_register
from yurd.testing.personas import Gazetteer, make_scoped_user

XF = "{http://www.w3.org/2002/xforms}"
JR_TEMPLATE = "{http://openrosa.org/javarosa}template"


# The password a device user types into ODK Collect; never the account's (PERSONA_PASSWORD).
DEVICE_PASSWORD = "tablet-north-2025"


def give_device_password(user: User, password: str = DEVICE_PASSWORD) -> User:
    device_password_set(actor=Actor(user=None), user=user, password=password)
    return user


def basic(username: str, password: str = DEVICE_PASSWORD) -> dict[str, Any]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "secure": True}


def instance_template() -> ET.Element:
    """The primary instance of the published XForm, as a client starts from it."""
    root = ET.fromstring(xform_xml())  # noqa: S314 - our own document
    instance = root.find(f".//{XF}model/{XF}instance")
    assert instance is not None
    return copy.deepcopy(next(iter(instance)))


def build_submission(
    *, survey_kind: str = "register", members: Sequence[Mapping[str, str]] = (), instance_id: str = "", **fields: str
) -> bytes:
    data = instance_template()
    ns = XF

    def set_text(path: str, value: str) -> None:
        element = data.find("/".join(ns + part for part in path.split("/")))
        assert element is not None, path
        element.text = value

    set_text("survey_kind", survey_kind)
    set_text("today", dt.date(2025, 6, 1).isoformat())
    for path, value in fields.items():
        set_text(path.replace("__", "/"), value)
    household = data.find(f"{ns}household")
    assert household is not None
    templates = list(household.findall(f"{ns}member"))
    blank = next(member for member in templates if JR_TEMPLATE not in member.attrib)
    for member in templates:
        household.remove(member)
    for values in members:
        member = copy.deepcopy(blank)
        for key, value in values.items():
            field = member.find(f"{ns}{key}")
            assert field is not None, key
            field.text = value
        household.append(member)
    set_text("meta/instanceID", instance_id or f"uuid:{uuid.uuid4()}")
    return ET.tostring(data, encoding="utf-8", xml_declaration=True)


def register_household(origin: Any, surname: str, given_name: str, birth_date: str = "") -> Household:
    return household_register(
        actor=system_actor(),
        household={
            "origin_place": origin,
            "current_place": None,
            "wave": Wave.objects.get(code="1987-1991"),
            "displacement_date": "11.1988",
        },
        members=[{"surname": surname, "given_name": given_name, "birth_date": birth_date, "household_role": "head"}],
        consent=None,
    )


@pytest.fixture
def teams(gazetteer: Gazetteer) -> dict[str, Any]:
    """Team North (collector Nigar) and team South (collector Samir), each with one household."""
    north_user = give_device_password(make_scoped_user("collector-nigar", Role.REGISTRAR, gazetteer.region))
    south_user = give_device_password(make_scoped_user("collector-samir", Role.REGISTRAR, gazetteer.region))
    north, south = Team.objects.create(name="North"), Team.objects.create(name="South")
    north.members.add(north_user)
    south.members.add(south_user)
    north_household = register_household(gazetteer.settlement_a1, "Məmmədov", "Əli", "12.03.1951")
    south_household = register_household(gazetteer.settlement_b1, "Quliyev", "Vüqar", "1960")
    Assignment.objects.create(team=north, household=north_household)
    Assignment.objects.create(team=south, household=south_household)
    return {
        "north_user": north_user,
        "south_user": south_user,
        "north_household": north_household,
        "south_household": south_household,
    }
