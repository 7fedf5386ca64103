"""The decision letter: a PDF in the claimant's language with the arithmetic, case number and total."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from yurd.accounts.models import User
from yurd.claims.letters import decision_letter_pdf
from yurd.claims.tests.conftest import World, advance, new_claim


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "letter.pdf"
        path.write_bytes(pdf)
        command = [shutil.which("pdftotext") or "pdftotext", "-layout", str(path), "-"]
        return subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize(
    ("language", "title"), [("az", "İddia üzrə qərar"), ("ru", "Решение по заявлению"), ("en", "Decision on claim")]
)
def test_letter_holds_case_number_total_and_arithmetic_in_the_language(
    world: World, assessor: User, reviewer: User, language: str, title: str
) -> None:
    claim = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    text = pdf_text(decision_letter_pdf(claim.decisions.get(), language=language)).replace("\xa0", " ")
    assert claim.case_number in text
    assert {"en": "8,874.00"}.get(language, "8 874,00") in text
    assert {"en": "120 m² × 85 SUR = 10,200 SUR"}.get(language, "120 m² × 85 SUR = 10 200 SUR") in text
    assert title in text
