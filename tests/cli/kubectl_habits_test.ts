// kubectl habits and comforts: TYPE NAME, --all with --kinds or a TYPE, --as/--as-group
// (impersonation headers), KSTATUS_* environment defaults, -q and -v, grouped --help.

import assert from "node:assert/strict";
import { explain, runCli, startCluster } from "./fixtures/harness.ts";
import { deployment, statefulSet } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

Deno.test("TYPE NAME... as kubectl takes them, and the errors of the form", opts, async () => {
  await using c = await startCluster();
  c.api.put(deployment("web", { ready: 2 }));
  c.api.put(deployment("api", { ready: 2 }));
  const r = await runCli(["status", "deployment", "web", "api", ...c.flags]);
  assert.equal(r.code, 0, explain(r));
  assert.deepEqual(r.lines, [
    "deployment.apps/default/web is Current: Deployment is available. Replicas: 2",
    "deployment.apps/default/api is Current: Deployment is available. Replicas: 2",
    "2 of 2 Current",
  ]);
  for (
    const [args, message] of [
      [["deployment"], /"deployment" is a TYPE: name the objects/],
      [["deployment", "web", "sts/db"], /give TYPE NAME\.\.\. or KIND\/NAME\.\.\., not both/],
      [["deploy,sts", "web"], /names need one TYPE/],
      [["deploy", "--kinds", "sts", "--all"], /give the kinds once/],
    ] as const
  ) {
    const bad = await runCli(["status", ...args, ...c.flags]);
    assert.equal(bad.code, 3, explain(bad));
    assert.match(bad.stderr, message);
  }
});

Deno.test(
  "--all: every object of the kinds (TYPE or --kinds), -A across namespaces",
  opts,
  async () => {
    await using c = await startCluster();
    c.api.put(deployment("web", { ready: 2 }));
    c.api.put(deployment("api", { ready: 1 }));
    c.api.put(statefulSet("db", { ready: 3 }));
    c.api.put(deployment("other", { ready: 2, namespace: "edge" }));
    const type = await runCli(["status", "deploy", "--all", "-q", ...c.flags]);
    assert.equal(type.code, 2, explain(type));
    assert.deepEqual(type.lines, ["1 of 2 Current"]);
    const kinds = await runCli(["status", "--all", "--kinds", "deploy,sts", "-q", ...c.flags]);
    assert.deepEqual(kinds.lines, ["2 of 3 Current"], explain(kinds));
    const everywhere = await runCli(["status", "deploy", "--all", "-A", "-q", ...c.flags]);
    assert.deepEqual(everywhere.lines, ["2 of 3 Current"], explain(everywhere));
    const noKinds = await runCli(["status", "--all", ...c.flags]);
    assert.equal(noKinds.code, 3);
    assert.match(noKinds.stderr, /--all needs --kinds \(or a TYPE\)/);
  },
);

Deno.test("--as and --as-group send the impersonation headers", opts, async () => {
  await using c = await startCluster();
  c.api.put(deployment("web", { ready: 2 }));
  const r = await runCli([
    "status",
    "deploy/web",
    "--as",
    "jane",
    "--as-group",
    "dev",
    "--as-group",
    "ops",
    ...c.flags,
  ]);
  assert.equal(r.code, 0, explain(r));
  const sent = c.api.requests.filter((x) => x.resource === "deployments");
  assert.ok(sent.length > 0);
  for (const x of sent) assert.deepEqual(x.impersonate, { user: "jane", groups: ["dev", "ops"] });
  const none = await runCli(["status", "deploy/web", "--as-group", "dev", ...c.flags]);
  assert.equal(none.code, 3);
  assert.match(none.stderr, /--as-group needs --as/);
});

Deno.test(
  "-q prints the summary only; -v the requests on stderr, no credential",
  opts,
  async () => {
    await using c = await startCluster();
    c.api.put(deployment("web", { ready: 2 }));
    const q = await runCli(["wait", "deploy/web", "-q", ...c.flags]);
    assert.equal(q.code, 0, explain(q));
    assert.match(q.stdout, /^all 1 resource Current after \S+\n$/);
    const json = await runCli(["status", "deploy/web", "-q", "-o", "json", ...c.flags]);
    assert.equal(json.lines.length, 1, explain(json));
    assert.equal(JSON.parse(json.lines[0]).type, "summary");
    const v = await runCli(["status", "deploy/web", "-v", ...c.flags]);
    assert.equal(v.code, 0, explain(v));
    assert.match(
      v.stderr,
      /^GET https:\/\/\S+\/apis\/apps\/v1\/namespaces\/default\/deployments\S* 200 \d+ms$/m,
    );
    const kubeconfig = await Deno.readTextFile(c.kubeconfig);
    for (const secret of kubeconfig.match(/(token|client-key-data): (\S+)/g) ?? []) {
      assert.ok(!v.stderr.includes(secret.split(": ")[1]), "no credential on stderr");
    }
  },
);

Deno.test("KSTATUS_* environment variables are defaults; flags win", opts, async () => {
  await using c = await startCluster();
  c.api.put(deployment("web", { ready: 2, namespace: "edge" }));
  const env = { KSTATUS_NAMESPACE: "edge", KSTATUS_OUTPUT: "json" };
  const r = await runCli(["status", "deploy/web", ...c.flags], { env });
  assert.equal(r.code, 0, explain(r));
  assert.equal(JSON.parse(r.lines[0]).ref, "deployment.apps/edge/web");
  const flag = await runCli(["status", "deploy/web", "-o", "events", ...c.flags], { env });
  assert.match(flag.lines[0], /^deployment\.apps\/edge\/web is Current/);
  const bad = await runCli(["status", "deploy/web", ...c.flags], {
    env: { KSTATUS_OUTPUT: "xml" },
  });
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /xml/);
});

Deno.test("--help groups the flags and names their environment variables", opts, async () => {
  const r = await runCli(["wait", "--help"]);
  assert.equal(r.code, 0);
  const headings = r.lines.filter((l) => /^[A-Z][a-z]+:$/.test(l));
  assert.deepEqual(headings, [
    "Arguments:",
    "Targets:",
    "Cluster:",
    "Verdicts:",
    "Output:",
    "Diagnostics:",
    "Waiting:",
    "Options:",
    "Examples:",
  ]);
  assert.match(r.stdout, /--timeout <duration>.*\n?.*\(default: "5m", env: KSTATUS_TIMEOUT\)/);
});
