/**
 * Plain data types of the Kubernetes client: resource mappings, watch
 * events and the options every call takes.
 *
 * @module
 */

import type { KubeObject } from "../types.ts";

/** Where a kind is served: its resource name, preferred version and scope. */
export interface ResourceMapping {
  /** API group, `""` for core. */
  group: string;
  /** Preferred version. */
  version: string;
  /** Kind. */
  kind: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  /** True for namespace-scoped kinds. */
  namespaced: boolean;
}

/** Options accepted by every call. */
export interface CallOptions {
  /** Aborting cancels the call at once, also during a retry's backoff sleep. */
  signal?: AbortSignal;
}

/** Options of {@linkcode KubeClient.list}. */
export interface ListOptions extends CallOptions {
  /** Label selector in query syntax (`app=web,tier in (a,b)`). */
  labelSelector?: string;
  /** Field selector in query syntax (`metadata.name=web`). */
  fieldSelector?: string;
  /** Page size; default 500. */
  limit?: number;
  /** Only items it accepts are kept, page by page (a cluster-wide list of a few namespaces). */
  keep?: (item: KubeObject) => boolean;
}

/** The result of a LIST: all items of all pages and the list's resourceVersion. */
export interface ListResult {
  /** The objects, each with `apiVersion` and `kind` filled in. */
  items: KubeObject[];
  /** `metadata.resourceVersion` of the list, to start a watch from. */
  resourceVersion: string;
}

/** Options of {@linkcode KubeClient.logs}. */
export interface LogOptions extends CallOptions {
  /** The container; the server picks the only one when omitted. */
  container?: string;
  /** The previous (terminated) instance of the container, after a restart. */
  previous?: boolean;
  /** Only the last this many lines. */
  tailLines?: number;
  /** At most this many bytes (the server counts from the first line it sends). */
  limitBytes?: number;
}

/** Options of {@linkcode KubeClient.watch}. */
export interface WatchOptions extends CallOptions {
  /** Start after this resourceVersion; unset means "current state as ADDED events, then changes". */
  resourceVersion?: string;
  /** Ask the server for BOOKMARK events. */
  allowWatchBookmarks?: boolean;
  /** Label selector in query syntax. */
  labelSelector?: string;
  /** Field selector in query syntax. */
  fieldSelector?: string;
  /** The server ends the watch after this many seconds. */
  timeoutSeconds?: number;
}

/** The event types a watch yields (`ERROR` events are thrown as typed errors instead). */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";

/** One event of a watch stream. */
export interface WatchEvent {
  /** What happened. */
  type: WatchEventType;
  /** The object after the change; for BOOKMARK only `metadata.resourceVersion` is meaningful. */
  object: KubeObject;
}

/** Options of {@linkcode KubeClient.delete}. */
export interface DeleteOptions extends CallOptions {
  /** How dependents are deleted. */
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  /** Seconds before the object is deleted; 0 deletes at once. */
  gracePeriodSeconds?: number;
}
