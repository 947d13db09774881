import assert from "node:assert/strict";
import { chmod, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ConnectionError,
  createClient,
  ExecPluginError,
  type KubeClient,
  loadClientConfig,
  UnauthorizedError,
} from "../../lib/kube/mod.ts";
import type { FakeApiServer } from "../support/fake_apiserver.ts";
import { startConnectProxy } from "../support/connect_proxy.ts";
import {
  clientFor,
  collect,
  deployment,
  DEPLOYMENTS,
  PODS,
  withClient,
  withServer,
} from "./helpers.ts";

const OPTIONAL = { clientCert: "optional" } as const;

function lastAuth(api: FakeApiServer) {
  const r = api.requests.at(-1)!;
  return { user: r.user, kind: r.authKind, status: r.status };
}

Deno.test("auth: client certificate from files and from -data", async () => {
  await withServer(async (api) => {
    for (const auth of ["cert", "cert-data"] as const) {
      await withClient(api, async ({ client }) => {
        await client.list(PODS, "default");
        assert.deepEqual(lastAuth(api), { user: "bob", kind: "cert", status: 200 });
      }, { auth, user: "bob", groups: ["devs"] });
    }
  });
});

Deno.test("auth: a client certificate from another CA fails the TLS handshake", async () => {
  await withServer(async (api) => {
    const kubeconfig = await api.kubeconfig();
    const text = (await readFile(kubeconfig, "utf8"))
      .replace(api.pki.admin.certFile, api.pki.untrustedClient.certFile)
      .replace(api.pki.admin.keyFile, api.pki.untrustedClient.keyFile);
    await writeFile(kubeconfig, text);
    const client = createClient(await loadClientConfig({ kubeconfig, env: {} }), {
      sleep: () => Promise.resolve(),
    });
    try {
      await assert.rejects(client.list(PODS, "default"), ConnectionError);
      assert.equal(api.requests.length, 0, "no request got through");
    } finally {
      client.close();
    }
  });
});

Deno.test("auth: a client key that does not belong to the certificate fails", async () => {
  await withServer(async (api) => {
    const kubeconfig = await api.kubeconfig();
    const text = (await readFile(kubeconfig, "utf8"))
      .replace(api.pki.admin.keyFile, api.pki.untrustedClient.keyFile);
    await writeFile(kubeconfig, text);
    const client = createClient(await loadClientConfig({ kubeconfig, env: {} }), {
      sleep: () => Promise.resolve(),
    });
    try {
      await assert.rejects(client.list(PODS, "default"), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.ok(!String(e).includes("PRIVATE KEY"), "no key material in the message");
        return true;
      });
      assert.equal(api.requests.length, 0);
    } finally {
      client.close();
    }
  });
});

Deno.test("auth: a client without a certificate is refused by a cert-only server", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.list(PODS, "default"), ConnectionError);
      assert.equal(api.requests.length, 0);
    }, { auth: "none" });
  });
});

Deno.test("auth: bearer token, and 401 for a wrong one", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      assert.deepEqual(lastAuth(api), { user: "carol", kind: "token", status: 200 });
    }, { auth: "token", user: "carol" });
    await withClient(api, async ({ client }) => {
      api.removeToken("revoked");
      await assert.rejects(client.list(PODS, "default"), UnauthorizedError);
    }, { auth: "token", token: "revoked" });
  }, OPTIONAL);
});

Deno.test("auth: tokenFile is re-read when it changes, and after a 401", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      const tokenFile = tokenFileOf(client);
      const file = (await readFile(tokenFile, "utf8")).trim();
      await client.list(PODS, "default");
      assert.equal(lastAuth(api).status, 200);

      // Rotation: the file changes, the old token stops working.
      api.removeToken(file);
      api.addToken("rotated-token-2", "dave");
      await writeFile(tokenFile, "rotated-token-2\n");
      api.resetRequests();
      await client.list(PODS, "default");
      assert.deepEqual(api.requests.map((r) => [r.status, r.user]), [[200, "dave"]]);

      // A change the modification time does not show: the 401 makes the client re-read.
      const before = await stat(tokenFile);
      api.removeToken("rotated-token-2");
      api.addToken("rotated-token-3", "dave");
      await writeFile(tokenFile, "rotated-token-3\n");
      await utimes(tokenFile, before.atime, before.mtime);
      api.resetRequests();
      await client.list(PODS, "default");
      assert.deepEqual(api.requests.map((r) => r.status), [401, 200]);
    }, { auth: "token-file", user: "dave" });
  }, OPTIONAL);
});

/** The token file a client reads. */
function tokenFileOf(client: KubeClient): string {
  const auth = client.config.auth;
  assert.equal(auth.type, "tokenFile");
  return auth.type === "tokenFile" ? auth.path : "";
}

Deno.test("auth: basic auth, and 401 for a wrong password", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      assert.deepEqual(lastAuth(api), { user: "erin", kind: "basic", status: 200 });
    }, { auth: "basic", username: "erin", password: "correct horse" });
    api.addBasicUser("frank", "right");
    const kubeconfig = await api.kubeconfig({
      auth: "basic",
      username: "frank",
      password: "right",
    });
    await writeFile(kubeconfig, (await readFile(kubeconfig, "utf8")).replace('"right"', '"wrong"'));
    const client = createClient(await loadClientConfig({ kubeconfig, env: {} }));
    try {
      await assert.rejects(client.list(PODS, "default"), UnauthorizedError);
    } finally {
      client.close();
    }
  }, OPTIONAL);
});

/**
 * Writes an exec plugin: each run appends a line to `runs` and
 * `KUBERNETES_EXEC_INFO` to `info`, then prints `out-<n>.json` (n = run
 * number) or, when missing, `out.json`.
 */
async function writePlugin(dir: string): Promise<{ command: string; runs: string; dir: string }> {
  const command = join(dir, "plugin.sh");
  const runs = join(dir, "runs");
  await writeFile(
    command,
    `#!/bin/sh
set -e
echo run >> "${runs}"
n=$(wc -l < "${runs}" | tr -d ' ')
printf '%s\\n' "$KUBERNETES_EXEC_INFO" >> "${dir}/info"
if [ -n "$PLUGIN_FAIL" ]; then echo "plugin says no" >&2; exit 3; fi
if [ -f "${dir}/out-$n.json" ]; then cat "${dir}/out-$n.json"; else cat "${dir}/out.json"; fi
`,
  );
  await chmod(command, 0o755);
  return { command, runs, dir };
}

async function runCount(runs: string): Promise<number> {
  try {
    return (await readFile(runs, "utf8")).trim().split("\n").length;
  } catch {
    return 0;
  }
}

async function execInfos(dir: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(join(dir, "info"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
}

function credential(apiVersion: string, status: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion, kind: "ExecCredential", status });
}

for (
  const apiVersion of ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]
) {
  Deno.test(`auth: exec plugin ${apiVersion}: token, cached, env and exec info`, async () => {
    await withServer(async (api) => {
      const plugin = await writePlugin(await Deno.makeTempDir({ dir: api.dir }));
      api.addToken("exec-token-1", "grace");
      await writeFile(
        join(plugin.dir, "out.json"),
        credential(apiVersion, { token: "exec-token-1" }),
      );
      await withClient(api, async ({ client }) => {
        // Concurrent first requests share one run of the plugin.
        await Promise.all([client.list(PODS, "default"), client.list(PODS, "kube-system")]);
        await client.get(PODS, "default", "x").catch(() => {});
        assert.deepEqual(api.requests.map((r) => [r.user, r.authKind]), [
          ["grace", "token"],
          ["grace", "token"],
          ["grace", "token"],
        ]);
        assert.equal(await runCount(plugin.runs), 1, "the credential is cached");
        const [info] = await execInfos(plugin.dir);
        assert.equal(info.apiVersion, apiVersion);
        assert.equal(info.kind, "ExecCredential");
        const spec = info.spec as Record<string, unknown>;
        assert.equal(spec.interactive, false);
        const cluster = spec.cluster as Record<string, unknown>;
        assert.equal(cluster.server, api.url);
        assert.equal(
          atob(String(cluster["certificate-authority-data"])),
          api.pki.ca.cert,
        );
      }, {
        auth: "exec",
        ca: "data",
        exec: {
          command: plugin.command,
          apiVersion,
          env: [{ name: "PLUGIN_MODE", value: "test" }],
          provideClusterInfo: true,
          ...(apiVersion.endsWith("v1") ? { interactiveMode: "Never" } : {}),
        },
      });
    }, OPTIONAL);
  });
}

Deno.test("auth: exec credential re-run when it expires and after a 401", async () => {
  await withServer(async (api) => {
    const plugin = await writePlugin(await Deno.makeTempDir({ dir: api.dir }));
    const v1 = "client.authentication.k8s.io/v1";
    const expiry = Date.parse("2030-01-01T00:00:00Z");
    for (const n of [1, 2, 3]) {
      await writeFile(
        join(plugin.dir, `out-${n}.json`),
        credential(v1, { token: `tok-${n}`, expirationTimestamp: "2030-01-01T00:00:00Z" }),
      );
      api.addToken(`tok-${n}`, `user-${n}`);
    }
    let now = expiry - 60_000;
    await withClient(
      api,
      async ({ client }) => {
        await client.list(PODS, "default");
        await client.list(PODS, "default");
        assert.equal(await runCount(plugin.runs), 1);
        now = expiry + 1; // expired: the next request runs the plugin again
        await client.list(PODS, "default");
        assert.equal(await runCount(plugin.runs), 2);
        assert.equal(api.requests.at(-1)?.user, "user-2");
        // Revoked before expiry: the 401 re-runs the plugin once, and the retry succeeds.
        now = expiry - 60_000;
        api.removeToken("tok-2");
        api.resetRequests();
        await client.list(PODS, "default");
        assert.deepEqual(api.requests.map((r) => [r.status, r.user]), [[401, undefined], [
          200,
          "user-3",
        ]]);
        assert.equal(await runCount(plugin.runs), 3);
      },
      { auth: "exec", exec: { command: plugin.command, apiVersion: v1 } },
      { now: () => now },
    );
  }, OPTIONAL);
});

Deno.test("auth: exec plugin returning a client certificate and key", async () => {
  await withServer(async (api) => {
    const plugin = await writePlugin(await Deno.makeTempDir({ dir: api.dir }));
    const pair = await api.pki.clientCert("heidi", ["ops"]);
    const v1 = "client.authentication.k8s.io/v1";
    await writeFile(
      join(plugin.dir, "out.json"),
      credential(v1, { clientCertificateData: pair.cert, clientKeyData: pair.key }),
    );
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      assert.deepEqual(lastAuth(api), { user: "heidi", kind: "cert", status: 200 });
    }, { auth: "exec", exec: { command: plugin.command, apiVersion: v1 } });
  });
});

Deno.test("auth: exec plugin interactive modes, failures and bad output", async () => {
  await withServer(async (api) => {
    const plugin = await writePlugin(await Deno.makeTempDir({ dir: api.dir }));
    const v1 = "client.authentication.k8s.io/v1";
    api.addToken("t-ok", "ivan");
    await writeFile(join(plugin.dir, "out.json"), credential(v1, { token: "t-ok" }));

    // IfAvailable with a terminal: interactive.
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      const infos = await execInfos(plugin.dir);
      assert.equal((infos.at(-1)!.spec as { interactive: boolean }).interactive, true);
    }, {
      auth: "exec",
      exec: { command: plugin.command, apiVersion: v1, interactiveMode: "IfAvailable" },
    }, {
      stdinIsTerminal: true,
    });
    // IfAvailable without one: not interactive.
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      const infos = await execInfos(plugin.dir);
      assert.equal((infos.at(-1)!.spec as { interactive: boolean }).interactive, false);
    }, {
      auth: "exec",
      exec: { command: plugin.command, apiVersion: v1, interactiveMode: "IfAvailable" },
    }, {
      stdinIsTerminal: false,
    });
    // Always without a terminal: refused before running.
    await withClient(api, async ({ client }) => {
      const before = await runCount(plugin.runs);
      await assert.rejects(client.list(PODS, "default"), (e: unknown) => {
        assert.ok(e instanceof ExecPluginError);
        assert.match(e.message, /interactiveMode is Always but standard input is not a terminal/);
        return true;
      });
      assert.equal(await runCount(plugin.runs), before);
    }, {
      auth: "exec",
      exec: { command: plugin.command, apiVersion: v1, interactiveMode: "Always" },
    }, {
      stdinIsTerminal: false,
    });
    // A failing plugin.
    await withClient(api, async ({ client }) => {
      await assert.rejects(
        client.list(PODS, "default"),
        (e: unknown) =>
          e instanceof ExecPluginError &&
          e.message === `exec plugin "${plugin.command}": exited with code 3`,
      );
    }, {
      auth: "exec",
      exec: { command: plugin.command, apiVersion: v1, env: [{ name: "PLUGIN_FAIL", value: "1" }] },
    });
    // A missing plugin, with its install hint.
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.list(PODS, "default"), (e: unknown) => {
        assert.ok(e instanceof ExecPluginError);
        assert.match(e.message, /command not found; install it with: brew install nothing/);
        return true;
      });
    }, {
      auth: "exec",
      exec: {
        command: "kstatus-no-such-plugin",
        apiVersion: v1,
        installHint: "install it with: brew install nothing",
      },
    });
    // Output with the wrong apiVersion: the message does not quote the output (it holds the token).
    await writeFile(
      join(plugin.dir, "out.json"),
      credential("client.authentication.k8s.io/v1beta1", { token: "t-leaky-secret" }),
    );
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.list(PODS, "default"), (e: unknown) => {
        assert.ok(e instanceof ExecPluginError);
        assert.match(e.message, /returned apiVersion "client.authentication.k8s.io\/v1beta1"/);
        assert.ok(!String(e).includes("t-leaky-secret"));
        return true;
      });
    }, { auth: "exec", exec: { command: plugin.command, apiVersion: v1 } });
  }, OPTIONAL);
});

Deno.test("auth: CA as data, and insecure-skip-tls-verify", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
    }, { ca: "data" });
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      // Deno.createHttpClient cannot skip verification: the node:https transport is used.
      if ("Deno" in globalThis) assert.equal(client.transport, "node");
    }, { ca: "insecure" });
    assert.deepEqual(api.requests.map((r) => r.status), [200, 200]);
  });
});

Deno.test("auth: tls-server-name verifies the certificate against another name", async () => {
  await withServer(async (api) => {
    // Without it, the certificate (valid for kube.test only) does not match 127.0.0.1.
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.list(PODS, "default"), (e: unknown) => {
        assert.ok(e instanceof ConnectionError);
        assert.equal(e.failure, "tls");
        return true;
      });
    });
    await withClient(api, async ({ client }) => {
      await client.list(PODS, "default");
      assert.equal(api.requests.at(-1)?.status, 200);
    }, { tlsServerName: "kube.test" });
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.list(PODS, "default"), ConnectionError);
    }, { tlsServerName: "wrong.test" });
  }, { serverNames: ["kube.test"] });
});

Deno.test("auth: the node:https transport (used on Node and for Deno fallbacks) end to end", async () => {
  await withServer(async (api) => {
    api.put(deployment("a", "ns"));
    await withClient(
      api,
      async ({ client }) => {
        assert.equal(client.transport, "node");
        const { items, resourceVersion } = await client.list(DEPLOYMENTS, "ns");
        assert.equal(items.length, 1);
        const watching = collect(
          client.watch(DEPLOYMENTS, "ns", { resourceVersion }),
          (evs) => evs.length === 1,
        );
        await api.waitForWatches(1);
        api.put(deployment("b", "ns"));
        assert.equal((await watching)[0].type, "ADDED");
        api.failNext({ verb: "get" }, { status: 503 });
        api.resetNext({ verb: "get" });
        await client.get(DEPLOYMENTS, "ns", "a");
        assert.deepEqual(api.requests.filter((r) => r.verb === "get").map((r) => r.status), [
          503,
          0,
          200,
        ]);
        const dropped = collect(client.watch(DEPLOYMENTS, "ns", { resourceVersion }), () => false);
        await api.waitForWatches(1);
        api.dropWatches();
        await assert.rejects(dropped, ConnectionError);
      },
      { user: "judy" },
      { runtime: "node" },
    );
  });
});

Deno.test("auth: proxy-url through an HTTP CONNECT proxy (Deno and node:https transports)", async () => {
  const proxy = await startConnectProxy();
  try {
    await withServer(async (api) => {
      for (const runtime of [undefined, "node"] as const) {
        proxy.connects.length = 0;
        const proxyUrl = proxy.url.replace("http://", "http://pxuser:px%20pass@");
        await withClient(
          api,
          async ({ client }) => {
            await client.list(PODS, "default");
            assert.equal(api.requests.at(-1)?.status, 200);
            assert.ok(
              proxy.connects.length >= 1,
              `${runtime ?? "default"} transport used the proxy`,
            );
            assert.equal(proxy.connects[0].target, `127.0.0.1:${api.port}`);
            assert.equal(
              proxy.connects[0].authorization,
              `Basic ${btoa("pxuser:px pass")}`,
            );
          },
          { proxyUrl },
          { runtime },
        );
      }
    });
  } finally {
    await proxy.close();
  }
});

Deno.test("auth: requests without usable credentials fail before being sent", async () => {
  await withServer(async (api) => {
    const { client } = await clientFor(api, { auth: "token-file" });
    try {
      const auth = client.config.auth;
      assert.equal(auth.type, "tokenFile");
      await Deno.remove(auth.type === "tokenFile" ? auth.path : "");
      await assert.rejects(client.list(PODS, "default"), /cannot read token file .*: no such file/);
      assert.equal(api.requests.length, 0);
    } finally {
      client.close();
    }
  }, OPTIONAL);
});
