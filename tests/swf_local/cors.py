"""CORS for the local SWF server, as a WSGI middleware around moto's app.

Why a middleware and not moto's own CORS: a browser preflight (``OPTIONS``)
carries no ``Authorization`` header, so moto cannot tell it is meant for SWF and
hands it to its default backend (S3), which answers with an S3 bucket listing,
a method list of every verb and no ``Access-Control-Expose-Headers``.  Actual
responses only get ``Access-Control-Allow-Origin`` when the request had an
``Origin``, and never expose ``x-amzn-RequestId``.

This middleware answers every preflight itself and stamps every other response
with the same, predictable set of CORS headers (replacing flask-cors' ones, so a
browser never sees a header twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

#: Headers a browser page may read from responses.
EXPOSE_HEADERS = "x-amzn-RequestId, x-amzn-ErrorType, Date"

#: Methods the SWF endpoint accepts from a browser.
ALLOW_METHODS = "POST, OPTIONS"

#: Allowed request headers when a preflight does not list any.
DEFAULT_ALLOW_HEADERS = (
    "authorization, content-type, x-amz-date, x-amz-security-token, "
    "x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request"
)

#: How long (seconds) a browser may cache a preflight answer.
MAX_AGE = "600"

StartResponse = Callable[..., Any]


def _allow_origin(environ: dict[str, Any]) -> str:
    """Echo the request's Origin (works with credentials too), else ``*``."""
    return environ.get("HTTP_ORIGIN") or "*"


def _is_cors_header(name: str) -> bool:
    return name.lower().startswith("access-control-")


def cors_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """CORS headers carried by every response (preflight or not)."""
    headers = [
        ("Access-Control-Allow-Origin", _allow_origin(environ)),
        ("Access-Control-Expose-Headers", EXPOSE_HEADERS),
    ]
    if environ.get("HTTP_ORIGIN"):
        headers.append(("Vary", "Origin"))
    return headers


def preflight_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """Headers of the answer to an OPTIONS preflight.

    ``Access-Control-Allow-Headers`` echoes ``Access-Control-Request-Headers``
    verbatim: a ``*`` wildcard would not cover ``Authorization``.
    """
    requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "").strip()
    return cors_headers(environ) + [
        ("Access-Control-Allow-Methods", ALLOW_METHODS),
        ("Access-Control-Allow-Headers", requested or DEFAULT_ALLOW_HEADERS),
        ("Access-Control-Max-Age", MAX_AGE),
        ("Content-Length", "0"),
        ("Content-Type", "text/plain"),
    ]


class CorsMiddleware:
    """WSGI middleware: answer OPTIONS preflights, add CORS headers everywhere."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            start_response("200 OK", preflight_headers(environ))
            return [b""]

        def start_with_cors(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(k, v) for k, v in headers if not _is_cors_header(k) and k.lower() != "vary"]
            return start_response(status, kept + cors_headers(environ), exc_info)

        return self.app(environ, start_with_cors)
