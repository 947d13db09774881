/**
 * The Deno transport: `fetch` with a `Deno.createHttpClient` that holds the
 * CA bundle, client certificate and proxy. `Deno.createHttpClient` can
 * neither skip certificate verification nor verify against another name
 * than the URL's host, so `transport_select.ts` uses the `node:https`
 * transport on Deno when `insecure-skip-tls-verify` or `tls-server-name` is set.
 *
 * @module
 */

import {
  fetchTransportResponse,
  headerPairs,
  splitProxyUrl,
  type Transport,
  type TransportOptions,
  type TransportResponse,
} from "./transport.ts";

/** True when the Deno transport can honour `opts`. */
export function denoSupports(opts: TransportOptions): boolean {
  return !opts.insecureSkipVerify && !opts.serverName;
}

/** A transport built on Deno's `fetch` and `Deno.createHttpClient`. */
export function createDenoTransport(opts: TransportOptions): Transport {
  if (!denoSupports(opts)) {
    throw new Error("the Deno transport cannot skip TLS verification or set a TLS server name");
  }
  const clientOptions: Deno.CreateHttpClientOptions & Partial<Deno.TlsCertifiedKeyPem> = {};
  if (opts.ca) clientOptions.caCerts = [opts.ca];
  if (opts.cert && opts.key) {
    clientOptions.cert = opts.cert;
    clientOptions.key = opts.key;
  }
  if (opts.proxyUrl) {
    const { url, username, password } = splitProxyUrl(opts.proxyUrl);
    const transport = url.protocol === "https:"
      ? "https"
      : url.protocol.startsWith("socks5")
      ? "socks5"
      : "http";
    clientOptions.proxy = {
      transport,
      url: url.href,
      basicAuth: username !== undefined ? { username, password: password ?? "" } : undefined,
    };
  }
  const client = Deno.createHttpClient(
    clientOptions as Deno.CreateHttpClientOptions & Deno.TlsCertifiedKeyPem,
  );
  return {
    name: "deno",
    request(req): Promise<TransportResponse> {
      const init = {
        method: req.method,
        headers: headerPairs(req.headers),
        body: req.body,
        signal: req.signal,
        client,
        // Never follow a redirect with our credentials.
        redirect: "manual" as const,
      };
      return fetchTransportResponse(req.url, init, req.signal);
    },
    close() {
      client.close();
    },
  };
}
