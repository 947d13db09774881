/**
 * Shell completion: `kstatus completion bash|zsh|fish|powershell` prints a script that asks the
 * hidden `kstatus __complete WORDS...` for the candidates of the last word. Commands, flags and
 * flag choices come from the command tree; contexts from the kubeconfig; namespaces, resource
 * types and object names from the cluster (a failure there gives no candidates, never an error).
 *
 * @module
 */

import { homedir } from "node:os";
import { resolve } from "node:path";
import process from "node:process";
import type { Command, Option } from "../deps/commander.ts";
import type { Connection, Connector } from "./connection.ts";
import { CliExit, ExitCode } from "./exit_codes.ts";

/** The shells `completion` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell", "kubectl"] as const;

/** The completion script for `shell`; `program` is the command's name (`kstatus`). */
export function completionScript(shell: string, program = "kstatus"): string {
  const fn = `_${program.replace(/[^A-Za-z0-9_]/g, "_")}`;
  switch (shell) {
    case "bash":
      return `# ${program} completion for bash: source <(${program} completion bash)
${fn}() {
  local IFS=$'\\n'
  COMPREPLY=($(${program} __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F ${fn} ${program}`;
    case "zsh":
      return `#compdef ${program}
# ${program} completion for zsh: source <(${program} completion zsh)
${fn}() {
  local -a candidates
  candidates=("\${(@f)$(${program} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates[@]} == 1 )) && [[ -z "\${candidates[1]}" ]]; then
    _files
  else
    compadd -- "\${candidates[@]}"
  fi
}
if (( $+functions[compdef] )); then compdef ${fn} ${program}; fi`;
    case "fish":
      return `# ${program} completion for fish: ${program} completion fish | source
complete -c ${program} -f -a '(${program} __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'`;
    case "powershell":
      return `# ${program} completion for PowerShell: ${program} completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName ${program} -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -eq '') { $words += '' }
  & ${program} __complete @words 2>$null | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}`;
    case "kubectl":
      // kubectl (1.26+) completes `kubectl kstatus ...` by running kubectl_complete-kstatus and
      // reading Cobra's protocol: candidates, then `:4` (no file names) or `:0` (file names).
      return `#!/bin/sh
# kubectl kstatus completion: save as kubectl_complete-${program} on the PATH, executable:
#   ${program} completion kubectl > ~/.local/bin/kubectl_complete-${program}
#   chmod +x ~/.local/bin/kubectl_complete-${program}
out=$(${program} __complete "$@" 2>/dev/null)
if [ -n "$out" ]; then printf '%s\n:4\n' "$out"; else echo :0; fi`;
    default:
      throw new CliExit(
        ExitCode.BadInput,
        `error: no completion for "${shell}"; one of ${SHELLS.join(", ")}`,
      );
  }
}

/** What dynamic completion reads. */
export interface CompletionIo {
  /** Writes one candidate per line. */
  out: (line: string) => void;
  /** Environment (`KUBECONFIG`, `HOME`). */
  env: Record<string, string | undefined>;
  /** Opens the cluster, for namespaces, types and names. */
  connect?: Connector;
}

/** Options that take a value: the flags of `option` as typed. */
function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function optionFor(cmd: Command, word: string): Option | undefined {
  return cmd.options.find((o) => o.long === word || o.short === word);
}

/** The value after `flag` among `words` (the last one given), if any. */
function flagValue(words: readonly string[], ...flags: string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < words.length - 1; i++) {
    if (flags.includes(words[i])) value = words[i + 1];
    for (const f of flags) {
      if (f.startsWith("--") && words[i].startsWith(`${f}=`)) value = words[i].slice(f.length + 1);
    }
  }
  return value;
}

async function contexts(words: readonly string[], env: CompletionIo["env"]): Promise<string[]> {
  const { readKubeconfigs } = await import("../kube/kubeconfig.ts");
  const explicit = flagValue(words, "--kubeconfig");
  const files = explicit
    ? [resolve(explicit)]
    : env.KUBECONFIG
    ? env.KUBECONFIG.split(process.platform === "win32" ? ";" : ":").filter(Boolean)
    : [resolve(env.HOME ?? homedir(), ".kube", "config")];
  const merged = await readKubeconfigs(files, { skipMissing: true });
  return [...merged.contexts.keys()];
}

/** Candidates from the cluster; any failure (no kubeconfig, no server) gives none. */
async function fromCluster(
  words: readonly string[],
  io: CompletionIo,
  ask: (conn: Connection, signal: AbortSignal) => Promise<string[]>,
): Promise<string[]> {
  if (!io.connect) return [];
  // A shell waits for completion: give up quickly.
  const signal = AbortSignal.timeout(3000);
  let conn: Connection | undefined;
  try {
    conn = await io.connect({
      kubeconfig: flagValue(words, "--kubeconfig"),
      context: flagValue(words, "--context"),
      namespace: flagValue(words, "-n", "--namespace"),
    }, io.env);
    return await ask(conn, signal);
  } catch {
    return [];
  } finally {
    conn?.close();
  }
}

async function names(
  words: readonly string[],
  io: CompletionIo,
  type: string,
): Promise<string[]> {
  return await fromCluster(words, io, async (conn, signal) => {
    const gk = await conn.resolveKind(type, signal);
    const mapping = await conn.api.mapper.mapping(gk, { signal });
    const { items } = await conn.api.list(mapping, mapping.namespaced ? conn.namespace : "", {
      signal,
    });
    return items.map((o) => String((o.metadata as { name?: unknown } | undefined)?.name ?? ""));
  });
}

/**
 * The candidates for the last of `words` (the word being typed; `""` for a new one), the words
 * before it being the command line after the program's name.
 */
export async function complete(
  program: Command,
  words: readonly string[],
  io: CompletionIo,
): Promise<string[]> {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  const visible = program.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden);
  if (before.length === 0) return visible.map((c) => c.name()).concat("help");
  const cmd = program.commands.find((c) =>
    c.name() === before[0] || c.aliases().includes(before[0])
  );
  if (!cmd) return [];
  if (cmd.commands.length > 0 && before.length === 1) return cmd.commands.map((c) => c.name());
  if (cmd.name() === "completion") return before.length === 1 ? [...SHELLS] : [];

  const prev = before.at(-1)!;
  const prevOption = before.length > 1 ? optionFor(cmd, prev) : undefined;
  if (prevOption && takesValue(prevOption)) {
    const long = prevOption.long;
    if (long === "--context") return await contexts(words, io.env).catch(() => []);
    if (long === "--namespace") {
      return await fromCluster(words, io, async (conn, signal) => {
        const mapping = await conn.api.mapper.mapping({ group: "", kind: "Namespace" }, { signal });
        const { items } = await conn.api.list(mapping, "", { signal });
        return items.map((o) => String((o.metadata as { name?: unknown } | undefined)?.name));
      });
    }
    if (long === "--kinds") {
      const head = current.includes(",") ? current.slice(0, current.lastIndexOf(",") + 1) : "";
      const types = await fromCluster(
        words,
        io,
        async (c, signal) => (await c.resourceTypes?.(signal)) ?? [],
      );
      return types.map((t) => head + t);
    }
    // Choices, or nothing: the shell completes file names (-f, --kubeconfig, --rules).
    return prevOption.argChoices ?? [];
  }
  if (current.startsWith("-")) {
    return cmd.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f);
  }
  if (!["wait", "status", "explain"].includes(cmd.name())) return [];
  // Positional arguments: TYPE then NAMEs, or KIND/NAME.
  const positionals: string[] = [];
  for (let i = 1; i < before.length; i++) {
    const option = optionFor(cmd, before[i]);
    if (option) {
      if (takesValue(option)) i++;
      continue;
    }
    if (!before[i].startsWith("-")) positionals.push(before[i]);
  }
  if (current.includes("/")) {
    const type = current.slice(0, current.indexOf("/"));
    return (await names(words, io, type)).map((n) => `${type}/${n}`);
  }
  if (positionals.length > 0 && !positionals[0].includes("/")) {
    return await names(words, io, positionals[0]);
  }
  return await fromCluster(words, io, async (c, signal) => (await c.resourceTypes?.(signal)) ?? []);
}

/** Adds `completion SHELL` and the hidden `__complete WORDS...` to `program`. */
export function installCompletionCommands(
  program: Command,
  io: CompletionIo,
): void {
  program.command("completion")
    .description("print a shell completion script (bash, zsh, fish, powershell, kubectl)")
    .argument("<shell>", SHELLS.join(", "))
    .addHelpText(
      "after",
      `
Completes commands, flags, flag values, kubeconfig contexts, and from the cluster: namespaces,
resource types and object names.

Examples:
  source <(kstatus completion bash)                  # bash, in ~/.bashrc
  source <(kstatus completion zsh)                   # zsh, in ~/.zshrc
  kstatus completion fish | source                   # fish, in ~/.config/fish/config.fish
  kstatus completion powershell | Out-String | Invoke-Expression   # PowerShell, in $PROFILE
  kstatus completion kubectl > ~/.local/bin/kubectl_complete-kstatus  # kubectl kstatus <TAB>`,
    )
    .action((shell: string) => {
      io.out(completionScript(shell));
    });
  program.command("__complete", { hidden: true })
    .argument("[words...]")
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const current = words.at(-1) ?? "";
      const candidates = await complete(program, words.length ? words : [""], io);
      for (const c of new Set(candidates)) if (c.startsWith(current)) io.out(c);
    });
}
