"""Independent SigV4 / SWF-protocol checker for the fake SWF server.

The expected signature is computed with botocore's own ``SigV4Auth`` from the
request exactly as it arrived (method, ``http://<Host header><path>``, only the
headers named in ``SignedHeaders``, the raw body bytes, and the request's own
``X-Amz-Date``).  Nothing here does I/O, so it is easy to test on its own.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

FAKE_ACCESS_KEY = "AKIDFAKESWF"
FAKE_SECRET = "fake-secret/KEY+1234567890abcdefEXAMPLE"
FAKE_REGION = "us-east-1"
FAKE_SERVICE = "swf"
KNOWN_CREDENTIALS = {FAKE_ACCESS_KEY: FAKE_SECRET}

ALGORITHM = "AWS4-HMAC-SHA256"
AMZ_JSON_1_0 = "application/x-amz-json-1.0"
TARGET_PREFIX = "SimpleWorkflowService."
REQUIRED_SIGNED_HEADERS = ("host", "x-amz-date", "x-amz-target")
MAX_CLOCK_DRIFT_SECONDS = 5 * 60
SIGV4_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult "
    "the service documentation for details."
)


@dataclass(frozen=True)
class ReceivedRequest:
    """A request as it arrived: header pairs keep their order and duplicates."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """Return all values of header ``name`` joined with ',' (None if absent)."""
        values = self.header_values(name)
        return ",".join(values) if values else None

    def header_values(self, name: str) -> list[str]:
        """Return every value sent for header ``name`` (case-insensitive)."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


@dataclass(frozen=True)
class Verdict:
    """Outcome of all checks; ``status``/``error_type`` say how AWS would answer."""

    valid: bool
    error: str | None = None
    error_type: str | None = None
    status: int = 200
    details: dict = field(default_factory=dict)

    def to_log(self) -> dict:
        """JSON-able summary for the request log (never contains the secret)."""
        entry = {"valid": self.valid, "error": self.error, "error_type": self.error_type}
        entry.update(self.details)
        return entry


class CheckFailed(Exception):
    """Raised by a check; carries the AWS-style status, error type and message."""

    def __init__(self, status: int, error_type: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.details = details or {}

    def verdict(self) -> Verdict:
        """Convert the failure into a ``Verdict``."""
        return Verdict(False, self.message, self.error_type, self.status, self.details)


def _incomplete(message: str) -> CheckFailed:
    return CheckFailed(400, "IncompleteSignatureException", message)


def _invalid(message: str, details: dict | None = None) -> CheckFailed:
    return CheckFailed(403, "InvalidSignatureException", message, details)


@dataclass(frozen=True)
class AuthorizationHeader:
    """The parsed parts of an ``AWS4-HMAC-SHA256`` Authorization header."""

    access_key: str
    scope_date: str
    region: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str | None) -> AuthorizationHeader:
    """Parse the Authorization header or raise the matching AWS error."""
    if not value:
        raise CheckFailed(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(f"Unsupported AWS 'algorithm': '{algorithm}'")
    params = {}
    for part in rest.split(","):
        key, _, val = part.strip().partition("=")
        params[key] = val
    for required in ("Credential", "SignedHeaders", "Signature"):
        if not params.get(required):
            raise _incomplete(f"Authorization header requires '{required}' parameter.")
    credential = params["Credential"].split("/")
    if len(credential) != 5:
        raise _incomplete(f"Credential must have exactly 5 slash-delimited elements: '{params['Credential']}'")
    signed_headers = tuple(params["SignedHeaders"].split(";"))
    if list(signed_headers) != sorted({name.lower() for name in signed_headers}):
        raise _incomplete("SignedHeaders must be lowercase, sorted and without duplicates: "
                          f"'{params['SignedHeaders']}'")
    return AuthorizationHeader(*credential, signed_headers, params["Signature"])


def lookup_secret(access_key: str) -> str:
    """Return the secret for a known access key, else AWS's unknown-key error."""
    try:
        return KNOWN_CREDENTIALS[access_key]
    except KeyError:
        raise CheckFailed(403, "UnrecognizedClientException",
                          "The security token included in the request is invalid.") from None


def check_scope(auth: AuthorizationHeader) -> None:
    """The credential scope must be <date>/us-east-1/swf/aws4_request."""
    if auth.region != FAKE_REGION:
        raise _invalid(f"Credential should be scoped to a valid region, not '{auth.region}'. ")
    if auth.service != FAKE_SERVICE:
        raise _invalid(f"Credential should be scoped to correct service: '{FAKE_SERVICE}'. ")
    if auth.terminator != "aws4_request":
        raise _invalid(f"Credential should be scoped with a valid terminator: 'aws4_request', "
                       f"not '{auth.terminator}'. ")


def check_signed_header_names(auth: AuthorizationHeader, request: ReceivedRequest) -> None:
    """host, x-amz-date and x-amz-target must be signed; signed headers must exist."""
    for name in REQUIRED_SIGNED_HEADERS:
        if name not in auth.signed_headers:
            raise _incomplete(f"'{name}' must be a 'SignedHeader' in the AWS Authorization.")
    missing = [name for name in auth.signed_headers if request.header(name) is None]
    if missing:
        raise _invalid(f"Signed header(s) not present in the request: {', '.join(missing)}")


def parse_amz_date(request: ReceivedRequest, auth: AuthorizationHeader) -> datetime:
    """Parse X-Amz-Date and check that the credential scope uses the same day."""
    amz_date = request.header("x-amz-date") or ""
    try:
        moment = datetime.strptime(amz_date, SIGV4_TIME_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        raise _incomplete(f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'.") from None
    if auth.scope_date != amz_date[:8]:
        raise _invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version "
                       f"of date from HTTP: '{auth.scope_date}' != '{amz_date[:8]}', from '{amz_date}'.")
    return moment


class _ExactHeadersSigV4(SigV4Auth):
    """botocore's SigV4Auth, but canonicalising exactly the headers it is given.

    botocore's client-side blacklist (user-agent, connection, ...) is a choice of
    what a *client* signs; a server must honour whatever SignedHeaders lists.
    Everything else (canonical request, string to sign, HMAC chain) is botocore's.
    """

    def headers_to_sign(self, request):
        header_map = HTTPHeaders()
        for name, value in request.headers.items():
            header_map[name.lower()] = value
        return header_map


def rebuild_aws_request(request: ReceivedRequest, auth: AuthorizationHeader) -> AWSRequest:
    """An AWSRequest holding only the signed headers, pinned to the request's X-Amz-Date."""
    headers = HTTPHeaders()
    for name, value in request.headers:
        if name.lower() in auth.signed_headers:
            headers[name.lower()] = value
    url = f"http://{request.header('host')}{request.path}"
    aws_request = AWSRequest(method=request.method, url=url, headers=headers, data=request.body)
    aws_request.context["timestamp"] = request.header("x-amz-date")
    return aws_request


def check_signature(request: ReceivedRequest, auth: AuthorizationHeader, secret: str) -> None:
    """Recompute the signature with botocore and compare it in constant time."""
    declared_hash = request.header("x-amz-content-sha256")
    if "x-amz-content-sha256" in auth.signed_headers and \
            declared_hash != hashlib.sha256(request.body).hexdigest():
        raise _invalid("The provided 'x-amz-content-sha256' header does not match what was computed.")
    credentials = Credentials(auth.access_key, secret, request.header("x-amz-security-token"))
    signer = _ExactHeadersSigV4(credentials, FAKE_SERVICE, FAKE_REGION)
    aws_request = rebuild_aws_request(request, auth)
    canonical_request = signer.canonical_request(aws_request)
    string_to_sign = signer.string_to_sign(aws_request, canonical_request)
    expected = signer.signature(string_to_sign, aws_request)
    if not hmac.compare_digest(expected, auth.signature):
        raise _invalid(SIGNATURE_MISMATCH, {"expected_canonical_request": canonical_request,
                                            "expected_string_to_sign": string_to_sign})


def _sigv4_time(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).strftime(SIGV4_TIME_FORMAT)


def check_clock(signed_at: datetime, now: float) -> None:
    """Reject X-Amz-Date more than 5 minutes from ``now`` with SWF's wording."""
    drift = signed_at.timestamp() - now
    stamp = signed_at.strftime(SIGV4_TIME_FORMAT)
    if drift < -MAX_CLOCK_DRIFT_SECONDS:
        raise _invalid(f"Signature expired: {stamp} is now earlier than "
                       f"{_sigv4_time(now - MAX_CLOCK_DRIFT_SECONDS)} ({_sigv4_time(now)} - 5 min.)")
    if drift > MAX_CLOCK_DRIFT_SECONDS:
        raise _invalid(f"Signature not yet current: {stamp} is still later than "
                       f"{_sigv4_time(now + MAX_CLOCK_DRIFT_SECONDS)} ({_sigv4_time(now)} + 5 min.)")


@functools.cache
def swf_operation_names() -> frozenset[str]:
    """Operation names from botocore's bundled SWF service model."""
    model = botocore.session.get_session().get_service_model(FAKE_SERVICE)
    return frozenset(model.operation_names)


def check_protocol(request: ReceivedRequest) -> None:
    """Content-Type, X-Amz-Target and a JSON-object body, as SWF's JSON 1.0 protocol wants."""
    content_type = request.header("content-type")
    if (content_type or "").lower() != AMZ_JSON_1_0:
        raise CheckFailed(400, "UnknownOperationException",
                          f"Content-Type must be '{AMZ_JSON_1_0}', got '{content_type}'")
    target = request.header("x-amz-target") or ""
    operation = target.removeprefix(TARGET_PREFIX)
    if not target.startswith(TARGET_PREFIX) or operation not in swf_operation_names():
        raise CheckFailed(400, "UnknownOperationException", f"Unknown X-Amz-Target: '{target}'")
    try:
        document = json.loads(request.body)
    except ValueError as exc:
        raise CheckFailed(400, "SerializationException", f"Body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise CheckFailed(400, "SerializationException", "Body must be a JSON object")


def verify_request(request: ReceivedRequest, now: float) -> Verdict:
    """Run every check in AWS's order; the first failure decides the verdict."""
    try:
        auth = parse_authorization(request.header("authorization"))
        secret = lookup_secret(auth.access_key)
        check_scope(auth)
        check_signed_header_names(auth, request)
        signed_at = parse_amz_date(request, auth)
        check_signature(request, auth, secret)
        check_clock(signed_at, now)
        check_protocol(request)
    except CheckFailed as failure:
        return failure.verdict()
    return Verdict(True)
