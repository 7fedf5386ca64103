from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import bagit
import pytest
from django.core.management import call_command
from django.test import Client

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.models import AccessLogEntry
from yurd.evidence.tests.conftest import ingest_bytes
from yurd.heritage.models import Site
from yurd.heritage.services import observation_record
from yurd.heritage.tests.conftest import make_site
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db

POLYGON = {"type": "Polygon", "coordinates": [[[45.1, 40.1], [45.2, 40.1], [45.2, 40.2], [45.1, 40.2], [45.1, 40.1]]]}


@pytest.fixture
def two_sites(heritage_researcher: User, gazetteer: Gazetteer) -> list[Site]:
    point_site = make_site(heritage_researcher, gazetteer, name="Juma Mosque")
    polygon_site = make_site(heritage_researcher, gazetteer, name="Old cemetery", geometry=POLYGON)
    return [point_site, polygon_site]


def test_geojson_export_is_valid_rfc7946_with_longitude_first(
    client: Client, analyst: User, two_sites: list[Site]
) -> None:
    client.force_login(analyst)
    response = client.get("/heritage/export/sites.geojson?purpose=map+for+a+report")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    point = next(feature for feature in data["features"] if feature["id"] == two_sites[0].code)
    assert point["geometry"] == {"type": "Point", "coordinates": [45.1234, 40.5678]}
    for feature in data["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["properties"]["url"].startswith("http://testserver/heritage/sites/")
    assert AccessLogEntry.objects.filter(
        action="export", target_type="heritage.site", purpose="map for a report"
    ).exists()


def _ogrinfo(path: Path) -> str:
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin) is not installed")
    result = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr
    return result.stdout


@pytest.mark.parametrize("suffix", ["geojson", "kml"])
def test_exports_open_in_gdal(
    client: Client, analyst: User, two_sites: list[Site], tmp_path: Path, suffix: str
) -> None:
    client.force_login(analyst)
    path = tmp_path / f"sites.{suffix}"
    path.write_bytes(client.get(f"/heritage/export/sites.{suffix}").content)
    assert "Feature Count: 2" in _ogrinfo(path)


def test_csv_export_has_stable_urls(client: Client, analyst: User, two_sites: list[Site]) -> None:
    client.force_login(analyst)
    lines = client.get("/heritage/export/sites.csv").content.decode().splitlines()
    assert lines[0].startswith("code,name,type")
    assert f"http://testserver/heritage/sites/{two_sites[0].code}/" in lines[1]


def test_outsider_cannot_export(client: Client, outsider: User, two_sites: list[Site]) -> None:
    client.force_login(outsider)
    assert client.get("/heritage/export/sites.geojson").status_code == 403


def test_linked_art_for_an_analyst_never_names_restricted_evidence(
    client: Client, analyst: User, heritage_researcher: User, two_sites: list[Site]
) -> None:
    restricted = ingest_bytes(b"restricted testimony, synthetic", name="t.txt", sensitivity="restricted")
    internal = ingest_bytes(b"internal scan, synthetic", name="s.txt", sensitivity="internal")
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=two_sites[0],
        physical_state="slightly_damaged",
        certainty="high",
        method="testimony",
        observed_on="2020",
        supporting=[restricted, internal],
    )
    client.force_login(analyst)
    text = client.get(f"/heritage/sites/{two_sites[0].code}/linked-art.jsonld").content.decode()
    data = json.loads(text)
    assert data["type"] == "Place"
    assert internal.sha256 in text
    assert restricted.sha256 not in text
    client.force_login(heritage_researcher)
    assert restricted.sha256 in client.get(f"/heritage/sites/{two_sites[0].code}/linked-art.jsonld").content.decode()


def test_site_bag_holds_the_evidence_of_its_observations(
    heritage_researcher: User, two_sites: list[Site], tmp_path: Path
) -> None:
    photo = ingest_bytes(b"synthetic scene of the site", name="scene.tif")
    unrelated = ingest_bytes(b"another site's scene", name="other.tif")
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=two_sites[0],
        physical_state="slightly_damaged",
        certainty="high",
        method="satellite",
        observed_on="2021",
        supporting=[photo],
    )
    output = tmp_path / "bag"
    call_command("evidence", "bag", "--output", str(output), "--site", two_sites[0].code, stdout=io.StringIO())
    bagit.Bag(str(output)).validate()
    items = {path.name for path in (output / "data" / "items").iterdir()}
    assert items == {photo.sha256}
    assert unrelated.sha256 not in items
