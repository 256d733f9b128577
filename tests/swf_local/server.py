#!/usr/bin/env python3
"""Launch moto's server, with the swf_local patches, on loopback.

    python3 tests/swf_local/server.py --port 0 [--host 127.0.0.1] [--verbose]

Prints exactly one line on stdout once the socket accepts connections::

    SWF_LOCAL_READY http://127.0.0.1:PORT

(so callers can pass ``--port 0`` and read the real port), then serves until
SIGTERM or SIGINT, on which it shuts down cleanly and exits 0.  Diagnostics go
to stderr; per-request logging is off unless ``--verbose``.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

# Make "swf_local" importable when this file is run as a script.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from swf_local import patches  # noqa: E402
from swf_local.cors import CorsMiddleware  # noqa: E402

READY_PREFIX = "SWF_LOCAL_READY"


def build_app() -> Any:
    """moto's WSGI app (all services, SWF patched) wrapped in CorsMiddleware."""
    patches.apply()
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        create_backend_app,
    )

    return CorsMiddleware(DomainDispatcherApplication(create_backend_app))


def make_server(host: str, port: int) -> Any:
    """A bound, listening, threaded werkzeug server (not yet serving)."""
    from werkzeug.serving import make_server as werkzeug_make_server

    return werkzeug_make_server(host, port, build_app(), threaded=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port, 0 = any free port")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def serve(host: str, port: int, verbose: bool = False) -> int:
    """Serve until SIGTERM/SIGINT; returns the process exit code."""
    if not verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server(host, port)
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    thread = threading.Thread(target=server.serve_forever, name="swf-local", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    print(f"{READY_PREFIX} http://{bound_host}:{bound_port}", flush=True)

    while not stop.wait(0.5):
        if not thread.is_alive():  # serve_forever died: report failure
            return 1
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return serve(args.host, args.port, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
