// The hostile-input probes (tests/workerd/fault-worker/src/input-probes.js) in headless
// Chromium, whose AbortSignal, Proxy and fetch are not Node's: forged signals, revoked
// proxies, a polluted prototype and a 100 MB string, against the browser entry (fetch
// intercepted in the page; nothing leaves it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, normalize } from "node:path";
import { launchChromium } from "../support/chromium.mjs";

const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
const PROBES = fileURLToPath(new URL("../workerd/fault-worker/src/input-probes.js", import.meta.url));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };

let server;
let url;
let browser;
before(async () => {
  server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>probes</title>");
    const file = path === "/probes.js" ? PROBES : normalize(join(PKG, path.replace(/^\/pkg\//, "")));
    if (path === "/probes.js" || (path.startsWith("/pkg/") && file.startsWith(PKG))) {
      try {
        const body = await readFile(file);
        return res.writeHead(200, { "content-type": TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" }).end(body);
      } catch {
        // 404 below
      }
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test("Chromium: forged signals, revoked proxies, a polluted prototype and a 100 MB string are handled as in Node", async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  try {
    await page.goto(`${url}/`);
    const report = await page.evaluate(async (base) => {
      const swf = await import(`${base}/pkg/browser.js`);
      await swf.init();
      const { probeHostileInputs } = await import(`${base}/probes.js`);
      return probeHostileInputs(swf);
    }, url);
    assert.deepEqual(report.failures, []);
    assert.equal(report.notes.pollutedEndpoint, "https://swf.us-east-1.amazonaws.com/");
    console.log(`Chromium probes: ${report.requests} requests intercepted; a proxy of a real signal: ${report.notes.proxyOfRealSignal}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let stray timers fire
    assert.deepEqual(pageErrors, [], "nothing thrown outside the promises");
  } finally {
    await page.close();
  }
});
