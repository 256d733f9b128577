// Writes pkg/README.md, the npm page, from the repository's README.md (one source): the
// same text with every relative link and image made an absolute URL of the repository
// (npm shows the page outside it): links to blob/main/…, images to raw/main/…, `#anchors`
// to the README on GitHub. Run by scripts/build.sh; `--check` exits 1 if pkg/README.md is
// missing or differs from what it would write (tests/docs/links.test.mjs runs it).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const REPO = "https://github.com/swf-edge/swf-edge";
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** README.md's text with its relative links made absolute (the README sits at the repository root). */
export function npmReadme(markdown) {
  const banner = `<!-- Generated from ${REPO}/blob/main/README.md by scripts/npm-readme.mjs: edit that file. -->\n`;
  return banner + markdown.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, bang, text, target) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return whole; // https:, mailto: …
    if (target.startsWith("#")) return `${bang}[${text}](${REPO}${target})`;
    const path = target.replace(/^\.\//, "");
    return `${bang}[${text}](${REPO}/${bang ? "raw" : "blob"}/main/${path})`;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wanted = npmReadme(readFileSync(`${ROOT}/README.md`, "utf8"));
  const target = `${ROOT}/pkg/README.md`;
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {}
    if (current !== wanted) {
      console.error("pkg/README.md is not README.md's npm page: run `node scripts/npm-readme.mjs`");
      process.exit(1);
    }
  } else {
    writeFileSync(target, wanted);
  }
}
