// AWS SDK v3 with the 15 commands swf-edge has and the 4 paginators (issue 12's size row):
// an operator Worker that lists, describes, reads history, counts, cancels, signals,
// terminates, and the activity-task calls.
import {
  SWFClient,
  RespondActivityTaskCanceledCommand,
  RecordActivityTaskHeartbeatCommand,
  RespondActivityTaskCompletedCommand,
  RespondActivityTaskFailedCommand,
  PollForActivityTaskCommand,
  ListDomainsCommand,
  ListOpenWorkflowExecutionsCommand,
  ListClosedWorkflowExecutionsCommand,
  DescribeWorkflowExecutionCommand,
  GetWorkflowExecutionHistoryCommand,
  CountPendingActivityTasksCommand,
  CountPendingDecisionTasksCommand,
  RequestCancelWorkflowExecutionCommand,
  SignalWorkflowExecutionCommand,
  TerminateWorkflowExecutionCommand,
  paginateListDomains,
  paginateListOpenWorkflowExecutions,
  paginateListClosedWorkflowExecutions,
  paginateGetWorkflowExecutionHistory,
} from "@aws-sdk/client-swf";

export default {
  async fetch(request, env) {
    const client = new SWFClient({
      region: env.REGION,
      endpoint: env.ENDPOINT,
      credentials: { accessKeyId: env.ACCESS_KEY_ID, secretAccessKey: env.SECRET_ACCESS_KEY },
    });
    const { action, input } = await request.json();
    const commands = {
      RespondActivityTaskCanceledCommand,
      RecordActivityTaskHeartbeatCommand,
      RespondActivityTaskCompletedCommand,
      RespondActivityTaskFailedCommand,
      PollForActivityTaskCommand,
      ListDomainsCommand,
      ListOpenWorkflowExecutionsCommand,
      ListClosedWorkflowExecutionsCommand,
      DescribeWorkflowExecutionCommand,
      GetWorkflowExecutionHistoryCommand,
      CountPendingActivityTasksCommand,
      CountPendingDecisionTasksCommand,
      RequestCancelWorkflowExecutionCommand,
      SignalWorkflowExecutionCommand,
      TerminateWorkflowExecutionCommand,
    };
    const paginators = { paginateListDomains, paginateListOpenWorkflowExecutions, paginateListClosedWorkflowExecutions, paginateGetWorkflowExecutionHistory };
    if (paginators[action]) {
      const pages = [];
      for await (const page of paginators[action]({ client }, input)) pages.push(page);
      return Response.json(pages);
    }
    return Response.json(await client.send(new commands[action](input)));
  },
};
