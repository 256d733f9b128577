"""Starts many decided workflows for the durable-worker tests in one Python process (the
package has no StartWorkflowExecution). Reads a JSON command from stdin, writes one JSON document to stdout.

  {"op": "start", "endpoint", "taskList", "workflows": [{"workflowId", "activities": [plan item]}]}
      -> {"executions": [{"workflowId", "runId"}]}
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from swf_local import scenario  # noqa: E402

def main():
    command = json.load(sys.stdin)
    client = scenario.make_client(command["endpoint"])
    op = command["op"]
    if op == "start":
        out = []
        for workflow in command["workflows"]:
            started = scenario.start_decided_workflow(
                client, command["taskList"], workflow["activities"], workflow_id=workflow.get("workflowId"))
            out.append({"workflowId": started["workflowId"], "runId": started["runId"]})
        print(json.dumps({"executions": out}))
    else:
        raise SystemExit(f"unknown op {op}")


if __name__ == "__main__":
    main()
