/** `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` read as Go's httpproxy (kubectl) reads them. */

import assert from "node:assert/strict";
import { proxyFromEnvironment } from "../../lib/kube/mod.ts";

const P = "http://proxy.corp:3128/";

Deno.test("proxy env: the scheme picks the variable, upper case first, a bare host:port is http", () => {
  assert.equal(
    proxyFromEnvironment("https://api.example.com", { HTTPS_PROXY: "proxy.corp:3128" }),
    P,
  );
  assert.equal(proxyFromEnvironment("https://api.example.com", { https_proxy: P }), P);
  assert.equal(
    proxyFromEnvironment("https://api.example.com", { HTTPS_PROXY: P, https_proxy: "http://x:1" }),
    P,
  );
  assert.equal(proxyFromEnvironment("https://api.example.com", { HTTP_PROXY: P }), undefined);
  assert.equal(proxyFromEnvironment("http://api.example.com", { HTTP_PROXY: P }), P);
  assert.equal(
    proxyFromEnvironment("https://a.example.com", { HTTPS_PROXY: "socks5://s:1080" }),
    "socks5://s:1080",
  );
});

Deno.test("proxy env: loopback and localhost are never proxied", () => {
  for (
    const url of [
      "https://127.0.0.1:6443",
      "https://127.8.9.1",
      "https://[::1]:6443",
      "https://localhost:8443",
    ]
  ) {
    assert.equal(proxyFromEnvironment(url, { HTTPS_PROXY: P }), undefined, url);
  }
});

Deno.test("proxy env: NO_PROXY entries: *, IPs, CIDRs, names with subdomains, .suffix, ports", () => {
  const env = (NO_PROXY: string) => ({ HTTPS_PROXY: P, NO_PROXY });
  const direct = (url: string, np: string) =>
    assert.equal(proxyFromEnvironment(url, env(np)), undefined, `${url} / ${np}`);
  const proxied = (url: string, np: string) =>
    assert.equal(proxyFromEnvironment(url, env(np)), P, `${url} / ${np}`);
  direct("https://a.example.com", "*");
  direct("https://10.1.2.3:6443", "10.0.0.0/8");
  proxied("https://11.1.2.3:6443", "10.0.0.0/8");
  direct("https://10.1.2.3", "10.1.2.3");
  direct("https://[fd00::5]:6443", "fd00::/8");
  direct("https://example.com", "example.com");
  direct("https://api.example.com", "example.com");
  proxied("https://notexample.com", "example.com");
  proxied("https://example.com", ".example.com");
  direct("https://api.example.com", ".example.com");
  direct("https://api.example.com", "*.example.com");
  direct("https://api.example.com:6443", "api.example.com:6443");
  proxied("https://api.example.com:443", "api.example.com:6443");
  direct("https://API.Example.com", " foo.org , EXAMPLE.com ");
  proxied("https://api.example.com", "");
});
