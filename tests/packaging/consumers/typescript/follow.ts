// A typed consumer of the operator helpers (type-checked with tsc --strict on the installed
// tarball, under "bundler" and "nodenext"): activitiesFromHistory on the package's own
// history events, followCancellation's reports, cancellationReport on SWF's answers, and
// what must not compile.
import { SwfClient, activitiesFromHistory, cancellationReport, followCancellation, paginateGetWorkflowExecutionHistory } from "swf-edge";
import type {
  ActivityRecord,
  ActivityState,
  CancellationDiagnosisCode,
  CancellationPhase,
  CancellationReport,
  FollowCancellationOptions,
  FollowCancellationTarget,
  HistoryEvent,
} from "swf-edge";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_proof?: T): void {}

expectType<Equal<ReturnType<typeof activitiesFromHistory<HistoryEvent>>, ActivityRecord[]>>();
expectType<Equal<ActivityRecord["state"], ActivityState>>();
expectType<Equal<CancellationReport["phase"], CancellationPhase>>();
expectType<Equal<CancellationReport["diagnoses"][number]["code"], CancellationDiagnosisCode>>();
expectType<Equal<ActivityRecord["scheduledAt"], Date | undefined>>();
expectType<Equal<CancellationReport["execution"]["executionStatus"], "OPEN" | "CLOSED">>();

export async function operator(client: SwfClient, execution: { workflowId: string; runId: string }, signal: AbortSignal): Promise<string[]> {
  const lines: string[] = [];
  // The package's own events (the HistoryEvent union) and raw JSON both go in.
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetWorkflowExecutionHistory({ client }, { domain: "orders", execution })) events.push(...page.events);
  const records: ActivityRecord[] = activitiesFromHistory(events);
  activitiesFromHistory(JSON.parse("[]") as unknown[] as { eventId: number; eventType: string; eventTimestamp: number }[]);
  for (const record of records) {
    const when: Date | undefined = record.closedAt ?? record.cancelRequestedAt ?? record.startedAt ?? record.scheduledAt;
    lines.push(`${record.activityId}#${record.attempt} ${record.state} ${when?.toISOString()} ${record.activityType?.name} ${record.heartbeatTimeout}`);
    if (record.state === "failed") lines.push(record.reason ?? "");
    for (const failure of record.cancelFailures ?? []) lines.push(`${failure.eventId} ${failure.cause}`);
  }

  const target: FollowCancellationTarget = { domain: "orders", execution, activityId: "ship-1" };
  const options: FollowCancellationOptions = { signal, intervalMs: 500, stallAfterMs: 10_000, requestCancel: true };
  for await (const report of followCancellation({ client }, target, options)) {
    lines.push(`${report.phase} ${report.done} ${report.execution.closeStatus ?? ""} ${report.activities.length}`);
    for (const diagnosis of report.diagnoses) lines.push(`${diagnosis.code}: ${diagnosis.message} ${diagnosis.since?.getTime()} ${diagnosis.activityId}`);
    if (report.done) break;
  }
  const iterator = followCancellation({ client }, { domain: "orders", execution });
  await iterator.return();

  // One report per request from SWF's answers (e.g. in a Worker).
  const description = await client.describeWorkflowExecution({ domain: "orders", execution });
  const taskList = description.executionConfiguration.taskList;
  const pendingDecisionTasks = await client.countPendingDecisionTasks({ domain: "orders", taskList });
  const report: CancellationReport = cancellationReport({ events, description, pendingDecisionTasks, domain: "orders", now: new Date(), stallAfterMs: 0 });
  cancellationReport({ events, pendingDecisionTasks: 3, now: Date.now() });
  lines.push(report.phase);

  // @ts-expect-error: the execution is required
  followCancellation({ client }, { domain: "orders" });
  // @ts-expect-error: unknown option
  followCancellation({ client }, target, { interval: 500 });
  // @ts-expect-error: requestCancel is a boolean
  followCancellation({ client }, target, { requestCancel: "yes" });
  // @ts-expect-error: the client comes in a config object, like the paginators'
  followCancellation(client, target);
  // @ts-expect-error: not a client method (a function, so that bundles without it stay small)
  client.followCancellation(target);
  // @ts-expect-error: not a state
  const bogus: ActivityState = "running";
  // @ts-expect-error: events need an eventId
  activitiesFromHistory([{ eventType: "ActivityTaskScheduled" }]);
  // @ts-expect-error: a report's phase is one of three
  const phase: CancellationPhase = "stalled";
  return [...lines, String(bogus), phase];
}
