// Test Worker: performs swf-edge calls inside workerd as tests/js/workerd-faults.test.mjs
// asks, and answers what happened as JSON (errors as plain records, never a 5xx).
//
// POST /run {
//   endpoint,                 // the fake SWF's origin (required)
//   method?,                  // SwfClient method, default "respondActivityTaskCanceled"
//   input?,                   // default { taskToken: "tok", details: "d" }
//   client?,                  // client limits: { maxAttempts?, timeoutMs?, deadlineMs? }
//   credentials?,             // "static" (default: env keys) or
//                             //   { provider: { delayMs?, expiresInMs?, sessionToken?, failTimes? } }
//   reuseClient?,             // keep the client at module scope, keyed by endpoint + client + credentials
//   options?,                 // call options: { maxAttempts?, timeoutMs?, deadlineMs? }
//   abort?,                   // "before" | { afterMs } | { afterRequests, thenMs? }: an AbortController made here
//   random?,                  // pins Math.random to this value for the duration of the call
//   concurrency?,             // run this many identical calls at once (Promise.allSettled)
// }
// → { ok, result?, error?, outcomes?, elapsedMs, abort?, providerCalls?, clockOffsetMs, randomPinned? }
//
// Times are Date.now() differences: inside workerd the clock only advances across I/O and
// timer events, which is exactly the granularity that matters here (a rejection that had
// to wait for a timer or the network shows that wait).
import * as swf from "swf-edge";
import { probeHostileInputs } from "./input-probes.js";

const { SwfClient, SwfError } = swf;
const ERROR_CLASSES = [
  "ServiceError",
  "RedirectError",
  "ResponseError",
  "ValidationError",
  "TransportError",
  "TimeoutError",
  "AbortError",
  "CredentialsError",
  "UnknownResourceFault",
  "OperationNotPermittedFault",
];

/** Clients kept across requests (clock-skew correction and credential caches live in them). */
const clients = new Map();

function describeError(error) {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error), isSwfError: false };
  const { name, message, statusCode, requestId, retryable, attempts, possiblyAlreadyClosed, field, source, code } = error;
  return {
    name,
    source,
    code,
    message,
    statusCode,
    requestId,
    retryable,
    attempts,
    possiblyAlreadyClosed,
    field,
    isSwfError: error instanceof SwfError,
    classes: ERROR_CLASSES.filter((c) => error instanceof swf[c]),
    stack: error instanceof SwfError ? undefined : error.stack,
  };
}

function makeClient(env, spec) {
  const counter = { providerCalls: 0 };
  const keys = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  let credentials = keys;
  const provider = spec.credentials?.provider;
  if (provider) {
    credentials = async () => {
      counter.providerCalls += 1;
      if (counter.providerCalls <= (provider.failTimes ?? 0)) throw new Error("metadata service down");
      if (provider.delayMs) await new Promise((r) => setTimeout(r, provider.delayMs));
      return {
        ...keys,
        sessionToken: provider.sessionToken ? `${provider.sessionToken}-${counter.providerCalls}` : undefined,
        expiration: provider.expiresInMs === undefined ? undefined : Date.now() + provider.expiresInMs,
      };
    };
  }
  const client = new SwfClient({ region: env.AWS_REGION, endpoint: spec.endpoint, credentials, ...(spec.client ?? {}) });
  return { client, counter };
}

function clientFor(env, spec) {
  if (!spec.reuseClient) return makeClient(env, spec);
  const key = JSON.stringify([spec.endpoint, spec.client ?? {}, spec.credentials ?? "static"]);
  if (!clients.has(key)) clients.set(key, makeClient(env, spec));
  return clients.get(key);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function requestsSeen(endpoint) {
  const response = await fetch(`${endpoint}/__control/requests`);
  return (await response.json()).length;
}

async function run(env, spec) {
  if (typeof spec.endpoint !== "string") throw new Error("endpoint is required");
  const { client, counter } = clientFor(env, spec);
  const method = spec.method ?? "respondActivityTaskCanceled";
  const input = spec.input ?? { taskToken: "tok", details: "d" };
  const controller = new AbortController();
  const abortInfo = spec.abort ? { abortedAtMs: undefined, requestsSeenAtAbort: undefined } : undefined;
  let settled = false;
  const started = Date.now();
  const doAbort = () => {
    abortInfo.abortedAtMs = Date.now() - started;
    controller.abort();
  };
  let aborter;
  if (spec.abort === "before") doAbort();
  else if (spec.abort?.afterMs !== undefined) setTimeout(doAbort, spec.abort.afterMs);
  else if (spec.abort?.afterRequests !== undefined) {
    aborter = (async () => {
      const until = Date.now() + 10_000;
      while (!settled && Date.now() < until) {
        const seen = await requestsSeen(spec.endpoint);
        if (seen >= spec.abort.afterRequests) {
          abortInfo.requestsSeenAtAbort = seen;
          break;
        }
        await sleep(20);
      }
      if (spec.abort.thenMs) await sleep(spec.abort.thenMs);
      if (!settled) doAbort();
    })();
  }
  const options = { ...(spec.options ?? {}), ...(spec.abort ? { signal: controller.signal } : {}) };

  const originalRandom = Math.random;
  let randomPinned;
  if (spec.random !== undefined) {
    Math.random = () => spec.random;
    randomPinned = Math.random() === spec.random;
  }
  const one = () => client[method](input, options);
  let outcomes;
  try {
    outcomes = await Promise.allSettled(Array.from({ length: spec.concurrency ?? 1 }, one));
  } finally {
    settled = true;
    if (spec.random !== undefined) Math.random = originalRandom;
  }
  const settledAtMs = Date.now() - started;
  await aborter;
  if (abortInfo?.abortedAtMs !== undefined) abortInfo.settledAfterAbortMs = settledAtMs - abortInfo.abortedAtMs;
  const plain = outcomes.map((o) => (o.status === "fulfilled" ? { ok: true, result: o.value ?? null } : { ok: false, error: describeError(o.reason) }));
  return {
    ok: plain.every((o) => o.ok),
    ...(spec.concurrency ? { outcomes: plain } : plain[0]),
    elapsedMs: settledAtMs,
    abort: abortInfo,
    providerCalls: spec.credentials?.provider ? counter.providerCalls : undefined,
    clockOffsetMs: client.clockOffsetMs,
    randomPinned,
  };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/") return new Response("swf-edge fault worker\n");
    // POST /hostile-input: forged signals, revoked proxies, pollution, a 100 MB string (input-probes.js).
    if (request.method === "POST" && url.pathname === "/hostile-input") return Response.json(await probeHostileInputs(swf));
    if (request.method !== "POST" || url.pathname !== "/run") return Response.json({ error: "POST /run" }, { status: 404 });
    try {
      return Response.json(await run(env, await request.json()));
    } catch (error) {
      // A failure of this harness, not of a call: the test shows it as is.
      return Response.json({ harnessError: describeError(error) }, { status: 500 });
    }
  },
};
