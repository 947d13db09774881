/**
 * Tests of the YAML `List` read item by item: the same objects, apiVersions and lines as the
 * whole-document reader, whatever the chunks; errors at the line of the item.
 *
 * @module
 */

import assert from "node:assert/strict";
import { InputError } from "../lib/errors.ts";
import { textCursor } from "../lib/manifest_json.ts";
import type { ManifestObject } from "../lib/manifest_objects.ts";
import { yamlManifests } from "../lib/manifest_stream.ts";
import { parseManifests } from "../lib/manifests.ts";

/** `apiVersion Kind/name@line` of each object. */
function summary(objs: ManifestObject[]): string[] {
  return objs.map(({ object, line }) => {
    const meta = object.metadata as { name?: string } | undefined;
    return `${object.apiVersion} ${object.kind}/${meta?.name ?? ""}@${line}`;
  });
}

/**
 * Reads `text` cut into `chunk`-character chunks, streaming any List document longer than
 * `after` characters; also says how many batches came (one per item when streamed).
 */
async function streamed(
  text: string,
  chunk: number,
  after = 60,
): Promise<{ objects: ManifestObject[]; batches: number }> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
  }
  const objects: ManifestObject[] = [];
  let batches = 0;
  for await (const batch of yamlManifests(textCursor(chunks(), "l.yaml", 1 << 20), after)) {
    batches++;
    objects.push(...batch);
  }
  return { objects, batches };
}

const item = (name: string, indent = "") =>
  `${indent}- apiVersion: v1\n${indent}  kind: ConfigMap\n${indent}  metadata:\n` +
  `${indent}    name: ${name}\n${indent}  data:\n${indent}    script: |\n` +
  `${indent}      - not an item\n${indent}      #!/bin/sh\n`;

const doc = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n`;

const KUBECTL_LIST = "apiVersion: v1\nitems:\n" + item("a") + "# between items\n\n" +
  item("b") + item("c") + 'kind: List\nmetadata:\n  resourceVersion: ""\n';

Deno.test("a large YAML List is read item by item, as the whole document would be", async () => {
  const inputs: Array<[string, string]> = [
    ["kubectl's List (kind after items)", KUBECTL_LIST],
    [
      "items indented under the key",
      "kind: List\napiVersion: v1\nitems:\n" + item("a", "  ") +
      item("b", "  "),
    ],
    [
      "a typed list, kind first, items without apiVersion and kind",
      "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- metadata:\n    name: d1\n" +
      "- metadata: {name: d2}\n",
    ],
    [
      "a typed list, kind after items without apiVersion and kind",
      "apiVersion: apps/v1\nitems:\n- metadata:\n    name: d1\n- metadata: {name: d2}\n" +
      "kind: DeploymentList\n",
    ],
    [
      "a List inside the List",
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n" +
      "  - apiVersion: v1\n    kind: Secret\n    metadata: {name: inner}\n" + item("outer"),
    ],
    ["a List then more documents", `---\n${KUBECTL_LIST}---\n${doc("z")}---\n`],
    ["a document, then a List", `${doc("first")}---\n${KUBECTL_LIST}`],
  ];
  for (const [name, text] of inputs) {
    const whole = summary(parseManifests(text, "l.yaml"));
    for (const chunk of [1, 7, 64, text.length]) {
      const { objects, batches } = await streamed(text, chunk);
      assert.deepEqual(summary(objects), whole, `${name}, chunks of ${chunk}`);
      assert.ok(batches >= 2, `${name}: read item by item`);
    }
  }
  // kubectl's List, small enough to be read whole: one batch.
  assert.equal((await streamed(KUBECTL_LIST, 7, 1 << 20)).batches, 1);
});

Deno.test("a streamed List's items are handed on before its end is read", async () => {
  let handedOut = 0;
  async function* chunks() {
    const cut = KUBECTL_LIST.indexOf("\n", KUBECTL_LIST.indexOf("- apiVersion", 30)) + 1;
    yield KUBECTL_LIST.slice(0, cut); // up to the first line of item b
    assert.equal(handedOut, 1, "item a before the rest arrives");
    yield KUBECTL_LIST.slice(cut);
  }
  const names: string[] = [];
  for await (const batch of yamlManifests(textCursor(chunks(), "l.yaml", 1 << 20), 60)) {
    handedOut++;
    names.push(...batch.map((o) => (o.object.metadata as { name: string }).name));
  }
  assert.deepEqual(names, ["a", "b", "c"]);
});

Deno.test("errors in a streamed List name the line in the file", async () => {
  const lines = KUBECTL_LIST.split("\n");
  const cases: Array<[string, string, number]> = [
    [
      "malformed YAML in the second item",
      KUBECTL_LIST.replace("name: b", "name: b: c"),
      lines.indexOf("    name: b") + 1,
    ],
    [
      "an item that is not a mapping",
      KUBECTL_LIST.replace("# between items\n", "- just a string\n"),
      lines.indexOf("# between items") + 1,
    ],
    [
      "an empty item",
      KUBECTL_LIST.replace("# between items\n", "-\n"),
      lines.indexOf("# between items") + 1,
    ],
    [
      "a key given before and after the items",
      KUBECTL_LIST.replace("kind: List\n", "kind: List\napiVersion: v2\n"),
      lines.indexOf("kind: List") + 2,
    ],
    [
      "self-describing items of a kind that is not a List",
      KUBECTL_LIST.replace("kind: List", "kind: Foo"),
      1,
    ],
  ];
  for (const [name, text, line] of cases) {
    await assert.rejects(() => streamed(text, 7), (e: unknown) => {
      assert.ok(e instanceof InputError, `${name}: ${e}`);
      assert.equal(e.line, line, `${name}: ${e.message}`);
      assert.equal(e.file, "l.yaml");
      if (name === "an empty item") assert.match(e.message, /got null$/);
      return true;
    });
  }
});

Deno.test("a large document with items of its own kind is one object", async () => {
  const text =
    "apiVersion: example.com/v1\nitems:\n- a: 1\n- b: 2\nkind: Foo\nmetadata:\n  name: f\n";
  const { objects } = await streamed(text, 7);
  assert.deepEqual(summary(objects), summary(parseManifests(text, "l.yaml")));
  assert.deepEqual(objects[0].object.items, [{ a: 1 }, { b: 2 }]);
});

Deno.test("a streamed List's item larger than the limit is refused at its line", async () => {
  const big = `- apiVersion: v1\n  kind: ConfigMap\n  data:\n${"    k: v\n".repeat(40)}`;
  const text = `apiVersion: v1\nkind: List\nitems:\n${item("a")}${big}`;
  async function* chunks() {
    for (let i = 0; i < text.length; i += 16) yield text.slice(i, i + 16);
  }
  await assert.rejects(async () => {
    for await (const _ of yamlManifests(textCursor(chunks(), "l.yaml", 200), 60));
  }, (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(
      e.message,
      "l.yaml:12: a single List item is larger than 200 characters (the limit for one object)",
    );
    return true;
  });
});
