// Small hostile loopback HTTP servers for the network-safety tests (Node, workerd and
// Chromium runs): the test sets `state.handle(req, res, body)`; the server counts requests
// and closed responses. CORS is answered for browsers (preflight included).
import { createServer } from "node:http";

/** A loopback listener: `{ url, requests, closed, handle, cors, stop() }`. */
export async function listener() {
  const state = { requests: 0, closed: 0, cors: false, handle: (req, res) => res.end("{}") };
  const server = createServer((req, res) => {
    if (state.cors) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-expose-headers", "x-amzn-requestid, x-amzn-errortype, date, location");
      if (req.method === "OPTIONS") {
        res.setHeader("access-control-allow-methods", "POST, GET, OPTIONS");
        res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "*");
        res.writeHead(204);
        return res.end();
      }
    }
    state.requests += 1;
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => state.handle(req, res, Buffer.concat(chunks).toString("utf8")));
    res.on("close", () => (state.closed += 1));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${server.address().port}`;
  state.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
  return state;
}

/** Answers a redirect to `target` (with a path, query and credentials that must never be shown). */
export function redirectTo(status, target) {
  return (req, res) => {
    res.writeHead(status, { location: `${target.replace("://", "://user:pa55@")}/steal?token=abc#frag` });
    res.end("moved");
  };
}

/** Streams `total` bytes of `fill` (after `prefix`) in 64 KiB chunks, respecting back-pressure. */
export function stream(res, status, total, { prefix = "", fill = "x", suffix = "" } = {}) {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
  const chunk = Buffer.alloc(65536, fill);
  let sent = 0;
  res.on("error", () => {});
  res.write(prefix);
  const pump = () => {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) return res.once("drain", pump);
    }
    res.end(suffix);
  };
  pump();
}
