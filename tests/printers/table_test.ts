// The table renderer at several terminal sizes: snapshots of whole tables, and the rules they
// follow (never wider than the terminal, nothing cut off a terminal, NAMESPACE only when it
// tells rows apart, not-ready rows first and finished subtrees folded on a short terminal).

import assert from "node:assert/strict";
import { createLiveRegion, renderTable } from "../../lib/printers/table.ts";
import { displayWidth } from "../../lib/text/width.ts";
import { finished, NOW_MS, rollout, rs } from "./table_fixtures.ts";

const plain = { color: false, nowMs: NOW_MS };

Deno.test("table at 80 columns: children by their suffix, messages cut, one namespace dropped", () => {
  assert.deepEqual(renderTable([rollout()], { ...plain, width: 80 }), [
    "RESOURCE                         STATUS      AGE  MESSAGE",
    "Deployment/…-web-service-canary  InProgress  3m   Available: 2/4, Updated: 4/4,…",
    "└─ ReplicaSet/…-5d8f7c9b4        InProgress  20s  Ready: 2/4",
    "   ├─ Pod/…-x2x8q                Current     12s  Pod is Ready",
    "   ├─ Pod/…-b7kzp                Current     12s  Pod is Ready",
    "   ├─ Pod/…-m4nwd                InProgress  12s  Pod phase is Pending: contain…",
    "   └─ Pod/…-qq9rt                InProgress  12s  Pod phase is Pending: contain…",
  ]);
});

Deno.test("table at 200 columns: whole names and messages", () => {
  assert.deepEqual(renderTable([rollout()], { ...plain, width: 200 }), [
    "RESOURCE                                                        STATUS      AGE  MESSAGE",
    "Deployment/checkout-frontend-web-service-canary                 InProgress  3m   " +
    "Available: 2/4, Updated: 4/4, Ready: 2/4 (waiting for the new ReplicaSet's pods to be ready)",
    "└─ ReplicaSet/checkout-frontend-web-service-canary-5d8f7c9b4    InProgress  20s  Ready: 2/4",
    "   ├─ Pod/checkout-frontend-web-service-canary-5d8f7c9b4-x2x8q  Current     12s  Pod is Ready",
    "   ├─ Pod/checkout-frontend-web-service-canary-5d8f7c9b4-b7kzp  Current     12s  Pod is Ready",
    "   ├─ Pod/checkout-frontend-web-service-canary-5d8f7c9b4-m4nwd  InProgress  12s  " +
    "Pod phase is Pending: containers with unready status: [app]",
    "   └─ Pod/checkout-frontend-web-service-canary-5d8f7c9b4-qq9rt  InProgress  12s  " +
    "Pod phase is Pending: containers with unready status: [app]",
  ]);
});

Deno.test("table at 80 columns x 15 rows: not-ready first, finished subtrees folded", () => {
  // The reporter gives the table the terminal's rows less the header line and the cursor's row.
  assert.deepEqual(renderTable([...finished(6), rollout()], { ...plain, width: 80, height: 13 }), [
    "RESOURCE                         STATUS      AGE  MESSAGE",
    "Deployment/…-web-service-canary  InProgress  3m   Available: 2/4, Updated: 4/4,…",
    "└─ ReplicaSet/…-5d8f7c9b4        InProgress  20s  Ready: 2/4",
    "   ├─ Pod/…-m4nwd                InProgress  12s  Pod phase is Pending: contain…",
    "   ├─ Pod/…-qq9rt                InProgress  12s  Pod phase is Pending: contain…",
    "   ├─ Pod/…-x2x8q                Current     12s  Pod is Ready",
    "   └─ Pod/…-b7kzp                Current     12s  Pod is Ready",
    "Deployment/svc-00 (+2)           Current     66m  Deployment is available. Repl…",
    "Deployment/svc-01 (+2)           Current     66m  Deployment is available. Repl…",
    "Deployment/svc-02 (+2)           Current     66m  Deployment is available. Repl…",
    "Deployment/svc-03 (+2)           Current     66m  Deployment is available. Repl…",
    "Deployment/svc-04 (+2)           Current     66m  Deployment is available. Repl…",
    "Deployment/svc-05 (+2)           Current     66m  Deployment is available. Repl…",
  ]);
  // Still too tall: finished siblings fold together, the not-ready rows all stay.
  assert.deepEqual(renderTable([...finished(20), rollout()], { ...plain, width: 80, height: 13 }), [
    "RESOURCE                         STATUS      AGE  MESSAGE",
    "Deployment/…-web-service-canary  InProgress  3m   Available: 2/4, Updated: 4/4,…",
    "└─ ReplicaSet/…-5d8f7c9b4        InProgress  20s  Ready: 2/4",
    "   ├─ Pod/…-m4nwd                InProgress  12s  Pod phase is Pending: contain…",
    "   ├─ Pod/…-qq9rt                InProgress  12s  Pod phase is Pending: contain…",
    "   └─ … 2 more                   Current",
    "… 60 more                        Current",
  ]);
  // Tall enough: the order and the tree stay as they are.
  const tall = renderTable([...finished(2), rollout()], { ...plain, width: 80, height: 40 });
  assert.equal(tall.length, 1 + 2 * 3 + 6);
  assert.match(tall[1], /^Deployment\/svc-00 {2}/);
});

Deno.test("table off a terminal (no width, or width 0): nothing is cut", () => {
  const statuses = [
    rollout(),
    rs("Service", "web", "Current", "Service is ready", { namespace: "edge" }),
  ];
  const lines = renderTable(statuses, plain);
  assert.deepEqual(renderTable(statuses, { ...plain, width: 0 }), lines);
  assert.ok(lines.some((l) => l.endsWith("(waiting for the new ReplicaSet's pods to be ready)")));
  assert.ok(
    lines.some((l) => l.includes("Pod/checkout-frontend-web-service-canary-5d8f7c9b4-x2x8q")),
  );
  // Two namespaces: the column is there.
  assert.match(lines[0], /^NAMESPACE {2}RESOURCE/);
  assert.match(lines.at(-1)!, /^edge {7}Service\/web/);
});

Deno.test("table: never wider than the terminal, at any width", () => {
  const statuses = [
    ...finished(2),
    rollout(),
    rs("ConfigMap", "日本語の名前-とても長い", "Current", "メッセージ 🚀 done", {
      namespace: "edge",
    }),
  ];
  for (let width = 10; width <= 220; width += 7) {
    for (const line of renderTable(statuses, { ...plain, width })) {
      assert.ok(displayWidth(line) <= width, `${width}: ${line}`);
    }
    for (const line of renderTable(statuses, { color: true, nowMs: NOW_MS, width })) {
      assert.ok(displayWidth(line) <= width, `${width} (colour): ${line}`);
    }
  }
});

Deno.test("table: text from the cluster cannot move the cursor or break the columns", () => {
  const lines = renderTable([
    rs("ConfigMap", "a\x1b[2Jb", "Current", "line1\nline2\tend\x07", { namespace: "x\ry" }),
  ], { ...plain, width: 100 });
  assert.deepEqual(lines, [
    "RESOURCE           STATUS   AGE  MESSAGE",
    "ConfigMap/a\\e[2Jb  Current  30s  line1\\nline2 end\\x07",
  ]);
  assert.ok(lines.every((l) => !/\p{Cc}/u.test(l)), JSON.stringify(lines));
});

Deno.test("table: colour on the STATUS cell only", () => {
  const [, row] = renderTable([rs("Service", "web", "Current", "ok")], { ...plain, color: true });
  assert.equal(row, "Service/web  \x1b[32mCurrent\x1b[0m  30s  ok");
});

Deno.test("live region: a resize redraws over the old block counted at the new width", () => {
  const written: string[] = [];
  let size = { width: 80, height: 20 };
  const region = createLiveRegion((l) => written.push(l), () => size);
  const wide = "x".repeat(70);
  region.draw([wide, "short"]);
  assert.deepEqual(written, ["\x1b[2K" + wide, "\x1b[Jshort"]);
  written.length = 0;
  // 80 -> 40 columns: a terminal that re-wraps shows the 70-column line on two rows.
  size = { width: 40, height: 20 };
  region.draw(["a", "b"]);
  assert.deepEqual(written, ["\x1b[3A\r\x1b[2Ka", "\x1b[Jb"]);
  written.length = 0;
  // Shorter than the block: cut, with a line saying so.
  size = { width: 40, height: 3 };
  region.draw(["1", "2", "3", "4"]);
  assert.deepEqual(written, [
    "\x1b[2A\r\x1b[2K1",
    "\x1b[J… 3 more lines (the whole table is prin…",
  ]);
});
