/**
 * How many terminal columns text takes, and cutting text to a number of columns: East Asian
 * wide characters and most emoji take two, combining marks none, colour codes none.
 *
 * @module
 */

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** Columns one code point takes (0, 1 or 2). */
function codePointWidth(cp: number): number {
  if (
    (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x20d0 && cp <= 0x20ff)
  ) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/**
 * The columns `text` takes on a terminal (colour codes take none).
 *
 * @example
 * ```ts
 * import { displayWidth } from "./width.ts";
 * console.log(displayWidth("web"), displayWidth("日本"), displayWidth("\x1b[32mok\x1b[0m")); // 3 4 2
 * ```
 */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text.includes("\x1b") ? text.replace(SGR, "") : text) {
    n += codePointWidth(ch.codePointAt(0)!);
  }
  return n;
}

/**
 * `text` cut to at most `width` columns, the cut marked with `…` at the end (`at: "end"`) or
 * replacing the start (`at: "start"`, which keeps what tells similar names apart: their end).
 * Text without colour codes only.
 *
 * @example
 * ```ts
 * import { clip } from "./width.ts";
 * console.log(clip("Deployment is available", 10)); // "Deployment…"
 * console.log(clip("web-7d9f-x2x8q", 8, "start")); // "…f-x2x8q"
 * ```
 */
export function clip(text: string, width: number, at: "end" | "start" = "end"): string {
  if (width <= 0) return "";
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  if (at === "start") chars.reverse();
  const kept: string[] = [];
  let used = 1; // the ellipsis
  for (const ch of chars) {
    const w = codePointWidth(ch.codePointAt(0)!);
    if (used + w > width) break;
    kept.push(ch);
    used += w;
  }
  return at === "start" ? `…${kept.reverse().join("")}` : `${kept.join("")}…`;
}

/** `text` padded with spaces to `width` columns. */
export function padTo(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + " ".repeat(width - w);
}
