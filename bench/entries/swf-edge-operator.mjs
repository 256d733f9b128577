// swf-edge with the same 15 actions and 4 paginators as aws-sdk-operator.mjs (issue 12's
// size row): the same operator Worker.
import {
  SwfClient,
  paginateListDomains,
  paginateListOpenWorkflowExecutions,
  paginateListClosedWorkflowExecutions,
  paginateGetWorkflowExecutionHistory,
} from "swf-edge";

export default {
  async fetch(request, env) {
    const swf = new SwfClient({
      region: env.REGION,
      endpoint: env.ENDPOINT,
      credentials: { accessKeyId: env.ACCESS_KEY_ID, secretAccessKey: env.SECRET_ACCESS_KEY },
    });
    const { action, input } = await request.json();
    const methods = {
      respondActivityTaskCanceled: (i) => swf.respondActivityTaskCanceled(i),
      recordActivityTaskHeartbeat: (i) => swf.recordActivityTaskHeartbeat(i),
      respondActivityTaskCompleted: (i) => swf.respondActivityTaskCompleted(i),
      respondActivityTaskFailed: (i) => swf.respondActivityTaskFailed(i),
      pollForActivityTask: (i) => swf.pollForActivityTask(i),
      listDomains: (i) => swf.listDomains(i),
      listOpenWorkflowExecutions: (i) => swf.listOpenWorkflowExecutions(i),
      listClosedWorkflowExecutions: (i) => swf.listClosedWorkflowExecutions(i),
      describeWorkflowExecution: (i) => swf.describeWorkflowExecution(i),
      getWorkflowExecutionHistory: (i) => swf.getWorkflowExecutionHistory(i),
      countPendingActivityTasks: (i) => swf.countPendingActivityTasks(i),
      countPendingDecisionTasks: (i) => swf.countPendingDecisionTasks(i),
      requestCancelWorkflowExecution: (i) => swf.requestCancelWorkflowExecution(i),
      signalWorkflowExecution: (i) => swf.signalWorkflowExecution(i),
      terminateWorkflowExecution: (i) => swf.terminateWorkflowExecution(i),
    };
    const paginators = { paginateListDomains, paginateListOpenWorkflowExecutions, paginateListClosedWorkflowExecutions, paginateGetWorkflowExecutionHistory };
    if (paginators[action]) {
      const pages = [];
      for await (const page of paginators[action]({ client: swf }, input)) pages.push(page);
      return Response.json(pages);
    }
    return Response.json(await methods[action](input));
  },
};
