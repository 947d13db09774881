/**
 * Size limits: one watch event and one response body have a maximum, the
 * error names it, and the line scan stays linear on a line that arrives in
 * many small chunks.
 */

import assert from "node:assert/strict";
import { lines, readCapped, SizeLimitError } from "../../lib/kube/watch.ts";
import { createClient, loadClientConfig } from "../../lib/kube/mod.ts";
import { startFakeApiServer } from "../support/fake_apiserver.ts";

async function* chunks(parts: Iterable<string>): AsyncGenerator<Uint8Array> {
  const enc = new TextEncoder();
  for (const p of parts) yield enc.encode(p);
}

Deno.test("limits: lines split across chunks, blank lines skipped, the last line without a newline kept", async () => {
  const out: string[] = [];
  for await (const l of lines(chunks(['{"a":', '1}\n\n{"b"', ":2}\n", "  \n", '{"c":3}']))) {
    out.push(l);
  }
  assert.deepEqual(out, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

Deno.test("limits: a line past the limit fails with SizeLimitError, newline or not", async () => {
  const huge = (function* () {
    for (let i = 0; i < 100; i++) yield "x".repeat(1000);
  })();
  await assert.rejects(
    (async () => {
      for await (const _ of lines(chunks(huge), 50_000)) { /* nothing */ }
    })(),
    (e: Error) => e instanceof SizeLimitError && e.limit === 50_000,
  );
  await assert.rejects(
    (async () => {
      for await (const _ of lines(chunks(["y".repeat(60_000) + "\n"]), 50_000)) { /* nothing */ }
    })(),
    SizeLimitError,
  );
});

Deno.test("limits: the line scan is linear: 8 MiB in 1 KiB chunks, one line, well under a second", async () => {
  const parts = (function* () {
    for (let i = 0; i < 8 * 1024; i++) yield "z".repeat(1024);
    yield "\n";
  })();
  const t0 = performance.now();
  let n = 0;
  for await (const l of lines(chunks(parts), 16 * 1024 * 1024)) n += l.length;
  assert.equal(n, 8 * 1024 * 1024);
  // A bound against a quadratic scan (the one this replaced took tens of seconds on this input).
  assert.ok(performance.now() - t0 < 2_000, `${performance.now() - t0} ms`);
});

Deno.test("limits: a body past the limit fails; under it, it is read whole", async () => {
  assert.equal(await readCapped(chunks(["ab", "cd"]), 4, () => {}), "abcd");
  await assert.rejects(readCapped(chunks(["ab", "cde"]), 4, () => {}), SizeLimitError);
});

Deno.test("limits: a LIST larger than the client's limit is a BadResponseError naming the limit", async () => {
  const api = await startFakeApiServer();
  try {
    for (let i = 0; i < 50; i++) {
      api.put({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `c${i}`, namespace: "ns" },
        data: { v: "x".repeat(1000) },
      });
    }
    const client = createClient(
      await loadClientConfig({ kubeconfig: await api.kubeconfig(), env: {} }),
      { maxResponseBytes: 16 * 1024 },
    );
    const cm = {
      group: "",
      version: "v1",
      kind: "ConfigMap",
      resource: "configmaps",
      namespaced: true,
    };
    await assert.rejects(client.list(cm, "ns"), (e: Error) => {
      assert.equal(e.name, "BadResponseError");
      assert.equal(
        e.message,
        `the API server at ${api.url} sent a list response larger than 16 KiB (the limit of one response)`,
      );
      return true;
    });
    client.close();
  } finally {
    await api.close();
  }
});
