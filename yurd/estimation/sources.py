"""Where `yurd estimate --register` finds its capture tables.

The register of deaths and injuries, a higher layer, registers a source here when it
loads (in its AppConfig.ready), so this package and the command need not know it.
A source takes the fields to stratify by (such as `wave`, `district`) and returns one
capture table per stratum, keyed by the stratum's label; with no fields, one table
keyed "all".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from yurd.estimation.tables import CaptureTable

CaptureSource = Callable[[Sequence[str]], Mapping[str, CaptureTable]]

_sources: dict[str, CaptureSource] = {}


def register_source(name: str, source: CaptureSource) -> None:
    _sources[name] = source


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def registered_source(name: str = "register") -> CaptureSource | None:
    return _sources.get(name)
