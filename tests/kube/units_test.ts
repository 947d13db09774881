import assert from "node:assert/strict";
import { backoffDelay, parseRetryAfter, resolveRetryOptions, sleep } from "../../lib/kube/retry.ts";
import { lines } from "../../lib/kube/watch.ts";
import { toTransportError } from "../../lib/kube/transport.ts";
import { apiErrorFromStatus, GoneError, NotFoundError } from "../../lib/kube/errors.ts";
import { createRequestCounter } from "../../lib/kube/requests.ts";
import { detectRuntime, selectTransport } from "../../lib/kube/transport_select.ts";
import { DEPLOYMENTS } from "./helpers.ts";

Deno.test("retry: exponential full-jitter backoff, capped; Retry-After wins", () => {
  const opts = resolveRetryOptions({ random: () => 0.999 });
  assert.equal(opts.maxAttempts, 5);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, opts)), [
    199,
    399,
    799,
    1598,
    3196,
    4995,
    4995,
  ]);
  assert.equal(backoffDelay(3, resolveRetryOptions({ random: () => 0 })), 0);
  assert.equal(backoffDelay(1, opts, 7), 7000);
  assert.equal(
    backoffDelay(1, opts, 3600),
    10_000,
    "capped Retry-After (a request must end near its deadline)",
  );
  assert.equal(resolveRetryOptions({ maxAttempts: 0 }).maxAttempts, 1);
});

Deno.test("retry: Retry-After as seconds or an HTTP date", () => {
  assert.equal(parseRetryAfter("3"), 3);
  assert.equal(parseRetryAfter(" 0 "), 0);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now), 10);
  assert.equal(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
});

Deno.test("retry: sleep ends at once on abort and leaves no timer", async () => {
  const ac = new AbortController();
  const started = Date.now();
  const p = sleep(60_000, ac.signal);
  ac.abort(new Error("stop"));
  await assert.rejects(p, /stop/);
  assert.ok(Date.now() - started < 1000);
  await assert.rejects(sleep(10, AbortSignal.abort(new Error("already"))), /already/);
  await sleep(1);
});

Deno.test("watch: lines split across and within chunks, last line without newline", async () => {
  const enc = new TextEncoder();
  const text = '{"a":1}\n{"b":"ü"}\n\n{"c":3}';
  const bytes = enc.encode(text);
  async function* chunks(size: number) {
    for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
  }
  for (const size of [1, 2, 3, 7, 100]) {
    const out: string[] = [];
    for await (const l of lines(chunks(size))) out.push(l);
    assert.deepEqual(out, ['{"a":1}', '{"b":"ü"}', '{"c":3}'], `chunk size ${size}`);
  }
});

Deno.test("transport errors are sorted into refused, dns, tls, reset, timeout", () => {
  const deno = (msg: string) =>
    Object.assign(new TypeError("fetch failed"), { cause: new Error(msg) });
  const code = (c: string, msg = c) => Object.assign(new Error(msg), { code: c });
  const cases: Array<[unknown, string, string]> = [
    [
      deno(
        "error sending request for url (https://x/): client error (Connect): tcp connect error: Connection refused (os error 111)",
      ),
      "refused",
      "",
    ],
    [
      deno(
        "error sending request for url (https://x/): client error (Connect): dns error: failed to lookup address information: Name or service not known",
      ),
      "dns",
      "failed to lookup address information: Name or service not known",
    ],
    [
      deno(
        "error sending request for url (https://x/): client error (Connect): invalid peer certificate: UnknownIssuer",
      ),
      "tls",
      "invalid peer certificate: UnknownIssuer",
    ],
    [
      deno("received fatal alert: CertificateRequired"),
      "tls",
      "received fatal alert: CertificateRequired",
    ],
    [
      deno("peer closed connection without sending TLS close_notify: https://docs.rs/x"),
      "reset",
      "the server closed the connection",
    ],
    [code("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1"), "refused", ""],
    [
      code("ENOTFOUND", "getaddrinfo ENOTFOUND nowhere.invalid"),
      "dns",
      "getaddrinfo ENOTFOUND nowhere.invalid",
    ],
    [
      code("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
      "tls",
      "self-signed certificate in certificate chain",
    ],
    [
      code("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames"),
      "tls",
      "Hostname/IP does not match certificate's altnames",
    ],
    [code("ECONNRESET", "socket hang up"), "reset", ""],
    [code("ETIMEDOUT"), "timeout", ""],
    [new Error("something else"), "other", "something else"],
  ];
  for (const [err, failure, detail] of cases) {
    const te = toTransportError(err);
    assert.equal(te.failure, failure, String((err as Error).cause ?? err));
    assert.equal(te.detail, detail);
  }
});

Deno.test("errors: built from Status bodies, or from the code alone", () => {
  const nf = apiErrorFromStatus(404, "<html>", {
    verb: "get",
    mapping: DEPLOYMENTS,
    namespace: "ns",
    name: "web",
  });
  assert.ok(nf instanceof NotFoundError);
  assert.equal(
    nf.message,
    'the server responded with 404 (NotFound) to get deployments.apps "web"',
  );
  // An ERROR event's Status carries its own code.
  const gone = apiErrorFromStatus(200, {
    kind: "Status",
    code: 410,
    reason: "Expired",
    message: "too old",
  }, {
    verb: "watch",
  });
  assert.ok(gone instanceof GoneError);
  assert.equal(gone.message, "too old");
  assert.equal(gone.resource, undefined);
});

Deno.test("requests: counter keys and totals", () => {
  const c = createRequestCounter();
  c.add("list", { group: "apps", resource: "deployments" });
  c.add("list", { group: "apps", resource: "deployments" });
  c.add("get", { group: "", resource: "pods" });
  c.add("discovery");
  assert.deepEqual(c.snapshot(), { discovery: 1, "get pods": 1, "list apps/deployments": 2 });
  assert.equal(c.total(), 4);
});

Deno.test("transport selection per runtime", () => {
  assert.equal(detectRuntime(), "deno");
  assert.equal(selectTransport({}, "deno"), "deno");
  assert.equal(selectTransport({ insecureSkipVerify: true }, "deno"), "node");
  assert.equal(selectTransport({ serverName: "x" }, "deno"), "node");
  assert.equal(selectTransport({ insecureSkipVerify: true }, "bun"), "bun");
  assert.equal(selectTransport({ serverName: "x" }, "node"), "node");
});
