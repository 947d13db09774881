/**
 * A fake kube-apiserver for tests: a real HTTPS server on 127.0.0.1 with a
 * per-run PKI (client certificates verified for real), bearer token and
 * basic auth, a configurable "forbidden" rule, discovery (aggregated and
 * legacy), an in-memory store with one global resourceVersion counter,
 * GET / LIST (label and field selectors, `limit`/`continue`) / WATCH
 * (resume, bookmarks) and create / update / merge-patch / delete over HTTP,
 * a request log, and fault injection. It runs in the test process
 * (`node:https`, which under Deno can request client certificates), so the
 * control API is plain TypeScript; CLI subprocesses reach it through the
 * kubeconfig it writes.
 *
 * @example
 * ```ts ignore
 * const api = await startFakeApiServer();
 * api.put({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "ns" } });
 * const kubeconfig = await api.kubeconfig();            // client certificate auth
 * const client = createClient(await loadClientConfig({ kubeconfig }));
 * api.failNext({ verb: "list" }, { status: 429, retryAfter: 1 });
 * const m = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
 * const { items } = await client.list(m, "ns");          // retried after the 429
 * assert.equal(api.requests.filter((r) => r.verb === "list").length, 2);
 * client.close();
 * await api.close();
 * ```
 *
 * @module
 */

import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { parseSelector, type Selector } from "../../lib/selector.ts";
import { type CertPair, createPki, type Pki } from "./certs.ts";
import { BUILTIN_KINDS, type FakeKind } from "./fake_kinds.ts";

export type { CertPair, FakeKind, Pki };

/** A Kubernetes object as stored. */
export type Obj = Record<string, unknown>;

/** What the server saw of one request. */
export interface RequestRecord {
  /** HTTP method. */
  method: string;
  /** URL path. */
  path: string;
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `discovery`, `other`. */
  verb: string;
  /** API group (`""` for core and for non-resource paths). */
  group: string;
  /** Version from the path. */
  version: string;
  /** Plural resource name, `""` for discovery. */
  resource: string;
  /** Subresource (`status`), `""` when none. */
  subresource: string;
  /** Namespace from the path, `""` when none. */
  namespace: string;
  /** Object name, `""` for collections. */
  name: string;
  /** Query parameters. */
  query: Record<string, string>;
  /** `Accept` header. */
  accept: string;
  /** Authenticated user name, `undefined` when authentication failed. */
  user?: string;
  /** How the user authenticated. */
  authKind?: "cert" | "token" | "basic" | "anonymous";
  /** Status code sent (0 for a reset connection or a still-open watch). */
  status: number;
}

/** Selects requests: fields that must be equal, or a predicate. */
export type RequestMatcher =
  | Partial<
    Pick<
      RequestRecord,
      "method" | "path" | "verb" | "group" | "resource" | "subresource" | "namespace" | "name"
    >
  >
  | ((r: RequestRecord) => boolean);

/** What the "forbidden" rule is asked about. */
export interface AccessRequest {
  /** User name. */
  user: string;
  /** User's groups. */
  groups: string[];
  /** Verb. */
  verb: string;
  /** API group. */
  group: string;
  /** Plural resource. */
  resource: string;
  /** Namespace (`""` for cluster-wide). */
  namespace: string;
  /** Name (`""` for collections). */
  name: string;
  /** Subresource (`log`, `status`), `""` when none. */
  subresource: string;
}

/** Options of {@linkcode startFakeApiServer}. */
export interface FakeApiServerOptions {
  /**
   * `required` (default): the TLS handshake fails without a client
   * certificate signed by the CA. `optional`: connections without a
   * certificate are accepted (tokens, basic auth); a certificate that is
   * presented must still verify, else the connection is cut.
   */
  clientCert?: "required" | "optional";
  /** Accepted bearer tokens and the user each stands for. */
  tokens?: Record<string, string>;
  /** Accepted basic-auth users and their passwords. */
  basicUsers?: Record<string, string>;
  /** Accept unauthenticated requests as `system:anonymous`. */
  anonymous?: boolean;
  /** Serve aggregated discovery when asked for it; default true. */
  aggregatedDiscovery?: boolean;
  /** Names (IPs and DNS names) the server certificate is valid for; default 127.0.0.1, localhost. */
  serverNames?: string[];
  /** Send a BOOKMARK to watches that allow them every this many ms; default: only on `bookmark()`. */
  bookmarkIntervalMs?: number;
  /** Requests for which this returns true get a 403. */
  forbidden?: (req: AccessRequest) => boolean;
}

/** Options of {@linkcode FakeApiServer.kubeconfig}. */
export interface KubeconfigOptions {
  /** How the user authenticates; default `cert` (files). */
  auth?: "cert" | "cert-data" | "token" | "token-file" | "basic" | "exec" | "none";
  /** User name for certificates and tokens; default `admin`. */
  user?: string;
  /** Groups for a new client certificate; default `system:masters`. */
  groups?: string[];
  /** Token for `token` and `token-file` (registered with the server); default: a random one. */
  token?: string;
  /** Basic auth user name; default `admin`. */
  username?: string;
  /** Basic auth password (registered with the server); default: a random one. */
  password?: string;
  /** Exec plugin for `exec`. */
  exec?: {
    command: string;
    args?: string[];
    env?: Array<{ name: string; value: string }>;
    apiVersion?: string;
    interactiveMode?: string;
    provideClusterInfo?: boolean;
    installHint?: string;
  };
  /** How the server is trusted: CA `file` (default), CA `data`, `none` (system roots) or `insecure`. */
  ca?: "file" | "data" | "none" | "insecure";
  /** `tls-server-name` of the cluster. */
  tlsServerName?: string;
  /** Server URL; default the server's `https://127.0.0.1:<port>`. */
  server?: string;
  /** Context namespace. */
  namespace?: string;
  /** Context name; default `fake`. */
  context?: string;
  /** Cluster entry name; default `fake-cluster`. */
  cluster?: string;
  /** User entry name; default `fake-user`. */
  userEntry?: string;
  /** `proxy-url` of the cluster. */
  proxyUrl?: string;
  /** Where to write; default a new file in the server's directory. */
  file?: string;
}

/** A running fake API server and its control API. */
export interface FakeApiServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port. */
  readonly port: number;
  /** Temporary directory with the PKI and kubeconfigs (removed on close). */
  readonly dir: string;
  /** The PKI: CA, server and client certificates. */
  readonly pki: Pki;
  /** Every request received, in order. */
  readonly requests: RequestRecord[];
  /** The current (last issued) resourceVersion. */
  readonly resourceVersion: number;
  /** Forgets the request log. */
  resetRequests(): void;
  /** Creates or replaces an object (kind must be registered); bumps resourceVersion; notifies watches. */
  put(obj: Obj): Obj;
  /** Deletes an object at once (finalizers ignored); notifies watches. False when absent. */
  remove(gk: { group: string; kind: string }, namespace: string, name: string): boolean;
  /** A copy of a stored object. */
  get(gk: { group: string; kind: string }, namespace: string, name: string): Obj | undefined;
  /** Copies of stored objects of a kind, in one namespace or all (`undefined`). */
  list(gk: { group: string; kind: string }, namespace?: string): Obj[];
  /** Serves a new kind (as when a CRD is applied). */
  registerKind(kind: FakeKind): void;
  /** Stops serving a kind. */
  unregisterKind(gk: { group: string; kind: string; version?: string }): void;
  /** Sets or clears the "forbidden" rule. */
  setForbidden(rule: ((req: AccessRequest) => boolean) | undefined): void;
  /** Accepts a bearer token for `user`. */
  addToken(token: string, user?: string, groups?: string[]): void;
  /** Stops accepting a bearer token. */
  removeToken(token: string): void;
  /** Accepts basic auth for `username`. */
  addBasicUser(username: string, password: string): void;
  /** Turns aggregated discovery on or off. */
  setAggregatedDiscovery(on: boolean): void;
  /** The next `times` (default 1) matching requests get `status` with a Status body. */
  failNext(
    matcher: RequestMatcher,
    fault: {
      status: number;
      retryAfter?: number;
      times?: number;
      reason?: string;
      message?: string;
    },
  ): void;
  /** The next `times` (default 1) matching requests have their connection destroyed. */
  resetNext(matcher: RequestMatcher, opts?: { times?: number }): void;
  /**
   * The next `times` (default 1) matching requests get their response
   * headers and half of the body, then the connection is destroyed.
   */
  truncateNext(matcher: RequestMatcher, opts?: { times?: number }): void;
  /** The next `times` (default 1) matching requests wait `ms` before being served. */
  delayNext(matcher: RequestMatcher, ms: number, opts?: { times?: number }): void;
  /** Every request waits this long before being served (0 = none). */
  setLatency(ms: number): void;
  /**
   * What `pods/log` serves for a container (`previous` for the instance before the last
   * restart). The pod must exist; `tailLines` and `limitBytes` are applied as the kubelet does
   * (the byte limit counts from the first line sent).
   */
  setLogs(
    namespace: string,
    pod: string,
    container: string,
    text: string,
    opts?: { previous?: boolean },
  ): void;
  /** Continue tokens issued so far answer 410 Expired. */
  expireContinueTokens(): void;
  /** Watches from a resourceVersion older than now get an ERROR 410 ("too old resource version"). */
  compact(): void;
  /** Open watch streams matching `matcher` (all when omitted). */
  watchCount(matcher?: RequestMatcher): number;
  /** Resolves when at least `n` matching watches are open; rejects after `timeoutMs` (default 5000). */
  waitForWatches(n: number, matcher?: RequestMatcher, timeoutMs?: number): Promise<void>;
  /** Sends a BOOKMARK with the current resourceVersion to every watch that allows bookmarks. */
  bookmark(): void;
  /** Sends an ERROR event (default 410 Expired) to matching watches and ends them. */
  watchError(
    matcher?: RequestMatcher,
    status?: { code?: number; reason?: string; message?: string },
  ): void;
  /** Destroys the connections of matching watches mid-stream. */
  dropWatches(matcher?: RequestMatcher): void;
  /** Ends matching watches cleanly, as the server does after `timeoutSeconds`. */
  endWatches(matcher?: RequestMatcher): void;
  /** Writes a kubeconfig for this server and returns its path. */
  kubeconfig(opts?: KubeconfigOptions): Promise<string>;
  /** Stops the server, ends every connection and removes the temporary directory. */
  close(): Promise<void>;
}

interface KindEntry extends FakeKind {
  singularName: string;
}

interface Identity {
  user: string;
  groups: string[];
  kind: "cert" | "token" | "basic" | "anonymous";
}

interface Watcher {
  record: RequestRecord;
  gkKey: string;
  kind: KindEntry;
  namespace: string;
  selector?: Selector;
  fields: FieldReq[];
  bookmarks: boolean;
  res: ServerResponse;
  socket: TLSSocket;
  timer?: ReturnType<typeof setTimeout>;
  closed: boolean;
}

interface HistoryEvent {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  gkKey: string;
  obj: Obj;
  prev?: Obj;
}

interface Fault {
  matcher: RequestMatcher;
  times: number;
  kind: "fail" | "reset" | "delay" | "truncate";
  status?: number;
  retryAfter?: number;
  reason?: string;
  message?: string;
  ms?: number;
}

interface FieldReq {
  /** A dotted path: `metadata.name`, `type`, `regarding.name`. */
  field: string;
  value: string;
  negate: boolean;
}

const AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

function gkKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function meta(o: Obj): Obj {
  if (!isObj(o.metadata)) o.metadata = {};
  return o.metadata as Obj;
}

function groupOfApiVersion(apiVersion: unknown): string {
  const s = typeof apiVersion === "string" ? apiVersion : "";
  const i = s.indexOf("/");
  return i < 0 ? "" : s.slice(0, i);
}

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

function matches(matcher: RequestMatcher | undefined, r: RequestRecord): boolean {
  if (!matcher) return true;
  if (typeof matcher === "function") return matcher(r);
  return Object.entries(matcher).every(([k, v]) => r[k as keyof RequestRecord] === v);
}

function status(code: number, message: string, extra: Obj = {}): Obj {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: REASONS[code] ?? "",
    code,
    ...extra,
  };
}

function randomString(n: number): string {
  const chars = "bcdfghjklmnpqrstvwxz2456789";
  let s = "";
  for (let i = 0; i < n; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/**
 * Starts a fake API server on 127.0.0.1 with a random port.
 *
 * @example
 * ```ts ignore
 * const api = await startFakeApiServer({ clientCert: "optional", tokens: { s3cr3t: "alice" } });
 * const path = await api.kubeconfig({ auth: "token", token: "s3cr3t" });
 * await api.close();
 * ```
 */
export async function startFakeApiServer(
  options: FakeApiServerOptions = {},
): Promise<FakeApiServer> {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-fake-api-"));
  let pki: Pki;
  try {
    pki = await createPki(dir, options.serverNames);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const certRequired = (options.clientCert ?? "required") === "required";
  const tokens = new Map<string, Identity>();
  for (const [t, user] of Object.entries(options.tokens ?? {})) {
    tokens.set(t, { user, groups: ["system:authenticated"], kind: "token" });
  }
  const basicUsers = new Map<string, string>(Object.entries(options.basicUsers ?? {}));
  let aggregated = options.aggregatedDiscovery ?? true;
  let forbidden = options.forbidden;
  let latency = 0;
  const logs = new Map<string, string>();

  const kinds: KindEntry[] = [];
  const store = new Map<string, Map<string, Obj>>(); // gkKey → "ns/name" → object
  const history: HistoryEvent[] = [];
  let rv = 0;
  let compactedRv = 0;
  let continueGeneration = 0;
  const watchers = new Set<Watcher>();
  const watchWaiters = new Set<() => void>();
  const faults: Fault[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const requests: RequestRecord[] = [];
  const truncating = new WeakSet<ServerResponse>();
  let kubeconfigCount = 0;
  let closed = false;

  function registerKind(k: FakeKind): void {
    const i = kinds.findIndex((e) =>
      e.group === k.group && e.version === k.version && e.kind === k.kind
    );
    const entry = { ...k, singularName: k.singular ?? k.kind.toLowerCase() };
    if (i >= 0) kinds[i] = entry;
    else kinds.push(entry);
  }
  for (const k of BUILTIN_KINDS) registerKind(k);

  function kindFor(group: string, kind: string): KindEntry | undefined {
    return kinds.find((k) => k.group === group && k.kind === kind);
  }

  function bucket(key: string): Map<string, Obj> {
    let b = store.get(key);
    if (!b) store.set(key, b = new Map());
    return b;
  }

  function objKey(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  // ---- store ----

  /** Stores `obj` (already validated) and notifies watches. */
  function commit(key: string, obj: Obj, type?: "ADDED" | "MODIFIED"): Obj {
    const m = meta(obj);
    const b = bucket(key);
    const k = objKey(String(m.namespace ?? ""), String(m.name));
    const prev = b.get(k);
    rv++;
    m.resourceVersion = String(rv);
    b.set(k, obj);
    const ev: HistoryEvent = {
      rv,
      type: type ?? (prev ? "MODIFIED" : "ADDED"),
      gkKey: key,
      obj: clone(obj),
      prev: prev ? clone(prev) : undefined,
    };
    history.push(ev);
    notify(ev);
    return clone(obj);
  }

  function erase(key: string, namespace: string, name: string): Obj | undefined {
    const b = bucket(key);
    const prev = b.get(objKey(namespace, name));
    if (!prev) return undefined;
    b.delete(objKey(namespace, name));
    rv++;
    const obj = clone(prev);
    meta(obj).resourceVersion = String(rv);
    const ev: HistoryEvent = { rv, type: "DELETED", gkKey: key, obj, prev };
    history.push(ev);
    notify(ev);
    return clone(obj);
  }

  function put(input: Obj): Obj {
    const obj = clone(input);
    const group = groupOfApiVersion(obj.apiVersion);
    const kind = typeof obj.kind === "string" ? obj.kind : "";
    const k = kindFor(group, kind);
    if (!k) throw new Error(`fake API server: kind ${kind}.${group} is not registered`);
    const m = meta(obj);
    if (typeof m.name !== "string" || !m.name) {
      throw new Error("fake API server: object has no name");
    }
    if (k.namespaced) {
      m.namespace = typeof m.namespace === "string" && m.namespace ? m.namespace : "default";
    } else delete m.namespace;
    const prev = bucket(gkKey(group, kind)).get(objKey(String(m.namespace ?? ""), m.name));
    const pm = prev ? meta(prev) : {};
    m.uid ??= pm.uid ?? crypto.randomUUID();
    m.creationTimestamp ??= pm.creationTimestamp ?? nowTimestamp();
    if (m.generation === undefined) {
      m.generation = prev
        ? (JSON.stringify(prev.spec) === JSON.stringify(obj.spec)
          ? pm.generation
          : Number(pm.generation ?? 0) + 1)
        : 1;
    }
    return commit(gkKey(group, kind), obj);
  }

  // ---- watches ----

  function labelsOf(o: Obj): Record<string, string> {
    const l = meta(o).labels;
    const out: Record<string, string> = {};
    if (isObj(l)) { for (const [k, v] of Object.entries(l)) if (typeof v === "string") out[k] = v; }
    return out;
  }

  function selected(
    o: Obj,
    namespace: string,
    selector?: Selector,
    fields: FieldReq[] = [],
  ): boolean {
    const m = meta(o);
    if (namespace && m.namespace !== namespace) return false;
    if (selector && !selector.matches(labelsOf(o))) return false;
    for (const f of fields) {
      // Any dotted path, as the API server's per-kind field labels (type, regarding.name, ...).
      let v: unknown = o;
      for (const part of f.field.split(".")) v = (v as Obj | undefined)?.[part];
      const actual = String(v ?? "");
      if ((actual === f.value) === f.negate) return false;
    }
    return true;
  }

  function served(o: Obj, k: KindEntry): Obj {
    const out = clone(o);
    out.apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
    out.kind = k.kind;
    return out;
  }

  /** The event a watcher sees for a change: selectors turn updates into ADDED/DELETED. */
  function eventFor(w: Watcher, ev: HistoryEvent): { type: string; object: Obj } | undefined {
    if (ev.gkKey !== w.gkKey) return undefined;
    const now = selected(ev.obj, w.namespace, w.selector, w.fields);
    const before = ev.prev !== undefined && ev.type !== "ADDED" &&
      selected(ev.prev, w.namespace, w.selector, w.fields);
    if (ev.type === "DELETED") {
      return before ? { type: "DELETED", object: served(ev.obj, w.kind) } : undefined;
    }
    if (now && before) return { type: "MODIFIED", object: served(ev.obj, w.kind) };
    if (now) return { type: "ADDED", object: served(ev.obj, w.kind) };
    if (before) return { type: "DELETED", object: served(ev.obj, w.kind) };
    return undefined;
  }

  function writeEvent(w: Watcher, event: unknown): void {
    if (w.closed || w.res.destroyed) return;
    w.res.write(JSON.stringify(event) + "\n");
  }

  function notify(ev: HistoryEvent): void {
    for (const w of watchers) {
      const e = eventFor(w, ev);
      if (e) writeEvent(w, e);
    }
  }

  function closeWatcher(w: Watcher, how: "end" | "destroy"): void {
    if (w.closed) return;
    w.closed = true;
    watchers.delete(w);
    if (w.timer) {
      clearTimeout(w.timer);
      timers.delete(w.timer);
    }
    if (how === "destroy") w.socket.destroy();
    else if (!w.res.writableEnded) w.res.end();
  }

  function bookmark(): void {
    for (const w of watchers) {
      if (!w.bookmarks) continue;
      writeEvent(w, {
        type: "BOOKMARK",
        object: {
          kind: w.kind.kind,
          apiVersion: w.kind.group ? `${w.kind.group}/${w.kind.version}` : w.kind.version,
          metadata: { resourceVersion: String(rv) },
        },
      });
    }
  }

  function checkWatchWaiters(): void {
    for (const f of [...watchWaiters]) f();
  }

  // ---- HTTP ----

  function send(
    res: ServerResponse,
    record: RequestRecord,
    code: number,
    body: unknown,
    type = "application/json",
  ): void {
    record.status = code;
    if (res.destroyed || res.writableEnded) return;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(code, { "content-type": type, "content-length": Buffer.byteLength(text) });
    if (truncating.has(res)) {
      record.status = 0;
      res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(text);
  }

  function authenticate(req: IncomingMessage): Identity | undefined {
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      const peer = socket.getPeerCertificate();
      if (peer && peer.subject) {
        const subj = peer.subject as unknown as Record<string, string | string[]>;
        const cn = Array.isArray(subj.CN) ? subj.CN[0] : subj.CN;
        const o = subj.O === undefined ? [] : Array.isArray(subj.O) ? subj.O : [subj.O];
        return { user: cn ?? "", groups: [...o, "system:authenticated"], kind: "cert" };
      }
    }
    const auth = req.headers.authorization ?? "";
    if (auth.startsWith("Bearer ")) {
      const id = tokens.get(auth.slice(7).trim());
      if (id) return id;
      return undefined;
    }
    if (auth.startsWith("Basic ")) {
      const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
      const i = decoded.indexOf(":");
      const user = decoded.slice(0, i);
      if (i > 0 && basicUsers.has(user) && basicUsers.get(user) === decoded.slice(i + 1)) {
        return { user, groups: ["system:authenticated"], kind: "basic" };
      }
      return undefined;
    }
    if (options.anonymous) {
      return { user: "system:anonymous", groups: ["system:unauthenticated"], kind: "anonymous" };
    }
    return undefined;
  }

  function parse(method: string, url: URL, accept: string): RequestRecord {
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const r: RequestRecord = {
      method,
      path: url.pathname,
      verb: "other",
      group: "",
      version: "",
      resource: "",
      subresource: "",
      namespace: "",
      name: "",
      query,
      accept,
      status: 0,
    };
    const segs = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    let rest: string[];
    if (segs[0] === "api") {
      if (segs.length <= 2) {
        r.verb = "discovery";
        r.version = segs[1] ?? "";
        return r;
      }
      r.version = segs[1];
      rest = segs.slice(2);
    } else if (segs[0] === "apis") {
      if (segs.length <= 3) {
        r.verb = "discovery";
        r.group = segs[1] ?? "";
        r.version = segs[2] ?? "";
        return r;
      }
      r.group = segs[1];
      r.version = segs[2];
      rest = segs.slice(3);
    } else {
      return r;
    }
    if (rest[0] === "namespaces" && rest.length >= 3) {
      r.namespace = rest[1];
      rest = rest.slice(2);
    }
    r.resource = rest[0] ?? "";
    r.name = rest[1] ?? "";
    r.subresource = rest[2] ?? "";
    const watch = query.watch === "true" || query.watch === "1";
    r.verb = method === "GET"
      ? (r.name ? "get" : watch ? "watch" : "list")
      : method === "POST"
      ? "create"
      : method === "PUT"
      ? "update"
      : method === "PATCH"
      ? "patch"
      : method === "DELETE"
      ? (r.name ? "delete" : "deletecollection")
      : "other";
    return r;
  }

  function takeFault(r: RequestRecord): Fault | undefined {
    const i = faults.findIndex((f) => matches(f.matcher, r));
    if (i < 0) return undefined;
    const f = faults[i];
    if (--f.times <= 0) faults.splice(i, 1);
    return f;
  }

  function wait(ms: number, req: IncomingMessage): Promise<boolean> {
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(t);
        timers.delete(t);
        resolve(false);
      };
      const t = setTimeout(() => {
        timers.delete(t);
        req.socket.off("close", onClose);
        resolve(true);
      }, ms);
      timers.add(t);
      req.socket.once("close", onClose);
    });
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://fake");
    const record = parse(req.method ?? "GET", url, String(req.headers.accept ?? ""));
    requests.push(record);
    const socket = req.socket as TLSSocket;
    if (!certRequired && !socket.authorized && hasPeerCert(socket)) {
      // A presented certificate that does not verify fails, as with Go's VerifyClientCertIfGiven.
      socket.destroy();
      return;
    }
    const id = authenticate(req);
    if (!id) {
      send(res, record, 401, status(401, "Unauthorized"));
      return;
    }
    record.user = id.user;
    record.authKind = id.kind;
    if (latency > 0 && !(await wait(latency, req))) return;
    const fault = takeFault(record);
    if (fault?.kind === "reset") {
      record.status = 0;
      socket.destroy();
      return;
    }
    if (fault?.kind === "delay" && !(await wait(fault.ms ?? 0, req))) return;
    if (fault?.kind === "truncate") truncating.add(res);
    if (fault?.kind === "fail") {
      const code = fault.status!;
      const extra: Obj = {};
      if (fault.retryAfter !== undefined) extra.details = { retryAfterSeconds: fault.retryAfter };
      const reason = fault.reason ??
        (code === 410 && !record.query.continue ? "Gone" : REASONS[code] ?? "");
      const body = status(code, fault.message ?? defaultMessage(code), { ...extra, reason });
      if (fault.retryAfter !== undefined && !res.headersSent) {
        res.setHeader("retry-after", String(fault.retryAfter));
      }
      send(res, record, code, body);
      return;
    }
    if (record.verb === "discovery" || record.verb === "other") {
      serveNonResource(req, res, record);
      return;
    }
    const k = kinds.find((k) =>
      k.group === record.group && k.version === record.version && k.plural === record.resource
    );
    if (!k || (record.namespace && !k.namespaced)) {
      send(
        res,
        record,
        404,
        status(404, "the server could not find the requested resource", { details: {} }),
      );
      return;
    }
    if (
      forbidden?.({
        user: id.user,
        groups: id.groups,
        verb: record.verb,
        group: record.group,
        resource: record.resource,
        namespace: record.namespace,
        name: record.name,
        subresource: record.subresource,
      })
    ) {
      send(res, record, 403, forbiddenStatus(id.user, record));
      return;
    }
    switch (record.verb) {
      case "get":
        if (record.subresource === "log" && k.plural === "pods" && !k.group) {
          return serveLog(res, record);
        }
        return serveGet(res, record, k);
      case "list":
        return serveList(res, record, k);
      case "watch":
        return serveWatch(req, res, record, k);
      case "create":
        return serveCreate(res, record, k, await readBody(req));
      case "update":
        return serveUpdate(res, record, k, await readBody(req));
      case "patch":
        return servePatch(req, res, record, k, await readBody(req));
      case "delete":
        return serveDelete(res, record, k);
      default:
        send(
          res,
          record,
          405,
          status(405, "the server does not allow this method on the requested resource"),
        );
    }
  }

  function hasPeerCert(socket: TLSSocket): boolean {
    const peer = socket.getPeerCertificate?.();
    return Boolean(peer && Object.keys(peer).length > 0);
  }

  function defaultMessage(code: number): string {
    switch (code) {
      case 410:
        return "The provided continue parameter is too old to display a consistent list result. " +
          "You can start a new list without the continue parameter.";
      case 429:
        return "Too many requests, please try again later.";
      case 500:
        return "Internal error occurred: injected failure";
      case 503:
        return "The server is currently unable to handle the request";
      case 504:
        return "Timeout: request did not complete within the allowed duration";
      default:
        return `injected failure ${code}`;
    }
  }

  function qualified(record: Pick<RequestRecord, "group" | "resource">): string {
    return record.group ? `${record.resource}.${record.group}` : record.resource;
  }

  function forbiddenStatus(user: string, r: RequestRecord): Obj {
    const what = r.name ? `${qualified(r)} "${r.name}"` : qualified(r);
    const scope = r.namespace ? `in the namespace "${r.namespace}"` : "at the cluster scope";
    const sub = r.subresource ? `/${r.subresource}` : "";
    return status(
      403,
      `${what} is forbidden: User "${user}" cannot ${r.verb} resource "${r.resource}${sub}" in API group "${r.group}" ${scope}`,
      { details: { ...(r.name ? { name: r.name } : {}), group: r.group, kind: r.resource } },
    );
  }

  function notFound(r: RequestRecord): Obj {
    return status(404, `${qualified(r)} "${r.name}" not found`, {
      details: { name: r.name, group: r.group, kind: r.resource },
    });
  }

  // ---- discovery ----

  function groupsInOrder(): Array<{ name: string; versions: string[] }> {
    const out: Array<{ name: string; versions: string[] }> = [];
    for (const k of kinds) {
      if (!k.group) continue;
      let g = out.find((g) => g.name === k.group);
      if (!g) out.push(g = { name: k.group, versions: [] });
      if (!g.versions.includes(k.version)) g.versions.push(k.version);
    }
    return out;
  }

  function resourceList(group: string, version: string): Obj[] {
    const out: Obj[] = [];
    for (const k of kinds) {
      if (k.group !== group || k.version !== version) continue;
      out.push({
        name: k.plural,
        singularName: k.singularName,
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
        ...(k.categories?.length ? { categories: k.categories } : {}),
      });
      // Subresources are listed too, as a real server does; clients must skip them.
      out.push({
        name: `${k.plural}/status`,
        singularName: "",
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: ["get", "patch", "update"],
      });
    }
    return out;
  }

  function aggregatedGroup(name: string, versions: string[]): Obj {
    return {
      metadata: name ? { name, creationTimestamp: null } : { creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v,
        freshness: "Current",
        resources: kinds.filter((k) => k.group === name && k.version === v).map((k) => ({
          resource: k.plural,
          responseKind: { group: k.group, version: k.version, kind: k.kind },
          scope: k.namespaced ? "Namespaced" : "Cluster",
          singularResource: k.singularName,
          verbs: [
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch",
          ],
          ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
          ...(k.categories?.length ? { categories: k.categories } : {}),
          subresources: [{
            subresource: "status",
            responseKind: { group: k.group, version: k.version, kind: k.kind },
            verbs: ["get", "patch", "update"],
          }],
        })),
      })),
    };
  }

  function serveNonResource(_req: IncomingMessage, res: ServerResponse, r: RequestRecord): void {
    const wantsAggregated = aggregated && /as=APIGroupDiscoveryList/.test(r.accept);
    const list = (items: Obj[]) => ({
      kind: "APIGroupDiscoveryList",
      apiVersion: "apidiscovery.k8s.io/v2",
      metadata: {},
      items,
    });
    if (r.path === "/api" || r.path === "/api/") {
      if (wantsAggregated) {
        return send(res, r, 200, list([aggregatedGroup("", ["v1"])]), AGGREGATED_TYPE);
      }
      return send(res, r, 200, {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }],
      });
    }
    if (r.path === "/apis" || r.path === "/apis/") {
      const groups = groupsInOrder();
      if (wantsAggregated) {
        return send(
          res,
          r,
          200,
          list(groups.map((g) => aggregatedGroup(g.name, g.versions))),
          AGGREGATED_TYPE,
        );
      }
      return send(res, r, 200, {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: groups.map((g) => ({
          name: g.name,
          versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
        })),
      });
    }
    if (r.path === "/api/v1") {
      return send(res, r, 200, {
        kind: "APIResourceList",
        groupVersion: "v1",
        resources: resourceList("", "v1"),
      });
    }
    if (r.path.startsWith("/apis/") && r.group) {
      const g = groupsInOrder().find((g) => g.name === r.group);
      if (g && !r.version) {
        return send(res, r, 200, {
          kind: "APIGroup",
          apiVersion: "v1",
          name: g.name,
          versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
        });
      }
      if (g && g.versions.includes(r.version)) {
        return send(res, r, 200, {
          kind: "APIResourceList",
          apiVersion: "v1",
          groupVersion: `${r.group}/${r.version}`,
          resources: resourceList(r.group, r.version),
        });
      }
    }
    if (r.path === "/version") {
      return send(res, r, 200, {
        major: "1",
        minor: "31",
        gitVersion: "v1.31.0-fake",
        platform: "linux/amd64",
      });
    }
    if (r.path === "/healthz" || r.path === "/readyz" || r.path === "/livez") {
      return send(res, r, 200, "ok", "text/plain");
    }
    send(
      res,
      r,
      404,
      status(404, "the server could not find the requested resource", { details: {} }),
    );
  }

  // ---- resource verbs ----

  function parseFields(text: string | undefined): FieldReq[] {
    if (!text) return [];
    return text.split(",").map((s) => s.trim()).filter(Boolean).map((s) => {
      const m = /^([\w.]+)\s*(==|!=|=)\s*(.*)$/.exec(s);
      if (!m) throw new Error(`"${s}" is not a field selector`);
      return { field: m[1], value: m[3], negate: m[2] === "!=" };
    });
  }

  function selectors(
    res: ServerResponse,
    r: RequestRecord,
  ): { selector?: Selector; fields: FieldReq[] } | undefined {
    try {
      const selector = r.query.labelSelector ? parseSelector(r.query.labelSelector) : undefined;
      return { selector, fields: parseFields(r.query.fieldSelector) };
    } catch (e) {
      send(res, r, 400, status(400, (e as Error).message));
      return undefined;
    }
  }

  function logKey(namespace: string, pod: string, container: string, previous: boolean): string {
    return `${namespace}/${pod}/${container}/${previous}`;
  }

  function serveLog(res: ServerResponse, r: RequestRecord): void {
    const pod = bucket(gkKey("", "Pod")).get(objKey(r.namespace, r.name));
    if (!pod) return send(res, r, 404, notFound(r));
    const previous = r.query.previous === "true";
    const containers = ((pod.spec as Obj | undefined)?.containers ?? []) as Array<{ name: string }>;
    const container = r.query.container ?? (containers.length === 1 ? containers[0].name : "");
    if (!container) {
      return send(res, r, 400, status(400, `a container name must be specified for pod ${r.name}`));
    }
    const text = logs.get(logKey(r.namespace, r.name, container, previous));
    if (text === undefined) {
      const message = previous
        ? `previous terminated container "${container}" in pod "${r.name}" not found`
        : `container "${container}" in pod "${r.name}" is waiting to start: ContainerCreating`;
      return send(res, r, 400, status(400, message, { reason: "BadRequest" }));
    }
    let lines = text.split(/(?<=\n)/);
    if (r.query.tailLines !== undefined) {
      lines = lines.slice(Math.max(0, lines.length - Number(r.query.tailLines)));
    }
    let body = Buffer.from(lines.join(""), "utf8");
    if (r.query.limitBytes !== undefined) body = body.subarray(0, Number(r.query.limitBytes));
    send(res, r, 200, body.toString("utf8"), "text/plain");
  }

  function serveGet(res: ServerResponse, r: RequestRecord, k: KindEntry): void {
    const o = bucket(gkKey(k.group, k.kind)).get(objKey(r.namespace, r.name));
    if (!o) return send(res, r, 404, notFound(r));
    send(res, r, 200, served(o, k));
  }

  function serveList(res: ServerResponse, r: RequestRecord, k: KindEntry): void {
    const sel = selectors(res, r);
    if (!sel) return;
    let listRv = rv;
    let start = "";
    if (r.query.continue) {
      let token: { rv?: number; start?: string; gen?: number };
      try {
        token = JSON.parse(Buffer.from(r.query.continue, "base64url").toString("utf8"));
      } catch {
        return send(res, r, 400, status(400, "continue key is not valid"));
      }
      if (token.gen !== continueGeneration) {
        return send(res, r, 410, status(410, defaultMessage(410), { reason: "Expired" }));
      }
      listRv = token.rv ?? rv;
      start = token.start ?? "";
    }
    const all = [...bucket(gkKey(k.group, k.kind)).entries()]
      .filter(([key, o]) => key > start && selected(o, r.namespace, sel.selector, sel.fields))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const limit = Number(r.query.limit ?? 0);
    const page = limit > 0 ? all.slice(0, limit) : all;
    const listMeta: Obj = { resourceVersion: String(listRv) };
    if (limit > 0 && all.length > limit) {
      const last = page[page.length - 1][0];
      listMeta.continue = Buffer.from(
        JSON.stringify({ rv: listRv, start: last, gen: continueGeneration }),
      )
        .toString("base64url");
      listMeta.remainingItemCount = all.length - limit;
    }
    send(res, r, 200, {
      kind: `${k.kind}List`,
      apiVersion: k.group ? `${k.group}/${k.version}` : k.version,
      metadata: listMeta,
      // A real server leaves apiVersion and kind out of the items of built-in lists.
      items: page.map(([, o]) => {
        const copy = clone(o);
        delete copy.apiVersion;
        delete copy.kind;
        return copy;
      }),
    });
  }

  function serveWatch(
    req: IncomingMessage,
    res: ServerResponse,
    r: RequestRecord,
    k: KindEntry,
  ): void {
    const sel = selectors(res, r);
    if (!sel) return;
    const socket = req.socket as TLSSocket;
    const w: Watcher = {
      record: r,
      gkKey: gkKey(k.group, k.kind),
      kind: k,
      namespace: r.namespace,
      selector: sel.selector,
      fields: sel.fields,
      bookmarks: r.query.allowWatchBookmarks === "true",
      res,
      socket,
      closed: false,
    };
    r.status = 200;
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    const from = r.query.resourceVersion;
    if (from && from !== "0" && Number(from) < compactedRv) {
      writeEvent(w, {
        type: "ERROR",
        object: status(410, `too old resource version: ${from} (${compactedRv})`, {
          reason: "Expired",
        }),
      });
      res.end();
      return;
    }
    if (!from || from === "0") {
      for (const o of bucket(w.gkKey).values()) {
        if (selected(o, w.namespace, w.selector, w.fields)) {
          writeEvent(w, { type: "ADDED", object: served(o, k) });
        }
      }
    } else {
      for (const ev of history) {
        if (ev.rv <= Number(from)) continue;
        const e = eventFor(w, ev);
        if (e) writeEvent(w, e);
      }
    }
    watchers.add(w);
    res.on("close", () => closeWatcher(w, "end"));
    const timeout = Number(r.query.timeoutSeconds ?? 0);
    if (timeout > 0) {
      w.timer = setTimeout(() => closeWatcher(w, "end"), timeout * 1000);
      timers.add(w.timer);
    }
    checkWatchWaiters();
  }

  function parseJson(res: ServerResponse, r: RequestRecord, text: string): Obj | undefined {
    try {
      const v = JSON.parse(text);
      if (isObj(v)) return v;
    } catch {
      // answered below
    }
    send(res, r, 400, status(400, "the request body is not a JSON object"));
    return undefined;
  }

  function checkIdentity(res: ServerResponse, r: RequestRecord, k: KindEntry, obj: Obj): boolean {
    const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
    if (
      (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) ||
      (obj.kind !== undefined && obj.kind !== k.kind)
    ) {
      send(
        res,
        r,
        400,
        status(
          400,
          `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`,
        ),
      );
      return false;
    }
    const m = meta(obj);
    if (k.namespaced && m.namespace !== undefined && m.namespace !== r.namespace) {
      send(
        res,
        r,
        400,
        status(
          400,
          "the namespace of the provided object does not match the namespace sent on the request",
        ),
      );
      return false;
    }
    if (k.namespaced && !r.namespace) {
      send(
        res,
        r,
        404,
        status(404, "the server could not find the requested resource", { details: {} }),
      );
      return false;
    }
    obj.apiVersion = apiVersion;
    obj.kind = k.kind;
    if (k.namespaced) m.namespace = r.namespace;
    else delete m.namespace;
    return true;
  }

  function serveCreate(res: ServerResponse, r: RequestRecord, k: KindEntry, text: string): void {
    const obj = parseJson(res, r, text);
    if (!obj || !checkIdentity(res, r, k, obj)) return;
    const m = meta(obj);
    if (!m.name && typeof m.generateName === "string") m.name = m.generateName + randomString(5);
    if (typeof m.name !== "string" || !m.name) {
      return send(
        res,
        r,
        422,
        status(
          422,
          `${k.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        ),
      );
    }
    r.name = m.name;
    const key = gkKey(k.group, k.kind);
    if (bucket(key).has(objKey(r.namespace, m.name))) {
      return send(
        res,
        r,
        409,
        status(409, `${qualified(r)} "${m.name}" already exists`, {
          reason: "AlreadyExists",
          details: { name: m.name, group: k.group, kind: k.plural },
        }),
      );
    }
    m.uid = crypto.randomUUID();
    m.creationTimestamp = nowTimestamp();
    m.generation = 1;
    delete m.resourceVersion;
    send(res, r, 201, served(commit(key, obj, "ADDED"), k));
  }

  /** Stores an update of an existing object: keeps identity, bumps generation on spec change. */
  function update(res: ServerResponse, r: RequestRecord, k: KindEntry, prev: Obj, next: Obj): void {
    const m = meta(next);
    const pm = meta(prev);
    if (r.subresource === "status") {
      next = { ...clone(prev), status: next.status };
    } else {
      next.status = r.subresource ? next.status : (next.status ?? prev.status);
      m.uid = pm.uid;
      m.creationTimestamp = pm.creationTimestamp;
      if (pm.deletionTimestamp) m.deletionTimestamp = pm.deletionTimestamp;
      m.generation = JSON.stringify(prev.spec) === JSON.stringify(next.spec)
        ? pm.generation
        : Number(pm.generation ?? 0) + 1;
    }
    const key = gkKey(k.group, k.kind);
    const nm = meta(next);
    // An object being deleted goes once its last finalizer is removed.
    if (nm.deletionTimestamp && !(Array.isArray(nm.finalizers) && nm.finalizers.length)) {
      const gone = erase(key, r.namespace, r.name);
      return send(res, r, 200, served(gone ?? next, k));
    }
    send(res, r, 200, served(commit(key, next), k));
  }

  function serveUpdate(res: ServerResponse, r: RequestRecord, k: KindEntry, text: string): void {
    const obj = parseJson(res, r, text);
    if (!obj || !checkIdentity(res, r, k, obj)) return;
    const m = meta(obj);
    if (m.name !== undefined && m.name !== r.name) {
      return send(
        res,
        r,
        400,
        status(400, "the name of the object does not match the name on the URL"),
      );
    }
    m.name = r.name;
    const prev = bucket(gkKey(k.group, k.kind)).get(objKey(r.namespace, r.name));
    if (!prev) return send(res, r, 404, notFound(r));
    if (
      m.resourceVersion !== undefined && m.resourceVersion !== "" &&
      m.resourceVersion !== meta(prev).resourceVersion
    ) {
      return send(
        res,
        r,
        409,
        status(
          409,
          `Operation cannot be fulfilled on ${
            qualified(r)
          } "${r.name}": the object has been modified; please apply your changes to the latest version and try again`,
          { details: { name: r.name, group: k.group, kind: k.plural } },
        ),
      );
    }
    update(res, r, k, prev, obj);
  }

  function servePatch(
    req: IncomingMessage,
    res: ServerResponse,
    r: RequestRecord,
    k: KindEntry,
    text: string,
  ): void {
    const type = String(req.headers["content-type"] ?? "").split(";")[0].trim();
    if (type !== "application/merge-patch+json") {
      return send(
        res,
        r,
        415,
        status(
          415,
          `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
        ),
      );
    }
    let patch: unknown;
    try {
      patch = JSON.parse(text);
    } catch {
      return send(res, r, 400, status(400, "the patch is not valid JSON"));
    }
    const prev = bucket(gkKey(k.group, k.kind)).get(objKey(r.namespace, r.name));
    if (!prev) return send(res, r, 404, notFound(r));
    const next = applyMergePatch(clone(prev), patch) as Obj;
    if (r.subresource === "status") return update(res, r, k, prev, next);
    const m = meta(next);
    if (m.name !== r.name || (k.namespaced && m.namespace !== r.namespace)) {
      return send(res, r, 400, status(400, "a patch may not change the name or namespace"));
    }
    update(res, r, k, prev, next);
  }

  function serveDelete(res: ServerResponse, r: RequestRecord, k: KindEntry): void {
    const key = gkKey(k.group, k.kind);
    const prev = bucket(key).get(objKey(r.namespace, r.name));
    if (!prev) return send(res, r, 404, notFound(r));
    const m = meta(prev);
    if (Array.isArray(m.finalizers) && m.finalizers.length) {
      if (m.deletionTimestamp) return send(res, r, 200, served(prev, k));
      const next = clone(prev);
      meta(next).deletionTimestamp = nowTimestamp();
      meta(next).deletionGracePeriodSeconds = 0;
      return send(res, r, 200, served(commit(key, next), k));
    }
    send(res, r, 200, served(erase(key, r.namespace, r.name)!, k));
  }

  // ---- server ----

  const server = https.createServer(
    {
      key: pki.server.key,
      cert: pki.server.cert,
      ca: pki.ca.cert,
      requestCert: true,
      rejectUnauthorized: certRequired,
    },
    (req, res) => {
      handle(req, res).catch((e) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify(status(500, `fake API server failed: ${(e as Error).message}`)));
        } else {
          res.destroy();
        }
      });
    },
  );
  // TLS failures of clients are expected in tests; keep them off stderr.
  server.on("tlsClientError", () => {});
  // Every socket, also those whose handshake failed or stalled, so close() can end them.
  const sockets = new Set<{ destroy(): void; once(ev: "close", f: () => void): void }>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}`;
  let bookmarkTimer: ReturnType<typeof setInterval> | undefined;
  if (options.bookmarkIntervalMs) bookmarkTimer = setInterval(bookmark, options.bookmarkIntervalMs);

  async function kubeconfig(o: KubeconfigOptions = {}): Promise<string> {
    const file = o.file ?? join(dir, `kubeconfig-${++kubeconfigCount}.yaml`);
    const cluster: Obj = { server: o.server ?? url };
    const ca = o.ca ?? "file";
    if (ca === "file") cluster["certificate-authority"] = pki.ca.certFile;
    if (ca === "data") {
      cluster["certificate-authority-data"] = Buffer.from(pki.ca.cert).toString("base64");
    }
    if (ca === "insecure") cluster["insecure-skip-tls-verify"] = true;
    if (o.tlsServerName) cluster["tls-server-name"] = o.tlsServerName;
    if (o.proxyUrl) cluster["proxy-url"] = o.proxyUrl;
    const user: Obj = {};
    const auth = o.auth ?? "cert";
    const userName = o.user ?? "admin";
    if (auth === "cert" || auth === "cert-data") {
      const pair = userName === "admin" && !o.groups
        ? pki.admin
        : await pki.clientCert(userName, o.groups ?? ["system:masters"]);
      if (auth === "cert") {
        user["client-certificate"] = pair.certFile;
        user["client-key"] = pair.keyFile;
      } else {
        user["client-certificate-data"] = Buffer.from(pair.cert).toString("base64");
        user["client-key-data"] = Buffer.from(pair.key).toString("base64");
      }
    } else if (auth === "token" || auth === "token-file") {
      const token = o.token ?? `tok-${randomString(24)}`;
      tokens.set(token, { user: userName, groups: ["system:authenticated"], kind: "token" });
      if (auth === "token") user.token = token;
      else {
        const tokenFile = `${file}.token`;
        await writeFile(tokenFile, token + "\n");
        user.tokenFile = tokenFile;
      }
    } else if (auth === "basic") {
      const username = o.username ?? userName;
      const password = o.password ?? `pw-${randomString(16)}`;
      basicUsers.set(username, password);
      user.username = username;
      user.password = password;
    } else if (auth === "exec") {
      if (!o.exec) throw new Error("kubeconfig: auth exec needs exec options");
      user.exec = {
        apiVersion: o.exec.apiVersion ?? "client.authentication.k8s.io/v1",
        command: o.exec.command,
        args: o.exec.args ?? [],
        env: o.exec.env ?? null,
        interactiveMode: o.exec.interactiveMode ?? "Never",
        provideClusterInfo: o.exec.provideClusterInfo ?? false,
        ...(o.exec.installHint ? { installHint: o.exec.installHint } : {}),
      };
    }
    const contextName = o.context ?? "fake";
    const clusterName = o.cluster ?? "fake-cluster";
    const userEntry = o.userEntry ?? "fake-user";
    const context: Obj = { cluster: clusterName, user: userEntry };
    if (o.namespace) context.namespace = o.namespace;
    const doc = {
      apiVersion: "v1",
      kind: "Config",
      "current-context": contextName,
      clusters: [{ name: clusterName, cluster }],
      users: [{ name: userEntry, user }],
      contexts: [{ name: contextName, context }],
    };
    // JSON is YAML; no YAML library needed here.
    await writeFile(file, JSON.stringify(doc, null, 2) + "\n");
    return file;
  }

  const api: FakeApiServer = {
    url,
    port,
    dir,
    pki,
    requests,
    get resourceVersion() {
      return rv;
    },
    resetRequests() {
      requests.length = 0;
    },
    put,
    remove(gk, namespace, name) {
      return erase(gkKey(gk.group, gk.kind), namespace, name) !== undefined;
    },
    get(gk, namespace, name) {
      const o = bucket(gkKey(gk.group, gk.kind)).get(objKey(namespace, name));
      return o ? clone(o) : undefined;
    },
    list(gk, namespace) {
      return [...bucket(gkKey(gk.group, gk.kind)).values()]
        .filter((o) => namespace === undefined || meta(o).namespace === namespace)
        .map(clone);
    },
    registerKind,
    unregisterKind(gk) {
      for (let i = kinds.length - 1; i >= 0; i--) {
        const k = kinds[i];
        if (
          k.group === gk.group && k.kind === gk.kind && (!gk.version || k.version === gk.version)
        ) {
          kinds.splice(i, 1);
        }
      }
    },
    setForbidden(rule) {
      forbidden = rule;
    },
    addToken(token, user = "admin", groups = []) {
      tokens.set(token, { user, groups: [...groups, "system:authenticated"], kind: "token" });
    },
    removeToken(token) {
      tokens.delete(token);
    },
    addBasicUser(username, password) {
      basicUsers.set(username, password);
    },
    setAggregatedDiscovery(on) {
      aggregated = on;
    },
    failNext(matcher, fault) {
      faults.push({ matcher, times: fault.times ?? 1, kind: "fail", ...fault });
    },
    resetNext(matcher, opts = {}) {
      faults.push({ matcher, times: opts.times ?? 1, kind: "reset" });
    },
    truncateNext(matcher, opts = {}) {
      faults.push({ matcher, times: opts.times ?? 1, kind: "truncate" });
    },
    delayNext(matcher, ms, opts = {}) {
      faults.push({ matcher, times: opts.times ?? 1, kind: "delay", ms });
    },
    setLatency(ms) {
      latency = ms;
    },
    setLogs(namespace, pod, container, text, opts = {}) {
      logs.set(logKey(namespace, pod, container, opts.previous ?? false), text);
    },
    expireContinueTokens() {
      continueGeneration++;
    },
    compact() {
      compactedRv = rv;
      while (history.length && history[0].rv <= compactedRv) history.shift();
    },
    watchCount(matcher) {
      return [...watchers].filter((w) => matches(matcher, w.record)).length;
    },
    waitForWatches(n, matcher, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (api.watchCount(matcher) >= n) {
            done();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`fake API server: fewer than ${n} watches after ${timeoutMs} ms`));
        }, timeoutMs);
        timers.add(timer);
        const done = () => {
          clearTimeout(timer);
          timers.delete(timer);
          watchWaiters.delete(check);
        };
        watchWaiters.add(check);
        check();
      });
    },
    bookmark,
    watchError(matcher, st = {}) {
      const code = st.code ?? 410;
      for (const w of [...watchers]) {
        if (!matches(matcher, w.record)) continue;
        writeEvent(w, {
          type: "ERROR",
          object: status(
            code,
            st.message ?? (code === 410 ? `too old resource version: 1 (${rv})` : "injected error"),
            {
              reason: st.reason ?? (code === 410 ? "Expired" : REASONS[code] ?? ""),
            },
          ),
        });
        closeWatcher(w, "end");
      }
    },
    dropWatches(matcher) {
      for (const w of [...watchers]) if (matches(matcher, w.record)) closeWatcher(w, "destroy");
    },
    endWatches(matcher) {
      for (const w of [...watchers]) if (matches(matcher, w.record)) closeWatcher(w, "end");
    },
    kubeconfig,
    async close() {
      if (closed) return;
      closed = true;
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const f of [...watchWaiters]) watchWaiters.delete(f);
      for (const w of [...watchers]) closeWatcher(w, "end");
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
  return api;
}

// Standalone: `deno run -A tests/support/fake_apiserver.ts [--tokens] [--legacy-discovery]`
// starts a server, writes a kubeconfig and prints `{"url": ..., "kubeconfig": ...}` on one line;
// Ctrl-C (or SIGTERM) stops it. For trying the CLI by hand; tests use startFakeApiServer().
if (import.meta.main) {
  const { default: process } = await import("node:process");
  const args = process.argv.slice(2);
  const api = await startFakeApiServer({
    clientCert: args.includes("--tokens") ? "optional" : "required",
    aggregatedDiscovery: !args.includes("--legacy-discovery"),
    bookmarkIntervalMs: 1000,
  });
  const kubeconfig = await api.kubeconfig({ auth: args.includes("--tokens") ? "token" : "cert" });
  console.log(JSON.stringify({ url: api.url, kubeconfig }));
  const stop = () => void api.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
