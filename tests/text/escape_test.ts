import assert from "node:assert/strict";
import { escapeControl } from "../../lib/text/escape.ts";

Deno.test("escapeControl: leaves printable text and tabs alone", () => {
  assert.equal(escapeControl("web-7f9c\tReady: 2/2 ✓"), "web-7f9c\tReady: 2/2 ✓");
});

Deno.test("escapeControl: escapes ESC, CR, LF, BEL, DEL and C1 controls", () => {
  assert.equal(escapeControl("\x1b]0;pwned\x07"), "\\e]0;pwned\\x07");
  assert.equal(escapeControl("a\r\nb"), "a\\r\\nb");
  assert.equal(escapeControl("x\x7fy\x9bz"), "x\\x7fy\\x9bz");
});

Deno.test("escapeControl: the same result on repeated calls (no regex state leaks)", () => {
  for (let i = 0; i < 3; i++) assert.equal(escapeControl("\x00"), "\\x00");
});
