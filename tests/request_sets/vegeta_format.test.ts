/**
 * The request-set reader on vegeta's http format, from real files through the
 * CLI to a real server: a target line right after a target line, after header
 * lines or after an @body-file line starts the next target, as in vegeta;
 * methods reach the server as written (RFC 9110 §9.1: case-sensitive tokens);
 * a method that is not a token is refused naming file:line.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTargets } from "../../src/request_sets/parse_targets.ts";
import { readTextFileOrNull } from "../../src/runtime/files.ts";
import { runLunge } from "../faults/_run_cli.ts";
import { main } from "../../src/cli/main.ts";
import { type RawServer, startRawServer } from "../_helpers/http.ts";

describe("targets file: vegeta's http format", () => {
  let dir: string;
  let server: RawServer;
  let url: string;
  /** Each request as the server read it: request line, the X-T header, body. */
  const seen = (): Array<[string, string | undefined, string]> =>
    server.requests.map((r) => [r.head.split("\r\n")[0], /\r\nX-T: ([^\r]*)/i.exec(r.head)?.[1], r.body]);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lunge-vegeta-"));
    // A raw socket server: it reads any method token (node:http refuses methods it does not know).
    server = await startRawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    url = server.url;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads targets with no blank line between them, and sends each method as written", async () => {
    writeFileSync(join(dir, "body.txt"), "hello");
    const file = join(dir, "t.http");
    writeFileSync(
      file,
      [
        `GET ${url}/a`, // a target line right after a target line
        `POST ${url}/b`,
        "X-T: b",
        `PUT ${url}/c`, // right after header lines
        "X-T: c",
        "@body.txt",
        `DELETE ${url}/d`, // right after an @body-file line
        "# a comment",
        "",
        `DOwork ${url}/e`, // a method in mixed case, after a blank line
        "X-T: e",
        `PATCH ${url}/f`,
        "",
      ].join("\n"),
    );
    const set = parseTargets(file, readTextFileOrNull(file)!, readTextFileOrNull);
    assert.deepEqual(
      set.targets.map((t) => [t.method, t.url.slice(url.length), t.headers["X-T"], t.body]),
      [
        ["GET", "/a", undefined, undefined],
        ["POST", "/b", "b", undefined],
        ["PUT", "/c", "c", "hello"],
        ["DELETE", "/d", undefined, undefined],
        ["DOwork", "/e", "e", undefined],
        ["PATCH", "/f", undefined, undefined],
      ],
    );
    server.requests.length = 0;
    const r = await runLunge(["--targets", file, "-n", "6", "-c", "1", "-w", "1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(seen(), [
      ["GET /a HTTP/1.1", undefined, ""],
      ["POST /b HTTP/1.1", "b", ""],
      ["PUT /c HTTP/1.1", "c", "hello"],
      ["DELETE /d HTTP/1.1", undefined, ""],
      ["DOwork /e HTTP/1.1", "e", ""],
      ["PATCH /f HTTP/1.1", undefined, ""],
    ]);
  });

  it("JSON lines keep the method as written too", async () => {
    const file = join(dir, "t.jsonl");
    writeFileSync(file, `{"method":"purge","url":"${url}/p"}\n`);
    server.requests.length = 0;
    const r = await runLunge(["--targets", file, "-n", "2", "-c", "1", "-w", "1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(seen().map((s) => s[0]), ["purge /p HTTP/1.1", "purge /p HTTP/1.1"]);
  });

  for (
    const [what, text, where, message] of [
      [
        "a method that is not a token",
        "GET /a\n\nGE(T /b\n",
        3,
        /invalid method "GE\(T": a method is a token/,
      ],
      ["a method with a slash", "G/ET /a\n", 1, /invalid method "G\/ET"/],
      [
        "a mixed-case method right after a header line",
        "GET /a\nX-T: 1\nDOwork /b\n",
        3,
        /expected a header "Name: value", got "DOwork \/b" \(a target whose method is not all capitals needs a blank line before it\)/,
      ],
    ] as Array<[string, string, number, RegExp]>
  ) {
    it(`refuses ${what}, naming file:line, with exit code 2`, async () => {
      const file = join(dir, "bad.http");
      writeFileSync(file, text);
      let stderr = "";
      const code = await main(["run", url, "--targets", file, "-n", "1"], {
        stdout: () => {},
        stderr: (t) => void (stderr += t),
        stdoutIsTerminal: false,
        stderrIsTerminal: false,
        writeFile: () => {},
      });
      assert.equal(code, 2, stderr);
      assert.match(stderr, new RegExp(`^lunge: ${file.replace(/[.]/g, "\\.")}:${where}: `));
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
    });
  }
});
