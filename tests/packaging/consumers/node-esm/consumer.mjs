// A Node ESM consumer of the installed tarball: `import … from "swf-edge"` (the `node`
// condition). argv[2] is a JSON job { endpoint, credentials, requested, running, details };
// prints one JSON line with what it saw.
import * as swfEdge from "swf-edge";
import { SwfClient, SwfError, UnknownResourceFault, ValidationError } from "swf-edge";

const job = JSON.parse(process.argv[2]);
const swf = new SwfClient({ region: "us-east-1", endpoint: job.endpoint, credentials: job.credentials });

const heartbeat = await swf.recordActivityTaskHeartbeat({ taskToken: job.requested, details: "node-esm heartbeat" });
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
    entry: import.meta.resolve("swf-edge"),
    exports: Object.keys(swfEdge).sort(),
    client: swf.toJSON(),
    heartbeat,
    canceled,
    running,
    again,
    invalid,
  }),
);
