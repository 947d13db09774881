/**
 * The interfaces between the engine and the cluster: a REST mapper that
 * turns a GroupKind into a resource, and the `ClusterReader`s that fetch
 * objects (direct, caching, watch-backed, or a user's own).
 *
 * @module
 */

import type { CallOptions, LogOptions, ResourceMapping, WatchOptions } from "../kube/types.ts";
import type { Selector } from "../selector.ts";
import type { GroupKind, KubeObject, ObjectIdentifier } from "../types.ts";

// The client's own definitions: one shape for a mapping and call options across the library.
export type { CallOptions, ResourceMapping } from "../kube/types.ts";

/** Maps a GroupKind to its resource. Throws a `NoMatchError` for unknown kinds. */
export interface RestMapper {
  /** The mapping of `gk`, from discovery. */
  mapping(gk: GroupKind, options?: CallOptions): Promise<ResourceMapping>;
  /** Forgets cached discovery so the next lookup asks the server again. */
  reset?(): void;
}

/**
 * Reads objects from a cluster. `get` and the lists throw the client's
 * typed errors (NotFound, Forbidden, NoMatch, ...); `sync` is called once
 * before every poll cycle (the caching reader refreshes there).
 */
export interface ClusterReader {
  /** One object; throws a NotFound error when it does not exist. */
  get(id: ObjectIdentifier, options?: CallOptions): Promise<KubeObject>;
  /** Objects of a namespaced kind in `namespace` matching `selector` (all when undefined). */
  listNamespaceScoped(
    gk: GroupKind,
    namespace: string,
    selector: Selector | undefined,
    options?: CallOptions,
  ): Promise<KubeObject[]>;
  /** Objects of a cluster-scoped kind matching `selector`. */
  listClusterScoped(
    gk: GroupKind,
    selector: Selector | undefined,
    options?: CallOptions,
  ): Promise<KubeObject[]>;
  /**
   * Optional fast path: objects of `gk` in `namespace` whose controller
   * ownerReference has `ownerUid`. Readers that index by owner implement it;
   * status readers fall back to listing by selector otherwise.
   */
  listControlledBy?(
    gk: GroupKind,
    namespace: string,
    ownerUid: string,
    options?: CallOptions,
  ): Promise<KubeObject[]>;
  /**
   * Optional, for readers that learn of changes as they happen (watch-backed):
   * resolves with the objects changed since the last call, as soon as there
   * is at least one. The engine then re-reads only the resources concerned
   * instead of waiting for the next tick.
   */
  nextChange?(options?: CallOptions): Promise<ObjectIdentifier[]>;
  /** Prepares for a poll cycle; failures other than per-kind ones stop the engine. */
  sync(options?: CallOptions): Promise<void>;
  /** Releases what the reader holds (watches, caches). Optional. */
  close?(): void;
}

/** What a factory needs to build a ClusterReader for a set of identifiers. */
export interface ClusterReaderArgs {
  /** The identifiers that will be polled. */
  identifiers: readonly ObjectIdentifier[];
  /** The mapper to resolve kinds with. */
  mapper: RestMapper;
  /** Kinds whose objects the status readers need as children of `gk`. */
  childKinds(gk: GroupKind): readonly GroupKind[];
}

/** Builds the ClusterReader the engine uses for one `poll()` call. */
export type ClusterReaderFactory = (
  args: ClusterReaderArgs,
) => ClusterReader | Promise<ClusterReader>;

/** The part of the Kubernetes client the direct and caching readers use. */
export interface KubeApi {
  /** Discovery-backed mapper. */
  mapper: RestMapper;
  /** GET one object. */
  get(
    mapping: ResourceMapping,
    namespace: string,
    name: string,
    options?: CallOptions,
  ): Promise<KubeObject>;
  /**
   * LIST (all pages) in a namespace, or cluster-wide with `""`. `keep`, when given, may drop
   * items as pages arrive (an API that ignores it returns them all; callers filter again).
   */
  list(
    mapping: ResourceMapping,
    namespace: string,
    options?: CallOptions & {
      labelSelector?: string;
      fieldSelector?: string;
      limit?: number;
      keep?: (item: KubeObject) => boolean;
    },
  ): Promise<{ items: KubeObject[]; resourceVersion?: string }>;
  /** A container's log as text (`pods/log`), when the API serves logs (diagnostics use it). */
  logs?(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  /** WATCH a resource, when the API can (live Warning events use it). */
  watch?(
    mapping: ResourceMapping,
    namespace: string,
    options?: WatchOptions,
  ): AsyncIterable<{ type: string; object: KubeObject }>;
}
