"""Loopback fake of Amazon SWF's JSON API: independent SigV4 checks + fault injection.

Run:    python3 tests/fake_swf/server.py --port 0
Import: ``with start_server() as fake: ... fake.url ...``

Signed requests (anything outside ``/__control/``) are verified by
``fake_swf_sigv4.verify_request`` and logged; each one pops the next scripted
response, if any.  See README.md for the control API.
"""

from __future__ import annotations

import argparse
import copy
import json
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from collections import deque
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_swf_sigv4 import AMZ_JSON_1_0, ReceivedRequest, Verdict, verify_request  # noqa: E402

CONTROL_PREFIX = "/__control/"
MAX_HANG_SECONDS = 120
CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, Date"),
)
ACTIONS = {None, "respond", "reset", "reset_mid_body", "truncated", "hang", "large"}
ENTRY_KEYS = {"action", "status", "body", "headers", "seconds", "bytes", "date_offset_seconds"}
ACTION_DEFAULTS = {
    "truncated": {"status": 500, "body": '{"__type": "Inter'},
    "large": {"status": 500, "bytes": 2_000_000},
    "hang": {"seconds": 30},
}


def validate_entry(entry: object) -> dict:
    """Check one scripted response and fill in per-action defaults."""
    if not isinstance(entry, dict):
        raise ValueError(f"script entry must be an object: {entry!r}")
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)} in script entry {entry!r}")
    if entry.get("action") not in ACTIONS:
        raise ValueError(f"unknown action {entry.get('action')!r}; use one of {sorted(filter(None, ACTIONS))}")
    filled = {**ACTION_DEFAULTS.get(entry.get("action"), {}), **entry}
    if "status" in filled and not isinstance(filled["status"], int):
        raise ValueError(f"status must be an integer: {entry!r}")
    return filled


def encode_body(body: object) -> bytes:
    """Objects/lists/numbers are JSON-encoded, strings sent verbatim, None means '{}'."""
    if body is None:
        return b"{}"
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def large_error_body(size: int) -> bytes:
    """A valid JSON error document of exactly ``size`` bytes (when size >= 43)."""
    prefix, suffix = b'{"__type":"InternalFailure","message":"', b'"}'
    return prefix + b"x" * max(size - len(prefix) - len(suffix), 0) + suffix


def aws_error_reply(verdict: Verdict) -> dict:
    """The answer AWS would give for a failed check."""
    return {
        "status": verdict.status,
        "body": {"__type": verdict.error_type, "message": verdict.error},
        "headers": {"x-amzn-ErrorType": f"{verdict.error_type}:"},
    }


class ServerState:
    """Thread-safe script queue, request log and clock skew."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: deque[dict] = deque()
        self._log: list[dict] = []
        self._skew = 0.0

    def reset(self) -> None:
        """Forget the script, the log and the skew."""
        with self._lock:
            self._script.clear()
            self._log.clear()
            self._skew = 0.0

    def now(self) -> float:
        """The server's notion of 'now' (real clock + configured skew)."""
        return time.time() + self._skew

    def set_skew(self, seconds: float) -> None:
        with self._lock:
            self._skew = float(seconds)

    def set_script(self, entries: list[dict], append: bool) -> int:
        """Replace (or extend) the response queue; return its new length."""
        with self._lock:
            if not append:
                self._script.clear()
            self._script.extend(entries)
            return len(self._script)

    def pop_script(self) -> dict | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def record(self, kind: str, fields: dict) -> dict:
        """Append a log entry; ``n`` counts entries of the same kind from 1."""
        with self._lock:
            n = 1 + sum(1 for entry in self._log if entry["kind"] == kind)
            entry = {"n": n, "kind": kind, **fields, "response_status": None}
            self._log.append(entry)
            return entry

    def set_response_status(self, entry: dict, status: int) -> None:
        with self._lock:
            entry["response_status"] = status

    def entries(self, include_preflight: bool) -> list[dict]:
        """A snapshot of the log, SWF requests only unless asked otherwise."""
        with self._lock:
            return copy.deepcopy([e for e in self._log if include_preflight or e["kind"] == "swf"])


class FakeSwfHandler(BaseHTTPRequestHandler):
    """Routes control calls, CORS preflights and signed SWF calls."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeSWF/1.0"
    timeout = MAX_HANG_SECONDS + 60  # idle keep-alive sockets do not live forever

    # ----- routing -------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        """CORS preflight: 204, echoing the requested headers; logged as 'preflight'."""
        entry = self.server.state.record("preflight", self._describe_request(self._read_body()))
        requested = self.headers.get("Access-Control-Request-Headers")
        headers = {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                   "Access-Control-Max-Age": "600"}
        if requested:
            headers["Access-Control-Allow-Headers"] = requested
        self.server.state.set_response_status(entry, 204)
        self._send_head(204, headers, content_length=0)

    def _dispatch(self) -> None:
        body = self._read_body()
        if self.path.startswith(CONTROL_PREFIX):
            self._handle_control(body)
        else:
            self._handle_swf(body)

    # ----- control API ---------------------------------------------------
    def _handle_control(self, body: bytes) -> None:
        url = urlsplit(self.path)
        route = CONTROL_ROUTES.get((self.command, url.path))
        if route is None:
            self._send_json(404, {"error": f"no control route {self.command} {url.path}"})
            return
        try:
            payload = json.loads(body) if body.strip() else {}
            status, reply = route(self.server.state, payload, parse_qs(url.query))
        except (ValueError, TypeError, KeyError) as exc:
            status, reply = 400, {"error": str(exc)}
        self._send_json(status, reply)

    # ----- SWF requests --------------------------------------------------
    def _handle_swf(self, body: bytes) -> None:
        state = self.server.state
        received = ReceivedRequest(self.command, self.path, tuple(self.headers.items()), body)
        verdict = verify_request(received, state.now())
        scripted = state.pop_script()
        entry = state.record("swf", {**self._describe_request(body),
                                     "signature": verdict.to_log(),
                                     "action": self._action_name(scripted)})
        reply = scripted or (aws_error_reply(verdict) if not verdict.valid else {"status": 200})
        self._perform(reply, entry)

    @staticmethod
    def _action_name(scripted: dict | None) -> str | None:
        if scripted is None:
            return None
        return scripted.get("action") or "respond"

    def _perform(self, reply: dict, entry: dict) -> None:
        """Carry out one reply; the status is logged before the client can see it."""
        action = reply.get("action")
        if action == "reset":
            self._abort_connection()
            return
        if action == "hang":
            self._hang(reply, entry)
            return
        if action == "large":
            body = large_error_body(reply["bytes"])
        else:
            body = encode_body(reply.get("body"))
        status = reply.get("status", 200)
        headers = self._reply_headers(reply)
        self.server.state.set_response_status(entry, status)
        if action == "reset_mid_body":
            self._send_head(status, headers, max(len(body), 2), add_date=False)
            self.wfile.write(body[: len(body) // 2])
            time.sleep(0.1)  # let the client read the head before the RST arrives
            self._abort_connection()
        else:
            self._send_head(status, headers, len(body), add_date=False)
            self.wfile.write(body)

    def _hang(self, reply: dict, entry: dict) -> None:
        """Send nothing for a bounded time; then answer if a status was scripted, else close."""
        seconds = min(float(reply["seconds"]), MAX_HANG_SECONDS)
        self.server.stopping.wait(seconds)
        if "status" in reply and not self.server.stopping.is_set():
            self._perform({k: v for k, v in reply.items() if k != "action"}, entry)
        else:
            self.close_connection = True

    def _reply_headers(self, reply: dict) -> dict:
        """Default SWF headers, overridden case-insensitively by the entry (None removes)."""
        merged = {"content-type": ("Content-Type", AMZ_JSON_1_0),
                  "x-amzn-requestid": ("x-amzn-RequestId", str(uuid.uuid4())),
                  "date": ("Date", self._http_date(reply.get("date_offset_seconds", 0)))}
        for name, value in (reply.get("headers") or {}).items():
            merged[name.lower()] = (name, value)
        merged.pop("content-length", None)  # always computed by _send_head
        return {name: value for name, value in merged.values() if value is not None}

    # ----- low-level I/O -------------------------------------------------
    def _read_body(self) -> bytes:
        """Read a Content-Length or chunked request body."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _read_chunked(self) -> bytes:
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)

    def _describe_request(self, body: bytes) -> dict:
        """Log fields common to every request (header names lower-cased, repeats joined)."""
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        try:
            document = json.loads(body) if body else None
        except ValueError:
            document = None
        return {"method": self.command, "path": self.path, "headers": headers,
                "body": body.decode("utf-8", "replace"), "json": document,
                "target": headers.get("x-amz-target")}

    def _http_date(self, offset_seconds: float = 0) -> str:
        return formatdate(self.server.state.now() + offset_seconds, usegmt=True)

    def _send_head(self, status: int, headers: dict, content_length: int,
                   add_date: bool = True) -> None:
        """Status line, Server, Date (server clock), the headers, CORS, Content-Length."""
        self.send_response_only(status)
        self.send_header("Server", self.version_string())
        if add_date:
            self.send_header("Date", self._http_date())
        for name, value in (*headers.items(), *CORS_HEADERS):
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(content_length))
        self.end_headers()

    def _send_json(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self._send_head(status, {"Content-Type": "application/json"}, content_length=len(body))
        self.wfile.write(body)

    def _abort_connection(self) -> None:
        """Close with SO_LINGER 0 so the peer gets a TCP RST instead of a FIN."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drops the makefile() reference so close() is real
        self.connection.close()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib signature)
        if self.server.verbose:
            super().log_message(format, *args)


def _control_reset(state: ServerState, payload: dict, query: dict) -> tuple[int, dict]:
    state.reset()
    return 200, {"ok": True}


def _control_script(state: ServerState, payload: dict, query: dict) -> tuple[int, dict]:
    responses = payload["responses"]
    if not isinstance(responses, list):
        raise ValueError("'responses' must be a list")
    queued = state.set_script([validate_entry(e) for e in responses], bool(payload.get("append")))
    return 200, {"ok": True, "queued": queued}


def _control_skew(state: ServerState, payload: dict, query: dict) -> tuple[int, dict]:
    state.set_skew(payload["seconds"])
    return 200, {"ok": True, "seconds": float(payload["seconds"])}


def _control_requests(state: ServerState, payload: dict, query: dict) -> tuple[int, list]:
    include = query.get("include_preflight", ["0"])[-1] not in ("", "0", "false")
    return 200, state.entries(include_preflight=include)


CONTROL_ROUTES = {
    ("POST", "/__control/reset"): _control_reset,
    ("POST", "/__control/script"): _control_script,
    ("POST", "/__control/skew"): _control_skew,
    ("GET", "/__control/requests"): _control_requests,
}


class FakeSwfServer(ThreadingHTTPServer):
    """The fake SWF endpoint on 127.0.0.1; use ``start()``/``stop()`` or ``with``."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, port: int = 0, verbose: bool = False) -> None:
        super().__init__(("127.0.0.1", port), FakeSwfHandler)
        self.state = ServerState()
        self.stopping = threading.Event()
        self.verbose = verbose
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "FakeSwfServer":
        """Serve on a daemon thread and return self."""
        self._thread = threading.Thread(target=self.serve_forever, name="fake-swf", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake hanging handlers, stop serving and close the listening socket."""
        self.stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up mid-response are expected here; stay quiet about them."""
        if self.verbose or not isinstance(sys.exc_info()[1], (OSError, ValueError)):
            super().handle_error(request, client_address)

    def __enter__(self) -> "FakeSwfServer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def start_server(port: int = 0, verbose: bool = False) -> FakeSwfServer:
    """Start a fake SWF in this process (port 0 = any free port)."""
    return FakeSwfServer(port, verbose).start()


def main(argv: list[str] | None = None) -> int:
    """CLI: print the READY line, serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = start_server(args.port, args.verbose)
    print(f"FAKE_SWF_READY {server.url}", flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
