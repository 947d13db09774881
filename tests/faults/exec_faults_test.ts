/**
 * Hostile exec credential plugins: one that hangs and leaves a child holding
 * its stdout, one that floods stdout. kstatus ends within a second of its
 * timeout or a signal, kills the plugin's whole process group, reads at most
 * 1 MiB, and gives up on a plugin after its own timeout.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runExecPlugin } from "../../lib/kube/exec.ts";
import type { ExecConfig } from "../../lib/kube/config.ts";
import { startFakeApiServer } from "../support/fake_apiserver.ts";
import { deployment } from "../watch/helpers.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Writes an executable shell script; `marker` names the processes it starts. */
async function script(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

/** Live (not zombie) processes whose command line contains `marker`. */
function alive(marker: string): string[] {
  const out = new Deno.Command("ps", { args: ["-eo", "pid,stat,args"] }).outputSync();
  return new TextDecoder().decode(out.stdout).split("\n")
    .filter((l) => l.includes(marker) && !/\sZ/.test(l.slice(0, 14)) && !l.includes("ps -eo"));
}

function execConfig(command: string): ExecConfig {
  return {
    command,
    args: [],
    env: [],
    apiVersion: "client.authentication.k8s.io/v1",
    interactiveMode: "Never",
    provideClusterInfo: false,
  };
}

Deno.test("faults: a hanging exec plugin and its child are killed by the plugin timeout", async () => {
  const dir = await Deno.makeTempDir();
  const marker = `kstatus-hang-${crypto.randomUUID().slice(0, 8)}`;
  try {
    // A child in the background holding stdout, the script itself sleeping; the `: marker`
    // shows in `ps` as part of each shell's command line.
    const plugin = await script(
      dir,
      "hang.sh",
      `sh -c 'sleep 300; : ${marker}' &\nsleep 301; : ${marker}`,
    );
    const t0 = performance.now();
    await assert.rejects(
      runExecPlugin(execConfig(plugin), {
        cluster: { server: "https://x", insecureSkipVerify: false },
        timeoutMs: 300,
      }),
      /did not finish within 0.3s/,
    );
    assert.ok(performance.now() - t0 < 1_500);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(alive(marker), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("faults: an exec plugin flooding stdout is stopped at 1 MiB", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const plugin = await script(dir, "flood.sh", "exec cat /dev/zero");
    const t0 = performance.now();
    await assert.rejects(
      runExecPlugin(execConfig(plugin), {
        cluster: { server: "https://x", insecureSkipVerify: false },
      }),
      /printed more than 1048576 bytes/,
    );
    assert.ok(performance.now() - t0 < 3_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** What a hanging plugin's run is asked to do, and how it is ended. */
interface HangCase {
  name: string;
  args: string[];
  /** Ended by a signal rather than its own deadline. */
  sigterm?: boolean;
}

const HANG_CASES: HangCase[] = [
  { name: "--timeout", args: ["wait", "deploy/web", "-n", "ns", "--timeout", "2s"] },
  {
    name: "--timeout with -o json",
    args: ["wait", "deploy/web", "-n", "ns", "--timeout", "2s", "-o", "json"],
  },
  {
    name: "status --request-timeout",
    args: ["status", "deploy/web", "-n", "ns", "--request-timeout", "2s"],
  },
  {
    name: "SIGTERM",
    args: ["wait", "deploy/web", "-n", "ns", "--timeout", "60s"],
    sigterm: true,
  },
];

for (const c of HANG_CASES) {
  Deno.test(`faults: wait with a hanging exec plugin ends within a second of ${c.name}, plugin group killed`, async () => {
    const marker = `kstatus-hang-${crypto.randomUUID().slice(0, 8)}`;
    // The marker in the path, so the script's own process shows it too.
    const dir = await Deno.makeTempDir({ prefix: marker });
    const api = await startFakeApiServer({ clientCert: "optional" });
    try {
      api.put(deployment("web", 0));
      const plugin = await script(
        dir,
        "hang.sh",
        `sh -c 'sleep 300; : ${marker}' &\nsleep 301; : ${marker}`,
      );
      const kubeconfig = await api.kubeconfig({
        auth: "exec",
        exec: { command: plugin, apiVersion: "client.authentication.k8s.io/v1" },
      });
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, ...c.args, "--kubeconfig", kubeconfig],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).spawn();
      // The plugin has started (its child is there), then the deadline or the signal.
      for (let i = 0; i < 100 && alive(marker).length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(alive(marker).length >= 1, "the plugin was started");
      const t0 = performance.now();
      if (c.sigterm) child.kill("SIGTERM");
      const { code, stdout, stderr } = await child.output();
      const err = new TextDecoder().decode(stderr);
      const out = new TextDecoder().decode(stdout);
      if (c.sigterm) {
        assert.equal(code, 143, err);
        assert.ok(
          performance.now() - t0 < 1_500,
          `exited ${performance.now() - t0} ms after SIGTERM`,
        );
      } else {
        // Nothing could be read: exit 4 naming the plugin, not 2 ("not ready yet"). The plugin
        // started after `deno run`'s start-up; the 2 s deadline ends the run within a second.
        assert.equal(code, 4, err);
        assert.ok(performance.now() - t0 < 3_000, `took ${performance.now() - t0} ms`);
        const said = c.args[0] === "status"
          ? /exec plugin ".*hang\.sh": did not answer within the request timeout \(2s\)/
          : /timed out after 2\.0s: exec plugin ".*hang\.sh" has not answered after [12]\.\ds/;
        assert.match(err, said);
        if (c.args.includes("json")) {
          const lines = out.trim().split("\n").map((l) => JSON.parse(l));
          const error = lines.find((l) => l.type === "error");
          assert.equal(error?.exitCode, 4, out);
          assert.match(error.error, said);
          assert.equal(lines.at(-1).type, "summary");
          assert.equal(lines.at(-1).exitCode, 4);
          assert.ok(lines.at(-1).elapsedMs < 3_000, `elapsed ${lines.at(-1).elapsedMs} ms`);
        }
      }
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(alive(marker), [], "no process of the plugin left");
    } finally {
      await api.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
