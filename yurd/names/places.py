"""Free-text villages resolved through a gazetteer whose names are in every script."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from yurd.names.folding import search_key

# Words around a village name that are not the name: kənd / село / village, rayonu / район,
# Arm. SSR / Арм. ССР. Checked on folded keys, so every script is covered.
_NOISE_TOKENS = {
    "g",  # k. (kənd), к.
    "gand",
    "gandi",
    "s",  # с. (село)
    "sal",
    "salo",
    "v",
    "vilaga",
    "r",
    "nu",
    "rn",
    "raion",
    "raionu",
    "rai",
    "rain",
    "arm",
    "ars",
    "sr",
    "ssr",
    "armanii",
    "armana",  # Armenia, Армения: the country, not a village
    "armansgai",
    "armanistan",
    "d",
    "darvnia",
    "giuglu",
    "gisl",
    "vilaiat",
}
# Shorter skeletons (Zod -> "zd") are too many villages' names to look up by their consonants.
MIN_SKELETON = 4
_PLACE_REFERENCE = re.compile(r"#\w+")
_SPLIT = re.compile(r"[()\[\]/;]|\bили\b|\bor\b|\bvə ya\b")


def place_candidates(text: str) -> list[str]:
    """Folded candidate names in a free-text place: each part of "Qarabulaq (Yernjatap)" on its own."""
    candidates = []
    for part in _SPLIT.split(text or ""):
        for piece in part.split(","):
            tokens = [token for token in search_key(piece).split() if token not in _NOISE_TOKENS]
            if tokens:
                candidates.append(" ".join(tokens))
    return candidates


_VOWELS = re.compile(r"[aoui]")
_REPEATS = re.compile(r"(.)\1+")


def consonant_skeleton(key: str) -> str:
    """A folded name without its vowels: passports write ö as "e", "yo" or "o" and ə as "a", "e" or
    "ya" (Təzəsöyüdlü, TEZESEYYUDLYU), but keep the consonants."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", key))


class Gazetteer:
    """Place names (any script, any period) to place ids."""

    def __init__(self, names: Mapping[str, Iterable[str]] | None = None) -> None:
        self._by_key: dict[str, set[str]] = {}
        self._by_skeleton: dict[str, set[str]] = {}
        self._place_keys: dict[str, str] = {}
        for place_id, place_names in (names or {}).items():
            for name in place_names:
                for key in place_candidates(name):
                    self._by_key.setdefault(key, set()).add(str(place_id))
                    self._by_skeleton.setdefault(consonant_skeleton(key), set()).add(str(place_id))

    def __len__(self) -> int:
        return len(self._by_key)

    def resolve(self, text: str) -> str | None:
        """The place id named by `text`, or None when no name or several different places fit.

        With two names ("Qarabulaq (Yernjatap)") the place must carry both, so a later name
        shared by several villages is settled by the historical one."""
        found = self.candidates(text)
        if len(found) == 1:
            return next(iter(found))
        return None

    def candidates(self, text: str) -> set[str]:
        """Every place id `text` may name (several when villages share a name)."""
        found: set[str] | None = None
        for key in place_candidates(text):
            ids = self._by_key.get(key, set())
            skeleton = consonant_skeleton(key)
            if not ids and len(skeleton) >= MIN_SKELETON:
                # No name spelt so: a village whose consonants are these (every such village).
                ids = self._by_skeleton.get(skeleton, set())
            if not ids and " " in key:
                # "Qarabulaq Laçın" (village then district): try each word on its own.
                ids = next(
                    (self._by_key[token] for token in key.split() if len(self._by_key.get(token, ())) == 1), set()
                )
            if ids:
                found = set(ids) if found is None else (found & ids or found)
        return found or set()

    def place_key(self, text: str) -> str:
        """A comparison key: the place id when resolved ("#12"); the ids joined by "|" when several
        villages share the name ("#12|#40"); else the folded name (or "")."""
        if text not in self._place_keys:
            self._place_keys[text] = self._place_key(text)
        return self._place_keys[text]

    def _place_key(self, text: str) -> str:
        if _PLACE_REFERENCE.fullmatch(text.strip()):
            return text.strip()  # already a place id ("#12"), as the registry writes it
        place_ids = self.candidates(text)
        if place_ids:
            return "|".join(f"#{place_id}" for place_id in sorted(place_ids))
        candidates = place_candidates(text)
        return candidates[0] if candidates else ""
