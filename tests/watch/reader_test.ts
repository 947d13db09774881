/**
 * Unit tests of the watch-backed reader over a scripted API: memory and
 * indexes, change reports, resume and relist decisions, backoff, stored
 * per-pair errors, sync and cancellation.
 */

import assert from "node:assert/strict";
import {
  type BackoffOptions,
  compileLabelSelector,
  createWatchClusterReader,
  type GroupKind,
  identifierKey,
  type ObjectIdentifier,
  type WatchClusterReader,
} from "../../mod.ts";
import { createBackoff } from "../../lib/cluster/informer.ts";
import { sleep } from "../../lib/sleep.ts";
import {
  CONFIGMAPS,
  DEPLOYMENTS,
  obj,
  PODS,
  REPLICASETS,
  type ScriptedApi,
  scriptedApi,
} from "./scripted_api.ts";
import { eventually, id } from "./helpers.ts";

const RS: GroupKind = { group: "apps", kind: "ReplicaSet" };
const POD: GroupKind = { group: "", kind: "Pod" };
const WEB = id("apps", "Deployment", "web");

function childKinds(gk: GroupKind): GroupKind[] {
  if (gk.kind === "Deployment") return [RS, POD];
  if (gk.kind === "ReplicaSet") return [POD];
  return [];
}

/** A reader over `api` whose retry sleeps are recorded (and last 1 ms). */
function makeReader(
  api: ScriptedApi,
  ids: ObjectIdentifier[],
  backoff: BackoffOptions = { initialMs: 100, maxMs: 1000, random: () => 0 },
): { reader: WatchClusterReader; sleeps: number[] } {
  const sleeps: number[] = [];
  const reader = createWatchClusterReader(
    api,
    { identifiers: ids, mapper: api.mapper, childKinds },
    {
      backoff,
      // Budgets have their own test; here every pause recorded is a backoff.
      budget: { burst: 1_000 },
      sleep(ms, signal) {
        // Records the asked pause, waits 1 ms only.
        sleeps.push(ms);
        return sleep(1, signal);
      },
    },
  );
  return { reader, sleeps };
}

/** Sorted identifier keys. */
const keys = (ids: ObjectIdentifier[]) => ids.map(identifierKey).sort();

/** Closes the reader and waits for its loops. */
async function shut(reader: WatchClusterReader, api: ScriptedApi): Promise<void> {
  reader.close();
  await reader.closed;
  assert.ok(api.streams.every((s) => s.closed), "every watch stream closed");
}

const deploymentsApi = () => scriptedApi([DEPLOYMENTS, REPLICASETS, PODS, CONFIGMAPS]);

Deno.test("backoff: doubles from initialMs up to maxMs, jittered in the upper half, reset", () => {
  const low = createBackoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => low.next()), [50, 100, 200, 400, 500, 500]);
  low.reset();
  assert.equal(low.next(), 50);
  const high = createBackoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
  const d = [1, 2, 3, 4, 5].map(() => Math.round(high.next()));
  assert.deepEqual(d, [100, 200, 400, 800, 1000]);
  const real = createBackoff();
  for (let i = 0; i < 50; i++) {
    const ms = real.next();
    assert.ok(ms > 0 && ms <= 30_000, `bounded: ${ms}`);
  }
});

Deno.test("watch reader: one LIST then one WATCH per pair; reads from memory by name and owner", async () => {
  const api = deploymentsApi();
  api.listVersion = "7";
  api.objects.set("deployments/ns", [obj("Deployment", "web", "3", { labels: { app: "web" } })]);
  api.objects.set("replicasets/ns", [
    obj("ReplicaSet", "web-1", "4", { owner: "uid-web", labels: { app: "web" } }),
    obj("ReplicaSet", "other-1", "5", { owner: "uid-other", labels: { app: "other" } }),
  ]);
  const { reader } = makeReader(api, [WEB]);
  try {
    await reader.sync();
    await api.nthStream(3);
    assert.deepEqual(api.calls.filter((c) => !c.startsWith("mapping")).sort(), [
      "list deployments ns",
      "list pods ns",
      "list replicasets ns",
      "watch deployments ns rv=7",
      "watch pods ns rv=7",
      "watch replicasets ns rv=7",
    ]);
    for (const s of api.streams) {
      assert.equal(s.options.allowWatchBookmarks, true);
      assert.ok((s.options.timeoutSeconds ?? 0) >= 300, "a server-side timeout is set");
    }
    const web = await reader.get(WEB);
    assert.equal(web.apiVersion, "apps/v1", "apiVersion filled from the mapping");
    assert.equal(web.kind, "Deployment");
    await assert.rejects(reader.get(id("apps", "Deployment", "gone")), (e: Error) => {
      assert.equal(e.name, "NotFoundError");
      assert.equal(e.message, 'deployments.apps "gone" not found');
      return true;
    });
    const owned = await reader.listControlledBy!(RS, "ns", "uid-web");
    assert.deepEqual(owned.map((o) => (o.metadata as { name: string }).name), ["web-1"]);
    const selected = await reader.listNamespaceScoped(
      RS,
      "ns",
      compileLabelSelector({ matchLabels: { app: "other" } }),
    );
    assert.deepEqual(selected.map((o) => (o.metadata as { name: string }).name), ["other-1"]);
    assert.equal((await reader.listNamespaceScoped(RS, "ns", undefined)).length, 2);
    await assert.rejects(reader.get(id("", "ConfigMap", "x")), /not found in cache/);
    // Steady syncs cost nothing.
    const before = api.calls.length;
    for (let i = 0; i < 5; i++) await reader.sync();
    assert.equal(api.calls.length, before);
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: events update memory and the owner index; nextChange reports each object once", async () => {
  const api = deploymentsApi();
  api.objects.set("replicasets/ns", [
    obj("ReplicaSet", "a", "2", { owner: "uid-web" }),
    obj("ReplicaSet", "b", "2", { owner: "uid-x" }),
  ]);
  const { reader } = makeReader(api, [WEB]);
  try {
    await reader.sync();
    await api.nthStream(3);
    const rsStream = api.streams.find((s) => s.mapping.resource === "replicasets")!;
    const podStream = api.streams.find((s) => s.mapping.resource === "pods")!;
    rsStream.push("MODIFIED", obj("ReplicaSet", "a", "3", { owner: "uid-x" })); // adopted elsewhere
    rsStream.push("MODIFIED", obj("ReplicaSet", "a", "4", { owner: "uid-x" }));
    rsStream.push("MODIFIED", obj("ReplicaSet", "b", "2", { owner: "uid-x" })); // same version: no change
    podStream.push("ADDED", obj("Pod", "p", "5"));
    await eventually(() => reader.stats().events === 4, 5000, "the events read");
    const changed = await reader.nextChange();
    assert.deepEqual(
      keys(changed),
      keys([
        { ...RS, namespace: "ns", name: "a" },
        { ...POD, namespace: "ns", name: "p" },
      ]),
    );
    assert.deepEqual(await reader.listControlledBy!(RS, "ns", "uid-web"), []);
    const names = async (uid: string) =>
      (await reader.listControlledBy!(RS, "ns", uid)).map((o) =>
        (o.metadata as { name: string }).name
      )
        .sort();
    assert.deepEqual(await names("uid-x"), ["a", "b"]);
    assert.equal(
      ((await reader.get({ ...RS, namespace: "ns", name: "a" })).metadata as {
        resourceVersion: string;
      }).resourceVersion,
      "4",
    );

    rsStream.push("DELETED", obj("ReplicaSet", "b", "6", { owner: "uid-x" }));
    assert.deepEqual(
      keys(await reader.nextChange()),
      keys([{ ...RS, namespace: "ns", name: "b" }]),
    );
    assert.deepEqual(await names("uid-x"), ["a"]);
    await assert.rejects(reader.get({ ...RS, namespace: "ns", name: "b" }), /not found/);
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: a bookmark moves the resourceVersion without reporting a change", async () => {
  const api = deploymentsApi();
  const { reader } = makeReader(api, [id("", "ConfigMap", "cfg")]);
  try {
    await reader.sync();
    const s1 = await api.nthStream(1);
    s1.push("BOOKMARK", { kind: "ConfigMap", metadata: { resourceVersion: "42" } });
    await assert.rejects(reader.nextChange({ signal: AbortSignal.timeout(50) }), (e: Error) => {
      assert.equal(e.name, "TimeoutError");
      return true;
    });
    assert.equal(reader.stats().bookmarks, 1);
    s1.fail(Object.assign(new Error("connection reset"), { name: "ConnectionError" }));
    const s2 = await api.nthStream(2);
    assert.equal(s2.options.resourceVersion, "42");
    assert.equal(api.calls.filter((c) => c.startsWith("list")).length, 1);
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: dropped watches resume from the last resourceVersion with growing, reset backoff", async () => {
  const api = deploymentsApi();
  api.listVersion = "10";
  const { reader, sleeps } = makeReader(api, [id("", "ConfigMap", "cfg")]);
  const dropped = () => Object.assign(new Error("dropped"), { name: "ConnectionError" });
  try {
    await reader.sync();
    (await api.nthStream(1)).fail(dropped());
    (await api.nthStream(2)).fail(Object.assign(new Error("unavailable"), { code: 503 }));
    const s3 = await api.nthStream(3);
    assert.deepEqual(sleeps, [50, 100], "doubling (random 0: half of each base)");
    s3.push("ADDED", obj("ConfigMap", "cfg", "11"));
    s3.fail(dropped());
    const s4 = await api.nthStream(4);
    assert.deepEqual(sleeps, [50, 100, 50], "reset after an event");
    assert.deepEqual(api.streams.map((s) => s.options.resourceVersion), ["10", "10", "10", "11"]);
    // Ended by the server after events: resumed at once; ended empty-handed: after a pause.
    s4.push("MODIFIED", obj("ConfigMap", "cfg", "12"));
    s4.end();
    const s5 = await api.nthStream(5);
    assert.equal(s5.options.resourceVersion, "12");
    assert.equal(sleeps.length, 3);
    s5.end();
    const s6 = await api.nthStream(6);
    assert.equal(sleeps.length, 4);
    assert.equal(s6.options.resourceVersion, "12");
    assert.equal(api.calls.filter((c) => c.startsWith("list")).length, 1, "never relisted");
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: 410 (thrown, or as an ERROR event) relists and reports only what changed", async () => {
  const api = deploymentsApi();
  api.objects.set("configmaps/ns", [
    obj("ConfigMap", "a", "1"),
    obj("ConfigMap", "b", "1"),
    obj("ConfigMap", "c", "1"),
  ]);
  const ids = ["a", "b", "c", "d"].map((n) => id("", "ConfigMap", n));
  const { reader, sleeps } = makeReader(api, ids);
  try {
    await reader.sync();
    const s1 = await api.nthStream(1);
    api.objects.set("configmaps/ns", [
      obj("ConfigMap", "a", "5"),
      obj("ConfigMap", "b", "1"),
      obj("ConfigMap", "d", "6"),
    ]);
    api.listVersion = "6";
    s1.fail(Object.assign(new Error("too old resource version"), { name: "GoneError", code: 410 }));
    const changed = await reader.nextChange();
    assert.deepEqual(changed.map((c) => c.name).sort(), ["a", "c", "d"]);
    const s2 = await api.nthStream(2);
    assert.equal(s2.options.resourceVersion, "6");
    await assert.rejects(reader.get(ids[2]), /not found/);
    assert.equal(((await reader.get(ids[3])).metadata as { name: string }).name, "d");

    s2.push("ERROR", { kind: "Status", code: 410, reason: "Expired" });
    await api.nthStream(3);
    assert.equal(api.calls.filter((c) => c.startsWith("list")).length, 3);
    assert.equal(reader.stats().relists, 2);
    assert.deepEqual(
      sleeps,
      [50],
      "the first relist after 410 is at once, a second in a row waits",
    );
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: Forbidden on a LIST is stored for the pair, retried, and the parents reported once it lifts", async () => {
  const api = deploymentsApi();
  api.objects.set("deployments/ns", [obj("Deployment", "web", "1")]);
  const forbidden = () =>
    Object.assign(new Error('replicasets.apps is forbidden: User "u" cannot list'), {
      name: "ForbiddenError",
      code: 403,
    });
  api.listFailures.set("replicasets", [forbidden(), forbidden()]);
  const { reader, sleeps } = makeReader(api, [WEB, id("", "ConfigMap", "cfg")]);
  try {
    await reader.sync();
    await assert.rejects(
      reader.listControlledBy!(RS, "ns", "uid-web"),
      (e: Error) => e.name === "ForbiddenError",
    );
    await assert.rejects(reader.listNamespaceScoped(RS, "ns", undefined), /forbidden/);
    assert.ok(await reader.get(WEB), "other pairs are unaffected");
    // The second failure is the same: not a change. The success is: the Deployment (parent) is reported.
    assert.deepEqual(keys(await reader.nextChange()), keys([WEB]));
    assert.deepEqual(await reader.listControlledBy!(RS, "ns", "uid-web"), []);
    assert.deepEqual(sleeps, [50, 100]);
    assert.equal(api.calls.filter((c) => c === "list replicasets ns").length, 3);
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: a kind without mapping is retried and picked up without restart", async () => {
  const widgets = {
    group: "example.com",
    version: "v1",
    kind: "Widget",
    resource: "widgets",
    namespaced: true,
  };
  const api = scriptedApi([]);
  const w1 = id("example.com", "Widget", "w1");
  const { reader, sleeps } = makeReader(api, [w1], { initialMs: 2, maxMs: 4, random: () => 0 });
  try {
    await reader.sync();
    await assert.rejects(reader.get(w1), (e: Error) => e.name === "NoMatchError");
    await eventually(() => sleeps.length >= 3, 5000, "retries");
    api.kinds.set("example.com/Widget", widgets);
    api.objects.set("widgets/ns", [obj("Widget", "w1", "9")]);
    assert.deepEqual(keys(await reader.nextChange()), keys([w1]));
    assert.equal((await reader.get(w1)).apiVersion, "example.com/v1");
    await api.nthStream(1);
  } finally {
    await shut(reader, api);
  }
});

Deno.test("watch reader: sync fails on a mapping error other than no-match, is abortable, and ends on close", async () => {
  const broken = deploymentsApi();
  const discovery = new Error("discovery failed: 500");
  broken.mapper.mapping = () => Promise.reject(discovery);
  const a = makeReader(broken, [WEB]);
  await assert.rejects(a.reader.sync(), (e) => e === discovery);
  await shut(a.reader, broken);

  const slow = deploymentsApi();
  slow.list = (_m, _ns, options) =>
    new Promise((_, reject) => {
      options?.signal?.addEventListener("abort", () => reject(options.signal!.reason), {
        once: true,
      });
    });
  const b = makeReader(slow, [WEB]);
  const controller = new AbortController();
  const syncing = b.reader.sync({ signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(syncing, /stop/);
  await shut(b.reader, slow);

  // Closed before the first LIST finished: sync rejects rather than waiting forever.
  const c = makeReader(slow, [WEB]);
  c.reader.close();
  await assert.rejects(c.reader.sync(), (e: Error) => e.name === "AbortError");
  await shut(c.reader, slow);
});

Deno.test("watch reader: nextChange adds one abort listener per signal, not per call; an abort or close rejects a waiting one", async () => {
  const api = deploymentsApi();
  const { reader } = makeReader(api, [id("", "ConfigMap", "cfg")]);
  await reader.sync();
  const controller = new AbortController();
  let listeners = 0;
  const add = controller.signal.addEventListener.bind(controller.signal);
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
    listeners++;
    return add(...args);
  }) as typeof add;
  // Calls resolved by changes, one after the other, as the engine makes them.
  for (let i = 2; i < 5; i++) {
    const resolved = reader.nextChange({ signal: controller.signal });
    (await api.nthStream(1)).push("ADDED", obj("ConfigMap", "cfg", String(i)));
    assert.deepEqual((await resolved).map((c) => c.name), ["cfg"]);
  }
  assert.equal(listeners, 1);
  const waiting = reader.nextChange({ signal: controller.signal });
  controller.abort(new Error("tick"));
  await assert.rejects(waiting, /tick/);
  await assert.rejects(reader.nextChange({ signal: controller.signal }), /tick/);

  const pending = reader.nextChange();
  reader.close();
  await assert.rejects(pending, (e: Error) => e.name === "AbortError");
  await assert.rejects(reader.nextChange(), (e: Error) => e.name === "AbortError");
  await reader.closed;
  assert.ok(api.streams.every((s) => s.closed));
});
