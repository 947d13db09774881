/**
 * Escaping of text that came from outside (the cluster, a manifest, a log)
 * before it reaches a terminal: a name, message or log line must never move
 * the cursor, change colours or ring the bell. JSON output stays exact and
 * does not use this.
 *
 * @module
 */

// C0 controls except tab, DEL, and the C1 range (U+0080–U+009F, which some
// terminals treat as CSI/OSC introducers). Newlines are escaped too: one value
// is one line of output.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * `text` with every control character (other than tab) written as a visible
 * escape: `\n`, `\r`, `\e` for ESC, `\xNN` for the rest.
 *
 * @example
 * ```ts
 * import { escapeControl } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeControl("ok\x1b[2Jgone\n"), "ok\\e[2Jgone\\n");
 * assert.equal(escapeControl("plain text"), "plain text");
 * ```
 */
export function escapeControl(text: string): string {
  return escapeWith(CONTROL, text);
}

// The same without the newline: for messages of several lines we wrote ourselves.
// deno-lint-ignore no-control-regex
const CONTROL_BUT_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * {@linkcode escapeControl} for a message of several lines (an error on
 * stderr): newlines are kept, every other control character is escaped.
 *
 * @example
 * ```ts
 * import { escapeControlKeepLines } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeControlKeepLines("a\x1b]0;x\x07\nb"), "a\\e]0;x\\x07\nb");
 * ```
 */
export function escapeControlKeepLines(text: string): string {
  return escapeWith(CONTROL_BUT_NEWLINE, text);
}

function escapeWith(CONTROL: RegExp, text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => {
    switch (c) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\x1b":
        return "\\e";
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    }
  });
}
