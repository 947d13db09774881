/**
 * End-to-end, against the real API server: what the first hour with kstatus runs into — a
 * namespace that does not exist (said at once, exit 3), impersonation (`--as`, `--as-group`
 * headers honoured by the server), kubectl's TYPE NAME and `--all` forms, `-v`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { apply, explain, inNamespace, jsonLines, kstatus } from "./cluster.ts";
import { configMap, stream } from "./manifests.ts";

Deno.test("e2e: a namespace that does not exist is exit 3 at once, in JSON too", async () => {
  const started = Date.now();
  const ns = `missing-${Date.now().toString(36)}`;
  const r = await kstatus(["wait", "deploy/web", "-n", ns, "--timeout", "60s", "-o", "json"]);
  assert.equal(r.code, 3, explain(r));
  assert.ok(Date.now() - started < 20_000, "said at once, not at the timeout");
  assert.equal(r.stderr.trim(), `error: namespace "${ns}" not found`);
  const lines = jsonLines(r.stdout);
  assert.deepEqual(lines.map((l) => l.type), ["status", "error", "summary"], r.stdout);
  assert.equal(lines.at(-1)!.exitCode, 3);
});

Deno.test("e2e: --as and --as-group, TYPE NAME, --all, -v", async () => {
  await inNamespace("firsthour", async (ns) => {
    await apply(ns, stream(configMap("settings"), configMap("flags")));
    // A user with no rights is refused (exit 4); the same user in system:masters is not.
    const nobody = await kstatus(["status", "configmap", "settings", "-n", ns, "--as", "nobody"]);
    assert.equal(nobody.code, 4, explain(nobody));
    assert.match(nobody.stderr, /User "nobody" cannot list resource "configmaps"/);
    const admin = await kstatus([
      "status",
      "configmap",
      "settings",
      "flags",
      "-n",
      ns,
      "--as",
      "nobody",
      "--as-group",
      "system:masters",
      "-q",
    ]);
    assert.equal(admin.code, 0, explain(admin));
    assert.equal(admin.stdout, "2 of 2 Current\n");
    const all = await kstatus(["status", "cm", "--all", "-n", ns, "-q", "-v"]);
    assert.equal(all.code, 0, explain(all));
    // Every ConfigMap of the namespace (kube-root-ca.crt too).
    assert.equal(all.stdout, "3 of 3 Current\n");
    assert.match(
      all.stderr,
      new RegExp(`^GET https://\\S+/api/v1/namespaces/${ns}/configmaps\\S* 200 \\d+ms$`, "m"),
    );
  });
});
