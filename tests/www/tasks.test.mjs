// The dashboard's pure helpers (www/js/tasks.js) in Node: parsing, shortening, redaction,
// code-point counting, Worker URL checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  codePoints,
  describeError,
  mergeTasks,
  parseTaskFile,
  parseTokenLines,
  redactToken,
  shortToken,
  workerBase,
} from "../../www/js/tasks.js";

const TOKEN = "AAAAAAAA-0123456789-the-middle-of-a-long-token-ZZZZZZ";

test("shortToken shows the first 8 and last 6 characters of real-size tokens", () => {
  assert.equal(shortToken(TOKEN), "AAAAAAAA…ZZZZZZ");
  assert.equal(shortToken("short-garbage"), "short-garbage");
  assert.equal(shortToken(`🚦${"x".repeat(20)}🚦`), `🚦xxxxxxx…xxxxx🚦`, "cut on code points, never inside a surrogate pair");
});

test("redactToken replaces every quoted full token by its short form", () => {
  assert.equal(redactToken(`Unknown activity task: taskToken=${TOKEN} (${TOKEN})`, TOKEN), "Unknown activity task: taskToken=AAAAAAAA…ZZZZZZ (AAAAAAAA…ZZZZZZ)");
  assert.equal(redactToken("Invalid token", TOKEN), "Invalid token");
  assert.equal(describeError({ name: "UnknownResourceFault", message: `x ${TOKEN}`, statusCode: 400, requestId: "r-1" }, TOKEN).message, "x AAAAAAAA…ZZZZZZ");
  assert.deepEqual(describeError("boom"), { name: "Error", message: "boom" });
});

test("codePoints counts what SWF counts", () => {
  assert.equal(codePoints("ünï ✓"), 5);
  assert.equal(codePoints("🚦🚦"), 2);
  assert.equal("🚦🚦".length, 4);
});

test("pasted lines and JSON exports become tasks; duplicates and blanks are skipped", () => {
  assert.deepEqual(parseTokenLines(" a \r\n\n b\r c \n"), [
    { taskToken: "a", label: "" },
    { taskToken: "b", label: "" },
    { taskToken: "c", label: "" },
  ]);
  assert.deepEqual(parseTaskFile('[{"taskToken":"t1","label":"one"},"t2",{"taskToken":" t3 ","label":7}]'), [
    { taskToken: "t1", label: "one" },
    { taskToken: "t2", label: "" },
    { taskToken: "t3", label: "7" },
  ]);
  assert.deepEqual(parseTaskFile('{"tasks":[{"taskToken":"t1","activityId":"a"}]}'), [{ taskToken: "t1", label: "" }]);
  assert.throws(() => parseTaskFile("[{"), /not valid JSON/);
  assert.throws(() => parseTaskFile('{"taskToken":"t"}'), /JSON array/);
  assert.throws(() => parseTaskFile('[{"token":"t"}]'), /Item 1 has no taskToken/);
  const { added, duplicates, empty } = mergeTasks([{ taskToken: "a" }], [{ taskToken: "a" }, { taskToken: "" }, { taskToken: "b" }, { taskToken: "b" }]);
  assert.deepEqual(added.map((t) => t.taskToken), ["b"]);
  assert.equal(duplicates, 2);
  assert.equal(empty, 1);
});

test("workerBase: https anywhere, http only on loopback, nothing that could carry secrets", () => {
  assert.equal(workerBase("https://w.example.workers.dev"), "https://w.example.workers.dev/");
  assert.equal(workerBase("https://example.com/swf"), "https://example.com/swf/");
  assert.equal(workerBase("http://127.0.0.1:8787"), "http://127.0.0.1:8787/");
  assert.equal(workerBase("http://localhost:8787/"), "http://localhost:8787/");
  assert.throws(() => workerBase("http://example.com"), /https/);
  assert.throws(() => workerBase("https://user:pw@example.com"), /user name or password/);
  assert.throws(() => workerBase("https://example.com/?token=x"), /query or fragment/);
  assert.throws(() => workerBase("https://example.com/#x"), /query or fragment/);
  assert.throws(() => workerBase("not a url"), /not a valid URL/);
  assert.throws(() => workerBase("ftp://example.com"), /https/);
  assert.equal(workerBase("http://127.1.2.3:1/"), "http://127.1.2.3:1/");
  assert.equal(workerBase("http://[::1]:8787"), "http://[::1]:8787/");
  assert.equal(workerBase("http://LOCALHOST:8787"), "http://localhost:8787/");
  // Shorthands new URL() would normalise to 127.0.0.1 are refused, as the library refuses them.
  for (const host of ["127.1", "127.0.1", "0x7f.0.0.1", "2130706433", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]"]) {
    assert.throws(() => workerBase(`http://${host}:8787/`), /https/, host);
  }
  for (const host of ["127.0.0.1.nip.io", "127.evil.example", "swf.localhost", "localhost.example", "128.0.0.1", "[::2]"]) {
    assert.throws(() => workerBase(`http://${host}/`), /https/, host);
    assert.equal(workerBase(`https://${host}/`), `https://${host}/`);
  }
});
