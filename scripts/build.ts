/**
 * Builds the single-binary CLI with Bun (`bun build --compile`), which works
 * offline; `deno compile` needs a runtime download that is not reachable here.
 *
 * Usage: deno task build [--target bun-linux-x64] [--outfile dist/kstatus]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BINARY_BUILD_FLAGS, checkDependencyPins, run } from "./build_support.ts";

const { values } = parseArgs({
  options: {
    target: { type: "string" },
    outfile: { type: "string", default: "dist/kstatus" },
  },
});

checkDependencyPins();
await run("bun", ["install", "--frozen-lockfile", "--silent"]);
const args = ["build", ...BINARY_BUILD_FLAGS, "main.ts"];
if (values.target) args.push(`--target=${values.target}`);
args.push("--outfile", values.outfile!);
await run("bun", args);
console.log(`built ${values.outfile}`);
