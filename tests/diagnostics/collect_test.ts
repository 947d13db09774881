/**
 * `collectDiagnostics` against the fake API server through the real client: events folding,
 * log truncation, the limits, forbidden events and logs, a slow log endpoint cut by the deadline.
 *
 * @module
 */

import assert from "node:assert/strict";
import { collectDiagnostics } from "../../mod.ts";
import { withCluster } from "../watch/helpers.ts";
import { crashingPod, NS, putEvent, webTree } from "./fixtures.ts";

Deno.test("diagnostics: the deciding rule and the children that explain it", async () => {
  await withCluster(async (api, client) => {
    const [d] = await collectDiagnostics(client, [webTree([crashingPod("web-7d9c-a", 0)])], {
      logs: false,
    });
    assert.deepEqual(d.rule, {
      id: "contract:apps/Deployment",
      decidedBy: "status.availableReplicas 0 < status.updatedReplicas 2",
      because: [
        "Pod/web-7d9c-a: Failed: container app waiting: CrashLoopBackOff",
        "ReplicaSet/web-7d9c: InProgress: status.availableReplicas 0 < spec.replicas 2",
      ],
    });
    assert.deepEqual(d.notes, []);
    // One LIST of Warning events for the namespace, nothing else.
    const sent = api.requests.filter((r) => r.verb !== "discovery");
    assert.deepEqual(sent.map((r) => `${r.verb} ${r.resource} ${r.query.fieldSelector}`), [
      "list events type=Warning",
    ]);
  });
});

Deno.test("diagnostics: Warning events of the tree, folded by reason, newest first", async () => {
  await withCluster(async (api, client) => {
    const pod = { kind: "Pod", name: "web-7d9c-a", uid: "uid-web-7d9c-a" };
    putEvent(api, pod, "BackOff", "Back-off restarting failed container", "2026-01-01T10:00:00Z");
    putEvent(
      api,
      pod,
      "BackOff",
      "Back-off restarting failed container app",
      "2026-01-01T10:05:00Z",
      {
        series: { count: 4, lastObservedTime: "2026-01-01T10:06:00Z" },
      },
    );
    putEvent(
      api,
      { kind: "ReplicaSet", name: "web-7d9c" },
      "FailedCreate",
      "quota",
      "2026-01-01T10:03:00Z",
    );
    // Not ours: another pod, an earlier pod of the same name (other uid), a Normal event.
    putEvent(api, { kind: "Pod", name: "db-0" }, "BackOff", "other", "2026-01-01T10:07:00Z");
    putEvent(
      api,
      { kind: "Pod", name: "web-7d9c-a", uid: "old" },
      "Failed",
      "gone",
      "2026-01-01T09:00:00Z",
    );
    putEvent(api, pod, "Pulled", "pulled", "2026-01-01T10:08:00Z", { type: "Normal" });

    const [d] = await collectDiagnostics(client, [webTree([crashingPod("web-7d9c-a", 0)])], {
      logs: false,
    });
    assert.deepEqual(d.events, [
      {
        object: "Pod/web-7d9c-a",
        namespace: NS,
        type: "Warning",
        reason: "BackOff",
        message: "Back-off restarting failed container app",
        count: 5,
        lastTime: "2026-01-01T10:06:00Z",
      },
      {
        object: "ReplicaSet/web-7d9c",
        namespace: NS,
        type: "Warning",
        reason: "FailedCreate",
        message: "quota",
        count: 1,
        lastTime: "2026-01-01T10:03:00Z",
      },
    ]);
  });
});

Deno.test("diagnostics: the last lines of the failed instance, within lines and bytes", async () => {
  await withCluster(async (api, client) => {
    const pod = api.put(crashingPod("web-7d9c-a"));
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    api.setLogs(NS, "web-7d9c-a", "app", lines.join("\n") + "\n", { previous: true });
    const [d] = await collectDiagnostics(client, [webTree([pod])], { events: false });
    assert.equal(d.logs.length, 1);
    assert.deepEqual(d.logs[0], {
      pod: "web-7d9c-a",
      container: "app",
      previous: true,
      lines: lines.slice(10),
      truncated: false,
    });
    const log = api.requests.find((r) => r.subresource === "log")!;
    assert.deepEqual(log.query, {
      container: "app",
      previous: "true",
      tailLines: "20",
      limitBytes: String(8192 * 4),
    });

    // 100-byte lines with a 1 KiB limit: the newest lines that fit, marked truncated.
    const long = Array.from(
      { length: 20 },
      (_, i) => `${String(i).padStart(2, "0")}${"x".repeat(97)}`,
    );
    api.setLogs(NS, "web-7d9c-a", "app", long.join("\n"), { previous: true });
    const [cut] = await collectDiagnostics(client, [webTree([pod])], {
      events: false,
      logBytes: 1024,
    });
    assert.equal(cut.logs[0].truncated, true);
    assert.deepEqual(cut.logs[0].lines, long.slice(-10));
  });
});

Deno.test("diagnostics: a container that exited non-zero without restarting: its current log", async () => {
  await withCluster(async (api, client) => {
    const pod = api.put({
      ...crashingPod("job-x"),
      status: {
        phase: "Failed",
        containerStatuses: [
          { name: "app", restartCount: 0, state: { terminated: { exitCode: 2 } } },
          { name: "sidecar", restartCount: 0, state: { terminated: { exitCode: 0 } } },
        ],
      },
    });
    api.setLogs(NS, "job-x", "app", "fatal: bad input\n");
    const [d] = await collectDiagnostics(client, [webTree([pod])], { events: false });
    assert.deepEqual(d.logs.map((l) => [l.container, l.previous, l.lines]), [
      ["app", false, ["fatal: bad input"]],
    ]);
  });
});

Deno.test("diagnostics: pods per resource and log requests per run are limited, and said", async () => {
  await withCluster(async (api, client) => {
    const pods = ["a", "b", "c"].map((n) => api.put(crashingPod(`web-7d9c-${n}`)));
    for (const p of pods) {
      const name = String((p.metadata as { name: string }).name);
      api.setLogs(NS, name, "app", `${name} failed\n`, { previous: true });
    }
    const [d] = await collectDiagnostics(client, [webTree(pods)], {
      events: false,
      podsPerResource: 2,
    });
    assert.deepEqual(d.logs.map((l) => l.pod), ["web-7d9c-a", "web-7d9c-b"]);
    assert.deepEqual(d.notes, ["logs: 1 more pods not read (at most 2 per resource)"]);

    // Two resources share one budget of 2 requests: the second gets none.
    api.resetRequests();
    const [first, second] = await collectDiagnostics(
      client,
      [webTree(pods.slice(0, 2)), webTree(pods.slice(2))],
      { events: false, logRequests: 2 },
    );
    assert.equal(first.logs.length, 2);
    assert.equal(second.logs.length, 0);
    assert.deepEqual(second.notes, [
      "logs: 1 containers not read (at most 2 log requests per run)",
    ]);
    assert.equal(api.requests.filter((r) => r.subresource === "log").length, 2);
  });
});

Deno.test("diagnostics: forbidden events and logs become notes; the rest goes on", async () => {
  await withCluster(async (api, client) => {
    const pod = api.put(crashingPod("web-7d9c-a"));
    api.setForbidden((r) => r.resource === "events" || r.subresource === "log");
    const [d] = await collectDiagnostics(client, [webTree([pod])]);
    assert.deepEqual(d.notes.sort(), ["events: forbidden (403)", "logs: forbidden (403)"]);
    assert.equal(d.rule.because.length, 2);
    assert.deepEqual(d.events, []);
    assert.deepEqual(d.logs, []);
  });
});

Deno.test("diagnostics: a log that cannot be read is a note naming the container", async () => {
  await withCluster(async (api, client) => {
    const pod = api.put(crashingPod("web-7d9c-a"));
    const [d] = await collectDiagnostics(client, [webTree([pod])], { events: false });
    assert.deepEqual(d.notes, [
      'logs of web-7d9c-a/app: previous terminated container "app" in pod "web-7d9c-a" not found (400)',
    ]);
  });
});

Deno.test("diagnostics: a slow log endpoint is cut by the deadline, the rest is kept", async () => {
  await withCluster(async (api, client) => {
    const pod = api.put(crashingPod("web-7d9c-a"));
    api.setLogs(NS, "web-7d9c-a", "app", "late\n", { previous: true });
    putEvent(
      api,
      { kind: "Pod", name: "web-7d9c-a" },
      "BackOff",
      "Back-off",
      "2026-01-01T10:00:00Z",
    );
    api.delayNext({ subresource: "log" }, 10_000);
    const started = performance.now();
    const [d] = await collectDiagnostics(client, [webTree([pod])], { deadlineMs: 800 });
    const took = performance.now() - started;
    // The deadline, not the 10 s log request, decides when it returns.
    assert.ok(took >= 750 && took < 2500, `took ${took} ms`);
    assert.deepEqual(d.logs, []);
    assert.ok(
      d.notes.includes("logs of web-7d9c-a/app: not read within the 800 ms deadline"),
      d.notes.join("\n"),
    );
    // The events came in time (on a loaded machine they may be late too, and then said so).
    if (!d.notes.some((n) => n.startsWith("events:"))) assert.equal(d.events.length, 1);
  });
});

Deno.test("diagnostics: an API without logs, and events not served, are notes", async () => {
  const notServed = Object.assign(new Error('no matches for kind "Event"'), {
    name: "NoMatchError",
  });
  const [d] = await collectDiagnostics(
    { list: () => Promise.reject(notServed) },
    [webTree([crashingPod("web-7d9c-a")])],
  );
  assert.deepEqual(d.notes.sort(), [
    "events: not served by this cluster",
    "logs: not served by this API",
  ]);
});
