#!/usr/bin/env python3
"""Workflow histories with activities in every state, produced by a swf_local server.

    python3 tests/support/operator_scenarios.py --endpoint URL every-state
        -> {"domain", "execution": {"workflowId", "runId"}, "events": [...], "did": {...}}

One workflow execution gets one activity per state, each on its own task list, driven
with boto3 the way a decider and workers would (no shortcuts into moto):

* ``completed`` / ``failed``: polled and closed by the "worker" with a result / reason;
* ``timed-out``: scheduled with a 2 s heartbeat timeout, polled first, never heartbeaten;
* ``canceled``: polled, the decider decides RequestCancelActivityTask, the worker's
  heartbeat says cancelRequested and it responds canceled with details;
* ``canceled-unstarted``: only scheduled, then RequestCancelActivityTask (SWF cancels
  such an activity at once);
* ``cancel-requested``: polled, RequestCancelActivityTask, left open;
* ``started``: polled and left open; ``scheduled``: never polled;
* ``schedule-failed``: ScheduleActivityTask with an unregistered activity type;
* a RequestCancelActivityTask for ``completed`` after it closed
  (RequestCancelActivityTaskFailed, ACTIVITY_ID_UNKNOWN).

``events`` are the raw history as SWF's JSON has it (``eventTimestamp`` in epoch
seconds): boto3 parses timestamps into datetimes, converted back here. ``did`` says
what was done to each activity (worker identities, results, details), so a test can
check the records against the actions rather than against copied numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from swf_local import scenario  # noqa: E402

#: Heartbeat timeout (s) of the activity that is left to time out.
TIMEOUT_S = 2


def _raw(value: Any) -> Any:
    """boto3's parsed answer back to SWF's JSON: datetimes -> epoch seconds."""
    if hasattr(value, "timestamp") and hasattr(value, "isoformat"):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: _raw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_raw(v) for v in value]
    return value


def raw_history(client: Any, domain: str, workflow_id: str, run_id: str) -> list[dict[str, Any]]:
    """Every page of an execution's history, raw."""
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"domain": domain, "execution": {"workflowId": workflow_id, "runId": run_id}}
    while True:
        page = client.get_workflow_execution_history(**kwargs)
        events += page["events"]
        if not page.get("nextPageToken"):
            return _raw(events)
        kwargs["nextPageToken"] = page["nextPageToken"]


class Execution:
    """One workflow execution, with a decider that decides what it is told to."""

    def __init__(self, client: Any, domain: str, label: str) -> None:
        self.client = client
        self.domain = domain
        self.workflow_id = f"operator-{label}-{uuid.uuid4().hex[:10]}"
        self.run_id = scenario.start_workflow(client, domain, self.workflow_id)
        self.decisions_pending = True  # the start scheduled the first decision task

    def decide(self, decisions: list[dict[str, Any]]) -> None:
        """Complete one decision task with ``decisions`` (a signal wakes the decider if needed)."""
        task_list = scenario.decision_task_list(self.workflow_id)
        pending = self.client.count_pending_decision_tasks(domain=self.domain, taskList={"name": task_list})["count"]
        if not pending:
            self.client.signal_workflow_execution(
                domain=self.domain, workflowId=self.workflow_id, runId=self.run_id, signalName="decide"
            )
        task = scenario.poll_decision(self.client, self.domain, task_list, self.run_id)
        self.client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)

    def task_list(self, activity_id: str) -> str:
        return f"{self.workflow_id}.{activity_id}"

    def poll(self, activity_id: str, identity: str) -> dict[str, Any]:
        task = self.client.poll_for_activity_task(
            domain=self.domain, taskList={"name": self.task_list(activity_id)}, identity=identity
        )
        if task.get("activityId") != activity_id:
            raise scenario.ScenarioError(f"expected a task of {activity_id}, got {task!r}")
        return task


def schedule(execution: Execution, activity_id: str, activity_type: dict[str, str] | None = None, **timeouts: str) -> dict[str, Any]:
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": {
            "activityType": activity_type or scenario.ACTIVITY_TYPE,
            "activityId": activity_id,
            "taskList": {"name": execution.task_list(activity_id)},
            "input": json.dumps({"activity": activity_id}),
            **timeouts,
        },
    }


def request_cancel(activity_id: str) -> dict[str, Any]:
    return {
        "decisionType": "RequestCancelActivityTask",
        "requestCancelActivityTaskDecisionAttributes": {"activityId": activity_id},
    }


def every_state(client: Any, domain: str) -> dict[str, Any]:
    scenario.ensure_registered(client, domain)
    ex = Execution(client, domain, "every-state")
    ids = ["scheduled", "started", "cancel-requested", "canceled", "canceled-unstarted", "completed", "failed"]
    decisions = [schedule(ex, a) for a in ids]
    decisions.append(schedule(ex, "timed-out", heartbeatTimeout=str(TIMEOUT_S)))
    decisions.append(schedule(ex, "schedule-failed", {"name": "not-registered", "version": "0"}))
    ex.decide(decisions)

    did: dict[str, Any] = {}
    tokens = {}
    polled_at = time.time()  # at the latest; moto counts the timeout from the scheduling
    for activity_id in ["timed-out", "started", "cancel-requested", "canceled", "completed", "failed"]:
        identity = f"worker-{activity_id}"
        tokens[activity_id] = ex.poll(activity_id, identity)["taskToken"]
        did[activity_id] = {"identity": identity}

    client.respond_activity_task_completed(taskToken=tokens["completed"], result="shipped 3")
    did["completed"]["result"] = "shipped 3"
    client.respond_activity_task_failed(taskToken=tokens["failed"], reason="OutOfStock", details="sku 42")
    did["failed"].update(reason="OutOfStock", details="sku 42")

    ex.decide([request_cancel(a) for a in ["canceled", "canceled-unstarted", "cancel-requested"]])
    if not client.record_activity_task_heartbeat(taskToken=tokens["canceled"])["cancelRequested"]:
        raise scenario.ScenarioError("the heartbeat should say cancelRequested")
    client.respond_activity_task_canceled(taskToken=tokens["canceled"], details="rolled back")
    did["canceled"]["details"] = "rolled back"

    # The heartbeat timeout of "timed-out" fires lazily, on the next request after it.
    time.sleep(max(0.0, polled_at + TIMEOUT_S + 0.3 - time.time()))
    for activity_id in ["started", "cancel-requested"]:  # keep these alive meanwhile
        client.record_activity_task_heartbeat(taskToken=tokens[activity_id])
    ex.decide([request_cancel("completed")])  # closed already: RequestCancelActivityTaskFailed

    return {
        "domain": domain,
        "execution": {"workflowId": ex.workflow_id, "runId": ex.run_id},
        "events": raw_history(client, domain, ex.workflow_id, ex.run_id),
        "did": did,
    }


SCENARIOS = {"every-state": every_state}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--domain", default="swf-edge-operator")
    parser.add_argument("name", choices=sorted(SCENARIOS))
    args = parser.parse_args(argv)
    print(json.dumps(SCENARIOS[args.name](scenario.make_client(args.endpoint), args.domain)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
