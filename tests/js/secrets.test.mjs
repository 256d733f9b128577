// Secret-leak scan: provoke every kind of error swf-edge can produce, with recognisable
// credentials (static keys and an async provider), and check that no text the package
// produces (errors in every rendering, the client in every rendering, anything written to
// console / stdout / stderr) contains the secret key, the session token or the signature
// of any request it sent (taken from the fake SWF's request log).
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { SwfClient, SwfError } from "../../pkg/node.js";
import { startFakeSwf, FAKE_ACCESS_KEY, FAKE_REGION } from "../fake_swf/client.mjs";

const SECRET = "SECRETSECRET-7f3a9c1e5b2d4086-LEAKCHECK";
const TOKEN = "TOKENTOKEN-0c6e2a8f4b1d9357-LEAKCHECK";
const PROVIDER_SECRET = "PROVIDERSECRET-91d7c3a5e0b2f468-LEAKCHECK";
const PROVIDER_TOKEN = "PROVIDERTOKEN-5a0f8e2c6d4b1397-LEAKCHECK";
const SECRETS = { SECRET, TOKEN, PROVIDER_SECRET, PROVIDER_TOKEN };
// The random middle of each: finds a secret that was cut (a prefix or suffix of it shown).
const FRAGMENTS = Object.fromEntries(Object.entries(SECRETS).map(([name, value]) => [`part of ${name}`, value.split("-")[1]]));

// ------------------------------------------------------------------ capture all output

const output = [];
const toText = (chunk) => (typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("latin1") : String(chunk));
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    output.push(toText(chunk));
    return write(chunk, ...rest);
  };
}
for (const method of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    output.push(args.map((a) => (typeof a === "string" ? a : util.inspect(a, { showHidden: true, depth: 10 }))).join(" "));
    return original(...args);
  };
}
process.on("warning", (w) => output.push(`${w.name}: ${w.message}\n${w.stack}`));

// ------------------------------------------------------------------ the fake and the clients

let fake;
const signatures = new Set(); // every Signature=… the fake saw
before(async () => {
  fake = await startFakeSwf();
});
after(() => fake?.stop());
beforeEach(() => resetFake());

const header = (req, name) => Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];
const signatureOf = (req) => /Signature=([0-9a-f]{64})/.exec(header(req, "authorization") ?? "")?.[1];

async function harvestSignatures() {
  const log = await fake.requests();
  for (const req of log) {
    const signature = signatureOf(req);
    if (signature) signatures.add(signature);
  }
  return log;
}

async function resetFake() {
  await harvestSignatures();
  await fake.reset();
}

const staticKeys = { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN };
const provider = async () => ({
  accessKeyId: FAKE_ACCESS_KEY,
  secretAccessKey: PROVIDER_SECRET,
  sessionToken: PROVIDER_TOKEN,
  expiration: new Date(Date.now() + 3600_000),
});

/** A static-keys client and a provider client, both at the fake, one attempt per call. */
function clients(options = {}) {
  const base = { region: FAKE_REGION, endpoint: fake.url, maxAttempts: 1, ...options };
  return {
    static: new SwfClient({ ...base, credentials: staticKeys }),
    provider: new SwfClient({ ...base, credentials: provider }),
  };
}

// ------------------------------------------------------------------ collecting and scanning text

/** Every rendering of an error we can think of. */
function renderError(err) {
  const texts = [];
  const add = (f) => {
    try {
      const text = f();
      if (text !== undefined) texts.push(String(text));
    } catch (e) {
      texts.push(`(rendering threw ${e?.name})`);
    }
  };
  add(() => String(err));
  add(() => err?.message);
  add(() => err?.stack);
  add(() => JSON.stringify(err));
  add(() => util.inspect(err, { showHidden: true, depth: 10 }));
  add(() => util.inspect(err, { showHidden: true, depth: 10, customInspect: false }));
  add(() => util.inspect(err?.cause, { showHidden: true, depth: 10 }));
  add(() => util.format("%s %o %j", err, err, err));
  if (err !== null && typeof err === "object") {
    for (const key of Reflect.ownKeys(err)) add(() => `${String(key)}=${util.inspect(err[key], { showHidden: true, depth: 10 })}`);
  }
  return texts;
}

/** Every rendering of a client. */
function renderClient(client) {
  return [
    String(client),
    JSON.stringify(client),
    util.inspect(client, { showHidden: true, depth: 10 }),
    util.inspect(client, { showHidden: true, depth: 10, customInspect: false }),
    util.format("%s %o %j", client, client, client),
    JSON.stringify(Object.getOwnPropertyDescriptors(client)),
  ];
}

/**
 * Where in `texts` a secret or a signature shows up, once per label and secret, described
 * without repeating any of them.
 */
function findLeaks(texts) {
  const needles = [...Object.entries(SECRETS), ...Object.entries(FRAGMENTS), ...[...signatures].map((s) => [`signature ${s.slice(0, 6)}…`, s])];
  const hide = (text) => needles.reduce((t, [name, needle]) => t.replaceAll(needle, `<${name}>`), text);
  const leaks = new Map();
  for (const { label, text } of texts) {
    for (const [name, needle] of needles) {
      if (text.includes(needle) && !leaks.has(`${label}\0${name}`)) {
        const hidden = hide(text);
        const at = hidden.indexOf(`<${name}>`);
        const around = hidden.slice(Math.max(0, at - 60), at + name.length + 22).replace(/\s+/g, " ");
        leaks.set(`${label}\0${name}`, `${label}: contains ${name}: …${around}…`);
      }
    }
  }
  return [...leaks.values()];
}

/**
 * Runs every `[label, () => promise-or-value]` case, renders what it threw or rejected
 * with, checks the error kind when one is expected, and asserts that nothing leaked.
 */
async function scan(cases) {
  const texts = [];
  const wrongKind = [];
  for (const [label, run, expectedName] of cases) {
    let err;
    let settled = false;
    try {
      await run();
      settled = true;
    } catch (e) {
      err = e;
    }
    if (expectedName !== undefined) {
      if (settled) wrongKind.push(`${label}: did not fail (expected ${expectedName})`);
      else if (!(err instanceof SwfError) || (expectedName && err.name !== expectedName)) wrongKind.push(`${label}: ${err?.name} (expected ${expectedName || "an SwfError"})`);
    }
    if (!settled) for (const text of renderError(err)) texts.push({ label, text });
  }
  await harvestSignatures();
  const leaks = findLeaks(texts);
  assert.deepEqual(leaks, [], `secrets or signatures in error text:\n${leaks.join("\n")}`);
  assert.deepEqual(wrongKind, [], `not the error kind the case provokes:\n${wrongKind.join("\n")}`);
  return texts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ the error kinds

test("ValidationError: bad options never quote a secret (also in wrong-typed fields)", async () => {
  const base = { region: FAKE_REGION, endpoint: fake.url };
  const options = [
    ["secret with a space", { ...base, credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: `${SECRET} x` } }],
    ["secret with a newline", { ...base, credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: `${SECRET}\n` } }],
    ["secret with a non-ASCII letter", { ...base, credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: `${SECRET}é` } }],
    ["token with a space", { ...base, credentials: { ...staticKeys, sessionToken: `${TOKEN} x` } }],
    ["token that is empty", { ...base, credentials: { ...staticKeys, sessionToken: "" } }],
    ["secret in an array", { ...base, credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: [SECRET] } }],
    ["secret in an object", { ...base, credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: { value: SECRET } } }],
    ["token as a number field's value", { ...base, credentials: staticKeys, maxAttempts: TOKEN }],
    ["secret as timeoutMs", { ...base, credentials: staticKeys, timeoutMs: SECRET }],
    ["secret as useFipsEndpoint", { ...base, credentials: staticKeys, useFipsEndpoint: SECRET }],
    ["secret under an unknown credentials key", { ...base, credentials: { ...staticKeys, secret: SECRET } }],
    ["secret under an unknown option", { ...base, credentials: staticKeys, secretAccessKey: SECRET }],
    ["token in the wrong case of key", { ...base, credentials: { ...staticKeys, SessionToken: TOKEN } }],
    ["missing region, secret present", { credentials: staticKeys }],
    ["accessKeyId missing, secret present", { ...base, credentials: { secretAccessKey: SECRET, sessionToken: TOKEN } }],
    ["secret as a credentials string", { ...base, credentials: SECRET }],
    ["FIPS with an endpoint override", { ...base, useFipsEndpoint: true, credentials: staticKeys }],
    ["plain http to a remote host", { region: FAKE_REGION, endpoint: "http://example.com", credentials: staticKeys }],
    ["bad region", { region: "moon-1", credentials: staticKeys }],
  ];
  await scan(options.map(([label, o]) => [`new SwfClient(${label})`, () => new SwfClient(o), "ValidationError"]));
});

test("ValidationError: bad inputs and call options never quote a secret", async () => {
  const both = clients();
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    const inputs = [
      ["taskToken wrong-typed, secret in details", { taskToken: 5, details: SECRET }],
      ["secret in an array", { taskToken: "t", details: [SECRET] }],
      ["secret in an object", { taskToken: { secret: SECRET } }],
      ["token as an over-long taskToken", { taskToken: TOKEN.repeat(40) }],
      ["secret with a lone surrogate", { taskToken: `${SECRET}\ud800` }],
      ["secret under an unknown key", { taskToken: "t", secretAccessKey: SECRET }],
      ["secret as the input", SECRET],
      ["secret inside a toJSON that throws", { taskToken: SECRET, toJSON: () => { throw new Error("nope"); } }],
    ];
    for (const [label, input] of inputs) cases.push([`${kind}: respondActivityTaskCanceled(${label})`, () => client.respondActivityTaskCanceled(input), "ValidationError"]);
    cases.push([`${kind}: failed reason over-long`, () => client.respondActivityTaskFailed({ taskToken: "t", reason: SECRET.repeat(10) }), "ValidationError"]);
    cases.push([`${kind}: heartbeat details over-long`, () => client.recordActivityTaskHeartbeat({ taskToken: "t", details: TOKEN.repeat(100) }), "ValidationError"]);
    for (const [label, options] of [
      ["maxAttempts: secret", { maxAttempts: SECRET }],
      ["signal: token", { signal: TOKEN }],
      ["unknown key holding the secret", { secretAccessKey: SECRET }],
      ["deadlineMs: [secret]", { deadlineMs: [SECRET] }],
    ]) {
      cases.push([`${kind}: call options ${label}`, () => client.respondActivityTaskCanceled({ taskToken: "t" }, options), "ValidationError"]);
    }
    cases.push([`${kind}: cancelIfRequested(secret in a wrong field)`, () => client.cancelIfRequested({ taskToken: 1, heartbeatDetails: SECRET }), "ValidationError"]);
    cases.push([`${kind}: cancelMany(options with the secret)`, () => client.cancelMany([], { secretAccessKey: SECRET }), "ValidationError"]);
    cases.push([`${kind}: watchCancellation(options with the token)`, () => client.watchCancellation("t", { sessionToken: TOKEN }), "ValidationError"]);
    cases.push([`${kind}: runActivity(task with the secret)`, () => client.runActivity({ taskToken: [SECRET] }, async () => 1), "ValidationError"]);
  }
  await scan(cases);
  assert.equal((await fake.requests()).length, 0, "nothing was sent");
});

test("a secret passed by mistake as region or endpoint is not quoted in the ValidationError", async () => {
  // The credentials are parsed (and known to be secret) before the region and endpoint
  // are checked, yet those messages quote the value as given.
  const base = { credentials: staticKeys };
  await scan([
    ["new SwfClient({ region: <secret> })", () => new SwfClient({ ...base, region: SECRET }), "ValidationError"],
    ["new SwfClient({ endpoint: <token> })", () => new SwfClient({ ...base, region: FAKE_REGION, endpoint: TOKEN }), "ValidationError"],
    ["new SwfClient({ endpoint: https://<secret>.example/x })", () => new SwfClient({ ...base, region: FAKE_REGION, endpoint: `https://${SECRET}.example/x` }), "ValidationError"],
  ]);
});

const errorShapes = [
  [{ status: 400, body: { __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "Unknown activity" } }, "UnknownResourceFault"],
  [{ status: 400, body: { __type: "com.amazonaws.swf.base.model#OperationNotPermittedFault", message: "not allowed" } }, "OperationNotPermittedFault"],
  [{ status: 400, body: { __type: "com.amazon.coral.validate#ValidationException", message: "bad" } }, "ValidationException"],
  [{ status: 400, body: { __type: "com.amazon.coral.availability#ThrottlingException", message: "Rate exceeded" } }, "ThrottlingException"],
  [{ status: 400, body: { __type: "AccessDeniedException", Message: "denied" } }, "AccessDeniedException"],
  [{ status: 400, body: { __type: "com.amazon.coral.service#UnrecognizedClientException", message: "bad key" } }, "UnrecognizedClientException"],
  [{ status: 500, body: "" }, "InternalFailure"],
  [{ status: 503, body: { __type: "ServiceUnavailable" } }, "ServiceUnavailable"],
  [{ status: 400, body: "<html>proxy says no</html>", headers: { "x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/" } }, "ThrottlingException"],
  [{ status: 500, action: "truncated", body: '{"__type": "Inter' }, "InternalFailure"],
  [{ action: "large", status: 500, bytes: 200_000 }, "InternalFailure"],
  [{ status: 403, body: { __type: "InvalidSignatureException", message: "Signature expired: 20200101T000000Z is now earlier than 20260101T000000Z" } }, "InvalidSignatureException"],
];

test("service errors of every shape, and error messages that echo the secret and the token", async () => {
  const both = clients();
  // Each client's answers echo its own secrets (the ones it can know of).
  const own = { static: [SECRET, TOKEN], provider: [PROVIDER_SECRET, PROVIDER_TOKEN] };
  const echoesFor = (kind) => {
    const [secret, token] = own[kind];
    const echo = (key) => `The security token ${token} with secret ${secret} is invalid (${key})`;
    return [
      [{ status: 400, body: { __type: "UnrecognizedClientException", message: echo("message") } }, "UnrecognizedClientException"],
      [{ status: 403, body: { __type: "com.amazon.coral.service#InvalidSignatureException", Message: echo("Message") } }, "InvalidSignatureException"],
      [{ status: 500, body: { __type: "InternalFailure", errorMessage: echo("errorMessage") } }, "InternalFailure"],
      [{ status: 400, body: { __type: "UnknownResourceFault", message: `${echo("long")} ${"x".repeat(990)}` } }, "UnknownResourceFault"],
    ];
  };
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    if (kind === "provider") await client.respondActivityTaskCanceled({ taskToken: "warm" }).catch(() => {}); // the provider's keys are now cached
    for (const [entry, name] of [...errorShapes, ...echoesFor(kind)]) {
      cases.push([`${kind}: ${name} ${JSON.stringify(entry).slice(0, 80)}`, async () => {
        await fake.script([entry]);
        return client.respondActivityTaskCanceled({ taskToken: "t" });
      }, name]);
    }
  }
  await scan(cases);
});

test("a service message cut at 1024 characters is redacted before the cut", async () => {
  // The message is cut first and redacted afterwards, so a secret that straddles the cut no
  // longer matches and its first part stays.
  const both = clients();
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    const secret = kind === "static" ? SECRET : PROVIDER_SECRET;
    if (kind === "provider") await client.respondActivityTaskCanceled({ taskToken: "warm" }).catch(() => {});
    const filler = 1024 - (secret.lastIndexOf("-") + 1); // the cut falls just before "LEAKCHECK"
    cases.push([`${kind}: ${filler} characters, then the secret`, async () => {
      await fake.script([{ status: 400, body: { __type: "ValidationException", message: `${"y".repeat(filler)}${secret}` } }]);
      return client.respondActivityTaskCanceled({ taskToken: "t" });
    }, "ValidationException"]);
  }
  await scan(cases);
});

test("InvalidSignatureException: the fake's real answer to a wrong secret", async () => {
  const both = clients();
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    for (const method of ["respondActivityTaskCanceled", "recordActivityTaskHeartbeat", "respondActivityTaskCompleted", "respondActivityTaskFailed"]) {
      cases.push([`${kind}: ${method}`, () => client[method]({ taskToken: "t" }), "InvalidSignatureException"]);
    }
  }
  await scan(cases);
  const log = await fake.requests();
  assert.equal(log.length, 8);
  assert.ok(log.every((r) => r.signature.valid === false && signatureOf(r)));
});

test("TransportError (resets, refused), TimeoutError (hang), deadline and AbortError", async () => {
  const both = clients({ timeoutMs: 300 });
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    const scripted = (entry, options, name) => [
      `${kind}: ${JSON.stringify(entry).slice(0, 60)} ${JSON.stringify(options ?? {})}`,
      async () => {
        await fake.script([entry]);
        return client.respondActivityTaskCanceled({ taskToken: "t" }, options);
      },
      name,
    ];
    cases.push(scripted({ action: "reset" }, undefined, "TransportError"));
    cases.push(scripted({ action: "reset_mid_body", status: 200, body: { pad: "x".repeat(50_000) } }, undefined, "TransportError"));
    cases.push(scripted({ action: "hang", seconds: 2 }, undefined, "TimeoutError"));
    cases.push(scripted({ action: "hang", seconds: 2 }, { timeoutMs: 5000, deadlineMs: 250 }, "TimeoutError"));
    cases.push([`${kind}: aborted before the call`, () => client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: AbortSignal.abort() }), "AbortError"]);
    cases.push([`${kind}: aborted during the call`, async () => {
      await fake.script([{ action: "hang", seconds: 2 }]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      return client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: controller.signal, timeoutMs: 5000 });
    }, "AbortError"]);
  }
  const refused = {
    static: new SwfClient({ region: FAKE_REGION, endpoint: "http://127.0.0.1:9", credentials: staticKeys, maxAttempts: 1 }),
    provider: new SwfClient({ region: FAKE_REGION, endpoint: "http://127.0.0.1:9", credentials: provider, maxAttempts: 1 }),
  };
  for (const [kind, client] of Object.entries(refused)) cases.push([`${kind}: connection refused`, () => client.respondActivityTaskCanceled({ taskToken: "t" }), "TransportError"]);
  await scan(cases);
  await sleep(50);
});

test("CredentialsError: a provider that throws (innocently) or returns bad data", async () => {
  const make = (credentials) => new SwfClient({ region: FAKE_REGION, endpoint: fake.url, maxAttempts: 1, credentials });
  const bad = [
    ["throws an Error", () => { throw new Error("the vault is unreachable"); }],
    ["rejects with an Error", async () => { throw new TypeError("no credentials configured"); }],
    ["rejects with a string", () => Promise.reject("offline")],
    ["returns nothing", async () => undefined],
    ["returns the secret as a string", async () => SECRET],
    ["secret with a space", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: `${PROVIDER_SECRET} x` })],
    ["secret in an array", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: [PROVIDER_SECRET] })],
    ["token as a number field", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: PROVIDER_SECRET, sessionToken: 7, expiration: PROVIDER_TOKEN })],
    ["unparsable expiration", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: PROVIDER_SECRET, sessionToken: PROVIDER_TOKEN, expiration: "not a date" })],
    ["expiration holding the token", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: PROVIDER_SECRET, expiration: PROVIDER_TOKEN })],
    ["missing secret", async () => ({ accessKeyId: FAKE_ACCESS_KEY, sessionToken: PROVIDER_TOKEN })],
    ["unknown key holding the secret", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: PROVIDER_SECRET, secret: PROVIDER_SECRET })],
    ["token with a newline", async () => ({ accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: PROVIDER_SECRET, sessionToken: `${PROVIDER_TOKEN}\n` })],
  ];
  await scan(bad.map(([label, credentials]) => [`provider ${label}`, () => make(credentials).respondActivityTaskCanceled({ taskToken: "t" }), "CredentialsError"]));
  assert.equal((await fake.requests()).length, 0, "nothing was sent with unusable credentials");
});

test("ResponseError: a 200 answer that is not the action's JSON, also when it echoes secrets", async () => {
  const both = clients();
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    if (kind === "provider") await client.respondActivityTaskCanceled({ taskToken: "warm" }).catch(() => {});
    const [secret, token] = kind === "static" ? [SECRET, TOKEN] : [PROVIDER_SECRET, PROVIDER_TOKEN];
    for (const body of [{ cancelRequested: "maybe" }, {}, "<html>", { cancelRequested: `${secret} ${token}` }, `{"cancelRequested": ${JSON.stringify(token)}}`]) {
      cases.push([`${kind}: heartbeat answered ${JSON.stringify(body).slice(0, 50)}`, async () => {
        await fake.script([{ status: 200, body }]);
        return client.recordActivityTaskHeartbeat({ taskToken: "t" });
      }, "ResponseError"]);
    }
    cases.push([`${kind}: poll answered a task with a wrong-typed field`, async () => {
      await fake.script([{ status: 200, body: { taskToken: "tt", activityId: secret, startedEventId: token, workflowExecution: {}, activityType: {} } }]);
      return client.pollForActivityTask({ domain: "d", taskList: { name: "l" } });
    }, "ResponseError"]);
  }
  await scan(cases);
});

test("RedirectError, oversize answers and service codes posing as client errors, also when they echo secrets", async () => {
  const both = clients();
  const cases = [];
  for (const [kind, client] of Object.entries(both)) {
    if (kind === "provider") await client.respondActivityTaskCanceled({ taskToken: "warm" }).catch(() => {});
    const [secret, token] = kind === "static" ? [SECRET, TOKEN] : [PROVIDER_SECRET, PROVIDER_TOKEN];
    const entries = [
      // The Location's host is lower-cased by URL parsing: the redacted form must cover that.
      [{ status: 302, body: "", headers: { Location: `http://${token}.evil.example/${secret}?${token}` } }, "RedirectError"],
      [{ status: 307, body: "", headers: { Location: `https://${secret.toLowerCase()}.example/` } }, "RedirectError"],
      [{ status: 200, body: { cancelRequested: true, pad: `${secret} ${token} `.repeat(2_000) } }, "ResponseError"],
      [{ status: 500, body: { __type: "InternalFailure", message: `${secret} ${token} `.repeat(2_000) } }, "InternalFailure"],
      [{ status: 400, body: { __type: "ValidationError", message: `${secret} ${token}` } }, "ServiceError"],
      [{ status: 400, body: { __type: `ns#${token}`, message: "m" } }, ""],
    ];
    for (const [entry, name] of entries) {
      cases.push([`${kind}: ${name || "a token as __type"} ${JSON.stringify(entry).slice(0, 60)}`, async () => {
        await fake.script([entry]);
        return client.recordActivityTaskHeartbeat({ taskToken: "t" });
      }, name]);
    }
  }
  await scan(cases);
});

test("the composite helpers' errors and results", async () => {
  const { static: client } = clients();
  const echo = { status: 400, body: { __type: "UnknownResourceFault", message: `closed; secret was ${SECRET}, token ${TOKEN}` } };
  const texts = [];
  await fake.script([echo]);
  const many = await client.cancelMany(["t1", { taskToken: "t2", details: "d" }], { concurrency: 1 });
  for (const text of [JSON.stringify(many), util.inspect(many, { showHidden: true, depth: 10 })]) texts.push({ label: "cancelMany results", text });
  for (const r of many) if (r.error) for (const text of renderError(r.error)) texts.push({ label: "cancelMany error", text });

  await fake.script([echo]);
  const watch = client.watchCancellation("t", { intervalMs: 10_000 });
  while (!watch.signal.aborted) await sleep(10);
  watch.stop();
  for (const text of renderError(watch.signal.reason)) texts.push({ label: "watchCancellation reason", text });

  await fake.script([{ status: 200, body: { cancelRequested: true } }, echo]);
  await scan([
    ["cancelIfRequested", () => client.cancelIfRequested({ taskToken: "t" }), "UnknownResourceFault"],
    ["runActivity", async () => {
      await fake.script([echo], { append: true });
      return client.runActivity({ taskToken: "t" }, async () => { throw new Error("work failed"); }, { intervalMs: 10_000 });
    }, ""], // which request meets the scripted answer depends on timing: any SwfError
  ]);
  await harvestSignatures();
  const leaks = findLeaks(texts);
  assert.deepEqual(leaks, [], leaks.join("\n"));
});

/**
 * Calls `method` twice with the same input within one second, so that both requests have
 * the same X-Amz-Date and therefore the same signature; the second is answered by
 * `entryFor(signature of the first)`, i.e. an answer that echoes its own request's signature.
 */
async function callEchoingOwnSignature(client, method, input, entryFor) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const intoSecond = Date.now() % 1000;
    if (intoSecond > 300) await sleep(1005 - intoSecond);
    await resetFake();
    await client[method](input).catch(() => {});
    const [first] = await fake.requests();
    const signature = signatureOf(first);
    await fake.script([entryFor(signature)]);
    let err;
    await client[method](input).catch((e) => {
      err = e;
    });
    const [, second] = await fake.requests();
    if (signatureOf(second) === signature) return err;
  }
  assert.fail("could not make two requests within one second");
}

test("an answer that echoes the request's own signature is redacted", async () => {
  const both = clients();
  const texts = [];
  for (const [kind, client] of Object.entries(both)) {
    const secret = kind === "static" ? SECRET : PROVIDER_SECRET;
    const serviceErr = await callEchoingOwnSignature(client, "respondActivityTaskCanceled", { taskToken: "t" }, (signature) => ({
      status: 403,
      body: { __type: "InvalidSignatureException", message: `Authorization: AWS4-HMAC-SHA256 Credential=${FAKE_ACCESS_KEY}/…, Signature=${signature}; secret ${secret}` },
    }));
    assert.equal(serviceErr?.name, "InvalidSignatureException");
    for (const text of renderError(serviceErr)) texts.push({ label: `${kind}: service error echoing the signature`, text });
    const responseErr = await callEchoingOwnSignature(client, "recordActivityTaskHeartbeat", { taskToken: "t" }, (signature) => ({
      status: 200,
      body: { cancelRequested: `Signature=${signature}` },
    }));
    assert.equal(responseErr?.name, "ResponseError");
    for (const text of renderError(responseErr)) texts.push({ label: `${kind}: ResponseError echoing the signature`, text });
  }
  await harvestSignatures();
  const leaks = findLeaks(texts);
  assert.deepEqual(leaks, [], leaks.join("\n"));
});

test("clients: String, JSON and inspect show no credential, before and after calls", async () => {
  const both = clients();
  const texts = [];
  const render = (when) => {
    for (const [kind, client] of Object.entries(both)) for (const text of renderClient(client)) texts.push({ label: `${kind} client ${when}`, text });
  };
  render("before any call");
  for (const client of Object.values(both)) await client.respondActivityTaskCanceled({ taskToken: "t" }).catch(() => {});
  render("after a call");
  await harvestSignatures();
  const leaks = findLeaks(texts);
  assert.deepEqual(leaks, [], leaks.join("\n"));
  assert.ok(signatures.size > 0, "requests were signed");
});

test("nothing written to console, stdout or stderr during these tests contains a secret or a signature", async () => {
  await harvestSignatures();
  await sleep(20);
  const leaks = findLeaks(output.map((text, i) => ({ label: `output chunk ${i}`, text })));
  assert.deepEqual(leaks, [], leaks.join("\n"));
  assert.ok(signatures.size >= 20, `${signatures.size} signatures collected`);
});
