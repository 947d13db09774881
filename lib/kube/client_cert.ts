/**
 * What can be wrong with our own client certificate, said as ours: TLS
 * stacks report an expired or unusable client certificate as a reset
 * connection or a failed handshake, which reads as the server's fault.
 *
 * @module
 */

import type { X509Certificate } from "node:crypto";

/**
 * Why `pem` cannot work as a client certificate at `now`, or `undefined`.
 *
 * @example
 * ```ts ignore
 * await clientCertProblem(pem, Date.now(), "deno"); // "expired on 2026-11-30T22:33:27.000Z"
 * ```
 */
export async function clientCertProblem(
  pem: string,
  now: number,
  runtime: string,
): Promise<string | undefined> {
  let cert: X509Certificate;
  try {
    // Loaded only when a connection failed: the X.509 parser is not part of start-up.
    const { X509Certificate } = await import("node:crypto");
    cert = new X509Certificate(pem);
  } catch {
    return "cannot be read as an X.509 certificate";
  }
  const notAfter = Date.parse(cert.validTo);
  const notBefore = Date.parse(cert.validFrom);
  if (notAfter < now) return `expired on ${new Date(notAfter).toISOString()}`;
  if (notBefore > now) return `is not valid before ${new Date(notBefore).toISOString()}`;
  if (runtime === "deno" && x509Version(cert.raw) === 1) {
    return "is an X.509 version 1 certificate, which Deno's TLS (rustls) does not accept: " +
      "reissue it as version 3, or use the kstatus binary (Bun)";
  }
  return undefined;
}

/** The X.509 version (1, 2, 3) from the DER: v1 leaves the optional [0] version field out. */
function x509Version(der: Uint8Array): number {
  let i = 0;
  const skipHeader = () => {
    i++; // tag
    const len = der[i++];
    if (len & 0x80) i += len & 0x7f;
  };
  skipHeader(); // Certificate SEQUENCE
  skipHeader(); // TBSCertificate SEQUENCE
  if (der[i] !== 0xa0) return 1;
  skipHeader(); // [0] EXPLICIT
  skipHeader(); // INTEGER
  return der[i] + 1;
}
