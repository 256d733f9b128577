// A Node program bundled into one file (esbuild --platform=node) with `swf-edge/embedded`:
// the bundle has no .wasm next to it to read, so the embedded entry is the one that works.
// argv[2] is a JSON job { endpoint, credentials, requested, running, details }.
import * as swfEdge from "swf-edge/embedded";

const { SwfClient, UnknownResourceFault, ValidationError } = swfEdge;
const job = JSON.parse(process.argv[2]);
let syncValidation;
try {
  new SwfClient({ region: "us-east-1", endpiont: job.endpoint, credentials: job.credentials });
  syncValidation = { threw: false };
} catch (e) {
  syncValidation = { threw: true, validation: e instanceof ValidationError, field: e.field };
}
const swf = new SwfClient({ region: "us-east-1", endpoint: job.endpoint, credentials: job.credentials });
const canceled = await swf.cancelIfRequested({ taskToken: job.requested, details: job.details });
const running = await swf.cancelIfRequested({ taskToken: job.running, details: "must not be recorded" });
const again = await swf.respondActivityTaskCanceled({ taskToken: job.requested }).then(
  () => ({ resolved: true }),
  (e) => ({ unknownResource: e instanceof UnknownResourceFault, name: e.name, statusCode: e.statusCode }),
);
console.log(JSON.stringify({ exports: Object.keys(swfEdge).sort(), syncValidation, canceled, running, again, client: swf.toJSON() }));
