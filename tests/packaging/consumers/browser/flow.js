// The flow every browser consumer (the Vite app, the bundlers' pages, the plain
// <script type="module"> page) runs with the swf-edge module it imported. The job comes
// from the page's query string: ?job=<JSON { endpoint, credentials, requested, running,
// details, initFirst?, syncWithoutInit? }>. The result is written as JSON into
// <pre id="result"> and `data-done` is set on it.
export async function run(swfEdge) {
  const { SwfClient, SwfError, UnknownResourceFault, ValidationError, init } = swfEdge;
  const job = JSON.parse(new URLSearchParams(location.search).get("job"));
  const options = { region: "us-east-1", endpoint: job.endpoint, credentials: job.credentials };
  const result = { exports: Object.keys(swfEdge).sort() };
  if (job.syncWithoutInit) {
    // The embedded entry instantiates the wasm at import: the constructor validates at once.
    try {
      new SwfClient({ ...options, endpiont: job.endpoint });
      result.syncValidation = { threw: false };
    } catch (e) {
      result.syncValidation = { threw: true, validation: e instanceof ValidationError, field: e.field };
    }
  }
  if (job.initFirst) {
    // README: after `await init()` the constructor validates its options synchronously.
    await init();
    try {
      new SwfClient({ ...options, endpiont: job.endpoint });
      result.syncValidation = { threw: false };
    } catch (e) {
      result.syncValidation = { threw: true, validation: e instanceof ValidationError, field: e.field };
    }
  }
  const swf = new SwfClient(options);
  result.heartbeat = await swf.recordActivityTaskHeartbeat({ taskToken: job.requested, details: "browser heartbeat" });
  result.canceled = await swf.cancelIfRequested({ taskToken: job.requested, details: job.details, heartbeatDetails: "99%" });
  result.running = await swf.cancelIfRequested({ taskToken: job.running, details: "must not be recorded" });
  result.again = await swf.respondActivityTaskCanceled({ taskToken: job.requested }).then(
    () => ({ resolved: true }),
    (e) => ({
      swfError: e instanceof SwfError,
      unknownResource: e instanceof UnknownResourceFault,
      name: e.name,
      statusCode: e.statusCode,
      requestId: e.requestId,
      retryable: e.retryable,
    }),
  );
  result.invalid = await swf.respondActivityTaskCanceled({ taskToken: "" }).then(
    () => ({ resolved: true }),
    (e) => ({ validation: e instanceof ValidationError, name: e.name, field: e.field, attempts: e.attempts }),
  );
  result.client = swf.toJSON();
  return result;
}

/** Runs the flow and writes its result (or the error) into #result. */
export async function runInto(swfEdge, element) {
  let output;
  try {
    output = { ok: true, ...(await run(swfEdge)) };
  } catch (e) {
    output = { ok: false, error: { name: e?.name, message: e?.message, stack: e?.stack } };
  }
  element.textContent = JSON.stringify(output);
  element.dataset.done = "1";
}
