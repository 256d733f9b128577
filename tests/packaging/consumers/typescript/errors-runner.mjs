// Prints what build/errors.js (errors.ts, compiled under nodenext) reports, as one JSON line.
import { constructed } from "./build/errors.js";

console.log(JSON.stringify(constructed()));
