"""pytest plugin: load swf_local's extension before moto's own SWF suite runs.

Used by ``moto_suite.py run`` as ``-p swf_local.moto_plugin`` (with ``tests/`` on
``PYTHONPATH``), so every test of moto's ``tests/test_swf`` runs against the
patched backend, exactly as the local SWF server does.

DIVERGENCES lists the tests of moto's suite that assert moto's own departure
from SWF, which the extension corrects on purpose; they are marked
``xfail(strict=True)``, so each must fail (an unexpected pass fails the run), and
``moto_suite.py`` checks that exactly these are the ones.
"""

from __future__ import annotations

from typing import Any

import pytest

from swf_local import patches

_EXECUTION_FILTER = (
    "asserts that executionFilter is ignored: it lists workflowId 'uid-abcd1234' for "
    "executionFilter {workflowId: 'test-workflow'}; SWF (and swf_local) return only "
    "executions with that workflowId, i.e. none"
)

_UNSTARTED_HEARTBEAT = (
    "asserts a HEARTBEAT timeout of an activity task that was never started; in SWF (and "
    "swf_local) the heartbeat clock starts when the task is polled, and a task waiting to "
    "be polled cannot miss a heartbeat"
)

#: moto test node id -> why the extension makes it fail.
DIVERGENCES = {
    "tests/test_swf/responses/test_workflow_executions.py::test_list_open_workflow_executions": _EXECUTION_FILTER,
    "tests/test_swf/responses/test_workflow_executions.py::test_list_closed_workflow_executions": _EXECUTION_FILTER,
    "tests/test_swf/models/test_activity_task.py::test_activity_task_first_timeout": _UNSTARTED_HEARTBEAT,
    "tests/test_swf/models/test_activity_task.py::test_activity_task_cannot_timeout_on_closed_workflow_execution": _UNSTARTED_HEARTBEAT,
}


def pytest_configure(config: Any) -> None:
    """Apply the patches (strictly: the suite must match the pinned moto)."""
    patches.apply(strict_version=True)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Mark the known divergences as strict xfails."""
    for item in items:
        reason = DIVERGENCES.get(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"swf_local follows SWF: moto's test {reason}"))


def pytest_report_header(config: Any) -> str:
    """Say in the run's header that the extension is active."""
    return f"swf_local extension applied: {patches.is_applied()} (moto {patches.SUPPORTED_MOTO_VERSION})"
