/**
 * Walking a resource's status tree for diagnostics: the children that explain a verdict, the
 * objects whose events matter and the pods whose logs are worth reading.
 *
 * @module
 */

import { lookup } from "../fields.ts";
import type { ResourceStatus, Status } from "../types.ts";
import type { EventSubject } from "./events.ts";

/** The resource and all its descendants, depth first. */
export function flatten(status: ResourceStatus): ResourceStatus[] {
  return [status, ...status.generatedResources.flatMap(flatten)];
}

// Failed first, then the ones on their way, then the rest.
const RANK: Record<Status, number> = {
  Failed: 0,
  Unknown: 1,
  InProgress: 2,
  Terminating: 3,
  NotFound: 4,
  Current: 5,
};

/** Pods before other kinds, then by status rank; the order of the tree otherwise. */
function byTellingness(a: ResourceStatus, b: ResourceStatus): number {
  const pod = (s: ResourceStatus) => (s.identifier.kind === "Pod" && !s.identifier.group ? 0 : 1);
  return pod(a) - pod(b) || RANK[a.status] - RANK[b.status];
}

/**
 * The descendants that are not Current, most telling first (failing pods, then other pods, then
 * ReplicaSets, Jobs...), each as `Kind/name: what decided`.
 */
export function explainingChildren(status: ResourceStatus): string[] {
  return flatten(status).slice(1)
    .filter((s) => s.status !== "Current")
    .sort(byTellingness)
    .map((s) => `${s.identifier.kind}/${s.identifier.name}: ${reasonOf(s)}`);
}

/** What decided a status, for people: the deciding condition or field, else the message. */
export function reasonOf(s: ResourceStatus): string {
  if (s.error) return s.error.message;
  const because = s.decidedBy ?? "";
  if (!because) return `${s.status}: ${s.message}`;
  return because === s.message ? because : `${s.status}: ${because}`;
}

/** The objects whose events are gathered: the resource and every descendant. */
export function eventSubjects(status: ResourceStatus): EventSubject[] {
  return flatten(status).map((s) => {
    const uid = lookup(s.resource, ["metadata", "uid"]);
    return {
      kind: s.identifier.kind,
      namespace: s.identifier.namespace,
      name: s.identifier.name,
      uid: typeof uid === "string" && uid ? uid : undefined,
    };
  });
}

/** The pods of the tree (the resource itself when it is one), most telling first. */
export function podsOf(status: ResourceStatus): ResourceStatus[] {
  return flatten(status)
    .filter((s) => s.identifier.kind === "Pod" && s.identifier.group === "" && s.resource)
    .sort(byTellingness);
}
