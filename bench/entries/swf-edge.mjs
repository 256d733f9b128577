// Minimal swf-edge program: construct the client, cancel one activity task.
// Also a Worker module (export default { fetch }) so workerd can run it as is.
import { SwfClient } from "swf-edge";

export default {
  async fetch(request, env) {
    const swf = new SwfClient({
      region: env.REGION,
      endpoint: env.ENDPOINT,
      credentials: { accessKeyId: env.ACCESS_KEY_ID, secretAccessKey: env.SECRET_ACCESS_KEY },
    });
    await swf.respondActivityTaskCanceled({ taskToken: env.TASK_TOKEN, details: "cancelled" });
    return new Response("ok");
  },
};
