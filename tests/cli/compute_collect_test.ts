import assert from "node:assert/strict";
import { runCli } from "../../main.ts";
import { COLLECT_EVERY } from "../../lib/cli/compute_command.ts";
import { garbageCollector } from "../../lib/collect_garbage.ts";

Deno.test("compute asks for a garbage collection every COLLECT_EVERY objects, as it prints", async () => {
  const n = 2 * COLLECT_EVERY + 500;
  const stdin = Array.from(
    { length: n },
    (_, i) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c${i}"}}`,
  ).join("\n");
  const out: string[] = [];
  const collectedAfter: number[] = [];
  const code = await runCli(["compute", "-f", "-"], {
    out: (line) => out.push(line),
    err: () => {},
    readStdin: () => Promise.resolve(stdin),
    env: {},
    isTerminal: false,
    collectGarbage: () => collectedAfter.push(out.length),
  });
  assert.equal(code, 0);
  assert.equal(out.length, n);
  // Text rows are held for alignment until the first 10,000 have come, then printed as they come.
  assert.deepEqual(collectedAfter, [COLLECT_EVERY, 2 * COLLECT_EVERY]);
});

Deno.test("garbageCollector: Bun's synchronous collection, none elsewhere", () => {
  const g = globalThis as { Bun?: unknown };
  const saved = g.Bun;
  try {
    assert.equal(garbageCollector(), undefined); // Deno, with or without an exposed gc()
    const calls: boolean[] = [];
    g.Bun = { gc: (force: boolean) => calls.push(force) };
    garbageCollector()!();
    assert.deepEqual(calls, [true]);
  } finally {
    if (saved === undefined) delete g.Bun;
    else g.Bun = saved;
  }
});
