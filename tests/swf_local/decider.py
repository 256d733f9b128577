#!/usr/bin/env python3
"""A runnable SWF decider for the local SWF (demo, dashboard and operator tests).

    python3 -m tests.swf_local.decider --endpoint URL --domain D --task-list T \\
        [--mode honour|ignore] [--activity-task-list A] [--identity NAME]
    python3 tests/swf_local/decider.py ...            (same, by path)

It registers the domain and swf_local's default types (idempotently), prints one
line on stdout once the endpoint answered::

    DECIDER_READY http://127.0.0.1:PORT domain=D taskList=T mode=honour

(``scripts/servers.sh``'s ``start_server`` waits for ``_READY http…``), then decides
every decision task of task list T until SIGTERM/SIGINT (exit 0).  One line per
decision task goes to stderr.

The workflow input says which activities to run (see ``parse_plan``)::

    {"activities": [{"activityId": "a1",
                     "activityType": {"name": "swf-edge-activity", "version": "1"},
                     "taskList": "work" | {"name": "work"},
                     "heartbeatTimeout": "30", "startToCloseTimeout": "600",
                     "scheduleToStartTimeout": "NONE", "scheduleToCloseTimeout": "NONE",
                     "input": "any string"}]}

Decisions, derived from the whole history each time (the decider keeps no state):

* activities of the plan not yet scheduled -> ``ScheduleActivityTask`` each;
* the workflow's cancel was requested and mode ``honour`` ->
  ``RequestCancelActivityTask`` for every open activity not yet asked, then, once
  every activity is closed, ``CancelWorkflowExecution``;
* mode ``ignore`` -> the cancel request changes nothing (the decision task that it
  caused is completed with no decisions): for stall tests;
* an activity failed, timed out, could not be scheduled or was canceled without
  the workflow being canceled -> ``FailWorkflowExecution``;
* every activity completed -> ``CompleteWorkflowExecution``;
* anything else (a start, a heartbeat-less wait, a signal) -> no decisions.

Idle polling: ``CountPendingDecisionTasks`` answers at once; when it is 0 the
decider sleeps ``--idle-ms`` (150 ms) before asking again, so it neither busy-loops
nor pays moto's 1 s empty poll.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

try:  # python3 -m tests.swf_local.decider
    from . import scenario
except ImportError:  # python3 tests/swf_local/decider.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from swf_local import scenario  # type: ignore[no-redef]

READY_PREFIX = "DECIDER_READY"
MODES = ("honour", "ignore")
TIMEOUT_MEMBERS = (
    "heartbeatTimeout",
    "startToCloseTimeout",
    "scheduleToStartTimeout",
    "scheduleToCloseTimeout",
)
#: Activity states that are final.
CLOSED_STATES = ("completed", "failed", "timed-out", "canceled")
#: How long (s) the endpoint may stay unreachable before the decider gives up.
UNREACHABLE_LIMIT_S = 15.0


class PlanError(ValueError):
    """The workflow input is not a valid activity plan."""


# --------------------------------------------------------------------------- #
# The plan (workflow input)
# --------------------------------------------------------------------------- #
def parse_plan(workflow_input: str | None, default_task_list: str | None) -> list[dict[str, Any]]:
    """``ScheduleActivityTask`` attributes for each activity of the workflow input.

    Input: a JSON object ``{"activities": [...]}`` (absent input = no activities).
    ``activityType`` defaults to swf_local's ``swf-edge-activity`` v1, ``taskList``
    to ``--activity-task-list``; timeouts may be strings (seconds or ``NONE``) or
    non-negative integers.  Raises PlanError.
    """
    if workflow_input is None or workflow_input == "":
        return []
    try:
        document = json.loads(workflow_input)
    except ValueError as exc:
        raise PlanError(f"workflow input is not JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("activities", []), list):
        raise PlanError('workflow input must be {"activities": [...]}')
    plan: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(document.get("activities", [])):
        if not isinstance(item, dict):
            raise PlanError(f"activities[{index}] is not an object")
        plan.append(_schedule_attributes(index, item, default_task_list))
        if plan[-1]["activityId"] in seen:
            raise PlanError(f"activities[{index}]: duplicate activityId")
        seen.add(plan[-1]["activityId"])
    return plan


def _schedule_attributes(index: int, item: dict[str, Any], default_task_list: str | None) -> dict[str, Any]:
    activity_id = item.get("activityId")
    if not isinstance(activity_id, str) or not activity_id:
        raise PlanError(f"activities[{index}].activityId must be a non-empty string")
    activity_type = item.get("activityType", scenario.ACTIVITY_TYPE)
    if not (
        isinstance(activity_type, dict)
        and isinstance(activity_type.get("name"), str)
        and isinstance(activity_type.get("version"), str)
    ):
        raise PlanError(f"activities[{index}].activityType must be {{name, version}}")
    task_list = item.get("taskList", default_task_list)
    if isinstance(task_list, dict):
        task_list = task_list.get("name")
    if not isinstance(task_list, str) or not task_list:
        raise PlanError(f"activities[{index}] has no taskList (and no --activity-task-list)")
    attributes: dict[str, Any] = {
        "activityId": activity_id,
        "activityType": {"name": activity_type["name"], "version": activity_type["version"]},
        "taskList": {"name": task_list},
    }
    for member in TIMEOUT_MEMBERS:
        if member in item:
            attributes[member] = _timeout_value(index, member, item[member])
    if "input" in item:
        if not isinstance(item["input"], str):
            raise PlanError(f"activities[{index}].input must be a string")
        attributes["input"] = item["input"]
    return attributes


def _timeout_value(index: int, member: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PlanError(f"activities[{index}].{member} must be seconds or \"NONE\"")
    text = str(value)
    if text != "NONE" and not (text.isdigit() and len(text) <= 8):
        raise PlanError(f"activities[{index}].{member} must be seconds or \"NONE\"")
    return text


# --------------------------------------------------------------------------- #
# What the history says
# --------------------------------------------------------------------------- #
@dataclass
class Activity:
    """One activity as the history shows it."""

    activity_id: str
    state: str = "scheduled"  # scheduled|started|cancel-requested|<CLOSED_STATES>|schedule-failed
    cancel_requested: bool = False
    reason: str | None = None


@dataclass
class ExecutionView:
    """What the decider needs to know about one execution, from its events."""

    workflow_input: str | None = None
    cancel_requested: bool = False
    activities: dict[str, Activity] = field(default_factory=dict)

    @property
    def open_activities(self) -> list[Activity]:
        return [a for a in self.activities.values() if a.state not in CLOSED_STATES + ("schedule-failed",)]


def _attributes(event: dict[str, Any]) -> dict[str, Any]:
    kind = event["eventType"]
    return event.get(kind[0].lower() + kind[1:] + "EventAttributes", {})


def read_history(events: list[dict[str, Any]]) -> ExecutionView:
    """Fold a full history (oldest first) into an ExecutionView."""
    view = ExecutionView()
    by_scheduled_id: dict[int, Activity] = {}
    closing = {
        "ActivityTaskCompleted": "completed",
        "ActivityTaskFailed": "failed",
        "ActivityTaskTimedOut": "timed-out",
        "ActivityTaskCanceled": "canceled",
    }
    for event in sorted(events, key=lambda e: e["eventId"]):
        kind, attrs = event["eventType"], _attributes(event)
        if kind == "WorkflowExecutionStarted":
            view.workflow_input = attrs.get("input")
        elif kind == "WorkflowExecutionCancelRequested":
            view.cancel_requested = True
        elif kind == "ActivityTaskScheduled":
            activity = Activity(attrs["activityId"])
            view.activities[activity.activity_id] = activity
            by_scheduled_id[event["eventId"]] = activity
        elif kind == "ScheduleActivityTaskFailed":
            activity = Activity(attrs["activityId"], state="schedule-failed", reason=attrs.get("cause"))
            view.activities.setdefault(activity.activity_id, activity)
        elif kind == "ActivityTaskStarted":
            activity = by_scheduled_id.get(attrs.get("scheduledEventId"))
            if activity and activity.state == "scheduled":
                activity.state = "cancel-requested" if activity.cancel_requested else "started"
        elif kind == "ActivityTaskCancelRequested":
            activity = view.activities.get(attrs.get("activityId"))
            if activity and activity.state not in CLOSED_STATES:
                activity.cancel_requested = True
                activity.state = "cancel-requested"
        elif kind in closing:
            activity = by_scheduled_id.get(attrs.get("scheduledEventId"))
            if activity:
                activity.state = closing[kind]
                activity.reason = attrs.get("reason") or attrs.get("timeoutType")
    return view


# --------------------------------------------------------------------------- #
# Decisions
# --------------------------------------------------------------------------- #
def _decision(kind: str, **attributes: Any) -> dict[str, Any]:
    key = kind[0].lower() + kind[1:] + "DecisionAttributes"
    return {"decisionType": kind, key: {k: v for k, v in attributes.items() if v is not None}}


def decide(events: list[dict[str, Any]], mode: str, default_task_list: str | None) -> list[dict[str, Any]]:
    """The decisions for a decision task whose (full) history is ``events``."""
    view = read_history(events)
    try:
        plan = parse_plan(view.workflow_input, default_task_list)
    except PlanError as error:
        return [_decision("FailWorkflowExecution", reason="bad workflow input", details=str(error)[:32768])]

    if view.cancel_requested and mode == "honour":
        open_activities = view.open_activities
        if not open_activities:
            return [_decision("CancelWorkflowExecution", details="canceled on request (swf_local decider)")]
        return [
            _decision("RequestCancelActivityTask", activityId=a.activity_id)
            for a in open_activities
            if not a.cancel_requested
        ]

    for activity in view.activities.values():
        if activity.state in ("failed", "timed-out", "schedule-failed", "canceled"):
            reason = f"activity {activity.activity_id} {activity.state}"
            return [_decision("FailWorkflowExecution", reason=reason[:256], details=activity.reason)]

    unscheduled = [attrs for attrs in plan if attrs["activityId"] not in view.activities]
    if unscheduled:
        return [_decision("ScheduleActivityTask", **attrs) for attrs in unscheduled]
    if all(a.state == "completed" for a in view.activities.values()):
        result = json.dumps({"completed": sorted(view.activities)})
        return [_decision("CompleteWorkflowExecution", result=result if len(result) <= 32768 else None)]
    return []


def describe(decisions: list[dict[str, Any]]) -> str:
    """A short human-readable summary of a decision list, for the log."""
    if not decisions:
        return "(no decisions)"
    parts = []
    for decision in decisions:
        attrs = next((v for k, v in decision.items() if k != "decisionType"), {})
        target = attrs.get("activityId")
        parts.append(f"{decision['decisionType']}({target})" if target else decision["decisionType"])
    return ", ".join(parts)


# --------------------------------------------------------------------------- #
# The loop
# --------------------------------------------------------------------------- #
@dataclass
class Decider:
    """Polls one decision task list and answers each task with ``decide``."""

    client: Any
    domain: str
    task_list: str
    mode: str = "honour"
    activity_task_list: str | None = None
    identity: str = "swf-local-decider"
    idle_s: float = 0.15
    stop: threading.Event = field(default_factory=threading.Event)
    log: Any = sys.stderr

    def _say(self, text: str) -> None:
        print(f"decider: {text}", file=self.log, flush=True)

    def _pending(self) -> int:
        answer = self.client.count_pending_decision_tasks(domain=self.domain, taskList={"name": self.task_list})
        return int(answer["count"])

    def _poll(self) -> dict[str, Any] | None:
        """One decision task with all its events (following nextPageToken), or None."""
        kwargs: dict[str, Any] = {"domain": self.domain, "taskList": {"name": self.task_list}, "identity": self.identity}
        task = self.client.poll_for_decision_task(**kwargs)
        if not task.get("taskToken"):
            return None
        events = list(task.get("events", []))
        while task.get("nextPageToken"):
            task = self.client.poll_for_decision_task(**kwargs, nextPageToken=task["nextPageToken"])
            events += task.get("events", [])
        task["events"] = events
        return task

    def step(self) -> bool:
        """Decide at most one decision task; False when there was none."""
        if not self._pending():
            return False
        task = self._poll()
        if task is None:
            return False
        execution = task["workflowExecution"]
        try:
            decisions = decide(task["events"], self.mode, self.activity_task_list)
        except Exception as error:  # noqa: BLE001 - a decider bug must show, not kill the loop
            self._say(f"{execution['workflowId']}: decider error: {error!r}")
            decisions = [_decision("FailWorkflowExecution", reason="swf_local decider error", details=repr(error)[:32768])]
        try:
            self.client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
        except ClientError as error:  # e.g. the execution was terminated meanwhile
            self._say(f"{execution['workflowId']}: {error.response['Error'].get('Code')}: {describe(decisions)}")
            return True
        self._say(f"{execution['workflowId']} {execution['runId']}: {describe(decisions)}")
        return True

    def run(self) -> int:
        """Decide until ``stop`` is set (0) or the endpoint stays unreachable (1)."""
        unreachable_since: float | None = None
        while not self.stop.is_set():
            try:
                busy = self.step()
                unreachable_since = None
            except (BotoCoreError, ClientError, OSError) as error:
                now = time.monotonic()
                unreachable_since = unreachable_since or now
                if now - unreachable_since > UNREACHABLE_LIMIT_S:
                    self._say(f"giving up: {error}")
                    return 1
                self._say(f"retrying after: {error}")
                busy = False
                self.stop.wait(1.0)
            if not busy:
                self.stop.wait(self.idle_s)
        return 0


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="the local SWF's URL (SWF_LOCAL_READY line)")
    parser.add_argument("--domain", default=scenario.DEFAULT_DOMAIN)
    parser.add_argument("--task-list", required=True, help="decision task list to poll")
    parser.add_argument("--mode", choices=MODES + ("honor",), default="honour", help="cancel requests")
    parser.add_argument("--activity-task-list", default=None, help="task list of activities whose plan has none")
    parser.add_argument("--identity", default="swf-local-decider")
    parser.add_argument("--idle-ms", type=int, default=150, help="sleep between empty polls")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    client = scenario.make_client(args.endpoint)
    try:
        scenario.ensure_registered(client, args.domain)
    except (BotoCoreError, ClientError) as error:
        print(f"decider: cannot use {args.endpoint}: {error}", file=sys.stderr)
        return 1
    mode = "honour" if args.mode == "honor" else args.mode
    decider = Decider(
        client,
        args.domain,
        args.task_list,
        mode=mode,
        activity_task_list=args.activity_task_list,
        identity=args.identity,
        idle_s=max(args.idle_ms, 10) / 1000,
    )

    def on_signal(_signum: int, _frame: Any) -> None:
        decider.stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"{READY_PREFIX} {args.endpoint} domain={args.domain} taskList={args.task_list} mode={mode}", flush=True)
    return decider.run()


if __name__ == "__main__":
    sys.exit(main())
