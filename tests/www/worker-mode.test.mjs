// www's Worker mode in Node with a stubbed fetch (nothing leaves the process): an error the
// Worker relays from SWF is never taken for the page's own errors about the Worker, whatever
// SWF named it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWorkerBackend } from "../../www/js/worker-mode.js";

const URL_ = "http://127.0.0.1:9/";

/** Runs `body` with fetch answering every request with `status` and JSON `answer`. */
async function withWorkerAnswer(status, answer, body) {
  const original = globalThis.fetch;
  const seen = [];
  globalThis.fetch = async (url) => {
    seen.push(String(url));
    return new Response(JSON.stringify(answer), { status, headers: { "content-type": "application/json" } });
  };
  try {
    return await body(seen);
  } finally {
    globalThis.fetch = original;
  }
}

const relayed = (name) => ({ error: { name, message: "from SWF", statusCode: 400, source: "service", code: name, retryable: false } });

test("a relayed service error named Unauthorized or WorkerUnreachable does not fail the connection as the page's own", async () => {
  for (const name of ["Unauthorized", "WorkerUnreachable"]) {
    await withWorkerAnswer(502, relayed(name), async (seen) => {
      const backend = await createWorkerBackend({ url: URL_, token: "t" });
      assert.equal(typeof backend.check, "function");
      assert.deepEqual(seen, [`${URL_}tasks/check`]);
    });
  }
});

test("the Worker's own 401 still fails the connection as Unauthorized", async () => {
  await withWorkerAnswer(401, { error: "unauthorized" }, async () => {
    await assert.rejects(createWorkerBackend({ url: URL_, token: "t" }), (error) => error.name === "Unauthorized");
  });
});

test("a relayed AbortError is a task error, not the page's Stop", async () => {
  await withWorkerAnswer(200, { results: [] }, async () => {
    const backend = await createWorkerBackend({ url: URL_, token: "t" });
    await withWorkerAnswer(502, relayed("AbortError"), async () => {
      const results = [];
      await backend.check(["tok"], { signal: new AbortController().signal, onStart() {}, onResult: (i, r) => results.push(r) });
      assert.equal(results.length, 1);
      assert.notEqual(results[0].state, "stopped");
    });
  });
});
