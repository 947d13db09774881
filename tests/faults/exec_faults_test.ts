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

for (const how of ["--timeout", "SIGTERM"] as const) {
  Deno.test(`faults: wait with a hanging exec plugin ends within a second of ${how}, plugin group killed`, async () => {
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
        args: [
          "run",
          "-A",
          MAIN,
          "wait",
          "deploy/web",
          "-n",
          "ns",
          "--timeout",
          how === "--timeout" ? "2s" : "60s",
          "--kubeconfig",
          kubeconfig,
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).spawn();
      const started = performance.now();
      // The plugin has started (its child is there), then the deadline or the signal.
      for (let i = 0; i < 100 && alive(marker).length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(alive(marker).length >= 1, "the plugin was started");
      const t0 = performance.now();
      if (how === "SIGTERM") child.kill("SIGTERM");
      const { code, stderr } = await child.output();
      const err = new TextDecoder().decode(stderr);
      if (how === "--timeout") {
        assert.equal(code, 2, err);
        // Start-up of `deno run` included: well under the plugin's own 30 s.
        assert.ok(performance.now() - started < 5_000, `took ${performance.now() - started} ms`);
        assert.match(err, /timed out after 2(\.0)?s before the resources to wait for were known/);
      } else {
        assert.equal(code, 143, err);
        assert.ok(
          performance.now() - t0 < 1_500,
          `exited ${performance.now() - t0} ms after SIGTERM`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(alive(marker), [], "no process of the plugin left");
    } finally {
      await api.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
