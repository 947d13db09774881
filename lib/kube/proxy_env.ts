/**
 * The proxy for a URL from `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, read
 * as Go's `golang.org/x/net/http/httpproxy` reads them (what kubectl does):
 * upper case first, then lower case; loopback hosts and `localhost` never
 * proxied; `NO_PROXY` entries are `*`, IPs, CIDRs, host names (the name and
 * its subdomains), `.domain` (subdomains only), each with an optional port.
 *
 * @module
 */

import { isIP } from "node:net";

/** The environment variables that name a proxy, in the spellings runtimes read. */
const PROXY_VARS = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
];

/** The first non-empty of `names` in `env`. */
function envAny(env: Record<string, string | undefined>, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v) return v;
  }
  return "";
}

/**
 * The proxy URL to use for `target` (`undefined`: connect directly).
 *
 * @throws {Error} when the variable that applies holds no usable URL.
 *
 * @example
 * ```ts
 * import { proxyFromEnvironment } from "@kstatus/kstatus/kube";
 * const env = { HTTPS_PROXY: "proxy.corp:3128", NO_PROXY: ".internal,10.0.0.0/8" };
 * proxyFromEnvironment("https://api.example.com:6443", env); // "http://proxy.corp:3128/"
 * proxyFromEnvironment("https://k8s.internal:6443", env); // undefined
 * proxyFromEnvironment("https://127.0.0.1:6443", env); // undefined: loopback is never proxied
 * ```
 */
export function proxyFromEnvironment(
  target: string,
  env: Record<string, string | undefined>,
): string | undefined {
  const url = new URL(target);
  const raw = url.protocol === "https:"
    ? envAny(env, "HTTPS_PROXY", "https_proxy")
    : url.protocol === "http:"
    ? envAny(env, "HTTP_PROXY", "http_proxy")
    : "";
  if (!raw) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (!useProxy(host, port, envAny(env, "NO_PROXY", "no_proxy"))) return undefined;
  return parseProxy(raw);
}

/** A proxy setting as Go reads it: a bare `host:port` means `http://host:port`. */
function parseProxy(raw: string): string {
  const value = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^(https?|socks5h?):$/.test(url.protocol) || !url.hostname) {
    try {
      url = new URL(`http://${value}`);
    } catch {
      throw new Error("the proxy set in HTTPS_PROXY/HTTP_PROXY is not a valid URL");
    }
  }
  return url.href;
}

/** False when `host` is loopback or matched by `noProxy`. */
function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === "localhost") return false;
  const ipKind = isIP(host);
  if (ipKind && isLoopback(host, ipKind)) return false;
  for (const entry of noProxy.split(",")) {
    const p = entry.trim().toLowerCase();
    if (!p) continue;
    if (p === "*") return false;
    if (p.includes("/")) {
      if (ipKind && inCidr(host, p)) return false;
      continue;
    }
    const { host: h, port: pp } = splitHostPort(p);
    if (isIP(h)) {
      if (ipKind && sameIp(h, host) && (!pp || pp === port)) return false;
      continue;
    }
    if (pp && pp !== port) continue;
    let name = h.startsWith("*.") ? h.slice(1) : h;
    const exactToo = !name.startsWith(".");
    if (exactToo) name = `.${name}`;
    if (host.endsWith(name) || (exactToo && host === name.slice(1))) return false;
  }
  return true;
}

function splitHostPort(p: string): { host: string; port: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(p);
  if (v6) return { host: v6[1], port: v6[2] ?? "" };
  const m = /^([^:]+):(\d+)$/.exec(p);
  return m ? { host: m[1], port: m[2] } : { host: p, port: "" };
}

function isLoopback(ip: string, kind: number): boolean {
  if (kind === 4) return ip.startsWith("127.");
  const bytes = ipBytes(ip);
  return bytes !== undefined && bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1 ||
    // ::ffff:127.x.y.z
    (bytes !== undefined && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 &&
      bytes[11] === 255 && bytes[12] === 127);
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return x !== undefined && y !== undefined && x.every((v, i) => v === y[i]);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const a = ipBytes(ip);
  const b = ipBytes(base);
  if (!a || !b || !Number.isInteger(bits)) return false;
  // An IPv4 CIDR is compared on the last four bytes of the IPv4-mapped form.
  const offset = isIP(base) === 4 ? 96 : 0;
  if (bits < 0 || bits + offset > 128) return false;
  for (let i = 0; i < bits + offset; i++) {
    const bit = (v: number[]) => (v[i >> 3] >> (7 - (i & 7))) & 1;
    if (bit(a) !== bit(b)) return false;
  }
  return true;
}

/** 16 bytes of an IPv4 (mapped) or IPv6 address. */
function ipBytes(ip: string): number[] | undefined {
  const kind = isIP(ip);
  if (kind === 4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...ip.split(".").map(Number)];
  if (kind !== 6) return undefined;
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4) {
    tail = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + "0:0";
  }
  const [head, rest] = text.split("::");
  const parse = (s: string) => (s ? s.split(":") : []).map((g) => parseInt(g, 16));
  const h = parse(head);
  const r = rest === undefined ? [] : parse(rest);
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill(0), ...r];
  const bytes = groups.flatMap((g) => [g >> 8, g & 255]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * True when the running process's environment names a proxy, which the
 * runtimes' own `fetch` (Deno's and Bun's) would apply on their own.
 */
export function runtimeSeesProxy(env: Record<string, string | undefined>): boolean {
  return PROXY_VARS.some((n) => Boolean(env[n]));
}
