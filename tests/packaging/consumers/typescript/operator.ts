// A typed consumer of the operator actions and paginators (type-checked with tsc --strict
// on the installed tarball, under "bundler" and "nodenext"): every new method's input and
// answer, the history event union narrowed by eventType, Date timestamps, and what must
// not compile.
import {
  SwfClient,
  paginateListDomains,
  paginateListOpenWorkflowExecutions,
  paginateListClosedWorkflowExecutions,
  paginateGetWorkflowExecutionHistory,
} from "swf-edge";
import type {
  CallOptions,
  HistoryEvent,
  ActivityTaskScheduledEvent,
  ListDomainsInput,
  ListDomainsOutput,
  ListOpenWorkflowExecutionsInput,
  ListOpenWorkflowExecutionsOutput,
  ListClosedWorkflowExecutionsInput,
  ListClosedWorkflowExecutionsOutput,
  DescribeWorkflowExecutionOutput,
  GetWorkflowExecutionHistoryInput,
  GetWorkflowExecutionHistoryOutput,
  CountPendingTasksOutput,
  PaginationConfiguration,
  WorkflowExecutionInfo,
  DomainInfo,
  ExecutionTimeFilter,
  SignalWorkflowExecutionInput,
  TerminateWorkflowExecutionInput,
  DescribeActivityTypeOutput,
} from "swf-edge";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_proof?: T): void {}

expectType<Equal<ReturnType<SwfClient["listDomains"]>, Promise<ListDomainsOutput>>>();
expectType<Equal<ReturnType<SwfClient["requestCancelWorkflowExecution"]>, Promise<void>>>();
expectType<Equal<ReturnType<SwfClient["signalWorkflowExecution"]>, Promise<void>>>();
expectType<Equal<ReturnType<SwfClient["terminateWorkflowExecution"]>, Promise<void>>>();
expectType<Equal<ReturnType<SwfClient["countPendingDecisionTasks"]>, Promise<CountPendingTasksOutput>>>();
expectType<Equal<CountPendingTasksOutput, { count: number; truncated?: boolean }>>();
expectType<Equal<WorkflowExecutionInfo["startTimestamp"], Date>>();
expectType<Equal<WorkflowExecutionInfo["closeTimestamp"], Date | undefined>>();
expectType<Equal<DescribeWorkflowExecutionOutput["latestActivityTaskTimestamp"], Date | undefined>>();
expectType<Equal<ExecutionTimeFilter["oldestDate"], Date | number>>();
expectType<Equal<ReturnType<SwfClient["describeActivityType"]>, Promise<DescribeActivityTypeOutput>>>();
expectType<Equal<DescribeActivityTypeOutput["typeInfo"]["creationDate"], Date>>();
expectType<Equal<DescribeActivityTypeOutput["configuration"]["defaultTaskHeartbeatTimeout"], string | undefined>>();
expectType<Equal<HistoryEvent["eventTimestamp"], Date>>();
expectType<Equal<DomainInfo["status"], "REGISTERED" | "DEPRECATED">>();
expectType<Equal<ListDomainsInput["registrationStatus"], "REGISTERED" | "DEPRECATED">>();
expectType<Equal<TerminateWorkflowExecutionInput["childPolicy"], "TERMINATE" | "REQUEST_CANCEL" | "ABANDON" | undefined>>();
expectType<Equal<ReturnType<typeof paginateGetWorkflowExecutionHistory>, AsyncGenerator<GetWorkflowExecutionHistoryOutput, void, undefined>>>();

/** What an operator does: find the execution, read its activities, ask SWF to cancel it. */
export async function operate(swf: SwfClient, domain: string, signal: AbortSignal) {
  const options: CallOptions = { signal, maxAttempts: 2 };
  const domains: string[] = [];
  for await (const page of paginateListDomains({ client: swf, pageSize: 100 }, { registrationStatus: "REGISTERED" }, options)) {
    domains.push(...page.domainInfos.map((d: DomainInfo) => d.name));
  }
  const open: ListOpenWorkflowExecutionsInput = {
    domain,
    startTimeFilter: { oldestDate: new Date(Date.now() - 86_400_000), latestDate: Math.floor(Date.now() / 1000) },
    typeFilter: { name: "orders", version: "1" },
    maximumPageSize: 50,
    reverseOrder: true,
  };
  const first: ListOpenWorkflowExecutionsOutput = await swf.listOpenWorkflowExecutions(open, options);
  const started: Date | undefined = first.executionInfos[0]?.startTimestamp;
  const closed: ListClosedWorkflowExecutionsInput = { domain, closeTimeFilter: { oldestDate: 0 }, closeStatusFilter: { status: "CANCELED" } };
  const config: PaginationConfiguration = { client: swf, startingToken: first.nextPageToken };
  let closedCount = 0;
  for await (const page of paginateListClosedWorkflowExecutions(config, closed)) {
    const pageOf: ListClosedWorkflowExecutionsOutput = page;
    closedCount += pageOf.executionInfos.length;
  }
  for await (const page of paginateListOpenWorkflowExecutions({ client: swf }, open)) void page.executionInfos;

  const execution = first.executionInfos[0]?.execution ?? { workflowId: "w", runId: "r" };
  const detail: DescribeWorkflowExecutionOutput = await swf.describeWorkflowExecution({ domain, execution });
  const openActivities: number = detail.openCounts.openActivityTasks;
  const decisions: CountPendingTasksOutput = await swf.countPendingDecisionTasks({ domain, taskList: { name: detail.executionConfiguration.taskList?.name ?? "d" } });
  await swf.countPendingActivityTasks({ domain, taskList: { name: "work" } });

  const history: GetWorkflowExecutionHistoryInput = { domain, execution, maximumPageSize: 1000 };
  const scheduled: ActivityTaskScheduledEvent[] = [];
  const lines: string[] = [];
  for await (const page of paginateGetWorkflowExecutionHistory({ client: swf }, history, { signal })) {
    for (const event of page.events) {
      lines.push(`${event.eventId} ${event.eventTimestamp.toISOString()} ${event.eventType}`);
      switch (event.eventType) {
        case "ActivityTaskScheduled":
          scheduled.push(event);
          void event.activityTaskScheduledEventAttributes.activityId.toUpperCase();
          break;
        case "ActivityTaskCanceled": {
          const details: string | undefined = event.activityTaskCanceledEventAttributes.details;
          const scheduledEventId: number = event.activityTaskCanceledEventAttributes.scheduledEventId;
          void [details, scheduledEventId];
          break;
        }
        case "WorkflowExecutionSignaled":
          void event.workflowExecutionSignaledEventAttributes.signalName;
          break;
      }
    }
  }

  await swf.requestCancelWorkflowExecution({ domain, workflowId: execution.workflowId, runId: execution.runId }, options);
  const signalInput: SignalWorkflowExecutionInput = { domain, workflowId: execution.workflowId, signalName: "note", input: "{}" };
  await swf.signalWorkflowExecution(signalInput);
  await swf.terminateWorkflowExecution({ domain, workflowId: execution.workflowId, reason: "operator", childPolicy: "ABANDON" });
  return { domains, started, closedCount, openActivities, decisions, scheduled: scheduled.length, lines };
}

// --- what must NOT compile (never called) ------------------------------------------------------
export function operatorMistakes(swf: SwfClient, event: HistoryEvent): void {
  // @ts-expect-error: registrationStatus is an enum
  void swf.listDomains({ registrationStatus: "registered" });
  // @ts-expect-error: startTimeFilter is required for open executions
  void swf.listOpenWorkflowExecutions({ domain: "d" });
  // @ts-expect-error: a timestamp is a Date or epoch seconds, not a string
  void swf.listOpenWorkflowExecutions({ domain: "d", startTimeFilter: { oldestDate: "2026-01-01" } });
  // @ts-expect-error: execution needs its runId
  void swf.describeWorkflowExecution({ domain: "d", execution: { workflowId: "w" } });
  // @ts-expect-error: signalName is required
  void swf.signalWorkflowExecution({ domain: "d", workflowId: "w" });
  // @ts-expect-error: childPolicy is an enum
  void swf.terminateWorkflowExecution({ domain: "d", workflowId: "w", childPolicy: "KILL" });
  // @ts-expect-error: the paginator needs a client
  void paginateListDomains({ pageSize: 10 }, { registrationStatus: "REGISTERED" });
  // @ts-expect-error: a misspelt paginator option
  void paginateListDomains({ client: swf, pageSise: 10 }, { registrationStatus: "REGISTERED" });
  if (event.eventType === "ActivityTaskStarted") {
    // @ts-expect-error: a started event has no scheduled attributes
    void event.activityTaskScheduledEventAttributes;
  }
  // @ts-expect-error: eventTimestamp is a Date in answers, not a number
  const seconds: number = event.eventTimestamp;
  void seconds;
}
