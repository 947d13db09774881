/**
 * End-to-end: several contexts in one run. A temporary kubeconfig holds two contexts on the
 * local control plane (each with its own namespace) and one whose server is a closed port:
 * the unreachable one exits 4, the others still complete.
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import {
  apply,
  clusterEnv,
  createNamespace,
  deleteNamespace,
  explain,
  jsonLines,
  kstatus,
} from "./cluster.ts";
import { deployment, stream } from "./manifests.ts";

/** A port nothing listens on: bound, then released. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function kubectlOn(kubeconfig: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(join(clusterEnv().bin, "kubectl"), {
    args: ["--kubeconfig", kubeconfig, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  if (!out.success) throw new Error(`kubectl ${args.join(" ")}: ${text.decode(out.stderr)}`);
  return text.decode(out.stdout);
}

/**
 * A kubeconfig with contexts `a` and `b` on the local cluster (namespaces `nsA`, `nsB`) and
 * `dead` on a closed port, built from the admin kubeconfig (its server, CA and credentials).
 */
async function threeContexts(nsA: string, nsB: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kstatus-contexts-" });
  const file = join(dir, "kubeconfig");
  await Deno.copyFile(clusterEnv().kubeconfig, file);
  const view = (path: string) => kubectlOn(file, ["config", "view", "-o", `jsonpath=${path}`]);
  const cluster = await view("{.contexts[0].context.cluster}");
  const user = await view("{.contexts[0].context.user}");
  const first = await view("{.contexts[0].name}");
  await kubectlOn(file, ["config", "delete-context", first]);
  await kubectlOn(file, ["config", "unset", "current-context"]);
  for (const [name, ns] of [["a", nsA], ["b", nsB]]) {
    await kubectlOn(file, [
      "config",
      "set-context",
      name,
      `--cluster=${cluster}`,
      `--user=${user}`,
      `--namespace=${ns}`,
    ]);
  }
  await kubectlOn(file, [
    "config",
    "set-cluster",
    "dead",
    `--server=https://127.0.0.1:${closedPort()}`,
    "--insecure-skip-tls-verify=true",
  ]);
  await kubectlOn(file, ["config", "set-context", "dead", "--cluster=dead", `--user=${user}`]);
  return file;
}

/** Two namespaces with a Deployment that becomes ready after 2 s, and the kubeconfig. */
async function withTwoClusters(fn: (kubeconfig: string) => Promise<void>): Promise<void> {
  const nsA = await createNamespace("ctx-a");
  const nsB = await createNamespace("ctx-b");
  try {
    const web = deployment("web", { annotations: { "kstatus.test/ready-after": "2s" } });
    await apply(nsA, stream(web));
    await apply(nsB, stream(web));
    const kubeconfig = await threeContexts(nsA, nsB);
    try {
      await fn(kubeconfig);
    } finally {
      await Deno.remove(dirname(kubeconfig), { recursive: true });
    }
  } finally {
    await deleteNamespace(nsA);
    await deleteNamespace(nsB);
  }
}

Deno.test("e2e contexts: --context a --context b --context dead: exit 4 for dead, a and b complete", async () => {
  await withTwoClusters(async (kubeconfig) => {
    const r = await kstatus([
      "wait",
      "deploy/web",
      ...["a", "b", "dead"].flatMap((c) => ["--context", c]),
      "--interval",
      "500ms",
      "--timeout",
      "60s",
      "-o",
      "json",
    ], { kubeconfig });
    assert.equal(r.code, 4, explain(r));
    const lines = jsonLines(r.stdout);
    const summary = lines.at(-1)!;
    assert.equal(summary.type, "summary", explain(r));
    assert.deepEqual(
      (summary.contexts as Array<Record<string, unknown>>).map((c) => [
        c.context,
        c.result,
        c.exitCode,
      ]),
      [["a", "goal", 0], ["b", "goal", 0], ["dead", "error", 4]],
      explain(r),
    );
    // Each context waited in its own namespace and saw the Deployment go from InProgress to
    // Current: the unreachable one did not stop them.
    for (const context of ["a", "b"]) {
      const seen = lines.filter((l) => l.type === "status" && l.context === context);
      assert.equal(seen.at(0)!.status, "InProgress", explain(r));
      assert.equal(seen.at(-1)!.status, "Current", explain(r));
      assert.match(String(seen.at(-1)!.namespace), new RegExp(`^ctx-${context}-`));
    }
    const error = lines.find((l) => l.type === "error")!;
    assert.equal(error.context, "dead");
    assert.match(String(error.error), /^cannot reach the API server at https:\/\/127\.0\.0\.1:/);
    assert.match(r.stderr, /^\[dead\] error: cannot reach the API server/m);
  });
});

Deno.test("e2e contexts: --all-contexts picks every context of the kubeconfig", async () => {
  await withTwoClusters(async (kubeconfig) => {
    const r = await kstatus(
      ["wait", "deploy/web", "--all-contexts", "--interval", "500ms", "--timeout", "60s"],
      { kubeconfig },
    );
    assert.equal(r.code, 4, explain(r));
    const lines = r.stdout.trim().split("\n");
    assert.match(r.stdout, /^\[a\] all 1 resource Current after/m, explain(r));
    assert.match(r.stdout, /^\[b\] all 1 resource Current after/m, explain(r));
    assert.match(r.stdout, /^\[dead\] error: cannot reach the API server/m, explain(r));
    assert.match(
      lines.at(-1)!,
      /^3 contexts after \S+: 2 at goal \(a, b\), 1 unreachable or refusing \(dead\); exit 4$/,
    );
  });
});
