/**
 * Tests of the manifest loader: YAML streams, JSON, `List` kinds, files, directories, stdin,
 * and an `InputError` starting with `file:line:` for every kind of bad input.
 */

import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../lib/errors.ts";
import { loadManifests, type ManifestObject, parseManifests } from "../lib/manifests.ts";

// Deno 2.9 leaves the ops and resources sanitizers off unless asked.
const opts = { sanitizeOps: true, sanitizeResources: true };

const FIXTURES = fileURLToPath(new URL("./fixtures/manifests/", import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

/** `Kind/name@line` of each object, the shape most assertions compare. */
function summary(objs: ManifestObject[]): string[] {
  return objs.map(({ object, line }) => {
    const meta = object.metadata as { name?: string } | undefined;
    return `${object.kind}/${meta?.name ?? ""}@${line}`;
  });
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kstatus-manifests-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Asserts that `fn` throws an InputError with exactly this message, file and line, and that the
 * message starts with `file:line: ` (or `file: ` without a line).
 */
async function assertInputError(
  fn: () => unknown,
  expected: { message: string; file?: string; line?: number },
): Promise<void> {
  await assert.rejects(async () => await fn(), (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
    assert.equal(e.message, expected.message);
    assert.equal(e.file, expected.file);
    assert.equal(e.line, expected.line);
    if (expected.file !== undefined) {
      const where = expected.line === undefined
        ? `${expected.file}: `
        : `${expected.file}:${expected.line}: `;
      assert.ok(e.message.startsWith(where), `"${e.message}" should start with "${where}"`);
    }
    return true;
  });
}

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

Deno.test(
  "YAML stream: empty documents and comments yield nothing, lines point at each object",
  opts,
  () => {
    const text = [
      "# leading comment", //                 1
      "---", //                               2
      "---", //                               3  empty document
      "# a document with only a comment", //  4
      "---", //                               5
      "", //                                  6
      "apiVersion: v1 # inline comment", //   7  object one
      "kind: ConfigMap",
      "metadata:",
      "  name: one",
      "---", //                              11
      "# comment before the object", //      12
      "", //                                 13
      "apiVersion: v1", //                   14 object two
      "kind: Secret",
      "metadata: {name: two}",
      "---", //                              17
      "...", //                              18 document end marker
      "--- {apiVersion: v1, kind: Service, metadata: {name: three}}", // 19
      "---", //                              20 trailing empty document
      "",
    ].join("\n");
    assert.deepEqual(summary(parseManifests(text, "s.yaml")), [
      "ConfigMap/one@7",
      "Secret/two@14",
      "Service/three@19",
    ]);
  },
);

Deno.test("YAML stream: nothing but separators, comments or nulls is no objects", opts, () => {
  for (
    const text of [
      "",
      "\n\n",
      "# just a comment\n",
      "---\n",
      "---\n---\n# c\n---\n",
      "null\n",
      "--- ~\n",
    ]
  ) {
    assert.deepEqual(parseManifests(text, "e.yaml"), [], JSON.stringify(text));
  }
});

Deno.test(
  "YAML stream: CRLF line endings and a byte order mark keep line numbers right",
  opts,
  () => {
    const text = "\uFEFF" + CM("a").replaceAll("\n", "\r\n") + "---\r\n\r\n" +
      CM("b").replaceAll("\n", "\r\n");
    assert.deepEqual(summary(parseManifests(text, "w.yaml")), ["ConfigMap/a@1", "ConfigMap/b@7"]);
  },
);

Deno.test(
  "YAML values stay JSON-like: timestamps and yes/no are strings, no prototype pollution",
  opts,
  () => {
    const [{ object }] = parseManifests(
      CM("a") + "  creationTimestamp: 2024-01-02T03:04:05Z\ndata:\n  flag: yes\n  n: 010\n" +
        "__proto__: {polluted: true}\n",
      "v.yaml",
    );
    const meta = object.metadata as Record<string, unknown>;
    assert.equal(meta.creationTimestamp, "2024-01-02T03:04:05Z");
    assert.deepEqual(object.data, { flag: "yes", n: 10 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  },
);

Deno.test("files: multi-document YAML with comments, JSON object, JSON List", opts, async () => {
  const objs = await loadManifests([
    fixture("multi.yaml"),
    fixture("object.json"),
    fixture("list.json"),
  ]);
  assert.deepEqual(summary(objs), [
    "ConfigMap/first@2",
    "Deployment/second@11",
    "ConfigMap/from-json@1",
    "ConfigMap/j1@5",
    "Secret/j2@10",
  ]);
  assert.deepEqual(objs.map((o) => o.file), [
    fixture("multi.yaml"),
    fixture("multi.yaml"),
    fixture("object.json"),
    fixture("list.json"),
    fixture("list.json"),
  ]);
  assert.deepEqual(objs[0].object, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "first", namespace: "default" },
    data: { key: "value" },
  });
});

Deno.test(
  "kind: List (kubectl get -o yaml): items in order, each at its own line",
  opts,
  async () => {
    const objs = await loadManifests([fixture("kubectl-list.yaml")]);
    assert.deepEqual(summary(objs), ["ConfigMap/one@3", "Secret/two@8", "Service/three@13"]);
    assert.ok(objs.every((o) => o.object.kind !== "List"));
  },
);

Deno.test(
  "typed lists (DeploymentList): items in order at their own lines; empty lists",
  opts,
  () => {
    const text = [
      "apiVersion: apps/v1", // 1
      "kind: DeploymentList",
      "metadata: {resourceVersion: '5'}",
      "items:",
      "- apiVersion: apps/v1", // 5
      "  kind: Deployment",
      "  metadata: {name: z}",
      "- apiVersion: apps/v1", // 8
      "  kind: Deployment",
      "  metadata: {name: a}",
      "---", // 11
      "apiVersion: v1",
      "kind: PodList",
      "items: []",
      "---",
      '{"apiVersion": "v1", "kind": "List", "items": [',
      '  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}]}', // 17
    ].join("\n");
    assert.deepEqual(summary(parseManifests(text, "l.yaml")), [
      "Deployment/z@5",
      "Deployment/a@8",
      "Pod/p@17",
    ]);
  },
);

Deno.test(
  "typed lists from the API (DeploymentList): items without apiVersion and kind get them",
  opts,
  async () => {
    // The API server leaves them out of a typed list's items; kubectl fills them in from the list.
    const objs = await loadManifests([fixture("deployment-list.json")]);
    assert.deepEqual(summary(objs), ["Deployment/web@6", "Deployment/api@21"]);
    for (const { object } of objs) {
      assert.equal(object.apiVersion, "apps/v1");
      assert.equal(object.kind, "Deployment");
    }
    assert.deepEqual(Object.keys(objs[0].object), [
      "apiVersion",
      "kind",
      "metadata",
      "spec",
      "status",
    ]);

    // Only when both are missing: an item with its own kind keeps it, half an identity is an error.
    const text = (item: string) => `apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- ${item}\n`;
    assert.deepEqual(
      parseManifests(text("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}"), "t.yaml")
        .map((o) => [o.object.apiVersion, o.object.kind]),
      [["v1", "ConfigMap"]],
    );
    await assertInputError(() => parseManifests(text("{kind: Deployment}"), "t.yaml"), {
      message: "t.yaml:4: object has no apiVersion",
      file: "t.yaml",
      line: 4,
    });
    await assertInputError(() => parseManifests(text("{apiVersion: apps/v1}"), "t.yaml"), {
      message: "t.yaml:4: object has no kind",
      file: "t.yaml",
      line: 4,
    });
    // A plain `List` says nothing about its items' kind.
    await assertInputError(
      () => parseManifests("apiVersion: v1\nkind: List\nitems:\n- metadata: {name: x}\n", "t.yaml"),
      { message: "t.yaml:4: object has no apiVersion", file: "t.yaml", line: 4 },
    );
  },
);

Deno.test("a List inside a List: every item keeps its own line", opts, () => {
  const text = [
    "apiVersion: v1", // 1
    "kind: List",
    "items:",
    "- apiVersion: v1", // 4
    "  kind: ConfigMap",
    "  metadata: {name: outer}",
    "- apiVersion: v1", // 7
    "  kind: List",
    "  items:",
    "  - apiVersion: v1", // 10
    "    kind: ConfigMap",
    "    metadata: {name: inner1}",
    "  - apiVersion: v1", // 13
    "    kind: ConfigMap",
    "    metadata: {name: inner2}",
  ].join("\n");
  assert.deepEqual(summary(parseManifests(text, "n.yaml")), [
    "ConfigMap/outer@4",
    "ConfigMap/inner1@10",
    "ConfigMap/inner2@13",
  ]);
});

Deno.test(
  "directories: sorted, only .yaml/.yml/.json, subdirectories only when recursive",
  opts,
  async () => {
    const tree = fixture("tree");
    const flat = await loadManifests([tree]);
    assert.deepEqual(summary(flat), ["ConfigMap/a@1", "ConfigMap/b@1", "ConfigMap/c@1"]);
    assert.deepEqual(flat.map((o) => o.file), [
      join(tree, "a.yml"),
      join(tree, "b.yaml"),
      join(tree, "c.json"),
    ]);
    assert.deepEqual(flat, await loadManifests([tree], { recursive: false }));

    const deep = await loadManifests([tree], { recursive: true });
    assert.deepEqual(deep.map((o) => o.file), [
      join(tree, "a.yml"),
      join(tree, "b.yaml"),
      join(tree, "c.json"),
      join(tree, "sub", "d.yaml"),
      join(tree, "sub", "deeper", "e.yaml"),
    ]);
  },
);

Deno.test("directories: empty, or holding only other files, give no objects", opts, async () => {
  await withTempDir(async (dir) => {
    assert.deepEqual(await loadManifests([dir]), []);
    await writeFile(join(dir, "notes.txt"), "hello\n");
    await mkdir(join(dir, "x.yaml"));
    assert.deepEqual(await loadManifests([dir]), []);
    assert.deepEqual(await loadManifests([dir], { recursive: true }), []);
  });
});

Deno.test("a file named explicitly is read whatever its extension", opts, async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "manifest.txt");
    await writeFile(file, CM("txt"));
    assert.deepEqual(summary(await loadManifests([file])), ["ConfigMap/txt@1"]);
  });
});

Deno.test("paths are read in the order given, stdin (-) included", opts, async () => {
  let reads = 0;
  const objs = await loadManifests([fixture("object.json"), "-", fixture("tree")], {
    readStdin: () => {
      reads++;
      return Promise.resolve("# from a pipe\n" + CM("piped") + "---\n" + CM("piped2"));
    },
  });
  assert.equal(reads, 1);
  assert.deepEqual(summary(objs), [
    "ConfigMap/from-json@1",
    "ConfigMap/piped@2",
    "ConfigMap/piped2@7",
    "ConfigMap/a@1",
    "ConfigMap/b@1",
    "ConfigMap/c@1",
  ]);
  assert.deepEqual(objs.slice(1, 3).map((o) => o.file), ["-", "-"]);
});

Deno.test("error: stdin (-) given twice, before anything is read", opts, async () => {
  let reads = 0;
  const readStdin = () => {
    reads++;
    return Promise.resolve(CM("a"));
  };
  await assertInputError(() => loadManifests(["-", fixture("object.json"), "-"], { readStdin }), {
    message: "- (stdin) is given more than once; it can be read only once",
  });
  assert.equal(reads, 0);
});

Deno.test("stdin errors name '-' as the file", opts, async () => {
  await assertInputError(
    () => loadManifests(["-"], { readStdin: () => Promise.resolve(CM("a") + "---\n- a list\n") }),
    { message: "-:6: expected a Kubernetes object (a mapping), got a list", file: "-", line: 6 },
  );
});

Deno.test("error: missing file or directory", opts, async () => {
  await withTempDir(async (dir) => {
    const missing = join(dir, "nope.yaml");
    await assertInputError(() => loadManifests([missing]), {
      message: `${missing}: cannot read: no such file or directory`,
      file: missing,
    });
    // An error in a later path is not hidden by earlier good ones.
    await assertInputError(() => loadManifests([fixture("object.json"), missing]), {
      message: `${missing}: cannot read: no such file or directory`,
      file: missing,
    });
  });
});

Deno.test("error: a path under a regular file (not a directory)", opts, async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "plain.yaml");
    await writeFile(file, CM("a"));
    const under = join(file, "inner.yaml");
    await assertInputError(() => loadManifests([under]), {
      message: `${under}: cannot read: not a directory`,
      file: under,
    });
  });
});

// Permission bits do not stop root, so these tests only mean something for other users.
const isRoot = Deno.uid() === 0;
if (isRoot) {
  console.log(
    "manifests_test: running as root, which ignores permission bits: the unreadable-directory " +
      "and unreadable-file tests are skipped (the not-a-directory test covers an unreadable path)",
  );
}

Deno.test({
  name: "error: a directory without read permission",
  ...opts,
  ignore: isRoot,
  fn: () =>
    withTempDir(async (dir) => {
      const locked = join(dir, "locked");
      await mkdir(locked);
      await writeFile(join(locked, "a.yaml"), CM("a"));
      await chmod(locked, 0o000);
      try {
        await assertInputError(() => loadManifests([locked]), {
          message: `${locked}: cannot read directory: permission denied`,
          file: locked,
        });
      } finally {
        await chmod(locked, 0o700);
      }
    }),
});

Deno.test({
  name: "error: a file without read permission",
  ...opts,
  ignore: isRoot,
  fn: () =>
    withTempDir(async (dir) => {
      const file = join(dir, "secret.yaml");
      await writeFile(file, CM("a"));
      await chmod(file, 0o000);
      await assertInputError(() => loadManifests([file]), {
        message: `${file}: cannot read file: permission denied`,
        file,
      });
    }),
});

Deno.test("error: a broken file inside a directory names that file", opts, async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, "a.yaml"), CM("a"));
    await writeFile(join(dir, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: b\n");
    const file = join(dir, "b.yaml");
    await assertInputError(() => loadManifests([dir]), {
      message: `${file}:4: malformed YAML: Tabs are not allowed as indentation`,
      file,
      line: 4,
    });
  });
});

Deno.test("error: malformed YAML and JSON report the line of the problem", opts, async () => {
  const cases: Array<[string, string, number, string]> = [
    [
      "tab indentation",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
      4,
      "Tabs are not allowed as indentation",
    ],
    [
      "compact nested mapping, in the second document",
      CM("a") + "---\n" + CM("b") + "spec: key: value: other\n",
      10,
      "Nested mappings are not allowed in compact mappings",
    ],
    [
      "JSON missing a comma",
      '{\n  "apiVersion": "v1"\n  "kind": "ConfigMap"\n}\n',
      3,
      "Missing , between flow map items",
    ],
    [
      "two JSON objects back to back",
      '{"apiVersion": "v1", "kind": "ConfigMap"}\n{"apiVersion": "v1", "kind": "Secret"}\n',
      2,
      "Unexpected flow-map-start at node end",
    ],
  ];
  for (const [what, text, line, message] of cases) {
    await assertInputError(() => parseManifests(text, "bad.yaml"), {
      message: `bad.yaml:${line}: malformed YAML: ${message}`,
      file: "bad.yaml",
      line,
    }).catch((e) => {
      throw new Error(`${what}: ${e.message}`, { cause: e });
    });
  }
});

Deno.test("error: an alias without an anchor before it, at the alias's line", opts, async () => {
  await assertInputError(
    () => parseManifests(CM("a") + "  labels: &l {a: b}\ndata: *nowhere\n", "al.yaml"),
    {
      message:
        "al.yaml:6: malformed YAML: Unresolved alias (the anchor must be set before the alias): nowhere",
      file: "al.yaml",
      line: 6,
    },
  );
  // The anchor comes after the alias: still unresolved.
  await assertInputError(
    () => parseManifests(CM("a") + "data: *later\nspec: &later {x: 1}\n", "al.yaml"),
    {
      message:
        "al.yaml:5: malformed YAML: Unresolved alias (the anchor must be set before the alias): later",
      file: "al.yaml",
      line: 5,
    },
  );
});

Deno.test("error: duplicate keys, at the line of the second one", opts, async () => {
  await assertInputError(
    () => parseManifests(CM("a") + "  labels:\n    app: x\n    app: y\n", "dup.yaml"),
    { message: "dup.yaml:7: malformed YAML: Map keys must be unique", file: "dup.yaml", line: 7 },
  );
  await assertInputError(
    () => parseManifests('{\n  "kind": "A",\n  "apiVersion": "v1",\n  "kind": "B"\n}\n', "d.json"),
    { message: "d.json:4: malformed YAML: Map keys must be unique", file: "d.json", line: 4 },
  );
});

Deno.test("error: a document that is not a mapping", opts, async () => {
  const cases: Array<[string, number, string]> = [
    ["just a string\n", 1, "a string"],
    [CM("a") + "---\n\n42\n", 7, "a number"],
    ["---\ntrue\n", 2, "a boolean"],
    ["- apiVersion: v1\n  kind: ConfigMap\n", 1, "a list"],
    ['[{"apiVersion": "v1", "kind": "ConfigMap"}]', 1, "a list"],
  ];
  for (const [text, line, what] of cases) {
    await assertInputError(() => parseManifests(text, "x.yaml"), {
      message: `x.yaml:${line}: expected a Kubernetes object (a mapping), got ${what}`,
      file: "x.yaml",
      line,
    });
  }
});

Deno.test("error: missing or empty apiVersion or kind", opts, async () => {
  const cases: Array<[string, number, string]> = [
    ["kind: ConfigMap\nmetadata: {name: a}\n", 1, "object has no apiVersion"],
    [
      CM("a") + "---\n# no kind here\napiVersion: v1\nmetadata: {name: b}\n",
      7,
      "object has no kind",
    ],
    ["apiVersion: ''\nkind: ConfigMap\n", 1, "object has no apiVersion"],
    ["apiVersion: v1\nkind:\n", 1, "object has no kind"],
    ['{"apiVersion": "v1", "metadata": {}}', 1, "object has no kind"],
  ];
  for (const [text, line, message] of cases) {
    await assertInputError(() => parseManifests(text, "m.yaml"), {
      message: `m.yaml:${line}: ${message}`,
      file: "m.yaml",
      line,
    });
  }
});

Deno.test("error: a List whose items is not a list, or holds a bad item", opts, async () => {
  const list = (items: string) => `# a list\napiVersion: v1\nkind: List\nitems:${items}\n`;
  const cases: Array<[string, number, string]> = [
    [list(" {}"), 2, "List: items is not a list"],
    [list(""), 2, "List: items is not a list"],
    [list(" a string"), 2, "List: items is not a list"],
    [
      "apiVersion: apps/v1\nkind: DeploymentList\nitems: 3\n",
      1,
      "DeploymentList: items is not a list",
    ],
    [
      list("\n- apiVersion: v1\n  kind: ConfigMap\n- just text"),
      7,
      "expected a Kubernetes object (a mapping), got a string",
    ],
    [
      list("\n- apiVersion: v1\n  kind: ConfigMap\n- apiVersion: v1\n  metadata: {}"),
      7,
      "object has no kind",
    ],
  ];
  for (const [text, line, message] of cases) {
    await assertInputError(() => parseManifests(text, "list.yaml"), {
      message: `list.yaml:${line}: ${message}`,
      file: "list.yaml",
      line,
    });
  }
});

Deno.test("YAML aliases: a few are fine, an expansion bomb is refused quickly", opts, async () => {
  const fine = CM("a") + "  labels: &l {app: x}\n  annotations: *l\n";
  assert.deepEqual(parseManifests(fine, "ok.yaml")[0].object.metadata, {
    name: "a",
    labels: { app: "x" },
    annotations: { app: "x" },
  });

  // Nine levels of ten aliases each would expand to 10^9 strings.
  const levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 9; i++) {
    levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
  }
  const bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n" +
    levels.map((l) => `  ${l}`).join("\n") + "\n";
  const started = performance.now();
  await assertInputError(() => parseManifests(bomb, "bomb.yaml"), {
    message:
      "bomb.yaml:1: malformed YAML: Excessive alias count indicates a resource exhaustion attack",
    file: "bomb.yaml",
    line: 1,
  });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 1000, `refusing the bomb took ${elapsed.toFixed(0)}ms`);
});

// --- The streaming reader (files and stdin): JSON fast path, YAML document by document ---------

/** Loads `input` as stdin: a string, or bytes cut into chunks of `chunk` bytes. */
function fromStdin(input: string | Uint8Array, chunk = 7): Promise<ManifestObject[]> {
  const readStdin = typeof input === "string" ? () => Promise.resolve(input) : async function* () {
    for (let i = 0; i < input.length; i += chunk) yield input.subarray(i, i + chunk);
  };
  return loadManifests(["-"], { readStdin });
}

const bytes = (text: string) => new TextEncoder().encode(text);
const cmJson = (name: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });

Deno.test(
  "stream: JSON lines, arrays and Lists, cut into small chunks anywhere",
  opts,
  async () => {
    const cases: Array<[string, string, string[]]> = [
      ["JSON lines", `${cmJson("a")}\n${cmJson("b")}\n\n${cmJson("c")}\n`, [
        "ConfigMap/a@1",
        "ConfigMap/b@2",
        "ConfigMap/c@4",
      ]],
      ["an array", `[\n  ${cmJson("a")},\n  ${cmJson("b")}\n]\n`, [
        "ConfigMap/a@2",
        "ConfigMap/b@3",
      ]],
      [
        "kubectl's List (kind after items)",
        `{\n "apiVersion": "v1",\n "items": [\n  ${cmJson("a")},\n  ${cmJson("b")}\n ],\n` +
        ` "kind": "List",\n "metadata": {"resourceVersion": ""}\n}\n`,
        ["ConfigMap/a@4", "ConfigMap/b@5"],
      ],
      [
        "a typed list, kind first",
        `{"kind": "DeploymentList", "apiVersion": "apps/v1", "items": [\n{"metadata": {"name": "d"}}]}`,
        ["Deployment/d@2"],
      ],
      [
        "a typed list, kind last",
        `{"apiVersion": "apps/v1", "items": [\n{"metadata": {"name": "d"}}], "kind": "DeploymentList"}`,
        ["Deployment/d@2"],
      ],
      [
        "an object of another kind keeps its items",
        `{"apiVersion": "v1", "kind": "Widget", "items": [${
          cmJson("x")
        }], "metadata": {"name": "w"}}`,
        ["Widget/w@1"],
      ],
      ["YAML flow style is still read", "{apiVersion: v1, kind: ConfigMap, metadata: {name: y}}", [
        "ConfigMap/y@1",
      ]],
      [
        "YAML documents, a directive, a document on the --- line",
        "%YAML 1.2\n---\n" + CM("a") + "---\n" + CM("b") +
        "--- {apiVersion: v1, kind: Service, metadata: {name: c}}\n---\n",
        ["ConfigMap/a@3", "ConfigMap/b@8", "Service/c@12"],
      ],
      [
        "multi-byte characters split across chunks",
        CM("caf\u00e9-\u{1F600}") + "---\n" + CM("b"),
        ["ConfigMap/caf\u00e9-\u{1F600}@1", "ConfigMap/b@6"],
      ],
    ];
    for (const [what, text, expected] of cases) {
      for (const chunk of [1, 5, 1 << 20]) {
        assert.deepEqual(
          summary(await fromStdin(bytes(text), chunk)),
          expected,
          `${what} (${chunk})`,
        );
      }
      assert.deepEqual(summary(await fromStdin(text)), expected, what);
    }
  },
);

Deno.test("stream: bad JSON and bad bytes are refused at their line", opts, async () => {
  const cases: Array<[string, string | Uint8Array, number, string]> = [
    [
      "a duplicate key after good objects",
      cmJson("a") + '\n{"apiVersion": "v1", "kind": "A",\n"kind": "B"}\n',
      3,
      "malformed YAML: Map keys must be unique",
    ],
    [
      "a duplicate key deep inside",
      cmJson("a") + '\n{"apiVersion": "v1", "kind": "A", "metadata": {"name": "x",\n"name": "y"}}',
      3,
      "malformed YAML: Map keys must be unique",
    ],
    [
      "YAML in the middle of JSON",
      cmJson("a") + '\n{"apiVersion": "v1",\n"kind": nope}\n',
      3,
      "malformed JSON: a value that is not JSON in a JSON input",
    ],
    [
      "cut short",
      cmJson("a") + '\n{"apiVersion": "v1",\n"kind": "x"',
      3,
      "malformed JSON: the input ends where a key or } was expected",
    ],
    [
      "a missing comma",
      '{\n  "apiVersion": "v1"\n  "kind": "ConfigMap"\n}\n',
      3, //
      "malformed YAML: Missing , between flow map items",
    ],
    [
      "a List whose kind is not a list kind, items first",
      `{"apiVersion": "v1", "items": [\n${cmJson("x")}], "kind": "Foo"}`,
      1,
      "Foo has items that were read as a list's, but it is not a List kind",
    ],
    ["a NUL byte", CM("a") + "data:\n  k: a\0b\n", 6, "NUL byte: manifests must be text"],
    [
      "invalid UTF-8",
      new Uint8Array([...bytes(CM("a") + "data:\n  k: "), 0xc3, 0x28, 10]),
      6,
      "invalid UTF-8: manifests must be UTF-8 text",
    ],
    [
      "UTF-8 cut at the end",
      new Uint8Array([...bytes(CM("a")), 0xe2, 0x82]),
      5,
      "invalid UTF-8: the input ends inside a character",
    ],
    [
      "!!binary",
      CM("a") + "data:\n  k: !!binary aGk=\n",
      6,
      "unsupported YAML: the tag !!binary is not plain data (a YAML 1.1 type or an application " +
      "tag); Kubernetes reads only strings, numbers, booleans, null, mappings and lists",
    ],
    [
      "!!set",
      CM("a") + "data: !!set {a, b}\n",
      5,
      "unsupported YAML: the tag !!set is not plain data (a YAML 1.1 type or an application " +
      "tag); Kubernetes reads only strings, numbers, booleans, null, mappings and lists",
    ],
    [
      "an unknown tag",
      CM("a") + "data:\n  k: !secret x\n",
      6,
      "unsupported YAML: Unresolved tag: !secret (manifests hold plain data)",
    ],
  ];
  for (const [what, input, line, message] of cases) {
    await assertInputError(() => fromStdin(typeof input === "string" ? bytes(input) : input), {
      message: `-:${line}: ${message}`,
      file: "-",
      line,
    }).catch((e) => {
      throw new Error(`${what}: ${e.message}`, { cause: e });
    });
  }
});

Deno.test("stream: /dev/zero and a document without end are refused, not held", opts, async () => {
  await assertInputError(() => loadManifests(["/dev/zero"]), {
    message: "/dev/zero:1: NUL byte: manifests must be text",
    file: "/dev/zero",
    line: 1,
  });
  // `yes | kstatus compute -f -`: one endless YAML document.
  const endless = async function* () {
    const chunk = bytes("y\n".repeat(4096));
    while (true) yield chunk;
  };
  await assertInputError(
    () => loadManifests(["-"], { readStdin: endless, maxDocumentSize: 1 << 20 }),
    {
      message: `-:1: a single YAML document is larger than ${1 << 20} characters (the limit for ` +
        "one document)",
      file: "-",
      line: 1,
    },
  );
  const endlessJson = async function* () {
    yield bytes('{"a": [');
    while (true) yield bytes("1, ".repeat(4096));
  };
  await assertInputError(
    () => loadManifests(["-"], { readStdin: endlessJson, maxDocumentSize: 1 << 20 }),
    {
      message: `-:1: a single object is larger than ${1 << 20} characters (the limit for one ` +
        "object)",
      file: "-",
      line: 1,
    },
  );
});

Deno.test("stream: JSON documents between --- lines, then YAML", opts, async () => {
  const text = `${cmJson("a")}\n---\n${cmJson("b")}\n---\n${CM("c")}`;
  for (const chunk of [1, 5, 1 << 20]) {
    assert.deepEqual(summary(await fromStdin(bytes(text), chunk)), [
      "ConfigMap/a@1",
      "ConfigMap/b@3",
      "ConfigMap/c@5",
    ]);
  }
});
