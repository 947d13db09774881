/**
 * The Bun transport's routing of long requests (watches): `fetch` while fewer than
 * FETCH_LONG_LIMIT are open, the overflow transport (`node:https` in the binary) beyond, and a
 * slot freed when a stream ends or is aborted. Runs under Deno against a plain HTTP server: the
 * routing is the same, only Bun's `tls` option is ignored.
 */
import assert from "node:assert/strict";
import { createBunTransport, FETCH_LONG_LIMIT } from "../../lib/kube/transport_bun.ts";
import type { Transport, TransportRequest } from "../../lib/kube/transport.ts";

/** A server whose `/watch` responses stay open until `/end` ends them all. */
function startServer() {
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let watches = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/watch") {
      watches++;
      let self: ReadableStreamDefaultController<Uint8Array>;
      return new Response(
        new ReadableStream<Uint8Array>({
          start(c) {
            self = c;
            open.add(c);
            c.enqueue(new TextEncoder().encode("{}\n"));
          },
          cancel() {
            open.delete(self);
          },
        }),
      );
    }
    return new Response("ok");
  });
  return {
    url: (path: string) => new URL(path, `http://127.0.0.1:${server.addr.port}`),
    watches: () => watches,
    endOne() {
      const c = open.values().next().value!;
      open.delete(c);
      c.close();
    },
    async close() {
      for (const c of open) c.close();
      await server.shutdown();
    },
  };
}

Deno.test("bun transport: long requests go over fetch up to the limit, the rest to the overflow transport, and a slot frees when a stream ends or is aborted", async () => {
  const server = startServer();
  const overflowed: TransportRequest[] = [];
  const overflow: Transport = {
    name: "node",
    request(req) {
      overflowed.push(req);
      return Promise.reject(new Error("overflow"));
    },
    close() {},
  };
  const transport = createBunTransport({}, () => Promise.resolve(overflow));
  const controllers: AbortController[] = [];
  const long = () => {
    const ac = new AbortController();
    controllers.push(ac);
    return transport.request({
      method: "GET",
      url: server.url("/watch"),
      headers: {},
      signal: ac.signal,
      long: true,
    });
  };
  try {
    const responses = [];
    for (let i = 0; i < FETCH_LONG_LIMIT; i++) responses.push(await long());
    assert.equal(server.watches(), FETCH_LONG_LIMIT);
    await assert.rejects(long(), /overflow/);
    assert.equal(overflowed.length, 1);

    // A short request is never sent to the overflow transport.
    const short = await transport.request({
      method: "GET",
      url: server.url("/list"),
      headers: {},
      signal: new AbortController().signal,
    });
    assert.equal(await short.text(), "ok");

    // Aborting one frees its slot.
    controllers[0].abort();
    await long();
    assert.equal(server.watches(), FETCH_LONG_LIMIT + 1);
    await assert.rejects(long(), /overflow/);

    // So does a stream the server ends, once its body is read to the end.
    server.endOne();
    // Drain every open body (all but the aborted one): the one the server ended finishes.
    const reads = responses.slice(1).map(async (r) => {
      for await (const _ of r.body) { /* drain */ }
    });
    for (const read of reads) read.catch(() => {}); // the others end aborted, in `finally`
    await Promise.race(reads);
    await long();
    assert.equal(server.watches(), FETCH_LONG_LIMIT + 2);
    assert.equal(overflowed.length, 2);
  } finally {
    for (const ac of controllers) ac.abort();
    transport.close();
    await server.close();
  }
});
