// Runs the compiled example (build/example.js, emitted by tsc under nodenext) with the job
// in argv[2] and prints demo()'s report as one JSON line.
import { demo } from "./build/example.js";

console.log(JSON.stringify(await demo(JSON.parse(process.argv[2]))));
