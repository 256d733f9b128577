"""End-to-end tests of decider.py against the local SWF, boto3 as the activity worker.

Each decider runs as the CLI does (``python3 -m tests.swf_local.decider`` from the
repository root) in a subprocess; the tests start workflows with
``scenario.start_decided_workflow`` and play the activity worker with boto3.

Run:  python3 -m pytest tests/swf_local/test_decider.py -q
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

from swf_local import decider, scenario  # noqa: E402

DOMAIN = scenario.DEFAULT_DOMAIN
WAIT_S = 15.0


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
class DeciderProcess:
    """A decider CLI subprocess on its own decision task list."""

    def __init__(self, endpoint: str, mode: str, *extra: str):
        self.task_list = f"decisions-{mode}-{uuid.uuid4().hex[:8]}"
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.swf_local.decider", "--endpoint", endpoint,
             "--domain", DOMAIN, "--task-list", self.task_list, "--mode", mode, *extra],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.ready_line = self.proc.stdout.readline().strip()
        if not self.ready_line.startswith("DECIDER_READY "):
            self.proc.kill()
            raise RuntimeError(f"decider did not start: {self.ready_line!r} {self.stderr()}")

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def honour(endpoint: str) -> Iterator[DeciderProcess]:
    process = DeciderProcess(endpoint, "honour")
    yield process
    assert process.stop() == 0, process.stderr()


@pytest.fixture(scope="module")
def ignore(endpoint: str) -> Iterator[DeciderProcess]:
    process = DeciderProcess(endpoint, "ignore")
    yield process
    assert process.stop() == 0, process.stderr()


def wait_for(what: str, probe: Callable[[], Any], timeout: float = WAIT_S) -> Any:
    """Call ``probe`` every 100 ms until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def history(client: Any, run: dict[str, Any]) -> list[dict[str, Any]]:
    return scenario.history(client, run["workflowId"], run["runId"], DOMAIN)["events"]


def types_of(events: list[dict[str, Any]]) -> list[str]:
    return [e["eventType"] for e in events]


def attributes(event: dict[str, Any]) -> dict[str, Any]:
    kind = event["eventType"]
    return event[kind[0].lower() + kind[1:] + "EventAttributes"]


def close_status(client: Any, run: dict[str, Any]) -> str | None:
    info = client.describe_workflow_execution(
        domain=DOMAIN, execution={"workflowId": run["workflowId"], "runId": run["runId"]}
    )["executionInfo"]
    return info.get("closeStatus")


def wait_closed(client: Any, run: dict[str, Any]) -> str:
    return wait_for(f"{run['workflowId']} to close", lambda: close_status(client, run))


def poll_activity(client: Any, task_list: str) -> dict[str, Any]:
    """Poll until the decider's ScheduleActivityTask has produced a task."""

    def probe() -> dict[str, Any] | None:
        if not client.count_pending_activity_tasks(domain=DOMAIN, taskList={"name": task_list})["count"]:
            return None
        task = client.poll_for_activity_task(domain=DOMAIN, taskList={"name": task_list}, identity="pytest-worker")
        return task if task.get("taskToken") else None

    return wait_for(f"an activity task on {task_list}", probe)


def start(client: Any, decider_process: DeciderProcess, count: int = 1, **timeouts: Any) -> dict[str, Any]:
    activity_task_list = f"work-{uuid.uuid4().hex[:8]}"
    plan = scenario.activity_plan(count, activity_task_list, **timeouts)
    run = scenario.start_decided_workflow(client, decider_process.task_list, plan, DOMAIN)
    run["plan"] = plan
    return run


# --------------------------------------------------------------------------- #
# End to end
# --------------------------------------------------------------------------- #
def test_ready_line_names_the_endpoint(endpoint: str, honour: DeciderProcess) -> None:
    assert honour.ready_line == f"DECIDER_READY {endpoint} domain={DOMAIN} taskList={honour.task_list} mode=honour"


def test_honour_cancels_a_started_activity_then_the_workflow(client: Any, honour: DeciderProcess) -> None:
    run = start(client, honour, heartbeat_timeout="60", start_to_close_timeout="600")
    task = poll_activity(client, run["activityTaskList"])
    assert task["activityId"] == "activity-0"
    assert client.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"] is False

    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=run["workflowId"], runId=run["runId"])
    wait_for(
        "cancelRequested: true",
        lambda: client.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"],
    )
    client.respond_activity_task_canceled(taskToken=task["taskToken"], details="cleaned up")
    assert wait_closed(client, run) == "CANCELED"

    events = history(client, run)
    kinds = types_of(events)
    order = [
        "ActivityTaskScheduled",
        "ActivityTaskStarted",
        "WorkflowExecutionCancelRequested",
        "ActivityTaskCancelRequested",
        "ActivityTaskCanceled",
        "WorkflowExecutionCanceled",
    ]
    positions = [kinds.index(kind) for kind in order]
    assert positions == sorted(positions), kinds
    scheduled = attributes(events[kinds.index("ActivityTaskScheduled")])
    assert scheduled["heartbeatTimeout"] == "60" and scheduled["startToCloseTimeout"] == "600"
    assert scheduled["taskList"] == {"name": run["activityTaskList"]}
    canceled = attributes(events[kinds.index("ActivityTaskCanceled")])
    assert canceled["details"] == "cleaned up"
    assert canceled["startedEventId"] == events[kinds.index("ActivityTaskStarted")]["eventId"]
    assert kinds[-1] == "WorkflowExecutionCanceled"


def test_honour_cancels_a_scheduled_only_activity_at_once(client: Any, honour: DeciderProcess) -> None:
    run = start(client, honour, count=2)
    first = poll_activity(client, run["activityTaskList"])  # activity-1 stays scheduled only
    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=run["workflowId"], runId=run["runId"])
    wait_for(
        "cancelRequested: true",
        lambda: client.record_activity_task_heartbeat(taskToken=first["taskToken"])["cancelRequested"],
    )
    events = history(client, run)
    canceled = [attributes(e) for e in events if e["eventType"] == "ActivityTaskCanceled"]
    assert len(canceled) == 1 and canceled[0]["startedEventId"] == 0
    assert close_status(client, run) is None  # still waiting for the started one
    client.respond_activity_task_canceled(taskToken=first["taskToken"])
    assert wait_closed(client, run) == "CANCELED"


def test_ignore_leaves_the_activity_running_and_completes_normally(client: Any, ignore: DeciderProcess) -> None:
    run = start(client, ignore)
    task = poll_activity(client, run["activityTaskList"])
    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=run["workflowId"], runId=run["runId"])

    def cancel_request_decided() -> bool:
        kinds = types_of(history(client, run))
        after = kinds[kinds.index("WorkflowExecutionCancelRequested"):]
        return "DecisionTaskCompleted" in after

    wait_for("the decision task of the cancel request", cancel_request_decided)
    kinds = types_of(history(client, run))
    assert "ActivityTaskCancelRequested" not in kinds
    assert kinds[-1] == "DecisionTaskCompleted"  # completed with no decisions
    assert client.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"] is False
    info = client.describe_workflow_execution(
        domain=DOMAIN, execution={"workflowId": run["workflowId"], "runId": run["runId"]}
    )
    assert info["executionInfo"]["cancelRequested"] is True
    assert info["openCounts"]["openActivityTasks"] == 1

    client.respond_activity_task_completed(taskToken=task["taskToken"], result="done anyway")
    assert wait_closed(client, run) == "COMPLETED"


def test_all_completed_completes_the_workflow(client: Any, honour: DeciderProcess) -> None:
    run = start(client, honour, count=2)
    for _ in range(2):
        task = poll_activity(client, run["activityTaskList"])
        client.respond_activity_task_completed(taskToken=task["taskToken"], result="ok")
    assert wait_closed(client, run) == "COMPLETED"
    events = history(client, run)
    scheduled = [attributes(e)["activityId"] for e in events if e["eventType"] == "ActivityTaskScheduled"]
    assert scheduled == ["activity-0", "activity-1"]  # each scheduled once
    done = attributes(events[-1])
    assert events[-1]["eventType"] == "WorkflowExecutionCompleted"
    assert done["result"] == '{"completed": ["activity-0", "activity-1"]}'


def test_failed_activity_fails_the_workflow(client: Any, honour: DeciderProcess) -> None:
    run = start(client, honour)
    task = poll_activity(client, run["activityTaskList"])
    client.respond_activity_task_failed(taskToken=task["taskToken"], reason="boom", details="stack")
    assert wait_closed(client, run) == "FAILED"
    last = history(client, run)[-1]
    assert last["eventType"] == "WorkflowExecutionFailed"
    assert attributes(last)["reason"] == "activity activity-0 failed"
    assert attributes(last)["details"] == "boom"


def test_timed_out_activity_fails_the_workflow(client: Any, honour: DeciderProcess) -> None:
    run = start(client, honour, heartbeat_timeout="1")
    poll_activity(client, run["activityTaskList"])  # then the worker goes silent
    assert wait_closed(client, run) == "FAILED"
    events = history(client, run)
    assert "ActivityTaskTimedOut" in types_of(events)
    assert attributes(events[-1])["details"] == "HEARTBEAT"


def test_bad_input_fails_the_workflow(client: Any, honour: DeciderProcess) -> None:
    scenario.ensure_registered(client, DOMAIN)
    workflow_id = f"bad-input-{uuid.uuid4().hex[:8]}"
    run_id = client.start_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, workflowType=scenario.WORKFLOW_TYPE,
        taskList={"name": honour.task_list}, input="not json",
    )["runId"]
    run = {"workflowId": workflow_id, "runId": run_id}
    assert wait_closed(client, run) == "FAILED"
    assert attributes(history(client, run)[-1])["reason"] == "bad workflow input"


def test_scenario_cli_starts_a_workflow_for_the_decider(endpoint: str, client: Any, honour: DeciderProcess) -> None:
    from swf_local.test_swf_local import run_cli

    code, run = run_cli(endpoint, "start-workflow", "--task-list", honour.task_list, "--heartbeat-timeout", "30",
                        "--tag", "demo")
    assert code == 0, run
    assert run["activityTaskList"] == f"{honour.task_list}.activities" and run["activityIds"] == ["activity-0"]
    task = poll_activity(client, run["activityTaskList"])
    assert task["workflowExecution"] == {"workflowId": run["workflowId"], "runId": run["runId"]}
    listed = client.list_open_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": 0}, tagFilter={"tag": "demo"}
    )["executionInfos"]
    assert run["workflowId"] in [e["execution"]["workflowId"] for e in listed]
    client.respond_activity_task_completed(taskToken=task["taskToken"])
    assert wait_closed(client, run) == "COMPLETED"


def test_idle_decider_does_not_busy_loop(honour: DeciderProcess) -> None:
    def cpu_seconds() -> float:
        fields = Path(f"/proc/{honour.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = cpu_seconds()
    time.sleep(2.0)
    used = cpu_seconds() - before
    assert used < 0.6, f"idle decider used {used:.2f} s of CPU in 2 s"


def test_sigterm_exits_zero(endpoint: str) -> None:
    process = DeciderProcess(endpoint, "ignore")
    assert process.stop() == 0
    assert process.proc.stdout.read() == ""  # nothing after the ready line


# --------------------------------------------------------------------------- #
# The plan format (pure)
# --------------------------------------------------------------------------- #
def test_plan_defaults_and_timeouts_become_schedule_attributes() -> None:
    plan = decider.parse_plan('{"activities": [{"activityId": "a", "heartbeatTimeout": 5, "input": "x"}]}', "tl")
    assert plan == [{
        "activityId": "a",
        "activityType": scenario.ACTIVITY_TYPE,
        "taskList": {"name": "tl"},
        "heartbeatTimeout": "5",
        "input": "x",
    }]
    # Every produced decision is a valid ScheduleActivityTask per AWS's model.
    model = botocore.session.get_session().get_service_model("swf")
    shape = model.shape_for("ScheduleActivityTaskDecisionAttributes")
    assert set(plan[0]) <= set(shape.members) and set(shape.required_members) <= set(plan[0])


@pytest.mark.parametrize(
    "text",
    [
        "nope",
        "[]",
        '{"activities": {}}',
        '{"activities": [{"activityId": ""}]}',
        '{"activities": [{"activityId": "a"}, {"activityId": "a"}]}',
        '{"activities": [{"activityId": "a", "heartbeatTimeout": "soon"}]}',
        '{"activities": [{"activityId": "a", "heartbeatTimeout": true}]}',
        '{"activities": [{"activityId": "a", "input": 3}]}',
    ],
)
def test_bad_plans_are_refused(text: str) -> None:
    with pytest.raises(decider.PlanError):
        decider.parse_plan(text, "tl")


def test_plan_without_task_list_is_refused() -> None:
    with pytest.raises(decider.PlanError):
        decider.parse_plan('{"activities": [{"activityId": "a"}]}', None)
