// Reads every answer of table.json with the package's own reader (pkg/answer.js's
// serviceRecord, what every call uses) and prints, one JSON array, each row's
// `{ code, name, statusCode, retryable }`: test_botocore_parity.py compares them with the
// table's columns. Redaction is the identity here (no secrets are held).
import { readFileSync } from "node:fs";
import { serviceRecord } from "../../pkg/answer.js";

const table = JSON.parse(readFileSync(new URL("table.json", import.meta.url), "utf8"));
const header = (headers, name) => Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? null;
const records = table.rows.map((row) => {
  const { code, name, statusCode, retryable } = serviceRecord(
    row.status,
    row.body,
    header(row.headers, "x-amzn-requestid"),
    header(row.headers, "x-amzn-errortype"),
    65536,
    (text) => text,
  );
  return { code, name, statusCode, retryable };
});
process.stdout.write(JSON.stringify(records));
