// The built package's endpoints against botocore's (tests/endpoints/botocore.json, written
// by tests/endpoints/gen_endpoints.py from botocore's endpoint rules): every region
// botocore knows and made-up ones of every partition's pattern, standard, FIPS,
// dual-stack and FIPS + dual-stack, through the options users pass. Plus the rule for
// plain http: only where traffic cannot leave the machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SwfClient, ValidationError } from "../../pkg/node.js";

const table = JSON.parse(readFileSync(new URL("../endpoints/botocore.json", import.meta.url), "utf8"));
const credentials = { accessKeyId: "AKIDENDPOINT", secretAccessKey: "endpoint-secret" };
const client = (options) => new SwfClient({ credentials, ...options });

test("every region x variant resolves to botocore's URL", () => {
  let compared = 0;
  for (const row of table.rows.filter((r) => r.kind !== "pseudo")) {
    const swf = client({ region: row.region, useFipsEndpoint: row.fips, useDualstackEndpoint: row.dualstack });
    assert.equal(swf.endpoint, row.url, `${row.region} fips=${row.fips} dualstack=${row.dualstack}`);
    assert.equal(swf.region, row.region);
    compared++;
  }
  assert.ok(compared >= 240, `${compared} rows`);
  console.log(`endpoints: ${compared} region x variant rows match botocore ${table.botocore} (${table.known_regions} known regions)`);
});

test("pseudo-regions (aws-global, fips-* aliases) are refused", () => {
  for (const row of table.rows.filter((r) => r.kind === "pseudo")) {
    assert.throws(() => client({ region: row.region }), (e) => e instanceof ValidationError && e.field === "region", row.region);
  }
});

test("useFipsEndpoint and useDualstackEndpoint cannot be combined with an endpoint override", () => {
  for (const [flag, value] of [["useFipsEndpoint", true], ["useDualstackEndpoint", true]]) {
    assert.throws(() => client({ region: "us-east-1", endpoint: "https://swf.example", [flag]: value }), (e) => e instanceof ValidationError && e.field === flag);
    assert.equal(client({ region: "us-east-1", endpoint: "https://swf.example", [flag]: false }).endpoint, "https://swf.example/");
  }
  assert.throws(() => client({ region: "us-east-1", useDualstackEndpoint: "yes" }), (e) => e instanceof ValidationError && e.field === "useDualstackEndpoint");
});

test("http:// only to localhost, 127.0.0.0/8 and [::1]; allowInsecureEndpoint opts out", () => {
  for (const host of ["localhost", "127.0.0.1", "127.200.3.4", "[::1]"]) {
    assert.equal(client({ region: "us-east-1", endpoint: `http://${host}:8000` }).endpoint, `http://${host}:8000/`);
  }
  for (const host of ["swf.localhost", "localhost.example", "127.0.0.1.nip.io", "127.evil.example", "127.1", "10.0.0.1", "[::2]", "0.0.0.0"]) {
    assert.throws(() => client({ region: "us-east-1", endpoint: `http://${host}:8000` }), (e) => e instanceof ValidationError && e.field === "endpoint", host);
    assert.equal(client({ region: "us-east-1", endpoint: `http://${host}:8000`, allowInsecureEndpoint: true }).endpoint, `http://${host}:8000/`);
  }
});
