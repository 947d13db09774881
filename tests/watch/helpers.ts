/**
 * Helpers of the watch reader tests: a fake API server with a client, an
 * engine polling through the watch reader with its events recorded, and
 * waits with deadlines that leave no timer behind.
 *
 * @module
 */

import {
  type Clock,
  type Event,
  type KubeObject,
  type ObjectIdentifier,
  type ResourceStatus,
  type WatchClusterReader,
  watchClusterReaderFactory,
  type WatchReaderOptions,
} from "../../mod.ts";
import { createClient, type KubeClient, loadClientConfig } from "../../lib/kube/mod.ts";
import {
  type FakeApiServer,
  type FakeApiServerOptions,
  type RequestRecord,
  startFakeApiServer,
} from "../support/fake_apiserver.ts";
import { updatesPoller } from "../support/poller.ts";

/** Fast retries, so tests of reconnection take milliseconds. */
export const FAST: WatchReaderOptions = { backoff: { initialMs: 10, maxMs: 100 } };

/** Runs `fn` with a fresh fake server and a client for it, closing both afterwards. */
export async function withCluster(
  fn: (api: FakeApiServer, client: KubeClient) => Promise<void>,
  options?: FakeApiServerOptions,
): Promise<void> {
  const api = await startFakeApiServer(options);
  try {
    const config = await loadClientConfig({ kubeconfig: await api.kubeconfig(), env: {} });
    const client = createClient(config);
    try {
      await fn(api, client);
    } finally {
      client.close();
    }
  } finally {
    await api.close();
  }
}

/** An engine polling through the watch reader, its events recorded as they come. */
export interface Run {
  /** Every event so far. */
  events: Event[];
  /** How many times the engine called the reader's `sync` (once per full cycle). */
  syncs(): number;
  /** The reader the engine made (set once the poll started). */
  reader(): WatchClusterReader;
  /** Resolves with the first event (from index `from`) that `pred` accepts; rejects after `ms`. */
  waitFor(pred: (e: Event) => boolean, ms?: number, from?: number): Promise<Event>;
  /** Stops the poll and waits for it and the reader's loops to end. */
  stop(): Promise<void>;
}

/** Starts polling `ids` with the watch reader over `client`. */
export function startRun(
  client: KubeClient,
  ids: ObjectIdentifier[],
  opts: { pollInterval?: number; clock?: Clock; reader?: WatchReaderOptions } = {},
): Run {
  let reader: WatchClusterReader | undefined;
  let syncs = 0;
  const factory = watchClusterReaderFactory(client, opts.reader ?? FAST);
  const engine = updatesPoller({
    mapper: client.mapper,
    clock: opts.clock,
    clusterReaderFactory: async (args) => {
      const made = await factory(args) as WatchClusterReader;
      const sync = made.sync.bind(made);
      made.sync = (options) => {
        syncs++;
        return sync(options);
      };
      reader = made;
      return made;
    },
  });
  const controller = new AbortController();
  const events: Event[] = [];
  const listeners = new Set<() => void>();
  const done = (async () => {
    for await (
      const event of engine.poll(ids, {
        pollInterval: opts.pollInterval ?? 60_000,
        signal: controller.signal,
      })
    ) {
      events.push(event);
      for (const l of [...listeners]) l();
    }
  })();
  return {
    events,
    syncs: () => syncs,
    reader() {
      if (!reader) throw new Error("the engine has not made its reader yet");
      return reader;
    },
    waitFor(pred, ms = 5000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.slice(from).find(pred);
          if (!hit) return false;
          clearTimeout(timer);
          listeners.delete(onEvent);
          resolve(hit);
          return true;
        };
        const onEvent = () => void check();
        const timer = setTimeout(() => {
          listeners.delete(onEvent);
          reject(new Error(`no matching event within ${ms} ms; got:\n${describe(events)}`));
        }, ms);
        listeners.add(onEvent);
        check();
      });
    },
    async stop() {
      controller.abort();
      await done;
      await reader?.closed;
    },
  };
}

/** Predicate: a ResourceUpdate of `name` whose status satisfies `ok`. */
export function update(
  name: string,
  ok: (r: ResourceStatus) => boolean = () => true,
): (e: Event) => boolean {
  return (e) =>
    e.type === "ResourceUpdate" && e.resource.identifier.name === name && ok(e.resource);
}

/** One line per event, for failure messages. */
export function describe(events: readonly Event[]): string {
  return events.map((e) =>
    e.type === "ResourceUpdate"
      ? `${e.resource.identifier.kind}/${e.resource.identifier.name}: ${e.resource.status}` +
        (e.resource.error ? ` (${e.resource.error.message})` : "")
      : e.type === "Error"
      ? `Error: ${e.error.message}`
      : e.type
  ).join("\n");
}

/** Resolves when `cond` holds (checked every 5 ms); rejects after `ms`. */
export async function eventually(
  cond: () => boolean,
  ms = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The requests of `api` since index `from` with a verb among `verbs`. */
export function requestsOf(
  api: FakeApiServer,
  verbs: string[],
  from = 0,
): RequestRecord[] {
  return api.requests.slice(from).filter((r) => verbs.includes(r.verb));
}

/** An identifier. */
export function id(group: string, kind: string, name: string, namespace = "ns"): ObjectIdentifier {
  return { group, kind, namespace, name };
}

/** A Deployment with `replicas`, `ready` of them ready (status observed for its generation). */
export function deployment(
  name: string,
  ready: number,
  replicas = 2,
  namespace = "ns",
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, generation: 1, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } } },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        { type: "Available", status: ready === replicas ? "True" : "False" },
        {
          type: "Progressing",
          status: "True",
          reason: ready === replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        },
      ],
    },
  };
}

/** A ConfigMap. */
export function configMap(name: string, namespace = "ns", data: Record<string, string> = {}) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data };
}
