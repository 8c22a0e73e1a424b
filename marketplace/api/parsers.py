"""DRF's JSON parser, with JSON nested too deeply for Python to read refused as a 400 like any other
malformed JSON (it raised RecursionError through DRF: a 500 for a body of a thousand brackets)."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201 - DRF's signature
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
