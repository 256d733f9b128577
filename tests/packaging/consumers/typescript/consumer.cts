// A typed CommonJS module (nodenext): `import` compiles to `require("swf-edge")`, which
// TypeScript ≥ 5.8 allows for an ESM-only package without top-level await, like Node ≥ 20.19.
import { SwfClient, ValidationError, type CancelIfRequestedResult } from "swf-edge";

export async function cancelFromCommonJs(swf: SwfClient, taskToken: string): Promise<CancelIfRequestedResult> {
  return swf.cancelIfRequested({ taskToken, details: "from a .cts module" });
}

export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof ValidationError;
}
