// Subprocess tests of what `kstatus wait` / `kstatus status` wait for: -f files, directories
// and stdin (multi-document, List), KIND/NAME forms resolved through discovery, -l with
// --kinds, -n, --for deleted, and the reader choices.

import assert from "node:assert/strict";
import { join } from "node:path";
import { explain, FIXTURES, runCli, spawnCli, startCluster } from "./fixtures/harness.ts";
import type { TestCluster } from "./fixtures/harness.ts";
import {
  deployment,
  pod,
  putDeploymentTree,
  replicaSet,
  standalonePod,
  statefulSet,
} from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

/** The objects of fixtures/app/ as a cluster has them, in `namespace`. */
function putApp(c: TestCluster, namespace: string, webReady: "ready" | "starting"): void {
  putDeploymentTree(c.api, "web", webReady, namespace);
  c.api.put({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace },
    spec: { type: "ClusterIP", clusterIP: "10.0.0.7", selector: { app: "web" } },
  });
  c.api.put(statefulSet("db", { namespace, ready: 3 }));
}

Deno.test(
  "-f DIR: every manifest of the directory, multi-document YAML and JSON",
  opts,
  async () => {
    await using c = await startCluster();
    putApp(c, "default", "ready");
    const r = await runCli(["wait", "-f", join(FIXTURES, "app"), ...c.flags]);
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(r.lines.slice(0, -1).sort(), [
      "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
      "service/default/web is Current: Service is ready",
      "statefulset.apps/default/db is Current: All replicas scheduled as expected. Replicas: 3",
    ]);
    assert.match(r.lines.at(-1)!, /^all 3 resources Current after/);
  },
);

Deno.test("-n: manifests without a namespace go to the -n namespace", opts, async () => {
  await using c = await startCluster();
  putApp(c, "shop", "ready");
  putApp(c, "default", "starting");
  const r = await runCli(["wait", "-f", join(FIXTURES, "app"), "-n", "shop", ...c.flags]);
  assert.equal(r.code, 0, explain(r));
  assert.match(r.stdout, /^deployment\.apps\/shop\/web is Current/m);
  assert.doesNotMatch(r.stdout, /\/default\//);
});

Deno.test("-n applies to KIND/NAME arguments too", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready", "shop");
  const r = await runCli(["status", "deploy/web", "-n", "shop", ...c.flags]);
  assert.equal(r.code, 0, explain(r));
  assert.equal(
    r.lines[0],
    "deployment.apps/shop/web is Current: Deployment is available. Replicas: 2",
  );
});

Deno.test("a context namespace is the default namespace", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready", "shop");
  const kubeconfig = await c.api.kubeconfig({ namespace: "shop", context: "shop-admin" });
  const r = await runCli(
    ["status", "deploy/web", "--kubeconfig", kubeconfig, "--context", "shop-admin"],
  );
  assert.equal(r.code, 0, explain(r));
  assert.match(r.lines[0], /^deployment\.apps\/shop\/web is Current/);
});

Deno.test("-f -: manifests piped on stdin (multi-document and List)", opts, async () => {
  await using c = await startCluster();
  putApp(c, "default", "ready");
  c.api.put(deployment("api", { namespace: "shop", ready: 1, replicas: 3 }));
  c.api.put({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "shop" },
    data: { mode: "production" },
  });
  // What `kustomize build . | kstatus wait -f -` sends: documents back to back.
  const stdin = [
    await Deno.readTextFile(join(FIXTURES, "app", "web.yaml")),
    await Deno.readTextFile(join(FIXTURES, "list.yaml")),
  ].join("\n---\n");
  const cli = spawnCli(["wait", "-f", "-", ...c.flags], { stdin });
  await cli.waitForStdout(/deployment\.apps\/shop\/api is InProgress: Available: 1\/3/);
  c.api.put(deployment("api", { namespace: "shop", ready: 3, replicas: 3 }));
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  const lines = r.lines.slice(0, -1);
  assert.deepEqual([...new Set(lines.map((l) => l.split(" ")[0]))].sort(), [
    "configmap/shop/settings",
    "deployment.apps/default/web",
    "deployment.apps/shop/api",
    "service/default/web",
  ]);
  assert.equal(
    lines.at(-1),
    "deployment.apps/shop/api is Current: Deployment is available. Replicas: 3",
  );
  assert.match(r.lines.at(-1)!, /^all 4 resources Current after/);
});

Deno.test("-f - and -f FILE together, without duplicates", opts, async () => {
  await using c = await startCluster();
  putApp(c, "default", "ready");
  const web = await Deno.readTextFile(join(FIXTURES, "app", "web.yaml"));
  const r = await runCli(
    ["status", "-f", "-", "-f", join(FIXTURES, "app", "web.yaml"), "deploy/web", ...c.flags],
    { stdin: web },
  );
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines, [
    "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    "service/default/web is Current: Service is ready",
    "2 of 2 Current",
  ]);
});

Deno.test(
  "KIND/NAME: short names, plurals, kind names and group-qualified forms",
  opts,
  async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "ready");
    c.api.put(statefulSet("db", { ready: 3 }));
    c.api.put(standalonePod("x", "ready"));
    c.api.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
    const forms = [
      "deploy/web",
      "deployments.apps/web",
      "deployment/web",
      "deployments/web",
      "Deployment/web",
      "deployment.apps/web",
      "sts/db",
      "statefulsets.apps/db",
      "po/x",
      "pods/x",
      "ns/shop",
    ];
    const r = await runCli(["status", ...forms, "-o", "json", ...c.flags]);
    assert.equal(r.code, 0, explain(r));
    const statuses = r.lines.map((l) => JSON.parse(l)).filter((o) => o.type === "status");
    // Every form of one object resolves to the same identifier, listed once, in order given.
    assert.deepEqual(
      statuses.map((o) => `${o.group}/${o.kind}/${o.namespace}/${o.name}=${o.status}`),
      [
        "apps/Deployment/default/web=Current",
        "apps/StatefulSet/default/db=Current",
        "/Pod/default/x=Current",
        "/Namespace//shop=Current",
      ],
    );
  },
);

Deno.test("KIND/NAME: a kind the server does not serve is exit 3", opts, async () => {
  await using c = await startCluster();
  const r = await runCli(["status", "deploy/web", "widgets.example.com/w", ...c.flags]);
  assert.equal(r.code, 3, explain(r));
  assert.match(r.stderr, /widgets\.example\.com/);
});

Deno.test("-l with --kinds: the objects the selector matches", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  c.api.put(deployment("web-canary", { ready: 1, labels: { app: "web", track: "canary" } }));
  c.api.put(deployment("api", { ready: 2, labels: { app: "api" } }));
  c.api.put(deployment("web", { namespace: "other", ready: 0 }));
  const cli = spawnCli(["wait", "-l", "app=web", "--kinds", "deploy", ...c.flags]);
  await cli.waitForStdout(/web-canary is InProgress/);
  c.api.put(deployment("web-canary", { ready: 2, labels: { app: "web", track: "canary" } }));
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(
    new Set(r.lines.slice(0, -1).map((l) => l.split(" ")[0])),
    new Set([
      "deployment.apps/default/web",
      "deployment.apps/default/web-canary",
    ]),
  );
  assert.match(r.lines.at(-1)!, /^all 2 resources Current after/);
});

Deno.test("-l with several --kinds and -A", opts, async () => {
  await using c = await startCluster();
  c.api.put(deployment("web", { ready: 2, labels: { tier: "front" } }));
  c.api.put(deployment("web", { namespace: "shop", ready: 2, labels: { tier: "front" } }));
  c.api.put({
    ...statefulSet("cache", { ready: 3 }),
    metadata: {
      name: "cache",
      namespace: "shop",
      uid: "uid-cache",
      generation: 1,
      labels: { tier: "front" },
    },
  });
  c.api.put(statefulSet("db", { ready: 1 }));
  const r = await runCli(
    ["status", "-l", "tier=front", "--kinds", "deploy, sts", "-A", ...c.flags],
  );
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines.slice(0, -1).map((l) => l.split(" ")[0]).sort(), [
    "deployment.apps/default/web",
    "deployment.apps/shop/web",
    "statefulset.apps/shop/cache",
  ]);
});

Deno.test(
  "-l matching nothing: bad input for wait, fine for status and --for deleted",
  opts,
  async () => {
    await using c = await startCluster();
    c.api.put(deployment("api", { ready: 2 }));
    const sel = ["-l", "app=nope", "--kinds", "deploy", ...c.flags];
    const r = await runCli(["wait", ...sel]);
    assert.equal(r.code, 3, explain(r));
    assert.equal(
      r.stderr,
      "no resources found to wait for: -l app=nope matched no deploy in namespace default\n",
    );
    assert.equal(r.stdout, "");
    const all = await runCli(["wait", "-A", ...sel]);
    assert.equal(all.code, 3, explain(all));
    assert.match(all.stderr, /matched no deploy in any namespace\n$/);
    for (const args of [["status", ...sel], ["wait", "--for", "deleted", ...sel]]) {
      const ok = await runCli(args);
      assert.equal(ok.code, 0, explain(ok));
      assert.equal(ok.stderr, "no resources found\n");
    }
  },
);

Deno.test("-f with a file holding no objects: bad input for wait", opts, async () => {
  await using c = await startCluster();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/empty.yaml`, "# nothing yet\n---\n");
    const r = await runCli(["wait", "-f", `${dir}/empty.yaml`, ...c.flags]);
    assert.equal(r.code, 3, explain(r));
    assert.equal(
      r.stderr,
      `no resources found to wait for: ${dir}/empty.yaml held no objects\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--for deleted: exits 0 once the object is gone", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  const cli = spawnCli(["wait", "deploy/web", "--for", "deleted", ...c.flags]);
  await cli.waitForStdout(/is Current/);
  c.api.remove({ group: "apps", kind: "Deployment" }, "default", "web");
  const r = await cli.result;
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines.slice(0, 2), [
    "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    "deployment.apps/default/web is NotFound: Resource not found",
  ]);
  assert.match(r.lines[2], /^all 1 resource deleted after/);
});

Deno.test("--for deleted times out with exit 2 while the object stays", opts, async () => {
  await using c = await startCluster();
  c.api.put(deployment("web", { ready: 2 }));
  const r = await runCli(
    // Long enough for the fake server to answer discovery on a loaded machine (else exit 4).
    ["wait", "deploy/web", "--for", "deleted", "--timeout", "2s", ...c.flags],
  );
  assert.equal(r.code, 2, explain(r));
  assert.match(r.stdout, /^timed out after \S+: 1 of 1 not deleted$/m);
});

Deno.test("--for known: a missing object is known (NotFound)", opts, async () => {
  await using c = await startCluster();
  const r = await runCli(["wait", "deploy/ghost", "--for", "known", ...c.flags]);
  assert.equal(r.code, 0, explain(r));
  assert.equal(r.lines[0], "deployment.apps/default/ghost is NotFound: Resource not found");
});

for (const reader of ["caching", "direct", "watch"]) {
  Deno.test(`--reader ${reader}: follows a rollout to the end`, opts, async () => {
    await using c = await startCluster();
    putDeploymentTree(c.api, "web", "starting");
    const cli = spawnCli(["wait", "deploy/web", "--reader", reader, ...c.flags]);
    await cli.waitForStdout(/InProgress/);
    c.api.put(pod("web-7d9f-b", "web-7d9f", "web", "ready"));
    c.api.put(replicaSet("web-7d9f", "web", { ready: 2 }));
    c.api.put(deployment("web", { ready: 2 }));
    const r = await cli.result;
    assert.equal(r.code, 0, explain(r));
    assert.equal(r.lines.length, 3, explain(r));
  });
}

Deno.test("$KUBECONFIG is used without --kubeconfig; --kubeconfig wins over it", opts, async () => {
  await using c = await startCluster();
  putDeploymentTree(c.api, "web", "ready");
  const env = { KUBECONFIG: c.kubeconfig, HOME: "/nonexistent" };
  const fromEnv = await runCli(["status", "deploy/web"], { env });
  assert.equal(fromEnv.code, 0, explain(fromEnv));
  const broken = await runCli(["status", "deploy/web"], {
    env: { KUBECONFIG: "/nonexistent/config", HOME: "/nonexistent" },
  });
  assert.equal(broken.code, 3, explain(broken));
  const flagWins = await runCli(["status", "deploy/web", "--kubeconfig", c.kubeconfig], {
    env: { KUBECONFIG: "/nonexistent/config", HOME: "/nonexistent" },
  });
  assert.equal(flagWins.code, 0, explain(flagWins));
});
