/**
 * The real cluster connection: kubeconfig (or in-cluster config) loaded,
 * the HTTPS client created, and the reader factories wired to it.
 *
 * @module
 */

import { watchClusterReaderFactory } from "../cluster/watch.ts";
import { createClient, loadClientConfig } from "../kube/mod.ts";
import { kubeconfigContexts } from "../kube/config.ts";
import { formatDuration } from "../printers/format.ts";
import { type Connection, type ConnectionFlags, connectionFromApi } from "./connection.ts";

/** Opens a connection to the cluster the flags and environment point at. */
export async function connectToCluster(
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
): Promise<Connection> {
  const config = await loadClientConfig({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespace: flags.namespace,
    env,
  });
  const client = createClient(config, {
    userAgent: "kstatus",
    impersonate: flags.as || flags.asGroups?.length
      ? { user: flags.as, groups: flags.asGroups }
      : undefined,
    onRequest: flags.logRequest &&
      ((r) =>
        flags.logRequest!(
          `${r.method} ${r.url} ${r.status ?? `failed: ${r.error}`} ${Math.round(r.ms)}ms`,
        )),
    requestTimeoutMs: flags.requestTimeoutMs,
  });
  return connectionFromApi(client, {
    namespace: config.namespace,
    server: config.server,
    resolveKind: (text, signal) => client.mapper.resolve(text, { signal }),
    // `--reader watch`: one LIST then one WATCH per kind and namespace, or per kind cluster-wide
    // when namespaces are many (lib/cluster/watch.ts).
    factories: { watch: watchClusterReaderFactory(client) },
    close: () => client.close(),
    requests: client.requests,
    stalledOn() {
      const plugin = client.pendingCredential();
      return plugin &&
        `exec plugin "${plugin.command}" has not answered after ${
          formatDuration(Date.now() - plugin.since)
        }`;
    },
    resourceTypes: async (signal) =>
      (await client.mapper.resources({ signal }))
        .filter((r) => r.verbs.includes("list") && !r.resource.includes("/"))
        .map((r) => r.singular),
  });
}

/** The contexts of the kubeconfig the flags and environment point at (`--all-contexts`). */
export function listKubeconfigContexts(
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
): Promise<string[]> {
  return kubeconfigContexts({ kubeconfig: flags.kubeconfig, env });
}
