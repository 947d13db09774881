/**
 * The `StatusReader` interface: how the engine turns an identifier into a
 * `ResourceStatus`, with children. Implementations live in `readers/`, one
 * module per kind, registered in a `Map` keyed by `group/Kind`.
 *
 * @module
 */

import type { ClusterReader, RestMapper } from "./cluster/types.ts";
import { isCancellation, isNotFound } from "./cluster/errors.ts";
import { groupKindKey } from "./groupkind.ts";
import type {
  ComputeResult,
  GroupKind,
  KubeObject,
  ObjectIdentifier,
  ResourceStatus,
} from "./types.ts";

/** Computes an object's own status at a time: `computeStatus`, or a rule set's evaluation. */
export type ComputeFn = (obj: KubeObject, now: Date) => ComputeResult;

/** What a status reader may use while reading. */
export interface StatusReaderContext {
  /** Where objects come from. */
  cluster: ClusterReader;
  /** Resolves kinds. */
  mapper: RestMapper;
  /** Readers for children (a Deployment's ReplicaSets are read by the ReplicaSet reader). */
  registry: StatusReaderRegistry;
  /** The current time (pods' scheduling window). */
  now: () => Date;
  /**
   * How readers compute an object's own status when they have no rule of their own; readers
   * fall back to `computeStatus` (the contract) without it.
   */
  compute?: ComputeFn;
  /** Aborting cancels reads. */
  signal?: AbortSignal;
}

/** Reads the status of the kinds it supports. */
export interface StatusReader {
  /** True when this reader handles `gk`. */
  supports(gk: GroupKind): boolean;
  /** Fetches the object and computes its status; per-resource problems become statuses. */
  readStatus(ctx: StatusReaderContext, id: ObjectIdentifier): Promise<ResourceStatus>;
  /** Computes the status of an object already fetched (children are still looked up). */
  readStatusForObject(ctx: StatusReaderContext, obj: KubeObject): Promise<ResourceStatus>;
  /** Kinds this reader lists to find children, so caching readers can fetch them up front. */
  childKinds?: readonly GroupKind[];
}

/** Status readers by `group/Kind` (core group: `Kind`). */
export type StatusReaderRegistry = Map<string, StatusReader>;

/**
 * The reader for `gk`: the registry entry under its key, else the first
 * registered reader whose `supports` accepts it, else `fallback`.
 *
 * @example
 * ```ts
 * import { defaultStatusReaders, genericStatusReader, lookupStatusReader } from "@kstatus/kstatus";
 * const reader = lookupStatusReader(
 *   defaultStatusReaders(),
 *   { group: "apps", kind: "Deployment" },
 *   genericStatusReader,
 * );
 * console.log(reader.childKinds); // [{ group: "apps", kind: "ReplicaSet" }]
 * ```
 */
export function lookupStatusReader(
  registry: StatusReaderRegistry,
  gk: GroupKind,
  fallback: StatusReader,
): StatusReader {
  const direct = registry.get(groupKindKey(gk));
  if (direct) return direct;
  for (const reader of registry.values()) if (reader.supports(gk)) return reader;
  return fallback;
}

/**
 * Turns a read error into a status, as the spec's error mapping says:
 * cancellation is rethrown, NotFound becomes `NotFound`, anything else
 * `Unknown` with the error attached.
 *
 * @example
 * ```ts
 * import { ResourceNotFoundError, statusFromError } from "@kstatus/kstatus";
 * const id = { group: "", kind: "Pod", namespace: "ns", name: "web-0" };
 * statusFromError(id, new ResourceNotFoundError("gone")).status; // "NotFound"
 * statusFromError(id, new Error("boom")).status; // "Unknown", with the error attached
 * ```
 */
export function statusFromError(
  id: ObjectIdentifier,
  error: unknown,
  signal?: AbortSignal,
  extra: Pick<ResourceStatus, "resource" | "generatedResources"> = { generatedResources: [] },
): ResourceStatus {
  if (isCancellation(error, signal)) throw error;
  if (isNotFound(error)) {
    return {
      identifier: id,
      status: "NotFound",
      message: "Resource not found",
      generatedResources: [],
    };
  }
  return {
    identifier: id,
    status: "Unknown",
    message: "",
    error: error instanceof Error ? error : new Error(String(error)),
    ...extra,
  };
}
