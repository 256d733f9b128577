// The contenders as Node programs: each `make(endpoint)` constructs one client and returns
// `call()`, which sends one RespondActivityTaskCanceled, waits for the answer, reads its
// body and throws on a non-2xx status (what swf-edge does for every call).
// Each factory imports its library lazily, so a cold-start child only loads its own.

export const REGION = "us-east-1";
export const CREDENTIALS = Object.freeze({
  accessKeyId: "AKIDBENCHEXAMPLE000",
  secretAccessKey: "bench/SECRET+key0123456789abcdefEXAMPLE",
});
// Real task tokens are opaque base64-ish strings of several hundred characters.
export const TASK_TOKEN = "AAAAKgAAAAIAAAAAAAAAA" + "b3Blbi1zd2YtYmVuY2gtdGFzay10b2tlbg".repeat(22);
export const INPUT = Object.freeze({ taskToken: TASK_TOKEN, details: "cancelled by the benchmark" });
export const TARGET = "SimpleWorkflowService.RespondActivityTaskCanceled";
export const JSON_HEADERS = { "content-type": "application/x-amz-json-1.0", "x-amz-target": TARGET };
export const DEFAULT_ENDPOINT = `https://swf.${REGION}.amazonaws.com`;

async function readOrThrow(res) {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text}`);
}

/** id → { label, lib (npm name whose version is reported), make(endpoint, {credentials?, maxSockets?}) → Promise<call> } */
export const CLIENTS = {
  "swf-edge": {
    label: "swf-edge",
    lib: "swf-edge",
    async make(endpoint, { credentials = CREDENTIALS } = {}) {
      const started = performance.now();
      const { SwfClient } = await import("swf-edge");
      const imported = performance.now();
      const swf = new SwfClient({ region: REGION, endpoint, credentials: { ...credentials } });
      const call = () => swf.respondActivityTaskCanceled(INPUT);
      // The cold start's two parts (bench/lib/cold.mjs reports them; bench section 7 shows them).
      call.split = { importMs: imported - started, constructMs: performance.now() - imported };
      return call;
    },
  },
  "aws-sdk": {
    label: "@aws-sdk/client-swf (Node build: node:http handler)",
    lib: "@aws-sdk/client-swf",
    async make(endpoint, { credentials = CREDENTIALS, maxSockets } = {}) {
      const { SWFClient, RespondActivityTaskCanceledCommand } = await import("@aws-sdk/client-swf");
      // a copy: the SDK writes a `$source` marker into the credentials object it is given
      const options = { region: REGION, endpoint, credentials: { ...credentials } };
      // The default agent allows 50 sockets and warns when calls queue; at concurrency 64
      // give it 64 so every client gets the same number of connections.
      if (maxSockets) {
        const http = await import("node:http");
        options.requestHandler = { httpAgent: new http.Agent({ keepAlive: true, maxSockets }) };
      }
      const swf = new SWFClient(options);
      return () => swf.send(new RespondActivityTaskCanceledCommand(INPUT));
    },
  },
  "aws-sdk-fetch": {
    label: "@aws-sdk/client-swf (FetchHttpHandler, as in browsers/workerd)",
    lib: "@aws-sdk/client-swf",
    async make(endpoint, { credentials = CREDENTIALS } = {}) {
      const { SWFClient, RespondActivityTaskCanceledCommand } = await import("@aws-sdk/client-swf");
      const { FetchHttpHandler } = await import("@smithy/fetch-http-handler");
      const swf = new SWFClient({ region: REGION, endpoint, credentials: { ...credentials }, requestHandler: new FetchHttpHandler() });
      return () => swf.send(new RespondActivityTaskCanceledCommand(INPUT));
    },
  },
  aws4fetch: {
    label: "aws4fetch",
    lib: "aws4fetch",
    async make(endpoint = DEFAULT_ENDPOINT, { credentials = CREDENTIALS } = {}) {
      const { AwsClient } = await import("aws4fetch");
      const aws = new AwsClient({ ...credentials, region: REGION, service: "swf" });
      const url = `${endpoint}/`;
      return async () =>
        readOrThrow(await aws.fetch(url, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(INPUT) }));
    },
  },
  sigv4: {
    label: "hand-written node:crypto SigV4 + fetch",
    lib: null,
    async make(endpoint = DEFAULT_ENDPOINT, { credentials = CREDENTIALS } = {}) {
      const { SigV4 } = await import("./sigv4.mjs");
      const signer = new SigV4({ ...credentials, region: REGION, service: "swf" });
      const url = `${endpoint}/`;
      return async () => {
        const body = JSON.stringify(INPUT);
        const headers = signer.sign({ method: "POST", url, headers: JSON_HEADERS, body });
        await readOrThrow(await fetch(url, { method: "POST", headers, body }));
      };
    },
  },
  fetch: {
    label: "plain fetch, unsigned (floor)",
    lib: null,
    async make(endpoint = DEFAULT_ENDPOINT) {
      const url = `${endpoint}/`;
      return async () =>
        readOrThrow(await fetch(url, { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(INPUT) }));
    },
  },
};

/**
 * Throughput only (measurement 3): plain fetch sending the headers of a signed request
 * (computed once with the hand-written signer, then reused, so nothing is signed per call).
 * It shows what the extra header bytes alone cost Node's fetch and the server: the ceiling
 * for any client that sends a signed request.
 */
export const THROUGHPUT_ONLY = {
  "fetch-signed-shape": {
    label: "plain fetch with a signed request's headers, fixed (ceiling for signed calls)",
    lib: null,
    async make(endpoint = DEFAULT_ENDPOINT, { credentials = CREDENTIALS } = {}) {
      const { SigV4 } = await import("./sigv4.mjs");
      const signer = new SigV4({ ...credentials, region: REGION, service: "swf" });
      const url = `${endpoint}/`;
      const body = JSON.stringify(INPUT);
      const headers = signer.sign({ method: "POST", url, headers: JSON_HEADERS, body });
      return async () => readOrThrow(await fetch(url, { method: "POST", headers, body }));
    },
  },
};

