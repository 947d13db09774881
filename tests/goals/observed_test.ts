import assert from "node:assert/strict";
import { controllerObserved, nextBaseline } from "../../lib/goals/observed.ts";
import { terminalFailure } from "../../lib/goals/terminal.ts";

const START = Date.parse("2026-12-01T10:00:00.400Z");

function obj(generation: number | undefined, extra: Record<string, unknown> = {}) {
  return {
    metadata: {
      ...(generation === undefined ? {} : { generation }),
      resourceVersion: "10",
      ...(extra.metadata as Record<string, unknown> ?? {}),
    },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

const statusWrite = (time: string) => ({
  metadata: { managedFields: [{ manager: "ctl", subresource: "status", time }] },
});

Deno.test("controllerObserved: generation, observedGeneration, conditions", () => {
  assert.deepEqual(controllerObserved(obj(undefined), undefined, START), { observed: true });
  const og = (n: number) => obj(3, { status: { observedGeneration: n } });
  assert.deepEqual(controllerObserved(og(3), undefined, START), { observed: true });
  assert.deepEqual(controllerObserved(og(2), undefined, START), { observed: false, generation: 3 });
  const conds = (...gs: Array<number | undefined>) =>
    obj(3, { status: { conditions: gs.map((g) => ({ type: "X", observedGeneration: g })) } });
  assert.deepEqual(controllerObserved(conds(3, 4), undefined, START), { observed: true });
  assert.equal(controllerObserved(conds(3, 2), undefined, START).observed, false);
  // Conditions without their own observedGeneration publish nothing; the others decide.
  assert.equal(controllerObserved(conds(3, undefined), undefined, START).observed, true);
});

Deno.test("controllerObserved: status writes, in whole seconds of managedFields", () => {
  // Generation 1: any status write.
  assert.equal(
    controllerObserved(obj(1, statusWrite("2020-01-01T00:00:00Z")), undefined, START).observed,
    true,
  );
  assert.equal(controllerObserved(obj(1), undefined, START).observed, false);
  // Later generations: a write in a later second than the start.
  assert.equal(
    controllerObserved(obj(2, statusWrite("2026-12-01T10:00:01Z")), undefined, START).observed,
    true,
  );
  // The start's own second is ambiguous (it could be before the start): not evidence.
  assert.equal(
    controllerObserved(obj(2, statusWrite("2026-12-01T10:00:00Z")), undefined, START).observed,
    false,
  );
  assert.equal(
    controllerObserved(obj(2, statusWrite("2026-12-01T09:59:00Z")), undefined, START).observed,
    false,
  );
});

Deno.test("controllerObserved: a new resourceVersion at the same generation since the first read", () => {
  const first = obj(2);
  const baseline = nextBaseline(first, undefined)!;
  assert.deepEqual(baseline, { generation: 2, resourceVersion: "10" });
  assert.equal(controllerObserved(first, baseline, START).observed, false);
  const written = { ...first, metadata: { ...first.metadata, resourceVersion: "11" } };
  assert.equal(controllerObserved(written, nextBaseline(written, baseline), START).observed, true);
  // A new generation starts a new baseline: its first read is no evidence.
  const respec = { metadata: { generation: 3, resourceVersion: "12" } };
  const again = nextBaseline(respec, baseline)!;
  assert.deepEqual(again, { generation: 3, resourceVersion: "12" });
  assert.equal(controllerObserved(respec, again, START).observed, false);
});

Deno.test("terminalFailure: the three failures that cannot recover by themselves", () => {
  const id = (group: string, kind: string) => ({ group, kind, namespace: "ns", name: "x" });
  const deadline = (generation: number, observed: number) => ({
    metadata: { generation },
    status: {
      observedGeneration: observed,
      conditions: [{
        type: "Progressing",
        status: "False",
        reason: "ProgressDeadlineExceeded",
        message: "RS x has timed out progressing.",
      }],
    },
  });
  assert.equal(
    terminalFailure(id("apps", "Deployment"), deadline(2, 2)),
    "Deployment exceeded its progress deadline: RS x has timed out progressing.",
  );
  assert.equal(terminalFailure(id("apps", "Deployment"), deadline(3, 2)), undefined);
  const job = {
    status: {
      conditions: [{
        type: "Failed",
        status: "True",
        reason: "BackoffLimitExceeded",
        message: "Job has reached the specified backoff limit",
      }],
    },
  };
  assert.equal(
    terminalFailure(id("batch", "Job"), job),
    "Job failed: BackoffLimitExceeded: Job has reached the specified backoff limit",
  );
  const pod = (restartPolicy: string) => ({
    spec: { restartPolicy },
    status: { phase: "Failed", reason: "Evicted" },
  });
  assert.equal(
    terminalFailure(id("", "Pod"), pod("Never")),
    "Pod failed and is never restarted (restartPolicy Never): Evicted",
  );
  assert.equal(terminalFailure(id("", "Pod"), pod("Always")), undefined);
});
