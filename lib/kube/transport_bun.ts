/**
 * The Bun transport: Bun's `fetch` with its `tls` option (CA, client
 * certificate and key, `rejectUnauthorized`, `serverName`) and its `proxy`
 * option (HTTP and HTTPS proxies).
 *
 * Bun's `fetch` has at most 256 requests in flight (`BUN_CONFIG_MAX_HTTP_REQUESTS`, read at
 * start-up only) and queues the others: with more than 256 watches the extra ones never start.
 * Long requests (watches) therefore go through `fetch` only while fewer than
 * {@linkcode FETCH_LONG_LIMIT} are open, and beyond through Bun's `node:https`, which has no such
 * cap (unless an `https://` proxy is set, which only `fetch` can use). `fetch` first because it
 * is cheaper: Bun's `node:https` streams events through its JavaScript stream library (a tenth of
 * the CPU of a 100-Deployment rollout), and loading it costs memory.
 *
 * @module
 */

import {
  fetchTransportResponse,
  headerPairs,
  readText,
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

/**
 * Long requests carried by `fetch` at once; the rest go over `node:https`. Well below Bun's 256,
 * so that short requests (LISTs, GETs) always find room.
 */
export const FETCH_LONG_LIMIT = 64;

/**
 * A transport built on Bun's `fetch`. `overflow` carries the long requests beyond
 * {@linkcode FETCH_LONG_LIMIT} (default: `node:https`, loaded when first needed).
 */
export function createBunTransport(
  opts: TransportOptions,
  overflow: () => Promise<Transport> = () =>
    import("./transport_node.ts").then((m) => m.createNodeTransport(opts)),
): Transport {
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
  let long: Promise<Transport> | undefined;
  let longInFetch = 0;
  return {
    name: "bun",
    async request(req): Promise<TransportResponse> {
      if (req.long && nodeCan && longInFetch >= FETCH_LONG_LIMIT) {
        long ??= overflow();
        return (await long).request(req);
      }
      const init: BunFetchInit = {
        method: req.method,
        headers: headerPairs(req.headers),
        body: req.body,
        signal: req.signal,
        redirect: "manual",
        tls,
      };
      if (opts.proxyUrl) init.proxy = opts.proxyUrl;
      if (!req.long) return fetchTransportResponse(req.url, init, req.signal);
      // Counted until its body ends, fails or is aborted, whichever comes first.
      longInFetch++;
      let open = true;
      const release = () => {
        if (open) longInFetch--;
        open = false;
        req.signal.removeEventListener("abort", release);
      };
      req.signal.addEventListener("abort", release);
      try {
        const res = await fetchTransportResponse(req.url, init, req.signal);
        const body = releasedAtEnd(res.body, release);
        return { ...res, body, text: () => readText(body) };
      } catch (e) {
        release();
        throw e;
      }
    },
    close() {
      // Bun pools fetch's connections itself; the node:https agent of watches is ours.
      long?.then((t) => t.close(), () => {});
    },
  };
}

/** `body`, calling `release` once it ended or failed. */
async function* releasedAtEnd(
  body: AsyncIterable<Uint8Array>,
  release: () => void,
): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } finally {
    release();
  }
}
