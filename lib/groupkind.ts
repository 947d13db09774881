/**
 * GroupKind helpers: keys, parsing of `apiVersion`, and printing.
 *
 * @module
 */

import type { GroupKind, KubeObject, ObjectIdentifier } from "./types.ts";

/**
 * The registry key of a GroupKind: `group/Kind`, or just `Kind` for the core group.
 *
 * @example
 * ```ts
 * import { groupKindKey } from "@kstatus/kstatus";
 * groupKindKey({ group: "apps", kind: "Deployment" }); // "apps/Deployment"
 * groupKindKey({ group: "", kind: "Pod" }); // "Pod"
 * ```
 */
export function groupKindKey(gk: GroupKind): string {
  return gk.group ? `${gk.group}/${gk.kind}` : gk.kind;
}

/** The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → `""`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** The version of an `apiVersion` (`apps/v1` → `v1`). */
export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/**
 * The GroupKind of an object, from its `apiVersion` and `kind` (missing → `""`).
 *
 * @example
 * ```ts
 * import { groupKindOf } from "@kstatus/kstatus";
 * groupKindOf({ apiVersion: "apps/v1", kind: "Deployment" }); // { group: "apps", kind: "Deployment" }
 * ```
 */
export function groupKindOf(obj: KubeObject): GroupKind {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  return { group: groupOf(apiVersion), kind: typeof obj.kind === "string" ? obj.kind : "" };
}

/**
 * The identifier of an object (namespace and name from its metadata).
 *
 * @example
 * ```ts
 * import { identifierOf } from "@kstatus/kstatus";
 * identifierOf({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-0", namespace: "ns" } });
 * // { group: "", kind: "Pod", namespace: "ns", name: "web-0" }
 * ```
 */
export function identifierOf(obj: KubeObject): ObjectIdentifier {
  const meta =
    (typeof obj.metadata === "object" && obj.metadata !== null ? obj.metadata : {}) as Record<
      string,
      unknown
    >;
  return {
    ...groupKindOf(obj),
    namespace: typeof meta.namespace === "string" ? meta.namespace : "",
    name: typeof meta.name === "string" ? meta.name : "",
  };
}

/**
 * `Kind.group` as the Go original prints a GroupKind (`Deployment.apps`, `Pod`).
 *
 * @example
 * ```ts
 * import { formatGroupKind } from "@kstatus/kstatus";
 * formatGroupKind({ group: "apps", kind: "Deployment" }); // "Deployment.apps"
 * formatGroupKind({ group: "", kind: "Pod" }); // "Pod"
 * ```
 */
export function formatGroupKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

/**
 * `Kind/namespace/name` (or `Kind/name` when cluster-scoped), for people.
 *
 * @example
 * ```ts
 * import { formatIdentifier } from "@kstatus/kstatus";
 * formatIdentifier({ group: "apps", kind: "Deployment", namespace: "shop", name: "web" });
 * // "Deployment/shop/web"
 * ```
 */
export function formatIdentifier(id: ObjectIdentifier): string {
  return id.namespace ? `${id.kind}/${id.namespace}/${id.name}` : `${id.kind}/${id.name}`;
}

/**
 * True when two identifiers name the same object.
 *
 * @example
 * ```ts
 * import { sameIdentifier } from "@kstatus/kstatus";
 * const a = { group: "", kind: "Pod", namespace: "ns", name: "web-0" };
 * sameIdentifier(a, { ...a }); // true
 * ```
 */
export function sameIdentifier(a: ObjectIdentifier, b: ObjectIdentifier): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace &&
    a.name === b.name;
}

/**
 * A string key unique per identifier, for maps.
 *
 * @example
 * ```ts
 * import { identifierKey, type ObjectIdentifier } from "@kstatus/kstatus";
 * const seen = new Map<string, ObjectIdentifier>();
 * const id = { group: "", kind: "Pod", namespace: "ns", name: "web-0" };
 * seen.set(identifierKey(id), id);
 * ```
 */
export function identifierKey(id: ObjectIdentifier): string {
  return `${id.namespace}/${id.group}/${id.kind}/${id.name}`;
}
