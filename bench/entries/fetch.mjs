// Floor: the same SWF JSON request with plain, unsigned fetch (SWF would reject it).
export default {
  async fetch(request, env) {
    const res = await fetch(`${env.ENDPOINT ?? `https://swf.${env.REGION}.amazonaws.com`}/`, {
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
