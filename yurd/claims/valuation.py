"""Valuation tables: staged import from CSV/XLSX, rate look-up, and valuing a loss item.

File format (one sheet or CSV, header row, one record per row):

    record,category,region,year,unit,unit_value,currency,sequence,label,factor
    rate,dwelling,TST-R1,1988,m2,85,SUR,,,
    index,,,1988,,,,1,SUR→AZN (1992 and 2006 redenominations),0.0002
    index,,,,,,,2,Inflation to 2026,1.5

`record` is "rate" or "index". A rate's region is a place code (any level; empty =
everywhere) and its year may be empty (any year). Indices apply in `sequence`
order to values priced in `year` (empty = every year).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yurd.claims.domain.valuation import IndexStep, Valuation, value_loss
from yurd.claims.errors import ClaimError
from yurd.claims.models import (
    ConversionIndex,
    ImportStatus,
    LossCategory,
    LossItem,
    Unit,
    ValuationImport,
    ValuationRate,
    ValuationTable,
    ValuationTableStatus,
)
from yurd.core.actors import Actor
from yurd.core.permissions import require
from yurd.core.uploads import check_zip
from yurd.places.models import Place

COLUMNS = ["record", "category", "region", "year", "unit", "unit_value", "currency", "sequence", "label", "factor"]
MAX_IMPORT_ROWS = 50_000


def read_rows(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, optional BOM) or XLSX file as dicts of text."""
    if filename.lower().endswith(".xlsx"):
        check_zip(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # One row past the limit is enough to refuse the file; never read a huge sheet whole.
        rows = itertools.islice(sheet.iter_rows(values_only=True), MAX_IMPORT_ROWS + 2)
        values = [["" if cell is None else str(cell) for cell in row] for row in rows]
        workbook.close()
    else:
        text = content.decode("utf-8-sig")
        values = [list(row) for row in itertools.islice(csv.reader(io.StringIO(text)), MAX_IMPORT_ROWS + 2)]
    if not values:
        return []
    header = [column.strip().lower() for column in values[0]]
    return [
        {column: (row[index].strip() if index < len(row) else "") for index, column in enumerate(header)}
        for row in values[1:]
        if any(cell.strip() for cell in row)
    ]


def _decimal(text: str) -> Decimal:
    value = Decimal(text.replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation
    return value


def _year(row: dict[str, str], problems: list[str]) -> int | None:
    text = row.get("year", "")
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        problems.append(_("year %(value)s is not a year") % {"value": text})
        return None


def _check_rate(row: dict[str, str], problems: list[str], known: dict[str, set[str]]) -> dict[str, Any]:
    category = row.get("category", "")
    if category not in known["categories"]:
        problems.append(_("unknown category %(value)s") % {"value": category})
    region = row.get("region", "")
    if region and region not in known["regions"]:
        problems.append(_("unknown place code %(value)s") % {"value": region})
    unit = row.get("unit", "")
    if unit not in known["units"]:
        problems.append(_("unknown unit %(value)s") % {"value": unit})
    unit_value = Decimal(0)
    try:
        unit_value = _decimal(row.get("unit_value", ""))
    except InvalidOperation:
        problems.append(_("unit value %(value)s is not a number") % {"value": row.get("unit_value", "")})
    if unit_value < 0:
        problems.append(_("the unit value is negative"))
    currency = row.get("currency", "").upper()
    if len(currency) != 3 or not currency.isalpha():
        problems.append(_("the currency must be a three-letter code"))
    return {
        "record": "rate",
        "category": category,
        "region": region,
        "year": _year(row, problems),
        "unit": unit,
        "unit_value": str(unit_value),
        "currency": currency,
    }


def _check_index(row: dict[str, str], problems: list[str]) -> dict[str, Any]:
    factor = Decimal(0)
    try:
        factor = _decimal(row.get("factor", ""))
    except InvalidOperation:
        problems.append(_("factor %(value)s is not a number") % {"value": row.get("factor", "")})
    if factor <= 0:
        problems.append(_("the factor must be positive"))
    sequence = 0
    try:
        sequence = int(row.get("sequence", "") or "0")
    except ValueError:
        problems.append(_("sequence %(value)s is not a whole number") % {"value": row.get("sequence", "")})
    if not row.get("label"):
        problems.append(_("an index needs a label"))
    return {
        "record": "index",
        "sequence": sequence,
        "label": row.get("label", ""),
        "year": _year(row, problems),
        "factor": str(factor),
    }


def check_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(clean rows, errors); each error names its row number (as in a spreadsheet: header = 1)."""
    known = {
        "categories": set(LossCategory.objects.values_list("code", flat=True)),
        "regions": set(Place.objects.values_list("code", flat=True)),
        "units": set(Unit.values),
    }
    clean: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for number, row in enumerate(rows, start=2):
        problems: list[str] = []
        record = row.get("record", "").lower()
        if record == "rate":
            cleaned = _check_rate(row, problems, known)
            key = (cleaned["category"], cleaned["region"], cleaned["year"], cleaned["unit"])
            if key in seen:
                problems.append(_("a second rate for the same category, region, year and unit"))
            seen.add(key)
        elif record == "index":
            cleaned = _check_index(row, problems)
        else:
            problems.append(_("record must be rate or index, not %(value)s") % {"value": record or "—"})
        if problems:
            errors.append({"row": number, "errors": problems})
        else:
            clean.append(cleaned)
    if not errors and not any(row["record"] == "rate" for row in clean):
        errors.append({"row": 0, "errors": [_("the file holds no rates")]})
    return clean, errors


def valuation_import_stage(
    *, actor: Actor, file: IO[bytes], filename: str, name: str, currency: str
) -> ValuationImport:
    """Parse and check an uploaded table; nothing becomes a version until it is applied."""
    require(actor, "claims.manage_valuation")
    content = file.read()
    try:
        rows = read_rows(content, filename)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise ClaimError(_("The file could not be read: %(error)s") % {"error": error}) from error
    if len(rows) > MAX_IMPORT_ROWS:
        raise ClaimError(_("The file has more than %(max)s rows.") % {"max": MAX_IMPORT_ROWS})
    clean, errors = check_rows(rows)
    return ValuationImport.objects.create(
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        name=name,
        currency=currency.upper(),
        rows=clean,
        errors=errors,
        uploaded_by=actor.user,
    )


@transaction.atomic
def valuation_import_apply(*, actor: Actor, staged: ValuationImport) -> ValuationTable:
    """Turn a clean staged import into the next table version; earlier versions stay untouched."""
    require(actor, "claims.manage_valuation")
    staged = ValuationImport.objects.select_for_update().get(pk=staged.pk)
    if staged.status != ImportStatus.STAGED:
        raise ClaimError(_("This import has already been applied or discarded."))
    if staged.errors:
        raise ClaimError(_("Correct the rows with errors and upload the file again."))
    version = (ValuationTable.objects.aggregate(last=Max("version"))["last"] or 0) + 1
    table = ValuationTable.objects.create(
        version=version,
        name=staged.name,
        currency=staged.currency,
        source_filename=staged.filename,
        source_sha256=staged.sha256,
        imported_by=actor.user,
    )
    categories = dict(LossCategory.objects.values_list("code", "pk"))
    regions = dict(Place.objects.filter(code__in={row.get("region") for row in staged.rows}).values_list("code", "pk"))
    ValuationRate.objects.bulk_create(
        [
            ValuationRate(
                table=table,
                category_id=categories[row["category"]],
                region_id=regions.get(row["region"]) if row["region"] else None,
                year=row["year"],
                unit=row["unit"],
                unit_value=Decimal(row["unit_value"]),
                currency=row["currency"],
            )
            for row in staged.rows
            if row["record"] == "rate"
        ]
    )
    ConversionIndex.objects.bulk_create(
        [
            ConversionIndex(
                table=table,
                sequence=row["sequence"],
                label=row["label"],
                year=row["year"],
                factor=Decimal(row["factor"]),
            )
            for row in staged.rows
            if row["record"] == "index"
        ]
    )
    # The newest version is the one new assessments use; older ones stay for recomputation.
    ValuationTable.objects.exclude(pk=table.pk).update(status=ValuationTableStatus.RETIRED)
    staged.status = ImportStatus.APPLIED
    staged.table = table
    staged.save(update_fields=["status", "table", "updated_at"])
    return table


def valuation_import_discard(*, actor: Actor, staged: ValuationImport) -> None:
    require(actor, "claims.manage_valuation")
    if staged.status == ImportStatus.STAGED:
        staged.status = ImportStatus.DISCARDED
        staged.save(update_fields=["status", "updated_at"])


def current_table() -> ValuationTable | None:
    return ValuationTable.objects.filter(status=ValuationTableStatus.ACTIVE).order_by("-version").first()


@dataclass
class TableLookup:
    """A table's rates and indices in memory, so valuing many items costs two queries."""

    table: ValuationTable
    rates: list[ValuationRate]
    indices: list[ConversionIndex]

    @classmethod
    def load(cls, table: ValuationTable) -> TableLookup:
        return cls(
            table=table,
            rates=list(table.rates.select_related("region", "category")),
            indices=list(table.indices.order_by("sequence", "id")),
        )

    def rate_for(self, *, category_id: int, place_path: str, year: int, unit: str) -> ValuationRate | None:
        ancestors = {int(part) for part in place_path.split("/") if part}
        best: tuple[int, int, ValuationRate] | None = None
        for rate in self.rates:
            if rate.category_id != category_id or rate.unit != unit:
                continue
            if rate.year is not None and rate.year != year:
                continue
            if rate.region_id is not None and rate.region_id not in ancestors:
                continue
            # Most specific wins: a deeper region, then an exact year.
            depth = rate.region.path.count("/") if rate.region is not None else 0
            score = (depth, 1 if rate.year is not None else 0)
            if best is None or score > best[:2]:
                best = (*score, rate)
        return best[2] if best else None

    def value(self, item: LossItem) -> Valuation:
        rate = self.rate_for(
            category_id=item.category_id, place_path=item.place.path, year=item.price_year, unit=item.unit
        )
        if rate is None:
            raise ClaimError(
                _("Valuation table v%(version)s has no rate for %(category)s in %(unit)s for %(place)s, %(year)s.")
                % {
                    "version": self.table.version,
                    "category": item.category.label,
                    "unit": item.get_unit_display(),
                    "place": item.place.name,
                    "year": item.price_year,
                }
            )
        steps = [
            IndexStep(label=index.label, factor=index.factor)
            for index in self.indices
            if index.year is None or index.year == item.price_year
        ]
        return value_loss(
            quantity=item.quantity,
            unit=item.unit,
            unit_value=rate.unit_value,
            rate_currency=rate.currency,
            indices=steps,
            currency=self.table.currency,
        )
