/**
 * Faults of the watch reader's list+watch loops over a scripted API, on a
 * virtual clock: a 410 storm stays within the request budget with growing
 * pauses, a silent watch is noticed by the idle deadline and resumed, and a
 * watch that ends at once cannot spin.
 */

import assert from "node:assert/strict";
import { createWatchClusterReader, type WatchClusterReader } from "../../mod.ts";
import { createBudget } from "../../lib/cluster/informer.ts";
import { DEPLOYMENTS, obj, type ScriptedApi, scriptedApi } from "../watch/scripted_api.ts";
import { eventually, id } from "../watch/helpers.ts";

const gone = () =>
  Object.assign(new Error("too old resource version"), { name: "GoneError", code: 410 });

/** `web` in 150 namespaces: read by one cluster-wide LIST and WATCH. */
const MANY = Array.from({ length: 150 }, (_, i) => id("apps", "Deployment", "web", `ns-${i}`));

/** A reader over `api` on a virtual clock that `sleep` advances; real time barely moves. */
function virtualReader(
  api: ScriptedApi,
  idleTimeoutMs = 0,
  identifiers = [id("apps", "Deployment", "web")],
) {
  let now = 0;
  const pauses: number[] = [];
  const reader = createWatchClusterReader(
    api,
    { identifiers, mapper: api.mapper, childKinds: () => [] },
    {
      idleTimeoutMs,
      now: () => now,
      backoff: { random: () => 0.5 },
      async sleep(ms, signal) {
        pauses.push(ms);
        now += ms;
        await new Promise((r) => setTimeout(r, 0));
        signal?.throwIfAborted();
      },
    },
  );
  return { reader, pauses, now: () => now };
}

async function shut(reader: WatchClusterReader) {
  reader.close();
  await reader.closed;
}

/** Every watch of `api` fails at once with `error()`. */
function failEveryWatch(api: ScriptedApi, error: () => Error | undefined) {
  const watch = api.watch.bind(api);
  api.watch = (mapping, namespace, options) => {
    const stream = watch(mapping, namespace, options);
    const e = error();
    if (e) queueMicrotask(() => api.streams.at(-1)!.fail(e));
    else queueMicrotask(() => api.streams.at(-1)!.end());
    return stream;
  };
}

for (const wide of [false, true]) {
  const what = wide ? " (one cluster-wide watch for 150 namespaces)" : "";
  Deno.test(`faults: a 410 storm stays within the request budget, with growing jittered pauses${what}`, async () => {
    const api = scriptedApi([DEPLOYMENTS]);
    api.objects.set(wide ? "deployments/" : "deployments/ns", [
      obj("Deployment", "web", "1", { namespace: wide ? "ns-0" : "ns" }),
    ]);
    failEveryWatch(api, gone);
    const { reader, pauses, now } = virtualReader(api, 0, wide ? MANY : undefined);
    try {
      await reader.sync();
      // One virtual minute of a server that answers every watch with 410.
      await eventually(() => now() >= 60_000, 10_000);
      if (wide) assert.deepEqual(reader.clusterWide(), ["apps/Deployment"]);
    } finally {
      await shut(reader);
    }
    const lists = api.calls.filter((c) => c.startsWith("list")).length;
    const watches = api.calls.filter((c) => c.startsWith("watch")).length;
    // Budget: 6 at once, then one per 2 s: 6 + 60/2 = 36 over the minute (without: thousands).
    // Cluster-wide, the same for the 150 namespaces together.
    assert.ok(lists + watches <= 37, `${lists} lists + ${watches} watches in one minute`);
    assert.ok(lists >= 5, `still relisting (${lists})`);
    if (wide) {
      const perNamespace = api.calls.filter((c) => /^(list|watch) deployments \S/.test(c));
      assert.deepEqual(perNamespace, [], "every request cluster-wide");
    }
    // The backoff grows to its cap (5 s, jittered to 3.75 s here; budget waits are at most 2 s):
    // no tight loop even without the budget.
    assert.ok(Math.max(...pauses) >= 3_000, `pauses ${pauses.join(",")}`);
  });
}

Deno.test("faults: watches that end at once (no event) cannot spin: backoff and budget", async () => {
  const api = scriptedApi([DEPLOYMENTS]);
  failEveryWatch(api, () => undefined);
  const { reader, now } = virtualReader(api);
  try {
    await reader.sync();
    await eventually(() => now() >= 60_000, 10_000);
  } finally {
    await shut(reader);
  }
  assert.ok(api.calls.length <= 40, `${api.calls.length} requests in one virtual minute`);
});

for (const wide of [false, true]) {
  const what = wide ? " (cluster-wide)" : "";
  Deno.test(`faults: a watch silent past the idle deadline is resumed from its resourceVersion${what}`, async () => {
    const ns = wide ? "ns-3" : "ns";
    const api = scriptedApi([DEPLOYMENTS]);
    api.objects.set(wide ? "deployments/" : "deployments/ns", [
      obj("Deployment", "web", "1", { namespace: ns }),
    ]);
    api.listVersion = "7";
    const reader = createWatchClusterReader(
      api,
      {
        identifiers: wide ? MANY : [id("apps", "Deployment", "web")],
        mapper: api.mapper,
        childKinds: () => [],
      },
      { idleTimeoutMs: 80 },
    );
    try {
      await reader.sync();
      const first = await api.nthStream(1);
      // A half-open connection: the stream stays open and says nothing.
      const second = await api.nthStream(2);
      assert.ok(first.closed, "the silent stream was closed");
      assert.equal(second.options.resourceVersion, "7", "resumed, not relisted");
      assert.equal(api.calls.filter((c) => c.startsWith("list")).length, 1);
      assert.equal(reader.stats().stalls >= 1, true);
      // The resumed stream delivers what the silent one held back.
      second.push("MODIFIED", obj("Deployment", "web", "8", { namespace: ns }));
      const changed = await reader.nextChange();
      assert.deepEqual(changed.map((c) => `${c.namespace}/${c.name}`), [`${ns}/web`]);
      assert.equal(second.namespace, wide ? "" : "ns");
      // Events keep the deadline from firing.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 40));
        second.push("BOOKMARK", { metadata: { resourceVersion: String(9 + i) } });
      }
      assert.equal(second.closed, false, "a stream that delivers stays open");
    } finally {
      await shut(reader);
    }
  });
}

Deno.test("budget: a burst, then one request per refill period", () => {
  let t = 0;
  const b = createBudget({ burst: 3, refillMs: 1000 }, () => t);
  assert.deepEqual([b.take(), b.take(), b.take()], [0, 0, 0]);
  assert.equal(b.take(), 1000);
  t = 500;
  assert.equal(b.take(), 500);
  t = 1000;
  assert.equal(b.take(), 0);
  t = 100_000;
  assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [0, 0, 0, 1000]);
});
