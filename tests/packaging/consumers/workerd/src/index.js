// A Cloudflare Worker consumer of the installed tarball, written as the README's quick start
// says: one client per isolate, `endpoint` from SWF_ENDPOINT (empty = unset). It imports both
// `swf-edge` and `swf-edge/embedded`: under the `workerd` condition both are workerd.js (no
// wasm compiled from bytes, which workerd forbids). POST a JSON job { requested, running,
// details }; answers what it saw.
import * as swfEdge from "swf-edge";
import * as embedded from "swf-edge/embedded";

const { SwfClient, SwfError, UnknownResourceFault, ValidationError } = swfEdge;
let swf;

export default {
  async fetch(request, env) {
    const job = await request.json();
    swf ??= new SwfClient({
      region: "us-east-1",
      endpoint: env.SWF_ENDPOINT || undefined,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    });
    const heartbeat = await swf.recordActivityTaskHeartbeat({ taskToken: job.requested, details: "workerd heartbeat" });
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
    return Response.json({
      exports: Object.keys(swfEdge).sort(),
      embeddedIsTheSameModule: Object.keys(embedded).every((name) => embedded[name] === swfEdge[name]),
      client: swf.toJSON(),
      heartbeat,
      canceled,
      running,
      again,
      invalid,
    });
  },
};
