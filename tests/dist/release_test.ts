/**
 * The release in `dist/`: every platform's executable is there, is an
 * executable of that platform, matches `SHA256SUMS`, and the one for this
 * machine runs and reports the package version.
 */

import assert from "node:assert/strict";
import {
  checkExecutableFormat,
  CHECKSUMS,
  KREW_MANIFEST,
  NODE_BUNDLE,
  readHead,
  RELEASE_TARGETS,
} from "../../scripts/release.ts";
import { DIST, MIXED_LINES, MIXED_YAML, mustRun, releaseFile, run, VERSION } from "./helpers.ts";

Deno.test("SHA256SUMS lists every release file and sha256sum -c accepts it", async () => {
  const sums = await Deno.readTextFile(await releaseFile(CHECKSUMS));
  const listed = sums.trimEnd().split("\n").map((line) => {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    assert.ok(m, `not sha256sum format: ${line}`);
    return m[2];
  });
  assert.deepEqual(
    listed.sort(),
    [
      ...RELEASE_TARGETS.map((t) => t.file),
      ...RELEASE_TARGETS.map((t) => t.archive),
      NODE_BUNDLE,
    ].sort(),
  );
  const out = await mustRun("sha256sum", ["--check", "--strict", CHECKSUMS], { cwd: DIST });
  assert.equal(out.trimEnd().split("\n").filter((l) => l.endsWith(": OK")).length, listed.length);
});

Deno.test("each executable is built for the platform in its name, and only that one", async () => {
  for (const t of RELEASE_TARGETS) {
    const head = await readHead(await releaseFile(t.file));
    assert.equal(checkExecutableFormat(head, t), undefined, t.file);
    for (const other of RELEASE_TARGETS) {
      if (other === t) continue;
      assert.notEqual(checkExecutableFormat(head, other), undefined, `${t.file} as ${other.name}`);
    }
  }
});

Deno.test("the linux-x64 executable reports the version and computes from stdin", async () => {
  const bin = await releaseFile("kstatus-linux-x64");
  const version = await mustRun(bin, ["version"]);
  assert.match(
    version,
    new RegExp(`^kstatus ${VERSION.replaceAll(".", "\\.")} \\(bun [0-9.]+\\)\n$`),
  );
  const r = await run(bin, ["compute", "-f", "-"], { stdin: MIXED_YAML });
  assert.deepEqual({ code: r.code, lines: r.stdout.trimEnd().split("\n"), stderr: r.stderr }, {
    code: 2,
    lines: MIXED_LINES,
    stderr: "",
  });
});

Deno.test("each archive holds its executable alone; the krew manifest names them", async () => {
  const manifest = await Deno.readTextFile(await releaseFile(KREW_MANIFEST));
  for (const t of RELEASE_TARGETS) {
    const names = await mustRun("tar", ["-tzf", await releaseFile(t.archive)]);
    assert.equal(names, t.os === "windows" ? "kstatus.exe\n" : "kstatus\n", t.archive);
    if (t.libc === "musl") continue;
    const sum = (await mustRun("sha256sum", [t.archive], { cwd: DIST })).split(" ")[0];
    assert.ok(manifest.includes(`/${t.archive}\n      sha256: ${sum}\n`), t.archive);
  }
});
