"""Static files for production: hashed, compressed, served by WhiteNoise.

Vendored libraries (Leaflet, Chart.js) end with a `sourceMappingURL` comment for a
source map that is not shipped; Django's manifest storage would fail collectstatic on
it. This storage rewrites CSS urls and imports as usual but leaves source-map
comments alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    kept = []
    for extension, all_rules in patterns:
        rules = tuple(
            rule for rule in all_rules if "sourceMappingURL" not in (rule[0] if isinstance(rule, tuple) else rule)
        )
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)


class HashedStaticFilesStorage(StaticFilesStorage):
    """The same names without the compressed copies: a quicker collectstatic (YURD_STATIC_COMPRESS=false)."""

    def post_process(self, *args: Any, **kwargs: Any) -> Any:
        # Skip WhiteNoise's compression step, keep the manifest's hashing.
        yield from ManifestStaticFilesStorage.post_process(self, *args, **kwargs)
