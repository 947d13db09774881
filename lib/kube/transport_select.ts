/**
 * Picks the transport for the running runtime: Deno's `fetch` with
 * `Deno.createHttpClient` (falling back to `node:https` for
 * `insecure-skip-tls-verify` and `tls-server-name`), Bun's `fetch` with its
 * `tls` option, `node:https` on Node.
 *
 * @module
 */

import process from "node:process";
import { runtimeSeesProxy } from "./proxy_env.ts";
import type { RuntimeName, Transport, TransportOptions } from "./transport.ts";
import { createDenoTransport, denoSupports } from "./transport_deno.ts";
import { createBunTransport } from "./transport_bun.ts";
import { createNodeTransport } from "./transport_node.ts";

/**
 * The runtime this code runs on.
 *
 * @example
 * ```ts
 * import { detectRuntime } from "@kstatus/kstatus/kube";
 * console.log(detectRuntime()); // "deno", "bun" or "node"
 * ```
 */
export function detectRuntime(): RuntimeName {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return "bun";
  if (g.Deno !== undefined) return "deno";
  return "node";
}

/**
 * The transport {@linkcode createTransport} picks for `opts` on `runtime`.
 *
 * @example
 * ```ts
 * import { selectTransport } from "@kstatus/kstatus/kube";
 * // Deno's fetch cannot skip TLS verification, so node:https serves that case there.
 * selectTransport({ insecureSkipVerify: true }, "deno"); // "node"
 * ```
 */
export function selectTransport(
  opts: TransportOptions,
  runtime: RuntimeName = detectRuntime(),
): RuntimeName {
  if (runtime === "node") return runtime;
  // Deno's and Bun's fetch apply HTTPS_PROXY from the process environment on their own, with
  // their own NO_PROXY rules and loopback proxied; the proxy decision is ours (config.ts): an
  // explicit proxy overrides theirs, and "direct" is only possible through node:https.
  if (!opts.proxyUrl && processSeesProxy()) return "node";
  return runtime === "deno" && !denoSupports(opts) ? "node" : runtime;
}

function processSeesProxy(): boolean {
  try {
    return runtimeSeesProxy(process.env);
  } catch {
    return false; // no permission to read the environment
  }
}

/**
 * A transport for `opts` on `runtime` (default: the running one).
 *
 * @throws {Error} when the runtime cannot honour an option (a SOCKS proxy on Node or Bun).
 *
 * @example
 * ```ts
 * import { createTransport } from "@kstatus/kstatus/kube";
 * const transport = createTransport({ insecureSkipVerify: true });
 * ```
 */
export function createTransport(
  opts: TransportOptions,
  runtime: RuntimeName = detectRuntime(),
): Transport {
  switch (selectTransport(opts, runtime)) {
    case "deno":
      return createDenoTransport(opts);
    case "bun":
      return createBunTransport(opts);
    default:
      return createNodeTransport(opts);
  }
}
