/**
 * The direct cluster reader: every call is a request to the API server, with
 * the label selector sent to the server. `sync` does nothing.
 *
 * @module
 */

import type { ClusterReader, ClusterReaderFactory, KubeApi } from "./types.ts";

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
      return (await api.list(mapping, namespace, { ...options, labelSelector })).items;
    },
    async listClusterScoped(gk, selector, options) {
      const mapping = await api.mapper.mapping(gk, options);
      const labelSelector = selector?.toString() || undefined;
      return (await api.list(mapping, "", { ...options, labelSelector })).items;
    },
    sync: () => Promise.resolve(),
  };
}

/** A factory for {@linkcode createDirectClusterReader}. */
export function directClusterReaderFactory(api: KubeApi): ClusterReaderFactory {
  return () => createDirectClusterReader(api);
}
