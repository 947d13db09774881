/**
 * A throw-away PKI for the fake API server, made with the `openssl` CLI in
 * a temporary directory: a CA, a server certificate, client certificates per
 * user, and a second, untrusted CA with its own client certificate.
 *
 * @module
 */

import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";

/** A certificate and key, as files and as PEM text. */
export interface CertPair {
  /** Path of the PEM certificate. */
  certFile: string;
  /** Path of the PEM private key. */
  keyFile: string;
  /** PEM certificate. */
  cert: string;
  /** PEM private key. */
  key: string;
}

/** The PKI of one fake server. */
export interface Pki {
  /** Directory holding the files. */
  dir: string;
  /** The CA clients trust. */
  ca: CertPair;
  /** The server's certificate. */
  server: CertPair;
  /** A client certificate for `admin` in `system:masters`. */
  admin: CertPair;
  /** A CA nobody trusts. */
  otherCa: CertPair;
  /** A client certificate for `admin` signed by `otherCa`. */
  untrustedClient: CertPair;
  /** A client certificate for `user` in `groups`, signed by the CA. */
  clientCert(user: string, groups?: string[]): Promise<CertPair>;
}

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("openssl", args, { cwd }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`openssl ${args[0]} failed: ${stderr || err.message}`));
      else resolve();
    });
  });
}

async function pair(dir: string, name: string): Promise<CertPair> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  return {
    certFile,
    keyFile,
    cert: await readFile(certFile, "utf8"),
    key: await readFile(keyFile, "utf8"),
  };
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

async function selfSigned(dir: string, name: string, cn: string): Promise<CertPair> {
  await openssl(
    [
      "req",
      "-x509",
      ...EC,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-days",
      "2",
      "-subj",
      `/CN=${cn}`,
    ],
    dir,
  );
  return await pair(dir, name);
}

async function signed(
  dir: string,
  name: string,
  subject: string,
  ca: string,
  ext: string,
): Promise<CertPair> {
  await writeFile(join(dir, `${name}.ext`), ext);
  await openssl(
    ["req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject],
    dir,
  );
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.crt`,
      "-CAkey",
      `${ca}.key`,
      "-set_serial",
      String(Date.now() * 1000 + Math.floor(Math.random() * 1000)),
      "-out",
      `${name}.crt`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    ],
    dir,
  );
  return await pair(dir, name);
}

function subjectFor(user: string, groups: string[]): string {
  const esc = (s: string) => s.replace(/[/\\=,+]/g, (c) => `\\${c}`);
  return groups.map((g) => `/O=${esc(g)}`).join("") + `/CN=${esc(user)}`;
}

/**
 * Creates the PKI in `dir`. The server certificate is valid for
 * `serverNames` (IP addresses and DNS names).
 */
export async function createPki(
  dir: string,
  serverNames: string[] = ["127.0.0.1", "localhost"],
): Promise<Pki> {
  const [ca, otherCa] = await Promise.all([
    selfSigned(dir, "ca", "fake-kube-ca"),
    selfSigned(dir, "other-ca", "untrusted-ca"),
  ]);
  const san = serverNames.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  let serial = 0;
  const clientCert = (user: string, groups: string[] = []) =>
    signed(
      dir,
      `client-${++serial}-${user.replace(/[^\w.-]/g, "_")}`,
      subjectFor(user, groups),
      "ca",
      "extendedKeyUsage=clientAuth\n",
    );
  const [server, admin, untrustedClient] = await Promise.all([
    signed(
      dir,
      "server",
      "/CN=kube-apiserver",
      "ca",
      `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`,
    ),
    clientCert("admin", ["system:masters"]),
    signed(
      dir,
      "untrusted-client",
      "/O=system:masters/CN=admin",
      "other-ca",
      "extendedKeyUsage=clientAuth\n",
    ),
  ]);
  return { dir, ca, server, admin, otherCa, untrustedClient, clientCert };
}
