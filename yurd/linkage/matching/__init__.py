"""Name normalisation and record linkage. Pure Python: no Django imports here."""

from yurd.linkage.matching.normalize import search_key, search_tokens

__all__ = ["search_key", "search_tokens"]
