"""How the registry finds places by name: the one switch point onto the gazetteer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yurd.places.selectors import PlaceResolver


def import_place_resolver() -> Callable[[str, str | None], Any]:
    """A caching resolver: (text, kind) -> Place, a list of candidates, or None."""
    resolvers: dict[str | None, PlaceResolver] = {}

    def resolve(text: str, kind: str | None) -> Any:
        if kind not in resolvers:
            resolvers[kind] = PlaceResolver(kind=kind)
        return resolvers[kind](text)

    return resolve
