// Impossible targets are said at once: a namespace that does not exist (exit 3, as kubectl says
// it), a malformed -l (exit 3 with where the problem is, before any request), -A without -l;
// a KIND/NAME not found at the first look gets a note and is waited for.

import assert from "node:assert/strict";
import { explain, runCli, startCluster } from "./fixtures/harness.ts";
import { deployment } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

Deno.test(
  "a namespace that does not exist: exit 3 at once, for wait and status",
  opts,
  async () => {
    await using c = await startCluster();
    c.api.put(deployment("web", { ready: 2 }));
    for (const cmd of ["wait", "status"]) {
      const started = Date.now();
      const timeout = cmd === "wait" ? ["--timeout", "30s"] : [];
      const r = await runCli([cmd, "deploy/web", "-n", "nope", ...timeout, ...c.flags]);
      assert.equal(r.code, 3, explain(r));
      assert.match(r.stderr, /^error: namespace "nope" not found$/m, explain(r));
      assert.ok(Date.now() - started < 10_000, "said at once, not at the timeout");
    }
    const sel = await runCli([
      "wait",
      "-l",
      "app=web",
      "--kinds",
      "deploy",
      "-n",
      "nope",
      ...c.flags,
    ]);
    assert.equal(sel.code, 3, explain(sel));
    assert.equal(sel.stderr, 'error: namespace "nope" not found\n');
    // Deleted is the goal there: a missing namespace is fine.
    const gone = await runCli(["wait", "deploy/web", "-n", "nope", "--for", "deleted", ...c.flags]);
    assert.equal(gone.code, 0, explain(gone));
  },
);

Deno.test(
  "a KIND/NAME not found at the first look: a note, then it is waited for",
  opts,
  async () => {
    await using c = await startCluster();
    const cli = runCli(["wait", "deploy/web", "--timeout", "20s", ...c.flags]);
    while (!c.api.requests.some((r) => r.resource === "deployments")) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    c.api.put(deployment("web", { ready: 2 }));
    const r = await cli;
    assert.equal(r.code, 0, explain(r));
    assert.match(
      r.stdout,
      /^note: deployment\.apps\/default\/web does not exist yet; waiting for it to be created/m,
    );
    assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("note:")).length, 1);
  },
);

Deno.test("-l is parsed before connecting: exit 3 with the position", opts, async () => {
  await using c = await startCluster();
  const r = await runCli(["wait", "-l", "app=web,,tier=db", "--kinds", "deploy", ...c.flags]);
  assert.equal(r.code, 3, explain(r));
  assert.equal(
    r.stderr,
    'error: -l "app=web,,tier=db": empty requirement at character 9: expected a label after ","\n' +
      "    app=web,,tier=db\n" +
      "            ^\n",
  );
  const bad = await runCli(["status", "-l", "app in (a,b", "--kinds", "deploy", ...c.flags]);
  assert.equal(bad.code, 3, explain(bad));
  assert.match(bad.stderr, /unable to parse requirement at character 1: "app in \(a,b"/);
  assert.equal(c.api.requests.length, 0, "no request sent");
});

Deno.test("-A without -l: exit 3", opts, async () => {
  await using c = await startCluster();
  const r = await runCli(["wait", "-A", "deploy/web", ...c.flags]);
  assert.equal(r.code, 3, explain(r));
  assert.match(r.stderr, /^error: -A \(--all-namespaces\) works with -l/);
  assert.equal(c.api.requests.length, 0);
});
