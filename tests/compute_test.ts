/**
 * Contract tests for `computeStatus`: runs every case of `compute_cases.ts` (one per rule branch
 * and per message of `/work/shared/spec/kstatus.md` sections 1-4 and 14, the whole result checked)
 * and a few properties of the results.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ComputeError, computeStatus, Status } from "../mod.ts";
import { parseRfc3339 } from "../lib/rfc3339.ts";
import { cases, current, ip, NOW, obj, pod } from "./compute_cases.ts";

for (const c of cases) {
  Deno.test(c.name, () => {
    const input = structuredClone(c.obj);
    if ("error" in c.want) {
      const want = c.want.error;
      assert.throws(
        () => computeStatus(c.obj, { now: c.now }),
        (e: unknown) => {
          assert.ok(e instanceof ComputeError, `expected a ComputeError, got ${e}`);
          if (typeof want === "string") assert.equal(e.message, want);
          return true;
        },
      );
    } else {
      // The contract is status, message and conditions; `decidedBy` (for people) has its own tests.
      const { decidedBy: _, ...got } = computeStatus(c.obj, { now: c.now });
      assert.deepStrictEqual(got, c.want);
    }
    assert.deepStrictEqual(c.obj, input, "computeStatus must not mutate its input");
  });
}

Deno.test("§1 Status values are their own names", () => {
  assert.deepStrictEqual({ ...Status }, {
    InProgress: "InProgress",
    Failed: "Failed",
    Current: "Current",
    Terminating: "Terminating",
    NotFound: "NotFound",
    Unknown: "Unknown",
  });
});

Deno.test("§1 ComputeError is an Error", () => {
  try {
    computeStatus(pod({ phase: "Lost" }), { now: NOW });
    assert.fail("expected a ComputeError");
  } catch (e) {
    assert.ok(e instanceof ComputeError);
    assert.ok(e instanceof Error);
    assert.equal(e.message, "unknown phase Lost");
  }
});

Deno.test("§1 results are independent: conditions arrays are not shared between calls", () => {
  const o = obj("v1", "PersistentVolumeClaim", { status: { phase: "Pending" } });
  const a = computeStatus(o, { now: NOW });
  a.conditions.push({ type: "X", status: "True", reason: "", message: "" });
  const { decidedBy: _, ...b } = computeStatus(o, { now: NOW });
  assert.deepStrictEqual(b, ip("NotBound", "PVC is not Bound. phase: Pending"));
  const c1 = computeStatus(obj("v1", "ConfigMap"), { now: NOW });
  c1.conditions.push({ type: "X", status: "True", reason: "", message: "" });
  assert.deepStrictEqual(
    computeStatus(obj("v1", "ConfigMap"), { now: NOW }),
    current("Resource is always ready"),
  );
});

// The pod scheduling window (§3.5) reads creationTimestamp with Go's time.Parse(time.RFC3339).
// Every instant below is what Go 1.26 returned for the string (UnixMilli; NaN for an error).
const RFC3339_GO: Array<[string, number]> = [
  ["2024-05-01T12:00:00Z", 1714564800000],
  ["2024-05-01T14:30:00+02:30", 1714564800000],
  ["2024-05-01T12:00:00.123456Z", 1714564800123],
  ["2024-05-01T12:00:00,5Z", 1714564800500],
  ["2024-05-01T9:00:00-03:00", 1714564800000],
  ["2024-05-01T1:00:00Z", 1714525200000],
  ["0001-01-01T00:00:00Z", -62135596800000],
  ["0000-01-01T00:00:00Z", -62167219200000],
  ["9999-12-31T23:59:59.999Z", 253402300799999],
  ["2024-05-02T12:00:00+24:00", 1714564800000],
  ["2024-05-01T12:00:00-00:60", 1714568400000],
  ["2000-02-29T00:00:00Z", 951782400000],
  ["1900-02-29T00:00:00Z", NaN],
  ["2024-5-01T12:00:00Z", NaN],
  ["2024-05-1T12:00:00Z", NaN],
  ["2024-05-01T12:0:00Z", NaN],
  ["2024-05-01T12:00:60Z", NaN],
  ["2024-05-01T12:00:00.Z", NaN],
  ["2024-05-01T12:00:00+02", NaN],
  ["2024-05-01", NaN],
  ["Wed, 01 May 2024 12:00:00 GMT", NaN],
];

Deno.test("§3.5 creationTimestamp is parsed as Go's time.Parse(time.RFC3339) parses it", () => {
  for (const [text, want] of RFC3339_GO) {
    assert.ok(
      Object.is(parseRfc3339(text), want),
      `${text}: got ${parseRfc3339(text)}, want ${want}`,
    );
  }
});
