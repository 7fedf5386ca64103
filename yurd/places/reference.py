"""Reference data the gazetteer ships: where displaced people live now.

`data/current_residences.csv` (Yurd place CSV) holds Azerbaijan, its two regions (Baku
and Nakhchivan), its districts (rayons) and cities, and the countries abroad where
displaced households live, named in Azerbaijani (Latin and Cyrillic), Russian and
English. `yurd places residences` and `yurd demo` load it through the import service,
so loading it twice changes nothing and an organisation's own edits are kept as names.
"""

from __future__ import annotations

from pathlib import Path

RESIDENCES_FILE = Path(__file__).resolve().parent / "data" / "current_residences.csv"
