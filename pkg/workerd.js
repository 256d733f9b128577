// Cloudflare Workers entry: wrangler bundles the .wasm as a compiled module.
import wasmModule from "./dist/swf_edge_bg.wasm";
import { initSync } from "./dist/swf_edge.js";
import { _markReady } from "./core.js";

initSync({ module: wasmModule });
_markReady();

export {
  SwfClient,
  SwfError,
  ValidationError,
  TransportError,
  TimeoutError,
  AbortError,
  CredentialsError,
  UnknownResourceFault,
  OperationNotPermittedFault,
  ActivityCancelRequested,
  init,
} from "./core.js";
