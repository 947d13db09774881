/**
 * The direct cluster reader: every call is a request to the API server, with
 * the label selector sent to the server. `sync` does nothing.
 *
 * @module
 */

import type { KubeObject } from "../types.ts";
import type { ClusterReader, ClusterReaderFactory, KubeApi, ResourceMapping } from "./types.ts";

/** Too large to keep, and read by nothing. */
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Sets `apiVersion` and `kind` from `mapping` on items that lack them: the API
 * server leaves them out of the items of a LIST, and status rules go by kind.
 * Drops what nothing reads and often outweighs the rest (the field sets of
 * `metadata.managedFields`, the last-applied annotation), so the readers that keep objects keep
 * less.
 */
export function withKind(mapping: ResourceMapping, items: KubeObject[]): KubeObject[] {
  const apiVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
  for (const item of items) {
    if (typeof item.apiVersion !== "string") item.apiVersion = apiVersion;
    if (typeof item.kind !== "string") item.kind = mapping.kind;
    const meta = item.metadata as Record<string, unknown> | undefined;
    if (meta && typeof meta === "object") {
      // Each entry's field set (fieldsV1) is the bulk; who wrote what when stays (the
      // --require-observed evidence reads the status subresource's write time).
      if (Array.isArray(meta.managedFields)) {
        meta.managedFields = meta.managedFields.map((e) => {
          if (!e || typeof e !== "object") return e;
          const { fieldsV1: _fields, ...kept } = e as Record<string, unknown>;
          return kept;
        });
      }
      const annotations = meta.annotations as Record<string, unknown> | undefined;
      if (annotations && typeof annotations === "object" && LAST_APPLIED in annotations) {
        delete annotations[LAST_APPLIED];
      }
    }
  }
  return items;
}

/**
 * A ClusterReader that asks the API server on every call.
 *
 * @example
 * ```ts ignore
 * const reader = createDirectClusterReader(client);
 * const obj = await reader.get({ group: "apps", kind: "Deployment", namespace: "ns", name: "web" });
 * ```
 */
export function createDirectClusterReader(api: KubeApi): ClusterReader {
  return {
    async get(id, options) {
      const mapping = await api.mapper.mapping(id, options);
      return api.get(mapping, mapping.namespaced ? id.namespace : "", id.name, options);
    },
    async listNamespaceScoped(gk, namespace, selector, options) {
      const mapping = await api.mapper.mapping(gk, options);
      const labelSelector = selector?.toString() || undefined;
      return withKind(
        mapping,
        (await api.list(mapping, namespace, { ...options, labelSelector })).items,
      );
    },
    async listClusterScoped(gk, selector, options) {
      const mapping = await api.mapper.mapping(gk, options);
      const labelSelector = selector?.toString() || undefined;
      return withKind(mapping, (await api.list(mapping, "", { ...options, labelSelector })).items);
    },
    sync: () => Promise.resolve(),
  };
}

/**
 * A factory for {@linkcode createDirectClusterReader}.
 *
 * @example
 * ```ts
 * import {
 *   createMemoryCluster,
 *   createStatusPoller,
 *   directClusterReaderFactory,
 * } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster();
 * const engine = createStatusPoller({
 *   mapper: cluster.mapper,
 *   clusterReaderFactory: directClusterReaderFactory(cluster.api),
 * });
 * ```
 */
export function directClusterReaderFactory(api: KubeApi): ClusterReaderFactory {
  return () => createDirectClusterReader(api);
}
