// Errors constructed the way index.d.ts allows. The error classes declare no constructor,
// so TypeScript offers Error's — `new UnknownResourceFault(message?, options?)` — which is
// what a consumer writes to fake SWF failures in its own tests (a mocked SwfClient that
// rejects). What the types then promise (e.g. `name: "UnknownResourceFault"`) must hold.
import { SwfError, UnknownResourceFault, ValidationError, TransportError } from "swf-edge";

const shown = (value: unknown) => (typeof value === "string" ? value : `(${String(value)})`);

function attempt(expression: string, make: () => SwfError) {
  try {
    const error = make();
    return {
      expression,
      name: shown(error.name),
      message: shown(error.message),
      text: String(error),
      swfError: error instanceof SwfError,
    };
  } catch (thrown) {
    return { expression, threw: String(thrown) };
  }
}

export function constructed() {
  const closed = new UnknownResourceFault("task closed");
  const declaredName: "UnknownResourceFault" = closed.name; // the declared literal type
  return [
    { expression: "the declared name of new UnknownResourceFault(…)", name: shown(declaredName) },
    attempt('new UnknownResourceFault("task closed")', () => new UnknownResourceFault("task closed")),
    attempt('new ValidationError("bad input")', () => new ValidationError("bad input")),
    attempt('new TransportError("connection reset", { cause })', () => new TransportError("connection reset", { cause: new Error("ECONNRESET") })),
    attempt('new SwfError("boom")', () => new SwfError("boom")),
    attempt("new SwfError()", () => new SwfError()),
  ];
}
