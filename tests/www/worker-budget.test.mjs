// The example Worker's subrequest budget for one cancellation snapshot, in Node with a
// scripted client (nothing is sent): followCancellation through withHistoryPageBudget reads
// at most the budget's history pages, then stops with a 422 RouteError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { followCancellation } from "../../pkg/dist/node.js";
import { RouteError, withHistoryPageBudget } from "../../examples/worker/src/http.js";

const execution = { workflowId: "w", runId: "r" };
const started = {
  eventId: 1,
  eventType: "WorkflowExecutionStarted",
  eventTimestamp: new Date(),
  workflowExecutionStartedEventAttributes: { taskList: { name: "deciders" }, workflowType: { name: "t", version: "1" } },
};

/** A client whose history has `pages` pages (one event each); counts the history calls. */
function scripted(pages) {
  const calls = { history: 0 };
  return {
    calls,
    describeWorkflowExecution: async () => ({
      executionInfo: { execution, executionStatus: "OPEN", cancelRequested: false },
      executionConfiguration: { taskList: { name: "deciders" } },
      openCounts: { openActivityTasks: 0, openDecisionTasks: 0 },
    }),
    countPendingDecisionTasks: async () => ({ count: 0 }),
    requestCancelWorkflowExecution: async () => undefined,
    getWorkflowExecutionHistory: async ({ nextPageToken }) => {
      calls.history++;
      const index = nextPageToken === undefined ? 0 : Number(nextPageToken);
      const event = index === 0 ? started : { ...started, eventId: index + 1, eventType: "MarkerRecorded" };
      return { events: [event], ...(index + 1 < pages && { nextPageToken: String(index + 1) }) };
    },
  };
}

const firstReport = async (client) => {
  for await (const report of followCancellation({ client }, { domain: "d", execution }, { stallAfterMs: 60_000 })) return report;
};

test("a history within the budget gives its report", async () => {
  const swf = scripted(3);
  const report = await firstReport(withHistoryPageBudget(swf, 10));
  assert.equal(typeof report.phase, "string");
  assert.equal(swf.calls.history, 3);
});

test("a history longer than the budget is a 422 after exactly the budget's pages", async () => {
  const swf = scripted(1_000);
  await assert.rejects(firstReport(withHistoryPageBudget(swf, 10)), (error) => error instanceof RouteError && error.status === 422);
  assert.equal(swf.calls.history, 10);
});
