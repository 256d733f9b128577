// Hostile-input probes that run inside a runtime (workerd via this Worker's
// /hostile-input route, Chromium via tests/js/browser-hostile-input.test.mjs), where
// AbortSignal, Proxy and fetch are the runtime's own: forged signals, revoked proxies,
// a polluted Object.prototype / Array.prototype and a 100 MB string, with globalThis.fetch
// intercepted (nothing leaves). Returns { failures: [what went wrong], requests, notes }.

/** @param {typeof import("swf-edge")} swf the package as this runtime imports it */
export async function probeHostileInputs(swf) {
  const { SwfClient, ValidationError } = swf;
  const failures = [];
  const notes = {};
  const expect = (condition, what) => {
    if (!condition) failures.push(what);
  };
  const settle = async (promise) => {
    try {
      return { value: await promise };
    } catch (error) {
      return { error };
    }
  };
  const describe = (e) => (e ? `${e.name}${e.field ? ` (${e.field})` : ""}: ${String(e.message).slice(0, 120)}` : "no error");
  const revokedProxy = (target) => {
    const { proxy, revoke } = Proxy.revocable(target, {});
    revoke();
    return proxy;
  };

  const sent = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const headers = new Headers(init.headers);
    sent.push({ url: String(url), body: String(init.body), token: headers.get("x-amz-security-token") });
    const heartbeat = (headers.get("x-amz-target") ?? "").endsWith("Heartbeat");
    return new Response(heartbeat ? '{"cancelRequested":true}' : "{}", { status: 200 });
  };
  const credentials = { accessKeyId: "AKIDPROBE", secretAccessKey: "probe-secret" };
  try {
    const client = new SwfClient({ region: "us-east-1", credentials });

    // Forged signals: instanceof AbortSignal, but no signal.
    const forged = [
      ["Object.create(AbortSignal.prototype)", Object.create(AbortSignal.prototype)],
      ["a forged signal with an own aborted: false", Object.create(AbortSignal.prototype, { aborted: { value: false } })],
      ["a revoked proxy of a signal", revokedProxy(new AbortController().signal)],
    ];
    for (const [what, signal] of forged) {
      const before = sent.length;
      const call = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { signal }));
      expect(call.error instanceof ValidationError && call.error.field === "signal", `respondActivityTaskCanceled with ${what}: ${describe(call.error)}`);
      const many = await settle(client.cancelMany(["t"], { signal }));
      expect(many.error instanceof ValidationError, `cancelMany with ${what}: ${describe(many.error)}`);
      try {
        client.watchCancellation("t", { signal });
        failures.push(`watchCancellation with ${what}: did not throw`);
      } catch (error) {
        expect(error instanceof ValidationError, `watchCancellation with ${what}: ${describe(error)}`);
      }
      expect(sent.length === before, `${what}: ${sent.length - before} requests sent`);
    }
    // A proxy of a real signal is a signal in some runtimes (Node) and not in others.
    const proxied = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: new Proxy(new AbortController().signal, {}) }));
    notes.proxyOfRealSignal = proxied.error ? describe(proxied.error) : "accepted";
    expect(!proxied.error || proxied.error instanceof ValidationError, `a proxy of a real signal: ${describe(proxied.error)}`);
    // Real signals still work, aborted or not.
    const real = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: new AbortController().signal }));
    expect(!real.error, `a real signal: ${describe(real.error)}`);
    const aborted = await settle(client.respondActivityTaskCanceled({ taskToken: "t" }, { signal: AbortSignal.abort() }));
    expect(aborted.error?.name === "AbortError", `an aborted signal: ${describe(aborted.error)}`);

    // Revoked proxies as inputs and options.
    const before = sent.length;
    for (const [what, call] of [
      ["input", () => client.respondActivityTaskCanceled(revokedProxy({ taskToken: "t" }))],
      ["options", () => client.respondActivityTaskCanceled({ taskToken: "t" }, revokedProxy({}))],
      ["nested taskList", () => client.pollForActivityTask({ domain: "d", taskList: revokedProxy({ name: "l" }) })],
      ["cancelMany tasks", () => client.cancelMany(revokedProxy([]))],
    ]) {
      const { error } = await settle(call());
      expect(error instanceof ValidationError, `a revoked proxy as ${what}: ${describe(error)}`);
    }
    try {
      new SwfClient(revokedProxy({ region: "us-east-1", credentials }));
      failures.push("new SwfClient(revoked proxy): did not throw");
    } catch (error) {
      expect(error instanceof ValidationError, `new SwfClient(revoked proxy): ${describe(error)}`);
    }
    expect(sent.length === before, `revoked proxies: ${sent.length - before} requests sent`);

    // A polluted prototype changes nothing that is sent or where.
    const pollution = {
      details: "polluted",
      result: "polluted",
      reason: "polluted",
      identity: "polluted",
      endpoint: "https://polluted.example",
      useFipsEndpoint: true,
      useDualstackEndpoint: true,
      sessionToken: "polluted-session-token",
      onlyIfRequested: false,
      taskToken: "polluted-token",
    };
    const start = sent.length;
    let outcome;
    try {
      for (const [name, value] of Object.entries(pollution)) {
        Object.defineProperty(Object.prototype, name, { value, configurable: true, writable: true });
      }
      Object.defineProperty(Array.prototype, "0", { value: "polluted-element", configurable: true, writable: true });
      const fresh = new SwfClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDPROBE", secretAccessKey: "probe-secret" } });
      notes.pollutedEndpoint = fresh.endpoint;
      const sparse = [];
      sparse[1] = "t1";
      outcome = await settle(
        (async () => [
          await fresh.respondActivityTaskCanceled({ taskToken: "t0" }),
          await fresh.cancelMany(sparse),
          await fresh.pollForActivityTask({ domain: "d", taskList: { name: "l" } }),
        ])(),
      );
    } finally {
      for (const name of Object.keys(pollution)) delete Object.prototype[name];
      delete Array.prototype[0];
    }
    expect(notes.pollutedEndpoint === "https://swf.us-east-1.amazonaws.com/", `polluted: a new client's endpoint is ${notes.pollutedEndpoint}`);
    expect(!outcome.error, `polluted: ${describe(outcome.error)}`);
    const [, many, poll] = outcome.value ?? [];
    expect(many?.[0]?.status === "error" && many?.[1]?.status === "canceled", `polluted cancelMany: ${JSON.stringify(many)}`);
    expect(poll === null, `polluted: an empty poll answer read as ${JSON.stringify(poll)}`);
    const polluted = sent.slice(start);
    expect(polluted.length === 4, `polluted: ${polluted.length} requests (expected 4: cancel, heartbeat, cancel, poll)`);
    for (const request of polluted) {
      expect(request.url === "https://swf.us-east-1.amazonaws.com/", `polluted: sent to ${request.url}`);
      expect(!request.body.includes("polluted"), `polluted: body ${request.body}`);
      expect(request.token === null, "polluted: a session token was sent");
    }

    // A string far over any limit is refused (before it is copied into wasm memory).
    const huge = "x".repeat(100 * 1024 * 1024);
    const oversize = await settle(client.respondActivityTaskCanceled({ taskToken: huge }));
    expect(oversize.error instanceof ValidationError && oversize.error.field === "taskToken", `a 100 MB taskToken: ${describe(oversize.error)}`);
  } catch (error) {
    failures.push(`the probes threw: ${describe(error)}`);
  } finally {
    globalThis.fetch = realFetch;
  }
  return { failures, requests: sent.length, notes };
}
