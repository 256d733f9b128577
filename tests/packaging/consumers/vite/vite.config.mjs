// Vite config of the scratch consumer (passed with --config; vite itself comes from the
// repository's root node_modules, swf-edge from the scratch project's node_modules).
import { fileURLToPath } from "node:url";

export default {
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
  clearScreen: false,
  build: { outDir: "dist", emptyOutDir: true },
};
