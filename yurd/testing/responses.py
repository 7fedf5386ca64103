"""What a test reads of a response, typed: the test client's responses are typed as neither
a plain nor a streamed response, so a test says which one it expects."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase


def streamed(response: HttpResponseBase) -> bytes:
    """The body of a streamed response (a file download), read to the end."""
    if not isinstance(response, StreamingHttpResponse):
        raise AssertionError(f"{type(response).__name__} is not streamed")
    return response.getvalue()


def body(response: HttpResponseBase) -> bytes:
    """The body of a response, streamed or not."""
    if isinstance(response, StreamingHttpResponse):
        return response.getvalue()
    if not isinstance(response, HttpResponse):
        raise AssertionError(f"{type(response).__name__} has no body")
    return response.content
