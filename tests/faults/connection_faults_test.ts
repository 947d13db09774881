/**
 * Connection faults through the CLI (in-process, the real HTTPS client):
 * deadlines on a silent server and a stalled body, `--request-timeout`,
 * proxies from the environment (loopback never proxied, `NO_PROXY`, a dead
 * proxy named as such), `Retry-After` capped, and credentials in the server
 * URL never printed.
 */

import assert from "node:assert/strict";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { createClient, loadClientConfig } from "../../lib/kube/mod.ts";
import { deployment } from "../watch/helpers.ts";
import { kstatus } from "./helpers.ts";
import { run } from "../dist/helpers.ts";

/** A TCP server that accepts connections and never says a word (a stalled TLS handshake). */
function silentServer(): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const conn of listener) held.push(conn);
    } catch {
      // closed
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      for (const c of held) c.close();
      listener.close();
    },
  };
}

Deno.test("faults: a server that accepts and never answers: --request-timeout 1s is exit 4 naming the server, within 3 s", async () => {
  const api = await startFakeApiServer();
  const silent = silentServer();
  try {
    const server = `https://127.0.0.1:${silent.port}`;
    const kubeconfig = await api.kubeconfig({ server });
    for (const command of ["status", "wait"]) {
      const r = await kstatus([
        command,
        "deploy/web",
        "-n",
        "ns",
        "--request-timeout",
        "1s",
        "--kubeconfig",
        kubeconfig,
      ]);
      assert.equal(r.code, 4, `${command}: ${r.text}`);
      assert.ok(r.ms < 3_000, `${command} took ${r.ms} ms`);
      assert.match(r.err.join("\n"), new RegExp(`cannot reach the API server at ${server}`));
      assert.match(r.err.join("\n"), /within the request timeout \(1s\)/);
    }
    // No --request-timeout, --timeout first: still exit 4 naming the server, at the timeout.
    const w = await kstatus([
      "wait",
      "deploy/web",
      "-n",
      "ns",
      "--timeout",
      "1s",
      "--kubeconfig",
      kubeconfig,
    ]);
    assert.equal(w.code, 4, w.text);
    assert.ok(w.ms < 2_000, `took ${w.ms} ms`);
    assert.deepEqual(w.err, [
      `error: timed out after 1.0s: the API server at ${server} did not answer in time`,
    ]);
  } finally {
    silent.close();
    await api.close();
  }
});

Deno.test("faults: without --request-timeout the built-in deadlines apply: connect and headers, then body silence", async () => {
  const api = await startFakeApiServer();
  const silent = silentServer();
  // Headers and the start of a body, then nothing: a 1 byte per hour body.
  const sockets = new Set<{ destroy(): void }>();
  const stall = https.createServer(
    { cert: api.pki.server.cert, key: api.pki.server.key },
    (_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"kind":"APIVersions",');
    },
  );
  stall.on("connection", (s) => sockets.add(s));
  await new Promise<void>((r) => stall.listen(0, "127.0.0.1", r));
  try {
    const client = createClient(
      await loadClientConfig({
        kubeconfig: await api.kubeconfig({ server: `https://127.0.0.1:${silent.port}` }),
        env: {},
      }),
      { connectTimeoutMs: 300 },
    );
    let t0 = performance.now();
    await assert.rejects(
      client.mapper.mapping({ group: "apps", kind: "Deployment" }),
      (e: Error) => {
        assert.equal(e.name, "ConnectionError");
        assert.match(
          e.message,
          /cannot reach the API server at .*: connection timed out: no response within 0.3s/,
        );
        return true;
      },
    );
    assert.ok(performance.now() - t0 < 1_500, "a missed deadline is not retried");
    client.close();

    const port = (stall.address() as AddressInfo).port;
    const stalled = createClient(
      await loadClientConfig({
        kubeconfig: await api.kubeconfig({ server: `https://127.0.0.1:${port}` }),
        env: {},
      }),
      { bodyIdleTimeoutMs: 300 },
    );
    t0 = performance.now();
    await assert.rejects(
      stalled.mapper.mapping({ group: "apps", kind: "Deployment" }),
      /the response stalled for 0.3s/,
    );
    assert.ok(performance.now() - t0 < 1_500);
    stalled.close();
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => stall.close(r));
    silent.close();
    await api.close();
  }
});

Deno.test("faults: HTTPS_PROXY pointing nowhere: a loopback server is reached directly, NO_PROXY is honoured, a dead proxy is named", async () => {
  const api = await startFakeApiServer();
  const dead = silentServer();
  dead.close(); // a port where nothing listens any more
  try {
    api.put(deployment("web", 2));
    const proxy = `http://127.0.0.1:${dead.port}`;
    const args = ["status", "deploy/web", "-n", "ns", "--request-timeout", "5s"];
    // Loopback: never proxied, whatever HTTPS_PROXY says (kind, k3d, minikube).
    const local = await kstatus([...args, "--kubeconfig", await api.kubeconfig()], {
      HTTPS_PROXY: proxy,
    });
    assert.equal(local.code, 0, local.text);
    // A remote name: proxied, unless NO_PROXY covers it (a domain suffix here).
    const remote = await api.kubeconfig({ server: "https://kube.corp.invalid:6443" });
    const viaProxy = await kstatus([...args, "--kubeconfig", remote], { HTTPS_PROXY: proxy });
    assert.equal(viaProxy.code, 4, viaProxy.text);
    assert.match(
      viaProxy.err.join("\n"),
      new RegExp(
        `cannot reach the proxy ${proxy}/ \\(for the API server at https://kube.corp.invalid:6443\\): connection refused`,
      ),
    );
    const bypass = await kstatus([...args, "--kubeconfig", remote], {
      HTTPS_PROXY: proxy,
      NO_PROXY: "example.com,.invalid",
    });
    assert.equal(bypass.code, 4, bypass.text);
    assert.match(
      bypass.err.join("\n"),
      /cannot reach the API server at https:\/\/kube\.corp\.invalid:6443: host name lookup failed/,
    );
  } finally {
    await api.close();
  }
});

Deno.test("faults: Retry-After: 3600 is capped at 10 s: status goes on and ends", async () => {
  const api = await startFakeApiServer();
  try {
    api.put(deployment("web", 2));
    const kubeconfig = await api.kubeconfig();
    api.failNext({ verb: "list" }, { status: 429, retryAfter: 3600, times: 1 });
    const r = await kstatus(["status", "deploy/web", "-n", "ns", "--kubeconfig", kubeconfig]);
    assert.equal(r.code, 0, r.text);
    assert.ok(r.ms < 12_000, `took ${r.ms} ms (Retry-After capped at 10 s)`);
  } finally {
    await api.close();
  }
});

Deno.test("faults: user:password@ in the server URL is Basic auth, never printed", async () => {
  const api = await startFakeApiServer({
    clientCert: "optional",
    basicUsers: { ann: "s3cr3t-pw" },
  });
  try {
    api.put(deployment("web", 2));
    const url = new URL(api.url);
    const kubeconfig = await api.kubeconfig({
      auth: "none",
      server: `https://ann:s3cr3t-pw@127.0.0.1:${url.port}`,
    });
    const ok = await kstatus(["status", "deploy/web", "-n", "ns", "--kubeconfig", kubeconfig]);
    assert.equal(ok.code, 0, ok.text);
    assert.ok(!ok.text.includes("s3cr3t-pw"));
    const silent = silentServer();
    try {
      const kc = await api.kubeconfig({
        auth: "none",
        server: `https://ann:s3cr3t-pw@127.0.0.1:${silent.port}`,
      });
      const r = await kstatus([
        "status",
        "deploy/web",
        "-n",
        "ns",
        "--request-timeout",
        "500ms",
        "--kubeconfig",
        kc,
      ]);
      assert.equal(r.code, 4, r.text);
      assert.match(r.text, new RegExp(`https://127.0.0.1:${silent.port}`));
      assert.ok(!r.text.includes("s3cr3t-pw"), r.text);
      assert.ok(!r.text.includes("ann:"), r.text);
    } finally {
      silent.close();
    }
  } finally {
    await api.close();
  }
});

Deno.test("faults: HTTPS_PROXY in the process environment (which Deno's fetch reads itself) does not proxy a loopback server", async () => {
  const api = await startFakeApiServer();
  const dead = silentServer();
  dead.close();
  try {
    api.put(deployment("web", 2));
    const main = new URL("../../main.ts", import.meta.url).pathname;
    const r = await run(
      Deno.execPath(),
      [
        "run",
        "-A",
        main,
        "status",
        "deploy/web",
        "-n",
        "ns",
        "--kubeconfig",
        await api.kubeconfig(),
      ],
      { env: { HTTPS_PROXY: `http://127.0.0.1:${dead.port}`, NO_COLOR: "1" } },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
  } finally {
    await api.close();
  }
});

Deno.test("faults: every LIST failing with 500: status and wait both exit 4 naming the server", async () => {
  const api = await startFakeApiServer();
  try {
    api.put(deployment("web", 2));
    const kubeconfig = await api.kubeconfig();
    api.failNext({ verb: "list" }, { status: 500, times: 10_000, message: "etcd is sad" });
    for (const args of [["status"], ["wait", "--timeout", "6s"]]) {
      const r = await kstatus([...args, "deploy/web", "-n", "ns", "--kubeconfig", kubeconfig]);
      assert.equal(r.code, 4, `${args[0]}: ${r.text}`);
      assert.match(r.err.join("\n"), new RegExp(`the API server at ${api.url}: etcd is sad`));
    }
  } finally {
    await api.close();
  }
});

Deno.test("faults: a list body that is null or whose items are not an array is a broken answer, not an empty list", async () => {
  const api = await startFakeApiServer();
  let body = "null";
  const sockets = new Set<{ destroy(): void }>();
  const server = https.createServer(
    { cert: api.pki.server.cert, key: api.pki.server.key },
    (_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    },
  );
  server.on("connection", (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createClient(
      await loadClientConfig({ kubeconfig: await api.kubeconfig({ server: url }), env: {} }),
    );
    const pods = { group: "", version: "v1", kind: "Pod", resource: "pods", namespaced: true };
    for (const b of ["null", '{"kind":"PodList","items":42}', "[1,2]"]) {
      body = b;
      await assert.rejects(client.list(pods, "ns"), (e: Error) => {
        assert.equal(e.name, "BadResponseError", b);
        assert.equal(e.message, `the API server at ${url} sent a list of pods that is not a list`);
        return true;
      });
    }
    body = '{"kind":"PodList","metadata":{"resourceVersion":"3"}}';
    assert.deepEqual(
      (await client.list(pods, "ns")).items,
      [],
      "an omitted items is an empty list",
    );
    client.close();
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await api.close();
  }
});

/** A client certificate for `admin` signed by the fake server's CA; `days` -1 makes it expired. */
async function clientCert(
  api: Awaited<ReturnType<typeof startFakeApiServer>>,
  name: string,
  days: number,
  v3: boolean,
): Promise<{ cert: string; key: string }> {
  const dir = api.dir;
  const sh = (args: string[]) =>
    new Deno.Command("openssl", { args, cwd: dir, stderr: "null" }).output();
  await sh([
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    "/O=system:masters/CN=admin",
  ]);
  if (v3) await Deno.writeTextFile(`${dir}/${name}.ext`, "extendedKeyUsage=clientAuth\n");
  await sh([
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    api.pki.ca.certFile,
    "-CAkey",
    api.pki.ca.keyFile,
    "-set_serial",
    String(Date.now()),
    "-out",
    `${name}.crt`,
    "-days",
    String(days),
    ...(v3 ? ["-extfile", `${name}.ext`] : []),
  ]);
  return { cert: `${dir}/${name}.crt`, key: `${dir}/${name}.key` };
}

/** A kubeconfig of `api` whose user presents `files`. */
async function withClientCert(
  api: Awaited<ReturnType<typeof startFakeApiServer>>,
  files: { cert: string; key: string },
): Promise<string> {
  const path = await api.kubeconfig();
  const k = JSON.parse(await Deno.readTextFile(path));
  k.users[0].user = { "client-certificate": files.cert, "client-key": files.key };
  const out = `${api.dir}/kubeconfig-${crypto.randomUUID().slice(0, 6)}.json`;
  await Deno.writeTextFile(out, JSON.stringify(k));
  return out;
}

Deno.test("faults: an expired client certificate is named as ours (exit 3), not as a reset connection", async () => {
  const api = await startFakeApiServer();
  try {
    const kubeconfig = await withClientCert(api, await clientCert(api, "expired", -1, true));
    const r = await kstatus(["status", "deploy/web", "-n", "ns", "--kubeconfig", kubeconfig]);
    assert.equal(r.code, 3, r.text);
    assert.match(
      r.err.join("\n"),
      new RegExp(`the client certificate for ${api.url} expired on 20`),
    );
  } finally {
    await api.close();
  }
});

Deno.test("faults: a valid X.509 v1 client certificate works or is named as ours on Deno", async () => {
  const api = await startFakeApiServer();
  try {
    api.put(deployment("web", 2));
    const kubeconfig = await withClientCert(api, await clientCert(api, "v1", 2, false));
    const r = await kstatus(["status", "deploy/web", "-n", "ns", "--kubeconfig", kubeconfig]);
    if (r.code !== 0) {
      assert.equal(r.code, 3, r.text);
      assert.match(r.err.join("\n"), /is an X\.509 version 1 certificate, which Deno's TLS/);
    }
  } finally {
    await api.close();
  }
});
