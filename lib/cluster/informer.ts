/**
 * One (GroupKind, namespace) kept in memory (or one kind across the
 * namespaces wanted, by a single cluster-wide LIST and WATCH): a LIST, then a WATCH kept open
 * from the list's resourceVersion, resumed after a dropped connection, a
 * server-closed stream or a stream silent for longer than the idle deadline,
 * relisted after `410 Gone`, retried with bounded, jittered exponential
 * backoff, and never sending more requests than its budget allows whatever
 * the server answers. The watch-backed cluster reader runs one per pair it
 * needs (`watch.ts`).
 *
 * @module
 */

import { systemClock } from "../engine/clock.ts";
import type { GroupKind, KubeObject } from "../types.ts";
import { withKind } from "./direct.ts";
import { isCancellation, isNoMatch } from "./errors.ts";
import type { CallOptions, KubeApi, ResourceMapping } from "./types.ts";

/** One event of a watch stream, as the Kubernetes client yields it. */
export interface WatchStreamEvent {
  /** `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` (an `ERROR` is normally thrown instead). */
  type: string;
  /** The object after the change; for a BOOKMARK only its resourceVersion matters. */
  object: KubeObject;
}

/** Options of a WATCH request. */
export interface WatchRequestOptions extends CallOptions {
  /** Start after this resourceVersion. */
  resourceVersion?: string;
  /** Ask the server for BOOKMARK events. */
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this many seconds. */
  timeoutSeconds?: number;
}

/**
 * The part of the Kubernetes client the watch-backed reader uses: the
 * caching reader's API plus WATCH. A `GoneError` (or any error with `code`
 * 410) means "relist"; other failures are retried with backoff.
 */
export interface WatchKubeApi extends KubeApi {
  /** WATCHes a resource in `namespace` (`""`: cluster-wide); ends when the server closes it. */
  watch(
    mapping: ResourceMapping,
    namespace: string,
    options?: WatchRequestOptions,
  ): AsyncIterable<WatchStreamEvent>;
}

/** Reconnection backoff: `initialMs`, doubled per failure up to `maxMs`, with jitter. */
export interface BackoffOptions {
  /** First delay; default 500 ms. */
  initialMs?: number;
  /**
   * Upper bound; default 5 s: someone is waiting on a rollout, and a re-watch costs one
   * request, so recovering quickly after an API server restart matters more than sparing it.
   */
  maxMs?: number;
  /** Source of randomness in [0, 1); default `Math.random`. */
  random?: () => number;
}

/**
 * A token bucket over an informer's requests (LIST and WATCH): at most `burst`
 * at once, then one per `refillMs`. No answer of the server (410 after 410,
 * streams that end at once) can make a pair send more.
 */
export interface RequestBudget {
  /** Requests that may be sent back to back; default 6. */
  burst?: number;
  /** One more request allowed per this many ms; default 2000. */
  refillMs?: number;
}

/** How an informer waits: an abortable sleep that rejects when the signal aborts. */
export type InformerSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** An object an informer reports as changed: its namespace (the pair's, or its own) and name. */
export interface ChangedObject {
  /** The pair's namespace; cluster-wide, the object's own (`""` for a cluster-scoped kind). */
  namespace: string;
  /** Its name. */
  name: string;
}

/** Options of {@linkcode startInformer}. */
export interface InformerOptions {
  /** Aborting stops the loop and closes the watch. */
  signal: AbortSignal;
  /** Called with the changed objects, or `"all"` when the pair's state changed. */
  onChange(changed: ChangedObject[] | "all"): void;
  /**
   * Cluster-wide: one LIST and one WATCH of every namespace, keeping only the objects of these
   * namespaces (the others are dropped as they arrive, so memory follows what is waited on).
   * The informer's `namespace` is then ignored.
   */
  namespaces?: ReadonlySet<string>;
  /**
   * Cluster-wide only: the server refused the cluster-wide LIST or WATCH (403). The loop stops
   * after this call (what it holds stays readable), so that the caller can watch per namespace.
   */
  onForbidden?(error: Error): void;
  /** Reconnection backoff. */
  backoff?: BackoffOptions;
  /** Server-side watch timeout, renewed by a resume; default a random 5-10 minutes. */
  watchTimeoutSeconds?: number;
  /** Sleep between retries; default real time. */
  sleep?: InformerSleep;
  /** Request budget of the pair. */
  budget?: RequestBudget;
  /**
   * A watch that delivered nothing (no event, no bookmark) for this long is
   * closed and resumed from the last resourceVersion: a half-open connection
   * or a proxy holding the stream is noticed. Default 30 s (the API server
   * sends a bookmark about every minute, so a healthy quiet pair costs one
   * WATCH per idle period at most). `0` turns it off.
   */
  idleTimeoutMs?: number;
  /** Clock of the budget, ms; default `Date.now` (tests advance it from `sleep`). */
  now?: () => number;
}

/** Counters of what an informer sent, for tests and benchmarks. */
export interface InformerStats {
  /** LIST requests (the first one, relists and retries). */
  lists: number;
  /** WATCH requests (the first one and every resume). */
  watches: number;
  /** Relists after `410 Gone`. */
  relists: number;
  /** BOOKMARK events received. */
  bookmarks: number;
  /** Change events (ADDED, MODIFIED, DELETED) received. */
  events: number;
  /** Watches closed by the idle deadline. */
  stalls: number;
}

/** What the reader sees of one (GroupKind, namespace). */
export type InformerState =
  | { kind: "pending" }
  | { kind: "error"; error: Error }
  | { kind: "ready"; mapping: ResourceMapping };

/** A running list+watch loop for one (GroupKind, namespace) and its objects. */
export interface Informer {
  /** The kind. */
  readonly gk: GroupKind;
  /** The namespace of the identifiers (kept even for cluster-scoped kinds); cluster-wide `""`. */
  readonly namespace: string;
  /**
   * Settles once the first LIST completed or failed; rejects only when the
   * kind could not be mapped for another reason than "no such kind".
   */
  readonly firstSync: Promise<void>;
  /** Resolves when the loop has stopped (after the signal aborted, or a fatal error). */
  readonly done: Promise<void>;
  /** The current state. */
  state(): InformerState;
  /** One object by name (cluster-wide: in `namespace`). */
  get(name: string, namespace?: string): KubeObject | undefined;
  /** Every object (cluster-wide: of `namespace`; a new array). */
  list(namespace?: string): KubeObject[];
  /** The objects whose controller ownerReference has `uid` (a new array). */
  controlledBy(uid: string, namespace?: string): KubeObject[];
  /** The resourceVersion the next watch resumes from. */
  resourceVersion(): string;
  /** Counters. */
  stats(): InformerStats;
}

/**
 * Starts the loop for (`gk`, `namespace`) at once; it runs until
 * `options.signal` aborts. Failures are kept as the pair's state (so reads
 * return them, as the caching reader does) and retried in the background.
 */
export function startInformer(
  api: WatchKubeApi,
  gk: GroupKind,
  namespace: string,
  options: InformerOptions,
): Informer {
  const { signal, onChange } = options;
  const sleep = options.sleep ?? systemClock.sleep;
  const backoff = createBackoff(options.backoff);
  const budget = createBudget(options.budget, options.now ?? Date.now);
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const stats = emptyStats();
  const wanted = options.namespaces;
  let state: InformerState = { kind: "pending" };
  // Objects by bucket: the pair's namespace, or cluster-wide each wanted namespace's own.
  let buckets = new Map<string, Bucket>();
  let rv = "";
  /** Where `obj` is kept; undefined: not wanted (another namespace, seen cluster-wide). */
  const bucketOf = (mapping: ResourceMapping, obj: KubeObject): string | undefined => {
    if (!wanted) return namespace;
    if (!mapping.namespaced) return "";
    const ns = metaOf(obj)?.namespace;
    return typeof ns === "string" && wanted.has(ns) ? ns : undefined;
  };
  /** The bucket a read of `ns` looks in. */
  const bucketFor = (ns: string | undefined): Bucket | undefined => {
    if (!wanted) return buckets.get(namespace);
    const namespaced = state.kind !== "ready" || state.mapping.namespaced;
    return buckets.get(namespaced ? ns ?? "" : "");
  };
  // Before the first sync settles, nothing the engine has read can be stale: no reports.
  let settled = false;
  let settle!: () => void;
  let fail!: (e: unknown) => void;
  const firstSync = new Promise<void>((resolve, reject) => {
    settle = () => {
      settled = true;
      resolve();
    };
    fail = reject;
  });
  firstSync.catch(() => {}); // the reader awaits it; nobody else must see an unhandled rejection

  const setError = (error: Error) => {
    const previous = state;
    state = { kind: "error", error };
    buckets = new Map();
    const same = previous.kind === "error" && previous.error.name === error.name &&
      previous.error.message === error.message;
    if (settled && !same) onChange("all");
    if (!settled) settle();
  };

  const replace = (mapping: ResourceMapping, items: KubeObject[]) => {
    const previous = state;
    const old = buckets;
    buckets = new Map();
    for (const item of items) {
      const key = bucketOf(mapping, item);
      if (key === undefined) continue;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, bucket = emptyBucket());
      put(bucket, item);
    }
    state = { kind: "ready", mapping };
    if (!settled) return settle();
    if (previous.kind !== "ready") return onChange("all");
    // A relist: report what differs from what was held.
    const changed: ChangedObject[] = [];
    for (const [ns, bucket] of buckets) {
      const before = old.get(ns)?.byName;
      for (const [name, obj] of bucket.byName) {
        const was = before?.get(name);
        if (!was || !sameVersion(was, obj)) changed.push({ namespace: ns, name });
      }
    }
    for (const [ns, bucket] of old) {
      for (const name of bucket.byName.keys()) {
        if (!buckets.get(ns)?.byName.has(name)) changed.push({ namespace: ns, name });
      }
    }
    if (changed.length) onChange(changed);
  };

  const apply = (mapping: ResourceMapping, type: string, obj: KubeObject) => {
    const ns = bucketOf(mapping, obj);
    if (ns === undefined) return; // another namespace, seen cluster-wide: not kept
    const name = nameOf(obj);
    let bucket = buckets.get(ns);
    const before = bucket?.byName.get(name);
    if (type === "DELETED") {
      if (!before) return;
      remove(bucket!, before);
      if (bucket!.byName.size === 0) buckets.delete(ns);
    } else {
      if (before && sameVersion(before, obj)) return;
      if (!bucket) buckets.set(ns, bucket = emptyBucket());
      if (before) remove(bucket, before);
      put(bucket, obj);
    }
    onChange([{ namespace: ns, name }]);
  };

  /** Waits out the next backoff delay; false when aborted meanwhile. */
  const pause = async (): Promise<boolean> => {
    try {
      await sleep(backoff.next(), signal);
      return true;
    } catch {
      return false;
    }
  };

  /** Waits until the budget allows one more request; false when aborted meanwhile. */
  const spend = async (): Promise<boolean> => {
    for (let wait = budget.take(); wait > 0; wait = budget.take()) {
      try {
        await sleep(wait, signal);
      } catch {
        return false;
      }
    }
    return !signal.aborted;
  };

  // Set when a watch delivered an event or a bookmark: the pair is making progress.
  let delivered = false;

  type WatchOutcome =
    | "aborted"
    | "gone"
    | "ended"
    | "idle"
    | "retry"
    | "relist"
    | "stalled"
    | { forbidden: Error };
  // The namespace asked for: cluster-wide, every one.
  const asked = wanted ? "" : namespace;
  /** Cluster-wide and refused: the caller watches per namespace instead. */
  const refused = (e: unknown): e is Error =>
    wanted !== undefined && options.onForbidden !== undefined && isForbidden(e);
  let handedOver = false;
  const handOver = (e: Error) => {
    handedOver = true;
    options.onForbidden!(e);
  };

  const watchOnce = async (mapping: ResourceMapping): Promise<WatchOutcome> => {
    let progressed = false;
    stats.watches++;
    // The idle deadline: one timer per watch, re-armed lazily from the time of the last event.
    const stream$ = new AbortController();
    const watchSignal = idleMs > 0 ? AbortSignal.any([signal, stream$.signal]) : signal;
    let lastSeen = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (ms: number) => {
      timer = setTimeout(() => {
        const rest = lastSeen + idleMs - Date.now();
        if (rest > 0) return arm(rest);
        stream$.abort(new DOMException("the watch was idle", "TimeoutError"));
      }, ms);
    };
    if (idleMs > 0) arm(idleMs);
    try {
      const stream = api.watch(mapping, listNamespace(mapping, asked), {
        resourceVersion: rv || undefined,
        allowWatchBookmarks: true,
        timeoutSeconds: options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
        signal: watchSignal,
      });
      for await (const event of stream) {
        lastSeen = Date.now();
        if (event.type === "ERROR") {
          // Clients that yield ERROR events rather than throwing them.
          return (event.object as { code?: unknown }).code === 410 ? "gone" : "relist";
        }
        progressed = true;
        delivered = true;
        backoff.reset();
        const version = versionOf(event.object);
        if (event.type === "BOOKMARK") {
          stats.bookmarks++;
          if (version) rv = version;
          continue;
        }
        if (event.type !== "ADDED" && event.type !== "MODIFIED" && event.type !== "DELETED") {
          continue;
        }
        stats.events++;
        apply(mapping, event.type, withKind(mapping, [event.object])[0]);
        if (version) rv = version;
      }
      // The server ended the stream (its timeout): resume; pause first if it gave us nothing.
      return progressed ? "ended" : "idle";
    } catch (e) {
      if (isCancellation(e, signal)) return "aborted";
      if (stream$.signal.aborted) {
        stats.stalls++;
        return "stalled";
      }
      if (isGone(e)) return "gone";
      if (refused(e)) return { forbidden: e };
      // A dropped or refused connection, or a server in trouble: resume where we were.
      if (isTransient(e)) return "retry";
      // Anything else (Forbidden, NotFound...): relist, which records the error if it persists.
      return "relist";
    } finally {
      clearTimeout(timer);
      stream$.abort();
    }
  };

  const run = async () => {
    let needList = true;
    let mapping: ResourceMapping | undefined;
    // A 410 right after a fresh LIST means the relist did not help: the next one waits.
    let goneSinceProgress = 0;
    while (!signal.aborted) {
      if (needList) {
        try {
          mapping = await api.mapper.mapping(gk, { signal });
        } catch (e) {
          if (isCancellation(e, signal)) return;
          // A kind without mapping may come later (a CRD applied after start): the mapper
          // refreshes discovery on unknown kinds, so retrying picks it up.
          if (!isNoMatch(e) && !settled) return fail(e);
          setError(asError(e));
          if (!await pause()) return;
          continue;
        }
        if (!await spend()) return;
        stats.lists++;
        let result: { items: KubeObject[]; resourceVersion?: string };
        try {
          const m = mapping;
          result = await api.list(mapping, listNamespace(mapping, asked), {
            signal,
            // Cluster-wide, the other namespaces' objects are dropped page by page.
            keep: wanted && ((item) => bucketOf(m, item) !== undefined),
          });
        } catch (e) {
          if (isCancellation(e, signal)) return;
          if (refused(e)) return handOver(e);
          setError(asError(e));
          if (!await pause()) return;
          continue;
        }
        replace(mapping, withKind(mapping, result.items));
        rv = result.resourceVersion ?? "";
        needList = false;
        // The backoff is reset by a watch that delivers, not by the LIST: a server that lists
        // fine but fails every watch (410 after 410) must still see growing pauses.
      }
      if (!await spend()) return;
      delivered = false;
      const outcome = await watchOnce(mapping!);
      if (delivered) goneSinceProgress = 0;
      if (outcome === "aborted") return;
      if (typeof outcome === "object") return handOver(outcome.forbidden);
      if (outcome === "gone") {
        stats.relists++;
        needList = true;
        if (goneSinceProgress++ > 0 && !await pause()) return;
        continue;
      }
      // A stalled stream is resumed at once: events it held back are replayed from `rv`.
      if (outcome === "ended" || outcome === "stalled") continue;
      if (outcome === "relist") needList = true;
      if (!await pause()) return;
    }
  };
  const done = run().then(
    // Closed before the first LIST finished: whoever waits for it must not wait forever.
    // Refused cluster-wide: the caller watches per namespace and waits for those instead.
    () => {
      if (settled) return;
      if (handedOver) settle();
      else fail(signal.reason);
    },
    (e) => {
      // The loop catches what it expects; anything else is a bug, surfaced on the pair.
      if (!settled) fail(e);
      else setError(asError(e));
    },
  );

  return {
    gk,
    namespace: asked,
    firstSync,
    done,
    state: () => state,
    get: (name, ns) => bucketFor(ns)?.byName.get(name),
    list: (ns) => [...bucketFor(ns)?.byName.values() ?? []],
    controlledBy: (uid, ns) => [...bucketFor(ns)?.byOwner.get(uid)?.values() ?? []],
    resourceVersion: () => rv,
    stats: () => ({ ...stats }),
  };
}

/** The objects of one namespace (or pair), by name and by controller uid. */
interface Bucket {
  byName: Map<string, KubeObject>;
  byOwner: Map<string, Map<string, KubeObject>>;
}

function emptyBucket(): Bucket {
  return { byName: new Map(), byOwner: new Map() };
}

function put(bucket: Bucket, obj: KubeObject): void {
  const name = nameOf(obj);
  bucket.byName.set(name, obj);
  const uid = controllerUid(obj);
  if (!uid) return;
  let owned = bucket.byOwner.get(uid);
  if (!owned) bucket.byOwner.set(uid, owned = new Map());
  owned.set(name, obj);
}

function remove(bucket: Bucket, obj: KubeObject): void {
  const name = nameOf(obj);
  bucket.byName.delete(name);
  const uid = controllerUid(obj);
  const owned = uid ? bucket.byOwner.get(uid) : undefined;
  if (!owned) return;
  owned.delete(name);
  if (owned.size === 0) bucket.byOwner.delete(uid!);
}

/** Counters at zero. */
export function emptyStats(): InformerStats {
  return { lists: 0, watches: 0, relists: 0, bookmarks: 0, events: 0, stalls: 0 };
}

/**
 * A token bucket: `take()` spends a token and returns 0, or returns the ms
 * until one is there (and spends nothing).
 */
export function createBudget(
  options: RequestBudget = {},
  now: () => number = Date.now,
): { take(): number } {
  const burst = Math.max(1, options.burst ?? 6);
  const refill = Math.max(1, options.refillMs ?? 2_000);
  let tokens = burst;
  let at = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(burst, tokens + (t - at) / refill);
      at = t;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - tokens) * refill);
    },
  };
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function createBackoff(options: BackoffOptions = {}): { next(): number; reset(): void } {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 5_000;
  const random = options.random ?? Math.random;
  let failures = 0;
  return {
    next() {
      const base = Math.min(max, initial * 2 ** failures);
      failures = Math.min(failures + 1, 30);
      return base / 2 + random() * (base / 2);
    },
    reset() {
      failures = 0;
    },
  };
}

/** The namespace to LIST and WATCH in: `""` (cluster-wide) for cluster-scoped kinds. */
function listNamespace(mapping: ResourceMapping, namespace: string): string {
  return mapping.namespaced ? namespace : "";
}

function metaOf(obj: KubeObject): Record<string, unknown> | undefined {
  const m = obj.metadata;
  return m && typeof m === "object" ? m as Record<string, unknown> : undefined;
}

function nameOf(obj: KubeObject): string {
  const name = metaOf(obj)?.name;
  return typeof name === "string" ? name : "";
}

function versionOf(obj: KubeObject): string {
  const rv = metaOf(obj)?.resourceVersion;
  return typeof rv === "string" ? rv : "";
}

/** Same non-empty resourceVersion: the same state of the object. */
function sameVersion(a: KubeObject, b: KubeObject): boolean {
  const v = versionOf(a);
  return v !== "" && v === versionOf(b);
}

/** The uid of the controller ownerReference, if any. */
function controllerUid(obj: KubeObject): string | undefined {
  const refs = metaOf(obj)?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) {
    if (r && typeof r === "object" && r.controller === true && typeof r.uid === "string") {
      return r.uid;
    }
  }
  return undefined;
}

/** `403 Forbidden`: not allowed (here: cluster-wide). */
function isForbidden(e: unknown): boolean {
  return e instanceof Error &&
    (e.name === "ForbiddenError" || (e as { code?: unknown }).code === 403);
}

/** `410 Gone` / `Expired`: the resourceVersion is too old, relist. */
function isGone(e: unknown): boolean {
  return e instanceof Error && (e.name === "GoneError" || (e as { code?: unknown }).code === 410);
}

/** Failures worth resuming the same watch after: connection problems, throttling, 5xx. */
function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === "ConnectionError" || e.name === "TransportError") return true;
  const code = (e as { code?: unknown }).code;
  return typeof code === "number" && (code === 429 || code >= 500);
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
