/**
 * The one interface behind which runtime differences hide: an HTTPS
 * transport that sends a request with the TLS material of a kubeconfig and
 * returns a streaming response. One implementation per runtime
 * (`transport_deno.ts`, `transport_bun.ts`, `transport_node.ts`), chosen by
 * `transport_select.ts`.
 *
 * @module
 */

import type { ConnectionFailure } from "./errors.ts";

/** TLS material and proxy for the connections to one API server. */
export interface TransportOptions {
  /** PEM bundle of CAs to trust; unset means the system roots. */
  ca?: string;
  /** PEM client certificate (chain). */
  cert?: string;
  /** PEM private key of `cert`. */
  key?: string;
  /** Do not verify the server's certificate (`insecure-skip-tls-verify`). */
  insecureSkipVerify?: boolean;
  /** Name to send as SNI and to verify the server's certificate against (`tls-server-name`). */
  serverName?: string;
  /** Proxy for the connections (`proxy-url`). */
  proxyUrl?: string;
}

/** One HTTP request. */
export interface TransportRequest {
  /** HTTP method. */
  method: string;
  /** Full URL. */
  url: URL;
  /** Request headers (lower-case names). */
  headers: Record<string, string>;
  /** Request body. */
  body?: string;
  /** Aborting cancels the request and its response body. */
  signal: AbortSignal;
  /**
   * The response is held open for minutes (a WATCH). Bun's `fetch` runs at most 256 requests
   * at once and queues the rest, so the Bun transport sends these over `node:https` instead.
   */
  long?: boolean;
}

/** A response whose body is read as it arrives. */
export interface TransportResponse {
  /** HTTP status code. */
  status: number;
  /** A response header, `null` when absent. */
  header(name: string): string | null;
  /** The body; errors while reading are {@linkcode TransportError}s or the signal's reason. */
  body: AsyncIterable<Uint8Array>;
  /** The whole body as text. */
  text(): Promise<string>;
  /** Stops reading the body and releases the connection. */
  cancel(): Promise<void>;
}

/** Sends requests to one API server. */
export interface Transport {
  /** Which implementation this is. */
  readonly name: RuntimeName;
  /** Sends a request; rejects with a {@linkcode TransportError} or the signal's reason. */
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Releases connections and the runtime's HTTP client. */
  close(): void;
}

/** The runtimes with a transport. */
export type RuntimeName = "deno" | "bun" | "node";

/** A request failed below HTTP: the connection could not be made or dropped. */
export class TransportError extends Error {
  /** Category of the failure. */
  failure: ConnectionFailure;
  /** The runtime's description, shortened. */
  detail: string;
  /** True when the response had started (a body read failed). */
  dropped: boolean;
  /**
   * Creates the error.
   *
   * @param failure category
   * @param detail the runtime's description
   * @param options `cause`, and `dropped` when the response had started
   */
  constructor(
    failure: ConnectionFailure,
    detail: string,
    options?: { cause?: unknown; dropped?: boolean },
  ) {
    super(detail ? `${failure}: ${detail}` : failure, { cause: options?.cause });
    this.name = "TransportError";
    this.failure = failure;
    this.detail = detail;
    this.dropped = options?.dropped ?? false;
  }
}

const TLS_CODES =
  /CERT|SELF_SIGNED|ERR_SSL|ERR_TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH/;

/** All messages and codes along an error's `cause` chain. */
function chain(e: unknown): { messages: string[]; codes: string[] } {
  const messages: string[] = [];
  const codes: string[] = [];
  for (let cur = e, depth = 0; cur && depth < 6; depth++) {
    if (typeof cur !== "object") {
      messages.push(String(cur));
      break;
    }
    const err = cur as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof err.message === "string" && err.message) messages.push(err.message);
    if (typeof err.code === "string") codes.push(err.code);
    cur = err.cause;
  }
  return { messages, codes };
}

/** The runtime's message without URL noise: the part after the last `(Connect): `-style prefix. */
function shorten(message: string): string {
  return message
    .replace(/^error sending request (for url|from) [^)]*\): /, "")
    .replace(/^client error \((Connect|SendRequest)\): /, "")
    .replace(/: https:\/\/docs\.rs\S*/, "")
    .replace(/ For more information, pass `verbose: true`.*$/, "")
    .trim();
}

/**
 * Sorts a runtime's network error into a {@linkcode TransportError}: refused,
 * DNS, TLS, reset or timeout, with a short detail.
 */
export function toTransportError(e: unknown, dropped = false): TransportError {
  if (e instanceof TransportError) return e;
  const { messages, codes } = chain(e);
  const text = [...messages, ...codes].join(" | ");
  const inner = shorten(messages[messages.length - 1] ?? String(e));
  let failure: ConnectionFailure = "other";
  let detail = inner;
  if (codes.includes("ECONNREFUSED") || /connection refused|ECONNREFUSED/i.test(text)) {
    failure = "refused";
    detail = "";
  } else if (
    codes.some((c) => c === "ENOTFOUND" || c === "EAI_AGAIN") ||
    /dns error|ENOTFOUND|EAI_AGAIN|failed to lookup address|getaddrinfo/i.test(text)
  ) {
    failure = "dns";
    detail = inner.replace(/^dns error: /, "");
  } else if (/close_notify|unexpected eof/i.test(text)) {
    // rustls' words for a connection closed without a TLS goodbye: a reset, not a TLS problem.
    failure = "reset";
    detail = "the server closed the connection";
  } else if (
    codes.some((c) => TLS_CODES.test(c)) ||
    /certificate|TLS|SSL|handshake|fatal alert|altnames/i.test(text)
  ) {
    failure = "tls";
  } else if (codes.includes("ETIMEDOUT") || /timed out|ETIMEDOUT/i.test(text)) {
    failure = "timeout";
    detail = "";
  } else if (
    codes.some((c) => c === "ECONNRESET" || c === "EPIPE" || c === "ECONNABORTED") ||
    /reset|ECONNRESET|EPIPE|socket hang up|closed|aborted|body from connection|broken pipe|unexpected eof|incomplete/i
      .test(text)
  ) {
    failure = "reset";
    detail = "";
  }
  return new TransportError(failure, detail, { cause: e, dropped });
}

/** Wraps a body stream so read errors become TransportErrors (or the abort reason). */
export async function* guardBody(
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    throw toTransportError(e, true);
  }
}

/**
 * Sends a request with a `fetch` (Deno's or Bun's, with their own options in
 * `init`) and wraps the answer as a TransportResponse: body read errors become
 * TransportErrors, an abort rejects with the signal's reason.
 */
export async function fetchTransportResponse(
  url: URL | string,
  init: RequestInit,
  signal: AbortSignal,
): Promise<TransportResponse> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    throw toTransportError(e);
  }
  const body = guardBody(res.body ?? emptyBody(), signal);
  return {
    status: res.status,
    header: (name) => res.headers.get(name),
    body,
    text: () => readText(body),
    cancel: async () => {
      await res.body?.cancel().catch(() => {});
    },
  };
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** Reads a whole body as UTF-8 text. */
export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  for await (const chunk of body) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

/** Splits a proxy URL's credentials off: `http://u:p@host:3128` → url and user/password. */
export function splitProxyUrl(
  proxyUrl: string,
): { url: URL; username?: string; password?: string } {
  const url = new URL(proxyUrl);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = "";
  url.password = "";
  return { url, username, password };
}
