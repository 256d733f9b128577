"""Shared fixtures of the swf_local tests: one local SWF server per session.

The server is started with ``server.py --port 0`` in a subprocess (the same way
the Node and browser tests start it) and stopped with SIGTERM at the end.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from swf_local import scenario  # noqa: E402

SERVER = HERE / "server.py"


def start_server() -> tuple[subprocess.Popen, str]:
    """Start server.py on port 0; return the process and its URL (ready line)."""
    # stderr goes to a file: an unread pipe would block the server once full.
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    line = proc.stdout.readline()  # blocks until ready (or the process dies)
    if not line.startswith("SWF_LOCAL_READY http://127.0.0.1:"):
        proc.kill()
        log.seek(0)
        raise RuntimeError(f"server did not start: {line!r} {log.read()}")
    return proc, line.split()[1]


def stop_server(proc: subprocess.Popen) -> int:
    """SIGTERM the server and return its exit code."""
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=10)


@pytest.fixture(scope="session")
def endpoint() -> Any:
    proc, url = start_server()
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def client(endpoint: str) -> Any:
    swf = scenario.make_client(endpoint)
    scenario.ensure_registered(swf, scenario.DEFAULT_DOMAIN)
    return swf
