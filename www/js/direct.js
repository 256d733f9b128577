// Direct mode: swf-edge in this tab signs and sends each call with temporary credentials
// the operator typed. The credentials go into the SwfClient and nowhere else (no storage,
// no URL, no log); forgetting the backend drops the client.
import {
  SwfClient,
  activitiesFromHistory,
  followCancellation,
  init,
  paginateGetWorkflowExecutionHistory,
} from "../vendor/swf-edge/browser.js";
import { describeError, isClosedOrUnknown } from "./tasks.js";

/** Tasks worked on at once. */
export const CONCURRENCY = 4;
/** History pages (of 1000 events) read for an execution's activities. */
export const MAX_HISTORY_PAGES = 10;

/**
 * Validates the settings (swf-edge throws a ValidationError for a bad region, endpoint or
 * key) and returns a backend { label, check, cancel }. The caller clears its inputs.
 */
export async function createDirectBackend({ region, endpoint, accessKeyId, secretAccessKey, sessionToken }) {
  await init();
  const client = new SwfClient({
    region,
    endpoint: endpoint || undefined,
    credentials: { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined },
    maxAttempts: 3,
    timeoutMs: 15_000,
  });
  const label = sessionToken
    ? `Direct to ${client.endpoint} (${client.region}), temporary credentials held in this tab only`
    : `Direct to ${client.endpoint} (${client.region}), credentials held in this tab only (no session token: prefer temporary credentials)`;

  /** Runs `work(i)` for every index with at most CONCURRENCY at once; honours `signal`. */
  async function pool(tokens, signal, onStart, onResult, work) {
    let next = 0;
    const runner = async () => {
      while (next < tokens.length) {
        const i = next++;
        const taskToken = tokens[i];
        if (signal.aborted) {
          onResult(i, { state: "stopped", inFlight: false });
          continue;
        }
        onStart(i);
        try {
          onResult(i, await work(taskToken));
        } catch (error) {
          if (error?.name === "AbortError") onResult(i, { state: "stopped", inFlight: true });
          else if (isClosedOrUnknown(error)) onResult(i, { state: "closed", error: describeError(error, taskToken) });
          else onResult(i, { state: "error", error: describeError(error, taskToken), hint: hintFor(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tokens.length) }, runner));
  }

  return {
    mode: "direct",
    label,
    listDomains: (input, { signal } = {}) => client.listDomains(input, { signal }),
    listExecutions: (status, input, { signal } = {}) =>
      status === "closed"
        ? client.listClosedWorkflowExecutions(input, { signal })
        : client.listOpenWorkflowExecutions(input, { signal }),
    describeExecution: (input, { signal } = {}) => client.describeWorkflowExecution(input, { signal }),
    historyPage: (input, { signal } = {}) => client.getWorkflowExecutionHistory(input, { signal }),
    /** Every history page (at most MAX_HISTORY_PAGES), then one record per activity. */
    async activities({ domain, execution }, { signal } = {}) {
      const events = [];
      let pages = 0;
      let truncated = false;
      const paginator = paginateGetWorkflowExecutionHistory({ client, pageSize: 1000 }, { domain, execution }, { signal });
      for await (const page of paginator) {
        events.push(...page.events);
        if (++pages === MAX_HISTORY_PAGES && page.nextPageToken) {
          truncated = true;
          break;
        }
      }
      return { activities: activitiesFromHistory(events), eventCount: events.length, truncated };
    },
    requestCancel: (input, { signal } = {}) => client.requestCancelWorkflowExecution(input, { signal }),
    signalExecution: (input, { signal } = {}) => client.signalWorkflowExecution(input, { signal }),
    terminate: (input, _confirmed, { signal } = {}) => client.terminateWorkflowExecution(input, { signal }),
    /** swf-edge's own follower: an async iterable of progress reports, ended by `signal`. */
    followCancellation: (target, { signal, intervalMs, stallAfterMs } = {}) =>
      followCancellation({ client }, target, { signal, intervalMs, stallAfterMs }),
    /** RecordActivityTaskHeartbeat per task. */
    check(tokens, { signal, onStart, onResult }) {
      return pool(tokens, signal, onStart, onResult, async (taskToken) => {
        const { cancelRequested } = await client.recordActivityTaskHeartbeat({ taskToken }, { signal });
        return { state: cancelRequested ? "cancel-requested" : "running" };
      });
    },
    /**
     * The safe flow (cancelIfRequested: heartbeat, then RespondActivityTaskCanceled only if
     * SWF asked), or RespondActivityTaskCanceled outright when onlyIfRequested is false.
     */
    cancel(tokens, { details, onlyIfRequested, signal, onStart, onResult }) {
      return pool(tokens, signal, onStart, onResult, async (taskToken) => {
        if (!onlyIfRequested) {
          await client.respondActivityTaskCanceled({ taskToken, details }, { signal });
          return { state: "canceled" };
        }
        const { canceled } = await client.cancelIfRequested({ taskToken, details }, { signal });
        return { state: canceled ? "canceled" : "not-requested" };
      });
    },
  };
}

function hintFor(error) {
  if (error?.name === "TransportError") {
    return "No answer could be read: the endpoint is unreachable or does not allow this page's origin (CORS). Worker mode avoids CORS to SWF.";
  }
  if (error?.name === "ValidationError") return "Checked in the browser: nothing was sent.";
  return undefined;
}
