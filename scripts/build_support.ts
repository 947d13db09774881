/**
 * Helpers for the build and release scripts.
 *
 * @module
 */

import packageJson from "../package.json" with { type: "json" };

/** Runs a command, inheriting stdio; throws when it fails. */
export async function run(cmd: string, args: string[]): Promise<void> {
  const status = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" })
    .spawn().status;
  if (!status.success) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${status.code})`);
}

/**
 * `bun build` flags of the kstatus executable, for `build` and `release` alike. Identifiers are
 * not minified: error classes are recognised by name. `--bytecode` ships the code compiled
 * (start-up: `version` 55 ms -> 23 ms on the dev machine; scripts/bench_startup.ts); it needs
 * the ESM output format for the entry's top-level await. A Bun executable reads `.env` and
 * `bunfig.toml` from the working directory unless told not to: a `.env` would set KUBECONFIG or a
 * proxy behind the user's back, and a bunfig `preload` runs any script in kstatus's process.
 */
export const BINARY_BUILD_FLAGS: readonly string[] = [
  "--tsconfig-override=bun.tsconfig.json",
  "--compile",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
  "--bytecode",
  "--format=esm",
  "--splitting",
  "--minify-syntax",
  "--minify-whitespace",
  "--sourcemap=none",
];

const DEPS_DIR = new URL("../lib/deps/", import.meta.url);

/**
 * The npm pins of the source (`npm:name@version` in lib/deps/), which Deno
 * uses, must equal package.json's, which Bun installs, and bun.tsconfig.json must
 * map each specifier: otherwise the binary would ship other code than the
 * tests ran.
 */
export function checkDependencyPins(): void {
  const deps = packageJson.dependencies as Record<string, string>;
  const tsconfig = JSON.parse(
    Deno.readTextFileSync(new URL("../bun.tsconfig.json", import.meta.url)),
  );
  const paths = tsconfig.compilerOptions?.paths ?? {};
  const problems: string[] = [];
  for (const entry of Deno.readDirSync(DEPS_DIR)) {
    const text = Deno.readTextFileSync(new URL(entry.name, DEPS_DIR));
    for (const m of text.matchAll(/"npm:(@?[^@"]+)@([^"]+)"/g)) {
      const [specifier, name, version] = [m[0].slice(1, -1), m[1], m[2]];
      if (deps[name] !== version) {
        problems.push(
          `${name}: lib/deps has ${version}, package.json has ${deps[name] ?? "nothing"}`,
        );
      }
      if (!paths[specifier]) problems.push(`bun.tsconfig.json does not map ${specifier}`);
    }
  }
  if (problems.length) throw new Error(`dependency pins differ:\n  ${problems.join("\n  ")}`);
}
