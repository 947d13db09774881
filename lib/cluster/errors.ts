/**
 * Recognising the errors that matter to status readers, whoever raised them:
 * the Kubernetes client, an in-memory reader, or a user's own reader. Errors
 * are recognised by `name` (and HTTP `code`), so readers need not share classes.
 *
 * @module
 */

import { KstatusError } from "../errors.ts";
import type { GroupKind, ObjectIdentifier } from "../types.ts";
import type { ResourceMapping } from "./types.ts";

/**
 * True for "the object (or its kind's resource) does not exist".
 *
 * @example
 * ```ts
 * import { isNotFound, ResourceNotFoundError } from "@kstatus/kstatus";
 * isNotFound(new ResourceNotFoundError('pods "web-0" not found')); // true
 * ```
 */
export function isNotFound(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return e.name === "NotFoundError" || (e as { code?: unknown }).code === 404;
}

/**
 * True for "the kind is not served by this cluster" (CRD not installed).
 *
 * @example
 * ```ts
 * import { isNoMatch, KindNoMatchError } from "@kstatus/kstatus";
 * isNoMatch(new KindNoMatchError({ group: "example.com", kind: "Widget" })); // true
 * ```
 */
export function isNoMatch(e: unknown): boolean {
  return e instanceof Error && e.name === "NoMatchError";
}

/**
 * True when the error means the caller gave up. With a `signal`, only its
 * abort counts (a request's own timeout, or a client closed under us, is an
 * ordinary failure); without one, an `AbortError` or `TimeoutError` does.
 *
 * @example
 * ```ts
 * import { isCancellation } from "@kstatus/kstatus";
 * const controller = new AbortController();
 * controller.abort();
 * isCancellation(new Error("socket closed"), controller.signal); // true: we gave up
 * ```
 */
export function isCancellation(e: unknown, signal?: AbortSignal): boolean {
  if (signal) return signal.aborted;
  if (!(e instanceof Error) && !(e instanceof DOMException)) return false;
  const name = (e as Error).name;
  return name === "AbortError" || name === "TimeoutError";
}

/**
 * An object is not in the cluster (or not in a reader's cache). Its `name`
 * is `NotFoundError` and `code` 404, so it is recognised like the client's.
 *
 * @example
 * ```ts
 * import { ResourceNotFoundError } from "@kstatus/kstatus";
 * const err = new ResourceNotFoundError('pods "web-0" not found', {
 *   group: "",
 *   kind: "Pod",
 *   namespace: "ns",
 *   name: "web-0",
 * });
 * console.log(err.name, err.code); // NotFoundError 404
 * ```
 */
export class ResourceNotFoundError extends KstatusError {
  /** HTTP status code the API server would answer with. */
  code = 404;
  /**
   * Creates the error.
   *
   * @param message e.g. `deployments.apps "web" not found`
   * @param resource the object concerned
   */
  constructor(message: string, resource?: ObjectIdentifier) {
    super(message, { resource });
    this.name = "NotFoundError";
  }
}

/**
 * A kind is not served by the cluster (its CRD is not installed): name `NoMatchError`.
 *
 * @example
 * ```ts
 * import { KindNoMatchError } from "@kstatus/kstatus";
 * const err = new KindNoMatchError({ group: "example.com", kind: "Widget" });
 * console.log(err.name, err.message); // NoMatchError no matches for kind "Widget" in group "example.com"
 * ```
 */
export class KindNoMatchError extends KstatusError {
  /**
   * Creates the error.
   *
   * @param gk the kind that has no mapping
   */
  constructor(gk: GroupKind) {
    super(`no matches for kind "${gk.kind}" in group "${gk.group}"`);
    this.name = "NoMatchError";
  }
}

/** The API's NotFound message for an object: `deployments.apps "web" not found`. */
export function notFoundMessage(mapping: ResourceMapping, name: string): string {
  const what = mapping.group ? `${mapping.resource}.${mapping.group}` : mapping.resource;
  return `${what} "${name}" not found`;
}

/** True when the server refused us: 401 Unauthorized or 403 Forbidden. */
export function isRefusal(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return e.name === "UnauthorizedError" || e.name === "ForbiddenError" || code === 401 ||
    code === 403;
}

/** True when the server could not be reached at all (refused connection, DNS, TLS). */
export function isUnreachable(e: unknown): boolean {
  return e instanceof Error && (e.name === "ConnectionError" || e.name === "UnreachableError");
}
