"""Errors a claim service raises; each carries a message fit to show the user."""

from __future__ import annotations


class ClaimError(Exception):
    """A refused act, with a translated message that explains why."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ClaimPermissionError(ClaimError):
    pass


class IllegalTransitionError(ClaimError):
    pass


class ConcurrentEditError(ClaimError):
    pass


class DoubleCompensationError(ClaimError):
    def __init__(self, message: str, *, conflicts: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.conflicts = conflicts or []
