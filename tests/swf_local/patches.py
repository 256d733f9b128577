"""In-process patches that teach moto's SWF backend (moto 5.2.1) to cancel.

Stock moto lacks the cancellation half of Amazon SWF.  ``apply()`` monkeypatches
the classes in ``moto.swf.models`` and ``moto.swf.responses`` so that:

* ``RequestCancelWorkflowExecution`` records ``WorkflowExecutionCancelRequested``
  and schedules a decision task;
* the decision ``RequestCancelActivityTask`` records ``ActivityTaskCancelRequested``
  (or ``RequestCancelActivityTaskFailed`` / an immediate ``ActivityTaskCanceled``
  for an activity that was scheduled but never started);
* ``RecordActivityTaskHeartbeat`` answers ``cancelRequested: true`` once asked;
* ``RespondActivityTaskCanceled`` records ``ActivityTaskCanceled``, closes the task
  and schedules a decision task;
* a token of a closed task, or an unknown but well-formed token, gives
  ``UnknownResourceFault`` (moto gave ``ValidationException`` or a 500);
* string lengths are validated like the real service (``ValidationException``);
* a malformed JSON body gives 400 ``SerializationException`` instead of a 500;
* every SWF response is labelled ``application/x-amz-json-1.0`` and carries an
  ``x-amzn-RequestId`` (a uuid) and, for errors, ``x-amzn-ErrorType``;
* SWF requests are serialised by one lock (moto's models are not thread safe);
* two performance fixes keep each request O(executions) instead of quadratic, so
  a server that has accumulated thousands of executions stays fast;
* the operator (visibility) actions page, filter and count like SWF
  (``visibility.py``).

HTTP concerns that do not reach the SWF backend at all (the CORS preflight) live
in ``cors.py``.  ``apply()`` is idempotent; it works with the moto server and with
``moto.mock_aws`` alike.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import threading
import time
import traceback
import uuid
from typing import Any

import botocore.session
import moto
import moto.swf.models as swf_models
import moto.swf.models.history_event as history_event_module
from moto.core.utils import camelcase_to_underscores, method_names_from_class, unix_time
from moto.swf.exceptions import (
    SWFClientError,
    SWFUnknownResourceFault,
    SWFValidationException,
)
from moto.swf.models import ActivityTask, Domain, SWFBackend, WorkflowExecution
from moto.swf.responses import SWFResponse

from . import visibility

#: The moto version these patches were written against (they poke internals).
SUPPORTED_MOTO_VERSION = "5.2.1"

#: Content type of every SWF (awsJson1_0) response.
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"

#: History event types this module adds to moto's whitelist.
NEW_EVENT_TYPES = (
    "WorkflowExecutionCancelRequested",
    "ActivityTaskCancelRequested",
    "ActivityTaskCanceled",
    "RequestCancelActivityTaskFailed",
)

#: Length limits (min, max) per operation and member, from the SWF API reference.
#: Lengths are counted in Unicode code points (Python ``len`` of a ``str``).
LENGTH_LIMITS: dict[str, dict[str, tuple[int | None, int]]] = {
    "RespondActivityTaskCanceled": {"taskToken": (1, 1024), "details": (None, 32768)},
    "RecordActivityTaskHeartbeat": {"taskToken": (1, 1024), "details": (None, 2048)},
    "RespondActivityTaskCompleted": {"taskToken": (1, 1024), "result": (None, 32768)},
    "RespondActivityTaskFailed": {
        "taskToken": (1, 1024),
        "reason": (None, 256),
        "details": (None, 32768),
    },
}

# moto issues activity/decision task tokens as canonical uuid4 strings; anything
# else can never have been issued, so it is "malformed" (ValidationException).
_WELL_FORMED_TOKEN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)

# Error namespaces used in the x-amzn-ErrorType header, as the real service does.
_ERROR_NAMESPACES = {
    "com.amazonaws.swf.base.model": "http://internal.amazon.com/coral/com.amazonaws.swf.base.model/",
    "com.amazon.coral.validate": "http://internal.amazon.com/coral/com.amazon.coral.validate/",
    "com.amazon.coral.service": "http://internal.amazon.com/coral/com.amazon.coral.service/",
}

_applied = False
_originals: dict[str, Any] = {}

# One lock serialises all SWF actions (see _call_action).  Empty polls in moto
# sleep for a second; _sleep_unlocked releases the lock while they do.
_SWF_LOCK = threading.Lock()
_LOCK_STATE = threading.local()


# --------------------------------------------------------------------------- #
# Errors
# --------------------------------------------------------------------------- #
class SerializationError(SWFClientError):
    """400 for a body that is not a JSON object (real SWF: SerializationException)."""

    def __init__(self, message: str):
        super().__init__("SerializationException", message)


class UnknownOperationError(SWFClientError):
    """400 for an X-Amz-Target that names no SWF action implemented here."""

    def __init__(self, action: str):
        super().__init__(
            "com.amazon.coral.service#UnknownOperationException",
            f"Operation {action!r} is not supported by swf_local (moto)",
        )


class LengthValidationError(SWFValidationException):
    """ValidationException listing every member whose length is out of bounds."""

    def __init__(self, problems: list[str]):
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        super().__init__(f"{count} validation {noun} detected: " + "; ".join(problems))


def _length_problems(operation: str, params: dict[str, Any]) -> list[str]:
    """Return SWF-style messages for members of ``params`` that break LENGTH_LIMITS."""
    problems = []
    for member, (minimum, maximum) in LENGTH_LIMITS.get(operation, {}).items():
        value = params.get(member)
        if not isinstance(value, str):
            continue  # absence / wrong type is reported elsewhere
        if minimum is not None and len(value) < minimum:
            problems.append(
                f"Value at '{member}' failed to satisfy constraint: "
                f"Member must have length greater than or equal to {minimum}"
            )
        if len(value) > maximum:
            problems.append(
                f"Value at '{member}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {maximum}"
            )
    return problems


def validate_lengths(operation: str, params: dict[str, Any]) -> None:
    """Raise LengthValidationError if any member of ``params`` is too short/long."""
    problems = _length_problems(operation, params)
    if problems:
        raise LengthValidationError(problems)


def is_well_formed_token(token: str) -> bool:
    """True if ``token`` has the shape of a token moto could have issued."""
    return bool(_WELL_FORMED_TOKEN.match(token))


# --------------------------------------------------------------------------- #
# Models: ActivityTask
# --------------------------------------------------------------------------- #
def _activity_task_cancel(self: ActivityTask) -> None:
    """Close the task as CANCELED (new terminal state next to COMPLETED/FAILED)."""
    self._check_workflow_execution_open()
    self.state = "CANCELED"


_moto_activity_task_start = ActivityTask.start
_moto_activity_task_first_timeout = ActivityTask.first_timeout


def _activity_task_start(self: ActivityTask, started_event_id: int) -> None:
    """moto's start, and the heartbeat clock starts with the task, as in SWF.

    moto started it when the task was scheduled, so a task that waited for a worker
    longer than its heartbeat timeout timed out (HEARTBEAT) before or just after it
    was polled.
    """
    _moto_activity_task_start(self, started_event_id)
    self.reset_heartbeat_clock()


def _activity_task_first_timeout(self: ActivityTask) -> Any:
    """moto's HEARTBEAT timeout, for started tasks only: in SWF a task waiting to be
    polled has no heartbeat to miss (only schedule-to-start applies)."""
    if self.state != "STARTED":
        return None
    return _moto_activity_task_first_timeout(self)


def _patch_activity_task() -> None:
    # Class-level defaults, so tasks created before apply() also have them.
    ActivityTask.cancel_requested = False
    ActivityTask.latest_cancel_requested_event_id = None
    ActivityTask.cancel = _activity_task_cancel
    ActivityTask.start = _activity_task_start
    ActivityTask.first_timeout = _activity_task_first_timeout


# --------------------------------------------------------------------------- #
# Models: WorkflowExecution
# --------------------------------------------------------------------------- #
def _wfe_request_cancel(self: WorkflowExecution) -> None:
    """RequestCancelWorkflowExecution: record the request, wake the decider."""
    self.cancel_requested = True
    self._add_event("WorkflowExecutionCancelRequested")
    self.schedule_decision_task()


def _wfe_find_open_activity(self: WorkflowExecution, activity_id: str) -> ActivityTask | None:
    """The open (scheduled or started) activity task with this activityId, if any."""
    for task in self.activity_tasks:
        if task.activity_id == activity_id and task.open:
            return task
    return None


def _wfe_request_cancel_activity_task(
    self: WorkflowExecution, event_id: int, activity_id: str
) -> None:
    """Handle the decision RequestCancelActivityTask like SWF does.

    * unknown / already closed activityId -> RequestCancelActivityTaskFailed
      (cause ACTIVITY_ID_UNKNOWN) and a new decision task;
    * started activity -> ActivityTaskCancelRequested; heartbeats now answer
      cancelRequested=true and the worker may RespondActivityTaskCanceled;
    * scheduled but not started -> ActivityTaskCancelRequested followed at once
      by ActivityTaskCanceled, and a new decision task.
    """
    task = self._swf_local_find_open_activity(activity_id)
    if task is None:
        self._add_event(
            "RequestCancelActivityTaskFailed",
            activity_id=activity_id,
            cause="ACTIVITY_ID_UNKNOWN",
            decision_task_completed_event_id=event_id,
        )
        self.should_schedule_decision_next = True
        return
    evt = self._add_event(
        "ActivityTaskCancelRequested",
        activity_id=activity_id,
        decision_task_completed_event_id=event_id,
    )
    task.cancel_requested = True
    task.latest_cancel_requested_event_id = evt.event_id
    if task.state == "SCHEDULED":
        self._swf_local_close_canceled(task, details=None)
        self.should_schedule_decision_next = True


def _wfe_close_canceled(self: WorkflowExecution, task: ActivityTask, details: str | None) -> None:
    """Record ActivityTaskCanceled for ``task`` and close it (no decision here).

    An activity that was never started gets ``startedEventId: 0``, as real SWF
    sends (AWS's model marks the member required; moto's HistoryEvent drops
    falsy attributes, so it is set after the event is built).
    """
    evt = self._add_event(
        "ActivityTaskCanceled",
        details=details,
        scheduled_event_id=task.scheduled_event_id,
        started_event_id=task.started_event_id,
        latest_cancel_requested_event_id=task.latest_cancel_requested_event_id,
    )
    evt.event_attributes["startedEventId"] = task.started_event_id or 0
    task.cancel()
    self.open_counts["openActivityTasks"] -= 1


def _wfe_cancel_activity_task(
    self: WorkflowExecution, task_token: str, details: str | None = None
) -> None:
    """RespondActivityTaskCanceled: close the task and schedule a decision task."""
    task = self._find_activity_task(task_token)
    self._swf_local_close_canceled(task, details=details)
    self.schedule_decision_task()


def _wfe_handle_decisions(
    self: WorkflowExecution, event_id: int, decisions: list[dict[str, Any]]
) -> None:
    """moto's handle_decisions plus the RequestCancelActivityTask decision.

    Other decisions are handed one by one to moto's own implementation, which
    decrements openDecisionTasks at the end of each call; we undo that after each
    call and decrement once at the end, exactly like the original.
    """
    original = _originals["WorkflowExecution.handle_decisions"]
    for decision in decisions:
        if decision["decisionType"] == "RequestCancelActivityTask":
            attributes = decision.get("requestCancelActivityTaskDecisionAttributes", {})
            self._swf_local_request_cancel_activity_task(event_id, attributes["activityId"])
        else:
            original(self, event_id, [decision])
            self.open_counts["openDecisionTasks"] += 1
    self.open_counts["openDecisionTasks"] -= 1


def _own_task_list(wfe: WorkflowExecution, kind: str) -> list[Any]:
    """The per-execution list of decision or activity tasks (created on demand)."""
    return wfe.__dict__.setdefault(f"_swf_local_{kind}_tasks", [])


def _wfe_decision_tasks(self: WorkflowExecution) -> list[Any]:
    """This execution's decision tasks, without scanning the whole domain."""
    return list(_own_task_list(self, "decision"))


def _wfe_activity_tasks(self: WorkflowExecution) -> list[ActivityTask]:
    """This execution's activity tasks, without scanning the whole domain."""
    return list(_own_task_list(self, "activity"))


def _index_task(domain: Domain, obj: Any, kind: str) -> None:
    """Add ``obj`` to its execution's own list, if moto's scan would find it there.

    moto's ``WorkflowExecution.decision_tasks`` / ``activity_tasks`` return the
    tasks of the execution's domain whose ``workflow_execution`` is the execution.
    The index holds exactly those: anything else a caller puts in a task list
    (moto's own unit tests add plain strings) is left to moto alone.
    """
    wfe = getattr(obj, "workflow_execution", None)
    if isinstance(wfe, WorkflowExecution) and wfe.domain is domain:
        _own_task_list(wfe, kind).append(obj)


def _domain_add_to_decision_task_list(self: Domain, task_list: str, obj: Any) -> None:
    """moto's Domain.add_to_decision_task_list, also indexing the task per execution."""
    _originals["Domain.add_to_decision_task_list"](self, task_list, obj)
    _index_task(self, obj, "decision")


def _domain_add_to_activity_task_list(self: Domain, task_list: Any, obj: ActivityTask) -> None:
    """moto's Domain.add_to_activity_task_list, also indexing the task per execution."""
    _originals["Domain.add_to_activity_task_list"](self, task_list, obj)
    _index_task(self, obj, "activity")


def _patch_task_indexes() -> None:
    """Performance: moto finds an execution's tasks by scanning every task of the
    domain, and does so for every execution on every call (timeouts), which is
    quadratic; after a few hundred executions each call takes tens of ms.  Keep a
    per-execution list instead (same content, same order)."""
    _originals["Domain.add_to_decision_task_list"] = Domain.add_to_decision_task_list
    _originals["Domain.add_to_activity_task_list"] = Domain.add_to_activity_task_list
    Domain.add_to_decision_task_list = _domain_add_to_decision_task_list
    Domain.add_to_activity_task_list = _domain_add_to_activity_task_list
    WorkflowExecution.decision_tasks = property(_wfe_decision_tasks)
    WorkflowExecution.activity_tasks = property(_wfe_activity_tasks)


def _patch_workflow_execution() -> None:
    _originals["WorkflowExecution.handle_decisions"] = WorkflowExecution.handle_decisions
    WorkflowExecution.handle_decisions = _wfe_handle_decisions
    WorkflowExecution.request_cancel = _wfe_request_cancel
    WorkflowExecution.cancel_activity_task = _wfe_cancel_activity_task
    WorkflowExecution._swf_local_find_open_activity = _wfe_find_open_activity
    WorkflowExecution._swf_local_request_cancel_activity_task = _wfe_request_cancel_activity_task
    WorkflowExecution._swf_local_close_canceled = _wfe_close_canceled


# --------------------------------------------------------------------------- #
# Models: SWFBackend
# --------------------------------------------------------------------------- #
def _backend_lookup_activity_task(self: SWFBackend, task_token: str) -> ActivityTask | None:
    """The activity task (any state) that was issued ``task_token``, if any."""
    for domain in self.domains:
        for task in domain.activity_tasks:
            if task.task_token == task_token:
                return task
    return None


def _backend_find_activity_task_from_token(self: SWFBackend, task_token: str) -> ActivityTask:
    """Replacement of moto's lookup, with SWF's answers for every bad token.

    * not shaped like a moto token           -> ValidationException "Invalid token"
    * well formed but never issued            -> UnknownResourceFault
    * workflow execution closed               -> UnknownResourceFault
    * task not STARTED (completed, failed,
      canceled, timed out, never polled)      -> UnknownResourceFault
    """
    task = self._swf_local_lookup_activity_task(task_token)
    if task is None:
        if not is_well_formed_token(task_token):
            raise SWFValidationException("Invalid token")
        raise SWFUnknownResourceFault("activity task", f"taskToken={task_token}")
    wfe = task.workflow_execution
    if not wfe.open:
        raise SWFUnknownResourceFault(
            "execution",
            f"WorkflowExecution=[workflowId={wfe.workflow_id}, runId={wfe.run_id}]",
        )
    if task.state != "STARTED":
        raise SWFUnknownResourceFault(f"activity, scheduledEventId = {task.scheduled_event_id}")
    return task


def _backend_record_activity_task_heartbeat(
    self: SWFBackend, task_token: str, details: Any = None
) -> ActivityTask:
    """moto's heartbeat, but returning the task so the response can read its flag."""
    self._process_timeouts()
    task = self._find_activity_task_from_token(task_token)
    task.reset_heartbeat_clock()
    if details:
        task.details = details
    return task


def _backend_respond_activity_task_canceled(
    self: SWFBackend, task_token: str, details: str | None = None
) -> None:
    """RespondActivityTaskCanceled on the backend."""
    self._process_timeouts()
    task = self._find_activity_task_from_token(task_token)
    task.workflow_execution.cancel_activity_task(task.task_token, details=details)


def _backend_request_cancel_workflow_execution(
    self: SWFBackend, domain_name: str, workflow_id: str, run_id: str | None = None
) -> None:
    """RequestCancelWorkflowExecution; unknown or closed execution -> UnknownResourceFault."""
    self._process_timeouts()
    domain = self._get_domain(domain_name)
    wfe = domain.get_workflow_execution(workflow_id, run_id=run_id, raise_if_closed=True)
    wfe.request_cancel()


def _earliest_deadline(wfe: WorkflowExecution) -> float:
    """Lower bound of every timeout moto would check on ``wfe`` (epoch seconds).

    Mirrors the ``first_timeout`` methods of moto's WorkflowExecution (execution
    START_TO_CLOSE), DecisionTask (START_TO_CLOSE of a started task) and
    ActivityTask (HEARTBEAT of a started task).  Closed executions never time out.
    """
    if not wfe.open or not wfe.start_timestamp:
        return float("inf")
    deadlines = [wfe.start_timestamp + int(wfe.execution_start_to_close_timeout)]
    for task in wfe.decision_tasks:
        if task.started:
            deadlines.append(task.started_timestamp + int(task.start_to_close_timeout))
    for task in wfe.activity_tasks:
        heartbeat_timeout = task.timeouts.get("heartbeatTimeout")
        if task.state == "STARTED" and heartbeat_timeout != "NONE":
            deadlines.append(task.last_heartbeat_timestamp + int(heartbeat_timeout))
    return min(deadlines)


def _backend_process_timeouts(self: SWFBackend) -> None:
    """moto's _process_timeouts, skipping executions with no timeout due yet.

    Performance: moto evaluates every timeout of every execution (converting
    datetimes each time) on every request.  Executions whose earliest deadline is
    in the future are skipped; the others go through moto's exact logic.
    """
    now = unix_time()
    for domain in self.domains:
        for wfe in domain.workflow_executions:
            try:
                due = _earliest_deadline(wfe) <= now
            except (TypeError, ValueError):  # unexpected values: let moto decide
                due = True
            if due:
                wfe._process_timeouts()


def _patch_backend() -> None:
    SWFBackend._process_timeouts = _backend_process_timeouts
    SWFBackend._swf_local_lookup_activity_task = _backend_lookup_activity_task
    SWFBackend._find_activity_task_from_token = _backend_find_activity_task_from_token
    SWFBackend.record_activity_task_heartbeat = _backend_record_activity_task_heartbeat
    SWFBackend.respond_activity_task_canceled = _backend_respond_activity_task_canceled
    SWFBackend.request_cancel_workflow_execution = _backend_request_cancel_workflow_execution


# --------------------------------------------------------------------------- #
# Responses: SWFResponse (HTTP layer of the SWF backend)
# --------------------------------------------------------------------------- #
def _response_params(self: SWFResponse) -> dict[str, Any]:
    """The JSON body as a dict; SerializationException if it is not a JSON object."""
    cached = self.__dict__.get("_swf_local_params")
    if cached is not None:
        return cached
    try:
        body = self.body or ""
        if isinstance(body, bytes):  # see _response_setup_class
            body = body.decode("utf-8")
        params = json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise SerializationError(f"Malformed JSON request body: {exc}") from None
    if not isinstance(params, dict):
        raise SerializationError("Request body must be a JSON object")
    self.__dict__["_swf_local_params"] = params
    return params


def _response_setup_class(
    self: SWFResponse, request: Any, full_url: str, headers: Any, use_raw_body: bool = False
) -> None:
    """moto's setup_class, tolerating a body that is not UTF-8.

    moto decodes the body as UTF-8 before any action runs, so invalid bytes gave
    a 500.  Keep them as bytes instead; ``_params`` then reports the
    SerializationException.
    """
    original = _originals["SWFResponse.setup_class"]
    try:
        original(self, request, full_url, headers, use_raw_body)
    except UnicodeDecodeError:
        original(self, request, full_url, headers, use_raw_body=True)


def _response_get_action(self: SWFResponse) -> str:
    """Take the action from X-Amz-Target first.

    moto looks at an ``Action`` query parameter first, which it also parses out of
    the body; a JSON string value containing ``&Action=...`` would then hijack the
    request.  SWF is awsJson1_0: the target header is authoritative.
    """
    target = self.headers.get("X-Amz-Target")
    if target:
        return target.split(".")[-1]
    return _originals["SWFResponse._get_action"](self)


def _response_respond_activity_task_canceled(self: SWFResponse) -> str:
    """RespondActivityTaskCanceled(taskToken, details?) -> 200, empty body."""
    params = self._params
    task_token = params["taskToken"]
    details = params.get("details")
    self._check_string(task_token)
    self._check_none_or_string(details)
    validate_lengths("RespondActivityTaskCanceled", params)
    self.swf_backend.respond_activity_task_canceled(task_token, details=details)
    return ""


def _response_request_cancel_workflow_execution(self: SWFResponse) -> str:
    """RequestCancelWorkflowExecution(domain, workflowId, runId?) -> 200, empty body."""
    params = self._params
    domain_name = params["domain"]
    workflow_id = params["workflowId"]
    run_id = params.get("runId")
    self._check_string(domain_name)
    self._check_string(workflow_id)
    self._check_none_or_string(run_id)
    visibility.validate("RequestCancelWorkflowExecution", params)
    self.swf_backend.request_cancel_workflow_execution(domain_name, workflow_id, run_id=run_id)
    return ""


def _response_record_activity_task_heartbeat(self: SWFResponse) -> str:
    """RecordActivityTaskHeartbeat -> {"cancelRequested": <real flag>}."""
    params = self._params
    task_token = params["taskToken"]
    details = params.get("details")
    self._check_string(task_token)
    self._check_none_or_string(details)
    validate_lengths("RecordActivityTaskHeartbeat", params)
    task = self.swf_backend.record_activity_task_heartbeat(task_token, details=details)
    return json.dumps({"cancelRequested": bool(task.cancel_requested)})


def _with_length_validation(operation: str):
    """Wrap moto's response method for ``operation`` with validate_lengths()."""
    original = getattr(SWFResponse, camelcase_to_underscores(operation))

    def wrapper(self: SWFResponse) -> str:
        validate_lengths(operation, self._params)
        return original(self)

    wrapper.__name__ = original.__name__
    wrapper.__doc__ = f"moto's {operation} with SWF length validation."
    return wrapper


def _error_response(error: SWFClientError) -> tuple[int, dict[str, str], str]:
    """(status, headers, body) for one of moto's JSON errors."""
    return error.code, {}, error.description


def _internal_failure(exc: BaseException) -> tuple[int, dict[str, str], str]:
    """500 JSON (not Flask's HTML page) for a bug, with the traceback on stderr."""
    traceback.print_exc(file=sys.stderr)
    body = {
        "__type": "com.amazon.coral.service#InternalFailure",
        "message": f"swf_local/moto internal error: {exc.__class__.__name__}: {exc}",
    }
    return 500, {}, json.dumps(body)


def _error_type_header(body: str) -> str | None:
    """x-amzn-ErrorType value ("Name:namespace-url") from an error body, if any."""
    try:
        error_type = json.loads(body).get("__type", "")
    except (ValueError, AttributeError):
        return None
    if not error_type:
        return None
    namespace, _, name = error_type.rpartition("#")
    url = _ERROR_NAMESPACES.get(namespace)
    return f"{name}:{url}" if url else name


def _finish_headers(status: int, headers: dict[str, Any], body: Any) -> dict[str, Any]:
    """Normalise the headers of every SWF response (success and error)."""
    cleaned = {
        key: value
        for key, value in headers.items()
        # "status" is moto-internal; "server" would duplicate werkzeug's own header.
        if key.lower()
        not in ("status", "server", "content-type", "x-amzn-requestid", "x-amzn-errortype")
    }
    cleaned["Content-Type"] = JSON_CONTENT_TYPE
    cleaned["x-amzn-RequestId"] = str(uuid.uuid4())
    if status >= 400 and isinstance(body, str):
        error_type = _error_type_header(body)
        if error_type:
            cleaned["x-amzn-ErrorType"] = error_type
    return cleaned


@functools.lru_cache(maxsize=1)
def swf_operation_names() -> frozenset[str]:
    """Names of the operations of the SWF API (from botocore's service model)."""
    return frozenset(botocore.session.get_session().get_service_model("swf").operation_names)


def _check_operation(self: SWFResponse) -> None:
    """UnknownOperationException unless the target is an SWF operation moto implements.

    Without this, any method name of SWFResponse (e.g. "CallAction") would be
    callable through X-Amz-Target, and unimplemented ones would raise a 500.
    """
    action = self._get_action() or ""
    implemented = method_names_from_class(self.__class__)
    if action not in swf_operation_names() or camelcase_to_underscores(action) not in implemented:
        raise UnknownOperationError(action)


def _call_action_locked(self: SWFResponse) -> tuple[int, dict[str, Any], Any]:
    """Run one SWF action under the lock, mapping every failure to JSON."""
    try:
        _check_operation(self)
        _ = self._params  # parse the body up front: malformed JSON -> 400
        return _originals["SWFResponse.call_action"](self)
    except SWFClientError as error:
        return _error_response(error)
    except KeyError as missing:
        # A required member is absent: SWF says "Value null at 'x' ...".
        error = SWFValidationException(
            f"1 validation error detected: Value null at '{missing.args[0]}' "
            "failed to satisfy constraint: Member must not be null"
        )
        return _error_response(error)
    except Exception as exc:  # noqa: BLE001 - a 500 JSON beats a 500 HTML page
        return _internal_failure(exc)


def _response_call_action(self: SWFResponse) -> tuple[int, dict[str, Any], Any]:
    """moto's call_action, serialised, with JSON errors and SWF response headers."""
    with _SWF_LOCK:
        _LOCK_STATE.held = True
        try:
            status, headers, body = _call_action_locked(self)
        finally:
            _LOCK_STATE.held = False
    if body is None:
        body = ""
    return int(status), _finish_headers(int(status), headers, body), body


def _sleep_unlocked(seconds: float) -> None:
    """time.sleep for moto's empty polls that lets other SWF requests run meanwhile."""
    if not getattr(_LOCK_STATE, "held", False):
        time.sleep(seconds)
        return
    _LOCK_STATE.held = False
    _SWF_LOCK.release()
    try:
        time.sleep(seconds)
    finally:
        _SWF_LOCK.acquire()
        _LOCK_STATE.held = True


def _patch_responses() -> None:
    _originals["SWFResponse.call_action"] = SWFResponse.call_action
    _originals["SWFResponse._get_action"] = SWFResponse._get_action
    _originals["SWFResponse.setup_class"] = SWFResponse.setup_class
    for operation in ("RespondActivityTaskCompleted", "RespondActivityTaskFailed"):
        wrapped = _with_length_validation(operation)
        setattr(SWFResponse, camelcase_to_underscores(operation), wrapped)
    SWFResponse._params = property(_response_params)
    SWFResponse._get_action = _response_get_action
    SWFResponse.setup_class = _response_setup_class
    SWFResponse.call_action = _response_call_action
    SWFResponse.respond_activity_task_canceled = _response_respond_activity_task_canceled
    SWFResponse.request_cancel_workflow_execution = _response_request_cancel_workflow_execution
    SWFResponse.record_activity_task_heartbeat = _response_record_activity_task_heartbeat


def _patch_history_events() -> None:
    known = history_event_module.SUPPORTED_HISTORY_EVENT_TYPES
    missing = tuple(t for t in NEW_EVENT_TYPES if t not in known)
    history_event_module.SUPPORTED_HISTORY_EVENT_TYPES = known + missing


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #
def apply(strict_version: bool = False) -> None:
    """Patch moto's SWF backend in this process (idempotent).

    With ``strict_version`` a moto other than SUPPORTED_MOTO_VERSION is refused;
    otherwise a warning goes to stderr.
    """
    global _applied
    if _applied:
        return
    if moto.__version__ != SUPPORTED_MOTO_VERSION:
        message = (
            f"swf_local patches target moto {SUPPORTED_MOTO_VERSION}, "
            f"found {moto.__version__}"
        )
        if strict_version:
            raise RuntimeError(message)
        print(f"warning: {message}", file=sys.stderr)
    _patch_history_events()
    _patch_activity_task()
    _patch_workflow_execution()
    _patch_task_indexes()
    _patch_backend()
    _patch_responses()
    visibility.apply()
    swf_models.sleep = _sleep_unlocked  # moto.swf.models did "from time import sleep"
    _applied = True


def is_applied() -> bool:
    """True once apply() has run in this process."""
    return _applied
