// Subprocess tests of `--help` on every command, `help COMMAND`, and `kstatus version`.

import assert from "node:assert/strict";
import { explain, runCli } from "./fixtures/harness.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

Deno.test("--help on every command: exit 0, usage and examples on stdout", opts, async (t) => {
  const commands = [[], ["wait"], ["status"], ["compute"], ["version"]];
  const runs = await Promise.all(commands.flatMap((cmd) => [
    runCli([...cmd, "--help"]),
    runCli([...cmd, "-h"]),
    runCli(["help", ...cmd]),
  ]));
  for (const [i, cmd] of commands.entries()) {
    await t.step(`kstatus ${[...cmd, "--help"].join(" ")}`, () => {
      for (const r of runs.slice(i * 3, i * 3 + 3)) {
        assert.equal(r.code, 0, explain(r));
        assert.equal(r.stderr, "");
        assert.equal(
          r.lines[0],
          `Usage: kstatus ${cmd.length ? `${cmd[0]} ` : ""}[options]` +
            (cmd.length === 0
              ? " [command]"
              : cmd[0] === "wait" || cmd[0] === "status"
              ? " [KIND/NAME...]"
              : ""),
        );
        const examples = r.lines.indexOf("Examples:");
        assert.ok(examples > 0, explain(r));
        const first = r.lines[examples + 1];
        assert.match(first, /^ {2}(\S+ .*\| )?kstatus /);
      }
      // The three ways of asking print the same text.
      assert.equal(runs[i * 3].stdout, runs[i * 3 + 1].stdout);
      assert.equal(runs[i * 3].stdout, runs[i * 3 + 2].stdout);
    });
  }
});

Deno.test("wait --help documents every flag of the issue and the exit codes", opts, async () => {
  const r = await runCli(["wait", "--help"]);
  for (
    const flag of [
      "--for <goal>",
      "--timeout <duration>",
      "--interval <duration>",
      "--reader <reader>",
      "-f, --filename <path>",
      "-l, --selector <selector>",
      "--kinds <kinds>",
      "-n, --namespace <namespace>",
      "--context <context>",
      "--kubeconfig <path>",
      "-o, --output <format>",
      "--fail-fast",
    ]
  ) assert.ok(r.stdout.includes(flag), `no ${flag} in\n${r.stdout}`);
  for (const flag of ["--require-observed", "--no-fail-terminal"]) {
    assert.ok(r.stdout.includes(flag), `no ${flag} in\n${r.stdout}`);
  }
  assert.match(
    r.stdout,
    /current, deleted \(or delete\), known, complete,\s+create, condition=TYPE/,
  );
  assert.match(r.stdout, /\(default: current\)/);
  assert.match(r.stdout, /Exit codes: 0 goal reached, 1 a resource Failed, 2 timed out/);
  assert.match(r.stdout, /kustomize build \. \| kstatus wait -f -/);
});

Deno.test("no command: usage on stderr, exit 3", opts, async () => {
  const r = await runCli([]);
  assert.equal(r.code, 3, explain(r));
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Usage: kstatus \[options\] \[command\]/);
});

Deno.test("an unknown command: exit 3 with a hint", opts, async () => {
  const r = await runCli(["wiat", "deploy/web"]);
  assert.equal(r.code, 3, explain(r));
  assert.match(r.stderr, /^error: unknown command 'wiat'/);
  assert.match(r.stderr, /\(Did you mean wait\?\)|run with --help/);
});

Deno.test("version: the version and the runtime", opts, async () => {
  const version = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)))
    .version;
  const [a, b] = await Promise.all([runCli(["version"]), runCli(["--version"])]);
  assert.equal(a.code, 0, explain(a));
  assert.equal(a.stdout, `kstatus ${version} (deno ${Deno.version.deno})\n`);
  assert.equal(b.stdout, a.stdout);
});
