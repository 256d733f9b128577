"""The operator (visibility) actions of the local SWF, as SWF documents them.

moto 5.2.1 lists and histories have no paging (``maximumPageSize`` is a slice,
``nextPageToken`` is ignored), ``ListOpenWorkflowExecutions`` ignores
``executionFilter`` and ``typeFilter``, ``ListClosedWorkflowExecutions`` also
``startTimeFilter``/``closeTimeFilter`` (and its ``closeStatusFilter`` never
matches), ``DescribeWorkflowExecution`` reports a fixed 2015 ``startTimestamp`` and
the counters of closed executions, a terminated or timed-out execution has no
``closeTimestamp``, and ``SignalWorkflowExecution`` requires ``input``.

``apply()`` (called by ``patches.apply()``) replaces these SWFResponse methods:

* real paging: ``maximumPageSize`` (0 or absent = 1000, the maximum),
  an opaque ``nextPageToken`` (HMAC-signed, bound to the query; anything else is a
  400 ``ValidationException``), ``reverseOrder``, in SWF's default orders;
* every filter of the list actions, and SWF's exclusivity rules;
* inputs checked against AWS's model (botocore's service-2.json): lengths,
  ranges, enums and required members -> 400 ``ValidationException``.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterable
from typing import Any

import botocore.session
from moto.core.utils import unix_time
from moto.swf.exceptions import SWFDomainDeprecatedFault, SWFSerializationException, SWFValidationException
from moto.swf.models import Domain, SWFBackend, WorkflowExecution
from moto.swf.responses import SWFResponse

#: SWF's default and largest page (``maximumPageSize`` 0 or absent means this).
MAX_PAGE_SIZE = 1000

# Page tokens are signed with a per-process key: a token is only good on the
# server (process) that issued it, for the query it was issued for.
_TOKEN_KEY = os.urandom(16)
_MAC_BYTES = 12

_MEMBERS_NOT_IN_QUERY = ("nextPageToken", "maximumPageSize")
_originals: dict[str, Any] = {}


# --------------------------------------------------------------------------- #
# Validation against AWS's model
# --------------------------------------------------------------------------- #
@functools.lru_cache(maxsize=1)
def service_model() -> Any:
    """botocore's model of SWF (service-2.json)."""
    return botocore.session.get_session().get_service_model("swf")


def model_problems(operation: str, params: dict[str, Any]) -> list[str]:
    """SWF-style messages for every member of ``params`` that AWS's model refuses.

    Checks required members, string and list lengths (in code points), integer
    ranges and enums, at any depth.  A JSON value of the wrong type raises
    SerializationException (as moto and SWF do).
    """
    problems: list[str] = []
    _check_shape(service_model().operation_model(operation).input_shape, params, "", problems)
    return problems


def _check_shape(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            raise SWFSerializationException(value)
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(f"Value null at '{path}{name}' failed to satisfy constraint: Member must not be null")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _check_shape(member, value[name], f"{path}{name}.", problems)
        return
    where = path.rstrip(".")
    if kind == "string":
        if not isinstance(value, str):
            raise SWFSerializationException(value)
        _check_length(len(value), meta, where, problems)
        if "enum" in meta and value not in meta["enum"]:
            problems.append(
                f"Value '{value}' at '{where}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]"
            )
    elif kind == "list":
        if not isinstance(value, list):
            raise SWFSerializationException(value)
        _check_length(len(value), meta, where, problems)
        for index, item in enumerate(value):
            _check_shape(shape.member, item, f"{where}.{index + 1}.", problems)
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SWFSerializationException(value)
        if "min" in meta and value < meta["min"]:
            problems.append(
                f"Value '{value}' at '{where}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {meta['min']}"
            )
        if "max" in meta and value > meta["max"]:
            problems.append(
                f"Value '{value}' at '{where}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {meta['max']}"
            )
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise SWFSerializationException(value)
    elif kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SWFSerializationException(value)


def _check_length(length: int, meta: dict[str, Any], where: str, problems: list[str]) -> None:
    if "min" in meta and length < meta["min"]:
        problems.append(
            f"Value at '{where}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and length > meta["max"]:
        problems.append(
            f"Value at '{where}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )


def validate(operation: str, params: dict[str, Any]) -> None:
    """Raise ValidationException listing every problem model_problems finds."""
    problems = model_problems(operation, params)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise SWFValidationException(f"{count} validation {noun} detected: " + "; ".join(problems))


# --------------------------------------------------------------------------- #
# Paging
# --------------------------------------------------------------------------- #
class InvalidPageToken(SWFValidationException):
    """400 for a nextPageToken this server did not issue for this query."""

    def __init__(self) -> None:
        super().__init__("Invalid nextPageToken: not issued for this request (or by this server)")


def _fingerprint(operation: str, params: dict[str, Any]) -> str:
    """What a token is bound to: the action and every member but the paging ones."""
    # reverseOrder false (the default) and absent are the same query.
    query = {
        k: v for k, v in params.items()
        if k not in _MEMBERS_NOT_IN_QUERY and v is not None and not (k == "reverseOrder" and v is False)
    }
    text = json.dumps([operation, query], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode_token(operation: str, params: dict[str, Any], last_key: list[Any]) -> str:
    """An opaque token: base64url(MAC + JSON [fingerprint, key of the last item])."""
    payload = json.dumps([_fingerprint(operation, params), last_key], separators=(",", ":")).encode()
    mac = hmac.new(_TOKEN_KEY, payload, hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")


def decode_token(operation: str, params: dict[str, Any], token: str) -> list[Any]:
    """The key of the last item of the previous page; InvalidPageToken otherwise."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise InvalidPageToken() from None
    mac, payload = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
    expected = hmac.new(_TOKEN_KEY, payload, hashlib.sha256).digest()[:_MAC_BYTES]
    if len(mac) != _MAC_BYTES or not hmac.compare_digest(mac, expected):
        raise InvalidPageToken()
    fingerprint, last_key = json.loads(payload)
    if fingerprint != _fingerprint(operation, params):
        raise InvalidPageToken()
    return last_key


def paginate(
    operation: str,
    params: dict[str, Any],
    items: Iterable[Any],
    key: Callable[[Any], list[Any]],
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """One page of ``items`` in SWF's order, and the token of the next page (or None).

    ``descending`` is the action's default order; ``reverseOrder`` flips it.  A
    token holds the (unique) sort key of the last item returned, so items added
    or closed between two calls never shift a page.
    """
    if params.get("reverseOrder"):
        descending = not descending
    ordered = sorted(items, key=key, reverse=descending)
    token = params.get("nextPageToken")
    if token:
        last = decode_token(operation, params, token)
        ordered = [item for item in ordered if (key(item) < last if descending else key(item) > last)]
    size = params.get("maximumPageSize") or MAX_PAGE_SIZE
    page = ordered[:size]
    next_token = encode_token(operation, params, key(page[-1])) if len(ordered) > size else None
    return page, next_token


def _answer(items_member: str, page: list[dict[str, Any]], next_token: str | None) -> str:
    body: dict[str, Any] = {items_member: page}
    if next_token:
        body["nextPageToken"] = next_token
    return json.dumps(body)


# --------------------------------------------------------------------------- #
# Executions as SWF shows them
# --------------------------------------------------------------------------- #
def execution_info(wfe: WorkflowExecution) -> dict[str, Any]:
    """WorkflowExecutionInfo (real start time; close status/time once closed)."""
    return wfe.to_list_dict()


def open_counts(wfe: WorkflowExecution) -> dict[str, int]:
    """WorkflowExecutionOpenCounts, from the tasks' states (all 0 once closed).

    moto's counters are not decremented by timeouts or termination.  Like moto,
    a signal while a decision task is scheduled schedules another one (real SWF
    keeps at most one open; moto's own suite expects 2), so openDecisionTasks can
    be 2 here.
    """
    if not wfe.open:
        counts = dict.fromkeys(("openActivityTasks", "openDecisionTasks", "openTimers"), 0)
    else:
        counts = {
            "openActivityTasks": sum(1 for t in wfe.activity_tasks if t.open),
            "openDecisionTasks": sum(1 for t in wfe.decision_tasks if t.state in ("SCHEDULED", "STARTED")),
            "openTimers": sum(1 for timer in wfe._timers.values() if timer.is_alive()),
        }
    return {**counts, "openChildWorkflowExecutions": 0, "openLambdaFunctions": 0}


def describe(wfe: WorkflowExecution) -> dict[str, Any]:
    """DescribeWorkflowExecution's answer for ``wfe``."""
    full = wfe.to_full_dict()
    answer: dict[str, Any] = {
        "executionInfo": execution_info(wfe),
        "executionConfiguration": full["executionConfiguration"],
        "openCounts": open_counts(wfe),
    }
    for member in ("latestActivityTaskTimestamp", "latestExecutionContext"):
        if member in full:
            answer[member] = full[member]
    return answer


def _in_range(timestamp: float | None, time_filter: dict[str, Any]) -> bool:
    if timestamp is None:
        return False
    latest = time_filter.get("latestDate")
    return time_filter["oldestDate"] <= timestamp and (latest is None or timestamp <= latest)


def _matches(wfe: WorkflowExecution, params: dict[str, Any]) -> bool:
    """True if ``wfe`` passes every filter present in ``params``."""
    if "startTimeFilter" in params and not _in_range(wfe.start_timestamp, params["startTimeFilter"]):
        return False
    if "closeTimeFilter" in params and not _in_range(wfe.close_timestamp, params["closeTimeFilter"]):
        return False
    if "executionFilter" in params and wfe.workflow_id != params["executionFilter"]["workflowId"]:
        return False
    type_filter = params.get("typeFilter")
    if type_filter and (
        wfe.workflow_type.name != type_filter["name"]
        or ("version" in type_filter and wfe.workflow_type.version != type_filter["version"])
    ):
        return False
    if "tagFilter" in params and params["tagFilter"]["tag"] not in (wfe.tag_list or []):
        return False
    if "closeStatusFilter" in params and wfe.close_status != params["closeStatusFilter"]["status"]:
        return False
    return True


def _check_exclusive(params: dict[str, Any], names: tuple[str, ...]) -> None:
    present = [name for name in names if params.get(name) is not None]
    if len(present) > 1:
        raise SWFValidationException(
            f"Cannot specify more than one exclusive filters in the same query: {present}"
            f" ({', '.join(names)} are mutually exclusive)"
        )


def _list_executions(response: SWFResponse, operation: str, want_open: bool) -> str:
    params = response._params
    validate(operation, params)
    if want_open:
        _check_exclusive(params, ("executionFilter", "typeFilter", "tagFilter"))
        order_by = "start_timestamp"
    else:
        _check_exclusive(params, ("executionFilter", "closeStatusFilter", "typeFilter", "tagFilter"))
        has_start, has_close = params.get("startTimeFilter") is not None, params.get("closeTimeFilter") is not None
        if has_start == has_close:
            raise SWFValidationException(
                "Cannot specify both a startTimeFilter and a closeTimeFilter" if has_start
                else "Must specify time filter: startTimeFilter or closeTimeFilter (exactly one)"
            )
        order_by = "start_timestamp" if has_start else "close_timestamp"
    backend: SWFBackend = response.swf_backend
    backend._process_timeouts()
    domain: Domain = backend._get_domain(params["domain"])
    if domain.status == "DEPRECATED":
        raise SWFDomainDeprecatedFault(params["domain"])
    chosen = [wfe for wfe in domain.workflow_executions if wfe.open == want_open and _matches(wfe, params)]
    page, token = paginate(
        operation,
        params,
        chosen,
        key=lambda wfe: [getattr(wfe, order_by) or 0, wfe.workflow_id, wfe.run_id],
        descending=True,  # SWF: newest first unless reverseOrder
    )
    return _answer("executionInfos", [execution_info(wfe) for wfe in page], token)


# --------------------------------------------------------------------------- #
# The replaced SWFResponse methods
# --------------------------------------------------------------------------- #
def _list_domains(self: SWFResponse) -> str:
    """ListDomains: by name (ascending unless reverseOrder), paged."""
    params = self._params
    validate("ListDomains", params)
    domains = [d for d in self.swf_backend.domains if d.status == params["registrationStatus"]]
    page, token = paginate("ListDomains", params, domains, key=lambda d: [d.name])
    return _answer("domainInfos", [d.to_short_dict() for d in page], token)


def _list_types(kind: str) -> Callable[[SWFResponse], str]:
    operation = f"List{kind.capitalize()}Types"

    def method(self: SWFResponse) -> str:
        params = self._params
        validate(operation, params)
        domain = self.swf_backend._get_domain(params["domain"])
        types = [
            t for t in domain.find_types(kind, params["registrationStatus"])
            if "name" not in params or t.name == params["name"]
        ]
        page, token = paginate(operation, params, types, key=lambda t: [t.name, t.version])
        return _answer("typeInfos", [t.to_medium_dict() for t in page], token)

    method.__name__ = f"list_{kind}_types"
    method.__doc__ = f"{operation}: by name then version, with the name filter, paged."
    return method


def _list_open_workflow_executions(self: SWFResponse) -> str:
    """ListOpenWorkflowExecutions: every filter, newest start first, paged."""
    return _list_executions(self, "ListOpenWorkflowExecutions", want_open=True)


def _list_closed_workflow_executions(self: SWFResponse) -> str:
    """ListClosedWorkflowExecutions: every filter, newest start/close first, paged."""
    return _list_executions(self, "ListClosedWorkflowExecutions", want_open=False)


def _find_execution(response: SWFResponse, operation: str) -> WorkflowExecution:
    params = response._params
    validate(operation, params)
    execution = params["execution"]
    return response.swf_backend.describe_workflow_execution(
        params["domain"], execution["runId"], execution["workflowId"]
    )


def _get_workflow_execution_history(self: SWFResponse) -> str:
    """GetWorkflowExecutionHistory: by eventId (oldest first unless reverseOrder), paged."""
    wfe = _find_execution(self, "GetWorkflowExecutionHistory")
    page, token = paginate(
        "GetWorkflowExecutionHistory", self._params, list(wfe.events()), key=lambda e: [e.event_id]
    )
    return _answer("events", [event.to_dict() for event in page], token)


def _describe_workflow_execution(self: SWFResponse) -> str:
    """DescribeWorkflowExecution with real timestamps and open counts."""
    return json.dumps(describe(_find_execution(self, "DescribeWorkflowExecution")))


def _count_pending(kind: str) -> Callable[[SWFResponse], str]:
    operation = f"CountPending{kind.capitalize()}Tasks"

    def method(self: SWFResponse) -> str:
        params = self._params
        validate(operation, params)
        backend: SWFBackend = self.swf_backend
        backend._process_timeouts()
        domain = backend._get_domain(params["domain"])
        name = params["taskList"]["name"]
        tasks = (domain.activity_task_lists if kind == "activity" else domain.decision_task_lists).get(name, [])
        count = sum(1 for t in tasks if t.state in ("SCHEDULED", "STARTED") and t.workflow_execution.open)
        return json.dumps({"count": count, "truncated": False})

    method.__name__ = f"count_pending_{kind}_tasks"
    method.__doc__ = f"{operation}: open tasks of open executions on the task list."
    return method


def _signal_workflow_execution(self: SWFResponse) -> str:
    """SignalWorkflowExecution; ``input`` is optional (moto required it)."""
    params = self._params
    validate("SignalWorkflowExecution", params)
    self.swf_backend.signal_workflow_execution(
        params["domain"], params["signalName"], params["workflowId"], params.get("input"), params.get("runId")
    )
    return ""


def _terminate_workflow_execution(self: SWFResponse) -> str:
    """TerminateWorkflowExecution, its inputs checked against AWS's model first."""
    validate("TerminateWorkflowExecution", self._params)
    return _originals["terminate_workflow_execution"](self)


def _closing(original: Callable[..., None], when: Callable[..., float]) -> Callable[..., None]:
    """Wrap a WorkflowExecution method that closes it so closeTimestamp gets set."""

    @functools.wraps(original)
    def wrapper(self: WorkflowExecution, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if not self.open and self.close_timestamp is None:
            self.close_timestamp = when(*args, **kwargs)

    return wrapper


def apply() -> None:
    """Replace moto's visibility methods (called once by patches.apply())."""
    _originals["terminate_workflow_execution"] = SWFResponse.terminate_workflow_execution
    SWFResponse.list_domains = _list_domains
    SWFResponse.list_activity_types = _list_types("activity")
    SWFResponse.list_workflow_types = _list_types("workflow")
    SWFResponse.list_open_workflow_executions = _list_open_workflow_executions
    SWFResponse.list_closed_workflow_executions = _list_closed_workflow_executions
    SWFResponse.get_workflow_execution_history = _get_workflow_execution_history
    SWFResponse.describe_workflow_execution = _describe_workflow_execution
    SWFResponse.count_pending_activity_tasks = _count_pending("activity")
    SWFResponse.count_pending_decision_tasks = _count_pending("decision")
    SWFResponse.signal_workflow_execution = _signal_workflow_execution
    SWFResponse.terminate_workflow_execution = _terminate_workflow_execution
    WorkflowExecution.terminate = _closing(WorkflowExecution.terminate, lambda *a, **k: unix_time())
    WorkflowExecution.timeout = _closing(WorkflowExecution.timeout, lambda timeout: timeout.timestamp)
