// Loaded with `node --import` before each docs example (tests/docs/examples.test.mjs): the
// globals of prelude.d.ts, from the fixture the runner prepared on the local SWF
// (SWF_EDGE_DOCS_FIXTURE, JSON), and a global fetch that keeps every example on loopback:
// - SWF's AWS endpoints (https://swf.<region>.amazonaws.com/, -fips, dual-stack) go to the
//   local SWF, so examples read as a user writes them, without an `endpoint`;
// - hosts under `.example` (RFC 2606) go to the runner's local web server;
// - loopback URLs pass; anything else is refused (an example may not reach the network).
import { SwfClient } from "swf-edge";

const fixture = JSON.parse(process.env.SWF_EDGE_DOCS_FIXTURE ?? "{}");
const credentials = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" };
const realFetch = globalThis.fetch;

globalThis.fetch = function docsFetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (/^swf(-fips)?\.[a-z0-9-]+\.(amazonaws\.com|api\.aws)$/.test(url.hostname)) {
    return realFetch(new URL(url.pathname + url.search, fixture.endpoint), init);
  }
  if (url.hostname.endsWith(".example")) return realFetch(new URL(url.pathname + url.search, fixture.web), init);
  if (["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return realFetch(input, init);
  return Promise.reject(new TypeError(`a docs example may not reach ${url.origin}`));
};

Object.assign(globalThis, {
  swf: new SwfClient({ region: "us-east-1", credentials }),
  taskToken: fixture.taskToken,
  tokens: fixture.tokens,
  execution: fixture.execution,
  runId: fixture.runId,
  signal: AbortSignal.timeout(60_000),
  env: { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
  temporaryCredentials: credentials,
  fetchTemporaryCredentials: async () => credentials,
  longJobUrl: new URL("/long-job", fixture.web ?? "http://127.0.0.1/").href,
});
