/**
 * End-to-end helpers for custom resources whose controller is the test itself: a CRD with a
 * status subresource, status writes as a controller makes them, and kstatus run in the
 * background with its JSON lines readable while it runs.
 *
 * @module
 */

import { jsonLines, kstatus, kubectl, type RunResult } from "./cluster.ts";
import { stream } from "./manifests.ts";

/** A namespaced CRD with a status subresource and an open schema. */
export function crd(group: string, kind: string, plural: string) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        },
      }],
    },
  };
}

/** Installs a CRD for the test and removes it afterwards. */
export async function withCrd(
  group: string,
  kind: string,
  plural: string,
  fn: () => Promise<void>,
): Promise<void> {
  await kubectl(["apply", "-f", "-"], stream(crd(group, kind, plural)));
  try {
    await kubectl([
      "wait",
      "--for=condition=Established",
      `crd/${plural}.${group}`,
      "--timeout=30s",
    ]);
    await fn();
  } finally {
    await kubectl(["delete", "crd", `${plural}.${group}`, "--wait=true", "--timeout=60s"]);
  }
}

/** Writes the object's status through the status subresource, as its controller would. */
export async function setStatus(ns: string, resource: string, status: unknown): Promise<void> {
  await kubectl([
    "patch",
    "-n",
    ns,
    resource,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status }),
  ]);
}

/** Waits until the running `kstatus wait` has reported `name` with `status` (or fails). */
export async function until(
  lines: () => string,
  name: string,
  status: string,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const seen = lines().split("\n").filter(Boolean).map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return {};
      }
    });
    if (seen.some((l) => l.type === "status" && l.name === name && l.status === status)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kstatus did not report ${name} ${status} within 20 s:\n${lines()}`);
}

/** Runs kstatus in the background, its stdout readable while it runs. */
export function background(args: string[]): { output: () => string; done: Promise<RunResult> } {
  let out = "";
  const done = kstatus(args, {
    onStdout: (chunk: string) => {
      out += chunk;
    },
  });
  return { output: () => out, done };
}

/** The JSON status lines a run printed for `name`. */
export function reported(r: RunResult, name: string): Array<Record<string, unknown>> {
  return jsonLines(r.stdout).filter((l) => l.type === "status" && l.name === name);
}
