/**
 * Runs `smoke.ts` under Bun (directly) and under Node (bundled by
 * `bun build --target=node`, since Node 20 cannot run TypeScript), so the
 * Bun fetch transport and the node:https transport are exercised against
 * the fake API server.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { FakeApiServer } from "../support/fake_apiserver.ts";
import { startConnectProxy } from "../support/connect_proxy.ts";
import { deployment, withServer } from "./helpers.ts";

const SMOKE = fileURLToPath(new URL("./smoke.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Step {
  step: string;
  [k: string]: unknown;
}

async function runSmoke(api: FakeApiServer, cmd: string, args: string[]): Promise<Step[]> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const output = child.output();
  // Once the watch is open, a change for it to report.
  const watched = api.waitForWatches(1, { verb: "watch" }, 20_000).then(
    () => api.put(deployment("added-later", "smoke")),
    () => {},
  );
  const { code, stdout, stderr } = await output;
  await watched;
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `${cmd} failed: ${err}`);
  return new TextDecoder().decode(stdout).trim().split("\n").map((l) => JSON.parse(l));
}

function checkSteps(steps: Step[], transport: string): void {
  const by = (s: string) => steps.find((x) => x.step === s)!;
  assert.equal(by("transport").transport, transport);
  assert.deepEqual(by("list").items, [
    ["apps/v1", "Deployment", "a"],
    ["apps/v1", "Deployment", "b"],
    ["apps/v1", "Deployment", "c"],
  ]);
  assert.deepEqual(
    { type: by("watch").type, name: by("watch").name },
    { type: "ADDED", name: "added-later" },
  );
  assert.deepEqual({ error: by("get").error, notFound: by("get").notFound }, {
    error: "NotFoundError",
    notFound: true,
  });
  assert.deepEqual(by("requests").counts, {
    discovery: 2,
    "get apps/deployments": 1,
    "list apps/deployments": 2,
    "watch apps/deployments": 1,
  });
}

function seed(api: FakeApiServer): void {
  for (const name of ["a", "b", "c"]) api.put(deployment(name, "smoke"));
}

Deno.test("runtime smoke: Bun (fetch with tls options) against the fake server", async () => {
  await withServer(async (api) => {
    seed(api);
    // The server certificate is valid for kube.test only: tls-server-name must be honoured.
    // Client certificate from files, then a token with the CA as data.
    const certConfig = await api.kubeconfig({ tlsServerName: "kube.test" });
    checkSteps(
      await runSmoke(api, "bun", [
        "run",
        "--tsconfig-override=bun.tsconfig.json",
        SMOKE,
        certConfig,
        "smoke",
      ]),
      "bun",
    );
    api.remove({ group: "apps", kind: "Deployment" }, "smoke", "added-later");
    const tokenConfig = await api.kubeconfig({
      auth: "token",
      ca: "data",
      tlsServerName: "kube.test",
    });
    checkSteps(
      await runSmoke(api, "bun", [
        "run",
        "--tsconfig-override=bun.tsconfig.json",
        SMOKE,
        tokenConfig,
        "smoke",
      ]),
      "bun",
    );
    assert.ok(api.requests.some((r) => r.authKind === "token"));
    // Through an HTTP CONNECT proxy (Bun's fetch `proxy` option).
    const proxy = await startConnectProxy();
    try {
      api.remove({ group: "apps", kind: "Deployment" }, "smoke", "added-later");
      const viaProxy = await api.kubeconfig({ tlsServerName: "kube.test", proxyUrl: proxy.url });
      checkSteps(
        await runSmoke(api, "bun", [
          "run",
          "--tsconfig-override=bun.tsconfig.json",
          SMOKE,
          viaProxy,
          "smoke",
        ]),
        "bun",
      );
      assert.ok(proxy.connects.length >= 1, "the proxy was used");
      assert.equal(proxy.connects[0].target, `127.0.0.1:${api.port}`);
    } finally {
      await proxy.close();
    }
  }, { clientCert: "optional", serverNames: ["kube.test"] });
});

Deno.test("runtime smoke: Node (node:https, bundled with bun build) against the fake server", async () => {
  await withServer(async (api) => {
    seed(api);
    const bundle = join(api.dir, "smoke.mjs");
    const build = await new Deno.Command("bun", {
      args: [
        "build",
        "--tsconfig-override=bun.tsconfig.json",
        SMOKE,
        "--target=node",
        "--outfile",
        bundle,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
    const kubeconfig = await api.kubeconfig({ auth: "cert-data" });
    checkSteps(await runSmoke(api, "node", [bundle, kubeconfig, "smoke"]), "node");
    // insecure-skip-tls-verify through an HTTP CONNECT proxy (the CONNECT tunnel of node:https).
    const proxy = await startConnectProxy();
    try {
      api.remove({ group: "apps", kind: "Deployment" }, "smoke", "added-later");
      const viaProxy = await api.kubeconfig({ ca: "insecure", proxyUrl: proxy.url });
      checkSteps(await runSmoke(api, "node", [bundle, viaProxy, "smoke"]), "node");
      assert.ok(proxy.connects.length >= 1, "the proxy was used");
    } finally {
      await proxy.close();
    }
  });
});
