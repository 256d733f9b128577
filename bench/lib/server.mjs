// Loopback stand-in for SWF: answers every POST with HTTP 200 `{}` (content-type
// application/x-amz-json-1.0), counts what it received. Run as a child process so the
// server does not share the client's event loop:
//   node bench/lib/server.mjs   → prints "BENCH_SERVER_READY http://127.0.0.1:PORT"
// Control (not counted): GET /__count → {total, signed, byTarget}; POST /__reset.
import http from "node:http";

let counts = { total: 0, signed: 0, byTarget: {} };
const reply = Buffer.from("{}");

const server = http.createServer((req, res) => {
  if (req.url === "/__count") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(counts));
    return;
  }
  if (req.url === "/__reset") {
    counts = { total: 0, signed: 0, byTarget: {} };
    res.writeHead(204);
    res.end();
    return;
  }
  req.resume(); // drain the body
  req.on("end", () => {
    counts.total++;
    if (/^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? "")) counts.signed++;
    const target = req.headers["x-amz-target"] ?? "(none)";
    counts.byTarget[target] = (counts.byTarget[target] ?? 0) + 1;
    res.writeHead(200, {
      "content-type": "application/x-amz-json-1.0",
      "content-length": reply.length,
      "x-amzn-requestid": "00000000-0000-4000-8000-000000000000",
    });
    res.end(reply);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  console.log(`BENCH_SERVER_READY http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("disconnect", () => process.exit(0)); // parent went away
