// Minimal AWS SDK v3 program: SWFClient + RespondActivityTaskCanceledCommand only.
import { SWFClient, RespondActivityTaskCanceledCommand } from "@aws-sdk/client-swf";

export default {
  async fetch(request, env) {
    const swf = new SWFClient({
      region: env.REGION,
      endpoint: env.ENDPOINT,
      credentials: { accessKeyId: env.ACCESS_KEY_ID, secretAccessKey: env.SECRET_ACCESS_KEY },
    });
    await swf.send(new RespondActivityTaskCanceledCommand({ taskToken: env.TASK_TOKEN, details: "cancelled" }));
    return new Response("ok");
  },
};
