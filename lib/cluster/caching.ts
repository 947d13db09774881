/**
 * The caching cluster reader (the original's default): in `sync`, one LIST
 * per (GroupKind, namespace) needed by the identifiers and their children;
 * gets and lists in the cycle are answered from that snapshot.
 *
 * @module
 */

import { groupKindKey } from "../groupkind.ts";
import { labelsOf } from "../selector.ts";
import type { GroupKind, KubeObject } from "../types.ts";
import { withKind } from "./direct.ts";
import { isCancellation, isNoMatch, notFoundMessage, ResourceNotFoundError } from "./errors.ts";
import { KstatusError } from "../errors.ts";
import type {
  ClusterReader,
  ClusterReaderArgs,
  ClusterReaderFactory,
  KubeApi,
  ResourceMapping,
} from "./types.ts";

/** One (GroupKind, namespace) pair the caching reader lists; `""` is cluster-wide. */
export interface CachePair {
  /** The kind. */
  gk: GroupKind;
  /** The namespace, `""` for cluster-scoped kinds. */
  namespace: string;
}

type Entry =
  | {
    mapping: ResourceMapping;
    items: Map<string, KubeObject>;
    list: KubeObject[];
    byOwner: Map<string, KubeObject[]>;
  }
  | { error: Error };

const pairKey = (gk: GroupKind, namespace: string) => `${groupKindKey(gk)}|${namespace}`;

/**
 * The (GroupKind, namespace) pairs to list: those of the identifiers, each
 * followed by its child kinds in the same namespace, duplicates removed,
 * insertion order kept.
 *
 * @example
 * ```ts
 * import { cachePairs } from "@kstatus/kstatus";
 * const pairs = cachePairs({
 *   identifiers: [{ group: "apps", kind: "Deployment", namespace: "shop", name: "web" }],
 *   childKinds: () => [{ group: "apps", kind: "ReplicaSet" }, { group: "", kind: "Pod" }],
 * });
 * console.log(pairs.length); // 3: Deployments, ReplicaSets and Pods in "shop"
 * ```
 */
export function cachePairs(
  args: Pick<ClusterReaderArgs, "identifiers" | "childKinds">,
): CachePair[] {
  const pairs = new Map<string, CachePair>();
  const add = (gk: GroupKind, namespace: string) => {
    const key = pairKey(gk, namespace);
    if (!pairs.has(key)) pairs.set(key, { gk: { group: gk.group, kind: gk.kind }, namespace });
  };
  for (const id of args.identifiers) {
    add(id, id.namespace);
    for (const child of args.childKinds(id)) add(child, id.namespace);
  }
  return [...pairs.values()];
}

/**
 * A ClusterReader that lists each needed (kind, namespace) once per cycle.
 * Per-pair problems (Forbidden, NotFound, no such kind) are stored and
 * returned for the reads that need that pair; cancellation fails `sync`.
 *
 * @example
 * ```ts
 * import { createCachingClusterReader, createMemoryCluster } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster([
 *   { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "ns" } },
 * ]);
 * const id = { group: "", kind: "ConfigMap", namespace: "ns", name: "cfg" };
 * const reader = createCachingClusterReader(cluster.api, {
 *   identifiers: [id],
 *   mapper: cluster.mapper,
 *   childKinds: () => [],
 * });
 * await reader.sync(); // one LIST of ConfigMaps in "ns"
 * const cfg = await reader.get(id); // from the cache, no request
 * ```
 */
export function createCachingClusterReader(api: KubeApi, args: ClusterReaderArgs): ClusterReader {
  const pairs = cachePairs(args);
  let cache = new Map<string, Entry>();

  const entryFor = (gk: GroupKind, namespace: string): Entry => {
    const entry = cache.get(pairKey(gk, namespace));
    if (!entry) {
      throw new KstatusError(
        `GroupKind ${groupKindKey(gk)} and namespace "${namespace}" not found in cache`,
      );
    }
    return entry;
  };

  const list = (
    gk: GroupKind,
    namespace: string,
    selector?: { matches(l: Record<string, string>): boolean },
  ): Promise<KubeObject[]> => {
    // Failures must reject, not throw: callers may chain on the promise without awaiting.
    try {
      const entry = entryFor(gk, namespace);
      if ("error" in entry) throw entry.error;
      const items = selector ? entry.list.filter((o) => selector.matches(labelsOf(o))) : entry.list;
      return Promise.resolve([...items]);
    } catch (e) {
      return Promise.reject(e);
    }
  };

  return {
    get(id) {
      try {
        const entry = entryFor(id, id.namespace);
        if ("error" in entry) throw entry.error;
        const obj = entry.items.get(id.name);
        if (!obj) throw new ResourceNotFoundError(notFoundMessage(entry.mapping, id.name), id);
        return Promise.resolve(obj);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    listNamespaceScoped: (gk, namespace, selector) => list(gk, namespace, selector),
    listControlledBy(gk, namespace, ownerUid) {
      try {
        const entry = entryFor(gk, namespace);
        if ("error" in entry) throw entry.error;
        return Promise.resolve([...entry.byOwner.get(ownerUid) ?? []]);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    listClusterScoped: (gk, selector) => list(gk, "", selector),
    async sync(options) {
      const next = new Map<string, Entry>();
      for (const { gk, namespace } of pairs) {
        next.set(pairKey(gk, namespace), await listPair(api, gk, namespace, options?.signal));
      }
      cache = next;
    },
    close() {
      cache = new Map();
    },
  };
}

async function listPair(
  api: KubeApi,
  gk: GroupKind,
  namespace: string,
  signal?: AbortSignal,
): Promise<Entry> {
  let mapping: ResourceMapping;
  try {
    mapping = await api.mapper.mapping(gk, { signal });
  } catch (e) {
    if (isNoMatch(e)) return { error: e as Error };
    throw e;
  }
  try {
    const { items } = await api.list(mapping, mapping.namespaced ? namespace : "", { signal });
    withKind(mapping, items);
    const byName = new Map<string, KubeObject>();
    const byOwner = new Map<string, KubeObject[]>();
    for (const item of items) {
      const meta = item.metadata as { name?: unknown; ownerReferences?: unknown } | undefined;
      if (typeof meta?.name === "string") byName.set(meta.name, item);
      const uid = controllerUid(meta?.ownerReferences);
      if (uid) {
        const owned = byOwner.get(uid);
        if (owned) owned.push(item);
        else byOwner.set(uid, [item]);
      }
    }
    return { mapping, items: byName, list: items, byOwner };
  } catch (e) {
    if (isCancellation(e, signal)) throw e;
    return { error: e instanceof Error ? e : new Error(String(e)) };
  }
}

/** The uid of the controller ownerReference, if any. */
function controllerUid(refs: unknown): string | undefined {
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (r && typeof r === "object" && r.controller === true && typeof r.uid === "string") {
      return r.uid;
    }
  }
  return undefined;
}

/**
 * A factory for {@linkcode createCachingClusterReader}; the engine's usual choice.
 *
 * @example
 * ```ts
 * import {
 *   cachingClusterReaderFactory,
 *   createMemoryCluster,
 *   createStatusPoller,
 * } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster();
 * const engine = createStatusPoller({
 *   mapper: cluster.mapper,
 *   clusterReaderFactory: cachingClusterReaderFactory(cluster.api),
 * });
 * ```
 */
export function cachingClusterReaderFactory(api: KubeApi): ClusterReaderFactory {
  return (args) => createCachingClusterReader(api, args);
}
