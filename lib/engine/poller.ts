/**
 * The polling engine: `poll()` is an async generator of events. One poll at
 * once, then one per interval; an event only when a resource's status
 * changed. Breaking out of the loop or aborting the signal stops everything.
 *
 * @module
 */

import { isCancellation, isNoMatch } from "../cluster/errors.ts";
import type {
  ClusterReader,
  ClusterReaderFactory,
  ResourceMapping,
  RestMapper,
} from "../cluster/types.ts";
import { KstatusError } from "../errors.ts";
import { formatGroupKind, groupKindKey, groupOf, identifierKey } from "../groupkind.ts";
import { resourceStatusEqual } from "../resource_status.ts";
import {
  type ComputeFn,
  lookupStatusReader,
  statusFromError,
  type StatusReader,
  type StatusReaderContext,
  type StatusReaderRegistry,
} from "../status_reader.ts";
import type { GroupKind, ObjectIdentifier, ResourceStatus } from "../types.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Event } from "./events.ts";

/**
 * How to build a {@linkcode PollerEngine}: everything is given, nothing is defaulted here
 * (`createStatusPoller` wires the defaults).
 */
export interface PollerEngineOptions {
  /** Resolves kinds to resources and scopes. */
  mapper: RestMapper;
  /** Builds the cluster reader for each `poll()` (direct, caching, watch, or your own). */
  clusterReaderFactory: ClusterReaderFactory;
  /** Status readers by `group/Kind`. */
  statusReaders: StatusReaderRegistry;
  /** The reader for kinds without an entry in `statusReaders`. */
  defaultStatusReader: StatusReader;
  /** How readers compute an object's own status (a rule set); readers default to the contract. */
  compute?: ComputeFn;
  /** Time source; tests inject a manual clock. Defaults to the system clock. */
  clock?: Clock;
  /**
   * With a cluster reader that reports every change (`nextChange`, the watch reader), which
   * resources a tick reads again, given their last status: those a change cannot reach, such as
   * verdicts that depend on time or reads that failed. Default: every resource, as the Go
   * original does. A resource never read, and every resource after the change feed failed, is
   * always read.
   */
  tickRecheck?: (status: ResourceStatus) => boolean;
}

/** Options of {@linkcode PollerEngine.poll}. */
export interface PollOptions {
  /** Milliseconds between the starts of two polls (default 2000; must be > 0). */
  pollInterval?: number;
  /** Aborting ends the stream and cancels in-flight requests. */
  signal?: AbortSignal;
}

/**
 * Polls the status of a set of resources.
 *
 * @example
 * ```ts
 * import {
 *   createMemoryCluster,
 *   defaultStatusReaders,
 *   genericStatusReader,
 *   PollerEngine,
 * } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster([
 *   { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "ns" } },
 * ]);
 * const engine = new PollerEngine({
 *   mapper: cluster.mapper,
 *   clusterReaderFactory: () => cluster.reader,
 *   statusReaders: defaultStatusReaders(),
 *   defaultStatusReader: genericStatusReader,
 * });
 * const id = { group: "", kind: "ConfigMap", namespace: "ns", name: "cfg" };
 * for await (const event of engine.poll([id], { pollInterval: 2000 })) {
 *   if (event.type !== "ResourceUpdate") continue; // a Sync event starts each full cycle
 *   console.log(event.resource.status); // "Current"
 *   break;
 * }
 * ```
 */
export class PollerEngine {
  #mapper: RestMapper;
  #factory: ClusterReaderFactory;
  #registry: StatusReaderRegistry;
  #fallback: StatusReader;
  #compute?: ComputeFn;
  #clock: Clock;
  #tickRecheck?: (status: ResourceStatus) => boolean;

  /**
   * Creates an engine; nothing is read until {@linkcode PollerEngine.poll}.
   *
   * @param options the mapper, cluster reader factory, status readers and clock
   */
  constructor(options: PollerEngineOptions) {
    this.#mapper = options.mapper;
    this.#factory = options.clusterReaderFactory;
    this.#registry = options.statusReaders;
    this.#fallback = options.defaultStatusReader;
    this.#compute = options.compute;
    this.#clock = options.clock ?? systemClock;
    this.#tickRecheck = options.tickRecheck;
  }

  /**
   * The kinds the readers list to find the children of `gk`, transitively
   * (Deployment → ReplicaSet → Pod).
   */
  childKinds(gk: GroupKind): GroupKind[] {
    const out: GroupKind[] = [];
    const seen = new Set([groupKindKey(gk)]);
    const visit = (kind: GroupKind) => {
      const reader = lookupStatusReader(this.#registry, kind, this.#fallback);
      for (const child of reader.childKinds ?? []) {
        const key = groupKindKey(child);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(child);
        visit(child);
      }
    };
    visit(gk);
    return out;
  }

  /**
   * Polls `identifiers` until the signal is aborted or the consumer stops
   * iterating. Per-resource problems arrive as `ResourceUpdate`s with status
   * `NotFound` or `Unknown`; only problems that stop the engine are `Error`
   * events (after which the stream ends).
   *
   * @example
   * ```ts ignore
   * const engine = createStatusPoller({ mapper, clusterReaderFactory });
   * for await (const event of engine.poll(ids, { pollInterval: 2000, signal })) {
   *   if (event.type === "ResourceUpdate") console.log(event.resource.status);
   * }
   * ```
   */
  async *poll(
    identifiers: readonly ObjectIdentifier[],
    options: PollOptions = {},
  ): AsyncGenerator<Event, void, undefined> {
    const interval = options.pollInterval ?? 2000;
    if (!(interval > 0)) throw new RangeError(`pollInterval must be > 0, got ${interval}`);
    const outer = options.signal;
    if (outer?.aborted) return;
    // Our own controller, so that a consumer breaking out also cancels in-flight work.
    const controller = new AbortController();
    const onAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener("abort", onAbort, { once: true });
    const signal = controller.signal;
    let cluster: ClusterReader | undefined;
    try {
      const problem = await this.#validate(identifiers, signal);
      if (problem === "cancelled") return;
      if (problem) {
        yield { type: "Error", error: problem };
        return;
      }
      try {
        cluster = await this.#factory({
          identifiers,
          mapper: this.#mapper,
          childKinds: (gk) => this.childKinds(gk),
        });
      } catch (e) {
        if (isCancellation(e, signal)) return;
        yield {
          type: "Error",
          error: new KstatusError(`error creating new ClusterReader: ${messageOf(e)}`, {
            cause: e,
          }),
        };
        return;
      }
      const ctx: StatusReaderContext = {
        cluster,
        mapper: this.#mapper,
        registry: this.#registry,
        now: () => new Date(this.#clock.now()),
        signal,
      };
      if (this.#compute) ctx.compute = this.#compute;
      const last = new Map<string, ResourceStatus>();
      const firstStart = this.#clock.now();
      // What to read next: everything on a tick, only the affected resources on a change.
      let targets: readonly ObjectIdentifier[] = identifiers;
      // Built once: a change batch must cost what it touches, not the number of identifiers.
      const positions = new Map(identifiers.map((id, i) => [identifierKey(id), i]));
      let fullCycle = true;
      let nextTick = firstStart;
      // With `tickRecheck` and a change feed: the keys whose last status a tick must read again,
      // kept as statuses arrive, so that a tick costs what is unsettled, not every resource.
      const recheck = this.#tickRecheck && cluster.nextChange ? this.#tickRecheck : undefined;
      const unsettled = new Set<string>();
      const waitForTickOrChange = tickOrChange(this.#clock, cluster, signal);
      while (!signal.aborted) {
        if (fullCycle) {
          try {
            await cluster.sync({ signal });
          } catch (e) {
            if (isCancellation(e, signal)) return;
            yield { type: "Error", error: asError(e) };
            return;
          }
          yield { type: "Sync" };
        }
        for (const id of targets) {
          if (signal.aborted) return;
          const reader = lookupStatusReader(this.#registry, id, this.#fallback);
          let status: ResourceStatus;
          try {
            status = await reader.readStatus(ctx, id);
          } catch (e) {
            if (isCancellation(e, signal)) return;
            // A reader that throws is a reader bug; report it on the resource, keep going.
            status = statusFromError(id, e, signal);
          }
          // Identity is what was asked, never what the answer says: a cluster-scoped kind whose
          // CRD came after the start still carries the manifest's namespace in `id`, and an
          // update under another identity would be a phantom resource that never completes.
          if (identifierKey(status.identifier) !== identifierKey(id)) {
            status = { ...status, identifier: id };
          }
          const key = identifierKey(id);
          if (recheck) {
            // Before the equality check: an equal status may rest on another object now.
            if (recheck(status)) unsettled.add(key);
            else unsettled.delete(key);
          }
          const previous = last.get(key);
          if (previous && resourceStatusEqual(previous, status)) continue;
          last.set(key, status);
          yield { type: "ResourceUpdate", resource: status };
        }
        // Ticks are aligned to the first poll; ticks missed during a long poll are dropped.
        // A tick that passed during a change cycle is still due: a steady stream of changes
        // must not starve the full cycles (and the time-based rules only they re-check).
        if (fullCycle) {
          const elapsed = this.#clock.now() - firstStart;
          nextTick = this.#clock.now() + interval - (elapsed % interval);
        }
        const next = await waitForTickOrChange(nextTick);
        if (next === "aborted") return;
        fullCycle = next === "tick" || next === "tick, feed failed";
        // A tick reads everything, or with `recheck` only what is unsettled: the first cycle read
        // every identifier, so each has a status there or not.
        if (next === "tick") {
          targets = recheck ? inOrder(unsettled, positions, identifiers) : identifiers;
        } else if (next === "tick, feed failed") targets = identifiers;
        else targets = await this.#affected(identifiers, positions, next, cluster, signal);
      }
    } finally {
      outer?.removeEventListener("abort", onAbort);
      controller.abort();
      cluster?.close?.();
    }
  }

  /**
   * The identifiers a change may concern: the changed object itself, or an
   * object of one of its child kinds in its namespace (a pod of a Deployment).
   */
  async #affected(
    identifiers: readonly ObjectIdentifier[],
    wanted: ReadonlyMap<string, number>,
    changed: readonly ObjectIdentifier[],
    cluster: ClusterReader,
    signal: AbortSignal,
  ): Promise<ObjectIdentifier[]> {
    const hit = new Set<string>();
    // Objects whose owners cannot be followed (deleted ones): fall back to every identifier
    // that has children of that kind in that namespace.
    const unresolved: ObjectIdentifier[] = [];
    for (const c of changed) {
      const chain = await this.#controllerChain(c, cluster, signal);
      if (!chain) unresolved.push(c);
      for (const key of chain ?? [identifierKey(c)]) if (wanted.has(key)) hit.add(key);
    }
    if (unresolved.length === 0) {
      // In the order given, as a full cycle reads them.
      return [...hit].map((key) => wanted.get(key)!).sort((a, b) => a - b).map((i) =>
        identifiers[i]
      );
    }
    const kindsInNamespace = new Set(unresolved.map((c) => `${c.namespace}|${groupKindKey(c)}`));
    return identifiers.filter((id) =>
      hit.has(identifierKey(id)) ||
      (kindsInNamespace.size > 0 &&
        this.childKinds(id).some((gk) =>
          kindsInNamespace.has(`${id.namespace}|${groupKindKey(gk)}`)
        ))
    );
  }

  /**
   * The keys of a changed object and of its controllers up the ownerReference
   * chain (Pod → ReplicaSet → Deployment), read from the cluster reader (in
   * memory for watch-backed readers); `undefined` when the object is gone.
   */
  async #controllerChain(
    id: ObjectIdentifier,
    cluster: ClusterReader,
    signal: AbortSignal,
  ): Promise<string[] | undefined> {
    const keys: string[] = [];
    let current: ObjectIdentifier | undefined = id;
    for (let depth = 0; current && depth < 8; depth++) {
      keys.push(identifierKey(current));
      let obj;
      try {
        obj = await cluster.get(current, { signal });
      } catch {
        return depth === 0 ? undefined : keys;
      }
      const refs = (obj.metadata as { ownerReferences?: unknown } | undefined)?.ownerReferences;
      const owner = Array.isArray(refs)
        ? refs.find((r) => r && typeof r === "object" && r.controller === true)
        : undefined;
      current = owner && typeof owner.kind === "string" && typeof owner.name === "string"
        ? {
          group: groupOf(String(owner.apiVersion ?? "")),
          kind: owner.kind,
          namespace: current.namespace,
          name: owner.name,
        }
        : undefined;
    }
    return keys;
  }

  /** Checks identifiers: a no-match kind is allowed (its CRD may come later). */
  async #validate(
    identifiers: readonly ObjectIdentifier[],
    signal: AbortSignal,
  ): Promise<Error | "cancelled" | undefined> {
    for (const id of identifiers) {
      let mapping: ResourceMapping;
      try {
        mapping = await this.#mapper.mapping(id, { signal });
      } catch (e) {
        if (isCancellation(e, signal)) return "cancelled";
        if (isNoMatch(e)) continue;
        return asError(e);
      }
      if (mapping.namespaced && !id.namespace) {
        return new KstatusError(
          `resource ${
            formatGroupKind(id)
          } ${id.name} is namespace scoped, but namespace is not set`,
          { resource: id },
        );
      }
    }
    return undefined;
  }
}

type TickOrChange = "tick" | "tick, feed failed" | "aborted" | ObjectIdentifier[];

/**
 * Waits until a tick (`nextTick`, in clock time), or until the cluster reader reports changed
 * objects (watch-backed readers), whichever comes first. The loser is kept for the next call
 * rather than cancelled: one timer per tick and one pending `nextChange` at a time, where a
 * timer, a controller and listeners per change were a visible cost with many changes.
 */
function tickOrChange(
  clock: Clock,
  cluster: ClusterReader,
  signal: AbortSignal,
): (nextTick: number) => Promise<TickOrChange> {
  let tick: { at: number; done: Promise<"tick" | "aborted"> } | undefined;
  let change: Promise<ObjectIdentifier[] | "failed" | "aborted"> | undefined;
  const tickAt = (at: number) => {
    if (tick?.at !== at) {
      tick = {
        at,
        done: clock.sleep(at - clock.now(), signal).then(() => "tick" as const, () => "aborted"),
      };
    }
    return tick.done;
  };
  return async (nextTick) => {
    if (signal.aborted) return "aborted";
    if (nextTick - clock.now() <= 0) return "tick";
    if (!cluster.nextChange) return await tickAt(nextTick);
    change ??= cluster.nextChange({ signal }).catch(() => signal.aborted ? "aborted" : "failed");
    const first = await Promise.race([tickAt(nextTick), change]);
    if (first === "tick" || first === "aborted") return first;
    change = undefined;
    if (first !== "failed") return first;
    // The change feed failed: wait for the tick, which reads everything (changes may be lost).
    // Polling at once would spin while it keeps failing.
    const at = await tickAt(nextTick);
    return at === "tick" ? "tick, feed failed" : at;
  };
}

/** The identifiers of `keys`, in the order of `identifiers` (whose positions are given). */
function inOrder(
  keys: ReadonlySet<string>,
  positions: ReadonlyMap<string, number>,
  identifiers: readonly ObjectIdentifier[],
): ObjectIdentifier[] {
  return [...keys].map((k) => positions.get(k)!).sort((a, b) => a - b).map((i) => identifiers[i]);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
