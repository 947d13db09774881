/**
 * Finding the children of a controller: objects of a child kind in the
 * parent's namespace that match the parent's selector and are controlled by
 * it (a controller ownerReference with the parent's uid).
 *
 * @module
 */

import { KstatusError } from "../lib/errors.ts";
import { isObject, lookup } from "../lib/fields.ts";
import { identifierOf } from "../lib/groupkind.ts";
import { compileLabelSelector, labelsOf, type Selector } from "../lib/selector.ts";
import type { GroupKind, KubeObject } from "../lib/types.ts";
import type { StatusReaderContext } from "../lib/status_reader.ts";

/** How a parent finds its children. */
export interface ChildSpec {
  /** The kind of the children. */
  kind: GroupKind;
  /**
   * Where the parent's label selector is (`["spec", "selector"]`), or
   * `undefined` when children are found by owner alone (a CronJob's Jobs).
   */
  selectorPath?: readonly string[];
}

/**
 * The parent has no selector where one is required.
 *
 * @example
 * ```ts
 * import { NoSelectorError } from "@kstatus/kstatus";
 * const err = new NoSelectorError("no selector found");
 * console.log(err instanceof NoSelectorError); // true
 * ```
 */
export class NoSelectorError extends KstatusError {}

/** The uid of an object, `""` when missing. */
function uidOf(obj: KubeObject): string {
  const uid = lookup(obj, ["metadata", "uid"]);
  return typeof uid === "string" ? uid : "";
}

/**
 * True when `child` names `parentUid` as its controller.
 *
 * @example
 * ```ts
 * import { isControlledBy } from "@kstatus/kstatus";
 * const pod = {
 *   apiVersion: "v1",
 *   kind: "Pod",
 *   metadata: { ownerReferences: [{ kind: "ReplicaSet", uid: "u1", controller: true }] },
 * };
 * isControlledBy(pod, "u1"); // true
 * ```
 */
export function isControlledBy(child: KubeObject, parentUid: string): boolean {
  const refs = lookup(child, ["metadata", "ownerReferences"]);
  if (!Array.isArray(refs)) return false;
  return refs.some((r) => isObject(r) && r.controller === true && r.uid === parentUid);
}

/**
 * Selectors compiled from the selector objects of stored parents. A stored object stays the same
 * object until it changes, and each change re-reads its tree: without this, every re-read of a
 * Deployment compiled (and sorted) its selector again. Keyed weakly: it holds nothing alive.
 */
const compiled = new WeakMap<object, Selector>();

function compiledSelector(raw: unknown): Selector {
  if (typeof raw !== "object" || raw === null) return compileLabelSelector(raw);
  let selector = compiled.get(raw);
  if (!selector) compiled.set(raw, selector = compileLabelSelector(raw));
  return selector;
}

/**
 * Lists the children of `parent`. Matching is by selector and, when the
 * parent has a uid, by controller ownerReference too, so objects that merely
 * share labels are left out. A parent without a uid (an object not read from
 * a cluster) is matched by selector only.
 *
 * @throws {NoSelectorError} when the selector is required and missing.
 *
 * @example
 * ```ts
 * import { createMemoryCluster, defaultStatusReaders, findChildren } from "@kstatus/kstatus";
 * const cluster = createMemoryCluster();
 * const job = {
 *   apiVersion: "batch/v1",
 *   kind: "Job",
 *   metadata: { name: "migrate", namespace: "ns", uid: "u1" },
 *   spec: { selector: { matchLabels: { job: "migrate" } } },
 * };
 * const ctx = {
 *   cluster: cluster.reader,
 *   mapper: cluster.mapper,
 *   registry: defaultStatusReaders(),
 *   now: () => new Date(),
 * };
 * const pods = await findChildren(ctx, job, {
 *   kind: { group: "", kind: "Pod" },
 *   selectorPath: ["spec", "selector"],
 * });
 * ```
 */
export async function findChildren(
  ctx: StatusReaderContext,
  parent: KubeObject,
  spec: ChildSpec,
): Promise<KubeObject[]> {
  let selector: Selector | undefined;
  if (spec.selectorPath) {
    const raw = lookup(parent, spec.selectorPath);
    if (raw === undefined || raw === null) {
      throw new NoSelectorError("no selector found", { resource: identifierOf(parent) });
    }
    selector = compiledSelector(raw);
  }
  const namespace = identifierOf(parent).namespace;
  const uid = uidOf(parent);
  const options = { signal: ctx.signal };
  if (uid && ctx.cluster.listControlledBy) {
    // Indexed by owner: no scan of every object of the kind per parent.
    const owned = await ctx.cluster.listControlledBy(spec.kind, namespace, uid, options);
    return selector ? owned.filter((child) => selector.matches(labelsOf(child))) : owned;
  }
  const items = await ctx.cluster.listNamespaceScoped(spec.kind, namespace, selector, options);
  if (!uid) return spec.selectorPath ? items : [];
  return items.filter((child) => isControlledBy(child, uid));
}
