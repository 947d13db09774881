/**
 * The krew plugin manifest of a release (`kstatus.krew.yaml`), so that `kubectl krew install
 * --manifest=kstatus.krew.yaml` (or a krew index) installs kstatus as `kubectl kstatus`. Krew
 * installs from archives: each platform's executable is packed alone into
 * `kstatus-<platform>.tar.gz` as `kstatus` (`kstatus.exe` on Windows), and the manifest names
 * each archive's URL and SHA-256.
 *
 * @module
 */

/** One platform's archive in the manifest. */
export interface KrewPlatform {
  /** `linux`, `darwin`, `windows`. */
  os: string;
  /** `x64` or `arm64` (krew says `amd64` and `arm64`). */
  arch: string;
  /** The archive's file name. */
  archive: string;
  /** Its SHA-256, lowercase hex. */
  sha256: string;
  /** The executable's name inside it. */
  bin: string;
}

/**
 * The manifest's YAML. `baseUrl` is where the release's files are downloaded from (a GitHub
 * release: `https://github.com/OWNER/kstatus/releases/download/vVERSION`).
 *
 * @example
 * ```ts
 * import { krewManifest } from "./krew.ts";
 * const yaml = krewManifest("0.1.0", "https://example.com/v0.1.0", [
 *   { os: "linux", arch: "x64", archive: "kstatus-linux-x64.tar.gz", sha256: "ab".repeat(32), bin: "kstatus" },
 * ]);
 * console.log(yaml.includes("uri: https://example.com/v0.1.0/kstatus-linux-x64.tar.gz")); // true
 * ```
 */
export function krewManifest(
  version: string,
  baseUrl: string,
  platforms: readonly KrewPlatform[],
): string {
  const lines = [
    "apiVersion: krew.googlecontainertools.github.com/v1alpha2",
    "kind: Plugin",
    "metadata:",
    "  name: kstatus",
    "spec:",
    `  version: v${version}`,
    "  shortDescription: Wait until resources are ready, and say why they are not",
    "  description: |",
    "    kstatus waits until Kubernetes resources are Current (or deleted), showing a live",
    "    table with children as a tree, and exits with codes that mean something in CI.",
    "    Statuses are those of sigs.k8s.io/cli-utils' kstatus, plus health rules for custom",
    "    resources. Run it as `kubectl kstatus wait -f app.yaml`.",
    "  platforms:",
  ];
  for (const p of platforms) {
    lines.push(
      "    - selector:",
      "        matchLabels:",
      `          os: ${p.os}`,
      `          arch: ${p.arch === "x64" ? "amd64" : p.arch}`,
      `      uri: ${baseUrl.replace(/\/$/, "")}/${p.archive}`,
      `      sha256: ${p.sha256}`,
      `      bin: ${p.bin}`,
    );
  }
  return lines.join("\n") + "\n";
}
