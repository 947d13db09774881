/**
 * Tests of the terminal width of text: printable ASCII (the fast path) and the rest agree.
 *
 * @module
 */

import assert from "node:assert/strict";
import { displayWidth, padTo } from "../../lib/text/width.ts";

Deno.test("displayWidth: printable ASCII is one column a character", () => {
  assert.equal(displayWidth(""), 0);
  assert.equal(displayWidth("deployment.apps/shop/web ~!"), 27);
  assert.equal(padTo("web", 5), "web  ");
});

Deno.test("displayWidth: wide, combining, colour codes and control characters", () => {
  assert.equal(displayWidth("日本"), 4);
  assert.equal(displayWidth("e\u0301"), 1);
  assert.equal(displayWidth("\x1b[32mok\x1b[0m"), 2);
  assert.equal(displayWidth("a\tb"), 3);
  assert.equal(displayWidth("web 🚀"), 6);
});
