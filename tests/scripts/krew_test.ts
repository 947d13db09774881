// The krew manifest: valid YAML of krew's Plugin shape, one platform per archive.

import assert from "node:assert/strict";
import { parse } from "../../lib/deps/yaml.ts";
import { krewManifest } from "../../scripts/krew.ts";

Deno.test("krew manifest: a Plugin with a platform per archive, krew's arch names", () => {
  const doc = parse(krewManifest("1.2.3", "https://example.com/dl/v1.2.3/", [
    {
      os: "linux",
      arch: "x64",
      archive: "kstatus-linux-x64.tar.gz",
      sha256: "a".repeat(64),
      bin: "kstatus",
    },
    {
      os: "darwin",
      arch: "arm64",
      archive: "kstatus-darwin-arm64.tar.gz",
      sha256: "b".repeat(64),
      bin: "kstatus",
    },
    {
      os: "windows",
      arch: "x64",
      archive: "kstatus-windows-x64.tar.gz",
      sha256: "c".repeat(64),
      bin: "kstatus.exe",
    },
  ]));
  assert.equal(doc.apiVersion, "krew.googlecontainertools.github.com/v1alpha2");
  assert.equal(doc.kind, "Plugin");
  assert.equal(doc.metadata.name, "kstatus");
  assert.equal(doc.spec.version, "v1.2.3");
  assert.deepEqual(
    doc.spec.platforms.map((p: { selector: { matchLabels: unknown } }) => p.selector.matchLabels),
    [
      { os: "linux", arch: "amd64" },
      { os: "darwin", arch: "arm64" },
      { os: "windows", arch: "amd64" },
    ],
  );
  assert.equal(
    doc.spec.platforms[2].uri,
    "https://example.com/dl/v1.2.3/kstatus-windows-x64.tar.gz",
  );
  assert.equal(doc.spec.platforms[2].bin, "kstatus.exe");
  assert.equal(doc.spec.platforms[0].sha256, "a".repeat(64));
});
