/**
 * A scripted `WatchKubeApi` for unit tests of the watch reader: objects in
 * memory, LIST failures queued per resource, and watch streams the test
 * feeds event by event (or ends, or fails).
 *
 * @module
 */

import {
  KindNoMatchError,
  type KubeObject,
  type ResourceMapping,
  type WatchKubeApi,
  type WatchRequestOptions,
  type WatchStreamEvent,
} from "../../mod.ts";

/** One open (or ended) watch stream. */
export interface Stream {
  /** The resource watched. */
  mapping: ResourceMapping;
  /** Namespace watched. */
  namespace: string;
  /** Options the reader sent. */
  options: WatchRequestOptions;
  /** True once the reader stopped reading it or it ended. */
  closed: boolean;
  /** Delivers an event. */
  push(type: string, object: KubeObject): void;
  /** Ends the stream as a server does after its timeout. */
  end(): void;
  /** Fails the stream with `error` (a dropped connection, a 410). */
  fail(error: Error): void;
}

/** The scripted API and its controls. */
export interface ScriptedApi extends WatchKubeApi {
  /** `list deployments ns`, `watch deployments ns rv=5`, `mapping apps/Deployment`. */
  calls: string[];
  /** Every watch stream, in order. */
  streams: Stream[];
  /** Served kinds by `group/Kind`; delete or add to change what the mapper knows. */
  kinds: Map<string, ResourceMapping>;
  /** Objects served by LIST, per `resource/namespace`. */
  objects: Map<string, KubeObject[]>;
  /** Errors the next LISTs of a resource throw, in order. */
  listFailures: Map<string, Error[]>;
  /** resourceVersion returned by LIST. */
  listVersion: string;
  /** Whether each LIST was given a `keep` filter (a cluster-wide one is); it is not applied. */
  listKeeps: boolean[];
  /** Resolves when a stream number `n` (1-based) has been opened. */
  nthStream(n: number): Promise<Stream>;
}

/** The mapping of Deployments. */
export const DEPLOYMENTS: ResourceMapping = {
  group: "apps",
  version: "v1",
  kind: "Deployment",
  resource: "deployments",
  namespaced: true,
};
/** The mapping of ReplicaSets. */
export const REPLICASETS: ResourceMapping = {
  group: "apps",
  version: "v1",
  kind: "ReplicaSet",
  resource: "replicasets",
  namespaced: true,
};
/** The mapping of Pods. */
export const PODS: ResourceMapping = {
  group: "",
  version: "v1",
  kind: "Pod",
  resource: "pods",
  namespaced: true,
};
/** The mapping of ConfigMaps. */
export const CONFIGMAPS: ResourceMapping = {
  group: "",
  version: "v1",
  kind: "ConfigMap",
  resource: "configmaps",
  namespaced: true,
};

/** A scripted API serving `mappings`. */
export function scriptedApi(mappings: ResourceMapping[]): ScriptedApi {
  const kinds = new Map(mappings.map((m) => [`${m.group}/${m.kind}`, m]));
  const calls: string[] = [];
  const streams: Stream[] = [];
  const objects = new Map<string, KubeObject[]>();
  const listFailures = new Map<string, Error[]>();
  const streamWaiters = new Set<() => void>();

  const api: ScriptedApi = {
    calls,
    streams,
    kinds,
    objects,
    listFailures,
    listVersion: "1",
    listKeeps: [],
    mapper: {
      mapping(gk) {
        calls.push(`mapping ${gk.group}/${gk.kind}`);
        const m = kinds.get(`${gk.group}/${gk.kind}`);
        return m ? Promise.resolve(m) : Promise.reject(new KindNoMatchError(gk));
      },
    },
    get() {
      return Promise.reject(new Error("the watch reader must not GET"));
    },
    list(mapping, namespace, options) {
      calls.push(`list ${mapping.resource} ${namespace}`);
      api.listKeeps.push(options?.keep !== undefined);
      const failure = listFailures.get(mapping.resource)?.shift();
      if (failure) return Promise.reject(failure);
      const items = objects.get(`${mapping.resource}/${namespace}`) ?? [];
      return Promise.resolve({ items: structuredClone(items), resourceVersion: api.listVersion });
    },
    watch(mapping, namespace, options = {}) {
      calls.push(`watch ${mapping.resource} ${namespace} rv=${options.resourceVersion ?? ""}`);
      const queue: Array<{ event?: WatchStreamEvent; end?: true; error?: Error }> = [];
      let wake: (() => void) | undefined;
      const stream: Stream = {
        mapping,
        namespace,
        options,
        closed: false,
        push(type, object) {
          queue.push({ event: { type, object: structuredClone(object) } });
          wake?.();
        },
        end() {
          queue.push({ end: true });
          wake?.();
        },
        fail(error) {
          queue.push({ error });
          wake?.();
        },
      };
      streams.push(stream);
      for (const w of [...streamWaiters]) w();
      const signal = options.signal;
      return (async function* () {
        try {
          while (true) {
            const item = queue.shift();
            if (item?.error) throw item.error;
            if (item?.end) return;
            if (item?.event) {
              yield item.event;
              continue;
            }
            await new Promise<void>((resolve, reject) => {
              const onAbort = () => reject(signal!.reason);
              if (signal?.aborted) return onAbort();
              signal?.addEventListener("abort", onAbort, { once: true });
              wake = () => {
                wake = undefined;
                signal?.removeEventListener("abort", onAbort);
                resolve();
              };
            });
          }
        } finally {
          stream.closed = true;
        }
      })();
    },
    nthStream(n) {
      return new Promise((resolve) => {
        const check = () => {
          if (streams.length < n) return;
          streamWaiters.delete(check);
          resolve(streams[n - 1]);
        };
        streamWaiters.add(check);
        check();
      });
    },
  };
  return api;
}

/** An object of `kind` with a resourceVersion and optional controller owner. */
export function obj(
  kind: string,
  name: string,
  rv: string,
  extra: { namespace?: string; owner?: string; labels?: Record<string, string> } = {},
): KubeObject {
  const metadata: Record<string, unknown> = {
    name,
    namespace: extra.namespace ?? "ns",
    resourceVersion: rv,
    uid: `uid-${name}`,
  };
  if (extra.labels) metadata.labels = extra.labels;
  if (extra.owner) {
    metadata.ownerReferences = [{ kind: "X", name: "owner", uid: extra.owner, controller: true }];
  }
  return { metadata, kind };
}
