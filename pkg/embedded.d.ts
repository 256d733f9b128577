// Types of `swf-edge/embedded`: the same API as the default entry (index.d.ts). This file
// also serves TypeScript's legacy `node10` resolution, which finds embedded.js by path.
export * from "./index.js";
