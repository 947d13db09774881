import assert from "node:assert/strict";
import {
  aggregateStatus,
  type Event,
  observe,
  ResourceStatusCollector,
  type Status,
  STOP_CONDITIONS,
  type StopCondition,
} from "../../mod.ts";
import { configMap, deployment, id, record, settle, status, test } from "./fixtures.ts";
import { eachReader, INTERVAL, rig, START, until } from "./rig.ts";

test("aggregateStatus: every rule", () => {
  const cases: Array<[Status[], Status, Status]> = [
    // empty → desired
    [[], "Current", "Current"],
    [[], "NotFound", "NotFound"],
    // any Failed → Failed, even when NotFound is desired and Unknown is present
    [["Current", "Failed"], "Current", "Failed"],
    [["NotFound", "Failed"], "NotFound", "Failed"],
    [["Unknown", "Failed", "Current"], "Current", "Failed"],
    // else any Unknown → Unknown
    [["Current", "Unknown"], "Current", "Unknown"],
    [["NotFound", "Unknown"], "NotFound", "Unknown"],
    // else all desired → desired
    [["Current", "Current"], "Current", "Current"],
    [["NotFound"], "NotFound", "NotFound"],
    // else InProgress
    [["Current", "InProgress"], "Current", "InProgress"],
    [["Current", "Terminating"], "Current", "InProgress"],
    [["Current", "NotFound"], "Current", "InProgress"],
    [["Current"], "NotFound", "InProgress"],
    [["Terminating", "NotFound"], "NotFound", "InProgress"],
    [["InProgress"], "InProgress", "InProgress"],
  ];
  for (const [statuses, desired, expected] of cases) {
    assert.equal(
      aggregateStatus(statuses, desired),
      expected,
      `${JSON.stringify(statuses)} against ${desired}`,
    );
  }
});

const a = id("apps", "Deployment", "a", "ns1");
const b = id("", "ConfigMap", "b", "ns1");
const c = id("", "ConfigMap", "a", "ns0");
const extra = id("", "Secret", "s", "ns1");

test("collector: starts with every identifier Unknown, sorted", () => {
  const collector = new ResourceStatusCollector([a, b, c]);
  const obs = collector.latestObservation();
  assert.equal(obs.lastEventType, undefined);
  assert.equal(obs.error, undefined);
  assert.deepEqual(obs.resourceStatuses, [c, b, a].map((i) => status(i, "Unknown")));
  assert.deepEqual(collector.get(a), status(a, "Unknown"));
  assert.equal(collector.get(extra), undefined);
});

test("collector: applies updates, adds unknown ids, records errors and event types", () => {
  const collector = new ResourceStatusCollector([a, b]);
  collector.apply({ type: "ResourceUpdate", resource: status(a, "InProgress") });
  collector.apply({ type: "ResourceUpdate", resource: status(extra, "Current") });
  assert.equal(collector.latestObservation().lastEventType, "ResourceUpdate");
  const broken = new Error("sync failed");
  collector.apply({ type: "Error", error: broken });
  collector.apply({ type: "Sync" });
  collector.apply({ type: "ResourceUpdate", resource: status(a, "Current", { message: "ok" }) });
  collector.apply({ type: "Sync" });
  const obs = collector.latestObservation();
  assert.equal(obs.lastEventType, "Sync");
  assert.equal(obs.error, broken);
  assert.deepEqual(obs.resourceStatuses, [
    status(b, "Unknown"),
    status(extra, "Current"),
    status(a, "Current", { message: "ok" }),
  ]);
});

test("collector: stop conditions", () => {
  const cases: Array<[Status[], Record<StopCondition, boolean>]> = [
    [[], { known: true, current: true, deleted: true, forever: false }],
    [["Unknown", "Current"], { known: false, current: false, deleted: false, forever: false }],
    [["Current", "Current"], { known: true, current: true, deleted: false, forever: false }],
    [["Current", "InProgress"], { known: true, current: false, deleted: false, forever: false }],
    [["Current", "NotFound"], { known: true, current: false, deleted: false, forever: false }],
    [["NotFound", "NotFound"], { known: true, current: false, deleted: true, forever: false }],
    [["NotFound", "Terminating"], { known: true, current: false, deleted: false, forever: false }],
    [["Failed", "Current"], { known: true, current: false, deleted: false, forever: false }],
  ];
  for (const [statuses, expected] of cases) {
    const ids = statuses.map((_, i) => id("", "ConfigMap", `cm${i}`));
    const collector = new ResourceStatusCollector(ids);
    statuses.forEach((s, i) =>
      collector.apply({ type: "ResourceUpdate", resource: status(ids[i], s) })
    );
    for (const condition of STOP_CONDITIONS) {
      assert.equal(
        collector.isDone(condition),
        expected[condition],
        `${condition} with ${JSON.stringify(statuses)}`,
      );
    }
  }
});

test("collector: allAtGoal counts the goal judge's verdicts as updates replace each other", () => {
  const collector = new ResourceStatusCollector([a, b]);
  const met = (i: typeof a, yes: boolean) =>
    collector.apply({
      type: "ResourceUpdate",
      resource: status(i, yes ? "Current" : "InProgress", { goal: { met: yes } }),
    });
  assert.equal(collector.allAtGoal(), false, "unread resources are not at their goal");
  met(a, true);
  assert.equal(collector.allAtGoal(), false);
  met(b, true);
  assert.equal(collector.allAtGoal(), true);
  met(a, false); // a goal met can be lost again
  assert.equal(collector.allAtGoal(), false);
  met(a, true);
  met(a, true); // the same update twice counts once
  assert.equal(collector.allAtGoal(), true);
  collector.apply({ type: "ResourceUpdate", resource: status(extra, "Current") });
  assert.equal(collector.allAtGoal(), false, "a resource added without a goal verdict");
  assert.equal(new ResourceStatusCollector([]).allAtGoal(), true);
});

test("collector: the sorted snapshot is reused until the next update", () => {
  const collector = new ResourceStatusCollector([a, b]);
  const first = collector.latestObservation().resourceStatuses;
  assert.equal(collector.latestObservation().resourceStatuses, first);
  collector.apply({ type: "Sync" });
  assert.equal(collector.latestObservation().resourceStatuses, first);
  collector.apply({ type: "ResourceUpdate", resource: status(a, "Current") });
  const second = collector.latestObservation().resourceStatuses;
  assert.notEqual(second, first);
  assert.deepEqual(second.map((s) => s.status), ["Unknown", "Current"]);
});

/** An upstream that yields `events` then hangs, recording how far it was pulled. */
function upstream(events: Event[]) {
  const log = { pulled: 0, finished: false };
  async function* gen(): AsyncGenerator<Event> {
    try {
      for (const e of events) {
        log.pulled++;
        yield e;
      }
      await new Promise(() => {}); // a poller never ends by itself
    } finally {
      log.finished = true;
    }
  }
  return { gen: gen(), log };
}

test("observe: passes events through and ends the upstream once the condition holds", async () => {
  const events: Event[] = [
    { type: "ResourceUpdate", resource: status(a, "InProgress") },
    { type: "ResourceUpdate", resource: status(a, "Current") },
    { type: "ResourceUpdate", resource: status(b, "Current") },
    { type: "ResourceUpdate", resource: status(b, "InProgress") },
  ];
  const { gen, log } = upstream(events);
  const collector = new ResourceStatusCollector([a, b]);
  const seen = await Array.fromAsync(observe(gen, collector, "current"));
  assert.deepEqual(seen, events.slice(0, 3));
  assert.equal(log.pulled, 3, "observe read past the event that completed the wait");
  assert.equal(log.finished, true, "the upstream generator was not closed");
  assert.equal(collector.latestObservation().resourceStatuses[1].status, "Current");
});

test("observe: each condition stops at its own event", async () => {
  const events: Event[] = [
    { type: "ResourceUpdate", resource: status(a, "NotFound") },
    { type: "ResourceUpdate", resource: status(b, "InProgress") },
    { type: "ResourceUpdate", resource: status(b, "NotFound") },
  ];
  const expected: Record<Exclude<StopCondition, "forever">, number> = {
    known: 2,
    deleted: 3,
    current: 3, // never holds: the upstream hangs after the last event
  };
  for (const [until, count] of Object.entries(expected)) {
    const { gen, log } = upstream(events);
    const collector = new ResourceStatusCollector([a, b]);
    const seen: Event[] = [];
    for await (const e of observe(gen, collector, until as StopCondition)) {
      seen.push(e);
      if (until === "current" && seen.length === 3) break;
    }
    assert.equal(seen.length, count, until);
    assert.equal(log.finished, true, until);
  }
});

test("observe: an upstream that ends (after an Error) ends the stream", async () => {
  async function* failing(): AsyncGenerator<Event> {
    yield { type: "ResourceUpdate", resource: status(a, "InProgress") };
    yield { type: "Error", error: new Error("boom") };
  }
  const collector = new ResourceStatusCollector([a]);
  const seen = await Array.fromAsync(observe(failing(), collector, "forever"));
  assert.equal(seen.length, 2);
  assert.equal(collector.latestObservation().error?.message, "boom");
  assert.equal(collector.latestObservation().lastEventType, "Error");
});

eachReader("observe: stops a real engine once everything is Current", async (kind) => {
  const r = rig(kind, [configMap("cm"), deployment("web", { ready: false })]);
  const ids = [id("", "ConfigMap", "cm"), id("apps", "Deployment", "web")];
  const collector = new ResourceStatusCollector(ids);
  const run = record(observe(r.engine.poll(ids, { pollInterval: INTERVAL }), collector, "current"));
  await until(() => run.events.length === 2, "the first poll");
  assert.equal(collector.isDone("current"), false);
  r.cluster.put(deployment("web"));
  await settle();
  // The watch reader reports the write at once; the others see it at the tick.
  assert.equal(run.events.length, kind === "watch" ? 3 : 2);
  if (kind !== "watch") await r.clock.advance(INTERVAL);
  await run.done;
  assert.equal(run.events.length, 3);
  assert.equal(collector.isDone("current"), true);
  assert.equal(r.clock.now(), START + (kind === "watch" ? 0 : INTERVAL));
  assert.deepEqual(r.readers, { created: 1, closed: 1 });
  await r.released();
});
