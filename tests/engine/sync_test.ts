// The engine's Sync event: one at the start of every full cycle (after the cluster reader's
// sync), none for the change cycles a watch-backed reader triggers. The CLI counts cycles by it.

import assert from "node:assert/strict";
import {
  createManualClock,
  createMemoryCluster,
  createStatusPoller,
  type Event,
} from "../../mod.ts";
import { configMap, id, settle } from "./fixtures.ts";
import { eachReader, INTERVAL, readerFactory, START } from "./rig.ts";

eachReader("sync: one Sync before each full cycle's updates, none for a change", async (kind) => {
  const cluster = createMemoryCluster([configMap("a")]);
  const clock = createManualClock(START);
  const engine = createStatusPoller({
    mapper: cluster.mapper,
    clusterReaderFactory: readerFactory(kind, cluster.api, clock),
    clock,
  });
  const ctl = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    for await (
      const e of engine.poll([id("", "ConfigMap", "a")], {
        pollInterval: INTERVAL,
        signal: ctl.signal,
      })
    ) {
      seen.push(describe(e));
    }
  })();
  await settle();
  assert.deepEqual(seen, ["Sync", "ResourceUpdate a Current"]);
  await clock.advance(INTERVAL);
  await settle();
  await clock.advance(INTERVAL);
  await settle();
  // Nothing changed: the two ticks are two full cycles, no update.
  assert.deepEqual(seen, ["Sync", "ResourceUpdate a Current", "Sync", "Sync"]);
  // A write: the watch reader re-reads at once (a change cycle, no Sync); the others see it at
  // the next tick (a full cycle, one Sync).
  cluster.put({ ...configMap("a"), data: { k: "v" } });
  await settle();
  if (kind === "watch") assert.equal(seen.filter((s) => s === "Sync").length, 3);
  await clock.advance(INTERVAL);
  await settle();
  assert.equal(seen.filter((s) => s === "Sync").length, 4);
  ctl.abort();
  await done;
});

function describe(e: Event): string {
  if (e.type === "ResourceUpdate") {
    return `ResourceUpdate ${e.resource.identifier.name} ${e.resource.status}`;
  }
  return e.type;
}
