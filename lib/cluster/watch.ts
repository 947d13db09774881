/**
 * The watch-backed cluster reader: per (GroupKind, namespace) it needs, one
 * LIST then one WATCH kept open (`informer.ts`), objects held in memory and
 * indexed by name and by controller. A kind needed in many namespaces is
 * listed and watched once, cluster-wide, when the user may (a 403 falls back
 * to one pair per namespace). Reads are answered from memory, a
 * steady `sync` costs no request, and `nextChange` tells the engine which
 * objects changed as soon as the API server says so.
 *
 * @module
 */

import { KstatusError } from "../errors.ts";
import { groupKindKey, identifierKey } from "../groupkind.ts";
import { labelsOf, type Selector } from "../selector.ts";
import type { GroupKind, ObjectIdentifier } from "../types.ts";
import { cachePairs } from "./caching.ts";
import { notFoundMessage, ResourceNotFoundError } from "./errors.ts";
import {
  type BackoffOptions,
  emptyStats,
  type Informer,
  type InformerOptions,
  type InformerSleep,
  type InformerStats,
  type RequestBudget,
  startInformer,
  type WatchKubeApi,
} from "./informer.ts";
import type {
  CallOptions,
  ClusterReader,
  ClusterReaderArgs,
  ClusterReaderFactory,
} from "./types.ts";

export type {
  BackoffOptions,
  InformerSleep,
  InformerStats,
  RequestBudget,
  WatchKubeApi,
  WatchRequestOptions,
  WatchStreamEvent,
} from "./informer.ts";

/** Options of {@linkcode createWatchClusterReader}. */
export interface WatchReaderOptions {
  /** Reconnection and retry backoff; default 500 ms doubling up to 5 s, jittered. */
  backoff?: BackoffOptions;
  /** Server-side timeout of each watch (renewed by a resume); default 5-10 minutes, random. */
  watchTimeoutSeconds?: number;
  /** Sleep between retries; default real time. */
  sleep?: InformerSleep;
  /** Request budget of each pair; default 6 at once, then one per 2 s. */
  budget?: RequestBudget;
  /** A watch silent for this long is resumed from its resourceVersion; default 30 s, 0: never. */
  idleTimeoutMs?: number;
  /** Clock of the budgets; default `Date.now`. */
  now?: () => number;
  /**
   * A kind needed in at least this many namespaces is listed and watched once, cluster-wide,
   * keeping only the objects of those namespaces; if the server refuses that (403), one pair
   * per namespace as below. Default 10; `0`: never.
   */
  clusterWideThreshold?: number;
}

/** Default of {@linkcode WatchReaderOptions.clusterWideThreshold}. */
export const CLUSTER_WIDE_THRESHOLD = 10;

/** A watch-backed ClusterReader: `nextChange` and `close` are always there. */
export interface WatchClusterReader extends ClusterReader {
  /** Resolves with the objects changed since the last call, as soon as there is one. */
  nextChange(options?: CallOptions): Promise<ObjectIdentifier[]>;
  /** Aborts every watch and retry timer. */
  close(): void;
  /** Resolves when every list+watch loop has stopped (after `close`). */
  readonly closed: Promise<void>;
  /** Requests and events so far, summed over the pairs. */
  stats(): InformerStats;
  /** The kinds listed and watched cluster-wide now (`apps/Deployment`, `Pod`). */
  clusterWide(): string[];
}

const pairKey = (gk: GroupKind, namespace: string) => `${groupKindKey(gk)}|${namespace}`;

/**
 * Creates a reader that lists and watches what `args.identifiers` (and
 * their child kinds) need, starting at once. Problems of one pair (Forbidden,
 * NotFound, a kind not served yet) are returned by the reads that need that
 * pair, as the caching reader does, and retried in the background. A kind
 * needed in `clusterWideThreshold` namespaces or more is read by one
 * cluster-wide LIST and WATCH, which falls back to per-namespace pairs when
 * the server refuses it (403: asking first would cost a request more).
 *
 * @example
 * ```ts ignore
 * const engine = createStatusPoller({
 *   mapper: client.mapper,
 *   clusterReaderFactory: watchClusterReaderFactory(client),
 * });
 * // Events arrive as soon as the API server reports a change; ticks re-check time-based rules.
 * for await (const event of engine.poll(ids, { pollInterval: 30_000, signal })) console.log(event);
 * ```
 */
export function createWatchClusterReader(
  api: WatchKubeApi,
  args: ClusterReaderArgs,
  options: WatchReaderOptions = {},
): WatchClusterReader {
  const lifetime = new AbortController();
  const pending = new Map<string, ObjectIdentifier>();
  // Who waits in nextChange. Abort listeners are added once per signal, not once per wait: adding
  // and removing two listeners per change was a few percent of a large rollout's JavaScript.
  const waiters = new Set<Waiter>();
  const listening = new WeakSet<AbortSignal>();
  const failWaiters = (signal: AbortSignal) => {
    for (const w of waiters) {
      if (w.signal === signal || signal === lifetime.signal) {
        waiters.delete(w);
        w.reject(signal.reason);
      }
    }
  };
  const listenTo = (signal: AbortSignal) => {
    if (listening.has(signal)) return;
    listening.add(signal);
    signal.addEventListener("abort", () => failWaiters(signal), { once: true });
  };
  listenTo(lifetime.signal);
  let synced = false;

  /** Every change reported since the last take. */
  const take = () => {
    const ids = [...pending.values()];
    pending.clear();
    return ids;
  };

  const report = (ids: Iterable<ObjectIdentifier>) => {
    for (const id of ids) pending.set(identifierKey(id), id);
    if (pending.size === 0) return;
    // One waiter takes everything; the engine has only one at a time.
    const first = waiters.values().next();
    if (!first.done) {
      waiters.delete(first.value);
      first.value.resolve(take());
    }
  };

  /** The identifiers a change of a whole pair concerns: its own, and their parents'. */
  const concerning = (gk: GroupKind, namespace: string): ObjectIdentifier[] => {
    const key = groupKindKey(gk);
    return args.identifiers.filter((id) =>
      id.namespace === namespace &&
      (groupKindKey(id) === key || args.childKinds(id).some((c) => groupKindKey(c) === key))
    );
  };

  // What answers each pair: its own informer, or its kind's cluster-wide one.
  const informers = new Map<string, Informer>();
  // Every informer started (fallbacks included), for `closed` and `stats`.
  const started: Informer[] = [];
  // What `sync` waits for: one promise per pair, or per kind read cluster-wide.
  const firstSyncs: Promise<void>[] = [];
  const wide = new Set<string>();

  const start = (
    gk: GroupKind,
    namespace: string,
    onChange: InformerOptions["onChange"],
    extra: Pick<InformerOptions, "namespaces" | "onForbidden"> = {},
  ): Informer => {
    const informer = startInformer(api, gk, namespace, {
      signal: lifetime.signal,
      backoff: options.backoff,
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      sleep: options.sleep,
      budget: options.budget,
      idleTimeoutMs: options.idleTimeoutMs,
      now: options.now,
      onChange,
      ...extra,
    });
    started.push(informer);
    return informer;
  };

  /** One pair: LIST and WATCH in `namespace`. */
  const startPair = (gk: GroupKind, namespace: string) =>
    start(gk, namespace, (changed) =>
      report(
        changed === "all"
          ? concerning(gk, namespace)
          : changed.map(({ name }) => ({ group: gk.group, kind: gk.kind, namespace, name })),
      ));

  /** One kind across `namespaces`, cluster-wide; per namespace again if that is refused. */
  const startWide = (gk: GroupKind, namespaces: string[]) => {
    const wanted = new Set(namespaces);
    let fellBack = false;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const synced = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    synced.catch(() => {}); // `sync` awaits it; nobody else must see an unhandled rejection
    const shared = start(gk, "", (changed) => {
      if (changed === "all") return report(namespaces.flatMap((ns) => concerning(gk, ns)));
      report(changed.flatMap(({ namespace, name }) =>
        // A cluster-scoped kind (all in `""`) concerns every namespace it was wanted in.
        (namespace === "" ? namespaces : [namespace])
          .map((ns) => ({ group: gk.group, kind: gk.kind, namespace: ns, name }))
      ));
    }, {
      namespaces: wanted,
      onForbidden() {
        fellBack = true;
        wide.delete(groupKindKey(gk));
        // Nothing held yet (the LIST was refused): the pairs answer at once. Otherwise (the
        // WATCH was refused) what is held answers until each pair has listed, then the
        // engine re-reads what that pair concerns.
        const held = shared.state().kind !== "pending";
        const pairs = namespaces.map((ns) => {
          const pair = startPair(gk, ns);
          if (!held) informers.set(pairKey(gk, ns), pair);
          else {
            pair.firstSync.then(() => {
              informers.set(pairKey(gk, ns), pair);
              report(concerning(gk, ns));
            }, () => {});
          }
          return pair.firstSync;
        });
        Promise.all(pairs).then(resolve, reject);
      },
    });
    shared.firstSync.then(() => {
      if (!fellBack) resolve();
    }, reject);
    wide.add(groupKindKey(gk));
    for (const ns of namespaces) informers.set(pairKey(gk, ns), shared);
    firstSyncs.push(synced);
  };

  // Kinds needed in many namespaces are read cluster-wide; the rest pair by pair.
  const threshold = options.clusterWideThreshold ?? CLUSTER_WIDE_THRESHOLD;
  const pairs = cachePairs(args);
  const namespacesOf = new Map<string, { gk: GroupKind; namespaces: string[] }>();
  for (const { gk, namespace } of pairs) {
    if (namespace === "") continue;
    const key = groupKindKey(gk);
    const entry = namespacesOf.get(key);
    if (entry) entry.namespaces.push(namespace);
    else namespacesOf.set(key, { gk, namespaces: [namespace] });
  }
  for (const { gk, namespaces } of namespacesOf.values()) {
    if (threshold > 0 && namespaces.length >= threshold) startWide(gk, namespaces);
  }
  for (const { gk, namespace } of pairs) {
    if (informers.has(pairKey(gk, namespace))) continue;
    const informer = startPair(gk, namespace);
    informers.set(pairKey(gk, namespace), informer);
    firstSyncs.push(informer.firstSync);
  }
  // Fallback pairs are started inside a loop that has not ended yet: they are in `started`
  // before the `done` awaited here resolves, and awaited in turn.
  const closed = (async () => {
    for (let seen = 0; seen < started.length;) {
      const batch = started.slice(seen);
      seen = started.length;
      await Promise.all(batch.map((i) => i.done));
    }
  })();

  /** The mapping and objects of a pair; rejects with the pair's stored error. */
  const ready = (gk: GroupKind, namespace: string) => {
    const informer = informers.get(pairKey(gk, namespace));
    if (!informer) {
      throw new KstatusError(
        `GroupKind ${groupKindKey(gk)} and namespace "${namespace}" not found in cache`,
      );
    }
    const state = informer.state();
    if (state.kind === "error") throw state.error;
    if (state.kind === "pending") {
      throw new KstatusError(
        `GroupKind ${groupKindKey(gk)} and namespace "${namespace}" not synced yet`,
      );
    }
    return { informer, mapping: state.mapping };
  };

  // Failures must reject, not throw: callers may chain on the promise without awaiting.
  const answer = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(e);
    }
  };

  const list = (gk: GroupKind, namespace: string, selector: Selector | undefined) =>
    answer(() => {
      const items = ready(gk, namespace).informer.list(namespace);
      return selector ? items.filter((o) => selector.matches(labelsOf(o))) : items;
    });

  return {
    get(id) {
      return answer(() => {
        const { informer, mapping } = ready(id, id.namespace);
        const obj = informer.get(id.name, id.namespace);
        if (!obj) throw new ResourceNotFoundError(notFoundMessage(mapping, id.name), id);
        return obj;
      });
    },
    listNamespaceScoped: (gk, namespace, selector) => list(gk, namespace, selector),
    listClusterScoped: (gk, selector) => list(gk, "", selector),
    listControlledBy(gk, namespace, ownerUid) {
      return answer(() => ready(gk, namespace).informer.controlledBy(ownerUid, namespace));
    },
    async sync(callOptions) {
      if (synced) return;
      await abortable(Promise.all(firstSyncs), callOptions?.signal);
      synced = true;
    },
    nextChange(callOptions) {
      const signal = callOptions?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (lifetime.signal.aborted) return Promise.reject(lifetime.signal.reason);
      if (pending.size > 0) return Promise.resolve(take());
      if (signal) listenTo(signal);
      return new Promise<ObjectIdentifier[]>((resolve, reject) => {
        waiters.add({ signal, resolve, reject });
      });
    },
    close() {
      if (!lifetime.signal.aborted) {
        lifetime.abort(new DOMException("the watch cluster reader was closed", "AbortError"));
      }
      pending.clear();
    },
    closed,
    clusterWide: () => [...wide],
    stats() {
      const total = emptyStats();
      for (const informer of started) {
        const s = informer.stats();
        for (const k of Object.keys(total) as Array<keyof InformerStats>) total[k] += s[k];
      }
      return total;
    },
  };
}

/**
 * A factory for {@linkcode createWatchClusterReader}: `kstatus wait --reader watch`.
 *
 * @example
 * ```ts ignore
 * const engine = createStatusPoller({ mapper: client.mapper, clusterReaderFactory: watchClusterReaderFactory(client) });
 * ```
 */
export function watchClusterReaderFactory(
  api: WatchKubeApi,
  options?: WatchReaderOptions,
): ClusterReaderFactory {
  return (args) => createWatchClusterReader(api, args, options);
}

/** A caller of `nextChange` waiting for changes. */
interface Waiter {
  signal?: AbortSignal;
  resolve(ids: ObjectIdentifier[]): void;
  reject(reason: unknown): void;
}

/** `promise`, or the signal's reason as soon as it aborts; no listener left behind. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // nobody waits for it any more: its failure is not news
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
