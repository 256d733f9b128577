// A Node CommonJS consumer of the installed tarball: `require("swf-edge")` — require(esm),
// unflagged since Node 20.19 / 22.12, works because the package has no top-level await.
// argv[2] is a JSON job { endpoint, credentials, requested, running, details }; prints
// one JSON line with what it saw.
const swfEdge = require("swf-edge");
const { SwfClient, SwfError, UnknownResourceFault, ValidationError } = swfEdge;

async function main() {
  const job = JSON.parse(process.argv[2]);
  const swf = new SwfClient({ region: "us-east-1", endpoint: job.endpoint, credentials: job.credentials });
  const heartbeat = await swf.recordActivityTaskHeartbeat({ taskToken: job.requested, details: "node-cjs heartbeat" });
  const canceled = await swf.cancelIfRequested({ taskToken: job.requested, details: job.details, heartbeatDetails: "99%" });
  const running = await swf.cancelIfRequested({ taskToken: job.running, details: "must not be recorded" });
  const again = await swf.respondActivityTaskCanceled({ taskToken: job.requested }).then(
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
  const invalid = await swf.respondActivityTaskCanceled({ taskToken: "" }).then(
    () => ({ resolved: true }),
    (e) => ({ validation: e instanceof ValidationError, name: e.name, field: e.field, attempts: e.attempts }),
  );
  console.log(
    JSON.stringify({
      entry: require.resolve("swf-edge"),
      exports: Object.keys(swfEdge).sort(),
      client: swf.toJSON(),
      heartbeat,
      canceled,
      running,
      again,
      invalid,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
