// The failing-calls scenario of the crash soak (bench/soak.mjs), shared by its Node child
// and its workerd Worker: one client, `calls` calls that all fail, with `globalThis.fetch`
// stubbed (nothing is sent anywhere):
//   - every 7th call has an input the wasm refuses (ValidationError, before any fetch);
//   - every other call fetches; the stub answers 400 `UnknownResourceFault`, except every
//     5th fetch, which rejects with `TypeError("fetch failed")` (undici's error; a
//     TransportError; maxAttempts 1, so no backoff wait).
// Calls alternate between respondActivityTaskCanceled and recordActivityTaskHeartbeat.
// Every outcome is checked; anything unexpected throws.

const TASK_TOKEN = "AAAAKgAAAAIAAAAAAAAAA" + "c3dmLWVkZ2Utc29hay10YXNrLXRva2Vu".repeat(20);
const FAULT = JSON.stringify({ __type: "com.amazonaws.swf.base.model#UnknownResourceFault", message: "Unknown activity task" });

/** Bad inputs, each refused by validation (rotated). */
const BAD_INPUTS = [
  {}, // taskToken missing
  { taskToken: 42 }, // wrong type
  { taskToken: "" }, // too short
  { taskToken: TASK_TOKEN, details: "x".repeat(40_000) }, // details too long for both actions
  { taskToken: TASK_TOKEN, notAField: true }, // unknown key
];

/**
 * Runs the scenario with `lib` (the swf-edge module: SwfClient and the error classes) and
 * resolves to the counts of each outcome. `inFlight` calls run at once (1 = sequential).
 */
export async function runFailingCalls(lib, { calls, inFlight = 1, region = "us-east-1" }) {
  const { SwfClient, UnknownResourceFault, TransportError, ValidationError } = lib;
  let fetches = 0;
  const stub = async () => {
    fetches++;
    if (fetches % 5 === 0) throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    return new Response(FAULT, {
      status: 400,
      headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": `soak-${fetches}` },
    });
  };
  const realFetch = globalThis.fetch;
  globalThis.fetch = stub;
  const counts = { UnknownResourceFault: 0, TransportError: 0, ValidationError: 0 };
  try {
    const swf = new SwfClient({
      region,
      credentials: { accessKeyId: "AKIDSOAKEXAMPLE00000", secretAccessKey: "soak/SECRET+key0123456789abcdefEXAMPLE" },
      maxAttempts: 1,
    });
    const one = async (i) => {
      const action = i % 2 === 0 ? "respondActivityTaskCanceled" : "recordActivityTaskHeartbeat";
      const bad = i % 7 === 3;
      const input = bad ? BAD_INPUTS[Math.floor(i / 7) % BAD_INPUTS.length] : { taskToken: TASK_TOKEN, details: `call ${i}` };
      try {
        await swf[action](input);
      } catch (error) {
        const kind = error instanceof ValidationError ? "ValidationError" : error instanceof UnknownResourceFault ? "UnknownResourceFault" : error instanceof TransportError ? "TransportError" : null;
        if (kind === null) throw new Error(`call ${i} (${action}) rejected with an unexpected ${error?.name}: ${error?.message}`);
        if (bad !== (kind === "ValidationError")) throw new Error(`call ${i} (${action}): ${kind}, expected ${bad ? "a ValidationError" : "a fetch outcome"}`);
        if (kind !== "ValidationError" && error.attempts !== 1) throw new Error(`call ${i}: attempts ${error.attempts}, expected 1`);
        counts[kind]++;
        return;
      }
      throw new Error(`call ${i} (${action}) resolved; every call of the scenario must fail`);
    };
    let next = 0;
    const lane = async () => {
      while (next < calls) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.max(1, inFlight) }, lane));
  } finally {
    globalThis.fetch = realFetch;
  }
  const sent = counts.UnknownResourceFault + counts.TransportError;
  if (sent !== fetches) throw new Error(`the stub saw ${fetches} fetches, the calls that reached it ${sent}`);
  if (counts.TransportError !== Math.floor(fetches / 5)) throw new Error(`${counts.TransportError} TransportErrors for ${fetches} fetches, expected ${Math.floor(fetches / 5)}`);
  return { calls, fetches, ...counts };
}
