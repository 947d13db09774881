/**
 * The Node transport: `node:https` with an `Agent` holding the TLS material.
 * Also used on Deno when `insecure-skip-tls-verify` or `tls-server-name` is
 * set, which `Deno.createHttpClient` cannot do. Proxies: `http://` proxies
 * through a CONNECT tunnel; `https://` and `socks5://` proxies are not
 * supported here.
 *
 * @module
 */

import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import tls from "node:tls";
import { Buffer } from "node:buffer";
import {
  guardBody,
  readText,
  splitProxyUrl,
  toTransportError,
  type Transport,
  TransportError,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from "./transport.ts";

/** A transport built on `node:https`. */
export function createNodeTransport(opts: TransportOptions): Transport {
  const tlsOptions: tls.ConnectionOptions = { rejectUnauthorized: !opts.insecureSkipVerify };
  if (opts.ca) tlsOptions.ca = opts.ca;
  if (opts.cert && opts.key) {
    tlsOptions.cert = opts.cert;
    tlsOptions.key = opts.key;
  }
  if (opts.serverName) tlsOptions.servername = opts.serverName;
  const proxy = opts.proxyUrl ? splitProxyUrl(opts.proxyUrl) : undefined;
  if (proxy && proxy.url.protocol !== "http:") {
    throw new Error(`proxy-url ${proxy.url.protocol} is not supported on Node (only http://)`);
  }
  const agent = new https.Agent({ ...tlsOptions, keepAlive: true });
  const plainAgent = new http.Agent({ keepAlive: true });
  const live = new Set<{ destroy(): void }>();

  function send(req: TransportRequest, socket?: tls.TLSSocket): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const plain = req.url.protocol === "http:";
      const options: https.RequestOptions = {
        method: req.method,
        headers: req.headers as Record<string, string | string[]>,
      };
      // With a tunnelled socket there must be no agent at all: an agent would open its own.
      if (socket) options.createConnection = () => socket;
      else options.agent = plain ? plainAgent : agent;
      const r = (plain ? http : https).request(req.url, options, (res) => {
        const body = guardBody(res, req.signal);
        resolve({
          status: res.statusCode ?? 0,
          header(name) {
            const v = res.headers[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
          },
          body,
          text: () => readText(body),
          cancel: () => {
            res.destroy();
            return Promise.resolve();
          },
        });
      });
      live.add(r);
      const onAbort = () => r.destroy(req.signal.reason);
      req.signal.addEventListener("abort", onAbort, { once: true });
      r.on("close", () => {
        live.delete(r);
        req.signal.removeEventListener("abort", onAbort);
      });
      r.on("error", (e) => reject(req.signal.aborted ? req.signal.reason : toTransportError(e)));
      r.end(req.body);
    });
  }

  /** Opens a CONNECT tunnel through the proxy and starts TLS over it. */
  function tunnel(req: TransportRequest): Promise<tls.TLSSocket> {
    const target = `${req.url.hostname}:${req.url.port || 443}`;
    const headers: Record<string, string> = { host: target };
    if (proxy!.username !== undefined) {
      const basic = Buffer.from(`${proxy!.username}:${proxy!.password ?? ""}`).toString("base64");
      headers["proxy-authorization"] = `Basic ${basic}`;
    }
    return new Promise((resolve, reject) => {
      const c = http.request({
        host: proxy!.url.hostname,
        port: proxy!.url.port || 80,
        method: "CONNECT",
        path: target,
        headers,
      });
      live.add(c);
      const onAbort = () => c.destroy(req.signal.reason);
      req.signal.addEventListener("abort", onAbort, { once: true });
      c.on("close", () => {
        live.delete(c);
        req.signal.removeEventListener("abort", onAbort);
      });
      c.on("error", (e) => reject(req.signal.aborted ? req.signal.reason : toTransportError(e)));
      c.on("connect", (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          reject(new TransportError("other", `proxy answered CONNECT with ${res.statusCode}`));
          return;
        }
        const host = req.url.hostname.replace(/^\[|\]$/g, "");
        const secure = tls.connect({
          ...tlsOptions,
          socket,
          host,
          servername: tlsOptions.servername ?? (isIP(host) ? undefined : host),
        });
        resolve(secure);
      });
      c.end();
    });
  }

  return {
    name: "node",
    async request(req) {
      if (!proxy || req.url.protocol === "http:") return await send(req);
      return await send(req, await tunnel(req));
    },
    close() {
      for (const r of live) r.destroy();
      agent.destroy();
      plainAgent.destroy();
    },
  };
}
