/**
 * Output under hostile text: condition messages and server errors that try
 * to forge lines, clear the screen or set the terminal title are printed
 * escaped in text, table and events output; JSON stays exact. Secrets
 * echoed by the server are redacted.
 */

import assert from "node:assert/strict";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { deployment } from "../watch/helpers.ts";
import { hasRawControl, kstatus } from "./helpers.ts";
import { createClient, loadClientConfig } from "../../lib/kube/mod.ts";

const EVIL = "\x1b[2J\x1b[H\nall 3 resources Current\x1b]0;pwned\x07\x9b31m";

Deno.test("faults: control characters from the cluster are escaped in text, table and events; JSON is exact", async () => {
  const api = await startFakeApiServer();
  try {
    // A name only the cluster gives (listed by selector): manifests and arguments are checked.
    const d = deployment("web", 1) as { metadata: { name: string } };
    d.metadata.name = `web${EVIL}`;
    api.put(d as unknown as Record<string, unknown>);
    const kubeconfig = await api.kubeconfig();
    const base = ["-l", "app=web", "--kinds", "deploy", "-n", "ns"];
    base.push("--kubeconfig", kubeconfig);
    for (const output of ["events", "table"]) {
      const r = await kstatus(["status", ...base, "-o", output]);
      assert.equal(r.code, 2, r.text);
      assert.ok(!hasRawControl(r.text), `${output}: ${JSON.stringify(r.text)}`);
      assert.ok(!r.out.some((l) => l.trim() === "all 3 resources Current"), r.text);
    }
    const w = await kstatus(["wait", ...base, "-o", "events", "--timeout", "1s"]);
    assert.equal(w.code, 2, w.text);
    assert.ok(!hasRawControl(w.text), JSON.stringify(w.text));
    const j = await kstatus(["status", ...base, "-o", "json"]);
    // JSON escapes C0 controls (ESC included) itself; U+009B stays a code point, as JSON allows.
    assert.ok(!j.out.join("\n").includes("\x1b"));
    const names = j.out.flatMap((l) => {
      const o = JSON.parse(l);
      return (o.resources ?? [o]).map((r: { name?: string }) => r.name);
    });
    assert.ok(names.includes(`web${EVIL}`), `JSON names the object exactly: ${j.out.join("\n")}`);
  } finally {
    await api.close();
  }
});

Deno.test("faults: an API error message with escapes and the token it was sent is printed escaped and redacted", async () => {
  const token = "tok-0123456789abcdef";
  const api = await startFakeApiServer({ clientCert: "optional", tokens: { [token]: "ann" } });
  try {
    api.put(deployment("web", 2));
    const kubeconfig = await api.kubeconfig({ auth: "token", token });
    api.failNext({ verb: "list" }, {
      status: 500,
      times: 100,
      message: `boom\x1b]0;title\x07 Authorization: Bearer ${token} ${"x".repeat(5000)}`,
    });
    const r = await kstatus([
      "wait",
      "deploy/web",
      "-n",
      "ns",
      "--timeout",
      "8s",
      "--kubeconfig",
      kubeconfig,
    ]);
    assert.ok(!hasRawControl(r.text), JSON.stringify(r.text));
    assert.ok(!r.text.includes(token), r.text.slice(0, 500));
    assert.ok(r.text.includes("[redacted]"), r.text.slice(0, 500));
    assert.ok(Math.max(...[...r.out, ...r.err].map((l) => l.length)) < 3_000, "server text cut");
  } finally {
    await api.close();
  }
});

Deno.test("faults: names with / or .. are refused before any request (exit 3, file and line)", async () => {
  const api = await startFakeApiServer();
  const dir = await Deno.makeTempDir();
  try {
    const kubeconfig = await api.kubeconfig();
    const file = `${dir}/bad.yaml`;
    await Deno.writeTextFile(
      file,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: ns}\n---\n" +
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ../../secrets/x\n  namespace: ns\n",
    );
    api.resetRequests();
    const r = await kstatus(["status", "-f", file, "--kubeconfig", kubeconfig]);
    assert.equal(r.code, 3, r.text);
    assert.match(
      r.err.join("\n"),
      new RegExp(`${file}:5: metadata.name "../../secrets/x" may not contain "/"`),
    );
    const dots = await kstatus(["status", "cm/..", "-n", "ns", "--kubeconfig", kubeconfig]);
    assert.equal(dots.code, 3, dots.text);
    assert.match(dots.err.join("\n"), /argument "cm\/\.\.": the name may not be "\.\."/);
    const ns = await kstatus(["status", "cm/x", "-n", "..", "--kubeconfig", kubeconfig]);
    assert.equal(ns.code, 3, ns.text);
    assert.equal(
      api.requests.filter((q) => q.verb !== "discovery").length,
      0,
      "no request about an object was sent",
    );
  } finally {
    await api.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("faults: the client refuses a name or namespace that is not a path segment, sending nothing", async () => {
  const api = await startFakeApiServer();
  try {
    const client = createClient(
      await loadClientConfig({ kubeconfig: await api.kubeconfig(), env: {} }),
    );
    const cm = {
      group: "",
      version: "v1",
      kind: "ConfigMap",
      resource: "configmaps",
      namespaced: true,
    };
    api.resetRequests();
    await assert.rejects(client.get(cm, "ns", ".."), /configmaps name "\.\." may not be "\.\."/);
    await assert.rejects(
      client.get(cm, "a/b", "x"),
      /configmaps namespace "a\/b" may not contain "\/"/,
    );
    await assert.rejects(client.list(cm, "%2e%2e"), /may not contain "%"/);
    assert.equal(api.requests.length, 0);
    client.close();
  } finally {
    await api.close();
  }
});
