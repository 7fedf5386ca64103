from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from pyxform.validators import odk_validate
from pyxform.xls2xform import convert

from yurd.fieldwork.definition import FORM_ID, xform_xml, xlsform_bytes


def test_generated_xlsform_converts_with_pyxform_and_passes_odk_validate(tmp_path: Path) -> None:
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(xlsform_bytes()), file_type=".xlsx", warnings=warnings)
    assert warnings == []
    path = tmp_path / "form.xml"
    path.write_text(result.xform, encoding="utf-8")
    # The ODK Validate jar ships with pyxform; Java runs it offline.
    assert odk_validate.check_xform(str(path)) == []


def test_xlsform_has_labels_in_three_languages() -> None:
    workbook = load_workbook(io.BytesIO(xlsform_bytes()))
    header = [cell.value for cell in workbook["survey"][1]]
    assert {"label::English (en)", "label::Azərbaycanca (az)", "label::Русский (ru)"} <= set(header)
    for row in workbook["survey"].iter_rows(min_row=2, values_only=True):
        labelled = dict(zip(header, row, strict=False))
        if labelled["label::English (en)"]:
            assert labelled["label::Azərbaycanca (az)"] and labelled["label::Русский (ru)"], labelled["name"]


def test_xform_carries_the_form_id_and_all_translations() -> None:
    xform = xform_xml()
    assert f'id="{FORM_ID}"' in xform
    for language in ("English (en)", "Azərbaycanca (az)", "Русский (ru)"):
        assert f'lang="{language}"' in xform
    assert "jr://file-csv/households.csv" in xform
