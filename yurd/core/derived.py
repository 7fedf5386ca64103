"""Stored keys derived by yurd.names, recomputed by `yurd migrate` when its rules changed.

Search keys (places, people's name tokens) and alphabetical sort keys are computed on save
and by the bulk writer. When the folding or the alphabetical order changes in a release, the
rows written before no longer agree with what the new code computes: a search for a name
misses the people indexed the old way, and lists sort in the old order. After every
`yurd migrate` that leaves the database fully migrated, each kind of key whose stored
fingerprint (yurd.core.models.DerivedKeys) differs from the running rules' is recomputed,
and the new fingerprint stored: the upgrade needs no step of its own. `yurd registry
reindex` and `yurd places reindex` still do it by hand.

Sort keys (every SortKeyField of every model) are found here; apps register their search
keys with `register_key_refresher` in their AppConfig.ready (core imports no app). Import
this module only once the app registry is ready (it imports models).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model
from django.utils import timezone

from yurd.core.fields import SortKeyField
from yurd.core.models import DerivedKeys
from yurd.names.fingerprint import rules_fingerprint

logger = logging.getLogger(__name__)

SORT_KEYS = "sort keys"
_REFRESHERS: dict[str, Callable[[], int]] = {}


def register_key_refresher(name: str, refresh: Callable[[], int]) -> None:
    """`refresh()` recomputes one kind of stored key and returns how many rows changed."""
    _REFRESHERS[name] = refresh


def refresh_sort_keys(model: type[Model], *, batch_size: int = 2000) -> int:
    """Recompute `model`'s SortKeyFields from their source columns; rows changed."""
    fields = [field for field in model._meta.concrete_fields if isinstance(field, SortKeyField)]
    if not fields:
        return 0
    columns = {"pk", *(field.attname for field in fields), *(source for field in fields for source in field.sources)}
    changed = 0
    pending: list[Model] = []
    names = [field.attname for field in fields]
    # Every row, whatever the model's default manager hides: the keys are the system's upkeep.
    with transaction.atomic():
        for row in model._base_manager.only(*columns).order_by("pk").iterator(chunk_size=batch_size):
            stale = False
            for field in fields:
                key = field.key_of(*(getattr(row, source) for source in field.sources))
                if key != getattr(row, field.attname):
                    setattr(row, field.attname, key)
                    stale = True
            if stale:
                pending.append(row)
            if len(pending) >= batch_size:
                model._base_manager.bulk_update(pending, names)
                changed += len(pending)
                pending = []
        if pending:
            model._base_manager.bulk_update(pending, names)
            changed += len(pending)
    return changed


def _refresh_all_sort_keys() -> int:
    return sum(refresh_sort_keys(model) for model in apps.get_models())


def refreshers() -> dict[str, Callable[[], int]]:
    return {SORT_KEYS: _refresh_all_sort_keys, **_REFRESHERS}


def refresh_stale_keys() -> dict[str, int]:
    """Recompute every kind of key computed with other rules than the running code's.

    Returns {kind: rows changed} for the kinds recomputed (empty when all were current).
    """
    fingerprint = rules_fingerprint()
    stored = dict(DerivedKeys.objects.values_list("name", "fingerprint"))
    done: dict[str, int] = {}
    for name, refresh in refreshers().items():
        if stored.get(name) == fingerprint:
            continue
        changed = refresh()
        DerivedKeys.objects.update_or_create(
            name=name, defaults={"fingerprint": fingerprint, "refreshed_at": timezone.now(), "rows_changed": changed}
        )
        done[name] = changed
        if changed:
            logger.info("Recomputed %s: %d rows changed (rules %s).", name, changed, fingerprint)
    return done


def _fully_migrated(using: str) -> bool:
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def refresh_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, plan: Any = None, **kwargs: Any) -> None:
    """post_migrate: once per `migrate` (core's signal), and only when nothing is left to apply.

    `flush` sends the signal without a plan: it empties the tables, so there is nothing to do;
    a migrate to an older state leaves columns the refreshers read missing.
    """
    if getattr(sender, "label", None) != "core" or plan is None or not _fully_migrated(using):
        return
    done = refresh_stale_keys()
    stdout = kwargs.get("stdout") or sys.stdout
    for name, changed in done.items():
        if changed and kwargs.get("verbosity", 1):
            stdout.write(f"  Recomputed {name}: {changed} rows (the name rules changed).\n")
