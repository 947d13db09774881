/**
 * The REST mapper: GroupKind → resource, version and scope, from cached
 * discovery that is refreshed once when a kind is unknown (a CRD applied a
 * moment ago); and what users type (`deploy`, `deployments.apps`, `sts`) →
 * GroupKind.
 *
 * @module
 */

import type { GroupKind } from "../types.ts";
import {
  discover,
  type DiscoveredResource,
  type DiscoveryGet,
  type DiscoveryResult,
} from "./discovery.ts";
import { NoMatchError, UnknownResourceTypeError } from "./errors.ts";
import { abortable } from "./retry.ts";
import type { CallOptions, ResourceMapping } from "./types.ts";

/** Maps kinds to resources with the server's discovery. */
export interface RestMapper {
  /**
   * The mapping of `gk` (preferred version of its group that serves the kind).
   *
   * @throws {NoMatchError} when the server does not serve the kind, even after a refresh.
   */
  mapping(gk: GroupKind, options?: CallOptions): Promise<ResourceMapping>;
  /**
   * The GroupKind of a resource type as typed on a command line: a short
   * name, a plural or singular resource name, a kind (any case), each
   * optionally followed by `.group` or `.version.group`.
   *
   * @throws {UnknownResourceTypeError} when nothing matches, even after a refresh.
   */
  resolve(text: string, options?: CallOptions): Promise<GroupKind>;
  /** Every resource the server serves (cached discovery). */
  resources(options?: CallOptions): Promise<DiscoveredResource[]>;
  /** Forgets cached discovery so the next lookup asks the server again. */
  reset(): void;
}

interface Loaded {
  result: DiscoveryResult;
  /** Sequence number of the load; loads started later have larger numbers. */
  seq: number;
}

/** Options of {@linkcode createRestMapper}. */
export interface RestMapperOptions {
  /** Aborting stops shared discovery loads (the client's lifetime). */
  signal?: AbortSignal;
}

/**
 * A mapper over `get`, which fetches one discovery document.
 *
 * @example
 * ```ts ignore
 * const mapper = createRestMapper(get);
 * const m = await mapper.mapping({ group: "apps", kind: "Deployment" });
 * // { group: "apps", version: "v1", kind: "Deployment", resource: "deployments", namespaced: true }
 * ```
 */
export function createRestMapper(get: DiscoveryGet, opts: RestMapperOptions = {}): RestMapper {
  let cache: Loaded | undefined;
  let inflight: { promise: Promise<Loaded>; seq: number } | undefined;
  let seq = 0;

  /** Discovery at least as recent as load number `minSeq`. */
  function load(minSeq: number, signal?: AbortSignal): Promise<Loaded> {
    if (cache && cache.seq >= minSeq) return Promise.resolve(cache);
    if (!inflight || inflight.seq < minSeq) {
      const mySeq = ++seq;
      // Shared by every caller, so it follows the mapper's lifetime, not one caller's signal.
      const promise = discover(get, opts.signal).then((result) => {
        const loaded = { result, seq: mySeq };
        if (!cache || cache.seq < mySeq) cache = loaded;
        return loaded;
      }).finally(() => {
        if (inflight?.seq === mySeq) inflight = undefined;
      });
      // A load nobody waits for any more must not be an unhandled rejection.
      promise.catch(() => {});
      inflight = { promise, seq: mySeq };
    }
    return abortable(inflight.promise, signal);
  }

  /** Looks something up; when it is missing, refreshes discovery once and looks again. */
  async function lookup<T>(
    find: (r: DiscoveryResult) => T | undefined,
    signal?: AbortSignal,
  ): Promise<{ found?: T; result: DiscoveryResult }> {
    const startSeq = seq;
    const first = await load(0, signal);
    const hit = find(first.result);
    if (hit !== undefined) return { found: hit, result: first.result };
    // Only a load that started after this lookup can know of a kind created since.
    const second = await load(startSeq + 1, signal);
    return { found: find(second.result), result: second.result };
  }

  return {
    async mapping(gk, options) {
      const { found, result } = await lookup((r) => findKind(r.resources, gk), options?.signal);
      if (found) return found;
      const failed = result.failedGroups.get(gk.group);
      if (failed) throw failed;
      throw new NoMatchError(gk);
    },
    async resolve(text, options) {
      const { found } = await lookup((r) => resolveText(r.resources, text), options?.signal);
      if (found) return found;
      throw new UnknownResourceTypeError(text.trim());
    },
    async resources(options) {
      return (await load(0, options?.signal)).result.resources;
    },
    reset() {
      cache = undefined;
    },
  };
}

/**
 * The mapping of `gk` in discovered resources: the first (preferred) version serving it.
 *
 * @example
 * ```ts
 * import { type DiscoveredResource, findKind } from "@kstatus/kstatus/kube";
 * const resources: DiscoveredResource[] = [{
 *   group: "apps",
 *   version: "v1",
 *   kind: "Deployment",
 *   resource: "deployments",
 *   singular: "deployment",
 *   shortNames: ["deploy"],
 *   categories: ["all"],
 *   namespaced: true,
 *   verbs: ["get", "list", "watch"],
 * }];
 * findKind(resources, { group: "apps", kind: "Deployment" })?.resource; // "deployments"
 * ```
 */
export function findKind(
  resources: DiscoveredResource[],
  gk: GroupKind,
): ResourceMapping | undefined {
  const r = resources.find((r) => r.group === gk.group && r.kind === gk.kind);
  return r ? toMapping(r) : undefined;
}

function toMapping(r: DiscoveredResource): ResourceMapping {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    resource: r.resource,
    namespaced: r.namespaced,
  };
}

/**
 * Resolves what a user typed against discovered resources. Short names win
 * over plural names, plural over singular, singular over kinds; the core
 * group wins over other groups, which keep the server's order.
 *
 * @example
 * ```ts
 * import { type DiscoveredResource, resolveText } from "@kstatus/kstatus/kube";
 * const resources: DiscoveredResource[] = [{
 *   group: "apps",
 *   version: "v1",
 *   kind: "Deployment",
 *   resource: "deployments",
 *   singular: "deployment",
 *   shortNames: ["deploy"],
 *   categories: ["all"],
 *   namespaced: true,
 *   verbs: ["get", "list", "watch"],
 * }];
 * resolveText(resources, "deploy"); // { group: "apps", kind: "Deployment" }
 * resolveText(resources, "deployments.apps"); // the same
 * ```
 */
export function resolveText(resources: DiscoveredResource[], text: string): GroupKind | undefined {
  const lower = text.trim().toLowerCase();
  if (!lower) return undefined;
  const dot = lower.indexOf(".");
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const qualifier = dot < 0 ? undefined : lower.slice(dot + 1);
  const inGroup = (r: DiscoveredResource) =>
    qualifier === undefined || qualifier === r.group || qualifier === `${r.version}.${r.group}` ||
    (r.group === "" && qualifier === r.version);
  const classes: Array<(r: DiscoveredResource) => boolean> = [
    (r) => r.shortNames.some((s) => s.toLowerCase() === name),
    (r) => r.resource === name,
    (r) => r.singular === name,
    (r) => r.kind.toLowerCase() === name,
  ];
  for (const matches of classes) {
    const r = resources.find((r) => inGroup(r) && matches(r));
    if (r) return { group: r.group, kind: r.kind };
  }
  return undefined;
}
