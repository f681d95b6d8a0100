// HTTPS, client certificates and unix sockets against Debian's nginx, with its
// access log as ground truth. nginx and openssl are required: these tests fail
// (never skip) when either is missing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../_helpers/cli_spawn.ts";
import {
  makeCertificates,
  type NginxHandle,
  startNginx,
  type TestCertificates,
} from "../_helpers/nginx_tls.ts";
import { createConnection, prepareRequest } from "../../src/http/mod.ts";
import { ErrorKind } from "../../src/collector/types.ts";
import { tlsConnect } from "../../src/runtime/connect.ts";
import type { TcpSocket, TlsConnectOptions } from "../../src/runtime/connect.ts";

interface Snapshot {
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  statusCounts: Record<string, number>;
  errorsByKind: Record<string, number>;
}

let certs: TestCertificates;
let tls: NginxHandle;
let mtls: NginxHandle;
let unix: NginxHandle;
let out: string;

before(async () => {
  certs = makeCertificates();
  out = mkdtempSync(join(tmpdir(), "lunge-tls-test-"));
  tls = await startNginx({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  mtls = await startNginx({
    tls: { cert: certs.serverCert, key: certs.serverKey, verifyClientCa: certs.clientCa },
  });
  unix = await startNginx({ unixSocket: true });
});

after(async () => {
  await Promise.all([tls?.stop(), mtls?.stop(), unix?.stop()]);
  certs?.remove();
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

let runs = 0;
/** Runs `lunge run` with a request count and returns the exit code and the result's snapshot. */
async function lunge(args: string[]): Promise<{ code: number | null; stderr: string; snapshot: Snapshot }> {
  const json = join(out, `run-${runs++}.json`);
  const r = await runCli(["run", ...args, "-w", "1", "-q", "--json", json], { timeoutMs: 60_000 });
  assert.notEqual(r.code, 2, r.stderr);
  return { code: r.code, stderr: r.stderr, snapshot: JSON.parse(readFileSync(json, "utf8")).snapshot };
}

function linesSince(nginx: NginxHandle, before: number): string[] {
  return nginx.accessLogLines().slice(before);
}

describe("TLS on the raw client against nginx", { timeout: 180_000 }, () => {
  it("--insecure: every request succeeds over HTTP/1.1, and lunge's total equals nginx's log", async () => {
    const seen = tls.accessLogLines().length;
    const r = await lunge([`${tls.url}/`, "-n", "600", "-c", "8", "--insecure"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.snapshot.totalRequests, 600);
    assert.equal(r.snapshot.successfulRequests, 600);
    const lines = linesSince(tls, seen);
    assert.equal(lines.length, r.snapshot.totalRequests);
    assert.ok(
      lines.every((l) => l === '200 HTTP/1.1 "GET / HTTP/1.1"'),
      lines.find((l) => !l.startsWith("200")),
    );
  });

  it("--cacert with the server's certificate succeeds without --insecure", async () => {
    const seen = tls.accessLogLines().length;
    const r = await lunge([`${tls.url}/`, "-n", "200", "-c", "4", "--cacert", certs.serverCert]);
    assert.equal(r.snapshot.successfulRequests, 200, JSON.stringify(r.snapshot.errorsByKind));
    assert.equal(linesSince(tls, seen).length, 200);
  });

  it("--connect-to sends elsewhere but keeps the URL's host for SNI, verification and Host", async () => {
    const seen = tls.accessLogLines().length;
    // Nothing listens on localhost:1; the certificate is for "localhost".
    const r = await lunge([
      "https://localhost:1/",
      "-n",
      "50",
      "-c",
      "2",
      "--cacert",
      certs.serverCert,
      "--connect-to",
      `localhost:1:127.0.0.1:${tls.port}`,
    ]);
    assert.equal(r.snapshot.successfulRequests, 50, JSON.stringify(r.snapshot.errorsByKind));
    assert.equal(linesSince(tls, seen).length, 50);
    // A server name the certificate does not carry fails verification.
    const wrong = await lunge([
      `${tls.url}/`,
      "-n",
      "10",
      "-c",
      "1",
      "--cacert",
      certs.serverCert,
      "--servername",
      "wrong.example",
    ]);
    assert.equal(wrong.snapshot.errorsByKind.tls, 10);
  });

  it("without a flag the self-signed server fails every request as `tls`, nothing reaches nginx", async () => {
    const seen = tls.accessLogLines().length;
    const r = await lunge([`${tls.url}/`, "-n", "40", "-c", "2"]);
    assert.equal(r.snapshot.totalRequests, 40);
    assert.equal(r.snapshot.errorsByKind.tls, 40);
    assert.equal(r.snapshot.successfulRequests, 0);
    assert.equal(linesSince(tls, seen).length, 0);
  });

  it("the connection reports the TLS failure's reason", async () => {
    const req = prepareRequest({ url: `${tls.url}/`, method: "GET", headers: {} });
    const conn = createConnection(req, () => {});
    const result = await new Promise<{ kind: number; message: string }>((resolve) => {
      const c = createConnection(
        req,
        (_status, _bytes, kind) => resolve({ kind, message: c.lastError ?? "" }),
      );
      c.send();
    });
    conn.close();
    assert.equal(result.kind, ErrorKind.Tls);
    assert.match(result.message, /^certificate verify failed: /);
  });

  it("tlsConnect reports the protocol the server chose by ALPN, verified or not", async () => {
    const ca = readFileSync(certs.serverCert, "utf8");
    const negotiate = (options: TlsConnectOptions): Promise<string | null> =>
      new Promise((resolve, reject) => {
        tlsConnect("127.0.0.1", tls.port, {
          onTcpOpen: (socket: TcpSocket) => {
            resolve(socket.alpnProtocol);
            socket.close();
          },
          onTcpData: () => {},
          onTcpClose: (_socket, error) => reject(error ?? new Error("closed before the handshake")),
        }, options);
      });
    // This nginx speaks nothing but HTTP/1.1: it picks http/1.1 out of h2 and http/1.1.
    assert.equal(await negotiate({ ca: [ca], alpn: ["h2", "http/1.1"] }), "http/1.1");
    assert.equal(await negotiate({ insecure: true, alpn: ["h2", "http/1.1"] }), "http/1.1");
    assert.equal(await negotiate({ ca: [ca] }), null);
  });

  it("a refused connection to an https:// URL stays `refused`, not `tls`", async () => {
    for (const tlsOptions of [{}, { insecure: true }]) {
      const req = prepareRequest({ url: "https://127.0.0.1:1/", method: "GET", headers: {} }, {
        tls: tlsOptions,
      });
      const kind = await new Promise<number>((resolve) => {
        const c = createConnection(req, (_status, _bytes, errorKind) => resolve(errorKind));
        c.send();
      });
      assert.equal(kind, ErrorKind.Refused, JSON.stringify(tlsOptions));
    }
  });

  it("client certificates: nginx with ssl_verify_client accepts --cert/--key and rejects a run without", async () => {
    const seen = mtls.accessLogLines().length;
    const ok = await lunge([
      `${mtls.url}/`,
      "-n",
      "100",
      "-c",
      "2",
      "--cacert",
      certs.serverCert,
      "--cert",
      certs.clientCert,
      "--key",
      certs.clientKey,
    ]);
    assert.equal(ok.snapshot.successfulRequests, 100, JSON.stringify(ok.snapshot));
    const without = await lunge([`${mtls.url}/`, "-n", "50", "-c", "2", "--cacert", certs.serverCert]);
    assert.equal(without.snapshot.successfulRequests, 0);
    assert.equal(without.snapshot.failedRequests, 50);
    // nginx answers 400 "No required SSL certificate was sent" to every request.
    assert.equal(without.snapshot.statusCounts["400"], 50, JSON.stringify(without.snapshot));
    const lines = linesSince(mtls, seen);
    assert.equal(lines.length, 150);
    assert.equal(lines.filter((l) => l.startsWith("200 ")).length, 100);
  });

  it("a missing certificate or key file is a usage error: exit 2, one line", async () => {
    for (
      const args of [
        ["--cacert", join(out, "missing.pem")],
        ["--cert", certs.clientCert, "--key", join(out, "missing.key")],
      ]
    ) {
      const r = await runCli(["run", `${tls.url}/`, "-n", "1", ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /cannot read file/);
    }
  });
});

describe("unix domain sockets", { timeout: 120_000 }, () => {
  it("--unix-socket carries HTTP/1.1 to nginx; lunge's total equals nginx's log", async () => {
    const seen = unix.accessLogLines().length;
    const r = await lunge([`${unix.url}/`, "-n", "500", "-c", "8", "--unix-socket", unix.socketPath!]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.snapshot.successfulRequests, 500);
    const lines = linesSince(unix, seen);
    assert.equal(lines.length, 500);
    assert.ok(lines.every((l) => l.startsWith("200 HTTP/1.1")));
  });
});
