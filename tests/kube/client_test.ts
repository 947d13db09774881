import assert from "node:assert/strict";
import {
  ConflictError,
  ConnectionError,
  ForbiddenError,
  GoneError,
  type KubeClient,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
  UnauthorizedError,
  type WatchEvent,
} from "../../lib/kube/mod.ts";
import type { KubeApi } from "../../lib/cluster/types.ts";
import {
  clientFor,
  collect,
  deployment,
  DEPLOYMENTS,
  eventually,
  nameOf,
  NAMESPACES,
  PODS,
  withClient,
  withServer,
} from "./helpers.ts";

Deno.test("client: get, list (all namespaces and cluster-scoped) fill apiVersion and kind", async () => {
  await withServer(async (api) => {
    api.put(deployment("web", "a"));
    api.put(deployment("db", "b"));
    api.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } });
    await withClient(api, async ({ client }) => {
      const web = await client.get(DEPLOYMENTS, "a", "web");
      assert.equal(nameOf(web), "web");
      assert.equal(web.kind, "Deployment");

      const all = await client.list(DEPLOYMENTS, "");
      assert.deepEqual(all.items.map(nameOf), ["web", "db"]);
      for (const item of all.items) {
        assert.equal(item.apiVersion, "apps/v1");
        assert.equal(item.kind, "Deployment");
      }
      assert.equal(all.resourceVersion, String(api.resourceVersion));
      const inA = await client.list(DEPLOYMENTS, "a");
      assert.deepEqual(inA.items.map(nameOf), ["web"]);

      const ns = await client.list(NAMESPACES, "");
      assert.deepEqual(ns.items.map((o) => [o.apiVersion, o.kind, nameOf(o)]), [[
        "v1",
        "Namespace",
        "a",
      ]]);
      const listReq = api.requests.find((r) => r.verb === "list" && r.resource === "namespaces");
      assert.equal(listReq?.path, "/api/v1/namespaces");
    });
  });
});

Deno.test("client: list sends the label selector and field selector", async () => {
  await withServer(async (api) => {
    api.put(deployment("a", "ns", { app: "web", tier: "front" }));
    api.put(deployment("b", "ns", { app: "web", tier: "back" }));
    api.put(deployment("c", "ns", { app: "db" }));
    api.put(deployment("d", "ns", {}));
    await withClient(api, async ({ client }) => {
      const list = async (labelSelector: string) =>
        (await client.list(DEPLOYMENTS, "ns", { labelSelector })).items.map(nameOf);
      assert.deepEqual(await list("app=web"), ["a", "b"]);
      assert.deepEqual(await list("app in (web,db),tier notin (back)"), ["a", "c"]);
      assert.deepEqual(await list("!app"), ["d"]);
      assert.deepEqual(await list("tier"), ["a", "b"]);
      assert.deepEqual(await list("app!=web"), ["c", "d"]);
      const byName = await client.list(DEPLOYMENTS, "ns", { fieldSelector: "metadata.name=c" });
      assert.deepEqual(byName.items.map(nameOf), ["c"]);
      assert.equal(api.requests.at(-1)?.query.fieldSelector, "metadata.name=c");
    });
  });
});

Deno.test("client: list pages with limit and continue", async () => {
  await withServer(async (api) => {
    for (let i = 0; i < 7; i++) api.put(deployment(`d${i}`, "ns"));
    await withClient(api, async ({ client }) => {
      const { items } = await client.list(DEPLOYMENTS, "ns", { limit: 3 });
      assert.deepEqual(items.map(nameOf), ["d0", "d1", "d2", "d3", "d4", "d5", "d6"]);
      const lists = api.requests.filter((r) => r.verb === "list");
      assert.equal(lists.length, 3);
      assert.deepEqual(lists.map((r) => r.query.limit), ["3", "3", "3"]);
      assert.equal(lists[0].query.continue, undefined);
      assert.ok(lists[1].query.continue);
      assert.equal(client.requests.snapshot()["list apps/deployments"], 3);
      // The default page size is 500.
      await client.list(DEPLOYMENTS, "ns");
      assert.equal(api.requests.at(-1)?.query.limit, "500");
    });
  });
});

Deno.test("client: list keeps only what `keep` accepts, page by page, every page read", async () => {
  await withServer(async (api) => {
    for (let i = 0; i < 7; i++) api.put(deployment(`d${i}`, i % 2 ? "a" : "b"));
    await withClient(api, async ({ client }) => {
      const seen: string[] = [];
      const { items } = await client.list(DEPLOYMENTS, "", {
        limit: 3,
        keep(item) {
          seen.push(nameOf(item));
          return (item.metadata as { namespace?: string }).namespace === "a";
        },
      });
      assert.deepEqual(items.map(nameOf), ["d1", "d3", "d5"]);
      assert.equal(seen.length, 7, "every item is offered");
      assert.equal(items[0].kind, "Deployment", "offered with kind filled in");
      assert.equal(api.requests.filter((r) => r.verb === "list").length, 3);
    });
  });
});

Deno.test("client: an expired continue token restarts the list", async () => {
  await withServer(async (api) => {
    for (let i = 0; i < 5; i++) api.put(deployment(`d${i}`, "ns"));
    await withClient(api, async ({ client }) => {
      // Expire the tokens issued so far when the second page is asked for.
      let expired = false;
      api.delayNext((r) => {
        if (r.verb === "list" && r.query.continue && !expired) {
          expired = true;
          api.expireContinueTokens();
        }
        return false;
      }, 0);
      const { items } = await client.list(DEPLOYMENTS, "ns", { limit: 2 });
      assert.deepEqual(items.map(nameOf), ["d0", "d1", "d2", "d3", "d4"]);
      const lists = api.requests.filter((r) => r.verb === "list");
      assert.deepEqual(lists.map((r) => r.status), [200, 410, 200, 200, 200]);
      assert.equal(lists[2].query.continue, undefined, "restarted without a continue token");

      // Expiring on every continue ends, after a few restarts, with the GoneError.
      api.failNext((r) => r.verb === "list" && !!r.query.continue, { status: 410, times: 100 });
      await assert.rejects(client.list(DEPLOYMENTS, "ns", { limit: 2 }), (e: unknown) => {
        assert.ok(e instanceof GoneError);
        assert.equal(e.code, 410);
        assert.equal(e.reason, "Expired");
        return true;
      });
    });
  });
});

Deno.test("client: watch from a resourceVersion with bookmarks, ended by the server", async () => {
  await withServer(async (api) => {
    api.put(deployment("old", "ns"));
    await withClient(api, async ({ client }) => {
      const { resourceVersion } = await client.list(DEPLOYMENTS, "ns");
      const events: WatchEvent[] = [];
      const done = (async () => {
        for await (
          const ev of client.watch(DEPLOYMENTS, "ns", {
            resourceVersion,
            allowWatchBookmarks: true,
          })
        ) events.push(ev);
      })();
      await api.waitForWatches(1);
      const w = api.requests.find((r) => r.verb === "watch")!;
      assert.equal(w.query.resourceVersion, resourceVersion);
      assert.equal(w.query.allowWatchBookmarks, "true");
      api.put(deployment("new", "ns"));
      api.put({ ...deployment("new", "ns"), spec: { replicas: 2 } });
      api.put(deployment("elsewhere", "other"));
      api.bookmark();
      api.remove({ group: "apps", kind: "Deployment" }, "ns", "old");
      api.endWatches();
      await done;
      assert.deepEqual(events.map((e) => `${e.type} ${nameOf(e.object)}`), [
        "ADDED new",
        "MODIFIED new",
        "BOOKMARK ",
        "DELETED old",
      ]);
      const bm = events[2].object;
      assert.equal(bm.kind, "Deployment");
      assert.equal(
        (bm.metadata as { resourceVersion: string }).resourceVersion,
        String(api.resourceVersion - 1),
      );
      assert.equal(events[1].object.apiVersion, "apps/v1");
    });
  });
});

Deno.test("client: watch without resourceVersion starts with ADDED events; selectors apply", async () => {
  await withServer(async (api) => {
    api.put(deployment("a", "ns", { app: "web" }));
    api.put(deployment("b", "ns", { app: "db" }));
    await withClient(api, async ({ client }) => {
      const it = client.watch(DEPLOYMENTS, "ns", {
        labelSelector: "app=web",
        timeoutSeconds: 30,
      });
      const got = collect(it, (evs) => evs.length === 3);
      await api.waitForWatches(1);
      assert.equal(api.requests.at(-1)?.query.timeoutSeconds, "30");
      // b starts matching (ADDED), a stops matching (DELETED).
      api.put(deployment("b", "ns", { app: "web" }));
      api.put(deployment("a", "ns", { app: "none" }));
      const evs = await got;
      assert.deepEqual(evs.map((e) => `${e.type} ${nameOf(e.object)}`), [
        "ADDED a",
        "ADDED b",
        "DELETED a",
      ]);
      // Breaking out of the loop closed the watch.
      await eventually(() => api.watchCount() === 0);
    });
  });
});

Deno.test("client: a watch ERROR event is thrown as a typed error (410 → GoneError)", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      const events: WatchEvent[] = [];
      const done = (async () => {
        for await (const ev of client.watch(DEPLOYMENTS, "ns", { resourceVersion: "1" })) {
          events.push(ev);
        }
      })();
      await api.waitForWatches(1);
      api.put(deployment("x", "ns"));
      api.watchError();
      await assert.rejects(done, (e: unknown) => {
        assert.ok(e instanceof GoneError, String(e));
        assert.equal(e.code, 410);
        assert.equal(e.reason, "Expired");
        assert.match(e.message, /too old resource version/);
        assert.equal(e.resource?.kind, "Deployment");
        return true;
      });
      assert.equal(events.length, 1);

      // A resourceVersion older than the compaction point gets the ERROR at once.
      api.put(deployment("y", "ns"));
      api.compact();
      await assert.rejects(
        collect(client.watch(DEPLOYMENTS, "ns", { resourceVersion: "1" }), () => false),
        GoneError,
      );
    });
  });
});

Deno.test("client: a watch connection dropped mid-stream is a ConnectionError", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      const events: WatchEvent[] = [];
      const done = (async () => {
        for await (const ev of client.watch(DEPLOYMENTS, "ns")) events.push(ev);
      })();
      await api.waitForWatches(1);
      api.put(deployment("x", "ns"));
      // Let the event reach the client before the connection goes.
      await eventually(() => events.length > 0);
      api.dropWatches();
      await assert.rejects(done, (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.match(
          e.message,
          /^connection to the API server at https:\/\/127\.0\.0\.1:\d+ dropped/,
        );
        return true;
      });
    });
  });
});

Deno.test("client: typed errors carry code, reason, the Status message and the resource", async () => {
  await withServer(async (api) => {
    api.put(deployment("web", "ns"));
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.get(DEPLOYMENTS, "ns", "nope"), (e: unknown) => {
        assert.ok(e instanceof NotFoundError);
        assert.equal(e.name, "NotFoundError");
        assert.equal(e.code, 404);
        assert.equal(e.reason, "NotFound");
        assert.equal(e.message, 'deployments.apps "nope" not found');
        assert.deepEqual(e.resource, {
          group: "apps",
          kind: "Deployment",
          namespace: "ns",
          name: "nope",
        });
        return true;
      });
      await assert.rejects(
        client.create(DEPLOYMENTS, "ns", deployment("web", "ns")),
        (e: unknown) => e instanceof ConflictError && e.reason === "AlreadyExists",
      );
      const stale = await client.get(DEPLOYMENTS, "ns", "web");
      api.put({ ...deployment("web", "ns"), spec: { replicas: 3 } });
      await assert.rejects(
        client.replace(DEPLOYMENTS, "ns", "web", stale),
        (e: unknown) =>
          e instanceof ConflictError && e.reason === "Conflict" &&
          /the object has been modified/.test(e.message),
      );
      api.failNext({ verb: "get" }, { status: 500, times: 5 });
      await assert.rejects(client.get(DEPLOYMENTS, "ns", "web"), (e: unknown) => {
        assert.ok(e instanceof ServerError);
        assert.equal(e.code, 500);
        assert.equal(e.reason, "InternalError");
        return true;
      });
      api.failNext({ verb: "list" }, { status: 429, times: 5 });
      await assert.rejects(client.list(DEPLOYMENTS, "ns"), TooManyRequestsError);
      // An unknown resource path is a NotFound without a name.
      await assert.rejects(
        client.list({ ...DEPLOYMENTS, resource: "nothings" }, "ns"),
        (e: unknown) => e instanceof NotFoundError && /could not find/.test(e.message),
      );
    });
  });
});

Deno.test("client: forbidden requests are ForbiddenErrors with the server's message", async () => {
  await withServer(async (api) => {
    api.put(deployment("web", "ns"));
    api.setForbidden((a) => a.user === "alice" && a.resource === "deployments");
    await withClient(api, async ({ client }) => {
      await assert.rejects(client.get(DEPLOYMENTS, "ns", "web"), (e: unknown) => {
        assert.ok(e instanceof ForbiddenError);
        assert.equal(e.code, 403);
        assert.equal(
          e.message,
          'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments" ' +
            'in API group "apps" in the namespace "ns"',
        );
        assert.equal(e.resource?.name, "web");
        return true;
      });
      await assert.rejects(
        client.list(DEPLOYMENTS, ""),
        /cannot list resource "deployments" in API group "apps" at the cluster scope/,
      );
      // Other resources are allowed.
      await client.list(PODS, "ns");
    }, { user: "alice", groups: ["devs"] });
  });
});

Deno.test("client: wrong credentials are an UnauthorizedError", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      api.removeToken("good-token");
      await assert.rejects(client.list(PODS, "ns"), (e: unknown) => {
        assert.ok(e instanceof UnauthorizedError);
        assert.equal(e.code, 401);
        assert.equal(e.message, "Unauthorized");
        return true;
      });
      // A static token cannot be refreshed: one request, no retry.
      assert.equal(api.requests.filter((r) => r.verb === "list").length, 1);
    }, { auth: "token", token: "good-token" });
  }, { clientCert: "optional" });
});

Deno.test("client: 429 is retried after Retry-After, 503 and a reset connection with backoff", async () => {
  await withServer(async (api) => {
    api.put(deployment("web", "ns"));
    await withClient(
      api,
      async ({ client, sleeps }) => {
        api.failNext({ verb: "get" }, { status: 429, retryAfter: 3, times: 2 });
        const web = await client.get(DEPLOYMENTS, "ns", "web");
        assert.equal(nameOf(web), "web");
        assert.deepEqual(sleeps, [3000, 3000], "Retry-After honoured");
        assert.deepEqual(api.requests.map((r) => r.status), [429, 429, 200]);

        sleeps.length = 0;
        api.resetRequests();
        api.failNext({ verb: "list" }, { status: 503, times: 2 });
        await client.list(DEPLOYMENTS, "ns");
        assert.deepEqual(api.requests.map((r) => r.status), [503, 503, 200]);
        assert.equal(sleeps.length, 2);
        assert.ok(sleeps[0] < 200 && sleeps[1] < 400, `full jitter within the window: ${sleeps}`);

        sleeps.length = 0;
        api.resetRequests();
        api.resetNext({ verb: "get" });
        await client.get(DEPLOYMENTS, "ns", "web");
        assert.deepEqual(api.requests.map((r) => r.status), [0, 200]);
        assert.equal(sleeps.length, 1);

        // A response cut off mid-body is retried too.
        sleeps.length = 0;
        api.resetRequests();
        api.truncateNext({ verb: "get" });
        assert.equal(nameOf(await client.get(DEPLOYMENTS, "ns", "web")), "web");
        assert.deepEqual(api.requests.map((r) => r.status), [0, 200]);
        assert.equal(sleeps.length, 1);

        // Bounded: 5 tries in all by default, then the error.
        api.resetRequests();
        api.failNext({ verb: "get" }, { status: 503, times: 10 });
        await assert.rejects(client.get(DEPLOYMENTS, "ns", "web"), ServerError);
        assert.equal(api.requests.length, 5);
      },
      {},
      { retry: { random: () => 0.5 } },
    );
  });
});

Deno.test("client: writes are not retried on 5xx without Retry-After, but are on 429", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      api.failNext({ verb: "create" }, { status: 503 });
      await assert.rejects(client.create(DEPLOYMENTS, "ns", deployment("a", "ns")), ServerError);
      assert.equal(api.requests.filter((r) => r.verb === "create").length, 1);
      api.failNext({ verb: "create" }, { status: 429 });
      await client.create(DEPLOYMENTS, "ns", deployment("a", "ns"));
      assert.deepEqual(api.requests.filter((r) => r.verb === "create").map((r) => r.status), [
        503,
        429,
        201,
      ]);
      assert.ok(api.get({ group: "apps", kind: "Deployment" }, "ns", "a"));
    });
  });
});

Deno.test("client: aborting during the backoff sleep ends the call at once (real sleep)", async () => {
  await withServer(async (api) => {
    await withClient(
      api,
      async ({ client }) => {
        api.failNext({ verb: "list" }, { status: 429, retryAfter: 60 });
        const ac = new AbortController();
        const started = Date.now();
        const call = client.list(DEPLOYMENTS, "ns", { signal: ac.signal });
        while (api.requests.length === 0 || api.requests[0].status === 0) {
          await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, 20));
        ac.abort();
        await assert.rejects(call, (e: unknown) => (e as Error).name === "AbortError");
        assert.ok(Date.now() - started < 2000);
        assert.equal(api.requests.length, 1);
      },
      {},
      { sleep: undefined },
    );
  });
});

Deno.test("client: aborting mid-request and mid-watch leaves nothing behind", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      api.delayNext({ verb: "get" }, 10_000);
      const ac = new AbortController();
      const call = client.get(DEPLOYMENTS, "ns", "web", { signal: ac.signal });
      setTimeout(() => ac.abort(), 30);
      await assert.rejects(call, (e: unknown) => (e as Error).name === "AbortError");

      const wac = new AbortController();
      const events: WatchEvent[] = [];
      const watching = (async () => {
        for await (const ev of client.watch(DEPLOYMENTS, "ns", { signal: wac.signal })) {
          events.push(ev);
        }
      })();
      await api.waitForWatches(1);
      api.put(deployment("a", "ns"));
      await eventually(() => events.length > 0);
      wac.abort(new DOMException("stop", "AbortError"));
      await assert.rejects(watching, (e: unknown) => (e as Error).message === "stop");
      await eventually(() => api.watchCount() === 0);

      // An already aborted signal sends nothing.
      const before = api.requests.length;
      await assert.rejects(
        client.get(DEPLOYMENTS, "ns", "x", { signal: AbortSignal.abort() }),
        (e: unknown) => (e as Error).name === "AbortError",
      );
      assert.equal(api.requests.length, before);
    });
  });
});

Deno.test("client: close() aborts open watches", async () => {
  await withServer(async (api) => {
    const { client } = await clientFor(api);
    const watching = collect(client.watch(DEPLOYMENTS, "ns"), () => false);
    await api.waitForWatches(1);
    client.close();
    await assert.rejects(watching, (e: unknown) => (e as Error).name === "AbortError");
  });
});

Deno.test("client: create, replace, merge-patch and delete", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      const created = await client.create(DEPLOYMENTS, "ns", {
        metadata: { name: "web", labels: { app: "web" } },
        spec: { replicas: 1 },
      });
      assert.equal(created.apiVersion, "apps/v1");
      const meta = created.metadata as Record<string, unknown>;
      assert.equal(meta.namespace, "ns");
      assert.equal(meta.generation, 1);

      const replaced = await client.replace(DEPLOYMENTS, "ns", "web", {
        ...created,
        spec: { replicas: 2 },
      });
      assert.equal((replaced.metadata as Record<string, unknown>).generation, 2);

      const patched = await client.mergePatch(DEPLOYMENTS, "ns", "web", {
        metadata: { labels: { app: null, tier: "front" } },
        spec: { replicas: 5 },
      });
      assert.deepEqual((patched.metadata as Record<string, unknown>).labels, { tier: "front" });
      assert.deepEqual(patched.spec, { replicas: 5 });
      const patchReq = api.requests.find((r) => r.verb === "patch")!;
      assert.equal(patchReq.path, "/apis/apps/v1/namespaces/ns/deployments/web");

      await client.delete(DEPLOYMENTS, "ns", "web", { propagationPolicy: "Background" });
      assert.equal(api.get({ group: "apps", kind: "Deployment" }, "ns", "web"), undefined);
      await assert.rejects(client.delete(DEPLOYMENTS, "ns", "web"), NotFoundError);
      assert.deepEqual(client.requests.snapshot(), {
        "create apps/deployments": 1,
        "delete apps/deployments": 2,
        "patch apps/deployments": 1,
        "update apps/deployments": 1,
      });
      assert.equal(client.requests.total(), 5);
    });
  });
});

Deno.test("client: request counter per verb and resource, with discovery and retries", async () => {
  await withServer(async (api) => {
    api.put(deployment("web", "ns"));
    await withClient(api, async ({ client }) => {
      const m = await client.mapper.mapping({ group: "apps", kind: "Deployment" });
      await client.get(m, "ns", "web");
      api.failNext({ verb: "list" }, { status: 503 });
      await client.list(m, "ns");
      await client.list(PODS, "");
      assert.deepEqual(client.requests.snapshot(), {
        discovery: 2,
        "get apps/deployments": 1,
        "list apps/deployments": 2,
        "list pods": 1,
      });
      assert.equal(client.requests.total(), 6);
      assert.equal(client.requests.total(), api.requests.length);
      client.requests.reset();
      assert.deepEqual(client.requests.snapshot(), {});
      assert.equal(client.requests.total(), 0);
    });
  });
});

Deno.test("client: an unreachable server is a one-line ConnectionError naming it", async () => {
  // A port that was just free: connection refused.
  let port = 0;
  await withServer(async (api) => {
    port = api.port;
    const kubeconfig = await api.kubeconfig();
    const text = await Deno.readTextFile(kubeconfig);
    await Deno.writeTextFile(kubeconfig + ".copy", text);
  });
  await withServer(async (api) => {
    await withClient(api, async ({ client, sleeps }) => {
      await assert.rejects(client.list(PODS, "ns"), (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.equal(e.failure, "refused");
        assert.equal(
          e.message,
          `cannot reach the API server at https://127.0.0.1:${port}: connection refused`,
        );
        assert.ok(!e.message.includes("\n"));
        return true;
      });
      assert.equal(sleeps.length, 4, "refused connections are retried");
    }, { server: `https://127.0.0.1:${port}` });
  });
});

Deno.test("client: a server whose certificate we do not trust is a TLS ConnectionError", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client, sleeps }) => {
      await assert.rejects(client.list(PODS, "ns"), (e: unknown) => {
        assert.ok(e instanceof ConnectionError, String(e));
        assert.equal(e.failure, "tls");
        assert.match(e.message, /^cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: TLS/);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
      assert.equal(sleeps.length, 0, "TLS failures are not retried");
    }, { ca: "none" });
  });
});

Deno.test("client: the client satisfies the engine's KubeApi interface", async () => {
  await withServer(async (api) => {
    await withClient(api, async ({ client }) => {
      const kubeApi: KubeApi = client;
      const m = await kubeApi.mapper.mapping({ group: "", kind: "Pod" });
      assert.equal(m.resource, "pods");
      const typed: KubeClient = client;
      assert.equal(typeof typed.close, "function");
    });
  });
});
