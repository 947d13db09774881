/**
 * Typed errors of the Kubernetes client. API errors are built from the
 * server's `Status` body and carry the HTTP code, the reason and the resource
 * they concern; a server that cannot be reached is a {@linkcode ConnectionError}.
 * Names follow what the engine recognises (`NotFoundError` with `code` 404,
 * `NoMatchError`), see `lib/cluster/errors.ts`.
 *
 * @module
 */

import { KstatusError } from "../errors.ts";
import type { GroupKind, ObjectIdentifier } from "../types.ts";
import type { ResourceMapping } from "./types.ts";

/** The `Status` object the API server sends with a failure (`kind: Status`). */
export interface ApiStatus {
  /** `"Status"`. */
  kind?: string;
  /** `"Failure"` or `"Success"`. */
  status?: string;
  /** Human-readable description. */
  message?: string;
  /** Machine-readable reason: `NotFound`, `Forbidden`, `Expired`, ... */
  reason?: string;
  /** HTTP status code. */
  code?: number;
  /** Extra details; `retryAfterSeconds` for 429 and some 5xx. */
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    retryAfterSeconds?: number;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
}

/** What a request was about, so its error can say so. */
export interface ErrorContext {
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `discovery`. */
  verb: string;
  /** The resource the request concerned, when known. */
  mapping?: ResourceMapping;
  /** Namespace of the request (`""` for all or cluster-scoped). */
  namespace?: string;
  /** Object name, `""` for collections. */
  name?: string;
}

/**
 * The API server answered with an error. Subclasses per status code; match
 * with `instanceof` or by `code` / `reason`.
 *
 * @example
 * ```ts
 * import { ApiError, createClient, loadClientConfig } from "@kstatus/kstatus/kube";
 * const client = createClient(await loadClientConfig());
 * const pods = { group: "", version: "v1", kind: "Pod", resource: "pods", namespaced: true };
 * try {
 *   await client.get(pods, "default", "web-0");
 * } catch (e) {
 *   if (e instanceof ApiError) console.error(e.code, e.reason, e.message);
 * }
 * ```
 */
export class ApiError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ApiError";
  /** HTTP status code. */
  code: number;
  /** The Status reason (`NotFound`, `Expired`, ...), `""` when the server sent none. */
  reason: string;
  /** The verb of the failed request. */
  verb: string;
  /** The Status body, when the server sent one. */
  status?: ApiStatus;
  /** Seconds the server asked us to wait (429, some 503), when it said. */
  retryAfterSeconds?: number;
  /**
   * Builds an API error; usually {@linkcode apiErrorFromStatus} does.
   *
   * @param message human-readable, usually the Status message
   * @param init code, reason, verb and the resource concerned
   */
  constructor(
    message: string,
    init: {
      code: number;
      reason?: string;
      verb?: string;
      status?: ApiStatus;
      retryAfterSeconds?: number;
      resource?: ObjectIdentifier;
    },
  ) {
    super(message, { resource: init.resource });
    this.code = init.code;
    this.reason = init.reason ?? "";
    this.verb = init.verb ?? "";
    this.status = init.status;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * 400: the request was malformed (a bad selector, a mismatched namespace).
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, BadRequestError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(400, { kind: "Status", reason: "BadRequest", code: 400 }, { verb: "get" });
 * console.log(err instanceof BadRequestError); // true
 * ```
 */
export class BadRequestError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "BadRequestError";
}
/**
 * 401: the credentials were missing, wrong or expired.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, UnauthorizedError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(401, { kind: "Status", reason: "Unauthorized", code: 401 }, { verb: "get" });
 * console.log(err instanceof UnauthorizedError); // true
 * ```
 */
export class UnauthorizedError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "UnauthorizedError";
}
/**
 * 403: authenticated, but not allowed.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, ForbiddenError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(403, { kind: "Status", reason: "Forbidden", code: 403 }, { verb: "get" });
 * console.log(err instanceof ForbiddenError); // true
 * ```
 */
export class ForbiddenError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ForbiddenError";
}
/**
 * 404: the object, or its resource, does not exist.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, NotFoundError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(404, { kind: "Status", reason: "NotFound", code: 404 }, { verb: "get" });
 * console.log(err instanceof NotFoundError); // true
 * ```
 */
export class NotFoundError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "NotFoundError";
}
/**
 * 405: the verb is not supported on this resource.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, MethodNotAllowedError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(405, { kind: "Status", reason: "MethodNotAllowed", code: 405 }, { verb: "get" });
 * console.log(err instanceof MethodNotAllowedError); // true
 * ```
 */
export class MethodNotAllowedError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "MethodNotAllowedError";
}
/**
 * 409: the object already exists, or was modified since it was read.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, ConflictError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(409, { kind: "Status", reason: "Conflict", code: 409 }, { verb: "get" });
 * console.log(err instanceof ConflictError); // true
 * ```
 */
export class ConflictError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ConflictError";
}
/**
 * 410: a resourceVersion or continue token is too old (`Expired` or `Gone`); relist.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, GoneError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(410, { kind: "Status", reason: "Expired", code: 410 }, { verb: "get" });
 * console.log(err instanceof GoneError); // true
 * ```
 */
export class GoneError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "GoneError";
}
/**
 * 415: the content type of a patch is not supported.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, UnsupportedMediaTypeError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(415, { kind: "Status", reason: "UnsupportedMediaType", code: 415 }, { verb: "get" });
 * console.log(err instanceof UnsupportedMediaTypeError); // true
 * ```
 */
export class UnsupportedMediaTypeError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "UnsupportedMediaTypeError";
}
/**
 * 422: the object is invalid.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, InvalidError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(422, { kind: "Status", reason: "Invalid", code: 422 }, { verb: "get" });
 * console.log(err instanceof InvalidError); // true
 * ```
 */
export class InvalidError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "InvalidError";
}
/**
 * 429: the server is throttling us.
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, TooManyRequestsError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(429, { kind: "Status", reason: "TooManyRequests", code: 429 }, { verb: "get" });
 * console.log(err instanceof TooManyRequestsError); // true
 * ```
 */
export class TooManyRequestsError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "TooManyRequestsError";
}
/**
 * 5xx: the server failed (internal error, unavailable, timeout).
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus, ServerError } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(503, { kind: "Status", reason: "ServiceUnavailable", code: 503 }, { verb: "get" });
 * console.log(err instanceof ServerError); // true
 * ```
 */
export class ServerError extends ApiError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ServerError";
}

const BY_CODE: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  410: GoneError,
  415: UnsupportedMediaTypeError,
  422: InvalidError,
  429: TooManyRequestsError,
};

const REASON_BY_CODE: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Gone",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** The resource a request concerned, as an identifier (name `""` for collections). */
export function resourceOf(ctx: ErrorContext): ObjectIdentifier | undefined {
  if (!ctx.mapping) return undefined;
  return {
    group: ctx.mapping.group,
    kind: ctx.mapping.kind,
    namespace: ctx.namespace ?? "",
    name: ctx.name ?? "",
  };
}

/** `deployments.apps "web"` or `pods`, as the API server names things in messages. */
export function describeTarget(ctx: ErrorContext): string {
  if (!ctx.mapping) return "";
  const what = ctx.mapping.group
    ? `${ctx.mapping.resource}.${ctx.mapping.group}`
    : ctx.mapping.resource;
  return ctx.name ? `${what} "${ctx.name}"` : what;
}

/** True when `body` looks like a `Status` object. */
export function isStatus(body: unknown): body is ApiStatus {
  return typeof body === "object" && body !== null && (body as ApiStatus).kind === "Status";
}

/**
 * The typed error for an HTTP failure `code` with the server's `Status` body
 * (or anything else it sent, then described by the code alone).
 *
 * @example
 * ```ts
 * import { apiErrorFromStatus } from "@kstatus/kstatus/kube";
 * const err = apiErrorFromStatus(404, {
 *   kind: "Status",
 *   status: "Failure",
 *   reason: "NotFound",
 *   message: 'pods "web-0" not found',
 *   code: 404,
 * }, { verb: "get" });
 * console.log(err.name); // "NotFoundError"
 * ```
 */
export function apiErrorFromStatus(
  code: number,
  body: unknown,
  ctx: ErrorContext,
  retryAfterSeconds?: number,
): ApiError {
  const status = isStatus(body) ? body : undefined;
  // An ERROR watch event carries its own code in the Status body.
  const effective = status?.code && status.code >= 400 ? status.code : code;
  const reason = status?.reason || REASON_BY_CODE[effective] || "";
  const target = describeTarget(ctx);
  const message = status?.message ||
    `the server responded with ${effective}${reason ? ` (${reason})` : ""}` +
      ` to ${ctx.verb}${target ? ` ${target}` : ""}`;
  const Cls = BY_CODE[effective] ?? (effective >= 500 ? ServerError : ApiError);
  return new Cls(message, {
    code: effective,
    reason,
    verb: ctx.verb,
    status,
    retryAfterSeconds: retryAfterSeconds ?? status?.details?.retryAfterSeconds,
    resource: resourceOf(ctx),
  });
}

/** Why a connection failed. */
export type ConnectionFailure = "refused" | "dns" | "tls" | "reset" | "timeout" | "other";

/**
 * The API server could not be reached (connection refused, DNS, TLS
 * failure), or the connection dropped before the answer was complete. The
 * message names the server and the reason in one line.
 *
 * @example
 * ```ts
 * import { ConnectionError, createClient, loadClientConfig } from "@kstatus/kstatus/kube";
 * const client = createClient(await loadClientConfig());
 * try {
 *   await client.mapper.resources();
 * } catch (e) {
 *   if (e instanceof ConnectionError) console.error(e.server, e.failure); // e.g. "refused"
 * }
 * ```
 */
export class ConnectionError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ConnectionError";
  /** The server URL we tried. */
  server: string;
  /** Category of the failure. */
  failure: ConnectionFailure;
  /** The runtime's own description, without the category. */
  detail: string;
  /**
   * Creates the error.
   *
   * @param server the server URL
   * @param failure category of the failure
   * @param detail what the runtime said
   * @param options `cause` and whether the connection dropped mid-response
   */
  constructor(
    server: string,
    failure: ConnectionFailure,
    detail: string,
    options?: {
      cause?: unknown;
      dropped?: boolean;
      resource?: ObjectIdentifier;
      /** The proxy (credentials removed) when it, not the server, could not be reached. */
      proxy?: string;
    },
  ) {
    const why = detail ? `${FAILURE_TEXT[failure]}: ${detail}` : FAILURE_TEXT[failure];
    super(
      options?.dropped
        ? `connection to the API server at ${server} dropped: ${why}`
        : options?.proxy
        ? `cannot reach the proxy ${options.proxy} (for the API server at ${server}): ${why}`
        : `cannot reach the API server at ${server}: ${why}`,
      options,
    );
    this.server = server;
    this.failure = failure;
    this.detail = detail;
  }
}

/**
 * The API server answered, but not with something we can read: not JSON, a list that is
 * not a list, a body or watch event over the size limit. A fault of the server (exit 4).
 *
 * @example
 * ```ts
 * import { BadResponseError } from "@kstatus/kstatus/kube";
 * const e = new BadResponseError("https://10.0.0.1:6443", "sent a list response that is not JSON");
 * console.log(e.message); // the API server at https://10.0.0.1:6443 sent a list response that is not JSON
 * ```
 */
export class BadResponseError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "BadResponseError";
  /** The server URL. */
  server: string;
  /**
   * Creates the error.
   *
   * @param server the server URL
   * @param what what the server did, starting with a verb (`sent ...`)
   * @param options `cause`
   */
  constructor(server: string, what: string, options?: { cause?: unknown }) {
    super(`the API server at ${server} ${what}`, options);
    this.server = server;
  }
}

const FAILURE_TEXT: Record<ConnectionFailure, string> = {
  refused: "connection refused",
  dns: "host name lookup failed",
  tls: "TLS handshake failed",
  reset: "connection reset",
  timeout: "connection timed out",
  other: "request failed",
};

/**
 * A kind is not served by the cluster (a CRD that is not installed). Name `NoMatchError`.
 *
 * @example
 * ```ts
 * import { NoMatchError } from "@kstatus/kstatus/kube";
 * const err = new NoMatchError({ group: "example.com", kind: "Widget" });
 * console.log(err.message); // no matches for kind "Widget" in group "example.com"
 * ```
 */
export class NoMatchError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "NoMatchError";
  /** The kind that has no mapping. */
  groupKind: GroupKind;
  /**
   * Creates the error.
   *
   * @param gk the kind that has no mapping
   */
  constructor(gk: GroupKind) {
    super(`no matches for kind "${gk.kind}" in group "${gk.group}"`);
    this.groupKind = { group: gk.group, kind: gk.kind };
  }
}

/**
 * What a user typed (`deploy`, `foos.example.com`) names no resource type the server has.
 *
 * @example
 * ```ts
 * import { UnknownResourceTypeError } from "@kstatus/kstatus/kube";
 * const err = new UnknownResourceTypeError("deploymnt");
 * console.log(err.message); // the server doesn't have a resource type "deploymnt"
 * ```
 */
export class UnknownResourceTypeError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "UnknownResourceTypeError";
  /** What the user typed. */
  input: string;
  /**
   * Creates the error.
   *
   * @param input what the user typed
   */
  constructor(input: string) {
    super(`the server doesn't have a resource type "${input}"`);
    this.input = input;
  }
}

/**
 * A kubeconfig or in-cluster configuration is missing, unreadable or incomplete.
 *
 * @example
 * ```ts
 * import { ConfigError, loadClientConfig } from "@kstatus/kstatus/kube";
 * try {
 *   await loadClientConfig({ context: "no-such-context" });
 * } catch (e) {
 *   if (e instanceof ConfigError) console.error(e.message); // names the file and the context
 * }
 * ```
 */
export class ConfigError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ConfigError";
  /** The file the problem is in, when there is one. */
  file?: string;
  /**
   * Creates the error.
   *
   * @param message what is wrong (the file is prefixed when given)
   * @param options the `file` and `cause`
   */
  constructor(message: string, options?: { file?: string; cause?: unknown }) {
    super(options?.file ? `kubeconfig ${options.file}: ${message}` : message, {
      cause: options?.cause,
    });
    this.file = options?.file;
  }
}

/**
 * An exec credential plugin failed or returned something unusable.
 *
 * @example
 * ```ts
 * import { ExecPluginError } from "@kstatus/kstatus/kube";
 * const err = new ExecPluginError("aws", "exited with code 255");
 * console.log(err.command); // "aws"
 * ```
 */
export class ExecPluginError extends KstatusError {
  /** Stable name (minifiers rename classes; callers match on `name`). */
  override name = "ExecPluginError";
  /** The plugin's command. */
  command: string;
  /** The plugin did not answer in time: nothing could be read (not a configuration mistake). */
  timedOut: boolean;
  /**
   * Creates the error.
   *
   * @param command the plugin's command
   * @param message what went wrong (never the plugin's output: it holds secrets)
   * @param options `cause`; `timedOut` when the plugin did not answer in time
   */
  constructor(command: string, message: string, options?: { cause?: unknown; timedOut?: boolean }) {
    super(`exec plugin "${command}": ${message}`, options);
    this.command = command;
    this.timedOut = options?.timedOut ?? false;
  }
}
