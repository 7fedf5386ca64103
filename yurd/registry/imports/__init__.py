"""Importing households and people from CSV and XLSX: read, validate and stage every row,
then commit all valid rows (or nothing) in one transaction. Spec: docs/registry-import.md.
"""

from yurd.registry.imports.reading import COLUMNS, ImportFileError, read_table
from yurd.registry.imports.services import (
    ImportRefusedError,
    PreCommitDecision,
    import_commit,
    import_create,
    import_validate,
    register_pre_commit_hook,
    rejected_rows_csv,
    template_csv,
)

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportRefusedError",
    "PreCommitDecision",
    "import_commit",
    "import_create",
    "import_validate",
    "read_table",
    "register_pre_commit_hook",
    "rejected_rows_csv",
    "template_csv",
]
