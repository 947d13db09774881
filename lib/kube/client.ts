/**
 * The Kubernetes client: GET, paginated LIST, WATCH and small writes over
 * the runtime's transport, with typed errors, bounded retries with backoff,
 * credential refresh on 401, a discovery-backed REST mapper and a request
 * counter.
 *
 * @module
 */

import type { KubeObject } from "../types.ts";
import { InputError, KstatusError } from "../errors.ts";
import { pathSegmentProblem } from "./path_segment.ts";
import { clientCertProblem } from "./client_cert.ts";
import { createCredentialSource, type CredentialSource, type RequestCredentials } from "./auth.ts";
import type { ClientConfig } from "./config.ts";
import type { DiscoveryGet } from "./discovery.ts";
import {
  apiErrorFromStatus,
  BadResponseError,
  ConfigError,
  ConnectionError,
  type ErrorContext,
  ExecPluginError,
  GoneError,
  isStatus,
} from "./errors.ts";
import { createRestMapper, type RestMapper } from "./mapper.ts";
import { createRequestCounter, type RequestCounter } from "./requests.ts";
import {
  backoffDelay,
  parseRetryAfter,
  resolveRetryOptions,
  type RetryOptions,
  sleep as defaultSleep,
  type SleepFn,
} from "./retry.ts";
import {
  type RuntimeName,
  toTransportError,
  type Transport,
  TransportError,
  type TransportOptions,
  type TransportResponse,
} from "./transport.ts";
import { createTransport, detectRuntime, selectTransport } from "./transport_select.ts";
import type {
  CallOptions,
  DeleteOptions,
  ListOptions,
  ListResult,
  LogOptions,
  ResourceMapping,
  WatchEvent,
  WatchOptions,
} from "./types.ts";
import { formatBytes, lines, readCapped, SizeLimitError } from "./watch.ts";
import { redactUrl } from "./config.ts";
import { bounded, redact } from "../text/redact.ts";

/** Options of {@linkcode createClient}. */
export interface ClientOptions {
  /** Retry policy for 429, 5xx and dropped connections. */
  retry?: RetryOptions;
  /** Sleep used between tries (tests inject a fast one). */
  sleep?: SleepFn;
  /** `User-Agent` header; default `kstatus`. */
  userAgent?: string;
  /** Use this runtime's transport instead of the running one's (tests). */
  runtime?: RuntimeName;
  /** Whether stdin is a terminal, for exec plugins' interactiveMode; default: detected. */
  stdinIsTerminal?: boolean;
  /** Clock for exec credential expiry; default `Date.now`. */
  now?: () => number;
  /**
   * Bound on one request, connection to last byte (`--request-timeout`; a watch: up to its
   * response headers). `0` (the default, as kubectl) leaves the two deadlines below in charge.
   */
  requestTimeoutMs?: number;
  /** Without a request timeout: connect, TLS and response headers within this; default 30 s. */
  connectTimeoutMs?: number;
  /** Without a request timeout: a response body silent for this long fails; default 30 s. */
  bodyIdleTimeoutMs?: number;
  /** Largest response body read whole (not a watch); default 256 MiB. */
  maxResponseBytes?: number;
  /** Largest single watch event; default 16 MiB. */
  maxWatchEventBytes?: number;
  /** Act as another user (`--as`, `--as-group`): the Impersonate-User and -Group headers. */
  impersonate?: { user?: string; groups?: readonly string[] };
  /**
   * Told of every request as its response arrives (`-v`): method, URL (never a header, so no
   * credential), status or error, time taken.
   */
  onRequest?: (request: RequestLog) => void;
}

/** One request as {@linkcode ClientOptions.onRequest} is told of it. */
export interface RequestLog {
  /** HTTP method. */
  method: string;
  /** The URL, query included. */
  url: string;
  /** The response's status, when one came. */
  status?: number;
  /** Why no response came. */
  error?: string;
  /** Milliseconds from sending to the response's headers (or the failure). */
  ms: number;
}

/** A Kubernetes API client for one server and identity. */
export interface KubeClient {
  /** The configuration the client was made from. */
  readonly config: ClientConfig;
  /** Discovery-backed mapper from kinds to resources. */
  readonly mapper: RestMapper;
  /** Requests sent so far, per verb and resource. */
  readonly requests: RequestCounter;
  /** Which transport is used: `deno`, `bun` or `node`. */
  readonly transport: RuntimeName;
  /**
   * GETs one object.
   *
   * @throws {NotFoundError} and the other typed errors of `errors.ts`.
   */
  get(
    mapping: ResourceMapping,
    namespace: string,
    name: string,
    options?: CallOptions,
  ): Promise<KubeObject>;
  /**
   * LISTs all pages (`limit`/`continue`) of a resource in `namespace` (`""`:
   * all namespaces, or a cluster-scoped resource). Restarts when a continue
   * token expires. Items have `apiVersion` and `kind` filled in.
   */
  list(mapping: ResourceMapping, namespace: string, options?: ListOptions): Promise<ListResult>;
  /**
   * WATCHes a resource. The stream ends when the server closes it; an `ERROR`
   * event is thrown as its typed error (410 → {@linkcode GoneError}); a
   * dropped connection is thrown as a {@linkcode ConnectionError}. Breaking
   * out of the loop or aborting the signal closes the connection.
   */
  watch(
    mapping: ResourceMapping,
    namespace: string,
    options?: WatchOptions,
  ): AsyncIterable<WatchEvent>;
  /**
   * GETs a container's log (`pods/log`) as text.
   *
   * @throws {ForbiddenError} and the other typed errors of `errors.ts` (404 when the pod or a
   *   previous instance does not exist, 400 when the container has not started).
   */
  logs(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  /** POSTs a new object; returns it as stored. */
  create(
    mapping: ResourceMapping,
    namespace: string,
    object: KubeObject,
    options?: CallOptions,
  ): Promise<KubeObject>;
  /** PUTs an object (a `metadata.resourceVersion` makes it conditional). */
  replace(
    mapping: ResourceMapping,
    namespace: string,
    name: string,
    object: KubeObject,
    options?: CallOptions,
  ): Promise<KubeObject>;
  /** PATCHes an object with a JSON merge patch. */
  mergePatch(
    mapping: ResourceMapping,
    namespace: string,
    name: string,
    patch: unknown,
    options?: CallOptions,
  ): Promise<KubeObject>;
  /** DELETEs an object; returns what the server answered (the object or a Status). */
  delete(
    mapping: ResourceMapping,
    namespace: string,
    name: string,
    options?: DeleteOptions,
  ): Promise<KubeObject>;
  /** The exec credential plugin requests are waiting on now (its command, when it started). */
  pendingCredential(): { command: string; since: number } | undefined;
  /** Aborts what is in flight and releases the runtime's HTTP client. */
  close(): void;
}

interface RequestSpec {
  verb: string;
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  ctx: ErrorContext;
  /** Writes are retried only when the server surely did not act. */
  write?: boolean;
  signal?: AbortSignal;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const PODS: ResourceMapping = {
  group: "",
  version: "v1",
  kind: "Pod",
  resource: "pods",
  namespaced: true,
};
/** Log requests are counted as `get pods/log`. */
const POD_LOG: ResourceMapping = { ...PODS, resource: "pods/log" };
const MiB = 1024 * 1024;

/**
 * Creates a client for `config`.
 *
 * @example
 * ```ts ignore
 * import { createClient, loadClientConfig } from "./mod.ts";
 * const client = createClient(await loadClientConfig({}));
 * const m = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
 * const { items } = await client.list(m, "default", { labelSelector: "app=web" });
 * for await (const ev of client.watch(m, "default", { signal: AbortSignal.timeout(5000) })) {
 *   console.log(ev.type, (ev.object.metadata as { name: string }).name);
 * }
 * client.close();
 * ```
 */
export function createClient(config: ClientConfig, opts: ClientOptions = {}): KubeClient {
  const retry = resolveRetryOptions(opts.retry);
  const sleep = opts.sleep ?? defaultSleep;
  const userAgent = opts.userAgent ?? "kstatus";
  const runtime = opts.runtime ?? detectRuntime();
  const requestTimeoutMs = opts.requestTimeoutMs ?? 0;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 30_000;
  const bodyIdleTimeoutMs = opts.bodyIdleTimeoutMs ?? 30_000;
  const maxResponseBytes = opts.maxResponseBytes ?? 256 * MiB;
  const maxWatchEventBytes = opts.maxWatchEventBytes ?? 16 * MiB;
  const shownProxy = config.proxyUrl ? redactUrl(config.proxyUrl) : undefined;
  const lifetime = new AbortController();
  const requests = createRequestCounter();
  const credentials: CredentialSource = createCredentialSource(config, {
    stdinIsTerminal: opts.stdinIsTerminal,
    now: opts.now,
  });
  const baseTls: TransportOptions = {
    ca: config.ca,
    cert: config.cert,
    key: config.key,
    insecureSkipVerify: config.insecureSkipVerify,
    serverName: config.serverName,
    proxyUrl: config.proxyUrl,
  };
  // One transport per client certificate: the kubeconfig's, and any an exec plugin returns.
  const transports = new Map<string, Transport>();

  async function transportFor(creds: RequestCredentials): Promise<Transport> {
    const tls = creds.cert ? { ...baseTls, cert: creds.cert, key: creds.key } : baseTls;
    const key = creds.cert ? `${creds.cert}\n${creds.key}` : "";
    let t = transports.get(key);
    if (!t) {
      try {
        t = createTransport(tls, runtime);
      } catch (e) {
        const problem = tls.cert
          ? await clientCertProblem(
            tls.cert,
            (opts.now ?? Date.now)(),
            selectTransport(tls, runtime),
          )
          : undefined;
        throw new ConfigError(
          problem
            ? `the client certificate for ${config.server} ${problem}`
            : `cannot connect to ${config.server}: ${(e as Error).message}`,
          { cause: e },
        );
      }
      transports.set(key, t);
    }
    return t;
  }

  /** The one redaction pass: secrets in use, credential-shaped text, keys and URL userinfo. */
  function scrub(text: string): string {
    const secrets = [...credentials.secrets()];
    if (config.auth.type === "token") secrets.push(config.auth.token);
    if (config.key) secrets.push(config.key);
    const basic = config.auth.type === "basic" ? [config.auth] : [];
    return redact(text, secrets, basic);
  }

  /** A server's error body, redacted, its texts cut to a bounded length. */
  function scrubBody(body: unknown): unknown {
    if (typeof body === "string") return bounded(scrub(body));
    try {
      const clean = JSON.parse(scrub(JSON.stringify(body)));
      if (isStatus(clean) && typeof clean.message === "string") {
        clean.message = bounded(clean.message);
      }
      return clean;
    } catch {
      return undefined;
    }
  }

  function url(path: string, query?: Record<string, string | undefined>): URL {
    const u = new URL(config.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u;
  }

  function connectionError(te: TransportError, ctx: ErrorContext): ConnectionError {
    // Through a proxy, the connection we open is to the proxy: refused or unknown is the proxy's.
    const proxyFault = shownProxy && !te.dropped &&
      (te.failure === "refused" || te.failure === "dns");
    return new ConnectionError(config.server, te.failure, scrub(te.detail), {
      cause: te,
      dropped: te.dropped,
      proxy: proxyFault ? shownProxy : undefined,
      resource: ctx.mapping
        ? {
          group: ctx.mapping.group,
          kind: ctx.mapping.kind,
          namespace: ctx.namespace ?? "",
          name: ctx.name ?? "",
        }
        : undefined,
    });
  }

  function linked(signal?: AbortSignal): AbortSignal {
    return signal ? AbortSignal.any([signal, lifetime.signal]) : lifetime.signal;
  }

  /**
   * Credentials for one try. A request timeout covers them too (as an exec plugin runs inside
   * client-go's round trip): a plugin that does not answer within it fails the request, named.
   */
  async function credentialsFor(signal: AbortSignal): Promise<RequestCredentials> {
    if (!requestTimeoutMs) return await credentials.get(signal);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), requestTimeoutMs);
    try {
      return await credentials.get(AbortSignal.any([signal, deadline.signal]));
    } catch (e) {
      const pending = credentials.pending?.();
      if (!deadline.signal.aborted || signal.aborted || !pending) throw e;
      throw new ExecPluginError(
        pending.command,
        `did not answer within the request timeout (${seconds(requestTimeoutMs)})`,
        { timedOut: true },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends a request with retries and resolves to a 2xx response, else throws
   * a typed error. Unless `stream` is set, the body is read inside the retry
   * loop, so a connection dropped mid-body is retried like any other reset.
   */
  async function send(
    spec: RequestSpec,
    stream = false,
  ): Promise<{ res: TransportResponse; text: string }> {
    const signal = linked(spec.signal);
    const counted = spec.ctx.mapping;
    let authRetried = false;
    for (let attempt = 1;; attempt++) {
      signal.throwIfAborted();
      const creds = await credentialsFor(signal);
      const transport = await transportFor(creds);
      const headers: Record<string, string | readonly string[]> = {
        accept: spec.accept ?? "application/json",
        "user-agent": userAgent,
      };
      if (creds.authorization) headers.authorization = creds.authorization;
      if (opts.impersonate?.user) headers["impersonate-user"] = opts.impersonate.user;
      if (opts.impersonate?.groups?.length) headers["impersonate-group"] = opts.impersonate.groups;
      let body: string | undefined;
      if (spec.body !== undefined) {
        body = JSON.stringify(spec.body);
        headers["content-type"] = spec.contentType ?? "application/json";
      }
      requests.add(spec.verb, counted);
      let res: TransportResponse;
      let text = "";
      // Deadlines of this try: its own signal, aborted by a timer with what was not met.
      const tryAbort = new AbortController();
      let missed = "";
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = (ms: number, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          missed = what;
          tryAbort.abort(new DOMException(what, "TimeoutError"));
        }, ms);
      };
      arm(
        requestTimeoutMs || connectTimeoutMs,
        requestTimeoutMs
          ? `no answer within the request timeout (${seconds(requestTimeoutMs)})`
          : `no response within ${seconds(connectTimeoutMs)}`,
      );
      try {
        const target = url(spec.path, spec.query);
        const sent = performance.now();
        try {
          res = await transport.request({
            method: spec.method,
            url: target,
            headers,
            body,
            signal: AbortSignal.any([signal, tryAbort.signal]),
            long: stream,
          });
        } catch (e) {
          opts.onRequest?.({
            method: spec.method,
            url: String(target),
            error: e instanceof Error ? e.message : String(e),
            ms: performance.now() - sent,
          });
          throw e;
        }
        opts.onRequest?.({
          method: spec.method,
          url: String(target),
          status: res.status,
          ms: performance.now() - sent,
        });
        const ok = res.status >= 200 && res.status < 300;
        if (ok && stream) {
          clearTimeout(timer);
          return { res, text };
        }
        const idle = `the response stalled for ${seconds(bodyIdleTimeoutMs)}`;
        if (!requestTimeoutMs) arm(bodyIdleTimeoutMs, idle);
        text = await readCapped(res.body, maxResponseBytes, () => {
          if (!requestTimeoutMs) arm(bodyIdleTimeoutMs, idle);
        });
        clearTimeout(timer);
        if (ok) return { res, text };
      } catch (e) {
        clearTimeout(timer);
        if (signal.aborted) throw signal.reason;
        if (e instanceof SizeLimitError) {
          throw new BadResponseError(
            config.server,
            `sent a ${spec.verb} response larger than ${
              formatBytes(maxResponseBytes)
            } (the limit of one response)`,
            { cause: e },
          );
        }
        // A missed deadline is not retried: the time it allows is the caller's budget.
        if (missed) throw connectionError(new TransportError("timeout", missed), spec.ctx);
        const te = toTransportError(e);
        // Our client certificate expired or unusable shows as a reset or a TLS failure: say so.
        const cert = creds.cert ?? config.cert;
        if (cert && !te.dropped && (te.failure === "tls" || te.failure === "reset")) {
          const problem = await clientCertProblem(cert, (opts.now ?? Date.now)(), transport.name);
          if (problem) {
            throw new ConfigError(
              `the client certificate for ${config.server} ${problem}` +
                (te.detail ? ` (the connection failed: ${scrub(te.detail)})` : ""),
              { cause: te },
            );
          }
        }
        // A refused connection never reached the server, so even a write may be retried.
        const retryable = te.failure === "refused" ||
          (!spec.write && (te.failure === "reset" || te.failure === "timeout"));
        if (retryable && attempt < retry.maxAttempts) {
          await sleep(backoffDelay(attempt, retry), signal);
          continue;
        }
        throw connectionError(te, spec.ctx);
      }

      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text.split("\n")[0].slice(0, 200) || undefined;
      }
      if (res.status === 401 && !authRetried && credentials.invalidate(creds.generation)) {
        // Fresh credentials (a re-read token file, a re-run exec plugin) may be accepted.
        authRetried = true;
        attempt--;
        continue;
      }
      const retryAfter = parseRetryAfter(res.header("retry-after")) ??
        (isStatus(parsed) ? parsed.details?.retryAfterSeconds : undefined);
      const retryable = RETRYABLE_STATUS.has(res.status) &&
        (!spec.write || res.status === 429 || retryAfter !== undefined);
      if (retryable && attempt < retry.maxAttempts) {
        await sleep(backoffDelay(attempt, retry, retryAfter), signal);
        continue;
      }
      throw apiErrorFromStatus(res.status, scrubBody(parsed), spec.ctx, retryAfter);
    }
  }

  /** Parses a response body, with an error naming the server when it is not JSON. */
  function parseJson(text: string, what: string): unknown {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new BadResponseError(config.server, `sent ${what} that is not JSON`, { cause: e });
    }
  }

  async function sendJson(spec: RequestSpec): Promise<KubeObject> {
    const { text } = await send(spec);
    return parseJson(text, `a ${spec.verb} response`) as KubeObject;
  }

  const discoveryGet: DiscoveryGet = async (path, accept, signal) => {
    const { res, text } = await send({
      verb: "discovery",
      method: "GET",
      path,
      accept,
      ctx: { verb: "discovery" },
      signal,
    });
    return { contentType: res.header("content-type") ?? "", body: parseJson(text, `${path}`) };
  };

  const mapper = createRestMapper(discoveryGet, { signal: lifetime.signal });

  function apiVersionOf(m: ResourceMapping): string {
    return m.group ? `${m.group}/${m.version}` : m.version;
  }

  function path(m: ResourceMapping, namespace: string, name?: string): string {
    // Refused before any request: `..` or `/` in a name would address another path.
    for (const [what, value] of [["namespace", namespace], ["name", name ?? ""]] as const) {
      const problem = value ? pathSegmentProblem(value) : undefined;
      if (problem) {
        throw new InputError(`${m.resource} ${what} ${JSON.stringify(value)} ${problem}`);
      }
    }
    const base = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
    const ns = m.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${base}${ns}/${m.resource}${name ? `/${encodeURIComponent(name)}` : ""}`;
  }

  function objectPath(m: ResourceMapping, namespace: string, name: string, verb: string): string {
    if (!name) throw new KstatusError(`${verb} ${m.resource}: a name is required`);
    if (m.namespaced && !namespace) {
      throw new KstatusError(
        `${verb} ${m.resource} "${name}": a namespace is required for a namespaced resource`,
      );
    }
    return path(m, namespace, name);
  }

  function ctxOf(verb: string, m: ResourceMapping, namespace: string, name = ""): ErrorContext {
    return { verb, mapping: m, namespace: m.namespaced ? namespace : "", name };
  }

  async function* watchStream(
    m: ResourceMapping,
    namespace: string,
    options: WatchOptions,
  ): AsyncGenerator<WatchEvent> {
    // Our own controller, so leaving the loop early closes the connection.
    const ac = new AbortController();
    const outer = options.signal;
    const onAbort = () => ac.abort(outer!.reason);
    if (outer?.aborted) throw outer.reason;
    outer?.addEventListener("abort", onAbort, { once: true });
    const ctx = ctxOf("watch", m, namespace);
    let res: TransportResponse | undefined;
    try {
      // Not a parenthesised destructuring assignment: Bun 1.4's parser rejects that form here.
      const sent = await send({
        verb: "watch",
        method: "GET",
        path: path(m, namespace),
        query: {
          watch: "true",
          resourceVersion: options.resourceVersion || undefined,
          allowWatchBookmarks: options.allowWatchBookmarks ? "true" : undefined,
          labelSelector: options.labelSelector || undefined,
          fieldSelector: options.fieldSelector || undefined,
          timeoutSeconds: options.timeoutSeconds !== undefined
            ? String(options.timeoutSeconds)
            : undefined,
        },
        ctx,
        signal: ac.signal,
      }, true);
      res = sent.res;
      const apiVersion = apiVersionOf(m);
      try {
        for await (const line of lines(res.body, maxWatchEventBytes)) {
          let event: { type?: unknown; object?: unknown };
          try {
            event = JSON.parse(line);
          } catch {
            throw new ConnectionError(config.server, "other", "malformed watch event", {
              dropped: true,
            });
          }
          const object = (event.object ?? {}) as KubeObject;
          if (event.type === "ERROR") {
            const code = typeof object.code === "number" && object.code ? object.code : 500;
            throw apiErrorFromStatus(code, scrubBody(object), ctx);
          }
          if (
            event.type !== "ADDED" && event.type !== "MODIFIED" && event.type !== "DELETED" &&
            event.type !== "BOOKMARK"
          ) {
            continue; // unknown event types are skipped, as client-go does
          }
          if (object.apiVersion === undefined || object.kind === undefined) {
            yield { type: event.type, object: { apiVersion, kind: m.kind, ...object } };
          } else {
            yield { type: event.type, object };
          }
        }
      } catch (e) {
        if (ac.signal.aborted) throw ac.signal.reason;
        if (lifetime.signal.aborted) throw lifetime.signal.reason;
        if (e instanceof SizeLimitError) {
          throw new BadResponseError(
            config.server,
            `sent a watch event larger than ${
              formatBytes(maxWatchEventBytes)
            } (the limit of one event)`,
            { cause: e },
          );
        }
        if (e instanceof Error && e.name === "TransportError") {
          throw connectionError(e as TransportError, ctx);
        }
        throw e;
      }
    } finally {
      outer?.removeEventListener("abort", onAbort);
      if (!ac.signal.aborted) ac.abort();
      await res?.cancel().catch(() => {});
    }
  }

  return {
    config,
    mapper,
    requests,
    get transport() {
      return selectTransport(baseTls, runtime);
    },
    async get(m, namespace, name, options = {}) {
      return await sendJson({
        verb: "get",
        method: "GET",
        path: objectPath(m, namespace, name, "get"),
        ctx: ctxOf("get", m, namespace, name),
        signal: options.signal,
      });
    },
    async list(m, namespace, options = {}) {
      const limit = options.limit ?? 500;
      const ctx = ctxOf("list", m, namespace);
      const apiVersion = apiVersionOf(m);
      // A continue token can expire between pages (410); the list then starts over, a few times.
      for (let restarts = 0;; restarts++) {
        const items: KubeObject[] = [];
        let cont: string | undefined;
        let resourceVersion = "";
        let expired = false;
        do {
          let page: KubeObject;
          try {
            page = await sendJson({
              verb: "list",
              method: "GET",
              path: path(m, namespace),
              query: {
                labelSelector: options.labelSelector || undefined,
                fieldSelector: options.fieldSelector || undefined,
                limit: limit > 0 ? String(limit) : undefined,
                continue: cont,
              },
              ctx,
              signal: options.signal,
            });
          } catch (e) {
            if (e instanceof GoneError && cont && restarts < 3) {
              expired = true;
              break;
            }
            throw e;
          }
          // A list is an object with an items array (empty lists may omit it, as Go's `omitempty`
          // would): anything else is a broken answer, not an empty list.
          if (
            !page || typeof page !== "object" || Array.isArray(page) ||
            (page.items !== undefined && page.items !== null && !Array.isArray(page.items))
          ) {
            throw new BadResponseError(
              config.server,
              `sent a list of ${m.resource} that is not a list`,
            );
          }
          const meta = (page.metadata ?? {}) as { resourceVersion?: string; continue?: string };
          for (const item of (Array.isArray(page.items) ? page.items : []) as KubeObject[]) {
            const full = { apiVersion, kind: m.kind, ...item };
            if (!options.keep || options.keep(full)) items.push(full);
          }
          resourceVersion = meta.resourceVersion ?? resourceVersion;
          cont = meta.continue || undefined;
        } while (cont);
        if (!expired) return { items, resourceVersion };
      }
    },
    watch(m, namespace, options = {}) {
      return watchStream(m, namespace, options);
    },
    async logs(namespace, pod, options = {}) {
      const number = (n: number | undefined) => n === undefined ? undefined : String(n);
      const { text } = await send({
        verb: "get",
        method: "GET",
        path: `${objectPath(PODS, namespace, pod, "get")}/log`,
        query: {
          container: options.container || undefined,
          previous: options.previous ? "true" : undefined,
          tailLines: number(options.tailLines),
          limitBytes: number(options.limitBytes),
        },
        accept: "text/plain, */*",
        ctx: ctxOf("get", POD_LOG, namespace, pod),
        signal: options.signal,
      });
      return text;
    },
    async create(m, namespace, object, options = {}) {
      const name = ((object.metadata ?? {}) as { name?: string }).name ?? "";
      return await sendJson({
        verb: "create",
        method: "POST",
        path: path(m, namespace),
        body: { apiVersion: apiVersionOf(m), kind: m.kind, ...object },
        ctx: ctxOf("create", m, namespace, name),
        write: true,
        signal: options.signal,
      });
    },
    async replace(m, namespace, name, object, options = {}) {
      return await sendJson({
        verb: "update",
        method: "PUT",
        path: objectPath(m, namespace, name, "update"),
        body: { apiVersion: apiVersionOf(m), kind: m.kind, ...object },
        ctx: ctxOf("update", m, namespace, name),
        write: true,
        signal: options.signal,
      });
    },
    async mergePatch(m, namespace, name, patch, options = {}) {
      return await sendJson({
        verb: "patch",
        method: "PATCH",
        path: objectPath(m, namespace, name, "patch"),
        body: patch,
        contentType: "application/merge-patch+json",
        ctx: ctxOf("patch", m, namespace, name),
        write: true,
        signal: options.signal,
      });
    },
    async delete(m, namespace, name, options = {}) {
      const body: Record<string, unknown> = { apiVersion: "v1", kind: "DeleteOptions" };
      if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
      if (options.gracePeriodSeconds !== undefined) {
        body.gracePeriodSeconds = options.gracePeriodSeconds;
      }
      return await sendJson({
        verb: "delete",
        method: "DELETE",
        path: objectPath(m, namespace, name, "delete"),
        body,
        ctx: ctxOf("delete", m, namespace, name),
        write: true,
        signal: options.signal,
      });
    },
    pendingCredential: () => credentials.pending?.(),
    close() {
      if (lifetime.signal.aborted) return;
      lifetime.abort(new DOMException("the Kubernetes client was closed", "AbortError"));
      credentials.close?.();
      for (const t of transports.values()) t.close();
      transports.clear();
    },
  };
}

/** `30s`, `1.5s`: a deadline in messages. */
function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}
