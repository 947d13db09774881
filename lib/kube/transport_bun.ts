/**
 * The Bun transport: Bun's `fetch` with its `tls` option (CA, client
 * certificate and key, `rejectUnauthorized`, `serverName`) and its `proxy`
 * option (HTTP and HTTPS proxies).
 *
 * Bun's `fetch` has at most 256 requests in flight (`BUN_CONFIG_MAX_HTTP_REQUESTS`, read at
 * start-up only) and queues the others: with more than 256 watches the extra ones never start.
 * Long requests (watches) therefore go through Bun's `node:https`, which has no such cap,
 * unless an `https://` proxy is set, which only `fetch` can use.
 *
 * @module
 */

import { createNodeTransport } from "./transport_node.ts";
import {
  fetchTransportResponse,
  type Transport,
  type TransportOptions,
  type TransportResponse,
} from "./transport.ts";

/** The extra `fetch` options Bun understands. */
interface BunFetchInit extends RequestInit {
  tls?: {
    ca?: string;
    cert?: string;
    key?: string;
    rejectUnauthorized?: boolean;
    serverName?: string;
  };
  proxy?: string;
}

/** A transport built on Bun's `fetch`. */
export function createBunTransport(opts: TransportOptions): Transport {
  if (opts.proxyUrl && !/^https?:/.test(opts.proxyUrl)) {
    throw new Error(`proxy-url ${new URL(opts.proxyUrl).protocol} is not supported on Bun`);
  }
  const tls: BunFetchInit["tls"] = { rejectUnauthorized: !opts.insecureSkipVerify };
  if (opts.ca) tls.ca = opts.ca;
  if (opts.cert && opts.key) {
    tls.cert = opts.cert;
    tls.key = opts.key;
  }
  if (opts.serverName) tls.serverName = opts.serverName;
  const nodeCan = !opts.proxyUrl || opts.proxyUrl.startsWith("http:");
  let long: Transport | undefined;
  return {
    name: "bun",
    request(req): Promise<TransportResponse> {
      if (req.long && nodeCan) return (long ??= createNodeTransport(opts)).request(req);
      const init: BunFetchInit = {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        redirect: "manual",
        tls,
      };
      if (opts.proxyUrl) init.proxy = opts.proxyUrl;
      return fetchTransportResponse(req.url, init, req.signal);
    },
    close() {
      // Bun pools fetch's connections itself; the node:https agent of watches is ours.
      long?.close();
    },
  };
}
