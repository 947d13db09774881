/**
 * Minimal-container smoke tests: the Linux executables run in a root
 * directory that holds nothing but the executable, the shared libraries it
 * links, and a mount point for `/proc` (mounted in a private mount namespace,
 * as every container runtime does: Bun aborts at start-up without it).
 *
 * - glibc: the libraries `ldd` names, with their paths and the loader.
 * - musl: Debian's musl loader plus a musl-built `libstdc++.so.6` and
 *   `libgcc_s`, which Bun's musl build links (on Alpine: `apk add libstdc++`).
 *   Debian packages no musl libstdc++, so it comes from a pinned PyPI
 *   musllinux wheel that bundles Alpine's (GCC 14). Those libraries are
 *   packed with DT_RELR relocations, which musl loads from 1.2.4 on; Debian
 *   12 ships 1.2.3, so the loader is Debian 13's `musl` package, fetched with
 *   apt into a private cache and extracted, not installed.
 *
 * Needs root, `unshare`, `chroot`; the musl test also `apt-get`, `dpkg-deb`
 * and Python's pip. Downloads are cached under `~/.cache/kstatus-dist`.
 */

import assert from "node:assert/strict";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import {
  MIXED_LINES,
  MIXED_YAML,
  mustRun,
  onPath,
  READY_POD_JSON,
  READY_POD_LINE,
  releaseFile,
  run,
  smokeTest,
  VERSION,
} from "./helpers.ts";

const MUSL_LOADER = "/lib/ld-musl-x86_64.so.1";

/** The wheel whose bundled libraries stand in for Alpine's `libstdc++` and `libgcc` packages. */
const LIBSTDCXX_WHEEL = {
  requirement: "kiwisolver==1.5.1",
  sha256: "b03af77d77e50edba2030fd5f7c352ff209314b09030a3cba7c14edf9a09a444",
  libsDir: "kiwisolver.libs",
};

/** The Debian suite whose musl (1.2.5) loads DT_RELR-packed libraries. */
const MUSL_SUITE = "trixie";

async function missingCommon(): Promise<string[]> {
  const missing: string[] = [];
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    missing.push("needs Linux on x86-64");
  }
  if (Deno.uid() !== 0) missing.push("needs root (chroot, mount)");
  for (const cmd of ["unshare", "chroot"]) {
    if (!(await onPath(cmd))) missing.push(`needs ${cmd}`);
  }
  return missing;
}

const common = await missingCommon();
const glibcMissing = [...common, ...(await onPath("ldd")) ? [] : ["needs ldd"]];
const muslMissing = [...common];
for (const cmd of ["apt-get", "dpkg-deb", "python3"]) {
  if (!(await onPath(cmd))) muslMissing.push(`needs ${cmd}`);
}
if (!muslMissing.includes("needs python3")) {
  const pip = await run("python3", ["-m", "pip", "--version"]);
  if (pip.code !== 0) muslMissing.push("needs pip for python3");
}

function cacheDir(): string {
  return join(Deno.env.get("XDG_CACHE_HOME") ?? join(homedir(), ".cache"), "kstatus-dist");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Copies `from` (following symlinks) to `root` + `to`, creating directories. */
async function place(root: string, from: string, to: string): Promise<void> {
  await Deno.mkdir(dirname(join(root, to)), { recursive: true });
  await Deno.copyFile(from, join(root, to));
}

/** Every file under `root`, as absolute paths inside it, directories left out unless empty. */
async function tree(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  let empty = true;
  for await (const e of Deno.readDir(dir)) {
    empty = false;
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...await tree(root, path));
    else out.push("/" + relative(root, path));
  }
  if (empty && dir !== root) out.push("/" + relative(root, dir) + "/");
  return out.sort();
}

/** A fresh root holding the executable as `/kstatus` and an empty `/proc`. */
async function newRoot(binary: string): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "kstatus-chroot-" });
  await place(root, binary, "/kstatus");
  await Deno.mkdir(join(root, "proc"));
  return root;
}

async function removeRoot(root: string): Promise<void> {
  // /proc is only ever mounted inside a private namespace; refuse to recurse into a live one.
  for await (const _ of Deno.readDir(join(root, "proc"))) {
    throw new Error(`${root}/proc is not empty: a proc mount leaked; not removing ${root}`);
  }
  await Deno.remove(root, { recursive: true });
}

/** Runs `/kstatus ARGS` chrooted into `root`, with `/proc` mounted there for this run only. */
function inChroot(root: string, args: string[], stdin?: string) {
  const script = 'mount -t proc proc "$0/proc" && exec chroot "$0" /kstatus "$@"';
  return run(
    "unshare",
    ["--mount", "--propagation", "private", "--", "sh", "-c", script, root, ...args],
    { stdin },
  );
}

/** The checks every minimal root must pass: version, a ready object, a mix (exit 2). */
async function checkKstatus(root: string): Promise<void> {
  const version = await inChroot(root, ["version"]);
  assert.equal(version.stderr, "");
  assert.equal(version.code, 0);
  assert.match(version.stdout, new RegExp(`^kstatus ${VERSION.replaceAll(".", "\\.")} \\(bun `));

  const ready = await inChroot(root, ["compute", "-f", "-"], READY_POD_JSON);
  assert.deepEqual(ready, { code: 0, stdout: READY_POD_LINE + "\n", stderr: "" });

  const mixed = await inChroot(root, ["compute", "-f", "-"], MIXED_YAML);
  assert.deepEqual(mixed, { code: 2, stdout: MIXED_LINES.join("\n") + "\n", stderr: "" });
}

/** The absolute paths `ldd` names for `binary` (libraries and the loader; not the vDSO). */
async function lddPaths(binary: string): Promise<string[]> {
  const out = await mustRun("ldd", [binary]);
  const paths: string[] = [];
  for (const line of out.split("\n")) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) paths.push(m[1]);
    else if (line.includes("not found")) throw new Error(`ldd: ${line.trim()}`);
  }
  return paths;
}

smokeTest("glibc build in a chroot with only the libraries ldd names", glibcMissing, async () => {
  const binary = await releaseFile("kstatus-linux-x64");
  const libs = await lddPaths(binary);
  assert.ok(libs.some((p) => p.includes("ld-linux-x86-64")), `no loader in ${libs}`);
  const root = await newRoot(binary);
  try {
    for (const lib of libs) await place(root, lib, lib);
    assert.deepEqual(await tree(root), ["/kstatus", "/proc/", ...libs].sort());
    console.log(`root: ${(await tree(root)).join(" ")}`);
    await checkKstatus(root);
  } finally {
    await removeRoot(root);
  }
});

/** Debian 13's musl loader, fetched with apt into a private state directory, then cached. */
async function debianMuslLoader(): Promise<string> {
  const dir = join(cacheDir(), `musl-${MUSL_SUITE}`);
  const loader = join(dir, "ld-musl-x86_64.so.1");
  if (await exists(loader)) return loader;
  const apt = join(dir, "apt");
  for (const d of ["lists/partial", "cache/archives/partial", "etc"]) {
    await Deno.mkdir(join(apt, d), { recursive: true });
  }
  await Deno.writeTextFile(
    join(apt, "etc/sources.list"),
    `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ` +
      `http://deb.debian.org/debian ${MUSL_SUITE} main\n`,
  );
  // The system's apt configuration and state stay untouched: everything points into `apt`.
  const options = [
    `Dir::Etc::SourceList=${apt}/etc/sources.list`,
    "Dir::Etc::SourceParts=/dev/null",
    `Dir::State::Lists=${apt}/lists`,
    `Dir::Cache=${apt}/cache`,
    "Dir::State::Status=/dev/null",
    "APT::Architecture=amd64",
    "Acquire::Languages=none",
    "APT::Sandbox::User=root",
  ].flatMap((o) => ["-o", o]);
  await mustRun("apt-get", [...options, "-qq", "update"]);
  await mustRun("apt-get", [...options, "-qq", "download", "musl"], { cwd: dir });
  const deb = [...Deno.readDirSync(dir)].find((e) => /^musl_.*_amd64\.deb$/.test(e.name));
  if (!deb) throw new Error(`apt-get download musl left no musl_*_amd64.deb in ${dir}`);
  const extracted = join(dir, "root");
  await mustRun("dpkg-deb", ["-x", join(dir, deb.name), extracted]);
  for (const candidate of ["lib/ld-musl-x86_64.so.1", "usr/lib/ld-musl-x86_64.so.1"]) {
    if (await exists(join(extracted, candidate))) {
      await Deno.copyFile(join(extracted, candidate), loader);
      await Deno.chmod(loader, 0o755);
      await Deno.remove(apt, { recursive: true }); // 30 MB of package lists, needed once
      return loader;
    }
  }
  throw new Error(`no ld-musl-x86_64.so.1 in ${deb.name}`);
}

/** The musl-built libstdc++ and libgcc_s from the pinned wheel, hash-checked by pip, cached. */
async function muslLibstdcxx(): Promise<string[]> {
  const dir = join(cacheDir(), "musl-libstdcxx");
  const libs = join(dir, LIBSTDCXX_WHEEL.libsDir);
  if (!(await exists(libs))) {
    await Deno.mkdir(dir, { recursive: true });
    const req = join(dir, "requirements.txt");
    await Deno.writeTextFile(
      req,
      `${LIBSTDCXX_WHEEL.requirement} --hash=sha256:${LIBSTDCXX_WHEEL.sha256}\n`,
    );
    await mustRun("python3", [
      "-m",
      "pip",
      "download",
      "--quiet",
      "--no-deps",
      "--only-binary=:all:",
      "--platform",
      "musllinux_1_2_x86_64",
      "--python-version",
      "3.12",
      "--require-hashes",
      "-r",
      req,
      "-d",
      dir,
    ]);
    const wheel = [...Deno.readDirSync(dir)].find((e) => e.name.endsWith(".whl"));
    if (!wheel) throw new Error(`pip download left no wheel in ${dir}`);
    const unpacked = join(dir, "wheel");
    await mustRun("python3", ["-m", "zipfile", "-e", join(dir, wheel.name), unpacked]);
    await Deno.rename(join(unpacked, LIBSTDCXX_WHEEL.libsDir), libs);
    await Deno.remove(unpacked, { recursive: true });
  }
  return [...Deno.readDirSync(libs)].map((e) => join(libs, e.name)).sort();
}

smokeTest(
  "musl build in a chroot with Debian's musl loader and libstdc++",
  muslMissing,
  async () => {
    const binary = await releaseFile("kstatus-linux-x64-musl");
    const loader = await debianMuslLoader();
    const version = await run(loader, []);
    assert.match(version.stderr, /^musl libc \(x86_64\)\nVersion 1\.2\.([4-9]|\d\d)/);

    const root = await newRoot(binary);
    try {
      await place(root, loader, MUSL_LOADER);
      // Without libstdc++ the loader names what is missing: this is what the README tells Alpine
      // users to install. If Bun ever links it statically, this fails: update the README then.
      const bare = await inChroot(root, ["version"]);
      assert.equal(bare.code, 127);
      assert.match(bare.stderr, /Error loading shared library libstdc\+\+\.so\.6/);

      const placed = [MUSL_LOADER];
      for (const lib of await muslLibstdcxx()) {
        // The wheel renamed its copies; the executable asks for libstdc++.so.6 by name, and
        // libstdc++ asks for libgcc_s under the wheel's name, so that one keeps it.
        const name = lib.split("/").pop()!;
        const to = name.startsWith("libstdc++") ? "/usr/lib/libstdc++.so.6" : `/usr/lib/${name}`;
        await place(root, lib, to);
        placed.push(to);
      }
      assert.deepEqual(await tree(root), ["/kstatus", "/proc/", ...placed].sort());
      console.log(`root: ${(await tree(root)).join(" ")}`);
      await checkKstatus(root);
    } finally {
      await removeRoot(root);
    }
  },
);
