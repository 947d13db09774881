// kubeconfigContexts: the contexts `--all-contexts` runs in, from the files kubectl would read.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { kubeconfigContexts } from "../../lib/kube/config.ts";
import { ConfigError } from "../../lib/kube/mod.ts";

const config = (...contexts: string[]) =>
  `apiVersion: v1\nkind: Config\ncontexts:\n${
    contexts.map((c) => `- name: ${c}\n  context: {cluster: x, user: y}\n`).join("")
  }`;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-contexts-test-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

Deno.test("kubeconfigContexts: the KUBECONFIG list merged, in file order, each name once", async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, "one"), config("prod-eu", "prod-us"));
    await writeFile(join(dir, "two"), config("prod-us", "staging"));
    const env = {
      KUBECONFIG: [join(dir, "one"), join(dir, "missing"), join(dir, "two")].join(delimiter),
    };
    assert.deepEqual(await kubeconfigContexts({ env }), ["prod-eu", "prod-us", "staging"]);
    // --kubeconfig wins over KUBECONFIG.
    assert.deepEqual(await kubeconfigContexts({ kubeconfig: join(dir, "two"), env }), [
      "prod-us",
      "staging",
    ]);
  });
});

Deno.test("kubeconfigContexts: no kubeconfig, or a missing --kubeconfig, is a ConfigError", async () => {
  await withDir(async (dir) => {
    await assert.rejects(
      kubeconfigContexts({ env: { HOME: dir } }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === `no kubeconfig found (${join(dir, ".kube", "config")} does not exist): ` +
            "--all-contexts needs one",
    );
    await assert.rejects(
      kubeconfigContexts({ kubeconfig: join(dir, "nope"), env: {} }),
      (e: unknown) => e instanceof ConfigError && /cannot read kubeconfig .*nope/.test(e.message),
    );
  });
});
