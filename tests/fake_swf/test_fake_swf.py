"""Prove the fake SWF's checker accepts what botocore signs, rejects tampering,
and that every scripted fault behaves as documented."""

from __future__ import annotations

import datetime as dt
import http.client
import importlib.util
import json
import re
import signal
import socket
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fake_swf_sigv4 import FAKE_ACCESS_KEY, FAKE_REGION, FAKE_SECRET  # noqa: E402


def _load_server_module():
    """Import server.py under a unique name (tests/swf_local has a server.py too)."""
    spec = importlib.util.spec_from_file_location("fake_swf_server", HERE / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


start_server = _load_server_module().start_server

TARGET = "SimpleWorkflowService.RespondActivityTaskCanceled"
BODY = {"taskToken": "AAAA-token", "details": "cancelled by test"}
MISMATCH = "The request signature we calculated does not match"


# ----- helpers -------------------------------------------------------------
def sign(url: str, body: bytes | None = None, *, target: str = TARGET,
         access_key: str = FAKE_ACCESS_KEY, secret: str = FAKE_SECRET,
         region: str = FAKE_REGION, token: str | None = None,
         content_type: str = "application/x-amz-json-1.0",
         at: dt.datetime | None = None) -> tuple[dict, bytes]:
    """Sign a request with botocore itself (optionally at a pinned time)."""
    body = json.dumps(BODY).encode() if body is None else body
    headers = {"Host": url.removeprefix("http://"), "Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    request = AWSRequest("POST", url + "/", headers=headers, data=body)
    signer = SigV4Auth(Credentials(access_key, secret, token), "swf", region)
    when = at or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        signer.add_auth(request)
    return dict(request.headers.items()), body


def send(url: str, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    """One HTTP exchange; returns (status, headers message, body bytes)."""
    conn = http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)
    try:
        conn.request(method, path, body, headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def send_signed(url: str, headers: dict, body: bytes):
    return send(url, "POST", "/", body, headers)


def control(url: str, method: str, path: str, payload: object = None):
    """Call the control API and decode its JSON answer."""
    body = b"" if payload is None else json.dumps(payload).encode()
    status, _, reply = send(url, method, "/__control/" + path, body)
    return status, json.loads(reply)


def script(url: str, *responses: dict) -> None:
    status, reply = control(url, "POST", "script", {"responses": list(responses)})
    assert status == 200, reply


def log(url: str, query: str = "") -> list[dict]:
    return control(url, "GET", "requests" + query)[1]


def raw_signed_exchange(url: str, timeout: float = 5.0) -> socket.socket:
    """Send a signed request on a raw socket and return the socket for reading."""
    headers, body = sign(url)
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sock.sendall(f"POST / HTTP/1.1\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return sock


# ----- fixtures ------------------------------------------------------------
@pytest.fixture(scope="module")
def fake():
    with start_server() as server:
        yield server


@pytest.fixture()
def url(fake):
    control(fake.url, "POST", "reset")
    return fake.url


# ----- signature checking --------------------------------------------------
@pytest.mark.parametrize("token", [None, "FwoGZXIvYXdzEFAKESESSIONTOKEN//+=="])
def test_botocore_signed_request_is_valid(url, token):
    headers, body = sign(url, token=token)
    status, response_headers, reply = send_signed(url, headers, body)
    assert (status, json.loads(reply)) == (200, {})
    assert response_headers["Content-Type"] == "application/x-amz-json-1.0"
    assert re.fullmatch(r"[0-9a-f-]{36}", response_headers["x-amzn-RequestId"])
    [entry] = log(url)
    assert entry["signature"] == {"valid": True, "error": None, "error_type": None}
    assert (entry["n"], entry["target"], entry["json"], entry["response_status"]) == (1, TARGET, BODY, 200)
    assert FAKE_SECRET not in json.dumps(entry)


def _replace_header(name: str, value: str):
    return lambda headers, body: ({**headers, name: value}, body)


def _shift_scope_date(headers, body):
    auth = re.sub(r"/(\d{8})/", "/19990101/", headers["Authorization"], count=1)
    return {**headers, "Authorization": auth}, body


def _drop_authorization(headers, body):
    return {k: v for k, v in headers.items() if k != "Authorization"}, body


MINUTES_AGO_10 = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(minutes=10)
MINUTES_AHEAD_10 = MINUTES_AGO_10 + dt.timedelta(minutes=20)

BAD_REQUESTS = {
    # id: (sign() overrides, tamper(headers, body) or None, status, __type, message part)
    "tampered-body": ({}, lambda h, b: (h, b.replace(b"cancelled", b"CANCELLED")),
                      403, "InvalidSignatureException", MISMATCH),
    "tampered-target": ({}, _replace_header("X-Amz-Target", "SimpleWorkflowService.RespondActivityTaskFailed"),
                        403, "InvalidSignatureException", MISMATCH),
    "tampered-token": ({"token": "real-token"}, _replace_header("X-Amz-Security-Token", "other-token"),
                       403, "InvalidSignatureException", MISMATCH),
    "wrong-secret": ({"secret": FAKE_SECRET + "x"}, None, 403, "InvalidSignatureException", MISMATCH),
    "wrong-region": ({"region": "eu-west-1"}, None, 403, "InvalidSignatureException",
                     "Credential should be scoped to a valid region, not 'eu-west-1'"),
    "stale-date": ({"at": MINUTES_AGO_10}, None, 403, "InvalidSignatureException", "Signature expired: "),
    "future-date": ({"at": MINUTES_AHEAD_10}, None, 403, "InvalidSignatureException",
                    "Signature not yet current: "),
    "scope-date-mismatch": ({}, _shift_scope_date, 403, "InvalidSignatureException",
                            "Date in Credential scope does not match"),
    "unknown-access-key": ({"access_key": "AKIDSOMEONEELSE"}, None, 403, "UnrecognizedClientException",
                           "The security token included in the request is invalid."),
    "no-authorization": ({}, _drop_authorization, 403, "MissingAuthenticationTokenException",
                         "Missing Authentication Token"),
    "unsigned-target": ({"target": None}, _replace_header("X-Amz-Target", TARGET), 400,
                        "IncompleteSignatureException", "'x-amz-target' must be a 'SignedHeader'"),
    "wrong-content-type": ({"content_type": "application/json"}, None, 400, "UnknownOperationException",
                           "Content-Type must be 'application/x-amz-json-1.0'"),
    "unknown-operation": ({"target": "SimpleWorkflowService.RespondActivityTaskCancelled"}, None, 400,
                          "UnknownOperationException", "Unknown X-Amz-Target"),
    "body-not-json": ({"body": b"{not json"}, None, 400, "SerializationException", "not valid JSON"),
}


@pytest.mark.parametrize("case", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_requests_are_rejected_like_aws(url, case):
    overrides, tamper, want_status, want_type, want_message = case
    headers, body = sign(url, **overrides)
    if tamper:
        headers, body = tamper(headers, body)
    status, response_headers, reply = send_signed(url, headers, body)
    error = json.loads(reply)
    assert (status, error["__type"]) == (want_status, want_type)
    assert want_message in error["message"]
    assert response_headers["x-amzn-ErrorType"] == f"{want_type}:"
    [entry] = log(url)
    assert entry["signature"]["valid"] is False
    assert want_message in entry["signature"]["error"]
    assert entry["response_status"] == want_status


def test_mismatch_log_shows_expected_canonical_request(url):
    headers, body = sign(url, secret="wrong")
    send_signed(url, headers, body)
    signature = log(url)[0]["signature"]
    assert signature["expected_canonical_request"].startswith("POST\n/\n\ncontent-type:")
    assert signature["expected_string_to_sign"].startswith("AWS4-HMAC-SHA256\n")


def test_skew_shifts_expiry_check_and_date_header(url):
    control(url, "POST", "skew", {"seconds": 600})
    headers, body = sign(url)
    status, response_headers, reply = send_signed(url, headers, body)
    assert status == 403 and "Signature expired" in json.loads(reply)["message"]
    server_date = parsedate_to_datetime(response_headers["Date"]).timestamp()
    assert abs(server_date - (time.time() + 600)) < 5
    control(url, "POST", "reset")
    assert send_signed(url, *sign(url))[0] == 200


# ----- scripted responses --------------------------------------------------
def test_script_queue_then_default_even_for_invalid_signatures(url):
    script(url, {"status": 400, "body": {"__type": "UnknownResourceFault", "message": "gone"},
                 "headers": {"x-amzn-RequestId": None, "X-Extra": "1"}},
           {"status": 503, "body": "plain text"})
    status, headers, reply = send_signed(url, *sign(url, secret="wrong"))
    assert (status, json.loads(reply)["__type"]) == (400, "UnknownResourceFault")
    assert "x-amzn-RequestId" not in headers and headers["X-Extra"] == "1"
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    assert send_signed(url, *sign(url))[::2] == (503, b"plain text")
    assert send_signed(url, *sign(url))[::2] == (200, b"{}")
    assert send_signed(url, *sign(url, secret="wrong"))[0] == 403
    entries = log(url)
    assert [e["response_status"] for e in entries] == [400, 503, 200, 403]
    assert [e["signature"]["valid"] for e in entries] == [False, True, True, False]
    assert [e["action"] for e in entries] == ["respond", "respond", None, None]


def test_scripted_request_time_too_skewed_passes_through(url):
    skewed = {"__type": "RequestTimeTooSkewed", "message": "The difference between the request time "
              "and the current time is too large."}
    script(url, {"status": 400, "body": skewed})
    status, _, reply = send_signed(url, *sign(url))
    assert (status, json.loads(reply)) == (400, skewed)


def test_reset_closes_with_rst_and_no_response(url):
    script(url, {"action": "reset"})
    with raw_signed_exchange(url) as sock, pytest.raises(ConnectionResetError):
        sock.recv(1024)
    [entry] = log(url)
    assert (entry["action"], entry["response_status"]) == ("reset", None)


def test_reset_mid_body_sends_head_then_resets(url):
    script(url, {"action": "reset_mid_body", "status": 200, "body": {"padding": "z" * 1000}})
    conn = http.client.HTTPConnection(url.removeprefix("http://"), timeout=5)
    headers, body = sign(url)
    conn.request("POST", "/", body, headers)
    response = conn.getresponse()
    assert response.status == 200 and int(response.headers["Content-Length"]) > 1000
    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        response.read()
    conn.close()


def test_truncated_is_complete_http_with_broken_json(url):
    script(url, {"action": "truncated", "status": 500, "body": '{"__type": "Inter'})
    status, headers, reply = send_signed(url, *sign(url))
    assert (status, reply, int(headers["Content-Length"])) == (500, b'{"__type": "Inter', len(reply))
    with pytest.raises(ValueError):
        json.loads(reply)


def test_large_error_body_has_requested_size(url):
    script(url, {"action": "large", "status": 500, "bytes": 2_000_000})
    status, _, reply = send_signed(url, *sign(url))
    assert (status, len(reply)) == (500, 2_000_000)
    assert json.loads(reply)["__type"] == "InternalFailure"


def test_date_offset_skews_date_header(url):
    script(url, {"status": 200, "date_offset_seconds": -600})
    _, headers, _ = send_signed(url, *sign(url))
    assert abs(parsedate_to_datetime(headers["Date"]).timestamp() - (time.time() - 600)) < 5


def test_hang_blocks_only_its_own_connection(url):
    script(url, {"action": "hang", "seconds": 2})
    started = time.monotonic()
    with raw_signed_exchange(url, timeout=0.5) as sock:
        with pytest.raises(socket.timeout):
            sock.recv(1024)
        control_started = time.monotonic()
        assert log(url)[0]["action"] == "hang"
        assert send_signed(url, *sign(url))[0] == 200
        assert time.monotonic() - control_started < 1
        sock.settimeout(5)
        assert sock.recv(1024) == b""  # closed without a response once the hang ends
    assert time.monotonic() - started >= 1.9


def test_hang_with_status_answers_late(url):
    script(url, {"action": "hang", "seconds": 1, "status": 500, "body": {"__type": "InternalFailure"}})
    started = time.monotonic()
    assert send_signed(url, *sign(url))[0] == 500
    assert time.monotonic() - started >= 0.9


def test_bad_script_entry_is_refused(url):
    status, reply = control(url, "POST", "script", {"responses": [{"action": "explode"}]})
    assert status == 400 and "unknown action" in reply["error"]
    status, reply = control(url, "POST", "script", {"responses": [{"status": 200, "date_offset": 5}]})
    assert status == 400 and "date_offset" in reply["error"]


def test_reset_clears_script_log_and_skew(url):
    script(url, {"status": 500})
    control(url, "POST", "skew", {"seconds": -3600})
    send_signed(url, *sign(url))
    control(url, "POST", "reset")
    assert log(url) == []
    assert send_signed(url, *sign(url))[0] == 200


# ----- CORS ----------------------------------------------------------------
def test_preflight_echoes_headers_and_is_logged_separately(url):
    asked = "authorization,content-type,x-amz-date,x-amz-security-token,x-amz-target"
    status, headers, body = send(url, "OPTIONS", "/", headers={
        "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": asked})
    assert (status, body) == (204, b"")
    assert headers["Access-Control-Allow-Headers"] == asked
    assert headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert headers["Access-Control-Allow-Origin"] == "*"
    send_signed(url, *sign(url))
    assert [e["kind"] for e in log(url)] == ["swf"]
    assert [e["kind"] for e in log(url, "?include_preflight=1")] == ["preflight", "swf"]


@pytest.mark.parametrize("path", ["/", "/__control/requests"])
def test_every_response_carries_cors(url, path):
    _, headers, _ = send(url, "GET", path)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Expose-Headers"] == "x-amzn-RequestId, x-amzn-ErrorType, Date"


# ----- command line --------------------------------------------------------
def test_cli_prints_ready_line_and_exits_on_sigterm():
    proc = subprocess.Popen([sys.executable, str(HERE / "server.py"), "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        ready = proc.stdout.readline()
        match = re.fullmatch(r"FAKE_SWF_READY (http://127\.0\.0\.1:\d+)\n", ready)
        assert match, ready
        assert control(match.group(1), "GET", "requests") == (200, [])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert proc.stdout.read() == ""
    finally:
        proc.kill()
