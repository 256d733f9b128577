// Timing and statistics helpers shared by the measurements.

export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
export const median = (values) => quantile(values, 0.5);

/**
 * µs per operation of `op` (sync or async), in two steps so that several contenders can be
 * interleaved in rounds (a burst of outside load then hits all of them, not one):
 * `prepareOps` warms up for `warmMs` while doubling the batch size until one batch takes
 * ≥ `batchMs`; each `run(ms)` then adds timed batches; `result()` gives the median and
 * p10/p90 of the per-batch µs/op.
 */
export async function prepareOps(op, { warmMs, batchMs }) {
  const first = op();
  const isAsync = typeof first?.then === "function";
  if (isAsync) await first;
  const runBatch = isAsync
    ? async (n) => {
        const t = performance.now();
        for (let i = 0; i < n; i++) await op();
        return performance.now() - t;
      }
    : async (n) => {
        const t = performance.now();
        for (let i = 0; i < n; i++) op();
        return performance.now() - t;
      };
  let n = 1;
  const warmEnd = performance.now() + warmMs;
  while (performance.now() < warmEnd) {
    const dt = await runBatch(n);
    if (dt < batchMs && n < 1e6) n *= 2;
  }
  const perOpUs = [];
  return {
    async run(ms, minBatches = 2) {
      const end = performance.now() + ms;
      let k = 0;
      while (performance.now() < end || k < minBatches) {
        perOpUs.push(((await runBatch(n)) / n) * 1000);
        k++;
      }
    },
    result: () => ({
      medianUs: median(perOpUs),
      p10Us: quantile(perOpUs, 0.1),
      p90Us: quantile(perOpUs, 0.9),
      batches: perOpUs.length,
      batchSize: n,
      async: isAsync,
    }),
  };
}

/** Calls/s of `call` for `ms`, with `concurrency` loops each awaiting one call at a time. */
export async function throughput(call, { ms, concurrency }) {
  let done = 0;
  let errors = 0;
  let firstError = null;
  const start = performance.now();
  const end = start + ms;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        await call();
        done++;
      } catch (e) {
        errors++;
        firstError ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - start;
  return { done, errors, firstError, elapsedMs: elapsed, perSec: (done / elapsed) * 1000 };
}

// ---- formatting ----
export const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—");
export const fmt = (n, digits = 1) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "—";
export function ratio(x, base) {
  if (!(Number.isFinite(x) && Number.isFinite(base) && base > 0)) return "—";
  const r = x / base;
  return `${fmt(r, r >= 10 ? 1 : r >= 0.1 ? 2 : 3)}×`;
}
export const kib = (bytes) => (Number.isFinite(bytes) ? `${fmt(bytes / 1024, 1)} KiB` : "—");

/** A markdown table from a header row and rows of cells; numeric columns right-aligned. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const numeric = (cell) => /^(—|[-+]?[\d.,]+)/.test(String(cell));
  const align = header.map((_, i) => (rows.length && rows.every((r) => numeric(r[i])) ? "---:" : "---"));
  return [line(header), line(align), ...rows.map(line)].join("\n");
}
