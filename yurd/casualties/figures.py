"""Documented and estimated totals of the register, by stratum and in all: counts, never names.

The estimate is stepwise log-linear selection (p-value threshold 0.02) with a BCa
interval from 500 bootstrap resamples that repeat the selection, seeded so that a page
shows the same interval on every visit. Kept in EstimateRun until the capture
histories change (their fingerprint), because the bootstrap takes about a second per
stratum.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from yurd.casualties.capture import check_fields, histories, register_lists, tables_of
from yurd.casualties.models import EstimateRun
from yurd.estimation import CaptureTable, Estimate, NoEstimateError, estimate, estimate_strata

SETTINGS: dict[str, Any] = {
    "method": "stepwise",
    "pthresh": 0.02,
    "bootstrap": 500,
    "seed": 20,
    "interval": "bca",
    "level": 0.95,
}

KEEP_RUNS = 10

# The estimation package's caveats, worded for the pages (its own text is English only).
CAVEATS = {
    "minus_infinity": _("Some pairs of lists name nobody in common; the model treats them as never overlapping."),
    "interval_ignores_selection": _("The interval treats the chosen model as known."),
    "bootstrap_failures": _("Some resamples had no estimate and were left out of the interval."),
    "few_bootstrap_samples": _("Few bootstrap samples: the ends of the interval are rough."),
    "small_strata": _("Some strata name few people: their estimates, and so the total, are fragile."),
    "total_needs_bootstrap": _("The total's interval needs bootstrap samples."),
    "no_interval": _("Too few resamples had an estimate to give an interval."),
    "bca_unavailable": _("The BCa correction could not be computed; the percentile interval is given."),
    "whole_register": _(
        "A stratum has no estimate, so the total is estimated from the whole register at once, not summed."
    ),
}


def _row(label: str, result: Estimate | None, table: CaptureTable, refusal: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {"label": label, "documented": table.observed, "estimate": None, "interval": None}
    if result is not None:
        row.update(
            estimate=round(result.estimate, 1),
            interval=[round(bound, 1) for bound in result.interval] if result.interval else None,
            model=list(result.interactions),
            interval_method=result.interval_method,
            caveats=[caveat.code for caveat in result.caveats],
        )
    else:
        row["refusal"] = refusal
    return row


def _compute(tables: dict[str, CaptureTable], whole: CaptureTable) -> dict[str, Any]:
    strata: list[dict[str, Any]] = []
    total: dict[str, Any]
    try:
        result = estimate_strata(tables, **SETTINGS)
    except NoEstimateError:
        result = None
    if result is not None:
        strata = [_row(name, result.strata[name], tables[name]) for name in tables]
        total = _row("total", result, whole)
        total["kind"] = "sum"
    else:
        for name, table in tables.items():
            try:
                strata.append(_row(name, estimate(table, **SETTINGS), table))
            except NoEstimateError as refusal:
                strata.append(_row(name, None, table, str(refusal)))
        try:
            total = _row("total", estimate(whole, **SETTINGS), whole)
            total["caveats"] = [*total.get("caveats", []), "whole_register"]
        except NoEstimateError as refusal:
            total = _row("total", None, whole, str(refusal))
        total["kind"] = "whole"
    return {"strata": strata, "total": total}


def register_figures(stratify: Sequence[str] = ("wave",)) -> dict[str, Any]:
    """{"lists", "strata": [row], "total": row, "settings"} where a row holds label, documented,
    estimate, interval [low, high], model and caveat codes (or a refusal); {"lists": [...]} with
    no strata when fewer than two lists are linked."""
    check_fields(stratify)
    lists = register_lists()
    if len(lists) < 2:
        return {"lists": lists, "strata": [], "total": None, "settings": SETTINGS}
    found = histories()
    tables = tables_of(found, lists, stratify)
    whole = tables_of(found, lists, ())["all"]
    fingerprint = hashlib.sha256(
        json.dumps(
            [lists, list(stratify), SETTINGS, {name: table.counts.tolist() for name, table in tables.items()}]
        ).encode()
    ).hexdigest()
    run = EstimateRun.objects.filter(fingerprint=fingerprint).first()
    if run is None:
        run = EstimateRun.objects.create(
            fingerprint=fingerprint, stratify=",".join(stratify), result=_compute(tables, whole)
        )
        # Older runs describe histories that no longer exist; a few are kept for the pages being read.
        stale = EstimateRun.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)[KEEP_RUNS:]
        EstimateRun.objects.filter(pk__in=list(stale)).delete()
    return {"lists": lists, **run.result, "settings": SETTINGS}


def suppressed(figures: dict[str, Any], threshold: int) -> dict[str, Any]:
    """The figures for publication: a stratum (or a total) naming fewer than `threshold` people
    shows neither its count nor its estimate. The documented total minus the published strata
    would give a hidden stratum away, so a single hidden stratum hides the next smallest too."""

    def hide(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "documented": None, "estimate": None, "interval": None, "hidden": True}

    strata = list(figures.get("strata", []))
    small = [index for index, row in enumerate(strata) if 0 < row["documented"] < threshold]
    if len(small) == 1 and len(strata) > 1:
        others = sorted((row["documented"], index) for index, row in enumerate(strata) if index not in small)
        small.append(others[0][1])
    strata = [hide(row) if index in small else row for index, row in enumerate(strata)]
    total = figures.get("total")
    if total is not None and total["documented"] < threshold:
        total = hide(total)
    return {**figures, "strata": strata, "total": total}


def public_figures(threshold: int) -> dict[str, Any] | None:
    """The register's figures as the public statistics and the annual report show them, or None
    when fewer than two lists are linked (there is then nothing to estimate)."""
    figures = register_figures(("wave",))
    if not figures.get("total"):
        return None
    shown = suppressed(figures, threshold)
    caveats = []
    for row in [*shown["strata"], shown["total"]]:
        for code in row.get("caveats", []):
            if code in CAVEATS and str(CAVEATS[code]) not in caveats:
                caveats.append(str(CAVEATS[code]))
    return {**shown, "caveats": caveats, "threshold": threshold}


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    """What the page's Chart.js chart draws: documented and estimated per stratum, with the interval."""
    rows = [*figures.get("strata", []), *([figures["total"]] if figures.get("total") else [])]
    return {
        "labels": [str(_("Total")) if row["label"] == "total" else row["label"] for row in rows],
        "documented": [row["documented"] for row in rows],
        "estimated": [row["estimate"] for row in rows],
        "low": [row["interval"][0] if row.get("interval") else None for row in rows],
        "high": [row["interval"][1] if row.get("interval") else None for row in rows],
        "documented_label": str(_("Documented (named people)")),
        "estimated_label": str(_("Estimated total")),
    }
