/**
 * Helpers for the build and release scripts.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };
import packageJson from "../package.json" with { type: "json" };

/** Runs a command, inheriting stdio; throws when it fails. */
export async function run(cmd: string, args: string[]): Promise<void> {
  const status = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" })
    .spawn().status;
  if (!status.success) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${status.code})`);
}

/**
 * Bun reads package.json, Deno reads deno.json: both must pin the same
 * versions or the binary would ship different code than the tests ran.
 */
export function checkDependencyPins(): void {
  const deps = packageJson.dependencies as Record<string, string>;
  const imports = denoJson.imports as Record<string, string>;
  const problems: string[] = [];
  for (const spec of Object.values(imports)) {
    const m = /^npm:(@?[^@]+)@(.+)$/.exec(spec);
    if (!m) continue;
    if (deps[m[1]] !== m[2]) {
      problems.push(`${m[1]}: deno.json has ${m[2]}, package.json has ${deps[m[1]] ?? "nothing"}`);
    }
  }
  if (problems.length) {
    throw new Error(`dependency pins differ:\n  ${problems.join("\n  ")}`);
  }
}
