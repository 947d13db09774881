/**
 * Warning events (events.k8s.io/v1): read once per namespace, matched to the objects of a
 * resource tree, folded by object and reason, newest first.
 *
 * @module
 */

import { isObject } from "../fields.ts";
import type { ResourceMapping } from "../kube/types.ts";
import type { KubeObject } from "../types.ts";
import type { DiagnosticEvent, DiagnosticsApi } from "./types.ts";

/** Where events are served. */
export const EVENTS: ResourceMapping = {
  group: "events.k8s.io",
  version: "v1",
  kind: "Event",
  resource: "events",
  namespaced: true,
};

/** The Warning events of a namespace (one LIST; the type is also checked here). */
export async function listWarningEvents(
  api: DiagnosticsApi,
  namespace: string,
  signal: AbortSignal,
): Promise<KubeObject[]> {
  const { items } = await api.list(EVENTS, namespace, { fieldSelector: "type=Warning", signal });
  return items.filter((e) => e.type === "Warning");
}

/** How an object is recognised in an event's `regarding`: by uid, else by kind and name. */
export interface EventSubject {
  /** Kind. */
  kind: string;
  /** Namespace. */
  namespace: string;
  /** Name. */
  name: string;
  /** `metadata.uid`, when known: an object deleted and created again is told apart. */
  uid?: string;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** When the event (or its series) last happened, in ms; NaN when it says nothing. */
function lastTimeOf(e: KubeObject): number {
  const series = isObject(e.series) ? e.series : {};
  const meta = isObject(e.metadata) ? e.metadata : {};
  for (
    const t of [
      series.lastObservedTime,
      e.deprecatedLastTimestamp,
      e.eventTime,
      meta.creationTimestamp,
    ]
  ) {
    const ms = typeof t === "string" ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms)) return ms;
  }
  return NaN;
}

function countOf(e: KubeObject): number {
  const series = isObject(e.series) ? e.series : {};
  for (const n of [series.count, e.deprecatedCount]) {
    if (typeof n === "number" && n > 0) return n;
  }
  return 1;
}

/**
 * The events about `subjects`, folded: one entry per object and reason with the summed count,
 * the newest message and time; newest first.
 */
export function foldEvents(
  events: readonly KubeObject[],
  subjects: readonly EventSubject[],
): DiagnosticEvent[] {
  // Kind, namespace and name; the uid too when both sides know it, so the events of an
  // earlier object of the same name (deleted and created again) are left out.
  const uids = new Map(subjects.map((s) => [`${s.kind}/${s.namespace}/${s.name}`, s.uid]));
  const folded = new Map<string, DiagnosticEvent & { ms: number }>();
  for (const e of events) {
    const regarding = isObject(e.regarding) ? e.regarding : {};
    const kind = str(regarding.kind);
    const name = str(regarding.name);
    const namespace = str(regarding.namespace) || str((e.metadata as KubeObject)?.namespace);
    const uid = str(regarding.uid);
    const subject = `${kind}/${namespace}/${name}`;
    const want = uids.get(subject);
    const known = uids.has(subject) && (!want || !uid || want === uid);
    if (!known) continue;
    const reason = str(e.reason);
    const key = `${kind}/${namespace}/${name}\n${reason}`;
    const ms = lastTimeOf(e);
    const message = str(e.note) || str(e.message);
    const entry = folded.get(key);
    if (!entry) {
      folded.set(key, {
        object: `${kind}/${name}`,
        namespace,
        type: str(e.type),
        reason,
        message,
        count: countOf(e),
        lastTime: Number.isNaN(ms) ? "" : rfc3339(ms),
        ms,
      });
      continue;
    }
    entry.count += countOf(e);
    if (!(ms <= entry.ms)) {
      entry.ms = ms;
      entry.message = message;
      entry.lastTime = Number.isNaN(ms) ? entry.lastTime : rfc3339(ms);
    }
  }
  return [...folded.values()]
    .sort((a, b) => (b.ms || 0) - (a.ms || 0) || a.object.localeCompare(b.object))
    .map(({ ms: _, ...entry }) => entry);
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}
