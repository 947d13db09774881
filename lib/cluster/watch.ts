/**
 * The watch-backed cluster reader: per (GroupKind, namespace) it needs, one
 * LIST then one WATCH kept open (`informer.ts`), objects held in memory and
 * indexed by name and by controller. Reads are answered from memory, a
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
  type Informer,
  type InformerSleep,
  type InformerStats,
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
}

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
}

const pairKey = (gk: GroupKind, namespace: string) => `${groupKindKey(gk)}|${namespace}`;

/**
 * Creates a reader that lists and watches what `args.identifiers` (and
 * their child kinds) need, starting at once. Problems of one pair (Forbidden,
 * NotFound, a kind not served yet) are returned by the reads that need that
 * pair, as the caching reader does, and retried in the background.
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
  const waiters = new Set<() => void>();
  let synced = false;

  const report = (ids: Iterable<ObjectIdentifier>) => {
    for (const id of ids) pending.set(identifierKey(id), id);
    if (pending.size === 0) return;
    // One waiter takes everything; the engine has only one at a time.
    const first = waiters.values().next();
    if (!first.done) first.value();
  };

  /** The identifiers a change of a whole pair concerns: its own, and their parents'. */
  const concerning = (gk: GroupKind, namespace: string): ObjectIdentifier[] => {
    const key = groupKindKey(gk);
    return args.identifiers.filter((id) =>
      id.namespace === namespace &&
      (groupKindKey(id) === key || args.childKinds(id).some((c) => groupKindKey(c) === key))
    );
  };

  const informers = new Map<string, Informer>();
  for (const { gk, namespace } of cachePairs(args)) {
    informers.set(
      pairKey(gk, namespace),
      startInformer(api, gk, namespace, {
        signal: lifetime.signal,
        backoff: options.backoff,
        watchTimeoutSeconds: options.watchTimeoutSeconds,
        sleep: options.sleep,
        onChange(names) {
          report(
            names === "all"
              ? concerning(gk, namespace)
              : names.map((name) => ({ group: gk.group, kind: gk.kind, namespace, name })),
          );
        },
      }),
    );
  }
  const closed = Promise.all([...informers.values()].map((i) => i.done)).then(() => {});

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
      const items = ready(gk, namespace).informer.list();
      return selector ? items.filter((o) => selector.matches(labelsOf(o))) : items;
    });

  return {
    get(id) {
      return answer(() => {
        const { informer, mapping } = ready(id, id.namespace);
        const obj = informer.get(id.name);
        if (!obj) throw new ResourceNotFoundError(notFoundMessage(mapping, id.name), id);
        return obj;
      });
    },
    listNamespaceScoped: (gk, namespace, selector) => list(gk, namespace, selector),
    listClusterScoped: (gk, selector) => list(gk, "", selector),
    listControlledBy(gk, namespace, ownerUid) {
      return answer(() => ready(gk, namespace).informer.controlledBy(ownerUid));
    },
    async sync(callOptions) {
      if (synced) return;
      await abortable(
        Promise.all([...informers.values()].map((i) => i.firstSync)),
        callOptions?.signal,
      );
      synced = true;
    },
    nextChange(callOptions) {
      const signal = callOptions?.signal;
      const take = () => {
        const ids = [...pending.values()];
        pending.clear();
        return ids;
      };
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (lifetime.signal.aborted) return Promise.reject(lifetime.signal.reason);
      if (pending.size > 0) return Promise.resolve(take());
      return new Promise<ObjectIdentifier[]>((resolve, reject) => {
        const cleanup = () => {
          waiters.delete(wake);
          signal?.removeEventListener("abort", onAbort);
          lifetime.signal.removeEventListener("abort", onClose);
        };
        const wake = () => {
          cleanup();
          resolve(take());
        };
        const onAbort = () => {
          cleanup();
          reject(signal!.reason);
        };
        const onClose = () => {
          cleanup();
          reject(lifetime.signal.reason);
        };
        waiters.add(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
        lifetime.signal.addEventListener("abort", onClose, { once: true });
      });
    },
    close() {
      if (!lifetime.signal.aborted) {
        lifetime.abort(new DOMException("the watch cluster reader was closed", "AbortError"));
      }
      pending.clear();
    },
    closed,
    stats() {
      const total: InformerStats = { lists: 0, watches: 0, relists: 0, bookmarks: 0, events: 0 };
      for (const informer of informers.values()) {
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

/** `promise`, or the signal's reason as soon as it aborts; no listener left behind. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
