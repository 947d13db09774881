/**
 * An in-memory cluster: a `KubeApi` (GET, LIST and WATCH), `RestMapper` and
 * direct `ClusterReader` over objects held in a Map. For tests (of every
 * cluster reader, the watch-backed one included), examples, and computing
 * statuses with children offline.
 *
 * @module
 */

import { groupKindKey, identifierOf } from "../groupkind.ts";
import { labelsOf, parseSelector } from "../selector.ts";
import type { GroupKind, KubeObject, ObjectIdentifier } from "../types.ts";
import { BUILTIN_MAPPINGS, resolveKindText } from "./builtin_kinds.ts";
import { createDirectClusterReader } from "./direct.ts";
import { KindNoMatchError, notFoundMessage, ResourceNotFoundError } from "./errors.ts";
import type { WatchKubeApi, WatchRequestOptions, WatchStreamEvent } from "./informer.ts";
import type { CallOptions, ClusterReader, ResourceMapping, RestMapper } from "./types.ts";

/** One call made to a {@linkcode MemoryCluster}'s API. */
export interface MemoryCall {
  /** `get`, `list` or `watch`. */
  verb: "get" | "list" | "watch";
  /** Kind asked for. */
  gk: GroupKind;
  /** Namespace (`""` for cluster-wide). */
  namespace: string;
}

/** An in-memory cluster: API, reader, mapper and ways to change it. */
export interface MemoryCluster {
  /**
   * The API as the Kubernetes client offers it. Every write (`put`,
   * `remove`) is a new resourceVersion, set on the object as the API server
   * does; LIST answers the current one and WATCH streams the changes after
   * the one it is given (a BOOKMARK when only other kinds changed, if asked),
   * until its signal aborts.
   */
  api: WatchKubeApi;
  /** A direct ClusterReader over the API. */
  reader: ClusterReader;
  /** A mapper knowing the built-in kinds plus the extra ones. */
  mapper: RestMapper;
  /** Adds or replaces an object. */
  put(obj: KubeObject): void;
  /** Removes an object. */
  remove(id: ObjectIdentifier): void;
  /** Adds a kind to the mapper (as when a CRD is installed). */
  addKind(mapping: ResourceMapping): void;
  /** Resolves typed kind names (`deploy`, `deployments.apps`) as the client's mapper does. */
  resolveKind(text: string): Promise<GroupKind>;
  /** Every API call so far, in order. */
  calls: MemoryCall[];
  /** WATCH streams open now: 0 once every watcher stopped or aborted. */
  readonly openWatches: number;
  /**
   * Runs before every API call; throw (or reject) from it to inject a
   * failure, or await something to delay the call.
   */
  hook?: (call: MemoryCall, options?: CallOptions) => unknown;
}

/**
 * Creates an in-memory cluster holding `objects`; `extraKinds` adds kinds
 * beyond the built-in ones.
 *
 * @example
 * ```ts
 * import { createMemoryCluster } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster([
 *   { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns" } },
 * ]);
 * const obj = await cluster.reader.get({ group: "", kind: "ConfigMap", namespace: "ns", name: "a" });
 * ```
 */
export function createMemoryCluster(
  objects: readonly KubeObject[] = [],
  extraKinds: readonly ResourceMapping[] = [],
): MemoryCluster {
  const store = new Map<string, KubeObject>();
  const kinds = new Map<string, ResourceMapping>();
  for (const m of [...BUILTIN_MAPPINGS, ...extraKinds]) kinds.set(groupKindKey(m), m);
  const keyOf = (id: ObjectIdentifier) => `${groupKindKey(id)}|${id.namespace}|${id.name}`;

  const mapper: RestMapper = {
    mapping(gk, options) {
      if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
      const m = kinds.get(groupKindKey(gk));
      return m ? Promise.resolve(m) : Promise.reject(new KindNoMatchError(gk));
    },
  };

  // Every write, in order: what a WATCH replays from a resourceVersion and then follows.
  // history[i] is resourceVersion i + 1; the current one is history.length.
  const history: { type: "ADDED" | "MODIFIED" | "DELETED"; obj: KubeObject }[] = [];
  const wakers = new Set<() => void>();
  /** Records a write: `obj` takes the new resourceVersion; returns the stamped copy. */
  const write = (type: "ADDED" | "MODIFIED" | "DELETED", obj: KubeObject) => {
    const stamped = withVersion(obj, history.length + 1);
    history.push({ type, obj: stamped });
    for (const wake of [...wakers]) wake();
    return stamped;
  };
  /** Resolves at the next write; rejects when `signal` aborts, leaving nothing registered. */
  const nextWrite = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        wakers.delete(wake);
        reject(signal!.reason);
      };
      const wake = () => {
        wakers.delete(wake);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      wakers.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  const calls: MemoryCall[] = [];
  let open = 0;
  const cluster: MemoryCluster = {
    calls,
    get openWatches() {
      return open;
    },
    mapper,
    put(obj) {
      const key = keyOf(identifierOf(obj));
      store.set(key, write(store.has(key) ? "MODIFIED" : "ADDED", obj));
    },
    remove(id) {
      const key = keyOf(id);
      const old = store.get(key);
      if (!old) return;
      store.delete(key);
      write("DELETED", old);
    },
    addKind(mapping) {
      kinds.set(groupKindKey(mapping), mapping);
    },
    resolveKind(text) {
      const m = resolveKindText(text, [...kinds.values()]);
      if (!m) {
        return Promise.reject(
          new KindNoMatchError({ group: "", kind: text }),
        );
      }
      return Promise.resolve({ group: m.group, kind: m.kind });
    },
    api: {
      mapper,
      async get(mapping, namespace, name, options) {
        const call: MemoryCall = { verb: "get", gk: mapping, namespace };
        calls.push(call);
        await cluster.hook?.(call, options);
        options?.signal?.throwIfAborted();
        const id = { group: mapping.group, kind: mapping.kind, namespace, name };
        const obj = store.get(keyOf(id));
        if (!obj) throw new ResourceNotFoundError(notFoundMessage(mapping, name), id);
        return structuredClone(obj);
      },
      async list(mapping, namespace, options) {
        const call: MemoryCall = { verb: "list", gk: mapping, namespace };
        calls.push(call);
        await cluster.hook?.(call, options);
        options?.signal?.throwIfAborted();
        const selector = options?.labelSelector ? parseSelector(options.labelSelector) : undefined;
        const items: KubeObject[] = [];
        for (const obj of store.values()) {
          const id = identifierOf(obj);
          if (id.group !== mapping.group || id.kind !== mapping.kind) continue;
          if (namespace && id.namespace !== namespace) continue;
          if (selector && !selector.matches(labelsOf(obj))) continue;
          items.push(structuredClone(obj));
        }
        return { items, resourceVersion: String(history.length) };
      },
      async *watch(
        mapping: ResourceMapping,
        namespace: string,
        options?: WatchRequestOptions,
      ): AsyncGenerator<WatchStreamEvent> {
        const call: MemoryCall = { verb: "watch", gk: mapping, namespace };
        calls.push(call);
        await cluster.hook?.(call, options);
        options?.signal?.throwIfAborted();
        let from = options?.resourceVersion ? Number(options.resourceVersion) : history.length;
        if (!Number.isSafeInteger(from) || from < 0) {
          throw new Error(`invalid resourceVersion "${options?.resourceVersion}"`);
        }
        open++;
        try {
          while (true) {
            const start = from;
            let sent = false;
            for (; from < history.length; from++) {
              const entry = history[from];
              const id = identifierOf(entry.obj);
              if (id.group !== mapping.group || id.kind !== mapping.kind) continue;
              if (namespace && id.namespace !== namespace) continue;
              sent = true;
              yield { type: entry.type, object: structuredClone(entry.obj) };
            }
            // Only other objects changed: a bookmark moves the watcher's resourceVersion on.
            if (from > start && !sent && options?.allowWatchBookmarks) {
              const apiVersion = mapping.group
                ? `${mapping.group}/${mapping.version}`
                : mapping.version;
              yield {
                type: "BOOKMARK",
                object: withVersion({ apiVersion, kind: mapping.kind }, from),
              };
            }
            await nextWrite(options?.signal);
          }
        } finally {
          open--;
        }
      },
    },
    reader: undefined as unknown as ClusterReader,
  };
  cluster.reader = createDirectClusterReader(cluster.api);
  for (const obj of objects) cluster.put(obj);
  return cluster;
}

/** A copy of `obj` whose `metadata.resourceVersion` is `revision`. */
function withVersion(obj: KubeObject, revision: number): KubeObject {
  const copy = structuredClone(obj);
  const meta = copy.metadata && typeof copy.metadata === "object" ? copy.metadata : {};
  copy.metadata = { ...meta, resourceVersion: String(revision) };
  return copy;
}
