/**
 * `createStatusPoller`: a {@linkcode PollerEngine} wired with the defaults (the built-in status
 * readers, the generic reader, fail-on, a rule set), as the Go original's `polling.go` does.
 * The engine itself takes everything it uses as options.
 *
 * @module
 */

import { genericStatusReader } from "../readers/base.ts";
import { type FailOnReason, withFailOn } from "../readers/fail_on.ts";
import { defaultStatusReaders } from "../readers/registry.ts";
import type { ClusterReaderFactory, RestMapper } from "./cluster/types.ts";
import type { Clock } from "./engine/clock.ts";
import { PollerEngine } from "./engine/poller.ts";
import type { ComputeFn, StatusReader, StatusReaderRegistry } from "./status_reader.ts";
import type { ResourceStatus } from "./types.ts";

/** What {@linkcode createStatusPoller} needs; everything but the mapper and factory is optional. */
export interface StatusPollerOptions {
  /** Resolves kinds to resources and scopes. */
  mapper: RestMapper;
  /** Builds the cluster reader for each `poll()` (direct, caching, watch, or your own). */
  clusterReaderFactory: ClusterReaderFactory;
  /** Status readers by `group/Kind`; defaults to `defaultStatusReaders()`. */
  statusReaders?: StatusReaderRegistry;
  /**
   * How objects are judged: a rule set's `compute` (see `createRuleSet`); defaults to the
   * contract (`computeStatus`).
   */
  compute?: ComputeFn;
  /**
   * Pod problems that make the pod and its InProgress owners Failed at once
   * (opt-in, beyond the contract): see `withFailOn`.
   */
  failOn?: readonly FailOnReason[];
  /** Time source; tests inject a manual clock. */
  clock?: Clock;
  /**
   * With a cluster reader that reports every change (the watch reader), which resources a tick
   * reads again: pass `tickRecheck` (the built-in rules' answer) to skip the settled ones.
   * Default: every resource on every tick. See `PollerEngineOptions.tickRecheck`.
   */
  tickRecheck?: (status: ResourceStatus) => boolean;
  /**
   * Applied to the status of each polled resource (not its children) before the engine
   * compares it with the last one, e.g. a wait's goal judge: what it changes is an event too.
   */
  transform?: (status: ResourceStatus) => ResourceStatus;
}

/**
 * A poller with the default readers, the generic reader for every other kind, and the
 * options' fail-on reasons and rule set applied.
 *
 * @example
 * ```ts
 * import { createMemoryCluster, createStatusPoller } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster([
 *   { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "ns" } },
 * ]);
 * const poller = createStatusPoller({
 *   mapper: cluster.mapper,
 *   clusterReaderFactory: () => cluster.reader,
 * });
 * const id = { group: "", kind: "ConfigMap", namespace: "ns", name: "cfg" };
 * for await (const event of poller.poll([id], { pollInterval: 2000 })) {
 *   if (event.type !== "ResourceUpdate") continue;
 *   console.log(event.resource.status); // "Current"
 *   break;
 * }
 * ```
 */
export function createStatusPoller(options: StatusPollerOptions): PollerEngine {
  const readers = options.statusReaders ?? defaultStatusReaders();
  const failOn = options.failOn ?? [];
  const withFail = failOn.length > 0 ? withFailOn(readers, failOn) : readers;
  const transform = options.transform;
  return new PollerEngine({
    mapper: options.mapper,
    clusterReaderFactory: options.clusterReaderFactory,
    statusReaders: transform ? transformed(withFail, transform) : withFail,
    defaultStatusReader: transform
      ? transformReader(genericStatusReader, transform)
      : genericStatusReader,
    compute: options.compute,
    clock: options.clock,
    tickRecheck: options.tickRecheck,
  });
}

/**
 * The registry with `transform` applied to what `readStatus` returns: the engine reads its
 * targets with `readStatus`, readers read children with `readStatusForObject`.
 */
function transformed(
  registry: StatusReaderRegistry,
  transform: (status: ResourceStatus) => ResourceStatus,
): StatusReaderRegistry {
  return new Map([...registry].map(([key, reader]) => [key, transformReader(reader, transform)]));
}

function transformReader(
  reader: StatusReader,
  transform: (status: ResourceStatus) => ResourceStatus,
): StatusReader {
  return { ...reader, readStatus: async (ctx, id) => transform(await reader.readStatus(ctx, id)) };
}
