"""Request body parsers for the API that answer hostile JSON with 400, never 500."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with deeply nested documents (`[[[[…]]]]`) refused as a parse error.

    Python's decoder raises RecursionError past about a thousand levels, which DRF does
    not catch; no Yurd document nests more than a few levels.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("The JSON document is nested too deeply.")) from error
