// Minimal aws4fetch program: a hand-built SWF JSON request signed by AwsClient.
import { AwsClient } from "aws4fetch";

export default {
  async fetch(request, env) {
    const aws = new AwsClient({
      accessKeyId: env.ACCESS_KEY_ID,
      secretAccessKey: env.SECRET_ACCESS_KEY,
      region: env.REGION,
      service: "swf",
    });
    const res = await aws.fetch(`${env.ENDPOINT ?? `https://swf.${env.REGION}.amazonaws.com`}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "SimpleWorkflowService.RespondActivityTaskCanceled",
      },
      body: JSON.stringify({ taskToken: env.TASK_TOKEN, details: "cancelled" }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`SWF ${res.status}: ${text}`);
    return new Response("ok");
  },
};
