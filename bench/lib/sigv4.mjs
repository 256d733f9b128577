// A minimal hand-written AWS SigV4 signer on node:crypto: the floor for "how much can
// signing one SWF JSON request cost". Header signing only (no presigning, no chunked
// payloads); enough for POST / with a JSON body. Synchronous.
import { createHash, createHmac } from "node:crypto";

const hex = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export class SigV4 {
  /** @param {{accessKeyId: string, secretAccessKey: string, sessionToken?: string, region: string, service: string}} o */
  constructor({ accessKeyId, secretAccessKey, sessionToken, region, service }) {
    Object.assign(this, { accessKeyId, secretAccessKey, sessionToken, region, service });
    this.cachedDate = "";
    this.cachedKey = null;
  }

  /** The day's signing key, derived once per day (like every real signer caches it). */
  key(date) {
    if (date !== this.cachedDate) {
      const kDate = hmac(`AWS4${this.secretAccessKey}`, date);
      this.cachedKey = hmac(hmac(hmac(kDate, this.region), this.service), "aws4_request");
      this.cachedDate = date;
    }
    return this.cachedKey;
  }

  /**
   * Signs a request; returns the headers to send (without `host`, which fetch sets).
   * @param {{method: string, url: string, headers: Record<string,string>, body?: string}} req
   */
  sign({ method, url, headers, body = "" }, now = new Date()) {
    const u = new URL(url);
    const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, ""); // 20250101T000000Z
    const date = amzDate.slice(0, 8);
    const payloadHash = hex(body);
    const out = { "x-amz-date": amzDate };
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
    if (this.sessionToken) out["x-amz-security-token"] = this.sessionToken;
    const toSign = { ...out, host: u.host };
    const names = Object.keys(toSign).sort();
    const canonicalHeaders = names.map((n) => `${n}:${toSign[n].trim().replace(/\s+/g, " ")}\n`).join("");
    const signedHeaders = names.join(";");
    const query = [...u.searchParams]
      .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
      .sort()
      .join("&");
    const canonicalRequest = [method, u.pathname || "/", query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
    const scope = `${date}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hex(canonicalRequest)}`;
    const signature = createHmac("sha256", this.key(date)).update(stringToSign).digest("hex");
    out.authorization =
      `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return out;
  }
}
