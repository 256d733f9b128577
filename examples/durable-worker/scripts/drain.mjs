#!/usr/bin/env node
// Pre-deploy step: drain every shard and wait until all are "drained" (or, with --resume,
// resume them). Env: URL (the Worker's origin), TOKEN (DASHBOARD_TOKEN); optional
// GRACE_MS (running tasks' grace, default the worker's), TIMEOUT_MS (default 180000).
const { URL: base, TOKEN: token, GRACE_MS, TIMEOUT_MS = "180000" } = process.env;
if (!base || !token) {
  console.error("usage: URL=https://… TOKEN=… node scripts/drain.mjs [--resume]");
  process.exit(2);
}
const post = async (path, body = {}) => {
  const response = await fetch(new globalThis.URL(path, base), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${answer.error}`);
  return answer;
};
const line = (shards) => shards.map((s) => `shard ${s.shard}: ${s.error ?? `${s.state} (polls ${s.pollsOpen}, running ${s.running})`}`).join("; ");

if (process.argv.includes("--resume")) {
  console.log(line((await post("/workers/resume")).shards));
  process.exit(0);
}
await post("/workers/drain", GRACE_MS === undefined ? {} : { graceMs: Number(GRACE_MS) });
const deadline = Date.now() + Number(TIMEOUT_MS);
for (;;) {
  const { shards } = await post("/workers/shards");
  console.log(line(shards));
  if (shards.every((s) => s.state === "drained")) break;
  if (Date.now() > deadline) {
    console.error("not drained in time: deploying now may leave tasks to SWF's timeouts");
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
}
console.log("drained: safe to deploy");
