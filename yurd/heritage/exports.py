"""Site exports: GeoJSON (RFC 7946), KML, CSV with stable URLs, Linked Art (CIDOC CRM) JSON-LD."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from yurd.core.csvsafe import neutralise_row
from yurd.heritage.selectors import Dossier, SiteRow

CSV_COLUMNS = [
    "code",
    "name",
    "type",
    "settlement",
    "settlement_code",
    "longitude",
    "latitude",
    "geometry_type",
    "period",
    "condition",
    "condition_sources",
    "conflicting_observations",
    "url",
]


def geojson(rows: list[SiteRow], url_for: Callable[[Any], str]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row.site.code,
                "geometry": row.site.geometry,
                "properties": {
                    "code": row.site.code,
                    "name": row.site.name,
                    "type": row.site.site_type.code,
                    "settlement": row.site.settlement.name,
                    "settlement_code": row.site.settlement.code,
                    "period": row.site.period,
                    "condition": row.condition.state,
                    "condition_sources": [fact.code for fact in row.condition.sources],
                    "conflicting_observations": [fact.code for fact in row.condition.conflicts],
                    "url": url_for(row.site),
                },
            }
            for row in rows
        ],
    }


def csv_text(rows: list[SiteRow], url_for: Callable[[Any], str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        site = row.site
        cells = [
            site.code,
            site.name,
            site.site_type.code,
            site.settlement.name,
            site.settlement.code,
            f"{site.longitude:.6f}",
            f"{site.latitude:.6f}",
            site.geometry["type"],
            site.period,
            row.condition.state,
            " ".join(fact.code for fact in row.condition.sources),
            " ".join(fact.code for fact in row.condition.conflicts),
            url_for(site),
        ]
        writer.writerow(neutralise_row(cells))  # names and periods are typed by people
    return buffer.getvalue()


def _kml_geometry(geometry: dict[str, Any]) -> str:
    if geometry["type"] == "Point":
        longitude, latitude = geometry["coordinates"][:2]
        return f"<Point><coordinates>{longitude},{latitude}</coordinates></Point>"
    rings = []
    for index, ring in enumerate(geometry["coordinates"]):
        coordinates = " ".join(f"{longitude},{latitude}" for longitude, latitude, *_rest in ring)
        tag = "outerBoundaryIs" if index == 0 else "innerBoundaryIs"
        rings.append(f"<{tag}><LinearRing><coordinates>{coordinates}</coordinates></LinearRing></{tag}>")
    return f"<Polygon>{''.join(rings)}</Polygon>"


def kml(rows: list[SiteRow], url_for: Callable[[Any], str], *, title: str) -> str:
    placemarks = []
    for row in rows:
        site = row.site
        data = "".join(
            f'<Data name="{name}"><value>{escape(str(value))}</value></Data>'
            for name, value in (
                ("code", site.code),
                ("type", site.site_type.code),
                ("settlement", site.settlement.name),
                ("condition", row.condition.state),
                ("url", url_for(site)),
            )
        )
        placemarks.append(
            f"<Placemark id={_quote(site.code)}><name>{escape(site.name)}</name>"
            f"<description>{escape(site.description)}</description>"
            f"<ExtendedData>{data}</ExtendedData>{_kml_geometry(site.geometry)}</Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{escape(title)}</name>{''.join(placemarks)}</Document></kml>\n"
    )


def _quote(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def linked_art(dossier: Dossier, *, site_url: str, evidence_url: Callable[[Any], str]) -> dict[str, Any]:
    """A site as a Linked Art / CIDOC CRM Place (E53) with its names, type and condition assessments."""
    site = dossier.site
    identified_by: list[dict[str, Any]] = [
        {"type": "Name", "content": site.name, "classified_as": [_aat("300404670", "preferred terms")]},
        {"type": "Identifier", "content": site.code},
    ]
    identified_by += [
        {"type": "Name", "content": name.text, "language": [{"type": "Language", "_label": name.language}]}
        for name in site.names.all()
    ]
    assessments = []
    for view in dossier.published:
        observation = view.observation
        when = observation.when_key
        assessments.append(
            {
                "id": f"{site_url}#{observation.code}",
                "type": "AttributeAssignment",
                "_label": f"{observation.code}: {observation.physical_state}",
                "classified_as": [_aat("300379505", "condition reports")],
                "assigned_property": "P44_has_condition",
                "assigned": {
                    "type": "Condition",
                    "_label": observation.physical_state,
                    "certainty": observation.certainty,
                },
                "timespan": {"type": "TimeSpan", "_label": when},
                "technique": [{"type": "Type", "_label": observation.method}],
                "used_specific_object": [
                    {
                        "id": evidence_url(link.item),
                        "type": "DigitalObject",
                        "_label": link.relation,
                        "identified_by": [{"type": "Identifier", "content": f"sha256:{link.item.sha256}"}],
                    }
                    for link in [*view.supporting, *view.contradicting]
                ],
            }
        )
    return {
        "@context": "https://linked.art/ns/v1/linked-art.json",
        "id": site_url,
        "type": "Place",
        "_label": site.name,
        "identified_by": identified_by,
        "classified_as": [{"type": "Type", "_label": site.site_type.name_en}],
        # Linked Art gives a place's geometry as WKT (longitude latitude), GeoJSON alongside.
        "defined_by": wkt(site.geometry),
        "geojson": site.geometry,
        "part_of": [{"type": "Place", "_label": site.settlement.name, "id": f"urn:yurd:place:{site.settlement.code}"}],
        "referred_to_by": [{"type": "LinguisticObject", "content": site.description}] if site.description else [],
        "assigned_by": assessments,
        "current_condition": dossier.condition.state,
    }


def wkt(geometry: dict[str, Any]) -> str:
    if geometry["type"] == "Point":
        longitude, latitude = geometry["coordinates"][:2]
        return f"POINT ({longitude} {latitude})"
    rings = ", ".join(
        "(" + ", ".join(f"{position[0]} {position[1]}" for position in ring) + ")" for ring in geometry["coordinates"]
    )
    return f"POLYGON ({rings})"


def _aat(number: str, label: str) -> dict[str, str]:
    return {"id": f"http://vocab.getty.edu/aat/{number}", "type": "Type", "_label": label}
