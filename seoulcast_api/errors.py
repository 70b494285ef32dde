"""Errors the API answers with, and the handlers that turn them into JSON.

Every error reply has Litestar's usual shape, ``{"status_code": …, "detail": …}``: a missing
object is a 404, an unreachable store a 503, an object that breaks the contract a 502 (the
pipeline wrote something this API cannot read), and anything unforeseen a plain 500 whose
traceback goes to the log, never to the client.

A reply never echoes unbounded input: details longer than ``MAX_DETAIL`` characters are cut, so
a 5,000-character path or query gets a reply of a few hundred bytes.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import (
    HTTP_404_NOT_FOUND,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_502_BAD_GATEWAY,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from seoulcast_api.cache import UnparsableObject
from seoulcast_assets.storage import ObjectNotFound, StorageUnavailable

log = logging.getLogger("seoulcast_api")

MAX_DETAIL = 200


def bounded(text: str, limit: int = MAX_DETAIL) -> str:
    """``text``, cut to ``limit`` characters (marked with an ellipsis) if longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded_extra(value: Any) -> Any:
    if isinstance(value, str):
        return bounded(value)
    if isinstance(value, dict):
        return {bounded(str(key)): _bounded_extra(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_bounded_extra(item) for item in value[:20]]
    return value


class ErrorBody(msgspec.Struct):
    """What every error reply carries."""

    status_code: int
    detail: str


def error_response(status_code: int, detail: str) -> Response[ErrorBody]:
    return Response(
        ErrorBody(status_code, bounded(detail)), status_code=status_code, media_type=MediaType.JSON
    )


def _not_found(_: Request[Any, Any, Any], exc: ObjectNotFound) -> Response[ErrorBody]:
    return error_response(HTTP_404_NOT_FOUND, f"{exc} does not exist in the store")


def _storage_unavailable(
    request: Request[Any, Any, Any], exc: StorageUnavailable
) -> Response[ErrorBody]:
    log.warning("storage unavailable for %s: %s", bounded(request.url.path), exc)
    return error_response(
        HTTP_503_SERVICE_UNAVAILABLE,
        "The object store is unavailable and no earlier copy is cached; try again shortly.",
    )


def _contract_violation(
    request: Request[Any, Any, Any], exc: UnparsableObject
) -> Response[ErrorBody]:
    log.error("contract violation while serving %s: %s", bounded(request.url.path), exc)
    return error_response(
        HTTP_502_BAD_GATEWAY, f"The stored object {exc.key} does not match the contract."
    )


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, HTTPException):  # Litestar's own 400/404/405…: keep status and detail
        detail = exc.detail
        if detail.startswith("Validation failed for "):  # Litestar's, followed by the whole URL
            detail = f"Validation failed for {request.method} {request.url.path}"
        body: dict[str, Any] = {"status_code": exc.status_code, "detail": bounded(detail)}
        if exc.extra:
            body["extra"] = _bounded_extra(exc.extra)
        return Response(body, status_code=exc.status_code, headers=exc.headers)
    log.exception("unhandled error while serving %s", bounded(request.url.path))
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error.")


EXCEPTION_HANDLERS = {
    ObjectNotFound: _not_found,
    StorageUnavailable: _storage_unavailable,
    UnparsableObject: _contract_violation,
    Exception: _unexpected,
}


def error_spec(description: str) -> ResponseSpec:
    """An OpenAPI description of an error reply, for handlers' ``responses=``."""
    return ResponseSpec(data_container=ErrorBody, description=description, generate_examples=False)


STORAGE_DOWN = {HTTP_503_SERVICE_UNAVAILABLE: error_spec("The object store is unavailable.")}
