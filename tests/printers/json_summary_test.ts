import assert from "node:assert/strict";
import {
  type JsonResource,
  jsonSummaryLine,
  jsonSummaryLineOfTexts,
} from "../../lib/printers/json.ts";

Deno.test("jsonSummaryLineOfTexts: the line jsonSummaryLine writes, resources given as text", () => {
  const resources: JsonResource[] = [
    {
      ref: "configmap/a",
      group: "",
      kind: "ConfigMap",
      namespace: "",
      name: "a",
      status: "Current",
      message: 'says "resources":[] and $& and $1',
    },
    {
      ref: "deployment.apps/ns/d",
      group: "apps",
      kind: "Deployment",
      namespace: "ns",
      name: "d",
      status: "InProgress",
      message: "1 of 3 ready",
      rule: "contract:apps/Deployment",
    },
  ];
  const now = new Date("2026-01-02T03:04:05Z");
  const summary = {
    goal: "current",
    result: "once",
    exitCode: 2,
    elapsedMs: 12.4,
    message: 'a message with "resources":[] in it',
  };
  for (const list of [resources, []]) {
    assert.equal(
      jsonSummaryLineOfTexts(summary, list.map((r) => JSON.stringify(r)), now),
      jsonSummaryLine({ ...summary, resources: list }, now),
    );
  }
});
