/**
 * The engine tests' rig: an engine over an in-memory cluster, read through
 * one of the three cluster readers (direct, caching or watch-backed), on a
 * manual clock. `eachReader` declares a test once per reader, so the
 * engine's rules are checked against all three.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type BackoffOptions,
  cachingClusterReaderFactory,
  type CallOptions,
  type Clock,
  type ClusterReader,
  type ClusterReaderArgs,
  type ClusterReaderFactory,
  createDirectClusterReader,
  createManualClock,
  createMemoryCluster,
  type KubeObject,
  type ManualClock,
  type MemoryCluster,
  type ResourceStatus,
  type RestMapper,
  type StatusReaderRegistry,
  systemClock,
  type WatchClusterReader,
  watchClusterReaderFactory,
  type WatchKubeApi,
} from "../../mod.ts";
import { settle, test } from "./fixtures.ts";
import { type TestPoller, updatesPoller } from "../support/poller.ts";

/** The three cluster readers the engine's suite runs against. */
export const READERS = ["direct", "caching", "watch"] as const;
/** One of {@linkcode READERS}. */
export type ReaderKind = typeof READERS[number];

/** When the rig's clock starts. */
export const START = Date.parse("2025-01-01T00:00:00Z");
/** The poll interval of the rig's tests. */
export const INTERVAL = 1000;

/**
 * The watch reader's retry pauses in these tests: no jitter and all shorter
 * than {@linkcode INTERVAL} (50, 100, 200, 200... ms), so that a retry falls
 * between two ticks and the three readers recover at the same tick.
 */
export const WATCH_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 400, random: () => 0 };

/** A factory of the chosen reader over `api`; the watch reader's pauses run on `clock`. */
export function readerFactory(
  kind: ReaderKind,
  api: WatchKubeApi,
  clock: Clock = systemClock,
): ClusterReaderFactory {
  if (kind === "direct") return () => createDirectClusterReader(api);
  if (kind === "caching") return cachingClusterReaderFactory(api);
  return watchClusterReaderFactory(api, {
    backoff: WATCH_BACKOFF,
    sleep: (ms, signal) => clock.sleep(ms, signal),
    now: () => clock.now(),
  });
}

/** Declares the test `name` once per reader, named `direct: name`, `caching: name`... */
export function eachReader(name: string, fn: (kind: ReaderKind) => Promise<void> | void): void {
  for (const kind of READERS) test(`${kind}: ${name}`, () => fn(kind));
}

/** An engine over a memory cluster, reading through one reader. */
export interface Rig {
  /** Which reader. */
  kind: ReaderKind;
  /** The cluster the reader reads. */
  cluster: MemoryCluster;
  /** The engine's clock (manual unless the system clock was asked for). */
  clock: ManualClock;
  /** The engine. */
  engine: TestPoller;
  /** Cluster readers the engine created and closed so far. */
  readers: { created: number; closed: number };
  /** How many times the engine called `sync` (once per full cycle). */
  syncs(): number;
  /**
   * Runs before every `sync` with its 1-based number: throw (or reject) to
   * fail that cycle, await something to make it slow.
   */
  onSync?: (n: number, options?: CallOptions) => unknown;
  /** One tick: the clock moves on by the interval and the engine runs its cycle. */
  tick(): Promise<void>;
  /**
   * Asserts, once polling ended, that nothing is left: every reader closed,
   * the watch reader's loops stopped, no WATCH open, no sleeper on the clock.
   */
  released(): Promise<void>;
}

/** Options of {@linkcode rig}. */
export interface RigOptions {
  /** The engine's mapper instead of the cluster's. */
  mapper?: RestMapper;
  /** The engine's status readers. */
  registry?: StatusReaderRegistry;
  /** The engine runs on the system clock (the rig's `clock` is then unused). */
  systemClock?: boolean;
  /** The API the reader uses instead of the cluster's. */
  api?: (cluster: MemoryCluster) => WatchKubeApi;
  /** The engine's `tickRecheck`. */
  tickRecheck?: (status: ResourceStatus) => boolean;
}

/** An engine polling a memory cluster holding `objects` through the `kind` reader. */
export function rig(kind: ReaderKind, objects: KubeObject[] = [], o: RigOptions = {}): Rig {
  const cluster = createMemoryCluster(objects);
  const clock = createManualClock(START);
  const engineClock = o.systemClock ? systemClock : clock;
  const base = readerFactory(kind, o.api?.(cluster) ?? cluster.api, engineClock);
  const made: ClusterReader[] = [];
  let syncs = 0;
  const readers = { created: 0, closed: 0 };
  const factory = async (args: ClusterReaderArgs) => {
    const reader = await base(args);
    readers.created++;
    made.push(reader);
    const sync = reader.sync.bind(reader);
    const close = reader.close?.bind(reader);
    return Object.assign(reader, {
      async sync(options?: CallOptions) {
        const n = ++syncs;
        await r.onSync?.(n, options);
        return sync(options);
      },
      close() {
        readers.closed++;
        close?.();
      },
    });
  };
  const engine = updatesPoller({
    mapper: o.mapper ?? cluster.mapper,
    clusterReaderFactory: factory,
    statusReaders: o.registry,
    clock: engineClock,
    tickRecheck: o.tickRecheck,
  });
  const r: Rig = {
    kind,
    cluster,
    clock,
    engine,
    readers,
    syncs: () => syncs,
    async tick() {
      await clock.advance(INTERVAL);
      await settle();
    },
    async released() {
      assert.equal(readers.closed, readers.created, "a cluster reader was left open");
      await Promise.all(made.map((m) => (m as Partial<WatchClusterReader>).closed));
      await settle();
      assert.equal(cluster.openWatches, 0, "a WATCH was left open");
      assert.equal(clock.sleepers, 0, "a sleeper was left on the clock");
    },
  };
  return r;
}

/** Settles until `done()` holds, failing with `what` after many rounds. */
export async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) await settle();
  assert.ok(done(), `still waiting for ${what}`);
}
