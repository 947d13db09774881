/**
 * Before a wait with `--rules builtin:strict`: say when a strict check cannot pass in this
 * cluster, so the user learns it now rather than at the timeout. A Service of type
 * LoadBalancer waits for an address that only a load-balancer controller gives; an Ingress for
 * one that only its class's controller gives.
 *
 * Best effort and bounded: a few GETs of the targets and at most one LIST per kind, under a
 * short deadline; anything that fails (403, a slow server) only drops that check.
 *
 * @module
 */

import type { KubeApi } from "../cluster/types.ts";
import { lookup } from "../fields.ts";
import { resourceRef } from "../printers/format.ts";
import { escapeControl } from "../text/escape.ts";
import type { KubeObject, ObjectIdentifier } from "../types.ts";

/** How long the checks may hold the start of the wait. */
const DEADLINE_MS = 3000;
/** At most this many targets of a kind are read for the checks. */
const MAX_TARGETS = 20;

const INGRESS = { group: "networking.k8s.io", kind: "Ingress" };
const INGRESS_CLASS = { group: "networking.k8s.io", kind: "IngressClass" };
const SERVICE = { group: "", kind: "Service" };

/**
 * Warnings, one line each, for targets a strict check will keep InProgress in this cluster.
 *
 * @example
 * ```ts
 * import { createMemoryCluster } from "../cluster/memory.ts";
 * import { strictWarnings } from "./strict_preflight.ts";
 * const cluster = createMemoryCluster([{
 *   apiVersion: "v1",
 *   kind: "Service",
 *   metadata: { name: "web", namespace: "shop" },
 *   spec: { type: "LoadBalancer" },
 * }]);
 * const id = { group: "", kind: "Service", namespace: "shop", name: "web" };
 * console.log(await strictWarnings(cluster.api, [id], AbortSignal.timeout(1000)));
 * ```
 */
export async function strictWarnings(
  api: KubeApi,
  ids: readonly ObjectIdentifier[],
  signal: AbortSignal,
): Promise<string[]> {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(DEADLINE_MS)]);
  const [services, ingresses] = await Promise.all([
    serviceWarnings(api, ids, deadline).catch(() => []),
    ingressWarnings(api, ids, deadline).catch(() => []),
  ]);
  return [...services, ...ingresses].map(escapeControl);
}

async function serviceWarnings(
  api: KubeApi,
  ids: readonly ObjectIdentifier[],
  signal: AbortSignal,
): Promise<string[]> {
  const targets = await readTargets(api, ids, SERVICE, signal);
  const waiting = targets.filter((o) => isLoadBalancer(o) && !hasAddress(o));
  if (waiting.length === 0) return [];
  const mapping = await api.mapper.mapping(SERVICE, { signal });
  const all = await api.list(mapping, "", { signal });
  if (all.items.some((o) => isLoadBalancer(o) && hasAddress(o))) return [];
  return waiting.map((o) =>
    `warning: ${ref(o, SERVICE)}: no Service of type LoadBalancer in this cluster has an ` +
    "address (is a load-balancer controller installed?); the strict check keeps it InProgress"
  );
}

async function ingressWarnings(
  api: KubeApi,
  ids: readonly ObjectIdentifier[],
  signal: AbortSignal,
): Promise<string[]> {
  const targets = (await readTargets(api, ids, INGRESS, signal)).filter((o) => !hasAddress(o));
  if (targets.length === 0) return [];
  const classes = (await api.list(await api.mapper.mapping(INGRESS_CLASS, { signal }), "", {
    signal,
  })).items;
  const byName = new Map(classes.map((c) => [String(lookup(c, ["metadata", "name"])), c]));
  const defaultClass = classes.find((c) =>
    lookup(c, ["metadata", "annotations", "ingressclass.kubernetes.io/is-default-class"]) ===
      "true"
  );
  let others: KubeObject[] | undefined;
  const warnings: string[] = [];
  for (const ing of targets) {
    const where = ref(ing, INGRESS);
    const legacy = lookup(ing, ["metadata", "annotations", "kubernetes.io/ingress.class"]);
    const named = lookup(ing, ["spec", "ingressClassName"]) ??
      (typeof legacy === "string" ? legacy : undefined);
    const name = typeof named === "string"
      ? named
      : defaultClass && String(lookup(defaultClass, ["metadata", "name"]));
    if (!name) {
      warnings.push(
        `warning: ${where}: no ingressClassName and no default IngressClass in this cluster: ` +
          "no controller will give it an address; the strict check keeps it InProgress",
      );
      continue;
    }
    const cls = byName.get(name);
    // The legacy annotation names a controller's class without an IngressClass object.
    if (!cls && typeof legacy !== "string") {
      warnings.push(
        `warning: ${where}: IngressClass "${name}" does not exist in this cluster; ` +
          "the strict check keeps it InProgress",
      );
      continue;
    }
    others ??= (await api.list(await api.mapper.mapping(INGRESS, { signal }), "", { signal }))
      .items;
    const served = others.some((o) => classOf(o, defaultClass) === name && hasAddress(o));
    if (!served) {
      const controller = cls ? lookup(cls, ["spec", "controller"]) : undefined;
      warnings.push(
        `warning: ${where}: no Ingress of class "${name}" in this cluster has an address ` +
          `(is ${
            typeof controller === "string" ? `its controller, ${controller},` : "its controller"
          } ` +
          "running?); the strict check keeps it InProgress",
      );
    }
  }
  return warnings;
}

/** The targets of one kind, as they are now (those that cannot be read are left out). */
async function readTargets(
  api: KubeApi,
  ids: readonly ObjectIdentifier[],
  gk: { group: string; kind: string },
  signal: AbortSignal,
): Promise<KubeObject[]> {
  const wanted = ids.filter((id) => id.group === gk.group && id.kind === gk.kind).slice(
    0,
    MAX_TARGETS,
  );
  if (wanted.length === 0) return [];
  const mapping = await api.mapper.mapping(gk, { signal });
  const read = await Promise.allSettled(
    wanted.map((id) => api.get(mapping, id.namespace, id.name, { signal })),
  );
  return read.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
}

function isLoadBalancer(o: KubeObject): boolean {
  return lookup(o, ["spec", "type"]) === "LoadBalancer";
}

function hasAddress(o: KubeObject): boolean {
  const ingress = lookup(o, ["status", "loadBalancer", "ingress"]);
  return Array.isArray(ingress) && ingress.length > 0;
}

function classOf(o: KubeObject, defaultClass: KubeObject | undefined): string | undefined {
  const named = lookup(o, ["spec", "ingressClassName"]) ??
    lookup(o, ["metadata", "annotations", "kubernetes.io/ingress.class"]);
  if (typeof named === "string") return named;
  const d = defaultClass && lookup(defaultClass, ["metadata", "name"]);
  return typeof d === "string" ? d : undefined;
}

function ref(o: KubeObject, gk: { group: string; kind: string }): string {
  return resourceRef({
    ...gk,
    namespace: String(lookup(o, ["metadata", "namespace"]) ?? ""),
    name: String(lookup(o, ["metadata", "name"]) ?? ""),
  });
}
