"""Tests of swf_local: the patched moto SWF server and the scenario helper.

A server is started once per session with ``server.py --port 0`` in a subprocess
(the same way the Node and browser tests start it) and driven with boto3 or raw
HTTP.  Error assertions use the error *code*, never the message text.

Run:  python3 -m pytest tests/swf_local -q
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import botocore.session
import pytest
from botocore.exceptions import ClientError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from swf_local import scenario  # noqa: E402
from swf_local.conftest import start_server, stop_server  # noqa: E402

SCENARIO = HERE / "scenario.py"
DOMAIN = scenario.DEFAULT_DOMAIN
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20240101/us-east-1/swf/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0000"
)
PREFLIGHT_HEADERS = "authorization, content-type, x-amz-date, x-amz-security-token, x-amz-target"


# --------------------------------------------------------------------------- #
# Fixtures and helpers
# --------------------------------------------------------------------------- #
def error_code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def new_task(client: Any, **kwargs: Any) -> dict[str, Any]:
    """One started activity task (fresh workflow execution)."""
    return scenario.prepare(client, 1, **kwargs)["tasks"][0]


def events_of(client: Any, task: dict[str, Any]) -> list[dict[str, Any]]:
    return scenario.history(client, task["workflowId"], task["runId"], DOMAIN)["events"]


def event_types(events: list[dict[str, Any]]) -> list[str]:
    return [e["eventType"] for e in events]


def post(
    endpoint: str,
    target: str | None,
    body: bytes,
    headers: dict[str, str | None] | None = None,
    method: str = "POST",
) -> tuple[int, Any, bytes]:
    """Raw HTTP request to the server; returns (status, headers, body)."""
    url = urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    all_headers = {"Content-Type": "application/x-amz-json-1.0", "Authorization": AUTHORIZATION}
    if target:
        all_headers["X-Amz-Target"] = f"SimpleWorkflowService.{target}"
    all_headers.update(headers or {})
    all_headers = {k: v for k, v in all_headers.items() if v is not None}  # None = omit
    conn.request(method, "/", body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.headers, data


def run_cli(endpoint: str, *args: str) -> tuple[int, Any]:
    """Run scenario.py; returns (exit code, parsed single JSON document)."""
    done = subprocess.run(
        [sys.executable, str(SCENARIO), "--endpoint", endpoint, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, json.loads(done.stdout)


# --------------------------------------------------------------------------- #
# Launcher
# --------------------------------------------------------------------------- #
def test_server_prints_one_ready_line_resets_and_exits_cleanly_on_sigterm() -> None:
    proc, url = start_server()
    try:
        code, prepared = run_cli(url, "prepare", "--count", "1")
        assert code == 0 and len(prepared["tasks"]) == 1
        assert run_cli(url, "reset") == (0, {"ok": True})
        domains = scenario.make_client(url).list_domains(registrationStatus="REGISTERED")
        assert domains["domainInfos"] == []
    finally:
        exit_code = stop_server(proc)
    assert exit_code == 0
    assert proc.stdout.read() == ""  # nothing after the ready line


# --------------------------------------------------------------------------- #
# Cancellation semantics
# --------------------------------------------------------------------------- #
def test_full_cancel_lifecycle(client: Any) -> None:
    workflow_id = f"lifecycle-{uuid.uuid4()}"
    task_list = f"lifecycle-{uuid.uuid4()}"
    run_id = scenario.start_workflow(client, DOMAIN, workflow_id)
    decisions = scenario.decision_task_list(workflow_id)
    decision = scenario.poll_decision(client, DOMAIN, decisions, run_id)
    scenario.schedule_activity(client, decision["taskToken"], "a1", '{"x": 1}', task_list)
    activity = scenario.poll_activity(client, DOMAIN, task_list, run_id)
    token = activity["taskToken"]

    # before any request: heartbeat says false
    assert client.record_activity_task_heartbeat(taskToken=token)["cancelRequested"] is False

    # RequestCancelWorkflowExecution -> event + decision task
    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=workflow_id, runId=run_id)
    execution = {"workflowId": workflow_id, "runId": run_id}
    info = client.describe_workflow_execution(domain=DOMAIN, execution=execution)
    assert info["executionInfo"]["cancelRequested"] is True
    decision = scenario.poll_decision(client, DOMAIN, decisions, run_id)
    assert "WorkflowExecutionCancelRequested" in event_types(decision["events"])

    # decision RequestCancelActivityTask -> ActivityTaskCancelRequested
    client.respond_decision_task_completed(
        taskToken=decision["taskToken"],
        decisions=[
            {
                "decisionType": "RequestCancelActivityTask",
                "requestCancelActivityTaskDecisionAttributes": {"activityId": "a1"},
            }
        ],
    )
    assert client.record_activity_task_heartbeat(taskToken=token)["cancelRequested"] is True

    response = client.respond_activity_task_canceled(taskToken=token, details="undone")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200

    events = scenario.history(client, workflow_id, run_id, DOMAIN)["events"]
    by_id = {e["eventId"]: e for e in events}
    canceled = next(e for e in events if e["eventType"] == "ActivityTaskCanceled")
    attrs = canceled["activityTaskCanceledEventAttributes"]
    assert attrs["details"] == "undone"
    assert by_id[attrs["scheduledEventId"]]["eventType"] == "ActivityTaskScheduled"
    assert by_id[attrs["startedEventId"]]["eventType"] == "ActivityTaskStarted"
    requested = by_id[attrs["latestCancelRequestedEventId"]]
    assert requested["eventType"] == "ActivityTaskCancelRequested"
    req_attrs = requested["activityTaskCancelRequestedEventAttributes"]
    assert req_attrs["activityId"] == "a1"
    assert by_id[req_attrs["decisionTaskCompletedEventId"]]["eventType"] == "DecisionTaskCompleted"
    assert by_id[canceled["eventId"] + 1]["eventType"] == "DecisionTaskScheduled"
    assert canceled["eventId"] + 1 == max(by_id)

    # the task is closed now
    with pytest.raises(ClientError) as excinfo:
        client.record_activity_task_heartbeat(taskToken=token)
    assert error_code(excinfo) == "UnknownResourceFault"


def test_request_cancel_unknown_execution_is_unknown_resource(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=f"nope-{uuid.uuid4()}")
    assert error_code(excinfo) == "UnknownResourceFault"


@pytest.mark.parametrize("member,value", [("workflowId", "w" * 257), ("runId", "r" * 65), ("domain", "d" * 257)])
def test_request_cancel_inputs_are_checked_against_the_model(client: Any, member: str, value: str) -> None:
    # botocore checks no maximum client-side; the limits are service-2.json's
    kwargs = {"domain": DOMAIN, "workflowId": "w", member: value}
    with pytest.raises(ClientError) as excinfo:
        client.request_cancel_workflow_execution(**kwargs)
    assert error_code(excinfo) == "ValidationException"


def test_request_cancel_without_run_id_targets_open_execution(client: Any) -> None:
    task = new_task(client)
    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=task["workflowId"])
    assert "WorkflowExecutionCancelRequested" in event_types(events_of(client, task))


def _decide(client: Any, workflow_id: str, run_id: str, decisions: list[dict[str, Any]]) -> None:
    task_list = scenario.decision_task_list(workflow_id)
    decision = scenario.poll_decision(client, DOMAIN, task_list, run_id)
    client.respond_decision_task_completed(taskToken=decision["taskToken"], decisions=decisions)


def test_cancel_of_scheduled_not_started_activity_is_immediate(client: Any) -> None:
    workflow_id = f"scheduled-{uuid.uuid4()}"
    task_list = f"scheduled-{uuid.uuid4()}"
    run_id = scenario.start_workflow(client, DOMAIN, workflow_id)
    decision = scenario.poll_decision(client, DOMAIN, scenario.decision_task_list(workflow_id), run_id)
    scenario.schedule_activity(client, decision["taskToken"], "a1", "in", task_list)
    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=workflow_id, runId=run_id)
    cancel = {"decisionType": "RequestCancelActivityTask", "requestCancelActivityTaskDecisionAttributes": {"activityId": "a1"}}
    _decide(client, workflow_id, run_id, [cancel])

    events = scenario.history(client, workflow_id, run_id, DOMAIN)["events"]
    types = event_types(events)
    assert types[-3:] == ["ActivityTaskCancelRequested", "ActivityTaskCanceled", "DecisionTaskScheduled"]
    attrs = events[-2]["activityTaskCanceledEventAttributes"]
    assert attrs["latestCancelRequestedEventId"] == events[-3]["eventId"]
    # Real SWF sends startedEventId 0 for a never-started activity; AWS's model
    # (botocore's service-2.json) marks every one of these members required.
    assert attrs["startedEventId"] == 0
    shape = botocore.session.get_session().get_service_model("swf").shape_for("ActivityTaskCanceledEventAttributes")
    assert set(shape.required_members) <= set(attrs)
    pending = client.count_pending_activity_tasks(domain=DOMAIN, taskList={"name": task_list})
    assert pending["count"] == 0


def test_cancel_of_unknown_activity_id_fails_with_cause(client: Any) -> None:
    task = new_task(client)
    client.request_cancel_workflow_execution(domain=DOMAIN, workflowId=task["workflowId"], runId=task["runId"])
    bogus = {"decisionType": "RequestCancelActivityTask", "requestCancelActivityTaskDecisionAttributes": {"activityId": "nope"}}
    _decide(client, task["workflowId"], task["runId"], [bogus])
    events = events_of(client, task)
    assert event_types(events)[-2:] == ["RequestCancelActivityTaskFailed", "DecisionTaskScheduled"]
    attrs = events[-2]["requestCancelActivityTaskFailedEventAttributes"]
    assert attrs["cause"] == "ACTIVITY_ID_UNKNOWN" and attrs["activityId"] == "nope"
    assert client.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"] is False


def test_canceled_without_request_has_no_cancel_request_id_nor_details(client: Any) -> None:
    task = new_task(client)
    client.respond_activity_task_canceled(taskToken=task["taskToken"])
    canceled = [e for e in events_of(client, task) if e["eventType"] == "ActivityTaskCanceled"]
    assert len(canceled) == 1
    attrs = canceled[0]["activityTaskCanceledEventAttributes"]
    assert "latestCancelRequestedEventId" not in attrs and "details" not in attrs
    assert attrs["startedEventId"] > attrs["scheduledEventId"]


def test_cancel_twice_is_unknown_resource(client: Any) -> None:
    task = new_task(client, cancel_requested=1)
    client.respond_activity_task_canceled(taskToken=task["taskToken"], details="first")
    with pytest.raises(ClientError) as excinfo:
        client.respond_activity_task_canceled(taskToken=task["taskToken"], details="second")
    assert error_code(excinfo) == "UnknownResourceFault"
    assert event_types(events_of(client, task)).count("ActivityTaskCanceled") == 1


ACTIONS_ON_CLOSED_TASK = {
    "cancel": lambda c, t: c.respond_activity_task_canceled(taskToken=t),
    "heartbeat": lambda c, t: c.record_activity_task_heartbeat(taskToken=t),
    "complete": lambda c, t: c.respond_activity_task_completed(taskToken=t, result="r"),
    "fail": lambda c, t: c.respond_activity_task_failed(taskToken=t, reason="r"),
}


@pytest.mark.parametrize("how", ["completed", "failed", "canceled"])
@pytest.mark.parametrize("action", sorted(ACTIONS_ON_CLOSED_TASK))
def test_any_action_on_closed_task_is_unknown_resource(client: Any, how: str, action: str) -> None:
    task = new_task(client)
    scenario.close(client, how, task["taskToken"])
    with pytest.raises(ClientError) as excinfo:
        ACTIONS_ON_CLOSED_TASK[action](client, task["taskToken"])
    assert error_code(excinfo) == "UnknownResourceFault"


def test_cancel_of_timed_out_task_is_unknown_resource(client: Any) -> None:
    task = new_task(client, heartbeat_timeout="1")
    time.sleep(1.2)
    with pytest.raises(ClientError) as excinfo:
        client.respond_activity_task_canceled(taskToken=task["taskToken"])
    assert error_code(excinfo) == "UnknownResourceFault"
    assert "ActivityTaskTimedOut" in event_types(events_of(client, task))


def test_heartbeat_clock_starts_when_the_task_is_polled(client: Any) -> None:
    # SWF: a task waiting for a worker cannot miss a heartbeat (moto timed it out).
    workflow_id = f"queued-{uuid.uuid4()}"
    task_list = f"queued-{uuid.uuid4()}"
    run_id = scenario.start_workflow(client, DOMAIN, workflow_id)
    decision = scenario.poll_decision(client, DOMAIN, scenario.decision_task_list(workflow_id), run_id)
    scenario.schedule_activity(client, decision["taskToken"], "a1", "in", task_list, heartbeat_timeout="1")
    time.sleep(1.3)
    task = scenario.poll_activity(client, DOMAIN, task_list, run_id)
    assert client.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"] is False
    time.sleep(1.3)  # now it is started: a missed heartbeat times it out
    with pytest.raises(ClientError) as excinfo:
        client.record_activity_task_heartbeat(taskToken=task["taskToken"])
    assert error_code(excinfo) == "UnknownResourceFault"
    events = scenario.history(client, workflow_id, run_id, DOMAIN)["events"]
    assert event_types(events).count("ActivityTaskTimedOut") == 1


def test_unknown_well_formed_token_is_unknown_resource(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.respond_activity_task_canceled(taskToken=str(uuid.uuid4()))
    assert error_code(excinfo) == "UnknownResourceFault"


def test_malformed_token_is_validation_exception(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.respond_activity_task_canceled(taskToken="not-a-task-token")
    assert error_code(excinfo) == "ValidationException"


# --------------------------------------------------------------------------- #
# Length validation
# --------------------------------------------------------------------------- #
LIMITS = [
    ("respond_activity_task_canceled", "details", 32768, {}),
    ("record_activity_task_heartbeat", "details", 2048, {}),
    ("respond_activity_task_completed", "result", 32768, {}),
    ("respond_activity_task_failed", "reason", 256, {}),
    ("respond_activity_task_failed", "details", 32768, {"reason": "r"}),
]


@pytest.mark.parametrize("method,member,maximum,extra", LIMITS)
def test_length_limit_exact_max_is_accepted(client: Any, method: str, member: str, maximum: int, extra: dict) -> None:
    task = new_task(client)
    # a non-BMP character: 1 code point, 2 UTF-16 units, 4 UTF-8 bytes
    value = "\U0001F600" * maximum
    response = getattr(client, method)(taskToken=task["taskToken"], **{member: value}, **extra)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize("method,member,maximum,extra", LIMITS)
def test_length_limit_max_plus_one_is_rejected(client: Any, method: str, member: str, maximum: int, extra: dict) -> None:
    task = new_task(client)
    with pytest.raises(ClientError) as excinfo:
        getattr(client, method)(taskToken=task["taskToken"], **{member: "x" * (maximum + 1)}, **extra)
    assert error_code(excinfo) == "ValidationException"
    # rejected before acting: the task is still open
    assert client.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"] is False


@pytest.mark.parametrize("target", ["RespondActivityTaskCanceled", "RecordActivityTaskHeartbeat"])
@pytest.mark.parametrize("token", ["", "x" * 1025])
def test_task_token_length_out_of_bounds(endpoint: str, target: str, token: str) -> None:
    # raw HTTP: botocore would refuse an empty token client-side
    status, _, body = post(endpoint, target, json.dumps({"taskToken": token}).encode())
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.validate#ValidationException"


def test_task_token_length_bounds_in_process() -> None:
    from swf_local import patches

    ok = patches._length_problems("RespondActivityTaskCanceled", {"taskToken": "t" * 1024})
    too_long = patches._length_problems("RespondActivityTaskCanceled", {"taskToken": "t" * 1025})
    empty = patches._length_problems("RespondActivityTaskCanceled", {"taskToken": ""})
    assert ok == [] and len(too_long) == 1 and len(empty) == 1


# --------------------------------------------------------------------------- #
# HTTP: errors, headers, CORS
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("body", [b'{"taskToken": ', b"[1, 2]", b"\xff\xfe"])
def test_malformed_json_is_serialization_exception(endpoint: str, body: bytes) -> None:
    status, headers, data = post(endpoint, "RespondActivityTaskCanceled", body)
    assert status == 400
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    assert json.loads(data)["__type"] == "SerializationException"


def test_missing_required_member_is_validation_exception(endpoint: str) -> None:
    status, _, data = post(endpoint, "RespondActivityTaskCanceled", b"{}")
    assert status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.validate#ValidationException"


def test_unknown_operation_is_400_json(endpoint: str) -> None:
    status, headers, data = post(endpoint, "CallAction", b"{}")
    assert status == 400
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    assert json.loads(data)["__type"].endswith("#UnknownOperationException")


def test_success_and_error_carry_json_content_type_request_id_and_cors(endpoint: str) -> None:
    origin = {"Origin": "http://127.0.0.1:5173"}
    ok = post(endpoint, "ListDomains", b'{"registrationStatus": "REGISTERED"}', origin)
    error = post(endpoint, "RespondActivityTaskCanceled", json.dumps({"taskToken": str(uuid.uuid4())}).encode(), origin)
    assert ok[0] == 200 and error[0] == 400
    assert json.loads(error[2])["__type"] == "com.amazonaws.swf.base.model#UnknownResourceFault"
    assert error[1]["x-amzn-ErrorType"].split(":")[0] == "UnknownResourceFault"
    request_ids = set()
    for _, headers, _ in (ok, error):
        assert headers["Content-Type"] == "application/x-amz-json-1.0"
        assert len(headers.get_all("x-amzn-RequestId")) == 1
        request_ids.add(str(uuid.UUID(headers["x-amzn-RequestId"])))
        assert headers["Access-Control-Allow-Origin"] in ("*", origin["Origin"])
        assert len(headers.get_all("Access-Control-Allow-Origin")) == 1
        exposed = {h.strip().lower() for h in headers["Access-Control-Expose-Headers"].split(",")}
        assert {"x-amzn-requestid", "x-amzn-errortype", "date"} <= exposed
    assert len(request_ids) == 2


def test_cors_preflight_echoes_requested_headers(endpoint: str) -> None:
    status, headers, _ = post(
        endpoint,
        None,
        b"",
        {
            "Origin": "http://127.0.0.1:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": PREFLIGHT_HEADERS,
            "Authorization": None,  # browsers send no credentials in a preflight
            "Content-Type": None,
        },
        method="OPTIONS",
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] in ("*", "http://127.0.0.1:5173")
    methods = {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
    assert {"POST", "OPTIONS"} <= methods
    assert headers["Access-Control-Allow-Headers"] == PREFLIGHT_HEADERS
    assert "x-amzn-requestid" in headers["Access-Control-Expose-Headers"].lower()


# --------------------------------------------------------------------------- #
# Scenario CLI
# --------------------------------------------------------------------------- #
def test_scenario_cli_prepare_history_request_cancel_close(endpoint: str, client: Any) -> None:
    code, prepared = run_cli(endpoint, "prepare", "--count", "3", "--cancel-requested", "1")
    assert code == 0 and prepared["domain"] == DOMAIN
    tasks = prepared["tasks"]
    assert [t["cancelRequested"] for t in tasks] == [True, False, False]
    assert len({t["taskToken"] for t in tasks}) == 3
    for task in tasks:
        assert set(task) >= {"taskToken", "workflowId", "runId", "activityId", "input", "cancelRequested"}
        assert json.loads(task["input"])["workflowId"] == task["workflowId"]
        beat = client.record_activity_task_heartbeat(taskToken=task["taskToken"])
        assert beat["cancelRequested"] is task["cancelRequested"]

    first = tasks[0]
    code, hist = run_cli(endpoint, "history", "--workflow-id", first["workflowId"], "--run-id", first["runId"])
    assert code == 0
    types = event_types(hist["events"])
    assert types[0] == "WorkflowExecutionStarted"
    assert {"WorkflowExecutionCancelRequested", "ActivityTaskCancelRequested"} <= set(types)
    assert isinstance(hist["events"][0]["eventTimestamp"], str)

    second = tasks[1]
    code, out = run_cli(endpoint, "request-cancel", "--workflow-id", second["workflowId"], "--run-id", second["runId"])
    assert code == 0 and out["ok"] is True
    assert client.record_activity_task_heartbeat(taskToken=second["taskToken"])["cancelRequested"] is True

    third = tasks[2]
    assert run_cli(endpoint, "close", "--how", "completed", "--task-token", third["taskToken"]) == (0, {"ok": True})
    code, out = run_cli(endpoint, "close", "--how", "failed", "--task-token", third["taskToken"])
    assert code == 1 and out["error"]["code"] == "UnknownResourceFault"


def test_scenario_prepare_is_fast(endpoint: str) -> None:
    started = time.monotonic()
    code, prepared = run_cli(endpoint, "prepare", "--count", "60", "--cancel-requested", "30")
    elapsed = time.monotonic() - started
    assert code == 0 and len(prepared["tasks"]) == 60
    assert sum(t["cancelRequested"] for t in prepared["tasks"]) == 30
    assert elapsed < 10, f"prepare --count 60 took {elapsed:.1f}s"


# --------------------------------------------------------------------------- #
# In-process use (moto.mock_aws, no server)
# --------------------------------------------------------------------------- #
def test_patches_work_in_process_with_mock_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from moto import mock_aws

    from swf_local import patches

    for name, value in {"AWS_ACCESS_KEY_ID": "AKIDLOCAL", "AWS_SECRET_ACCESS_KEY": "local-secret"}.items():
        monkeypatch.setenv(name, value)
    patches.apply()
    patches.apply()  # idempotent
    with mock_aws():
        swf = boto3.client("swf", region_name="us-east-1")
        task = new_task(swf, cancel_requested=1)
        assert swf.record_activity_task_heartbeat(taskToken=task["taskToken"])["cancelRequested"] is True
        swf.respond_activity_task_canceled(taskToken=task["taskToken"], details="in-process")
        assert "ActivityTaskCanceled" in event_types(events_of(swf, task))
