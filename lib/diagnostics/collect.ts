/**
 * `collectDiagnostics`: why resources are not at their goal, gathered through the API within
 * limits and a deadline.
 *
 * @module
 */

import { isNoMatch, isNotFound, isRefusal } from "../cluster/errors.ts";
import type { ResourceStatus } from "../types.ts";
import { foldEvents, listWarningEvents } from "./events.ts";
import { deadline, runBounded } from "./limits.ts";
import { type LogTarget, logTargets, readLog } from "./logs.ts";
import { eventSubjects, explainingChildren, podsOf } from "./tree.ts";
import {
  DEFAULT_DIAGNOSTICS_LIMITS,
  type Diagnostics,
  type DiagnosticsApi,
  type DiagnosticsOptions,
} from "./types.ts";
import type { KubeObject } from "../types.ts";

/**
 * Gathers diagnostics for each of `statuses` (usually those not at their goal): the deciding
 * rule and the children that explain it, Warning events of the resource and its children
 * (one LIST per namespace), and the last lines of containers that crashed, exited non-zero or
 * restarted. Requests run a few at a time under one deadline (default 5 s); every limit
 * reached and every failure (`events: forbidden (403)`) becomes a note, never an exception.
 * The result is in the order of `statuses`.
 *
 * @example
 * ```ts
 * import { collectDiagnostics, type DiagnosticsApi, type ResourceStatus } from "@kstatus/kstatus";
 * import assert from "node:assert/strict";
 *
 * // Any KubeApi (the client of `@kstatus/kstatus/kube`, an in-memory cluster) will do.
 * const api: DiagnosticsApi = {
 *   list: () => Promise.resolve({ items: [] }),
 *   logs: () => Promise.resolve("starting\npanic: no config\n"),
 * };
 * const pod: ResourceStatus = {
 *   identifier: { group: "", kind: "Pod", namespace: "shop", name: "web-1" },
 *   status: "Failed",
 *   message: "Containers in CrashLoop state: app",
 *   decidedBy: "container app waiting: CrashLoopBackOff",
 *   resource: {
 *     metadata: { name: "web-1", namespace: "shop" },
 *     status: { containerStatuses: [{ name: "app", restartCount: 3 }] },
 *   },
 *   generatedResources: [],
 * };
 * const [d] = await collectDiagnostics(api, [pod], { tailLines: 10 });
 * assert.equal(d.rule.decidedBy, "container app waiting: CrashLoopBackOff");
 * assert.deepEqual(d.logs[0].lines, ["starting", "panic: no config"]);
 * assert.equal(d.logs[0].previous, true);
 * ```
 */
export async function collectDiagnostics(
  api: DiagnosticsApi,
  statuses: readonly ResourceStatus[],
  options: DiagnosticsOptions = {},
): Promise<Diagnostics[]> {
  const limits = { ...DEFAULT_DIAGNOSTICS_LIMITS, ...definedOnly(options) };
  const deadlineMs = options.deadlineMs ?? 5000;
  const results: Diagnostics[] = statuses.map((s) => ({
    rule: {
      ...(s.rule ? { id: s.rule } : {}),
      ...(s.decidedBy ? { decidedBy: s.decidedBy } : {}),
      because: explainingChildren(s),
    },
    events: [],
    logs: [],
    notes: [],
  }));
  const note = (i: number, text: string) => {
    if (!results[i].notes.includes(text)) results[i].notes.push(text);
  };
  const { signal, release } = deadline(deadlineMs, options.signal);
  // What is not done when the deadline passes is said, and late answers are ignored.
  let open = true;
  const tasks: Array<{ what: string; owners: number[]; run: () => Promise<void> }> = [];

  if (options.events !== false) {
    const byNamespace = new Map<string, number[]>();
    statuses.forEach((s, i) => {
      const owners = byNamespace.get(s.identifier.namespace) ?? [];
      owners.push(i);
      byNamespace.set(s.identifier.namespace, owners);
    });
    for (const [namespace, owners] of byNamespace) {
      tasks.push({
        what: "events",
        owners,
        run: async () => {
          let events: KubeObject[];
          try {
            events = await listWarningEvents(api, namespace, signal);
          } catch (e) {
            if (signal.aborted) throw e; // said as late, below
            if (!open) return;
            for (const i of owners) note(i, `events: ${failure(e)}`);
            return;
          }
          if (!open) return;
          for (const i of owners) {
            const folded = foldEvents(events, eventSubjects(statuses[i]));
            results[i].events = folded.slice(0, limits.eventsPerResource);
            const more = folded.length - results[i].events.length;
            if (more > 0) {
              note(i, `events: ${more} more not shown (at most ${limits.eventsPerResource})`);
            }
          }
        },
      });
    }
  }

  if (options.logs !== false) {
    const logs = api.logs ? (api as Required<DiagnosticsApi>) : undefined;
    let budget = limits.logRequests;
    statuses.forEach((s, i) => {
      const pods = podsOf(s).map((p) => logTargets(p.resource!)).filter((t) => t.length > 0);
      if (pods.length === 0) return;
      if (!logs) {
        note(i, "logs: not served by this API");
        return;
      }
      if (pods.length > limits.podsPerResource) {
        note(
          i,
          `logs: ${pods.length - limits.podsPerResource} more pods not read ` +
            `(at most ${limits.podsPerResource} per resource)`,
        );
      }
      const targets: LogTarget[] = pods.slice(0, limits.podsPerResource).flat();
      const allowed = targets.slice(0, Math.max(0, budget));
      budget -= allowed.length;
      if (allowed.length < targets.length) {
        note(
          i,
          `logs: ${targets.length - allowed.length} containers not read ` +
            `(at most ${limits.logRequests} log requests per run)`,
        );
      }
      for (const target of allowed) {
        tasks.push({
          what: `logs of ${target.pod}/${target.container}`,
          owners: [i],
          run: async () => {
            try {
              const log = await readLog(logs!, target, limits, signal);
              if (open) results[i].logs.push(log);
            } catch (e) {
              if (signal.aborted) throw e; // said as late, below
              if (!open) return;
              const f = failure(e);
              // One note for a refusal, which is the same for every pod.
              note(
                i,
                isRefusal(e) ? `logs: ${f}` : `logs of ${target.pod}/${target.container}: ${f}`,
              );
            }
          },
        });
      }
    });
  }

  try {
    const done = new Set<number>();
    const wrapped = tasks.map((t, i) => () => t.run().then(() => void done.add(i)));
    await Promise.race([
      runBounded(wrapped, options.concurrency ?? 4, signal),
      new Promise<void>((resolve) => {
        // Requests end on the signal; this only guards against one that does not.
        const later = () => setTimeout(resolve, 50);
        if (signal.aborted) later();
        signal.addEventListener("abort", later, { once: true });
      }),
    ]);
    open = false;
    const why = options.signal?.aborted
      ? "stopped"
      : `not read within the ${deadlineMs} ms deadline`;
    tasks.forEach((t, i) => {
      if (!done.has(i)) { for (const o of t.owners) note(o, `${t.what}: ${why}`); }
    });
  } finally {
    release();
  }
  for (const r of results) {
    r.logs.sort((a, b) => a.pod.localeCompare(b.pod) || a.container.localeCompare(b.container));
  }
  return results;
}

/** An error as a short note: `forbidden (403)`, `not served by this cluster`, or its message. */
function failure(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (isRefusal(e)) return code === 401 ? "unauthorized (401)" : "forbidden (403)";
  if (isNoMatch(e)) return "not served by this cluster";
  if (isNotFound(e)) return `not found (404): ${firstLine(e)}`;
  return typeof code === "number" ? `${firstLine(e)} (${code})` : firstLine(e);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

function definedOnly(options: DiagnosticsOptions): Partial<DiagnosticsOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
