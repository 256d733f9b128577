// The few pieces of Markdown the docs tests read: fenced code blocks (with the marker
// comment before them), headings as GitHub anchors, and links. Line-based, like the
// CommonMark subset the docs use; text inside code fences and inline code is not a link.

/** The fenced code blocks of `text`: `{ lang, code, line, marker }` (`line` 1-based, of the fence). */
export function codeBlocks(text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) body.push(lines[j++].slice(indent.length));
    blocks.push({ lang: lang.toLowerCase(), code: `${body.join("\n")}\n`, line: i + 1, marker: markerBefore(lines, i) });
    i = j;
  }
  return blocks;
}

/** `<!-- not-run: reason -->` on the nearest non-blank line above line `i`: `{ kind, reason }`, or undefined. */
function markerBefore(lines, i) {
  for (let k = i - 1; k >= 0; k--) {
    if (lines[k].trim() === "") continue;
    const found = /^<!--\s*(not-run)\s*:?\s*(.*?)\s*-->$/.exec(lines[k].trim());
    return found ? { kind: found[1], reason: found[2] } : undefined;
  }
  return undefined;
}

/** `text` with its fenced code blocks blanked (line numbers kept). */
function withoutFences(text) {
  let fence = null;
  return text
    .split("\n")
    .map((line) => {
      const open = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (line.trimStart().startsWith(fence)) fence = null;
        return "";
      }
      if (open) {
        fence = open[1];
        return "";
      }
      return line;
    })
    .join("\n");
}

/** GitHub's anchor for a heading's text (github-slugger's rules). */
export function slug(heading) {
  const text = heading
    .replace(/`([^`]*)`/g, "$1")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "");
  return text.toLowerCase().trim().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every anchor a Markdown file offers: its headings' slugs (duplicates numbered as GitHub does). */
export function anchors(text) {
  const seen = new Map();
  const result = new Set();
  for (const line of withoutFences(text).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

/** The links and images of a Markdown file, outside code: `{ target, line }`. */
export function links(text) {
  const found = [];
  withoutFences(text)
    .split("\n")
    .forEach((line, index) => {
      const prose = line.replace(/`[^`]*`/g, "");
      for (const match of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ target: match[1], line: index + 1 });
      for (const match of prose.matchAll(/<(?:img|a)\s[^>]*(?:src|href)="([^"]+)"/g)) found.push({ target: match[1], line: index + 1 });
    });
  return found;
}
