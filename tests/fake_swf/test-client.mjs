// node --test tests/fake_swf/  — exercises client.mjs against the real server.py.
// (Named test-*.mjs, not test_*.mjs: node --test only discovers *.test.*, *-test.*, *_test.*, test-*.)
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';

import { FAKE_ACCESS_KEY, FAKE_REGION, FAKE_SECRET, startFakeSwf } from './client.mjs';

const TARGET = 'SimpleWorkflowService.RespondActivityTaskCanceled';
const BODY = JSON.stringify({ taskToken: 'AAAA-token', details: 'from node' });

let fake;
before(async () => { fake = await startFakeSwf(); });
after(async () => { await fake?.stop(); });
beforeEach(async () => { await fake.reset(); });

const amzDate = (date = new Date()) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** Headers carrying a syntactically fine but bogus signature. */
function fakeSignedHeaders() {
  const date = amzDate();
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': TARGET,
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=${FAKE_ACCESS_KEY}/${date.slice(0, 8)}/${FAKE_REGION}/swf/aws4_request, `
      + `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  };
}

/** A minimal, independent SigV4 signer (node:crypto) for a POST / to SWF. */
function realSignedHeaders(url, body, date = new Date()) {
  const stamp = amzDate(date);
  const headers = { 'content-type': 'application/x-amz-json-1.0', host: new URL(url).host,
    'x-amz-date': stamp, 'x-amz-target': TARGET };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...names.map((n) => `${n}:${headers[n]}`), '',
    names.join(';'), sha256(body)].join('\n');
  const scope = `${stamp.slice(0, 8)}/${FAKE_REGION}/swf/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonical)].join('\n');
  const key = ['swf', 'aws4_request'].reduce(hmac,
    hmac(hmac(`AWS4${FAKE_SECRET}`, stamp.slice(0, 8)), FAKE_REGION));
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  delete headers.host; // fetch sets it from the URL
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${FAKE_ACCESS_KEY}/${scope}, `
    + `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

const post = (headers, body = BODY) => fetch(`${fake.url}/`, { method: 'POST', headers, body });

test('scripted 500 then default behaviour; the log shows both as invalid', async () => {
  await fake.script([{ status: 500, body: { __type: 'InternalFailure', message: 'boom' } }]);
  const first = await post(fakeSignedHeaders());
  assert.equal(first.status, 500);
  assert.equal((await first.json()).__type, 'InternalFailure');
  const second = await post(fakeSignedHeaders());
  assert.equal(second.status, 403);
  assert.equal((await second.json()).__type, 'InvalidSignatureException');
  assert.equal(second.headers.get('access-control-allow-origin'), '*');

  const log = await fake.requests();
  assert.equal(log.length, 2);
  assert.deepEqual(log.map((e) => e.response_status), [500, 403]);
  assert.deepEqual(log.map((e) => e.signature.valid), [false, false]);
  assert.deepEqual(log.map((e) => e.action), ['respond', null]);
  assert.equal(log[0].target, TARGET);
  assert.deepEqual(log[0].json, JSON.parse(BODY));
});

test('a request signed by an independent node:crypto SigV4 is valid', async () => {
  const response = await post(realSignedHeaders(fake.url, BODY));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {});
  const [entry] = await fake.requests();
  assert.equal(entry.signature.valid, true, entry.signature.error);
});

test('skew makes a fresh signature expire', async () => {
  await fake.skew(600);
  const response = await post(realSignedHeaders(fake.url, BODY));
  assert.equal(response.status, 403);
  assert.match((await response.json()).message, /^Signature expired: /);
});

test('preflights are answered and logged separately', async () => {
  const asked = 'authorization,content-type,x-amz-date,x-amz-target';
  const response = await fetch(`${fake.url}/`, { method: 'OPTIONS', headers: {
    origin: 'http://localhost:5173', 'access-control-request-method': 'POST',
    'access-control-request-headers': asked } });
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-headers'), asked);
  assert.equal((await fake.requests()).length, 0);
  const all = await fake.requests({ includePreflight: true });
  assert.deepEqual(all.map((e) => e.kind), ['preflight']);
});
