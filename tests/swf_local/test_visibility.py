"""The operator (visibility) actions of the local SWF, driven with boto3.

Oracles that are not ours: botocore's own paginators (paginators-1.json) walk the
pages, and every answer is checked against the output shape of AWS's model
(botocore's service-2.json: required members, no unknown members, types, ranges).
Each test uses its own domain, so the session's shared server does not mix them.

Run:  python3 -m pytest tests/swf_local/test_visibility.py -q
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from swf_local import scenario, visibility  # noqa: E402
from swf_local.test_swf_local import post  # noqa: E402

MODEL = botocore.session.get_session().get_service_model("swf")


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def check_against_model(operation: str, answer: dict[str, Any]) -> None:
    """Fail unless ``answer`` (parsed by botocore) fits the operation's output shape."""
    body = {k: v for k, v in answer.items() if k != "ResponseMetadata"}
    _check(MODEL.operation_model(operation).output_shape, body, operation)


def _check(shape: Any, value: Any, where: str) -> None:
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        assert isinstance(value, dict), where
        missing = [m for m in shape.required_members if m not in value]
        assert not missing, f"{where}: required {missing} missing"
        unknown = set(value) - set(shape.members)
        assert not unknown, f"{where}: members {unknown} not in the model"
        for name, item in value.items():
            _check(shape.members[name], item, f"{where}.{name}")
    elif kind == "list":
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            _check(shape.member, item, f"{where}[{index}]")
    elif kind == "string":
        assert isinstance(value, str), where
        assert meta.get("min", 0) <= len(value) <= meta.get("max", 1 << 30), where
        assert "enum" not in meta or value in meta["enum"], f"{where}: {value!r}"
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), where
        assert meta.get("min", -(1 << 63)) <= value <= meta.get("max", 1 << 63), f"{where}: {value}"
    elif kind == "boolean":
        assert isinstance(value, bool), where
    elif kind == "timestamp":
        assert isinstance(value, dt.datetime), where


def code_of(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def pages(client: Any, operation: str, page_size: int, **kwargs: Any) -> list[dict[str, Any]]:
    """Every page, walked by botocore's own paginator, each checked against the model."""
    paginator = client.get_paginator(operation)
    result = list(paginator.paginate(**kwargs, PaginationConfig={"PageSize": page_size}))
    for page in result:
        check_against_model(_op(operation), page)
    return result


def _op(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


@pytest.fixture()
def domain(client: Any) -> str:
    """A fresh registered domain (with scenario.py's types)."""
    name = f"vis-{uuid.uuid4().hex[:12]}"
    scenario.ensure_registered(client, name)
    return name


def start(client: Any, domain: str, workflow_id: str, **kwargs: Any) -> dict[str, str]:
    run_id = client.start_workflow_execution(
        domain=domain,
        workflowId=workflow_id,
        workflowType=kwargs.pop("workflowType", scenario.WORKFLOW_TYPE),
        taskList={"name": f"{workflow_id}.decisions"},
        **kwargs,
    )["runId"]
    return {"workflowId": workflow_id, "runId": run_id}


def decide(client: Any, domain: str, execution: dict[str, str], decisions: list[dict[str, Any]]) -> None:
    task = client.poll_for_decision_task(domain=domain, taskList={"name": f"{execution['workflowId']}.decisions"})
    assert task["workflowExecution"] == execution
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)


def ids(infos: list[dict[str, Any]]) -> list[str]:
    return [info["execution"]["workflowId"] for info in infos]


EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


# --------------------------------------------------------------------------- #
# GetWorkflowExecutionHistory
# --------------------------------------------------------------------------- #
def test_history_pages_follow_next_page_token_in_both_orders(client: Any, domain: str) -> None:
    execution = start(client, domain, "history")
    for index in range(20):
        client.signal_workflow_execution(domain=domain, workflowId="history", signalName=f"s{index}")
    full = client.get_workflow_execution_history(domain=domain, execution=execution)
    check_against_model("GetWorkflowExecutionHistory", full)
    assert "nextPageToken" not in full
    event_ids = [e["eventId"] for e in full["events"]]
    assert len(event_ids) > 20 and event_ids == sorted(event_ids) == list(range(1, len(event_ids) + 1))

    forward = pages(client, "get_workflow_execution_history", 7, domain=domain, execution=execution)
    assert [len(p["events"]) for p in forward][:-1] == [7] * (len(forward) - 1)
    assert all("nextPageToken" in p for p in forward[:-1]) and "nextPageToken" not in forward[-1]
    assert [e["eventId"] for p in forward for e in p["events"]] == event_ids

    backward = pages(client, "get_workflow_execution_history", 7, domain=domain, execution=execution, reverseOrder=True)
    assert [e["eventId"] for p in backward for e in p["events"]] == event_ids[::-1]


def test_history_page_size_zero_means_the_default_1000(client: Any, domain: str) -> None:
    execution = start(client, domain, "zero")
    answer = client.get_workflow_execution_history(domain=domain, execution=execution, maximumPageSize=0)
    assert [e["eventType"] for e in answer["events"]] == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    assert visibility.MAX_PAGE_SIZE == MODEL.shape_for("PageSize").metadata["max"] == 1000


def test_page_size_over_the_model_maximum_is_a_validation_error(client: Any, domain: str) -> None:
    execution = start(client, domain, "big")
    with pytest.raises(ClientError) as excinfo:
        client.get_workflow_execution_history(domain=domain, execution=execution, maximumPageSize=1001)
    assert code_of(excinfo) == "ValidationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as excinfo:
        client.list_domains(registrationStatus="REGISTERED", maximumPageSize=1001)
    assert code_of(excinfo) == "ValidationException"


def test_bad_next_page_tokens_are_400_validation_errors(client: Any, domain: str) -> None:
    execution = start(client, domain, "tokens")
    for index in range(3):
        client.signal_workflow_execution(domain=domain, workflowId="tokens", signalName=f"s{index}")
    first = client.get_workflow_execution_history(domain=domain, execution=execution, maximumPageSize=2)
    token = first["nextPageToken"]
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    other = start(client, domain, "tokens-other")
    bad_calls = {
        "garbage": dict(execution=execution, nextPageToken="not-a-token"),
        "tampered": dict(execution=execution, nextPageToken=flipped),
        "other order": dict(execution=execution, nextPageToken=token, reverseOrder=True),
        "other execution": dict(execution=other, nextPageToken=token),
    }
    for what, kwargs in bad_calls.items():
        with pytest.raises(ClientError) as excinfo:
            client.get_workflow_execution_history(domain=domain, **kwargs)
        assert code_of(excinfo) == "ValidationException", what
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400, what
    with pytest.raises(ClientError) as excinfo:  # a history token is no ListDomains token
        client.list_domains(registrationStatus="REGISTERED", nextPageToken=token)
    assert code_of(excinfo) == "ValidationException"
    # reverseOrder false is the default: the same query as without it
    same = client.get_workflow_execution_history(domain=domain, execution=execution, nextPageToken=token,
                                                 reverseOrder=False)
    assert same["events"][0]["eventId"] == 3
    # the good token still works, and a changed page size is allowed with it
    second = client.get_workflow_execution_history(domain=domain, execution=execution, nextPageToken=token,
                                                   maximumPageSize=1)
    assert [e["eventId"] for e in second["events"]] == [3]


def test_raw_errors_for_paging_inputs(endpoint: str) -> None:
    status, _, body = post(endpoint, "ListDomains", json.dumps({"registrationStatus": "REGISTERED",
                                                                 "maximumPageSize": -1}).encode())
    assert status == 400 and json.loads(body)["__type"] == "com.amazon.coral.validate#ValidationException"
    status, _, body = post(endpoint, "ListDomains", json.dumps({"registrationStatus": "ALIVE"}).encode())
    assert status == 400 and json.loads(body)["__type"] == "com.amazon.coral.validate#ValidationException"
    status, _, body = post(endpoint, "ListDomains", json.dumps({"registrationStatus": "REGISTERED",
                                                                 "maximumPageSize": "10"}).encode())
    # a wrong JSON type: SerializationException, as moto answers for its other actions
    assert status == 400 and json.loads(body)["__type"].split("#")[-1] == "SerializationException"
    status, _, body = post(endpoint, "ListDomains", json.dumps({"registrationStatus": "REGISTERED",
                                                                 "nextPageToken": "x" * 2049}).encode())
    assert status == 400 and json.loads(body)["__type"] == "com.amazon.coral.validate#ValidationException"


def test_unknown_execution_history_is_unknown_resource(client: Any, domain: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_workflow_execution_history(domain=domain, execution={"workflowId": "nope", "runId": "nope"})
    assert code_of(excinfo) == "UnknownResourceFault"


# --------------------------------------------------------------------------- #
# ListDomains (and the type lists)
# --------------------------------------------------------------------------- #
def test_list_domains_pages_by_name_in_both_orders(client: Any) -> None:
    prefix = f"dom-{uuid.uuid4().hex[:8]}"
    mine = [f"{prefix}-{letter}" for letter in "dbeac"]
    for name in mine:
        client.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1", description=f"about {name}")
    client.deprecate_domain(name=mine[0])

    forward = pages(client, "list_domains", 2, registrationStatus="REGISTERED")
    names = [d["name"] for p in forward for d in p["domainInfos"]]
    assert names == sorted(names) and len(names) == len(set(names))
    assert [n for n in names if n.startswith(prefix)] == sorted(mine[1:])
    assert len(forward) == -(-len(names) // 2) >= 2  # ceil: really paged by 2
    assert all(len(p["domainInfos"]) == 2 for p in forward[:-1])
    info = next(d for p in forward for d in p["domainInfos"] if d["name"] == mine[1])
    assert info["status"] == "REGISTERED" and info["description"] == f"about {mine[1]}"
    assert info["arn"].endswith(f":/domain/{mine[1]}")

    backward = pages(client, "list_domains", 3, registrationStatus="REGISTERED", reverseOrder=True)
    assert [d["name"] for p in backward for d in p["domainInfos"]] == names[::-1]
    deprecated = client.list_domains(registrationStatus="DEPRECATED")["domainInfos"]
    assert mine[0] in [d["name"] for d in deprecated] and mine[1] not in [d["name"] for d in deprecated]


def test_list_activity_types_pages_and_filters_by_name(client: Any, domain: str) -> None:
    for name, version in [("b", "1"), ("a", "2"), ("a", "1"), ("c", "1")]:
        client.register_activity_type(domain=domain, name=name, version=version)
    listed = pages(client, "list_activity_types", 2, domain=domain, registrationStatus="REGISTERED")
    keys = [(t["activityType"]["name"], t["activityType"]["version"]) for p in listed for t in p["typeInfos"]]
    assert keys == sorted(keys) and ("a", "1") in keys and ("c", "1") in keys
    only_a = client.list_activity_types(domain=domain, registrationStatus="REGISTERED", name="a")["typeInfos"]
    assert [t["activityType"] for t in only_a] == [{"name": "a", "version": "1"}, {"name": "a", "version": "2"}]


# --------------------------------------------------------------------------- #
# ListOpenWorkflowExecutions
# --------------------------------------------------------------------------- #
@pytest.fixture()
def open_executions(client: Any, domain: str) -> dict[str, Any]:
    """Five open executions in two start-time groups (over 1 s apart: SDK v3 and
    swf-edge send time filters in whole seconds), two types, some tags; and one
    closed execution."""
    other_type = {"name": "other-workflow", "version": "2"}
    client.register_workflow_type(domain=domain, **other_type, defaultTaskStartToCloseTimeout="3600",
                                  defaultExecutionStartToCloseTimeout="3600", defaultChildPolicy="TERMINATE")
    early = [start(client, domain, "early-0", tagList=["blue"]), start(client, domain, "early-1")]
    time.sleep(1.2)
    boundary = dt.datetime.now(dt.timezone.utc)
    time.sleep(1.2)
    late = [
        start(client, domain, "late-0", tagList=["blue", "green"], workflowType=other_type),
        start(client, domain, "late-1", workflowType=other_type),
        start(client, domain, "late-2", tagList=["green"]),
    ]
    closed = start(client, domain, "closed-0", tagList=["blue"])
    client.terminate_workflow_execution(domain=domain, workflowId="closed-0")
    return {"early": early, "late": late, "closed": closed, "boundary": boundary, "other_type": other_type}


def test_list_open_newest_first_paged_and_reversed(client: Any, domain: str, open_executions: dict) -> None:
    listed = pages(client, "list_open_workflow_executions", 2, domain=domain, startTimeFilter={"oldestDate": EPOCH})
    assert [len(p["executionInfos"]) for p in listed] == [2, 2, 1]
    order = ids([i for p in listed for i in p["executionInfos"]])
    assert order == ["late-2", "late-1", "late-0", "early-1", "early-0"]  # closed-0 not listed
    reverse = pages(client, "list_open_workflow_executions", 3, domain=domain, startTimeFilter={"oldestDate": EPOCH},
                    reverseOrder=True)
    assert ids([i for p in reverse for i in p["executionInfos"]]) == order[::-1]
    info = listed[0]["executionInfos"][0]
    assert info["executionStatus"] == "OPEN" and info["cancelRequested"] is False and info["tagList"] == ["green"]
    assert abs(info["startTimestamp"] - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)


def test_list_open_filters(client: Any, domain: str, open_executions: dict) -> None:
    def listed(**filters: Any) -> list[str]:
        answer = client.list_open_workflow_executions(domain=domain, **filters)
        check_against_model("ListOpenWorkflowExecutions", answer)
        return sorted(ids(answer["executionInfos"]))

    everything = {"oldestDate": EPOCH}
    boundary = open_executions["boundary"]
    assert listed(startTimeFilter={"oldestDate": boundary}) == ["late-0", "late-1", "late-2"]
    assert listed(startTimeFilter={"oldestDate": EPOCH, "latestDate": boundary}) == ["early-0", "early-1"]
    assert listed(startTimeFilter=everything, typeFilter={"name": "other-workflow"}) == ["late-0", "late-1"]
    assert listed(startTimeFilter=everything, typeFilter={"name": "other-workflow", "version": "1"}) == []
    assert listed(startTimeFilter=everything, typeFilter=scenario.WORKFLOW_TYPE) == ["early-0", "early-1", "late-2"]
    assert listed(startTimeFilter=everything, tagFilter={"tag": "blue"}) == ["early-0", "late-0"]
    assert listed(startTimeFilter=everything, executionFilter={"workflowId": "late-1"}) == ["late-1"]
    assert listed(startTimeFilter=everything, executionFilter={"workflowId": "closed-0"}) == []
    assert listed(startTimeFilter={"oldestDate": boundary}, tagFilter={"tag": "green"}) == ["late-0", "late-2"]


@pytest.mark.parametrize(
    "filters",
    [
        {"tagFilter": {"tag": "blue"}, "executionFilter": {"workflowId": "early-0"}},
        {"typeFilter": {"name": "other-workflow"}, "tagFilter": {"tag": "blue"}},
        {"typeFilter": {"name": "x"}, "executionFilter": {"workflowId": "x"}, "tagFilter": {"tag": "x"}},
    ],
)
def test_list_open_exclusive_filters_are_a_validation_error(client: Any, domain: str, filters: dict) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.list_open_workflow_executions(domain=domain, startTimeFilter={"oldestDate": EPOCH}, **filters)
    assert code_of(excinfo) == "ValidationException"


# --------------------------------------------------------------------------- #
# ListClosedWorkflowExecutions
# --------------------------------------------------------------------------- #
@pytest.fixture()
def closed_executions(client: Any, domain: str) -> dict[str, Any]:
    """One execution per close status SWF can reach here, plus one left open."""
    client.register_workflow_type(domain=domain, name="short", version="1", defaultTaskStartToCloseTimeout="3600",
                                  defaultExecutionStartToCloseTimeout="1", defaultChildPolicy="TERMINATE")
    timed_out = start(client, domain, "timed-out", workflowType={"name": "short", "version": "1"})
    completed = start(client, domain, "completed", tagList=["t"])
    decide(client, domain, completed, [{"decisionType": "CompleteWorkflowExecution",
                                        "completeWorkflowExecutionDecisionAttributes": {"result": "ok"}}])
    failed = start(client, domain, "failed")
    decide(client, domain, failed, [{"decisionType": "FailWorkflowExecution",
                                     "failWorkflowExecutionDecisionAttributes": {"reason": "no"}}])
    canceled = start(client, domain, "canceled", tagList=["t"])
    client.request_cancel_workflow_execution(domain=domain, workflowId="canceled")
    task = client.poll_for_decision_task(domain=domain, taskList={"name": "canceled.decisions"})
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[])  # the start's task
    decide(client, domain, canceled, [{"decisionType": "CancelWorkflowExecution",
                                       "cancelWorkflowExecutionDecisionAttributes": {}}])
    time.sleep(1.2)
    boundary = dt.datetime.now(dt.timezone.utc)
    time.sleep(1.2)
    terminated = start(client, domain, "terminated")
    client.terminate_workflow_execution(domain=domain, workflowId="terminated", reason="by test", details="d")
    start(client, domain, "still-open")
    return {"boundary": boundary, "terminated": terminated, "timed_out": timed_out}


def test_list_closed_by_status_time_and_tag(client: Any, domain: str, closed_executions: dict) -> None:
    everything = {"oldestDate": EPOCH}

    def listed(**filters: Any) -> list[dict[str, Any]]:
        answer = client.list_closed_workflow_executions(domain=domain, **filters)
        check_against_model("ListClosedWorkflowExecutions", answer)
        return answer["executionInfos"]

    infos = listed(startTimeFilter=everything)
    statuses = {i["execution"]["workflowId"]: i["closeStatus"] for i in infos}
    assert statuses == {"timed-out": "TIMED_OUT", "completed": "COMPLETED", "failed": "FAILED",
                        "canceled": "CANCELED", "terminated": "TERMINATED"}
    assert all(i["executionStatus"] == "CLOSED" and i["closeTimestamp"] >= i["startTimestamp"] for i in infos)
    for status in ("TIMED_OUT", "COMPLETED", "FAILED", "CANCELED", "TERMINATED"):
        only = listed(startTimeFilter=everything, closeStatusFilter={"status": status})
        assert [i["closeStatus"] for i in only] == [status]
    assert sorted(ids(listed(closeTimeFilter={"oldestDate": closed_executions["boundary"]}))) == ["terminated"]
    early = listed(closeTimeFilter={"oldestDate": EPOCH, "latestDate": closed_executions["boundary"]})
    assert sorted(ids(early)) == ["canceled", "completed", "failed", "timed-out"]
    assert sorted(ids(listed(startTimeFilter=everything, tagFilter={"tag": "t"}))) == ["canceled", "completed"]
    assert ids(listed(closeTimeFilter=everything, executionFilter={"workflowId": "failed"})) == ["failed"]
    assert ids(listed(startTimeFilter=everything, typeFilter={"name": "short"})) == ["timed-out"]


def test_list_closed_orders_by_the_chosen_time_and_pages(client: Any, domain: str, closed_executions: dict) -> None:
    by_close = pages(client, "list_closed_workflow_executions", 2, domain=domain, closeTimeFilter={"oldestDate": EPOCH})
    infos = [i for p in by_close for i in p["executionInfos"]]
    assert [len(p["executionInfos"]) for p in by_close] == [2, 2, 1]
    closes = [i["closeTimestamp"] for i in infos]
    assert closes == sorted(closes, reverse=True) and ids(infos)[0] == "terminated"
    by_start = pages(client, "list_closed_workflow_executions", 4, domain=domain,
                     startTimeFilter={"oldestDate": EPOCH}, reverseOrder=True)
    starts = [i["startTimestamp"] for p in by_start for i in p["executionInfos"]]
    assert starts == sorted(starts) and len(starts) == 5


@pytest.mark.parametrize(
    "filters",
    [
        {},  # no time filter
        {"startTimeFilter": {"oldestDate": EPOCH}, "closeTimeFilter": {"oldestDate": EPOCH}},
        {"startTimeFilter": {"oldestDate": EPOCH}, "closeStatusFilter": {"status": "FAILED"}, "tagFilter": {"tag": "t"}},
        {"closeTimeFilter": {"oldestDate": EPOCH}, "typeFilter": {"name": "x"}, "executionFilter": {"workflowId": "x"}},
    ],
)
def test_list_closed_filter_rules_are_validation_errors(client: Any, domain: str, filters: dict) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.list_closed_workflow_executions(domain=domain, **filters)
    assert code_of(excinfo) == "ValidationException"


# --------------------------------------------------------------------------- #
# DescribeWorkflowExecution, counts, signal, terminate
# --------------------------------------------------------------------------- #
def test_describe_open_counts_and_latest_activity_timestamp(client: Any, domain: str) -> None:
    execution = start(client, domain, "described", tagList=["x"])
    before = client.describe_workflow_execution(domain=domain, execution=execution)
    check_against_model("DescribeWorkflowExecution", before)
    assert abs(before["executionInfo"]["startTimestamp"] - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=1)
    assert before["openCounts"] == {"openActivityTasks": 0, "openDecisionTasks": 1, "openTimers": 0,
                                    "openChildWorkflowExecutions": 0, "openLambdaFunctions": 0}
    assert "latestActivityTaskTimestamp" not in before

    schedule = [{"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": {
        "activityId": f"a{i}", "activityType": scenario.ACTIVITY_TYPE, "taskList": {"name": "described.work"}}}
        for i in range(2)]
    task = client.poll_for_decision_task(domain=domain, taskList={"name": "described.decisions"})
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=schedule, executionContext="ctx")
    during = client.describe_workflow_execution(domain=domain, execution=execution)
    check_against_model("DescribeWorkflowExecution", during)
    assert during["openCounts"]["openActivityTasks"] == 2 and during["openCounts"]["openDecisionTasks"] == 0
    assert during["latestExecutionContext"] == "ctx"
    assert during["latestActivityTaskTimestamp"] >= during["executionInfo"]["startTimestamp"]
    assert client.count_pending_activity_tasks(domain=domain, taskList={"name": "described.work"})["count"] == 2

    work = client.poll_for_activity_task(domain=domain, taskList={"name": "described.work"})
    client.respond_activity_task_completed(taskToken=work["taskToken"])
    after = client.describe_workflow_execution(domain=domain, execution=execution)["openCounts"]
    assert after["openActivityTasks"] == 1 and after["openDecisionTasks"] == 1

    client.terminate_workflow_execution(domain=domain, workflowId="described", childPolicy="ABANDON")
    closed = client.describe_workflow_execution(domain=domain, execution=execution)
    check_against_model("DescribeWorkflowExecution", closed)
    assert set(closed["openCounts"].values()) == {0}
    assert closed["executionInfo"]["closeStatus"] == "TERMINATED" and "closeTimestamp" in closed["executionInfo"]
    # the closed execution's tasks are no longer pending anywhere
    assert client.count_pending_activity_tasks(domain=domain, taskList={"name": "described.work"})["count"] == 0
    assert client.count_pending_decision_tasks(domain=domain, taskList={"name": "described.decisions"})["count"] == 0


def test_timed_out_activity_leaves_the_open_counts(client: Any, domain: str) -> None:
    execution = start(client, domain, "beats")
    task = client.poll_for_decision_task(domain=domain, taskList={"name": "beats.decisions"})
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[{
        "decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": {
            "activityId": "a", "activityType": scenario.ACTIVITY_TYPE, "taskList": {"name": "beats.work"},
            "heartbeatTimeout": "1"}}])
    client.poll_for_activity_task(domain=domain, taskList={"name": "beats.work"})
    time.sleep(1.3)
    counts = client.describe_workflow_execution(domain=domain, execution=execution)["openCounts"]
    assert counts["openActivityTasks"] == 0 and counts["openDecisionTasks"] == 1


def test_signal_without_input_and_into_a_closed_execution(client: Any, domain: str) -> None:
    execution = start(client, domain, "signaled")
    client.signal_workflow_execution(domain=domain, workflowId="signaled", signalName="go")
    client.signal_workflow_execution(domain=domain, workflowId="signaled", runId=execution["runId"],
                                     signalName="data", input="payload")
    events = client.get_workflow_execution_history(domain=domain, execution=execution)["events"]
    signals = [e["workflowExecutionSignaledEventAttributes"] for e in events
               if e["eventType"] == "WorkflowExecutionSignaled"]
    assert signals == [{"signalName": "go"}, {"signalName": "data", "input": "payload"}]
    client.terminate_workflow_execution(domain=domain, workflowId="signaled")
    with pytest.raises(ClientError) as excinfo:
        client.signal_workflow_execution(domain=domain, workflowId="signaled", signalName="late")
    assert code_of(excinfo) == "UnknownResourceFault"
    with pytest.raises(ClientError) as excinfo:
        client.signal_workflow_execution(domain=domain, workflowId="x", signalName="s" * 257)
    assert code_of(excinfo) == "ValidationException"


def test_terminate_records_the_event_and_validates(client: Any, domain: str) -> None:
    execution = start(client, domain, "terminated")
    with pytest.raises(ClientError) as excinfo:
        client.terminate_workflow_execution(domain=domain, workflowId="terminated", reason="r" * 257)
    assert code_of(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        client.terminate_workflow_execution(domain=domain, workflowId="terminated", childPolicy="EXPLODE")
    assert code_of(excinfo) == "ValidationException"
    client.terminate_workflow_execution(domain=domain, workflowId="terminated", reason="why", details="what",
                                        childPolicy="ABANDON")
    events = client.get_workflow_execution_history(domain=domain, execution=execution)["events"]
    assert events[-1]["eventType"] == "WorkflowExecutionTerminated"
    attrs = events[-1]["workflowExecutionTerminatedEventAttributes"]
    assert attrs == {"reason": "why", "details": "what", "childPolicy": "ABANDON", "cause": "OPERATOR_INITIATED"}
    with pytest.raises(ClientError) as excinfo:  # twice: the execution is closed
        client.terminate_workflow_execution(domain=domain, workflowId="terminated", runId=execution["runId"])
    assert code_of(excinfo) == "UnknownResourceFault"


def test_model_problems_in_process() -> None:
    assert visibility.model_problems("ListDomains", {"registrationStatus": "REGISTERED", "maximumPageSize": 1000}) == []
    problems = visibility.model_problems(
        "ListOpenWorkflowExecutions", {"domain": "", "startTimeFilter": {}, "maximumPageSize": 1001}
    )
    assert len(problems) == 3  # domain too short, oldestDate null, page size too big
