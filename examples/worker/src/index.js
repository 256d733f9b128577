// POST /tasks/cancel {"taskToken": "...", "details": "..."} → closes the task as canceled.
import { SwfClient, SwfError } from "swf-edge";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/tasks/cancel") {
      return Response.json({ error: "POST /tasks/cancel" }, { status: 404 });
    }
    const swf = new SwfClient({
      region: env.AWS_REGION,
      endpoint: env.SWF_ENDPOINT || undefined,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN || undefined,
      },
    });
    const { taskToken, details } = await request.json();
    try {
      await swf.respondActivityTaskCanceled({ taskToken, details });
      return Response.json({ status: "canceled" });
    } catch (err) {
      if (!(err instanceof SwfError)) throw err;
      const { name, message, statusCode, requestId, retryable } = err;
      return Response.json({ status: "error", error: { name, message, statusCode, requestId, retryable } }, { status: 502 });
    }
  },
};
