// Minimal program on the hand-written node:crypto SigV4 signer (../lib/sigv4.mjs) + fetch.
// node:crypto stays external: it needs nodejs_compat in workerd and does not exist in browsers.
import { SigV4 } from "../lib/sigv4.mjs";

export default {
  async fetch(request, env) {
    const signer = new SigV4({
      accessKeyId: env.ACCESS_KEY_ID,
      secretAccessKey: env.SECRET_ACCESS_KEY,
      region: env.REGION,
      service: "swf",
    });
    const url = `${env.ENDPOINT ?? `https://swf.${env.REGION}.amazonaws.com`}/`;
    const body = JSON.stringify({ taskToken: env.TASK_TOKEN, details: "cancelled" });
    const headers = signer.sign({
      method: "POST",
      url,
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "SimpleWorkflowService.RespondActivityTaskCanceled",
      },
      body,
    });
    const res = await fetch(url, { method: "POST", headers, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`SWF ${res.status}: ${text}`);
    return new Response("ok");
  },
};
