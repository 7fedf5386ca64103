"""Names, places and dates across scripts: folding, transliteration, parsing, similarity.

The shared library of Yurd's lower layer. Pure Python, no Django: places, registry,
testimonies, claims and linkage all fold names through it (see docs/architecture.md).
`search_key` and `search_tokens` are stored in indexed columns, so their signatures are
stable; their output may improve (stored keys are recomputed on save).
"""

from yurd.names.folding import search_key, search_tokens

__all__ = ["search_key", "search_tokens"]
