"""Case numbers and the status look-up secrets a claimant is given once."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from yurd.claims.models import Claim
from yurd.registry.codes import allocate_numbers

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - no 0/O, 1/I: read aloud over the phone


def case_number_sequence(year: int) -> str:
    """The code sequence of one year's case numbers (numbering starts again each year)."""
    return f"claim_case_{year}"


def issue_case_number(*, year: int) -> str:
    """CL-<year>-<6 digits>, from the year's code sequence (call inside a transaction)."""
    (number,) = allocate_numbers(case_number_sequence(year), 1)
    return f"CL-{year}-{number:06d}"


def new_secret() -> str:
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(12))
    return "-".join(raw[index : index + 4] for index in range(0, 12, 4))


def normalise_secret(secret: str) -> str:
    return "".join(ch for ch in secret.upper() if ch.isalnum())


def secret_digest(secret: str) -> str:
    """HMAC-SHA256 under SECRET_KEY: the database alone never reveals or confirms a secret."""
    key = f"yurd.claims.status-secret:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalise_secret(secret).encode(), hashlib.sha256).hexdigest()


def secret_matches(claim: Claim | None, secret: str) -> bool:
    """Constant-time comparison; without a claim it still does the same work."""
    stored = claim.secret_hash if claim is not None else "0" * 64
    matches = hmac.compare_digest(stored, secret_digest(secret))
    return matches and claim is not None
