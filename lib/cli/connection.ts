/**
 * What the cluster commands need from a cluster, as one small interface, so
 * they can run against the real client or an in-memory cluster in tests.
 *
 * @module
 */

import { cachingClusterReaderFactory } from "../cluster/caching.ts";
import { directClusterReaderFactory } from "../cluster/direct.ts";
import type { ClusterReaderFactory, KubeApi } from "../cluster/types.ts";
import type { GroupKind } from "../types.ts";

/** Which cluster reader the engine uses. */
export type ReaderChoice = "caching" | "direct" | "watch";

/** Flags that say where the cluster is. */
export interface ConnectionFlags {
  /** `--kubeconfig`. */
  kubeconfig?: string;
  /** `--context`. */
  context?: string;
  /** `-n`, overrides the context's namespace. */
  namespace?: string;
  /** `--as`: act as this user. */
  as?: string;
  /** `--as-group`: act as a member of these groups. */
  asGroups?: string[];
  /** `-v`: each request's method, URL, status and time go here (never a header). */
  logRequest?: (line: string) => void;
  /** `--request-timeout` in ms: bound on one request; 0 (default) leaves the built-in deadlines. */
  requestTimeoutMs?: number;
}

/** A connected cluster. */
export interface Connection {
  /** The API (get, list, mapper). */
  api: KubeApi;
  /** The namespace for objects that name none. */
  namespace: string;
  /** The server URL, for messages. */
  server: string;
  /** Resolves what users type (`deploy`, `deployments.apps`, `sts`) to a GroupKind. */
  resolveKind(text: string, signal?: AbortSignal): Promise<GroupKind>;
  /** The factory for a reader choice. */
  readerFactory(choice: ReaderChoice): ClusterReaderFactory;
  /** Releases connections. */
  close(): void;
  /** Requests sent so far. */
  stats(): RequestStats;
  /** The resource types the server serves, as typed on a command line (shell completion). */
  resourceTypes?(signal?: AbortSignal): Promise<string[]>;
  /**
   * What every request is waiting on now, when it is not the server (an exec credential plugin
   * that has not answered): a deadline that fires meanwhile names it.
   */
  stalledOn?(): string | undefined;
}

/** The requests a connection has sent so far. */
export interface RequestStats {
  /** Requests sent to the API server, every retry included (0 when not counted). */
  requests: number;
  /** Requests by verb and resource, e.g. `{ "list apps/deployments": 3 }`. */
  byVerb: Record<string, number>;
}

/** What a wait has cost so far, for `-o json` summaries and benchmarks. */
export interface ConnectionStats extends RequestStats {
  /** Full poll cycles started (the engine's `Sync` events). */
  cycles: number;
  /**
   * Requests sent after the first cycle's sync: what the steady state costs (a watch resumed, a
   * relist, the caching reader's LISTs of later cycles), without the first LISTs and WATCHes.
   */
  steadyRequests: number;
}

/** Opens a connection from flags and environment. */
export type Connector = (
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
) => Promise<Connection>;

/** Lists the contexts of the kubeconfig the flags point at (`--all-contexts`). */
export type ContextLister = (
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
) => Promise<string[]>;

/**
 * A Connection over any `KubeApi` (the real client, or an in-memory
 * cluster in tests); `watch` falls back to `caching` until a watch-backed
 * factory is given.
 */
export function connectionFromApi(
  api: KubeApi,
  options: {
    namespace: string;
    server: string;
    resolveKind: Connection["resolveKind"];
    factories?: Partial<Record<ReaderChoice, ClusterReaderFactory>>;
    close?: () => void;
    /** The client's request counter, when it has one. */
    requests?: { total(): number; snapshot(): Record<string, number> };
    /** The resource types the server serves (discovery). */
    resourceTypes?: Connection["resourceTypes"];
    /** What requests wait on, when not the server. */
    stalledOn?: Connection["stalledOn"];
  },
): Connection {
  return {
    api,
    namespace: options.namespace,
    server: options.server,
    resolveKind: options.resolveKind,
    readerFactory(choice) {
      return options.factories?.[choice] ??
        (choice === "direct" ? directClusterReaderFactory(api) : cachingClusterReaderFactory(api));
    },
    close: options.close ?? (() => {}),
    stats: () => ({
      requests: options.requests?.total() ?? 0,
      byVerb: options.requests?.snapshot() ?? {},
    }),
    resourceTypes: options.resourceTypes,
    stalledOn: options.stalledOn,
  };
}
