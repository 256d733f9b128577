// The browser side of issue 11 in headless Chromium, where fetch differs from Node's: a
// redirect with `redirect: "manual"` is an opaque response (status 0, Location hidden), so
// the client must refuse it without knowing where it pointed, and the second listener must
// see nothing; an endless body is cut at the cap; and a wasm that cannot be loaded (404,
// an HTML page instead of the .wasm, bytes that are not WebAssembly, a CSP without
// 'wasm-unsafe-eval') rejects with a WasmLoadError saying what to fix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, normalize } from "node:path";
import { launchChromium } from "../support/chromium.mjs";
import { listener, redirectTo, stream } from "../support/hostile-server.mjs";

const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const CSP = "script-src 'self' 'unsafe-inline'"; // no 'wasm-unsafe-eval'

/** Serves pkg/ under /pkg/, a blank page at /, the same page with a strict CSP at /csp, and broken wasm URLs. */
async function site() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const page = "<!doctype html><title>swf-edge</title>";
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end(page);
    if (path === "/csp") return res.writeHead(200, { "content-type": "text/html", "content-security-policy": CSP }).end(page);
    if (path === "/broken/html.wasm") return res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><p>app shell</p>");
    if (path === "/octet/swf_edge_bg.wasm") {
      const wasm = await readFile(join(PKG, "dist", "swf_edge_bg.wasm"));
      return res.writeHead(200, { "content-type": "application/octet-stream" }).end(wasm);
    }
    if (path === "/broken/bytes.wasm") return res.writeHead(200, { "content-type": "application/wasm" }).end(Buffer.from("not wasm at all"));
    // /nowasm/ is the package with its .wasm missing (a deployment that forgot to copy it).
    const nowasm = path.startsWith("/nowasm/");
    if (path.startsWith("/pkg/") || (nowasm && !path.endsWith(".wasm"))) {
      const file = normalize(join(PKG, path.slice(path.indexOf("/", 1) + 1)));
      if (file.startsWith(PKG)) {
        try {
          const body = await readFile(file);
          const type = TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream";
          return res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
        } catch {
          // 404 below
        }
      }
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

let browser;
let web;
let hostile;
let second;
before(async () => {
  [web, hostile, second, browser] = await Promise.all([site(), listener(), listener(), launchChromium()]);
  hostile.cors = second.cors = true;
});
after(async () => {
  await browser?.close();
  await Promise.all([web?.stop(), hostile?.stop(), second?.stop()]);
});

/** Runs `body` (a function of `swf`, the imported package, and `arg`) in a fresh page at `path`; returns its result. */
async function inPage(path, body, arg, pkgBase = "/pkg") {
  const page = await browser.newPage();
  try {
    await page.goto(`${web.url}${path}`);
    return await page.evaluate(
      async ({ source, pkg, arg }) => {
        const swf = await import(pkg);
        const describe = (e) => ({
          name: e?.name,
          message: e?.message,
          source: e?.source,
          code: e?.code,
          retryable: e?.retryable,
          attempts: e?.attempts,
          classes: ["SwfError", "RedirectError", "ResponseError", "ServiceError", "WasmLoadError", "TransportError"].filter((c) => e instanceof swf[c]),
        });
        try {
          return { ok: true, value: await new Function("return " + source)()(swf, arg) };
        } catch (e) {
          return { ok: false, error: describe(e) };
        }
      },
      { source: body.toString(), pkg: `${web.url}${pkgBase}/browser.js`, arg },
    );
  } finally {
    await page.close();
  }
}

const heartbeat = async (swf, { endpoint, timeoutMs }) => {
  const client = new swf.SwfClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "AKIDBROWSER", secretAccessKey: "browser-secret" }, timeoutMs });
  return client.recordActivityTaskHeartbeat({ taskToken: "tok" });
};

test("Chromium: a 3xx is never followed: RedirectError, origin 'unknown' (hidden), the target sees nothing", async () => {
  for (const status of [301, 302, 307, 308]) {
    hostile.handle = redirectTo(status, second.url);
    const outcome = await inPage("/", heartbeat, { endpoint: hostile.url });
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    const { error } = outcome;
    assert.ok(error.classes.includes("RedirectError"), JSON.stringify(error));
    assert.equal(error.source, "client");
    assert.equal(error.retryable, false);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /redirect to unknown \(the browser hides it\)/);
    assert.ok(!error.message.includes("steal") && !error.message.includes("pa55"), error.message);
  }
  assert.equal(hostile.requests, 4);
  assert.equal(second.requests, 0, "Chromium followed a redirect");
});

test("Chromium: an endless 2xx body stops at the cap (ResponseError), not at the timeout", async () => {
  hostile.handle = (req, res) => stream(res, 200, Infinity, { prefix: '{"pad":"' });
  const started = Date.now();
  const outcome = await inPage("/", heartbeat, { endpoint: hostile.url, timeoutMs: 20_000 });
  assert.equal(outcome.ok, false, JSON.stringify(outcome));
  assert.ok(outcome.error.classes.includes("ResponseError"), JSON.stringify(outcome.error));
  assert.match(outcome.error.message, /over 65536 bytes/);
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});

const load = async (swf, url) => {
  await swf.init(url === undefined ? undefined : new URL(url, location.href));
  return "loaded";
};

test("Chromium: the wasm loads from its default location, and (more slowly) when served with another MIME type", async () => {
  assert.deepEqual(await inPage("/", load), { ok: true, value: "loaded" });
  assert.deepEqual(await inPage("/", load, "/octet/swf_edge_bg.wasm"), { ok: true, value: "loaded" });
});

test("Chromium: a wasm that cannot be loaded is a WasmLoadError that says what to fix", async () => {
  const cases = [
    ["/missing/swf_edge_bg.wasm", /answered HTTP 404.*init\(new URL/],
    ["/broken/html.wasm", /is not swf-edge's WebAssembly \(it was served as text\/html\).*application\/wasm/],
    ["/broken/bytes.wasm", /is not swf-edge's WebAssembly/],
  ];
  for (const [url, advice] of cases) {
    const outcome = await inPage("/", load, url);
    assert.equal(outcome.ok, false, `${url}: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.error.name, "WasmLoadError", JSON.stringify(outcome.error));
    assert.ok(outcome.error.classes.includes("WasmLoadError") && outcome.error.classes.includes("SwfError"));
    assert.equal(outcome.error.source, "client");
    assert.match(outcome.error.message, advice, url);
  }
  // A strict CSP also forbids the harness's `new Function`: this page gets its own script.
  const page = await browser.newPage();
  try {
    await page.goto(`${web.url}/csp`);
    // browser.js fetches the .wasm; embedded.js carries it and falls back to init() when the
    // synchronous compile is refused: both reject with the same typed advice.
    for (const entry of ["browser.js", "embedded.js"]) {
      const csp = await page.evaluate(async (pkg) => {
        const swf = await import(pkg);
        try {
          await swf.init();
          return { ok: true };
        } catch (e) {
          return { ok: false, name: e.name, message: e.message, isSwfError: e instanceof swf.SwfError };
        }
      }, `${web.url}/pkg/${entry}`);
      assert.equal(csp.ok, false, `${entry}: ${JSON.stringify(csp)}`);
      assert.equal(csp.name, "WasmLoadError", `${entry}: ${JSON.stringify(csp)}`);
      assert.equal(csp.isSwfError, true);
      assert.match(csp.message, /Content Security Policy.*'wasm-unsafe-eval'/);
    }
  } finally {
    await page.close();
  }
});

test("Chromium: a call made while the wasm cannot load rejects with the WasmLoadError; a later init(url) can still succeed", async () => {
  const outcome = await inPage("/", async (swf, base) => {
    const failing = swf.init(new URL("/missing/x.wasm", location.href)).catch((e) => e.name);
    const first = await failing;
    await swf.init(new URL(`${base}/pkg/dist/swf_edge_bg.wasm`));
    const client = new swf.SwfClient({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
    return { first, region: client.region };
  }, web.url);
  assert.deepEqual(outcome, { ok: true, value: { first: "WasmLoadError", region: "us-east-1" } });
  // A call made without init() while the .wasm is missing rejects (typed), it does not throw.
  const call = await inPage(
    "/",
    async (swf) => {
      const client = new swf.SwfClient({ region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: "s" } });
      return client.recordActivityTaskHeartbeat({ taskToken: "t" });
    },
    undefined,
    "/nowasm",
  );
  assert.equal(call.ok, false, JSON.stringify(call));
  assert.equal(call.error.name, "WasmLoadError", JSON.stringify(call.error));
  assert.match(call.error.message, /HTTP 404/);
});
