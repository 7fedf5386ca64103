"""Case numbers and the status look-up secrets a claimant is given once."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from yurd.claims.models import CaseNumberSequence, Claim

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - no 0/O, 1/I: read aloud over the phone


def issue_case_number(*, year: int) -> str:
    """CL-<year>-<6 digits>, from a locked per-year counter (call inside a transaction)."""
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"CL-{year}-{sequence.last:06d}"


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
