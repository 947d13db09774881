/**
 * Diagnostics as text: an indented block per resource, printed after a wait's summary (events
 * and table outputs) and by `kstatus explain`. Everything that came from the cluster is escaped
 * (a log line must not drive the terminal); JSON output carries the same data exactly.
 *
 * @module
 */

import type { Diagnostics } from "../diagnostics/types.ts";
import { escapeControl } from "../text/escape.ts";
import type { ResourceStatus } from "../types.ts";
import { formatEventLine } from "./events.ts";

/**
 * The lines of one resource's diagnostics, indented under its status line: its rule, the children that explain it, its events,
 * the log lines (prefixed `pod/container |`) and the notes.
 *
 * @example
 * ```ts
 * import { renderDiagnostics } from "./diagnostics.ts";
 * const lines = renderDiagnostics(
 *   {
 *     identifier: { group: "apps", kind: "Deployment", namespace: "shop", name: "web" },
 *     status: "InProgress",
 *     message: "Available: 0/1",
 *     generatedResources: [],
 *   },
 *   {
 *     rule: { id: "contract:apps/Deployment", decidedBy: "status.availableReplicas 0 < 1", because: [] },
 *     events: [],
 *     logs: [{ pod: "web-1", container: "app", previous: true, lines: ["boom"], truncated: false }],
 *     notes: [],
 *   },
 * );
 * console.log(lines.join("\n"));
 * //   deployment.apps/shop/web is InProgress: Available: 0/1
 * //     rule: contract:apps/Deployment: status.availableReplicas 0 < 1
 * //     logs of web-1/app (previous instance, last 1 lines):
 * //       web-1/app | boom
 * ```
 */
export function renderDiagnostics(status: ResourceStatus, d: Diagnostics): string[] {
  const e = escapeControl;
  const out = [`  ${e(formatEventLine(status))}`];
  const rule = [d.rule.id, d.rule.decidedBy].filter(Boolean).map((t) => e(t!)).join(": ");
  if (rule) out.push(`    rule: ${rule}`);
  for (const line of d.rule.because) out.push(`    because: ${e(line)}`);
  for (const ev of d.events) {
    const times = ev.count > 1 ? `${ev.count} times, last ` : "";
    const when = ev.lastTime ? ` (${times}${ev.lastTime})` : "";
    out.push(
      `    event: ${e(ev.type)} ${e(ev.reason)} on ${e(ev.object)}${when}: ${e(ev.message)}`,
    );
  }
  for (const log of d.logs) {
    const where = `${e(log.pod)}/${e(log.container)}`;
    const which = log.previous ? "previous instance" : "current instance";
    const cut = log.truncated ? ", older lines cut at the byte limit" : "";
    if (log.lines.length === 0) {
      out.push(`    logs of ${where} (${which}): empty`);
      continue;
    }
    out.push(`    logs of ${where} (${which}, last ${log.lines.length} lines${cut}):`);
    for (const line of log.lines) out.push(`      ${where} | ${e(line)}`);
  }
  for (const note of d.notes) out.push(`    note: ${e(note)}`);
  return out;
}
