"""Maps: the offline base map is the default, conditions differ by colour and by shape, and
every map page carries a legend."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

from yurd.core.csp import policy
from yurd.heritage.condition import COLOURS, SHAPES

REGION = Path(settings.BASE_DIR) / "static" / "maps" / "region.geojson"


def test_the_shipped_base_map_is_small_and_has_every_layer() -> None:
    data = json.loads(REGION.read_text(encoding="utf-8"))

    assert REGION.stat().st_size < 200_000
    layers = {feature["properties"]["layer"] for feature in data["features"]}
    assert layers == {"country", "province", "lake", "river", "town"}
    countries = {f["properties"]["code"] for f in data["features"] if f["properties"]["layer"] == "country"}
    assert {"AM", "AZ", "GE", "TR", "IR"} <= countries
    lakes = {f["properties"]["name"] for f in data["features"] if f["properties"]["layer"] == "lake"}
    assert "Lake Sevan" in lakes
    towns = [f["properties"] for f in data["features"] if f["properties"]["layer"] == "town"]
    assert {"layer": "town", "az": "Gəncə", "ru": "Гянджа", "en": "Ganja", "rank": 2} in towns
    assert "Natural Earth" in data["attribution"]


def test_without_a_tile_server_the_map_script_names_only_the_local_base_map() -> None:
    html = Template("{% load yurd_maps %}{% yurd_map_script %}").render(Context())

    assert 'data-tiles=""' in html
    assert "/static/maps/region.geojson" in html
    assert not re.search(r"https?://", html)
    assert "img-src 'self' data: blob:;" in policy("n")  # no tile server allowed either


@override_settings(YURD_MAP_TILES="https://tiles.example.org/{z}/{x}/{y}.png")
def test_a_tile_server_is_named_to_the_script_and_allowed_by_the_policy() -> None:
    html = Template("{% load yurd_maps %}{% yurd_map_script %}").render(Context())

    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "https://tiles.example.org" in policy("n")


def test_conditions_have_colour_blind_safe_colours_and_distinct_shapes() -> None:
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}

    assert set(COLOURS) == set(SHAPES)
    assert len(set(SHAPES.values())) == len(SHAPES)  # no two conditions share a shape
    assert len(set(COLOURS.values())) == len(COLOURS)
    assert {colour for state, colour in COLOURS.items() if state != "unknown"} <= okabe_ito


@pytest.mark.django_db
def test_the_public_catalogue_map_has_a_legend_with_each_condition_shape(client) -> None:
    page = client.get("/heritage/catalogue/").content.decode()

    legend = page[page.index('<ul class="map-legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert set(re.findall(r'data-shape="([a-z-]+)"', legend)) == set(SHAPES.values())
    assert "State border" in legend
    assert "openstreetmap" not in page
