/**
 * The README's TypeScript examples: each one type-checks, and each one
 * that does not say `// needs a cluster` runs and exits 0 (with `jsr:`
 * imports pointed at the checkout).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const readme = Deno.readTextFileSync(join(root, "README.md"));
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

function localImports(code: string): string {
  return code
    .replaceAll('"jsr:@kstatus/kstatus/kube"', '"./lib/kube/mod.ts"')
    .replaceAll('"jsr:@kstatus/kstatus"', '"./mod.ts"');
}

async function deno(args: string[]): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

Deno.test("README: there are TypeScript examples", () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length}`);
});

blocks.forEach((code, i) => {
  const needsCluster = code.includes("// needs a cluster");
  Deno.test(`README example ${i + 1} ${needsCluster ? "type-checks" : "runs"}`, async () => {
    // Written beside mod.ts so that its relative imports resolve as in the README.
    const file = join(root, `.readme_example_${i}_${crypto.randomUUID().slice(0, 8)}.ts`);
    await Deno.writeTextFile(file, localImports(code));
    try {
      const r = needsCluster ? await deno(["check", file]) : await deno(["run", "-A", file]);
      assert.equal(r.code, 0, r.out);
    } finally {
      await Deno.remove(file);
    }
  });
});
