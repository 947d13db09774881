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

Deno.test("garbageCollector: Bun's synchronous collection, V8's exposed gc, else none", () => {
  const g = globalThis as { Bun?: unknown; gc?: unknown };
  const saved = { Bun: g.Bun, gc: g.gc };
  try {
    const calls: boolean[] = [];
    g.Bun = { gc: (force: boolean) => calls.push(force) };
    garbageCollector()!();
    assert.deepEqual(calls, [true]);
    delete g.Bun;
    let v8Calls = 0;
    g.gc = () => v8Calls++;
    garbageCollector()!();
    assert.equal(v8Calls, 1);
    delete g.gc;
    assert.equal(garbageCollector(), undefined);
  } finally {
    if (saved.Bun !== undefined) g.Bun = saved.Bun;
    if (saved.gc !== undefined) g.gc = saved.gc;
  }
});
