// Shell completion: the bash script loads in bash and completes through `kstatus __complete`,
// with commands, flags, choices, kubeconfig contexts, and namespaces, types and names from the
// cluster; the other shells' scripts are what they should be.

import assert from "node:assert/strict";
import { completionScript } from "../../lib/cli/completion.ts";
import { explain, MAIN, runCli, startCluster } from "./fixtures/harness.ts";
import { deployment } from "./fixtures/objects.ts";

const opts = { sanitizeOps: true, sanitizeResources: true };

/** Runs the bash completion of `line` (the cursor at its end) with kstatus from this tree. */
async function bashComplete(line: string, env: Record<string, string>): Promise<string[]> {
  const script = (await runCli(["completion", "bash"])).stdout;
  const kstatus = `${Deno.execPath()} run -A --quiet ${MAIN}`;
  const program = `
kstatus() { ${kstatus} "$@"; }
${script}
COMP_LINE=${JSON.stringify(line)}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_kstatus
printf '%s\\n' "\${COMPREPLY[@]}"
complete -p kstatus >&2
`;
  const out = await new Deno.Command("bash", {
    args: ["-c", program],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, stderr);
  assert.match(stderr, /complete -o default -F _kstatus kstatus/);
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
}

Deno.test("completion bash: loads, completes commands, flags and choices", opts, async () => {
  assert.deepEqual(await bashComplete("kstatus ", {}), [
    "version",
    "compute",
    "wait",
    "status",
    "explain",
    "rules",
    "completion",
    "help",
  ]);
  assert.deepEqual(await bashComplete("kstatus wa", {}), ["wait"]);
  assert.deepEqual(await bashComplete("kstatus wait --fail-f", {}), ["--fail-fast"]);
  assert.deepEqual(await bashComplete("kstatus status -o ", {}), [
    "auto",
    "table",
    "events",
    "json",
  ]);
  assert.deepEqual(await bashComplete("kstatus completion ", {}), [
    "bash",
    "zsh",
    "fish",
    "powershell",
    "kubectl",
  ]);
});

Deno.test("completion: contexts, namespaces, types and names from the cluster", opts, async () => {
  await using c = await startCluster();
  c.api.put(deployment("web", { ready: 2 }));
  c.api.put(deployment("api", { ready: 2 }));
  c.api.put(deployment("db", { ready: 2, namespace: "data" }));
  for (const name of ["default", "data"]) {
    c.api.put({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
  const env = { KUBECONFIG: c.kubeconfig };
  const contexts = await bashComplete("kstatus wait --context ", env);
  assert.ok(contexts.length >= 1, "the kubeconfig's contexts");
  assert.deepEqual(await bashComplete("kstatus wait -n da", env), ["data"]);
  assert.deepEqual(await bashComplete("kstatus wait deploym", env), ["deployment"]);
  assert.deepEqual((await bashComplete("kstatus wait deployment ", env)).sort(), ["api", "web"]);
  assert.deepEqual(await bashComplete("kstatus status -n data deployment/", env), [
    "deployment/db",
  ]);
  assert.deepEqual(await bashComplete("kstatus wait --kinds deployment,replicas", env), [
    "deployment,replicaset",
  ]);
});

Deno.test("completion: no cluster gives no candidates and no error", opts, async () => {
  const r = await runCli(["__complete", "wait", "deployment", ""], {
    env: { KUBECONFIG: "/nonexistent/kubeconfig" },
  });
  assert.equal(r.code, 0, explain(r));
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "");
});

Deno.test("completion scripts for zsh, fish and PowerShell call __complete", async () => {
  assert.match(completionScript("zsh"), /^#compdef kstatus\n[\s\S]*kstatus __complete/);
  assert.match(completionScript("fish"), /complete -c kstatus -f -a '\(kstatus __complete /);
  assert.match(
    completionScript("powershell"),
    /Register-ArgumentCompleter -Native -CommandName kstatus/,
  );
  const r = await runCli(["completion", "tcsh"]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /no completion for "tcsh"; one of bash, zsh, fish, powershell, kubectl/);
});

Deno.test("completion kubectl: Cobra's protocol for kubectl_complete-kstatus", opts, async () => {
  const dir = await Deno.makeTempDir({ prefix: "kstatus-complete-" });
  try {
    await Deno.writeTextFile(
      `${dir}/kstatus`,
      `#!/bin/sh\nexec ${Deno.execPath()} run -A --quiet ${MAIN} "$@"\n`,
    );
    await Deno.writeTextFile(
      `${dir}/kubectl_complete-kstatus`,
      (await runCli(["completion", "kubectl"])).stdout,
    );
    await Deno.chmod(`${dir}/kstatus`, 0o755);
    await Deno.chmod(`${dir}/kubectl_complete-kstatus`, 0o755);
    const complete = async (...args: string[]) => {
      const out = await new Deno.Command(`${dir}/kubectl_complete-kstatus`, {
        args,
        env: { PATH: `${dir}:${Deno.env.get("PATH")}` },
        stdout: "piped",
      }).output();
      return new TextDecoder().decode(out.stdout);
    };
    assert.equal(await complete("st"), "status\n:4\n");
    assert.equal(await complete("wait", "-f", ""), ":0\n", "file names for -f");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
