"""Errors a claim service raises; each carries a message fit to show the user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ClaimError(Exception):
    """A refused act, with a translated message that explains why."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ClaimPermissionError(ClaimError, PermissionDenied):
    """A refusal by role: claims' pages show its message, and like every `PermissionDenied`
    it is a 403 anywhere else (core.permissions.require raises it for claims)."""


class IllegalTransitionError(ClaimError):
    pass


class ConcurrentEditError(ClaimError):
    pass


class DoubleCompensationError(ClaimError):
    def __init__(self, message: str, *, conflicts: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.conflicts = conflicts or []
