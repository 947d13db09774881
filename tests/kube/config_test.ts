import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Buffer } from "node:buffer";
import { ConfigError, createClient, describeConfig, loadClientConfig } from "../../lib/kube/mod.ts";
import { PODS, withServer } from "./helpers.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-config-test-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rejectsConfig(p: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `ConfigError expected, got ${e}`);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

/** A kubeconfig as YAML (written by hand, as people do). */
const FIRST = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://dev.example:6443
    certificate-authority: certs/ca.crt
- name: shared
  cluster:
    server: https://first.example
    insecure-skip-tls-verify: true
users:
- name: dev-user
  user:
    token: first-token
- name: shared-user
  user:
    client-certificate: certs/client.crt
    client-key: certs/client.key
contexts:
- name: dev
  context:
    cluster: dev-cluster
    user: dev-user
    namespace: dev-ns
- name: shared
  context:
    cluster: shared
    user: shared-user
`;

const SECOND = `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: shared
  cluster:
    server: https://second.example
- name: prod-cluster
  cluster:
    server: prod.example:443
    certificate-authority-data: ${b64(PEM_CERT)}
    tls-server-name: kubernetes.default
    proxy-url: http://user:proxy-pass@proxy.example:3128
users:
- name: prod-user
  user:
    tokenFile: token
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: prod-user
- name: shared
  context:
    cluster: prod-cluster
    user: prod-user
`;

async function writeTwo(dir: string): Promise<{ first: string; second: string }> {
  await mkdir(join(dir, "a", "certs"), { recursive: true });
  await mkdir(join(dir, "b"), { recursive: true });
  await writeFile(join(dir, "a", "certs", "ca.crt"), PEM_CERT);
  await writeFile(join(dir, "a", "certs", "client.crt"), PEM_CERT);
  await writeFile(join(dir, "a", "certs", "client.key"), PEM_KEY);
  await writeFile(join(dir, "b", "token"), "file-token\n");
  const first = join(dir, "a", "config");
  const second = join(dir, "b", "config");
  await writeFile(first, FIRST);
  await writeFile(second, SECOND);
  return { first, second };
}

Deno.test("config: KUBECONFIG list merged; first file wins; relative paths per file", async () => {
  await withDir(async (dir) => {
    const { first, second } = await writeTwo(dir);
    const missing = join(dir, "missing");
    const env = { KUBECONFIG: [missing, first, second].join(delimiter) };

    // current-context comes from the first file that sets it.
    const dev = await loadClientConfig({ env });
    assert.equal(dev.contextName, "dev");
    assert.equal(dev.server, "https://dev.example:6443");
    assert.equal(dev.namespace, "dev-ns");
    assert.equal(dev.ca, PEM_CERT, "certificate-authority relative to the first file");
    assert.deepEqual(dev.auth, { type: "token", token: "first-token" });
    assert.equal(dev.source, `kubeconfig ${first}${delimiter}${second}`);

    // A context only the second file has, with paths relative to the second file.
    const prod = await loadClientConfig({ env, context: "prod", namespace: "override" });
    assert.equal(prod.server, "https://prod.example:443");
    assert.equal(prod.namespace, "override");
    assert.equal(prod.ca, PEM_CERT);
    assert.equal(prod.serverName, "kubernetes.default");
    assert.equal(prod.proxyUrl, "http://user:proxy-pass@proxy.example:3128/");
    assert.deepEqual(prod.auth, { type: "tokenFile", path: join(dir, "b", "token") });
    assert.equal(prod.namespace, "override");

    // "shared" is defined in both: the first file's context and cluster win.
    const shared = await loadClientConfig({ env, context: "shared" });
    assert.equal(shared.server, "https://first.example");
    assert.equal(shared.insecureSkipVerify, true);
    assert.equal(shared.cert, PEM_CERT);
    assert.equal(shared.key, PEM_KEY);
    assert.equal(shared.namespace, "default");

    // Reversed order: the second file's current-context wins.
    const reversed = await loadClientConfig({
      env: { KUBECONFIG: [second, first].join(delimiter) },
    });
    assert.equal(reversed.contextName, "prod");
  });
});

Deno.test("config: --kubeconfig overrides KUBECONFIG; ~/.kube/config is the default", async () => {
  await withDir(async (dir) => {
    const { first, second } = await writeTwo(dir);
    const c = await loadClientConfig({ kubeconfig: second, env: { KUBECONFIG: first } });
    assert.equal(c.contextName, "prod");
    await mkdir(join(dir, "home", ".kube"), { recursive: true });
    await writeFile(
      join(dir, "home", ".kube", "config"),
      SECOND.replaceAll("tokenFile: token", "token: t"),
    );
    const home = await loadClientConfig({ env: { HOME: join(dir, "home") } });
    assert.equal(home.contextName, "prod");
    await rejectsConfig(
      loadClientConfig({ kubeconfig: join(dir, "nope"), env: {} }),
      `cannot read kubeconfig ${join(dir, "nope")}: no such file`,
    );
  });
});

Deno.test("config: a mistyped context is one line naming it and the files", async () => {
  await withDir(async (dir) => {
    const { first, second } = await writeTwo(dir);
    const env = { KUBECONFIG: [first, second].join(delimiter) };
    await rejectsConfig(
      loadClientConfig({ env, context: "prdo" }),
      `context "prdo" not found in kubeconfig ${first}${delimiter}${second} ` +
        "(contexts: dev, shared, prod)",
    );
    await writeFile(first, FIRST.replace("current-context: dev", "current-context: gone"));
    await rejectsConfig(
      loadClientConfig({ env }),
      new RegExp(`^context "gone" \\(current-context of ${first}\\) not found in kubeconfig`),
    );
    await writeFile(first, FIRST.replace("current-context: dev\n", ""));
    await rejectsConfig(
      loadClientConfig({ kubeconfig: first, env: {} }),
      `no current-context is set in kubeconfig ${first}; choose one with --context`,
    );
  });
});

Deno.test("config: missing fields and files are named", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "config");
    const load = async (yaml: string, context?: string) => {
      await writeFile(file, yaml);
      return loadClientConfig({ kubeconfig: file, env: {}, context });
    };
    const ctx = (cluster: string, user?: string) =>
      `contexts:\n- name: c\n  context:\n    cluster: ${cluster}\n${
        user ? `    user: ${user}\n` : ""
      }` +
      "current-context: c\n";
    await rejectsConfig(
      load(ctx("k")),
      `kubeconfig ${file}: context "c" refers to cluster "k", which is not defined`,
    );
    await rejectsConfig(
      load(`clusters:\n- name: k\n  cluster: {}\n${ctx("k")}`),
      `kubeconfig ${file}: cluster "k" has no server`,
    );
    await rejectsConfig(
      load(`clusters:\n- name: k\n  cluster: {server: "https://x"}\n${ctx("k", "u")}`),
      `kubeconfig ${file}: context "c" refers to user "u", which is not defined`,
    );
    await rejectsConfig(
      load(
        `clusters:\n- name: k\n  cluster: {server: "https://x", certificate-authority: ca.pem}\n${
          ctx("k")
        }`,
      ),
      `kubeconfig ${file}: cluster "k": certificate-authority: cannot read ${
        join(dir, "ca.pem")
      }: no such file`,
    );
    await rejectsConfig(
      load(
        `clusters:\n- name: k\n  cluster: {server: "https://x"}\nusers:\n- name: u\n  user: {client-certificate-data: ${
          b64(PEM_CERT)
        }}\n${ctx("k", "u")}`,
      ),
      `kubeconfig ${file}: user "u" has a client certificate but no client-key`,
    );
    await rejectsConfig(
      load(
        `clusters:\n- name: k\n  cluster: {server: "https://x", certificate-authority-data: "!!notbase64"}\n${
          ctx("k")
        }`,
      ),
      `kubeconfig ${file}: cluster "k": certificate-authority-data is not valid base64`,
    );
    await rejectsConfig(
      load(`clusters:\n- cluster: {server: "https://x"}\n${ctx("k")}`),
      `kubeconfig ${file}: clusters[0] has no name`,
    );
    await rejectsConfig(
      load(
        `clusters:\n- name: k\n  cluster: {server: "https://x"}\nusers:\n- name: u\n  user: {token: t, username: a, password: b}\n${
          ctx("k", "u")
        }`,
      ),
      /user "u" sets both a token and a username\/password/,
    );
    await rejectsConfig(
      load(
        `clusters:\n- name: k\n  cluster: {server: "https://x"}\nusers:\n- name: u\n  user:\n    auth-provider: {name: oidc}\n${
          ctx("k", "u")
        }`,
      ),
      /auth-provider "oidc" is not supported; use an exec credential plugin/,
    );
    const exec = (fields: string) =>
      `clusters:\n- name: k\n  cluster: {server: "https://x"}\nusers:\n- name: u\n  user:\n    exec: {${fields}}\n${
        ctx("k", "u")
      }`;
    await rejectsConfig(
      load(exec("apiVersion: client.authentication.k8s.io/v1")),
      `kubeconfig ${file}: user "u": exec has no command`,
    );
    await rejectsConfig(
      load(exec("command: p, apiVersion: client.authentication.k8s.io/v1")),
      /exec has no interactiveMode \(required by client.authentication.k8s.io\/v1\)/,
    );
    await rejectsConfig(
      load(exec("command: p, apiVersion: client.authentication.k8s.io/v1alpha1")),
      /exec apiVersion "client.authentication.k8s.io\/v1alpha1" is not supported/,
    );
    // v1beta1 defaults interactiveMode to IfAvailable; a command with a slash is relative to the file.
    const ok = await load(exec("command: bin/p, apiVersion: client.authentication.k8s.io/v1beta1"));
    assert.equal(ok.auth.type, "exec");
    if (ok.auth.type === "exec") {
      assert.equal(ok.auth.exec.interactiveMode, "IfAvailable");
      assert.equal(ok.auth.exec.command, join(dir, "bin/p"));
    }
    const onPath = await load(exec("command: p, apiVersion: client.authentication.k8s.io/v1beta1"));
    assert.equal(onPath.auth.type === "exec" && onPath.auth.exec.command, "p");
  });
});

Deno.test("config: invalid YAML is reported by position, never by content", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "config");
    await writeFile(file, "users:\n- name: u\n  user:\n    token: super-secret-token\n   bad: [\n");
    await assert.rejects(loadClientConfig({ kubeconfig: file, env: {} }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        new RegExp(`^kubeconfig ${file}: invalid YAML at line \\d+, column \\d+$`),
      );
      assert.ok(!String(e).includes("super-secret-token"));
      return true;
    });
  });
});

Deno.test("config: in-cluster service account when no kubeconfig exists", async () => {
  await withServer(async (api) => {
    await withDir(async (dir) => {
      const sa = join(dir, "serviceaccount");
      await mkdir(sa);
      api.addToken("sa-token", "system:serviceaccount:team:runner");
      await writeFile(join(sa, "token"), "sa-token\n");
      await writeFile(join(sa, "ca.crt"), api.pki.ca.cert);
      await writeFile(join(sa, "namespace"), "team");
      const env = {
        HOME: join(dir, "home-without-kube"),
        KUBERNETES_SERVICE_HOST: "127.0.0.1",
        KUBERNETES_SERVICE_PORT: String(api.port),
      };
      const config = await loadClientConfig({ env, inClusterDir: sa });
      assert.equal(config.server, api.url);
      assert.equal(config.namespace, "team");
      assert.equal(config.contextName, "");
      assert.equal(config.source, "in-cluster");
      assert.deepEqual(config.auth, { type: "tokenFile", path: join(sa, "token") });
      const client = createClient(config);
      try {
        await client.list(PODS, "team");
        assert.equal(api.requests.at(-1)?.user, "system:serviceaccount:team:runner");
      } finally {
        client.close();
      }
      // -n wins over the namespace file; IPv6 hosts get brackets.
      const v6 = await loadClientConfig({
        env: { ...env, KUBERNETES_SERVICE_HOST: "fd00::1" },
        inClusterDir: sa,
        namespace: "other",
      });
      assert.equal(v6.server, `https://[fd00::1]:${api.port}`);
      assert.equal(v6.namespace, "other");
      // A kubeconfig, when there is one, wins over in-cluster.
      const kubeconfig = await api.kubeconfig();
      const fromFile = await loadClientConfig({
        env: { ...env, KUBECONFIG: kubeconfig },
        inClusterDir: sa,
      });
      assert.equal(fromFile.contextName, "fake");
      // Missing pieces are named.
      await rejectsConfig(
        loadClientConfig({ env, inClusterDir: join(dir, "nowhere") }),
        `in-cluster config: service account token ${join(dir, "nowhere", "token")} does not exist`,
      );
      await rejectsConfig(
        loadClientConfig({ env: { HOME: join(dir, "home-without-kube") } }),
        `no kubeconfig found (${
          join(dir, "home-without-kube", ".kube", "config")
        } does not exist) ` +
          "and not running in a cluster (KUBERNETES_SERVICE_HOST is not set)",
      );
    });
  }, { clientCert: "optional" });
});

Deno.test("config: describeConfig shows no secret", async () => {
  await withDir(async (dir) => {
    const { first, second } = await writeTwo(dir);
    const env = { KUBECONFIG: [first, second].join(delimiter) };
    const dev = await loadClientConfig({ env });
    const text = describeConfig(dev);
    assert.equal(
      text,
      `https://dev.example:6443 (context dev, namespace dev-ns, auth token, from kubeconfig ${first}${delimiter}${second})`,
    );
    assert.ok(!text.includes("first-token"));
    const prod = describeConfig(await loadClientConfig({ env, context: "prod" }));
    assert.ok(!prod.includes("proxy-pass"), prod);
  });
});
