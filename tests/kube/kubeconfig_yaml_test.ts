import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "../../lib/deps/yaml.ts";
import { plainKubeconfigYaml } from "../../lib/kube/kubeconfig_yaml.ts";
import { readKubeconfigs } from "../../lib/kube/kubeconfig.ts";
import { ConfigError } from "../../lib/kube/mod.ts";

/** A kubeconfig as kubectl writes it (`kubectl config view --raw`). */
const KUBECTL_STYLE = `apiVersion: v1
kind: Config
preferences: {}
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=
    insecure-skip-tls-verify: false
    tls-server-name: "api.example.com" # SNI
contexts:
- name: prod
  context:
    cluster: prod
    user: 'admin'
    namespace: ~
current-context: prod
users:
- name: admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws
      args:
      - eks
      - get-token
      env: []
      interactiveMode: IfAvailable
      provideClusterInfo: true
      installHint: "install the aws CLI: see https://aws.amazon.com/cli/"
`;

Deno.test("kubeconfig yaml: a kubectl-style kubeconfig takes the js-yaml path, read as yaml reads it", () => {
  const plain = plainKubeconfigYaml(KUBECTL_STYLE);
  assert.ok(plain, "plain path expected");
  assert.deepEqual(plain.value, parse(KUBECTL_STYLE));
  assert.deepEqual(plainKubeconfigYaml(""), { value: null });
  assert.deepEqual(plainKubeconfigYaml("# nothing\n"), { value: null });
});

Deno.test("kubeconfig yaml: what the two libraries could read differently goes to the yaml library", () => {
  const cases = [
    "a: &x b\nc: *x", // anchors and aliases
    "a: !!str 1", // tags
    "%YAML 1.2\n---\na: b", // directives
    "a: b\n---\nc: d", // a second document
    "a: 1_000", // numbers: js-yaml reads 1_000 and 0b1 as numbers, yaml as strings
    "a: 0b101",
    "a: -.5", // js-yaml: a string, yaml: a number
    "a: 12", // any number
    "null: x", // keys yaml renames
    "[a]: x", // collection keys
    "a:\n  - b\n  -\n", // an empty item
    'a: "one\n  two"', // a quoted string over two lines
    "a: plain\n  continued", // a plain string over two lines
    "a: |\n  block\n", // block scalars
    'a: "x"#c', // a comment without a space before it
    "a: b\r\nc: d\r\n", // CRLF
    "a:\tb", // tabs
    "l:\n- - a\n", // nested sequences on one line
  ];
  for (const text of cases) {
    assert.equal(plainKubeconfigYaml(text), undefined, JSON.stringify(text));
  }
});

Deno.test("kubeconfig yaml: the js-yaml path agrees with the yaml library on generated lines", () => {
  // Values built from the characters that tell the libraries apart; a fixed seed keeps it
  // reproducible. Whatever the plain path accepts must equal what the yaml library reads.
  const parts = [
    "0",
    "1",
    ".",
    "-",
    "+",
    "_",
    "e",
    "x",
    "o",
    "b",
    "a",
    " ",
    "#",
    ":",
    "'",
    '"',
    "\\",
    "\n",
    "\n  ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    ">",
    "*",
    "~",
    "?",
    "é",
    "\\x41",
    " #c",
    "- ",
    "&",
    "!",
    "%",
    "@",
    "/",
    "=",
    "https://h:1",
    "null",
    "true",
    "---",
  ];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let accepted = 0;
  for (let i = 0; i < 20000; i++) {
    let s = "";
    for (let n = 1 + Math.floor(next() * 6); n > 0; n--) {
      s += parts[Math.floor(next() * parts.length)];
    }
    for (const text of [`a: ${s}`, `a: "${s}"`, `a: '${s}'`, `l:\n- ${s}\n- y`, `${s}: x`, s]) {
      const plain = plainKubeconfigYaml(text);
      if (!plain) continue;
      accepted++;
      let expected: unknown;
      assert.doesNotThrow(() => expected = parse(text), `yaml rejects ${JSON.stringify(text)}`);
      assert.deepEqual(plain.value, expected, JSON.stringify(text));
    }
  }
  assert.ok(accepted > 10000, `only ${accepted} texts took the plain path`);
});

Deno.test("kubeconfig yaml: files beyond the plain subset are read, and their errors said, as before", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-kubeconfig-yaml-"));
  try {
    const file = join(dir, "config");
    await writeFile(
      file,
      "clusters:\n- name: c\n  cluster: &c\n    server: https://c:6443\n" +
        "- name: d\n  cluster: *c\ncurrent-context: !!str x\n",
    );
    const merged = await readKubeconfigs([file]);
    assert.equal(merged.clusters.get("d")?.value.server, "https://c:6443");
    assert.equal(merged.currentContext, "x");
    await writeFile(file, "users:\n- name: u\n  user:\n    token: secret\n   bad: [\n");
    await assert.rejects(readKubeconfigs([file]), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /: invalid YAML at line \d+, column \d+$/);
      assert.ok(!e.message.includes("secret"));
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
