// A typed consumer of the installed tarball. Type-checked with `tsc --noEmit --strict`
// under moduleResolution "bundler" and "nodenext" (types found through `exports`), then
// compiled (nodenext) and run against the local SWF by runner.mjs: every public method,
// option and error class is used, with annotations that break if index.d.ts is wrong.
import {
  SwfClient,
  SwfError,
  ValidationError,
  TransportError,
  TimeoutError,
  AbortError,
  CredentialsError,
  UnknownResourceFault,
  OperationNotPermittedFault,
  ActivityCancelRequested,
  init,
} from "swf-edge";
import type {
  Credentials,
  ProvidedCredentials,
  CredentialsProvider,
  Limits,
  CallOptions,
  SwfClientOptions,
  RespondActivityTaskCanceledInput,
  RecordActivityTaskHeartbeatInput,
  ActivityTaskStatus,
  RespondActivityTaskCompletedInput,
  RespondActivityTaskFailedInput,
  PollForActivityTaskInput,
  ActivityTask,
  CancelIfRequestedInput,
  CancelIfRequestedResult,
  CancelManyTask,
  CancelManyOptions,
  CancelManyResult,
  WatchCancellationOptions,
  CancellationWatch,
  ActivityContext,
  RunActivityOptions,
  RunActivityResult,
} from "swf-edge";

// --- compile-time equalities: fail if a declaration drifts --------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_proof?: T): void {}

expectType<Equal<ReturnType<SwfClient["respondActivityTaskCanceled"]>, Promise<void>>>();
expectType<Equal<ReturnType<SwfClient["respondActivityTaskCompleted"]>, Promise<void>>>();
expectType<Equal<ReturnType<SwfClient["respondActivityTaskFailed"]>, Promise<void>>>();
expectType<Equal<ReturnType<SwfClient["recordActivityTaskHeartbeat"]>, Promise<ActivityTaskStatus>>>();
expectType<Equal<ReturnType<SwfClient["pollForActivityTask"]>, Promise<ActivityTask | null>>>();
expectType<Equal<ReturnType<SwfClient["cancelIfRequested"]>, Promise<CancelIfRequestedResult>>>();
expectType<Equal<ReturnType<SwfClient["cancelMany"]>, Promise<CancelManyResult[]>>>();
expectType<Equal<ReturnType<SwfClient["watchCancellation"]>, CancellationWatch>>();
expectType<Equal<ActivityTaskStatus, { cancelRequested: boolean }>>();
expectType<Equal<CancelIfRequestedResult, { canceled: boolean; cancelRequested: boolean }>>();
expectType<Equal<CancelManyResult["status"], "canceled" | "not-requested" | "error">>();
expectType<Equal<ReturnType<typeof init>, Promise<void>>>();
expectType<Equal<SwfError["statusCode"], number | undefined>>();
expectType<Equal<SwfError["requestId"], string | undefined>>();
expectType<Equal<ValidationError["field"], string | undefined>>();
expectType<Equal<ActivityCancelRequested["taskToken"], string>>();
expectType<Equal<SwfClient["region"], string | undefined>>();
expectType<Equal<Parameters<CredentialsProvider>, []>>();

// Discriminated unions: narrowing on `status` types each outcome's fields.
export function describeMany(outcome: CancelManyResult): string {
  if (outcome.status === "error") {
    expectType<Equal<typeof outcome.error, SwfError>>();
    expectType<Equal<typeof outcome.taskToken, string | undefined>>();
    return outcome.error.name;
  }
  expectType<Equal<typeof outcome.status, "canceled" | "not-requested">>();
  expectType<Equal<typeof outcome.taskToken, string>>();
  expectType<Equal<typeof outcome.error, undefined>>();
  return outcome.taskToken;
}
export function outcomeOf<T>(outcome: RunActivityResult<T>): T | unknown {
  if (outcome.status === "completed") {
    expectType<Equal<typeof outcome.result, T>>();
    expectType<Equal<typeof outcome.error, undefined>>();
    return outcome.result;
  }
  expectType<Equal<typeof outcome.status, "canceled" | "failed">>();
  expectType<Equal<typeof outcome.result, undefined>>();
  return outcome.error;
}

// --- what runner.mjs passes in, and what demo() reports --------------------------------------
export interface Job {
  endpoint: string;
  credentials: Credentials;
  requested: string;
  running: string;
  toFail: string;
  domain: string;
  taskList: string;
  details: string;
  closedPort: string;
}

/** The class an error is an instance of (most specific first). */
export function classify(error: unknown): string {
  if (error instanceof ValidationError) return `ValidationError(${error.field ?? "-"})`;
  if (error instanceof TransportError) return "TransportError";
  if (error instanceof TimeoutError) return "TimeoutError";
  if (error instanceof AbortError) return "AbortError";
  if (error instanceof CredentialsError) return "CredentialsError";
  if (error instanceof UnknownResourceFault) return "UnknownResourceFault";
  if (error instanceof OperationNotPermittedFault) return "OperationNotPermittedFault";
  if (error instanceof ActivityCancelRequested) return `ActivityCancelRequested(${error.taskToken.length})`;
  if (error instanceof SwfError) return `SwfError(${error.name})`;
  return "not an SwfError";
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return classify(error);
  }
}

export async function demo(job: Job) {
  const ready: Promise<void> = init(); // a no-op promise in Node (already instantiated)
  await ready;

  const limits: Limits = { maxAttempts: 2, timeoutMs: 5_000, deadlineMs: 20_000 };
  let providerCalls = 0;
  const provider: CredentialsProvider = async (): Promise<ProvidedCredentials> => {
    providerCalls += 1;
    return { ...job.credentials, sessionToken: "session", expiration: new Date(Date.now() + 3_600_000) };
  };
  const options = {
    region: "us-east-1",
    credentials: provider,
    endpoint: job.endpoint,
    useFipsEndpoint: false,
    allowInsecureEndpoint: false,
    ...limits,
  } satisfies SwfClientOptions;
  const swf = new SwfClient(options);
  const call: CallOptions = { signal: new AbortController().signal, maxAttempts: 3, timeoutMs: 5_000, deadlineMs: 20_000 };

  const beat: RecordActivityTaskHeartbeatInput = { taskToken: job.requested, details: "ts heartbeat" };
  const status: ActivityTaskStatus = await swf.recordActivityTaskHeartbeat(beat, call);
  const cancelInput: CancelIfRequestedInput = { taskToken: job.requested, details: job.details, heartbeatDetails: "99%" };
  const canceled: CancelIfRequestedResult = await swf.cancelIfRequested(cancelInput, call);
  const notRequested: CancelIfRequestedResult = await swf.cancelIfRequested({ taskToken: job.running, details: "must not be recorded" });

  // The requested task is closed now: a second cancel is an UnknownResourceFault.
  let closed: { name: "UnknownResourceFault"; requestId: string | undefined; statusCode: number | undefined } | string = "resolved";
  try {
    const again: RespondActivityTaskCanceledInput = { taskToken: job.requested, details: "again" };
    const nothing: void = await swf.respondActivityTaskCanceled(again);
    closed = `resolved ${String(nothing)}`;
  } catch (err) {
    if (err instanceof UnknownResourceFault && err.requestId) {
      closed = { name: err.name, requestId: err.requestId, statusCode: err.statusCode };
    } else {
      closed = classify(err);
    }
  }

  // watchCancellation on the closed task: its signal aborts with the fault.
  const watchOptions: WatchCancellationOptions = { intervalMs: 20, details: () => "watching", signal: new AbortController().signal };
  const watch: CancellationWatch = swf.watchCancellation(job.requested, watchOptions);
  await new Promise<void>((resolve) => {
    if (watch.signal.aborted) resolve();
    else watch.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  watch.stop();
  const watchReason = classify(watch.signal.reason);

  const failInput: RespondActivityTaskFailedInput = { taskToken: job.toFail, reason: "ts-reason", details: "failed from TypeScript" };
  await swf.respondActivityTaskFailed(failInput);

  const batch: CancelManyTask[] = [job.requested, { taskToken: job.running, details: "batch details" }, ""];
  const manyOptions: CancelManyOptions = { concurrency: 2, onlyIfRequested: true, details: "batch", signal: new AbortController().signal };
  const many: CancelManyResult[] = await swf.cancelMany(batch, manyOptions);

  const completeInput: RespondActivityTaskCompletedInput = { taskToken: job.running, result: "done from TypeScript" };
  await swf.respondActivityTaskCompleted(completeInput);

  const pollInput: PollForActivityTaskInput = { domain: job.domain, taskList: { name: job.taskList }, identity: "ts-consumer" };
  const polled: ActivityTask | null = await swf.pollForActivityTask(pollInput, { timeoutMs: 70_000 });
  let activity: RunActivityResult<{ ok: boolean; input: string | undefined }> | null = null;
  if (polled) {
    const runOptions: RunActivityOptions = { intervalMs: 1_000, heartbeatDetails: () => "working", cancelDetails: "stopped" };
    activity = await swf.runActivity(
      polled,
      async ({ input, signal, task }: ActivityContext) => {
        const same: boolean = task.taskToken === polled.taskToken && !signal.aborted;
        return { ok: same, input };
      },
      runOptions,
    );
  }

  // Client-side failures, each its own class.
  const refused = new SwfClient({ region: "us-east-1", endpoint: job.closedPort, credentials: job.credentials, maxAttempts: 1 });
  const transport = await rejection(refused.recordActivityTaskHeartbeat({ taskToken: job.running }));
  const noCredentials = new SwfClient({
    region: "us-east-1",
    endpoint: job.endpoint,
    credentials: () => {
      throw new Error("no credentials here");
    },
  });
  const credentials = await rejection(noCredentials.recordActivityTaskHeartbeat({ taskToken: job.running }));
  const aborter = new AbortController();
  aborter.abort();
  const aborted = await rejection(swf.recordActivityTaskHeartbeat({ taskToken: job.running }, { signal: aborter.signal }));
  let badRegion = "constructed";
  try {
    new SwfClient({ region: "Not A Region", credentials: job.credentials });
  } catch (err) {
    badRegion = classify(err);
  }

  return {
    status,
    canceled,
    notRequested,
    closed,
    watchReason,
    many: many.map((r) => ({ status: r.status, error: r.error ? classify(r.error) : undefined })),
    polled: polled && { activityId: polled.activityId, workflowId: polled.workflowExecution.workflowId },
    activity,
    transport,
    credentials,
    aborted,
    badRegion,
    providerCalls,
    client: swf.toJSON(),
    text: String(swf),
    clockOffsetMs: swf.clockOffsetMs,
  };
}

// --- what must NOT compile (never called: the directives fail the build if unused) ----------
export function mistakes(swf: SwfClient, credentials: Credentials, error: SwfError): void {
  // @ts-expect-error: a misspelt option name
  new SwfClient({ region: "us-east-1", credentials, endpiont: "https://example.com" });
  // @ts-expect-error: region is required
  new SwfClient({ credentials });
  // @ts-expect-error: maxAttempts is a number
  new SwfClient({ region: "us-east-1", credentials, maxAttempts: "3" });
  // @ts-expect-error: a provider must return credentials
  new SwfClient({ region: "us-east-1", credentials: async () => "AKID" });
  // @ts-expect-error: taskToken is a string
  void swf.respondActivityTaskCanceled({ taskToken: 42 });
  // @ts-expect-error: a misspelt input key
  void swf.respondActivityTaskCanceled({ taskToken: "t", detail: "x" });
  // @ts-expect-error: heartbeatDetails belongs to cancelIfRequested, not to the heartbeat
  void swf.recordActivityTaskHeartbeat({ taskToken: "t", heartbeatDetails: "x" });
  // @ts-expect-error: a misspelt call option
  void swf.respondActivityTaskCompleted({ taskToken: "t" }, { timeout: 5 });
  // @ts-expect-error: taskList is an object
  void swf.pollForActivityTask({ domain: "d", taskList: "list" });
  // @ts-expect-error: concurrency is a number
  void swf.cancelMany(["t"], { concurrency: "8" });
  // @ts-expect-error: the heartbeat resolves an object, not a boolean
  const wrong: Promise<boolean> = swf.recordActivityTaskHeartbeat({ taskToken: "t" });
  // @ts-expect-error: region is read-only
  swf.region = "eu-west-1";
  // @ts-expect-error: only ValidationError has a field
  void error.field;
  if (error instanceof ValidationError) {
    const field: string | undefined = error.field;
    // @ts-expect-error: the name of a ValidationError is the literal "ValidationError"
    const name: "TransportError" = error.name;
    void [field, name];
  }
  void wrong;
}
