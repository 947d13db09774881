/**
 * Tests of `kstatus rules test|list|show` and of `--rules` / `--no-builtin-rules` on
 * `kstatus compute`, in-process through `runCli`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { BUILTIN_RULES, KIND_RULES, STRICT_RULES } from "../../mod.ts";
import { cli, type Run } from "../support/cli.ts";

const explain = (r: Run) =>
  `exit ${r.code}\nstdout: ${JSON.stringify(r.out, null, 1)}\nstderr: ${JSON.stringify(r.err)}`;

/** A temporary directory, removed after `fn`. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kstatus-rules-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const CERTIFICATE = `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web-tls
  namespace: shop
  generation: 1
spec:
  secretName: web-tls
  issuerRef: { name: letsencrypt, kind: ClusterIssuer }
status:
  conditions:
    - type: Ready
      status: "True"
      reason: Ready
      message: Certificate is up to date and has not expired
      observedGeneration: 1
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: { name: w1, namespace: shop }
status: { phase: Ready }
`;

const WIDGET_RULES = `- apiVersion: example.com/v1
  kind: Widget
  current: status.phase == 'Ready'
  message: "'widget is ' + status.phase"
  fixtures:
    - name: ready
      status: Current
      object: { status: { phase: Ready } }
    - name: pending-is-current
      status: Current
      object: { status: { phase: Pending } }
`;

// ---------------------------------------------------------------------------------------------
// rules test
// ---------------------------------------------------------------------------------------------

Deno.test("rules test: the built-in pack's fixtures all pass", async () => {
  const r = await cli(["rules", "test"]);
  assert.equal(r.code, 0, explain(r));
  assert.equal(r.out.length, 1, explain(r));
  const m = r.out[0].match(/^rules test: (\d+) rules, (\d+) fixtures: (\d+) passed, 0 failed$/);
  assert.ok(m, explain(r));
  assert.equal(Number(m[1]), BUILTIN_RULES.length + STRICT_RULES.length);
  assert.equal(m[2], m[3]);
  assert.ok(Number(m[2]) >= 2 * BUILTIN_RULES.length, "at least two fixtures a rule");
  assert.deepEqual(r.err, [], "every built-in rule has fixtures");
});

Deno.test("rules test -v: a line per fixture", async () => {
  const r = await cli(["rules", "test", "-v"]);
  assert.equal(r.code, 0, explain(r));
  assert.ok(
    r.out.some((l) =>
      /^ok {3}builtin\/cert-manager\.yaml:\d+ builtin:cert-manager\.io\/Certificate "issued": Current$/
        .test(l)
    ),
    explain(r),
  );
});

Deno.test("rules test FILE: a wrong expectation fails with exit 1", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "widgets.yaml");
    await Deno.writeTextFile(file, WIDGET_RULES);
    const r = await cli(["rules", "test", file]);
    assert.equal(r.code, 1, explain(r));
    assert.deepEqual(r.out, [
      `FAIL ${file}:9 file:${file}#1 "pending-is-current": expected Current, ` +
      `got InProgress "widget is Pending"`,
      "rules test: 1 rules, 2 fixtures: 1 passed, 1 failed",
    ]);
    assert.deepEqual(r.err, []);
  });
});

Deno.test("rules test: expected messages are printed, rules without fixtures noted", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "r.yaml");
    await Deno.writeTextFile(
      file,
      `- apiVersion: example.com/v1
  kind: Widget
  current: "true"
  fixtures:
    - name: msg
      status: Current
      message: all good
      object: {}
- apiVersion: example.com/v1
  kind: Gadget
  current: "true"
`,
    );
    const r = await cli(["rules", "test", file]);
    assert.equal(r.code, 1, explain(r));
    assert.equal(
      r.out[0],
      `FAIL ${file}:5 file:${file}#1 "msg": expected Current "all good", ` +
        `got Current "current expression matched"`,
    );
    assert.deepEqual(r.err, [`note: file:${file}#2 has no fixtures`]);
  });
});

Deno.test("rules test: passing fixtures from a directory and stdin, exit 0", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "a.yaml"),
      WIDGET_RULES.replace(
        "pending-is-current\n      status: Current",
        "pending\n      status: InProgress",
      ),
    );
    const r = await cli(["rules", "test", dir, "-"], WIDGET_RULES.split("    - name: pending")[0]);
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(r.out, ["rules test: 2 rules, 3 fixtures: 3 passed, 0 failed"]);
  });
});

Deno.test("rules test: a malformed file is exit 3 with its file:line", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "bad.yaml");
    await Deno.writeTextFile(
      file,
      '- apiVersion: example.com/v1\n  kind: Widget\n  current: "true"\n  healthy: yes\n',
    );
    const r = await cli(["rules", "test", file]);
    assert.equal(r.code, 3, explain(r));
    assert.deepEqual(r.out, []);
    assert.equal(r.err.length, 1, explain(r));
    assert.ok(r.err[0].startsWith(`error: ${file}:4: rule 1: unknown key "healthy"`), explain(r));
  });
});

Deno.test("rules test: an expression that does not compile is exit 3 with its file:line", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "bad.yaml");
    await Deno.writeTextFile(
      file,
      '- apiVersion: example.com/v1\n  kind: Widget\n  failed: "false"\n  current: a &&\n',
    );
    const r = await cli(["rules", "test", file]);
    assert.equal(r.code, 3, explain(r));
    assert.ok(r.err[0].startsWith(`error: ${file}:4: rule 1 (example.com/v1 Widget): current: `));
  });
});

Deno.test("rules test: a file without rules is exit 3", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "empty.yaml");
    await Deno.writeTextFile(file, "# nothing\n");
    const r = await cli(["rules", "test", file]);
    assert.equal(r.code, 3, explain(r));
    assert.match(r.err.join("\n"), /no rules found/);
  });
});

// ---------------------------------------------------------------------------------------------
// rules list / show
// ---------------------------------------------------------------------------------------------

/** The cells of the row of `rules list` whose RULE column is `id`. */
const row = (r: Run, id: string) => r.out.map((l) => l.split(/ {2,}/)).find((c) => c[2] === id);

Deno.test("rules list: built-in, user, contract and generic rows", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mine.yaml");
    await Deno.writeTextFile(
      file,
      "- apiVersion: cert-manager.io/v1\n  kind: Certificate\n  current: 'true'\n",
    );
    const r = await cli(["rules", "list", "--rules", file]);
    assert.equal(r.code, 0, explain(r));
    assert.deepEqual(r.out[0].split(/\s+/), ["KIND", "APIVERSION", "RULE", "SOURCE"]);
    assert.deepEqual(row(r, `file:${file}#1`), [
      "Certificate",
      "cert-manager.io/v1",
      `file:${file}#1`,
      `${file}:1`,
    ]);
    const cert = row(r, "builtin:cert-manager.io/Certificate");
    assert.ok(cert, explain(r));
    assert.equal(cert[1], "cert-manager.io/*");
    assert.match(cert[3], /^builtin\/cert-manager\.yaml:\d+$/);
    assert.equal(cert[4], `(overridden by file:${file}#1)`);
    // Another built-in rule, not overridden.
    const issuer = row(r, "builtin:cert-manager.io/Issuer");
    assert.ok(issuer, explain(r));
    assert.equal(issuer.length, 4, "not overridden");
    assert.deepEqual(row(r, "contract:apps/Deployment"), [
      "Deployment",
      "apps/*",
      "contract:apps/Deployment",
      "the Go original's rule",
    ]);
    assert.deepEqual(row(r, "contract:Pod")?.slice(0, 2), ["Pod", "v1"]);
    assert.deepEqual(r.out.at(-1)?.split(/ {2,}/), [
      "*",
      "*/*",
      "generic",
      "Reconciling/Stalled/Ready conditions, else Current",
    ]);
    // One row per user and built-in rule, contract kind, and the generic rule.
    assert.equal(r.out.length, 1 + 1 + BUILTIN_RULES.length + KIND_RULES.size + 1);
  });
});

Deno.test("rules list: a user rule for a contract kind says so on the contract row", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mine.yaml");
    await Deno.writeTextFile(
      file,
      "- apiVersion: apps/v1\n  kind: Deployment\n  current: 'true'\n",
    );
    const r = await cli(["rules", "list", "--rules", file, "--no-builtin-rules"]);
    assert.equal(r.code, 0, explain(r));
    assert.equal(row(r, "contract:apps/Deployment")?.[3], `see file:${file}#1`);
    assert.equal(row(r, "contract:extensions/Deployment")?.[3], "the Go original's rule");
  });
});

Deno.test("rules list --no-builtin-rules: no built-in rows", async () => {
  const r = await cli(["rules", "list", "--no-builtin-rules"]);
  assert.equal(r.code, 0, explain(r));
  assert.ok(!r.out.some((l) => l.includes("builtin:")), explain(r));
  assert.ok(row(r, "contract:Service"), explain(r));
  assert.ok(row(r, "generic"), explain(r));
  assert.equal(r.out.length, 1 + KIND_RULES.size + 1);
});

Deno.test("rules list: a malformed --rules file is exit 3", async () => {
  const r = await cli(["rules", "list", "--rules", "-"], "- apiVersion: a/b/c\n  kind: X\n");
  assert.equal(r.code, 3, explain(r));
  assert.ok(r.err[0].startsWith("error: -:1: rule 1: "), explain(r));
});

Deno.test("rules show Certificate: the built-in rule's expressions", async () => {
  const r = await cli(["rules", "show", "Certificate"]);
  assert.equal(r.code, 0, explain(r));
  const def = BUILTIN_RULES.find((d) =>
    d.apiVersion.startsWith("cert-manager.io/") && d.kind === "Certificate"
  );
  assert.ok(def);
  assert.match(
    r.out[0],
    /^builtin:cert-manager\.io\/Certificate {2}\(builtin\/cert-manager\.yaml:\d+\)$/,
  );
  assert.ok(r.out.includes(`  apiVersion: ${def.apiVersion}`), explain(r));
  assert.ok(r.out.includes("  kind:       Certificate"), explain(r));
  assert.ok(r.out.includes(`  docs:       ${def.docs}`), explain(r));
  const text = r.out.join("\n");
  assert.ok(text.includes(`  current:    ${def.current.trim()}`), explain(r));
  if (def.failed) assert.ok(text.includes(`  failed:     ${def.failed.trim().split("\n")[0]}`));
});

Deno.test("rules show: Kind.group, group/Kind, user rules and contract kinds", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "mine.yaml");
    await Deno.writeTextFile(
      file,
      "- apiVersion: example.com/v1\n  kind: Widget\n  current: status.ready\n",
    );
    const dotted = await cli(["rules", "show", "widget.example.com", "--rules", file]);
    assert.equal(dotted.code, 0, explain(dotted));
    assert.deepEqual(dotted.out, [
      `file:${file}#1  (${file}:1)`,
      "  apiVersion: example.com/v1",
      "  kind:       Widget",
      "  current:    status.ready",
      "",
    ]);
    const other = await cli(["rules", "show", "other.com/Widget", "--rules", file]);
    assert.equal(other.code, 3, explain(other));
    const deployment = await cli(["rules", "show", "Deployment"]);
    assert.equal(deployment.code, 0, explain(deployment));
    assert.ok(deployment.out.some((l) => l.startsWith("contract:apps/Deployment  ")));
    assert.ok(deployment.out.some((l) => l.startsWith("contract:extensions/Deployment  ")));
  });
});

Deno.test("rules show Nonexistent: exit 3", async () => {
  const r = await cli(["rules", "show", "Nonexistent"]);
  assert.equal(r.code, 3, explain(r));
  assert.deepEqual(r.out, []);
  assert.match(
    r.err.join("\n"),
    /^error: no rule for Nonexistent: it is judged by the generic rule/,
  );
});

// ---------------------------------------------------------------------------------------------
// compute with rules
// ---------------------------------------------------------------------------------------------

const json = (r: Run) => r.out.map((l) => JSON.parse(l) as Record<string, unknown>);

Deno.test("compute --rules: the user rule judges, and JSON names it", async () => {
  await withTempDir(async (dir) => {
    const manifest = join(dir, "widget.yaml");
    const rules = join(dir, "rules.yaml");
    await Deno.writeTextFile(manifest, WIDGET);
    await Deno.writeTextFile(rules, WIDGET_RULES);
    const r = await cli(["compute", "-f", manifest, "--rules", rules, "-o", "json"]);
    assert.equal(r.code, 0, explain(r));
    const [line] = json(r);
    assert.equal(line.status, "Current");
    assert.equal(line.message, "widget is Ready");
    assert.equal(line.rule, `file:${rules}#1`);
    assert.ok(r.out[0].includes(`"rule":"file:${rules}#1"`), explain(r));
    // Without the rule: the generic one.
    const generic = await cli(["compute", "-f", manifest, "-o", "json"]);
    assert.equal(json(generic)[0].rule, "generic");
  });
});

Deno.test("compute: a Certificate is judged by the built-in pack, or generic without it", async () => {
  const r = await cli(["compute", "-f", "-", "-o", "json"], CERTIFICATE);
  assert.equal(r.code, 0, explain(r));
  assert.equal(json(r)[0].rule, "builtin:cert-manager.io/Certificate");
  assert.equal(json(r)[0].message, "Certificate is up to date and has not expired");
  const off = await cli(["compute", "-f", "-", "-o", "json", "--no-builtin-rules"], CERTIFICATE);
  assert.equal(off.code, 0, explain(off));
  assert.equal(json(off)[0].rule, "generic");
  // A fresh Certificate (no status): the pack says InProgress (exit 2), generic Current.
  const fresh = CERTIFICATE.split("status:")[0];
  assert.equal((await cli(["compute", "-f", "-"], fresh)).code, 2);
  assert.equal((await cli(["compute", "-f", "-", "--no-builtin-rules"], fresh)).code, 0);
});

Deno.test("compute: a Deployment is judged by the contract", async () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop, generation: 1 }
spec: { replicas: 1 }
status:
  observedGeneration: 1
  replicas: 1
  updatedReplicas: 1
  readyReplicas: 1
  availableReplicas: 1
  conditions: [{ type: Available, status: "True" }]
`;
  const r = await cli(["compute", "-f", "-", "-o", "json"], deployment);
  assert.equal(r.code, 0, explain(r));
  assert.equal(json(r)[0].rule, "contract:apps/Deployment");
});

Deno.test("compute -f - --rules -: stdin twice is exit 3", async () => {
  const r = await cli(["compute", "-f", "-", "--rules", "-"], WIDGET);
  assert.equal(r.code, 3, explain(r));
  assert.deepEqual(r.out, []);
  assert.match(r.err.join("\n"), /--rules - and -f - both read standard input/);
});

Deno.test("compute --rules - --rules -: stdin twice is exit 3", async () => {
  await withTempDir(async (dir) => {
    const manifest = join(dir, "widget.yaml");
    await Deno.writeTextFile(manifest, WIDGET);
    const r = await cli(["compute", "-f", manifest, "--rules", "-", "--rules", "-"], WIDGET_RULES);
    assert.equal(r.code, 3, explain(r));
    assert.match(r.err.join("\n"), /given more than once/);
  });
});

Deno.test("compute --rules -: rules from stdin", async () => {
  await withTempDir(async (dir) => {
    const manifest = join(dir, "widget.yaml");
    await Deno.writeTextFile(manifest, WIDGET);
    const r = await cli(["compute", "-f", manifest, "--rules", "-", "-o", "json"], WIDGET_RULES);
    assert.equal(r.code, 0, explain(r));
    assert.equal(json(r)[0].rule, "file:-#1");
  });
});
