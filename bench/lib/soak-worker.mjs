// The crash soak's Worker (bench/soak.mjs bundles it for workerd): GET /?calls=N&inFlight=K
// runs the failing-calls scenario once in this isolate and answers its counts as JSON
// (500 with the error's stack when an outcome was not the expected one).
import * as swfEdge from "../../pkg/workerd.js";
import { runFailingCalls } from "./failing-calls.mjs";

export default {
  async fetch(request) {
    const params = new URL(request.url).searchParams;
    try {
      const counts = await runFailingCalls(swfEdge, { calls: Number(params.get("calls")), inFlight: Number(params.get("inFlight") || 1) });
      return Response.json(counts);
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
