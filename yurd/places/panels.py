"""Sections that apps above places add to the place page.

The gazetteer knows nothing of households; the registry registers a panel (households
originating here) from its AppConfig.ready(), and the place page renders every panel
in the order registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yurd.core.http import AuthenticatedHttpRequest
from yurd.places.models import Place


@dataclass(frozen=True)
class PlacePanel:
    template: str  # included with `panel` set to the context below
    context: dict[str, Any]


PanelProvider = Callable[[AuthenticatedHttpRequest, Place], PlacePanel | None]
_PROVIDERS: list[PanelProvider] = []


def register_place_panel(provider: PanelProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def place_panels(request: AuthenticatedHttpRequest, place: Place) -> list[PlacePanel]:
    panels = (provider(request, place) for provider in _PROVIDERS)
    return [panel for panel in panels if panel is not None]
