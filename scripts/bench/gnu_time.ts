/**
 * A process run under GNU time (`/usr/bin/time`), for the CPU seconds and peak memory of whole
 * processes in the benchmarks.
 *
 * @module
 */

/** CPU seconds (user + system) and peak resident memory of a finished process. */
export interface Usage {
  /** User plus system CPU seconds. */
  cpuSeconds: number;
  /** Peak resident set size, MB. */
  peakMb: number;
}

/** Spawns `cmd` under GNU time with piped output; `usage()` reads its figures once it ended. */
export async function spawnTimed(
  cmd: string[],
): Promise<{ child: Deno.ChildProcess; usage: () => Promise<Usage> }> {
  const timeFile = await Deno.makeTempFile();
  const child = new Deno.Command("/usr/bin/time", {
    args: ["-f", "%U %S %M", "-o", timeFile, ...cmd],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const usage = async () => {
    await child.status;
    // A command that exits non-zero gets a line of its own before the figures.
    const last = (await Deno.readTextFile(timeFile)).trim().split("\n").at(-1)!;
    await Deno.remove(timeFile);
    const [user, sys, maxKb] = last.split(/\s+/).map(Number);
    return { cpuSeconds: user + sys, peakMb: maxKb / 1024 };
  };
  return { child, usage };
}
