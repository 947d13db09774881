/**
 * A smoke run of the client on whatever runtime executes this file (Bun,
 * or Node after bundling): lists Deployments, watches for one change, reads
 * a missing object, and prints one JSON line per step. Driven by
 * `bun_smoke_test.ts` against the fake API server.
 *
 * Usage: bun run tests/kube/smoke.ts <kubeconfig> <namespace>
 *
 * @module
 */

import process from "node:process";
import { createClient, loadClientConfig, NotFoundError } from "../../lib/kube/mod.ts";

const [kubeconfig, namespace] = process.argv.slice(2);
const print = (step: string, data: Record<string, unknown>) =>
  console.log(JSON.stringify({ step, ...data }));

const config = await loadClientConfig({ kubeconfig, env: {} });
const client = createClient(config, { retry: { baseDelayMs: 1 } });
try {
  print("transport", { transport: client.transport });
  const m = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
  print("mapping", { mapping: m });
  const list = await client.list(m, namespace, { limit: 2 });
  print("list", {
    items: list.items.map((o) => [o.apiVersion, o.kind, (o.metadata as { name: string }).name]),
    resourceVersion: list.resourceVersion,
  });
  for await (const ev of client.watch(m, namespace, { resourceVersion: list.resourceVersion })) {
    print("watch", { type: ev.type, name: (ev.object.metadata as { name: string }).name });
    break;
  }
  try {
    await client.get(m, namespace, "does-not-exist");
  } catch (e) {
    print("get", { error: (e as Error).name, notFound: e instanceof NotFoundError });
  }
  print("requests", { counts: client.requests.snapshot(), total: client.requests.total() });
} finally {
  client.close();
}
