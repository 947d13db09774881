/**
 * Builds the release: one self-contained `kstatus` executable per platform
 * with `bun build --compile` (cross-compiling from this machine), the
 * library bundled for Node (`dist/node/kstatus.mjs`), and `dist/SHA256SUMS`
 * in `sha256sum` format. Every output is checked to be an executable of the
 * platform it is named after. Any failure fails the release: no checksums
 * are written for a partial set.
 *
 * Also: each executable alone in `kstatus-<platform>.tar.gz` (listed in `SHA256SUMS` too), the
 * krew manifest `kstatus.krew.yaml` naming those archives under `--base-url` (default: the
 * GitHub release of the version), and, where podman, buildah or docker is installed, the
 * container image of `Containerfile`.
 *
 * Usage: deno task release [--targets linux-x64,linux-x64-musl] [--outdir dist] [--base-url URL]
 *
 * Bun takes the runtime of a foreign target from the npm registry on first
 * use and caches it (`~/.bun/install/cache`); later builds are offline.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BINARY_BUILD_FLAGS, checkDependencyPins } from "./build_support.ts";
import { krewManifest, type KrewPlatform } from "./krew.ts";
import denoJson from "../deno.json" with { type: "json" };

const VERSION = denoJson.version;

/** Where the release's files are published: a GitHub release of the version. */
function defaultBaseUrl(): string {
  return `https://github.com/kstatus/kstatus/releases/download/v${VERSION}`;
}

/** One platform kstatus is released for. */
export interface ReleaseTarget {
  /** The name used in file names and `--targets`, e.g. `linux-x64-musl`. */
  name: string;
  /** Bun's `--target` for it. */
  bunTarget: string;
  /** Operating system. */
  os: "linux" | "darwin" | "windows";
  /** CPU architecture. */
  arch: "x64" | "arm64";
  /** Linux C library the executable links against. */
  libc?: "glibc" | "musl";
  /** File name of the executable inside the output directory. */
  file: string;
  /** The executable alone in a `.tar.gz`, as `kstatus` (`kstatus.exe`): what krew installs. */
  archive: string;
}

function target(
  os: ReleaseTarget["os"],
  arch: ReleaseTarget["arch"],
  libc?: ReleaseTarget["libc"],
): ReleaseTarget {
  const name = `${os}-${arch}${libc === "musl" ? "-musl" : ""}`;
  return {
    name,
    bunTarget: `bun-${name}`,
    os,
    arch,
    libc,
    file: `kstatus-${name}${os === "windows" ? ".exe" : ""}`,
    archive: `kstatus-${name}.tar.gz`,
  };
}

/** Every platform of a release, in build order. */
export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  target("linux", "x64", "glibc"),
  target("linux", "x64", "musl"),
  target("linux", "arm64", "glibc"),
  target("darwin", "x64"),
  target("darwin", "arm64"),
  target("windows", "x64"),
];

/** Where the library bundle for Node goes, relative to the output directory. */
export const NODE_BUNDLE = "node/kstatus.mjs";

/** The krew plugin manifest, relative to the output directory. */
export const KREW_MANIFEST = "kstatus.krew.yaml";

/** The checksum file, relative to the output directory. */
export const CHECKSUMS = "SHA256SUMS";

const ELF_MACHINE = { x64: 0x3e, arm64: 0xb7 } as const;
const MACHO_CPU = { x64: 0x01000007, arm64: 0x0100000c } as const;
const ELF_INTERPRETER = {
  "x64-glibc": "/lib64/ld-linux-x86-64.so.2",
  "x64-musl": "/lib/ld-musl-x86_64.so.1",
  "arm64-glibc": "/lib/ld-linux-aarch64.so.1",
  "arm64-musl": "/lib/ld-musl-aarch64.so.1",
} as const;

/**
 * Checks that `head` (the first bytes of a file, 64 KiB is plenty) starts an
 * executable for `t`: ELF with the right machine and program interpreter,
 * Mach-O 64 with the right CPU, or PE32+ for x86-64. Returns what is wrong,
 * or `undefined` when it matches.
 *
 * @example
 * ```ts
 * const head = new Uint8Array(65536);
 * const file = await Deno.open("dist/kstatus-linux-x64");
 * await file.read(head);
 * file.close();
 * checkExecutableFormat(head, RELEASE_TARGETS[0]); // undefined
 * ```
 */
export function checkExecutableFormat(head: Uint8Array, t: ReleaseTarget): string | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.byteLength < 64) return "file too short";
  if (t.os === "linux") {
    if (view.getUint32(0) !== 0x7f454c46) return "not an ELF file";
    if (head[4] !== 2 || head[5] !== 1) return "not a 64-bit little-endian ELF file";
    const machine = view.getUint16(18, true);
    if (machine !== ELF_MACHINE[t.arch]) return `ELF machine 0x${machine.toString(16)}`;
    const interp = elfInterpreter(view);
    const want = ELF_INTERPRETER[`${t.arch}-${t.libc ?? "glibc"}`];
    if (interp !== want) return `program interpreter ${interp ?? "none"}, expected ${want}`;
    return undefined;
  }
  if (t.os === "darwin") {
    if (view.getUint32(0, true) !== 0xfeedfacf) return "not a 64-bit Mach-O file";
    const cpu = view.getUint32(4, true);
    if (cpu !== MACHO_CPU[t.arch]) return `Mach-O CPU type 0x${cpu.toString(16)}`;
    return undefined;
  }
  if (head[0] !== 0x4d || head[1] !== 0x5a) return "no MZ header";
  const pe = view.getUint32(0x3c, true);
  if (pe + 6 > head.byteLength || view.getUint32(pe) !== 0x50450000) return "no PE header";
  const machine = view.getUint16(pe + 4, true);
  const want = t.arch === "x64" ? 0x8664 : 0xaa64;
  return machine === want ? undefined : `PE machine 0x${machine.toString(16)}`;
}

/** The PT_INTERP path of a 64-bit little-endian ELF file, if its headers are in `view`. */
function elfInterpreter(view: DataView): string | undefined {
  const phoff = Number(view.getBigUint64(32, true));
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 40 > view.byteLength) return undefined;
    if (view.getUint32(at, true) !== 3) continue; // PT_INTERP
    const offset = Number(view.getBigUint64(at + 8, true));
    const size = Number(view.getBigUint64(at + 32, true));
    if (offset + size > view.byteLength) return undefined;
    const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, size);
    return new TextDecoder().decode(bytes).replace(/\0+$/, "");
  }
  return undefined;
}

/** The SHA-256 of a file as lowercase hex, read in chunks (the binaries are ~100 MB). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path);
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/** Reads the first `n` bytes of a file. */
export async function readHead(path: string, n = 65536): Promise<Uint8Array> {
  using file = await Deno.open(path);
  const buf = new Uint8Array(n);
  let filled = 0;
  while (filled < n) {
    const got = await file.read(buf.subarray(filled));
    if (got === null) break;
    filled += got;
  }
  return buf.subarray(0, filled);
}

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** Runs a command in the repository with its output captured; throws with the output on failure. */
async function capture(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd: REPO, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${out.code}):\n${text.trimEnd()}`);
  }
  return text;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Maps the `npm:` specifiers of lib/deps/ to node_modules for Bun. */
const BUN_TSCONFIG = "--tsconfig-override=bun.tsconfig.json";

async function buildTarget(t: ReleaseTarget, outdir: string): Promise<void> {
  const outfile = `${outdir}/${t.file}`;
  await Deno.remove(outfile).catch(() => {});
  await capture("bun", [
    "build",
    ...BINARY_BUILD_FLAGS,
    `--target=${t.bunTarget}`,
    "main.ts",
    "--outfile",
    outfile,
  ]);
  const problem = checkExecutableFormat(await readHead(outfile), t);
  if (problem) throw new Error(`${outfile} is not a ${t.name} executable: ${problem}`);
}

async function buildNodeBundle(outdir: string): Promise<void> {
  // Everything inlined, npm dependencies included: Node needs no node_modules for it.
  await capture("bun", [
    "build",
    BUN_TSCONFIG,
    "--target=node",
    "--format=esm",
    "mod.ts",
    "--outfile",
    `${outdir}/${NODE_BUNDLE}`,
  ]);
}

/** Builds the release into `outdir`; throws after trying everything if anything failed. */
export async function release(
  targets: readonly ReleaseTarget[],
  dir: string,
  baseUrl = defaultBaseUrl(),
): Promise<void> {
  const outdir = resolve(dir);
  checkDependencyPins();
  await capture("bun", ["install", "--frozen-lockfile"]);
  await Deno.mkdir(`${outdir}/node`, { recursive: true });
  await Deno.remove(`${outdir}/${CHECKSUMS}`).catch(() => {});

  const started = performance.now();
  const failures: string[] = [];
  const built: string[] = [];
  const steps: [string, string, () => Promise<void>][] = [
    ...targets.map((t): [string, string, () => Promise<void>] => [
      t.name,
      t.file,
      () => buildTarget(t, outdir),
    ]),
    ["node library", NODE_BUNDLE, () => buildNodeBundle(outdir)],
  ];
  for (const [name, file, step] of steps) {
    const t0 = performance.now();
    try {
      await step();
      const { size } = await Deno.stat(`${outdir}/${file}`);
      built.push(file);
      console.log(
        `${name.padEnd(15)} ${file.padEnd(30)} ${mib(size).padStart(10)} ${
          seconds(performance.now() - t0).padStart(7)
        }`,
      );
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      console.error(`${name.padEnd(15)} FAILED`);
    }
  }
  if (failures.length) {
    throw new Error(`release failed, no ${CHECKSUMS} written:\n${failures.join("\n")}`);
  }

  const platforms: KrewPlatform[] = [];
  for (const t of targets) {
    await archive(t, outdir);
    built.push(t.archive);
    platforms.push({
      os: t.os,
      arch: t.arch,
      archive: t.archive,
      sha256: await sha256File(`${outdir}/${t.archive}`),
      bin: t.os === "windows" ? "kstatus.exe" : "kstatus",
    });
  }
  // krew has one entry per os and arch: the glibc build stands for Linux.
  const krew = platforms.filter((_, i) => targets[i].libc !== "musl");
  await Deno.writeTextFile(`${outdir}/${KREW_MANIFEST}`, krewManifest(VERSION, baseUrl, krew));

  const lines: string[] = [];
  for (const file of built) lines.push(`${await sha256File(`${outdir}/${file}`)}  ${file}`);
  await Deno.writeTextFile(`${outdir}/${CHECKSUMS}`, lines.join("\n") + "\n");
  console.log(
    `wrote ${outdir}/${CHECKSUMS} and ${KREW_MANIFEST}; total ${
      seconds(performance.now() - started)
    }`,
  );
  await buildImage(outdir, targets);
}

/** Packs `t`'s executable alone into its archive, named as krew runs it (reproducibly). */
async function archive(t: ReleaseTarget, outdir: string): Promise<void> {
  const stage = await Deno.makeTempDir({ prefix: "kstatus-archive-" });
  try {
    const bin = t.os === "windows" ? "kstatus.exe" : "kstatus";
    await Deno.link(`${outdir}/${t.file}`, `${stage}/${bin}`).catch(() =>
      Deno.copyFile(`${outdir}/${t.file}`, `${stage}/${bin}`)
    );
    await capture("tar", [
      "--sort=name",
      "--mtime=@0",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      // Fast compression: level 6 takes minutes over six ~100 MiB executables for 2% less.
      "--use-compress-program=gzip -1 -n",
      "-cf",
      `${outdir}/${t.archive}`,
      "-C",
      stage,
      bin,
    ]);
  } finally {
    await Deno.remove(stage, { recursive: true });
  }
}

/**
 * Builds the container image from `Containerfile` (context: the output directory) with podman,
 * buildah or docker, whichever is there; without one it says so and the release goes on.
 */
async function buildImage(outdir: string, targets: readonly ReleaseTarget[]): Promise<void> {
  const builder = await firstOnPath(["podman", "buildah", "docker"]);
  if (!builder) {
    console.log(
      "container image: no podman, buildah or docker here; not built (see Containerfile)",
    );
    return;
  }
  for (const [arch, file] of [["amd64", "kstatus-linux-x64"], ["arm64", "kstatus-linux-arm64"]]) {
    if (!targets.some((t) => t.file === file)) continue;
    const tag = `kstatus:${VERSION}-${arch}`;
    const args = builder === "buildah" ? ["bud"] : ["build"];
    await capture(builder, [
      ...args,
      "--platform",
      `linux/${arch}`,
      "--build-arg",
      `KSTATUS_FILE=${file}`,
      "-f",
      `${REPO}Containerfile`,
      "-t",
      tag,
      outdir,
    ]);
    console.log(`container image ${tag} built with ${builder}`);
  }
}

/** The first of `commands` that is installed and works (docker: its daemon answers). */
async function firstOnPath(commands: readonly string[]): Promise<string | undefined> {
  for (const cmd of commands) {
    const probe = cmd === "docker" ? "docker info" : `command -v ${cmd}`;
    const found = await new Deno.Command("sh", {
      args: ["-c", `${probe} >/dev/null 2>&1`],
      stdout: "null",
      stderr: "null",
    }).output();
    if (found.success) return cmd;
  }
  return undefined;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      targets: { type: "string" },
      outdir: { type: "string", default: "dist" },
      "base-url": { type: "string" },
    },
  });
  let targets = RELEASE_TARGETS;
  if (values.targets) {
    const names = values.targets.split(",");
    const unknown = names.filter((n) => !RELEASE_TARGETS.some((t) => t.name === n));
    if (unknown.length) {
      console.error(
        `unknown target ${unknown.join(", ")}; known: ${
          RELEASE_TARGETS.map((t) => t.name).join(", ")
        }`,
      );
      Deno.exit(2);
    }
    targets = RELEASE_TARGETS.filter((t) => names.includes(t.name));
  }
  try {
    await release(targets, values.outdir!, values["base-url"]);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    Deno.exit(1);
  }
}
