/**
 * Tests of lib/cli/strict_preflight.ts: the warnings `wait --rules builtin:strict` prints when
 * a strict check cannot pass in this cluster.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createMemoryCluster, type KubeObject } from "../../mod.ts";
import { strictWarnings } from "../../lib/cli/strict_preflight.ts";

const NET_KINDS = [
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    resource: "ingresses",
    namespaced: true,
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "IngressClass",
    resource: "ingressclasses",
    namespaced: false,
  },
];

const service = (name: string, type: string, ingress?: unknown[]): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: "shop" },
  spec: { type },
  status: { loadBalancer: ingress ? { ingress } : {} },
});

const ingress = (name: string, spec: Record<string, unknown>, address = false): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, namespace: "shop" },
  spec,
  status: { loadBalancer: address ? { ingress: [{ ip: "198.51.100.1" }] } : {} },
});

const ingressClass = (name: string, isDefault = false): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "IngressClass",
  metadata: {
    name,
    annotations: isDefault ? { "ingressclass.kubernetes.io/is-default-class": "true" } : {},
  },
  spec: { controller: `example.com/${name}` },
});

const id = (kind: string, name: string) => ({
  group: kind === "Service" ? "" : "networking.k8s.io",
  kind,
  namespace: "shop",
  name,
});

const warn = (objects: KubeObject[], ids: ReturnType<typeof id>[]) =>
  strictWarnings(createMemoryCluster(objects, NET_KINDS).api, ids, AbortSignal.timeout(2000));

Deno.test("preflight: a LoadBalancer Service in a cluster where none ever got an address", async () => {
  const lines = await warn([service("web", "LoadBalancer")], [id("Service", "web")]);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^warning: service\/shop\/web: no Service of type LoadBalancer/);
});

Deno.test("preflight: quiet when another LoadBalancer Service has an address", async () => {
  const lines = await warn(
    [service("web", "LoadBalancer"), service("old", "LoadBalancer", [{ ip: "203.0.113.5" }])],
    [id("Service", "web")],
  );
  assert.deepEqual(lines, []);
});

Deno.test("preflight: quiet for ClusterIP Services and when the check is already met", async () => {
  assert.deepEqual(await warn([service("api", "ClusterIP")], [id("Service", "api")]), []);
  assert.deepEqual(
    await warn([service("web", "LoadBalancer", [{ ip: "203.0.113.5" }])], [id("Service", "web")]),
    [],
  );
});

Deno.test("preflight: an Ingress whose class does not exist", async () => {
  const lines = await warn(
    [ingress("web", { ingressClassName: "nginx" }), ingressClass("traefik")],
    [id("Ingress", "web")],
  );
  assert.equal(lines.length, 1);
  assert.match(lines[0], /IngressClass "nginx" does not exist/);
});

Deno.test("preflight: an Ingress without a class and no default class", async () => {
  const lines = await warn([ingress("web", {})], [id("Ingress", "web")]);
  assert.match(lines[0], /no ingressClassName and no default IngressClass/);
});

Deno.test("preflight: a class whose Ingresses never got an address names its controller", async () => {
  const lines = await warn(
    [ingress("web", {}), ingressClass("nginx", true)],
    [id("Ingress", "web")],
  );
  assert.equal(lines.length, 1);
  assert.match(lines[0], /no Ingress of class "nginx" .* its controller, example\.com\/nginx,/);
  const served = await warn(
    [
      ingress("web", {}),
      ingress("old", { ingressClassName: "nginx" }, true),
      ingressClass("nginx", true),
    ],
    [id("Ingress", "web")],
  );
  assert.deepEqual(served, []);
});

Deno.test("preflight: a failing LIST drops the check, nothing is thrown", async () => {
  const cluster = createMemoryCluster([service("web", "LoadBalancer")], NET_KINDS);
  cluster.hook = (call) => {
    if (call.verb === "list") throw new Error("forbidden");
  };
  assert.deepEqual(
    await strictWarnings(cluster.api, [id("Service", "web")], AbortSignal.timeout(2000)),
    [],
  );
});
