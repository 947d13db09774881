/**
 * Recovery: kinds whose CRD appears after the wait started are picked up
 * whatever their scope; a watch dropped mid-stream or ended by the server
 * resumes without a relist.
 */

import assert from "node:assert/strict";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { kstatus } from "./helpers.ts";

for (const namespaced of [false, true]) {
  const scope = namespaced ? "namespaced" : "cluster-scoped";
  Deno.test(`faults: a ${scope} custom resource whose CRD appears after the start is waited for and completes`, async () => {
    const api = await startFakeApiServer();
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/widget.yaml`;
      // The manifest names a namespace even for the cluster-scoped kind (as generated ones do).
      await Deno.writeTextFile(
        file,
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: ns}\n",
      );
      const kubeconfig = await api.kubeconfig();
      const run = kstatus([
        "wait",
        "-f",
        file,
        "--timeout",
        "20s",
        "--interval",
        "200ms",
        "-o",
        "events",
        "--kubeconfig",
        kubeconfig,
      ]);
      await new Promise((r) => setTimeout(r, 1_000));
      api.registerKind({
        group: "example.com",
        version: "v1",
        kind: "Widget",
        plural: "widgets",
        namespaced,
      });
      api.put({
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w1", ...(namespaced ? { namespace: "ns" } : {}), generation: 1 },
        status: {
          observedGeneration: 1,
          conditions: [{ type: "Ready", status: "True", reason: "Done", message: "ready" }],
        },
      });
      const r = await run;
      assert.equal(r.code, 0, r.text);
      assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
      assert.match(r.out.join("\n"), /widget\.example\.com\/.*w1 is Current/);
    } finally {
      await api.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
