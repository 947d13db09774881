import assert from "node:assert/strict";
import { createReporter } from "../../lib/cli/reporter.ts";
import { ResourceStatusCollector } from "../../lib/engine/collector.ts";
import type { ResourceStatus } from "../../mod.ts";

Deno.test("the live header counts Failed resources: `, N Failed`", () => {
  const id = (name: string) => ({ group: "batch", kind: "Job", namespace: "ns", name });
  const status = (name: string, s: ResourceStatus["status"], met: boolean): ResourceStatus => ({
    identifier: id(name),
    status: s,
    message: "",
    generatedResources: [],
    goal: { met },
  });
  const lines: string[] = [];
  const reporter = createReporter({
    mode: "live",
    out: (l) => lines.push(l),
    color: false,
    width: 100,
    height: 20,
    now: () => 1500,
    startedAt: 0,
    goal: "complete",
    target: "complete",
  });
  const collector = new ResourceStatusCollector([id("a"), id("b"), id("c")]);
  for (const s of [status("a", "Current", true), status("b", "Failed", false)]) {
    const event = { type: "ResourceUpdate" as const, resource: s };
    collector.apply(event);
    reporter.event(event, collector);
  }
  reporter.finish({ kind: "failed" }, collector, 1);
  const headers = lines.join("\n").split("\n").filter((l) => l.includes("kstatus: "));
  assert.match(headers.at(-1)!, /kstatus: 1\/3 complete, 1 Failed {2}\(1\.5s\)/);
  assert.match(headers[0], /kstatus: 1\/3 complete {2}\(1\.5s\)/);
});
