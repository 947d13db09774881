/**
 * Shared helpers of the client tests: a fake server per test, a client for
 * it with a recording, instant sleep, and small object builders.
 *
 * @module
 */

import {
  type ClientOptions,
  createClient,
  type KubeClient,
  loadClientConfig,
  type ResourceMapping,
} from "../../lib/kube/mod.ts";
import {
  type FakeApiServer,
  type FakeApiServerOptions,
  type KubeconfigOptions,
  startFakeApiServer,
} from "../support/fake_apiserver.ts";

/** Runs `fn` with a fresh fake server, closing it afterwards. */
export async function withServer(
  fn: (api: FakeApiServer) => Promise<void>,
  options?: FakeApiServerOptions,
): Promise<void> {
  const api = await startFakeApiServer(options);
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

/** A client plus the sleeps it asked for. */
export interface TestClient {
  client: KubeClient;
  sleeps: number[];
}

/** A client for `api` with a kubeconfig from `kc`, retry sleeps recorded and skipped. */
export async function clientFor(
  api: FakeApiServer,
  kc: KubeconfigOptions = {},
  opts: ClientOptions = {},
): Promise<TestClient> {
  const kubeconfig = await api.kubeconfig(kc);
  const config = await loadClientConfig({ kubeconfig, env: {} });
  const sleeps: number[] = [];
  const client = createClient(config, {
    sleep: (ms, signal) => {
      sleeps.push(ms);
      signal?.throwIfAborted();
      return Promise.resolve();
    },
    ...opts,
  });
  return { client, sleeps };
}

/** Runs `fn` with a client, closing it afterwards. */
export async function withClient(
  api: FakeApiServer,
  fn: (t: TestClient) => Promise<void>,
  kc: KubeconfigOptions = {},
  opts: ClientOptions = {},
): Promise<void> {
  const t = await clientFor(api, kc, opts);
  try {
    await fn(t);
  } finally {
    t.client.close();
  }
}

/** The mapping of Deployments. */
export const DEPLOYMENTS: ResourceMapping = {
  group: "apps",
  version: "v1",
  kind: "Deployment",
  resource: "deployments",
  namespaced: true,
};

/** The mapping of Pods. */
export const PODS: ResourceMapping = {
  group: "",
  version: "v1",
  kind: "Pod",
  resource: "pods",
  namespaced: true,
};

/** The mapping of Namespaces. */
export const NAMESPACES: ResourceMapping = {
  group: "",
  version: "v1",
  kind: "Namespace",
  resource: "namespaces",
  namespaced: false,
};

/** A Deployment object. */
export function deployment(
  name: string,
  namespace = "default",
  labels: Record<string, string> = {},
): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels },
    spec: { replicas: 1 },
  };
}

/** `metadata.name` of an object. */
export function nameOf(o: Record<string, unknown>): string {
  return String((o.metadata as { name?: unknown } | undefined)?.name ?? "");
}

/** Collects what an async iterable yields until `stop` says so. */
export async function collect<T>(
  it: AsyncIterable<T>,
  stop: (items: T[]) => boolean,
): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (stop(out)) break;
  }
  return out;
}

/** Waits until `check` is true, polling; fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
