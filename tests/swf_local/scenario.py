#!/usr/bin/env python3
"""Prepare and inspect SWF activity tasks on a swf_local server (module and CLI).

Every CLI call prints exactly one JSON document on stdout and exits 0; on an
error it prints ``{"ok": false, "error": {"code": ..., "message": ...}}`` and
exits 1.  ``--endpoint`` (or the SWF_LOCAL_ENDPOINT environment variable) is the
URL printed by server.py.  Subcommands::

    prepare --count N [--cancel-requested K] [--domain D] [--task-list T]
            [--heartbeat-timeout S]
        -> {"domain", "taskList", "tasks": [{"taskToken", "workflowId", "runId",
            "activityId", "input", "cancelRequested"}, ...]}
    request-cancel --workflow-id W --run-id R [--domain D]
        -> {"ok": true, "activityIds": [...]}
    history --workflow-id W --run-id R [--domain D]   -> {"events": [...]}
    close --how completed|failed|canceled --task-token T  -> {"ok": true}
    heartbeat --task-token T [--details S]             -> {"cancelRequested": bool}
    reset                                              -> {"ok": true}
    start-workflow --task-list T [--activity-task-list A] [--activities N]
            [--heartbeat-timeout S] [--start-to-close-timeout S] [--workflow-id W]
            [--tag TAG ...] [--input JSON] [--domain D]
        -> {"domain", "workflowId", "runId", "taskList", "activityTaskList",
            "activityIds"}  (a workflow for decider.py, see start_decided_workflow)

Each workflow execution gets its own decision task list, so concurrent callers
(parallel test files) never steal each other's decision tasks; the activity task
list defaults to a fresh name per ``prepare`` call for the same reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.request
import uuid
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

ACCESS_KEY = "AKIDLOCAL"
SECRET_KEY = "local-secret"
REGION = "us-east-1"
DEFAULT_DOMAIN = "swf-edge-local"
WORKFLOW_TYPE = {"name": "swf-edge-workflow", "version": "1"}
ACTIVITY_TYPE = {"name": "swf-edge-activity", "version": "1"}
ONE_YEAR = str(365 * 24 * 3600)  # the longest execution timeout SWF allows


class ScenarioError(RuntimeError):
    """The server did not behave as the scenario expects."""


# --------------------------------------------------------------------------- #
# Client and registration
# --------------------------------------------------------------------------- #
def make_client(endpoint: str) -> Any:
    """A boto3 SWF client for the local server (dummy credentials, no retries)."""
    return boto3.client(
        "swf",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30),
    )


def _ignore_fault(fault: str, call: Any, **kwargs: Any) -> None:
    """Run ``call(**kwargs)``, tolerating one expected SWF fault code."""
    try:
        call(**kwargs)
    except ClientError as error:
        if error.response["Error"]["Code"] != fault:
            raise


def ensure_registered(client: Any, domain: str) -> None:
    """Idempotently register the domain, the workflow type and the activity type.

    Timeouts are generous (activities never time out unless a test asks for a
    heartbeat timeout when scheduling) so tasks stay open for the whole test run.
    """
    _ignore_fault(
        "DomainAlreadyExistsFault",
        client.register_domain,
        name=domain,
        workflowExecutionRetentionPeriodInDays="1",
    )
    _ignore_fault(
        "TypeAlreadyExistsFault",
        client.register_workflow_type,
        domain=domain,
        **WORKFLOW_TYPE,
        defaultTaskStartToCloseTimeout="3600",
        defaultExecutionStartToCloseTimeout=ONE_YEAR,
        defaultChildPolicy="TERMINATE",
    )
    _ignore_fault(
        "TypeAlreadyExistsFault",
        client.register_activity_type,
        domain=domain,
        **ACTIVITY_TYPE,
        defaultTaskHeartbeatTimeout="NONE",
        defaultTaskScheduleToStartTimeout="NONE",
        defaultTaskScheduleToCloseTimeout="NONE",
        defaultTaskStartToCloseTimeout="NONE",
    )


# --------------------------------------------------------------------------- #
# Building blocks
# --------------------------------------------------------------------------- #
def decision_task_list(workflow_id: str) -> str:
    """The private decision task list of one workflow execution."""
    return f"{workflow_id}.decisions"


def start_workflow(client: Any, domain: str, workflow_id: str) -> str:
    """Start a workflow execution on its own decision task list; returns runId."""
    response = client.start_workflow_execution(
        domain=domain,
        workflowId=workflow_id,
        workflowType=WORKFLOW_TYPE,
        taskList={"name": decision_task_list(workflow_id)},
    )
    return response["runId"]


def poll_decision(client: Any, domain: str, task_list: str, run_id: str) -> dict[str, Any]:
    """Poll one decision task that must belong to ``run_id``."""
    task = client.poll_for_decision_task(domain=domain, taskList={"name": task_list})
    if not task.get("taskToken"):
        raise ScenarioError(f"no decision task on {task_list}")
    if task["workflowExecution"]["runId"] != run_id:
        raise ScenarioError(f"decision task of another execution on {task_list}")
    return task


def schedule_activity(
    client: Any,
    decision_token: str,
    activity_id: str,
    activity_input: str,
    task_list: str,
    heartbeat_timeout: str | None = None,
) -> None:
    """Complete a decision task with a single ScheduleActivityTask decision."""
    attributes: dict[str, Any] = {
        "activityType": ACTIVITY_TYPE,
        "activityId": activity_id,
        "input": activity_input,
        "taskList": {"name": task_list},
    }
    if heartbeat_timeout is not None:
        attributes["heartbeatTimeout"] = heartbeat_timeout
    client.respond_decision_task_completed(
        taskToken=decision_token,
        decisions=[
            {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": attributes}
        ],
    )


def poll_activity(client: Any, domain: str, task_list: str, run_id: str) -> dict[str, Any]:
    """Poll one activity task that must belong to ``run_id``."""
    task = client.poll_for_activity_task(domain=domain, taskList={"name": task_list})
    if not task.get("taskToken"):
        raise ScenarioError(f"no activity task on {task_list}")
    if task["workflowExecution"]["runId"] != run_id:
        raise ScenarioError(
            f"activity task of another execution on {task_list} (shared task list?)"
        )
    return task


def activities_to_cancel(events: list[dict[str, Any]]) -> list[str]:
    """activityIds that are open and not yet asked to cancel, from a history."""
    scheduled: dict[int, str] = {}
    closed: set[str] = set()
    requested: set[str] = set()
    for event in events:
        kind = event["eventType"]
        if kind == "ActivityTaskScheduled":
            scheduled[event["eventId"]] = event["activityTaskScheduledEventAttributes"]["activityId"]
        elif kind == "ActivityTaskCancelRequested":
            requested.add(event["activityTaskCancelRequestedEventAttributes"]["activityId"])
        elif kind in ("ActivityTaskCompleted", "ActivityTaskFailed", "ActivityTaskCanceled", "ActivityTaskTimedOut"):
            attributes_key = kind[0].lower() + kind[1:] + "EventAttributes"
            closed.add(scheduled.get(event[attributes_key]["scheduledEventId"], ""))
    return [a for a in scheduled.values() if a not in closed and a not in requested]


def run_decider(client: Any, domain: str, workflow_id: str, run_id: str) -> list[str]:
    """Answer every pending decision task of one execution.

    Each decision task is answered with RequestCancelActivityTask for the open
    activities not yet asked to cancel (none -> an empty decision list).
    Returns the activityIds asked to cancel.
    """
    task_list = decision_task_list(workflow_id)
    asked: list[str] = []
    # CountPendingDecisionTasks avoids moto's 1 s sleep on an empty poll.
    while client.count_pending_decision_tasks(domain=domain, taskList={"name": task_list})["count"]:
        task = poll_decision(client, domain, task_list, run_id)
        ids = activities_to_cancel(task["events"])
        decisions = [
            {
                "decisionType": "RequestCancelActivityTask",
                "requestCancelActivityTaskDecisionAttributes": {"activityId": activity_id},
            }
            for activity_id in ids
        ]
        client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)
        asked += ids
    return asked


# --------------------------------------------------------------------------- #
# Subcommands (importable)
# --------------------------------------------------------------------------- #
def request_cancel(client: Any, workflow_id: str, run_id: str, domain: str = DEFAULT_DOMAIN) -> dict[str, Any]:
    """RequestCancelWorkflowExecution, then decide RequestCancelActivityTask."""
    client.request_cancel_workflow_execution(domain=domain, workflowId=workflow_id, runId=run_id)
    asked = run_decider(client, domain, workflow_id, run_id)
    return {"ok": True, "activityIds": asked}


def prepare(
    client: Any,
    count: int,
    cancel_requested: int = 0,
    domain: str = DEFAULT_DOMAIN,
    task_list: str | None = None,
    heartbeat_timeout: str | None = None,
    poll: bool = True,
) -> dict[str, Any]:
    """Create ``count`` started activity tasks; the first ``cancel_requested`` of
    them get a cancel request (their heartbeat answers cancelRequested=true).
    With ``poll=False`` the tasks are only scheduled (``taskToken`` is None): a test
    polls them itself from the returned ``taskList``."""
    if count < 0 or not 0 <= cancel_requested <= count:
        raise ScenarioError("need 0 <= cancel_requested <= count")
    if not poll and cancel_requested:
        raise ScenarioError("--no-poll tasks cannot have a cancel request yet")
    ensure_registered(client, domain)
    batch = uuid.uuid4().hex[:12]
    task_list = task_list or f"swf-edge-{batch}"
    tasks = []
    for index in range(count):
        workflow_id = f"swf-edge-{batch}-{index}"
        activity_id = f"activity-{index}"
        activity_input = json.dumps({"index": index, "workflowId": workflow_id})
        run_id = start_workflow(client, domain, workflow_id)
        decision = poll_decision(client, domain, decision_task_list(workflow_id), run_id)
        schedule_activity(
            client, decision["taskToken"], activity_id, activity_input, task_list, heartbeat_timeout
        )
        activity = poll_activity(client, domain, task_list, run_id) if poll else {"activityId": activity_id, "input": activity_input}
        wants_cancel = index < cancel_requested
        if wants_cancel:
            request_cancel(client, workflow_id, run_id, domain)
        tasks.append(
            {
                "taskToken": activity.get("taskToken"),
                "workflowId": workflow_id,
                "runId": run_id,
                "activityId": activity["activityId"],
                "input": activity.get("input"),
                "cancelRequested": wants_cancel,
            }
        )
    return {"domain": domain, "taskList": task_list, "tasks": tasks}


def activity_plan(
    count: int,
    task_list: str,
    heartbeat_timeout: str | None = None,
    start_to_close_timeout: str | None = None,
    prefix: str = "activity",
) -> list[dict[str, Any]]:
    """``count`` activities of swf_local's default type for decider.py's plan."""
    plan = []
    for index in range(count):
        item: dict[str, Any] = {
            "activityId": f"{prefix}-{index}",
            "activityType": ACTIVITY_TYPE,
            "taskList": {"name": task_list},
            "input": json.dumps({"index": index}),
        }
        if heartbeat_timeout is not None:
            item["heartbeatTimeout"] = str(heartbeat_timeout)
        if start_to_close_timeout is not None:
            item["startToCloseTimeout"] = str(start_to_close_timeout)
        plan.append(item)
    return plan


def start_decided_workflow(
    client: Any,
    task_list: str,
    activities: list[dict[str, Any]],
    domain: str = DEFAULT_DOMAIN,
    workflow_id: str | None = None,
    tag_list: list[str] | None = None,
) -> dict[str, Any]:
    """Start a workflow on decision task list ``task_list`` for decider.py.

    Its input is ``{"activities": activities}`` (decider.py's plan format); the
    domain, the workflow type and every activity type named in the plan are
    registered first (idempotently, every timeout NONE by default).  A worker (a
    JS ``runActivity`` loop, boto3, ...) then polls each activity's task list.
    """
    ensure_registered(client, domain)
    for activity in activities:
        activity_type = activity.get("activityType", ACTIVITY_TYPE)
        if activity_type != ACTIVITY_TYPE:
            _ignore_fault(
                "TypeAlreadyExistsFault",
                client.register_activity_type,
                domain=domain,
                **activity_type,
                defaultTaskHeartbeatTimeout="NONE",
                defaultTaskScheduleToStartTimeout="NONE",
                defaultTaskScheduleToCloseTimeout="NONE",
                defaultTaskStartToCloseTimeout="NONE",
            )
    workflow_id = workflow_id or f"swf-edge-decided-{uuid.uuid4().hex[:12]}"
    kwargs: dict[str, Any] = {
        "domain": domain,
        "workflowId": workflow_id,
        "workflowType": WORKFLOW_TYPE,
        "taskList": {"name": task_list},
        "input": json.dumps({"activities": activities}),
    }
    if tag_list:
        kwargs["tagList"] = tag_list
    run_id = client.start_workflow_execution(**kwargs)["runId"]
    task_lists = sorted({_task_list_name(a.get("taskList")) for a in activities} - {None})
    return {
        "domain": domain,
        "workflowId": workflow_id,
        "runId": run_id,
        "taskList": task_list,
        "activityTaskList": task_lists[0] if len(task_lists) == 1 else None,
        "activityIds": [a.get("activityId") for a in activities],
    }


def _task_list_name(task_list: Any) -> str | None:
    return task_list.get("name") if isinstance(task_list, dict) else task_list


def _jsonable(value: Any) -> Any:
    """Datetimes (boto3 parses event timestamps) -> ISO 8601 strings."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def history(client: Any, workflow_id: str, run_id: str, domain: str = DEFAULT_DOMAIN) -> dict[str, Any]:
    """The full event list of one execution, JSON-serialisable."""
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"domain": domain, "execution": {"workflowId": workflow_id, "runId": run_id}}
    while True:
        page = client.get_workflow_execution_history(**kwargs)
        events += page["events"]
        if not page.get("nextPageToken"):
            break
        kwargs["nextPageToken"] = page["nextPageToken"]
    return {"events": _jsonable(events)}


def close(client: Any, how: str, task_token: str) -> dict[str, Any]:
    """Close an activity task as completed, failed or canceled."""
    if how == "completed":
        client.respond_activity_task_completed(taskToken=task_token, result="closed by scenario")
    elif how == "failed":
        client.respond_activity_task_failed(taskToken=task_token, reason="closed by scenario")
    elif how == "canceled":
        client.respond_activity_task_canceled(taskToken=task_token, details="closed by scenario")
    else:
        raise ScenarioError(f"unknown --how {how!r}")
    return {"ok": True}


def heartbeat(client: Any, task_token: str, details: str | None = None) -> dict[str, Any]:
    """RecordActivityTaskHeartbeat; returns {"cancelRequested": bool}."""
    kwargs = {"taskToken": task_token}
    if details is not None:
        kwargs["details"] = details
    return {"cancelRequested": client.record_activity_task_heartbeat(**kwargs)["cancelRequested"]}


def reset(endpoint: str) -> dict[str, Any]:
    """Forget all state on the server (moto's POST /moto-api/reset)."""
    request = urllib.request.Request(endpoint.rstrip("/") + "/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    return {"ok": True}


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="swf_local scenario helper (JSON on stdout)")
    parser.add_argument("--endpoint", default=os.environ.get("SWF_LOCAL_ENDPOINT"))
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str) -> argparse.ArgumentParser:
        sub_parser = sub.add_parser(name)
        sub_parser.add_argument("--endpoint", default=argparse.SUPPRESS)
        return sub_parser

    def with_domain(sub_parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub_parser.add_argument("--domain", default=DEFAULT_DOMAIN)
        return sub_parser

    def with_execution(sub_parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub_parser.add_argument("--workflow-id", required=True)
        sub_parser.add_argument("--run-id", required=True)
        return with_domain(sub_parser)

    prep = with_domain(command("prepare"))
    prep.add_argument("--count", type=int, required=True)
    prep.add_argument("--cancel-requested", type=int, default=0)
    prep.add_argument("--task-list", default=None)
    prep.add_argument("--heartbeat-timeout", default=None, help="seconds, e.g. 1 (default NONE)")
    prep.add_argument("--no-poll", dest="poll", action="store_false", help="only schedule the activities")
    with_execution(command("request-cancel"))
    with_execution(command("history"))
    closing = command("close")
    closing.add_argument("--how", choices=["completed", "failed", "canceled"], required=True)
    closing.add_argument("--task-token", required=True)
    beat = command("heartbeat")
    beat.add_argument("--task-token", required=True)
    beat.add_argument("--details", default=None)
    command("reset")
    start = with_domain(command("start-workflow"))
    start.add_argument("--task-list", required=True, help="decision task list (the decider's)")
    start.add_argument("--activity-task-list", default=None, help="default: <task-list>.activities")
    start.add_argument("--activities", type=int, default=1, help="how many activities (default 1)")
    start.add_argument("--heartbeat-timeout", default=None, help="seconds (default NONE)")
    start.add_argument("--start-to-close-timeout", default=None, help="seconds (default NONE)")
    start.add_argument("--workflow-id", default=None)
    start.add_argument("--tag", action="append", default=None, help="tagList entry (repeatable)")
    start.add_argument("--input", default=None, help="the whole plan as JSON (overrides --activities)")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Execute one parsed CLI command and return its JSON document."""
    if args.command == "reset":
        return reset(args.endpoint)
    client = make_client(args.endpoint)
    if args.command == "prepare":
        return prepare(
            client, args.count, args.cancel_requested, args.domain, args.task_list, args.heartbeat_timeout, args.poll
        )
    if args.command == "request-cancel":
        return request_cancel(client, args.workflow_id, args.run_id, args.domain)
    if args.command == "history":
        return history(client, args.workflow_id, args.run_id, args.domain)
    if args.command == "close":
        return close(client, args.how, args.task_token)
    if args.command == "heartbeat":
        return heartbeat(client, args.task_token, args.details)
    if args.command == "start-workflow":
        if args.input is not None:
            try:
                activities = json.loads(args.input)["activities"]
            except (ValueError, KeyError, TypeError) as error:
                raise ScenarioError(f'--input must be {{"activities": [...]}}: {error}') from None
        else:
            activity_task_list = args.activity_task_list or f"{args.task_list}.activities"
            activities = activity_plan(
                args.activities, activity_task_list, args.heartbeat_timeout, args.start_to_close_timeout
            )
        return start_decided_workflow(client, args.task_list, activities, args.domain, args.workflow_id, args.tag)
    raise ScenarioError(f"unknown command {args.command!r}")


def _error_document(error: Exception) -> dict[str, Any]:
    if isinstance(error, ClientError):
        code, message = error.response["Error"].get("Code"), error.response["Error"].get("Message")
    else:
        code, message = error.__class__.__name__, str(error)
    return {"ok": False, "error": {"code": code, "message": message}}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.endpoint:
        print(json.dumps(_error_document(ScenarioError("--endpoint or SWF_LOCAL_ENDPOINT is required"))))
        return 1
    try:
        document = run(args)
    except (ClientError, BotoCoreError, ScenarioError, OSError) as error:
        print(json.dumps(_error_document(error)))
        return 1
    print(json.dumps(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
