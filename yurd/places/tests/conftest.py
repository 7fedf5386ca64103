from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.places.demo import DATA_FILE
from yurd.places.importing import CSV_FORMAT
from yurd.places.services import place_file_read, place_rows_commit

DATA = Path(__file__).resolve().parent / "data"


def load_csv(path: Path) -> None:
    parsed, valid = place_file_read(data=path.read_bytes(), file_format=CSV_FORMAT)
    assert not parsed.errors, parsed.errors
    place_rows_commit(actor=system_actor(), rows=valid)


@pytest.fixture
def sample_places(db: None) -> None:
    """The small synthetic CSV of tests/data: Synthetica > Dagliq > Gulustan > two villages."""
    load_csv(DATA / "good_places.csv")


@pytest.fixture
def demo_places(db: None) -> None:
    """The synthetic demo gazetteer the application ships."""
    load_csv(DATA_FILE)


def login_verified(client: Client, user: User) -> Client:
    """Log in past the two-factor gate that privileged roles meet."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
