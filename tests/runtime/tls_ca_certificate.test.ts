/**
 * `--cacert` against a real OpenSSL TLS server (Node's `node:https` in a
 * child process) with the two kinds of test certificate docs/tls.md names:
 *
 * - the one-command self-signed certificate (`openssl req -x509 …`, CA:TRUE):
 *   accepted on Bun; on Deno (rustls refuses a CA as the server's own
 *   certificate) the run ends with exit 1 and one line saying why and what to
 *   do, no stack trace; `-k` works on both;
 * - a CA and a leaf signed by it, made with the two commands of docs/tls.md
 *   (read from the file, so the docs stay right): accepted on both.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../_helpers/cli_spawn.ts";
import { needTool } from "../_helpers/tools.ts";
import { runtimeName } from "../../src/runtime/mod.ts";

const DOCS = new URL("../../docs/tls.md", import.meta.url);
const opensslPath = (() => {
  try {
    return execFileSync("sh", ["-c", "command -v openssl"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
})();
const openssl = needTool("openssl", opensslPath, "apt-get install -y openssl");

/** A Node HTTPS server (OpenSSL) in a child process answering "ok"; resolves with its port. */
function startServer(dir: string, cert: string, key: string): Promise<{ port: number; child: ChildProcess }> {
  const script = join(dir, `server-${cert}.mjs`);
  writeFileSync(
    script,
    [
      'import { createServer } from "node:https";',
      'import { readFileSync } from "node:fs";',
      `const s = createServer({ cert: readFileSync(${JSON.stringify(join(dir, cert))}),`,
      `  key: readFileSync(${JSON.stringify(join(dir, key))}) }, (q, r) => r.end("ok"));`,
      's.listen(0, "127.0.0.1", () => console.log(s.address().port));',
      "process.stdin.on('end', () => process.exit(0)); process.stdin.resume();", // ends with the test
    ].join("\n"),
  );
  const child = spawn("node", [script], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Uint8Array) => {
      out += new TextDecoder().decode(d);
      if (out.includes("\n")) resolve({ port: Number(out.trim()), child });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`TLS server exited (${code})`)));
  });
}

describe("--cacert with test certificates", { timeout: 120_000 }, () => {
  let dir = "";
  const servers: ChildProcess[] = [];
  let selfSigned = 0;
  let leaf = 0;

  before(async () => {
    if (opensslPath === null) return;
    dir = mkdtempSync(join(tmpdir(), "lunge-tls-ca-"));
    const sh = (command: string): void =>
      void execFileSync("sh", ["-c", command], { cwd: dir, stdio: "pipe" });
    // The issue's one-command certificate, exactly.
    sh(
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 " +
        "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1",
    );
    // The two commands of docs/tls.md.
    const block = /<!-- tested: tls-ca -->\s*```sh\n([\s\S]*?)```/.exec(readFileSync(DOCS, "utf8"));
    assert.ok(block, "docs/tls.md has its tested CA commands");
    const commands = block[1].trim().split("\n");
    assert.equal(commands.length, 2);
    for (const command of commands) sh(command);
    const a = await startServer(dir, "cert.pem", "key.pem");
    const b = await startServer(dir, "server.pem", "server.key");
    servers.push(a.child, b.child);
    selfSigned = a.port;
    leaf = b.port;
  });

  after(() => {
    for (const s of servers) {
      s.removeAllListeners("exit");
      s.stdin?.end();
      s.kill();
    }
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  const run = (port: number, ...flags: string[]) =>
    runCli(["run", `https://127.0.0.1:${port}/`, "-n", "20", "-c", "2", "-w", "1", "-q", ...flags], {
      timeoutMs: 60_000,
    });

  it(
    "the self-signed CA:TRUE certificate: Bun accepts it, Deno says why not and what to do",
    openssl.options(),
    async () => {
      openssl.require();
      assert.match(
        execFileSync("openssl", ["x509", "-in", join(dir, "cert.pem"), "-noout", "-text"], {
          encoding: "utf8",
        }),
        /CA:TRUE/,
      );
      const r = await run(selfSigned, "--cacert", join(dir, "cert.pem"));
      if (runtimeName === "deno") {
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const line = r.stderr.trim().split("\n").pop() ?? "";
        assert.match(
          line,
          /^lunge: every request failed: TLS failed with 127\.0\.0\.1:\d+: certificate verify failed: server certificate is a CA \(CA:TRUE\), which Deno's TLS refuses; /,
        );
        assert.match(
          line,
          /use a leaf signed by that CA \(docs\/tls\.md\), or Bun, or -k$/,
        );
        assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
      } else {
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /Requests\s+20\b/);
      }
    },
  );

  it("the self-signed CA:TRUE certificate with -k works on both", openssl.options(), async () => {
    openssl.require();
    const r = await run(selfSigned, "-k");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Requests\s+20\b/);
  });

  it(
    "a leaf signed by a CA (docs/tls.md's two commands) verifies with --cacert ca.pem",
    openssl.options(),
    async () => {
      openssl.require();
      const r = await run(leaf, "--cacert", join(dir, "ca.pem"));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Requests\s+20\b/);
      assert.match(r.stdout, /Failures\s+0\b/);
    },
  );
});
