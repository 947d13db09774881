/**
 * Warning events as they arrive during a wait (`--events`): one WATCH of events.k8s.io/v1 per
 * namespace, from the moment the wait starts, resumed where it left off when the server ends it.
 *
 * @module
 */

import { isRefusal } from "../cluster/errors.ts";
import { isObject } from "../fields.ts";
import type { KubeApi } from "../cluster/types.ts";
import type { KubeObject } from "../types.ts";
import { EVENTS, foldEvents } from "./events.ts";
import type { DiagnosticEvent } from "./types.ts";

/** What `watchWarningEvents` calls. */
export interface LiveEventHandlers {
  /** A new or repeated Warning event (folded: its count is the event series' count). */
  event(event: DiagnosticEvent): void;
  /** Events cannot be watched in a namespace (`events: forbidden (403)`); said once. */
  note(namespace: string, text: string): void;
}

/**
 * Watches Warning events in `namespaces` until `signal` aborts. Only events that happen from now
 * on are reported. A refusal ends the namespace's watch with a note; other failures are retried
 * after a second.
 */
export async function watchWarningEvents(
  api: Pick<KubeApi, "list" | "watch">,
  namespaces: readonly string[],
  handlers: LiveEventHandlers,
  signal: AbortSignal,
): Promise<void> {
  await Promise.all(namespaces.map((ns) => watchNamespace(api, ns, handlers, signal)));
}

async function watchNamespace(
  api: Pick<KubeApi, "list" | "watch">,
  namespace: string,
  handlers: LiveEventHandlers,
  signal: AbortSignal,
): Promise<void> {
  if (!api.watch) {
    handlers.note(namespace, "events: this API cannot watch");
    return;
  }
  let resourceVersion: string | undefined;
  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        // Where "now" is: the list's resourceVersion (one page in all but huge namespaces; a
        // smaller page would not help, the client reads every page).
        const list = await api.list(EVENTS, namespace, { fieldSelector: "type=Warning", signal });
        resourceVersion = list.resourceVersion ?? "";
      }
      for await (
        const ev of api.watch(EVENTS, namespace, {
          fieldSelector: "type=Warning",
          resourceVersion: resourceVersion || undefined,
          allowWatchBookmarks: true,
          signal,
        })
      ) {
        const rv = (ev.object.metadata as KubeObject | undefined)?.resourceVersion;
        if (typeof rv === "string") resourceVersion = rv;
        if (ev.type !== "ADDED" && ev.type !== "MODIFIED") continue;
        const folded = asDiagnosticEvent(ev.object);
        if (folded) handlers.event(folded);
      }
    } catch (e) {
      if (signal.aborted) return;
      if (isRefusal(e)) {
        handlers.note(
          namespace,
          `events: ${
            (e as { code?: number }).code === 401 ? "unauthorized (401)" : "forbidden (403)"
          }`,
        );
        return;
      }
      // 410 Gone: the resourceVersion is too old; start again from now.
      if ((e as { code?: number }).code === 410) resourceVersion = undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 1000);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          resolve();
        }
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }
}

/** One event as diagnostics show it, whatever object it is about. */
function asDiagnosticEvent(e: KubeObject): DiagnosticEvent | undefined {
  if (e.type !== "Warning") return undefined;
  const regarding = isObject(e.regarding) ? e.regarding : {};
  const subject = {
    kind: String(regarding.kind ?? ""),
    namespace: String(regarding.namespace ?? ""),
    name: String(regarding.name ?? ""),
  };
  return foldEvents([e], [subject])[0];
}
