// The operator routes: find executions, see their activities and history, ask SWF to cancel,
// signal or terminate them, and take one snapshot of a cancellation's progress. Inputs are
// SWF's own JSON (timestamps as epoch seconds), checked by swf-edge against AWS's model
// before any request; answers are SWF's JSON (timestamps as ISO 8601 strings).
import { activitiesFromHistory, followCancellation, paginateGetWorkflowExecutionHistory } from "swf-edge";
import { RouteError, withHistoryPageBudget } from "./http.js";

/** Largest page a list or history route returns (SWF allows 1000; a Worker's answer stays small). */
export const MAX_PAGE_SIZE = 200;
/** Page size used when the caller gives none. */
export const DEFAULT_PAGE_SIZE = 100;
/** History pages (of 1000 events) read for one activities or cancellation answer: one subrequest each. */
export const MAX_HISTORY_PAGES = 10;
/** The cancellation snapshot's default for how long a condition must last before it is called a stall. */
export const DEFAULT_STALL_AFTER_MS = 30_000;

/** The body's own keys must all be in `allowed` (else RouteError 400, nothing is sent). */
function only(body, allowed, route) {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) throw new RouteError(400, `${route}: unknown field ${unknown[0]} (allowed: ${allowed.join(", ")})`);
}

/** A list/history input with the Worker's page size default and cap. */
function paged(body) {
  const { maximumPageSize = DEFAULT_PAGE_SIZE } = body;
  // 0 would mean SWF's own default, 1000: refused like any size above the cap.
  if (typeof maximumPageSize === "number" && !(maximumPageSize >= 1 && maximumPageSize <= MAX_PAGE_SIZE)) {
    throw new RouteError(400, `maximumPageSize must be 1 to ${MAX_PAGE_SIZE} here`);
  }
  return { ...body, maximumPageSize };
}

/** Every event of an execution, oldest first, reading at most MAX_HISTORY_PAGES pages. */
async function wholeHistory(swf, domain, execution) {
  const events = [];
  let pages = 0;
  for await (const page of paginateGetWorkflowExecutionHistory({ client: swf, pageSize: 1000 }, { domain, execution })) {
    events.push(...page.events);
    if (++pages === MAX_HISTORY_PAGES && page.nextPageToken) return { events, truncated: true };
  }
  return { events, truncated: false };
}

const ok = { ok: true };

/** The operator routes by path (all POST with a JSON object body). */
export const operatorRoutes = {
  /** ListDomains: `{registrationStatus, nextPageToken?, maximumPageSize?, reverseOrder?}` → `{domainInfos, nextPageToken?}`. */
  "/domains": (swf, body) => swf.listDomains(paged(body)),
  /** ListOpenWorkflowExecutions, SWF's input (one of typeFilter/tagFilter/executionFilter) → `{executionInfos, nextPageToken?}`. */
  "/executions/open": (swf, body) => swf.listOpenWorkflowExecutions(paged(body)),
  /** ListClosedWorkflowExecutions, SWF's input → `{executionInfos, nextPageToken?}`. */
  "/executions/closed": (swf, body) => swf.listClosedWorkflowExecutions(paged(body)),
  /** DescribeWorkflowExecution: `{domain, execution}` → SWF's answer. */
  "/execution/describe": (swf, body) => swf.describeWorkflowExecution(body),
  /** GetWorkflowExecutionHistory, one page: `{domain, execution, nextPageToken?, maximumPageSize?, reverseOrder?}` → `{events, nextPageToken?}`. */
  "/execution/history": (swf, body) => swf.getWorkflowExecutionHistory(paged(body)),
  /** The activities of an execution from its whole history: `{domain, execution}` → `{activities, eventCount, truncated}`. */
  "/execution/activities": async (swf, body) => {
    only(body, ["domain", "execution"], "/execution/activities");
    const { events, truncated } = await wholeHistory(swf, body.domain, body.execution);
    return { activities: activitiesFromHistory(events), eventCount: events.length, truncated };
  },
  /** RequestCancelWorkflowExecution: `{domain, workflowId, runId?}` → `{ok: true}`. */
  "/execution/request-cancel": async (swf, body) => {
    await swf.requestCancelWorkflowExecution(body);
    return ok;
  },
  /** SignalWorkflowExecution: `{domain, workflowId, runId?, signalName, input?}` → `{ok: true}`. */
  "/execution/signal": async (swf, body) => {
    await swf.signalWorkflowExecution(body);
    return ok;
  },
  /**
   * TerminateWorkflowExecution: `{domain, workflowId, runId?, reason?, details?, childPolicy?,
   * confirmWorkflowId}` → `{ok: true}`. `confirmWorkflowId` must repeat `workflowId` (what the
   * operator typed to confirm); otherwise 400 and nothing is sent.
   */
  "/execution/terminate": async (swf, body) => {
    const { confirmWorkflowId, ...input } = body;
    if (typeof input.workflowId !== "string" || confirmWorkflowId !== input.workflowId) {
      throw new RouteError(400, "confirmWorkflowId must repeat workflowId exactly: terminating is destructive");
    }
    await swf.terminateWorkflowExecution(input);
    return ok;
  },
  /**
   * One report of followCancellation (no loop in the Worker: the page polls):
   * `{domain, execution, activityId?, stallAfterMs?}` → `{phase, activities, diagnoses, done, execution}`.
   */
  "/execution/cancellation": async (swf, body) => {
    only(body, ["domain", "execution", "activityId", "stallAfterMs"], "/execution/cancellation");
    const { stallAfterMs = DEFAULT_STALL_AFTER_MS, ...target } = body;
    for await (const report of followCancellation({ client: withHistoryPageBudget(swf, MAX_HISTORY_PAGES) }, target, { stallAfterMs })) return report;
    throw new RouteError(502, "followCancellation ended without a report");
  },
};
