"""pytest plugin: load swf_local's extension before moto's own SWF suite runs.

Used by ``moto_suite.py run`` as ``-p swf_local.moto_plugin`` (with ``tests/`` on
``PYTHONPATH``), so every test of moto's ``tests/test_swf`` runs against the
patched backend, exactly as the local SWF server does.
"""

from __future__ import annotations

from typing import Any

from swf_local import patches


def pytest_configure(config: Any) -> None:
    """Apply the patches (strictly: the suite must match the pinned moto)."""
    patches.apply(strict_version=True)


def pytest_report_header(config: Any) -> str:
    """Say in the run's header that the extension is active."""
    return f"swf_local extension applied: {patches.is_applied()} (moto {patches.SUPPORTED_MOTO_VERSION})"
