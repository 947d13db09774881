/**
 * Choosing the containers whose logs tell why, and keeping the newest lines within limits.
 *
 * @module
 */

import assert from "node:assert/strict";
import { lastLines, logTargets } from "../../lib/diagnostics/logs.ts";

Deno.test("logTargets: restarted containers' previous instance, non-zero exits, init first", () => {
  const pod = {
    metadata: { name: "p", namespace: "ns" },
    status: {
      initContainerStatuses: [{
        name: "init",
        restartCount: 0,
        state: { terminated: { exitCode: 1 } },
      }],
      containerStatuses: [
        { name: "ok", restartCount: 0, state: { running: {} } },
        { name: "done", restartCount: 0, state: { terminated: { exitCode: 0 } } },
        { name: "looping", restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } } },
        { name: "recovered", restartCount: 0, lastState: { terminated: { exitCode: 137 } } },
        "malformed",
      ],
    },
  };
  assert.deepEqual(logTargets(pod).map((t) => `${t.container}:${t.previous}`), [
    "init:false",
    "looping:true",
    "recovered:true",
  ]);
});

Deno.test("lastLines: the newest lines within lines and bytes; CRLF and a last newline", () => {
  assert.deepEqual(lastLines("a\r\nb\r\nc\r\n", 2, 100), { lines: ["b", "c"], truncated: false });
  assert.deepEqual(lastLines("", 20, 100), { lines: [], truncated: false });
  assert.deepEqual(lastLines("aaaa\nbbbb\ncccc", 20, 10), {
    lines: ["bbbb", "cccc"],
    truncated: true,
  });
  // One line longer than the limit keeps its end, marked; UTF-8 counted in bytes.
  const one = lastLines("é".repeat(10), 20, 9);
  assert.equal(one.truncated, true);
  assert.equal(one.lines[0], "…ééé");
});
