import assert from "node:assert/strict";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { ApiError, createClient, describeConfig, loadClientConfig } from "../../lib/kube/mod.ts";
import { DEPLOYMENTS, PODS, withClient, withServer } from "./helpers.ts";

const TOKEN = "tok-S3CRET-4f9a2c";
const PASSWORD = "pw-S3CRET-77b1e0";

/** Every way an error can end up printed. */
function renderings(e: unknown): string[] {
  const out = [String(e), inspect(e, { depth: 10 })];
  if (e instanceof Error) {
    out.push(e.message, e.stack ?? "");
    out.push(JSON.stringify(e, Object.getOwnPropertyNames(e)));
    if ("Deno" in globalThis) out.push(Deno.inspect(e, { depth: 10 }));
  }
  return out;
}

function assertClean(e: unknown, secrets: string[]): void {
  for (const text of renderings(e)) {
    for (const s of secrets) assert.ok(!text.includes(s), `secret in: ${text.slice(0, 300)}`);
  }
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

Deno.test("secrets: tokens never appear in errors, even when a server echoes them", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      const errors: unknown[] = [];
      api.failNext({ verb: "list" }, {
        status: 400,
        message: `bad request: Authorization: Bearer ${TOKEN}`,
      });
      const echoed = await caught(client.list(PODS, "default"));
      assert.ok(echoed instanceof ApiError);
      assert.equal(echoed.message, "bad request: Authorization: Bearer [redacted]");
      errors.push(echoed);

      api.removeToken(TOKEN);
      errors.push(await caught(client.list(PODS, "default"))); // 401
      api.addToken(TOKEN, "admin");
      api.failNext({ verb: "get" }, { status: 503, times: 10, message: `unavailable ${TOKEN}` });
      errors.push(await caught(client.get(DEPLOYMENTS, "ns", "x")));
      const watching = (async () => {
        for await (const _ of client.watch(DEPLOYMENTS, "ns")) { /* until the error */ }
      })();
      await api.waitForWatches(1);
      api.watchError(undefined, { code: 500, message: `boom ${TOKEN}` });
      errors.push(await caught(watching));
      for (const e of errors) assertClean(e, [TOKEN]);
    }, { auth: "token", token: TOKEN });
    // Unreachable server with a token.
    await withClient(api, async ({ client }) => {
      assertClean(await caught(client.list(PODS, "default")), [TOKEN]);
    }, { auth: "token", token: TOKEN, server: "https://127.0.0.1:1" });
  }, { clientCert: "optional" });
});

Deno.test("secrets: passwords, keys and exec output never appear in errors", async () => {
  await withServer(async (api) => {
    // Basic auth with a wrong password.
    const kubeconfig = await api.kubeconfig({ auth: "basic", username: "u", password: "right" });
    await writeFile(
      kubeconfig,
      (await readFile(kubeconfig, "utf8")).replace('"right"', `"${PASSWORD}"`),
    );
    const config = await loadClientConfig({ kubeconfig, env: {} });
    assert.ok(!describeConfig(config).includes(PASSWORD));
    const client = createClient(config);
    try {
      api.failNext({ verb: "list" }, { status: 400, message: `echo ${PASSWORD}` });
      assertClean(await caught(client.list(PODS, "default")), [PASSWORD, btoa(`u:${PASSWORD}`)]);
      assertClean(await caught(client.list(PODS, "default")), [PASSWORD]);
    } finally {
      client.close();
    }

    // A key that does not match its certificate.
    const mismatched = await api.kubeconfig();
    await writeFile(
      mismatched,
      (await readFile(mismatched, "utf8")).replace(
        api.pki.admin.keyFile,
        api.pki.untrustedClient.keyFile,
      ),
    );
    const keyClient = createClient(await loadClientConfig({ kubeconfig: mismatched, env: {} }), {
      sleep: () => Promise.resolve(),
    });
    try {
      const keyBody = api.pki.untrustedClient.key.split("\n")[1];
      assertClean(await caught(keyClient.list(PODS, "default")), [keyBody]);
    } finally {
      keyClient.close();
    }

    // An exec plugin printing a token in a malformed credential.
    const plugin = join(api.dir, "leaky.sh");
    await writeFile(
      plugin,
      `#!/bin/sh\necho '{"kind":"ExecCredential","status":{"token":"${TOKEN}"}'\n`,
    );
    await chmod(plugin, 0o755);
    await withClient(api, async ({ client }) => {
      assertClean(await caught(client.list(PODS, "default")), [TOKEN]);
    }, { auth: "exec", exec: { command: plugin } });
    await writeFile(plugin, `#!/bin/sh\necho 'not json ${TOKEN}'\n`);
    await withClient(api, async ({ client }) => {
      assertClean(await caught(client.list(PODS, "default")), [TOKEN]);
    }, { auth: "exec", exec: { command: plugin } });
  }, { clientCert: "optional" });
});

Deno.test("secrets: kubeconfig errors never quote values", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "config");
    const cases = [
      `users:\n- name: u\n  user: {token: ${TOKEN}, password: ${PASSWORD}, username: x}\n` +
      "clusters:\n- name: k\n  cluster: {server: https://x}\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\ncurrent-context: c\n",
      `users:\n- name: u\n  user:\n    token: ${TOKEN}\n   oops: [\n`,
      `clusters:\n- name: k\n  cluster: {server: https://x, certificate-authority-data: "${TOKEN}!"}\n` +
      "contexts:\n- name: c\n  context: {cluster: k}\ncurrent-context: c\n",
      `users:\n- name: u\n  user: {client-certificate-data: ${
        btoa("-----BEGIN CERTIFICATE-----\n" + TOKEN)
      }}\n` +
      "clusters:\n- name: k\n  cluster: {server: https://x}\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\ncurrent-context: c\n",
    ];
    for (const text of cases) {
      await writeFile(file, text);
      assertClean(await caught(loadClientConfig({ kubeconfig: file, env: {} })), [TOKEN, PASSWORD]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
