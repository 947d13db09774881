import assert from "node:assert/strict";
import { createManualClock, systemClock } from "../../mod.ts";
import { test } from "./fixtures.ts";

test("manual clock: sleepers wake when their time has come, not before", async () => {
  const clock = createManualClock(100);
  const woke: string[] = [];
  const a = clock.sleep(10).then(() => woke.push("a"));
  const b = clock.sleep(30).then(() => woke.push("b"));
  assert.equal(clock.sleepers, 2);
  await clock.advance(9);
  assert.deepEqual(woke, []);
  await clock.advance(1);
  await a;
  assert.deepEqual(woke, ["a"]);
  assert.equal(clock.sleepers, 1);
  assert.equal(clock.now(), 110);
  await clock.advance(100);
  await b;
  assert.deepEqual(woke, ["a", "b"]);
  assert.equal(clock.sleepers, 0);
});

test("manual clock: an aborted sleep rejects with the reason and leaves no sleeper", async () => {
  const clock = createManualClock();
  const ctl = new AbortController();
  const sleeping = clock.sleep(1000, ctl.signal);
  assert.equal(clock.sleepers, 1);
  const reason = new Error("stop");
  ctl.abort(reason);
  await assert.rejects(sleeping, (e) => e === reason);
  assert.equal(clock.sleepers, 0);
  await assert.rejects(clock.sleep(1, ctl.signal), (e) => e === reason);
  assert.equal(clock.sleepers, 0);
});

test("system clock: sleeps, and an abort clears the timer", async () => {
  const t0 = Date.now();
  await systemClock.sleep(5);
  assert.ok(Date.now() - t0 >= 4);
  const ctl = new AbortController();
  // A 60 s timer left behind would fail this test through the ops sanitizer.
  const sleeping = systemClock.sleep(60_000, ctl.signal);
  ctl.abort();
  await assert.rejects(sleeping, { name: "AbortError" });
  await assert.rejects(systemClock.sleep(60_000, AbortSignal.abort()), { name: "AbortError" });
  assert.ok(Math.abs(systemClock.now() - Date.now()) < 1000);
});
