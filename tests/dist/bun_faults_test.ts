/**
 * Faults where Bun's transport differs from Deno's, through the Bun binary:
 * deadlines on a silent server, proxies from the environment (which Bun's
 * fetch reads on its own), and 450 watches at once (150 namespaces of Deployments:
 * Deployments, ReplicaSets and Pods each). Bun's `fetch` runs at most 256
 * requests at once; the watches beyond that never started and the wait timed
 * out although every Deployment was ready. (With the right to list cluster-wide,
 * those 150 namespaces cost one watch per kind; the server here refuses that, as
 * RBAC does for a user allowed per namespace.) Builds its own binary (one second).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { deployment } from "../watch/helpers.ts";
import { mustRun, REPO, run } from "./helpers.ts";

let built: Promise<string> | undefined;
/** The binary, built once per run of this file into a temporary directory. */
function binary(): Promise<string> {
  return built ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "kstatus-bun-faults-" });
    const path = join(dir, "kstatus");
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    await mustRun("deno", ["task", "build", "--outfile", path], { cwd: REPO });
    return path;
  })();
}

Deno.test("bun binary: HTTPS_PROXY in the environment (which Bun's fetch reads itself) does not proxy a loopback server", async () => {
  const api = await startFakeApiServer();
  try {
    api.put(deployment("web", 2, 2, "ns"));
    const r = await run(
      await binary(),
      ["status", "deploy/web", "-n", "ns", "--kubeconfig", await api.kubeconfig()],
      { env: { HTTPS_PROXY: "http://127.0.0.1:9", NO_COLOR: "1" } },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
  } finally {
    await api.close();
  }
});

for (const wide of [false, true]) {
  const what = wide
    ? "3 cluster-wide watches serve 150 namespaces"
    : "450 watches open (cluster-wide refused)";
  Deno.test(`bun binary: ${what}, and the wait ends when all 150 Deployments are ready`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "kstatus-bun-watches-" });
    // Refused cluster-wide (as RBAC does for a user allowed per namespace): one LIST and one
    // WATCH per kind and namespace.
    const api = await startFakeApiServer({
      forbidden: (r) => !wide && r.namespace === "" && (r.verb === "list" || r.verb === "watch"),
    });
    try {
      const kstatus = await binary();
      const n = 150;
      let manifest = "";
      for (let i = 0; i < n; i++) {
        api.put(deployment("web", 0, 2, `ns-${i}`));
        manifest +=
          `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ns-${i}}\n`;
      }
      const file = join(dir, "many.yaml");
      await Deno.writeTextFile(file, manifest);
      const child = new Deno.Command(kstatus, {
        args: [
          "wait",
          "-f",
          file,
          "--timeout",
          "60s",
          "-o",
          "events",
          "--kubeconfig",
          await api.kubeconfig(),
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const output = child.output();
      await api.waitForWatches(wide ? 3 : 3 * n, { verb: "watch" }, 30_000);
      const watches = api.requests.filter((r) => r.verb === "watch");
      assert.equal(watches.every((r) => r.namespace === ""), wide);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) api.put(deployment("web", 2, 2, `ns-${i}`));
      const { code, stdout, stderr } = await output;
      const elapsed = performance.now() - t0;
      const out = new TextDecoder().decode(stdout);
      assert.equal(code, 0, `${out.slice(-500)}\n${new TextDecoder().decode(stderr)}`);
      assert.match(out, /all 150 resources Current/);
      assert.ok(elapsed < 15_000, `ended ${elapsed} ms after the change`);
    } finally {
      await api.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("bun binary: a server that accepts and never answers is exit 4 naming it, at --request-timeout", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const c of listener) held.push(c);
    } catch {
      // closed
    }
  })();
  const api = await startFakeApiServer();
  try {
    const server = `https://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
    const t0 = performance.now();
    const r = await run(await binary(), [
      "status",
      "deploy/web",
      "-n",
      "ns",
      "--request-timeout",
      "1s",
      "--kubeconfig",
      await api.kubeconfig({ server }),
    ]);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.ok(performance.now() - t0 < 4_000, `took ${performance.now() - t0} ms`);
    assert.match(
      r.stderr,
      new RegExp(`cannot reach the API server at ${server}: .*request timeout \\(1s\\)`),
    );
  } finally {
    await api.close();
    for (const c of held) c.close();
    listener.close();
    await accepting;
  }
});

Deno.test("bun binary: a .env and a bunfig.toml in the working directory are not read", async () => {
  const api = await startFakeApiServer();
  const dir = await Deno.makeTempDir({ prefix: "kstatus-bun-cwd-" });
  try {
    api.put(deployment("web", 2, 2, "ns"));
    // ~/.kube/config is the fake server; a .env read by the runtime would point elsewhere, and a
    // bunfig preload would run a script of the directory's in kstatus's process.
    await Deno.mkdir(join(dir, "home/.kube"), { recursive: true });
    await Deno.copyFile(await api.kubeconfig(), join(dir, "home/.kube/config"));
    await Deno.mkdir(join(dir, "work"));
    await Deno.writeTextFile(join(dir, "work/.env"), "KUBECONFIG=/nonexistent/from-dotenv\n");
    await Deno.writeTextFile(join(dir, "work/preload.ts"), 'console.log("preload ran");\n');
    await Deno.writeTextFile(join(dir, "work/bunfig.toml"), 'preload = ["./preload.ts"]\n');
    const out = await new Deno.Command(await binary(), {
      args: ["status", "deploy/web", "-n", "ns"],
      cwd: join(dir, "work"),
      clearEnv: true,
      env: { HOME: join(dir, "home"), PATH: Deno.env.get("PATH") ?? "", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.doesNotMatch(text, /preload ran|from-dotenv/);
  } finally {
    await api.close();
    await Deno.remove(dir, { recursive: true });
  }
});
