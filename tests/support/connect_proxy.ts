/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 for proxy-url tests: tunnels
 * TCP to the requested host and records each CONNECT (target and
 * `Proxy-Authorization`).
 *
 * @module
 */

import net from "node:net";
import { Buffer } from "node:buffer";

/** A running CONNECT proxy. */
export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** CONNECTs received. */
  connects: Array<{ target: string; authorization?: string }>;
  /** Stops the proxy and cuts every tunnel. */
  close(): Promise<void>;
}

/** Starts a CONNECT proxy. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const sockets = new Set<net.Socket>();
  const connects: ConnectProxy["connects"] = [];
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      client.off("data", onData);
      const lines = head.slice(0, end).split("\r\n");
      const [method, target] = lines[0].split(" ");
      const auth = lines.find((l) => /^proxy-authorization:/i.test(l))?.replace(/^[^:]+:\s*/, "");
      connects.push({ target, authorization: auth });
      if (method !== "CONNECT") {
        client.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
        return;
      }
      const [host, port] = [
        target.slice(0, target.lastIndexOf(":")),
        target.slice(target.lastIndexOf(":") + 1),
      ];
      const upstream = net.connect(Number(port), host.replace(/^\[|\]$/g, ""), () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        const rest = Buffer.from(head.slice(end + 4), "latin1");
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on("close", () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
