/**
 * The reporter's live Warning events (`--events`) in each output mode, and escaping of what came
 * from the cluster.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ResourceStatusCollector } from "../../lib/engine/collector.ts";
import type { Event } from "../../lib/engine/events.ts";
import { createReporter, type ReportMode } from "../../lib/cli/reporter.ts";
import type { DiagnosticEvent, ResourceStatus } from "../../mod.ts";

const id = { group: "apps", kind: "Deployment", namespace: "shop", name: "web" };
const web: ResourceStatus = {
  identifier: id,
  status: "InProgress",
  message: "Available: 0/1",
  generatedResources: [],
};
const backOff: DiagnosticEvent = {
  object: "Pod/web-1",
  namespace: "shop",
  type: "Warning",
  reason: "BackOff",
  message: "Back-off restarting \x1b[2Jfailed container",
  count: 3,
  lastTime: "2026-01-01T10:00:00Z",
};

function run(mode: ReportMode): string[] {
  const out: string[] = [];
  const reporter = createReporter({
    mode,
    out: (l) => out.push(l),
    color: false,
    now: () => Date.parse("2026-01-01T10:00:05Z"),
    startedAt: Date.parse("2026-01-01T10:00:00Z"),
    goal: "current",
    target: "Current",
  });
  const collector = new ResourceStatusCollector([id]);
  const update: Event = { type: "ResourceUpdate", resource: web };
  collector.apply(update);
  reporter.event(update, collector);
  reporter.warning(backOff);
  reporter.notice("live events: forbidden (403) in namespace other");
  reporter.finish({ kind: "timeout" }, collector, 2);
  return out;
}

const LINE =
  "event: Warning BackOff on Pod/shop/web-1 (3 times): Back-off restarting \\e[2Jfailed container";

Deno.test("--events, events output: a line per event and per note, escaped", () => {
  const out = run("events");
  assert.deepEqual(out.slice(1, 3), [
    LINE,
    "note: live events: forbidden (403) in namespace other",
  ]);
});

Deno.test("--events, json output: event and note lines, text exact", () => {
  const lines = run("json").map((l) => JSON.parse(l));
  assert.deepEqual(lines[1], { type: "event", timestamp: "2026-01-01T10:00:05Z", event: backOff });
  assert.equal(lines[2].type, "note");
});

Deno.test("--events, live table: the newest events under the table, redrawn", () => {
  const out = run("live").join("\n");
  // The last drawing (the final one) still shows the event under the table.
  const last = out.slice(out.lastIndexOf("kstatus: 0/1 Current"));
  assert.ok(last.includes(LINE), last);
  assert.ok(last.indexOf(LINE) > last.indexOf("Deployment/web"), last);
});

Deno.test("--events, table output off a terminal: nothing live", () => {
  assert.ok(!run("table").some((l) => l.includes("BackOff")));
});
