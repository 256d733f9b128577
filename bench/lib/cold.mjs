// One cold start, in a fresh `node` process:  node bench/lib/cold.mjs <client-id> <endpoint>
// Prints one JSON line: import+construct ms, first call ms, and ms since the process began
// (and, for a client that reports them, import and construct apart: importMs, constructMs)
// (performance.now() counts from Node's time origin, i.e. process start).
const t0 = performance.now();
const [id, endpoint] = process.argv.slice(2);
const { CLIENTS } = await import("./clients.mjs");
const call = await CLIENTS[id].make(endpoint); // import the library + construct the client
const t1 = performance.now();
await call();
const t2 = performance.now();
console.log(JSON.stringify({ id, scriptStartMs: t0, importConstructMs: t1 - t0, firstCallMs: t2 - t1, sinceProcessStartMs: t2, ...call.split }));
