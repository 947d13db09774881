/**
 * Typed errors raised by status computation and input handling. Each carries
 * the resource it concerns when one is known.
 *
 * @module
 */

import type { ObjectIdentifier } from "./types.ts";

/**
 * Base class of every error kstatus raises itself.
 *
 * @example
 * ```ts
 * import { KstatusError } from "@kstatus/kstatus";
 * const err = new KstatusError("no selector found", {
 *   resource: { group: "apps", kind: "Deployment", namespace: "shop", name: "web" },
 * });
 * console.log(err.resource?.name); // "web"
 * ```
 */
export class KstatusError extends Error {
  /** The resource the error concerns, when known. */
  resource?: ObjectIdentifier;
  /**
   * Creates the error.
   *
   * @param message what went wrong
   * @param options `cause` and the `resource` concerned
   */
  constructor(message: string, options?: { cause?: unknown; resource?: ObjectIdentifier }) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.resource = options?.resource;
  }
}

/**
 * Status computation failed, where the Go original's `Compute` fails: an
 * unknown pod phase, a `null` or non-integer generation, malformed conditions.
 *
 * @example
 * ```ts
 * import { computeStatus, ComputeError } from "@kstatus/kstatus";
 * try {
 *   computeStatus({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, status: { phase: "Lost" } });
 * } catch (e) {
 *   if (e instanceof ComputeError) console.log(e.message); // "unknown phase Lost"
 * }
 * ```
 */
export class ComputeError extends KstatusError {}

/**
 * Input (a manifest file, stdin, an argument) could not be read or understood.
 *
 * @example
 * ```ts
 * import { InputError } from "@kstatus/kstatus";
 * const err = new InputError("expected a mapping", { file: "app.yaml", line: 12 });
 * console.log(err.message); // "app.yaml:12: expected a mapping"
 * ```
 */
export class InputError extends KstatusError {
  /** File the problem is in, `-` for stdin. */
  file?: string;
  /** 1-based line of the problem, when known. */
  line?: number;
  /**
   * Creates the error; the message is prefixed with `file:line: ` when known.
   *
   * @param message what is wrong, without the location
   * @param location where: `file` and `line`
   */
  constructor(message: string, location?: { file?: string; line?: number; cause?: unknown }) {
    const where = location?.file
      ? `${location.file}${location.line ? `:${location.line}` : ""}: `
      : "";
    super(`${where}${message}`, { cause: location?.cause });
    this.file = location?.file;
    this.line = location?.line;
  }
}
