/** `lunge run ws://... --message TEXT|@FILE`: the WebSocket flags read into run options. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCliArgs } from "../../src/cli/_args.ts";

describe("WebSocket flags", () => {
  it("ws:// and wss:// URLs with repeatable --message, @FILE (one per line), @@ for a literal @", () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-ws-args-"));
    try {
      const file = join(dir, "messages.txt");
      writeFileSync(file, "first {{seq}}\n\nsecond\r\n");
      const c = parseCliArgs([
        "run",
        "wss://example.com/feed",
        "--message",
        "hi",
        "--message",
        `@${file}`,
        "--message",
        "@@at",
        "--ws-binary",
        "--ws-max-message",
        "4096",
        "-k",
      ]);
      assert.equal(c.kind, "run");
      if (c.kind !== "run") return;
      assert.deepEqual(c.options.messages, ["hi", "first {{seq}}", "second", "@at"]);
      assert.equal(c.options.wsBinary, true);
      assert.equal(c.options.wsMaxMessageBytes, 4096);
      assert.equal(c.options.insecure, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("{{csv:FILE:column}} in a message file reads FILE beside it; inline, from the working directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-ws-args-"));
    try {
      const file = join(dir, "messages.txt");
      writeFileSync(file, "hi {{csv:users.csv:name}} {{seq}}\n{{ csv:/abs/u.csv:0 }}\n");
      const c = parseCliArgs([
        "run",
        "ws://127.0.0.1:1/",
        "--message",
        `@${file}`,
        "--message",
        "{{csv:users.csv:name}}",
      ]);
      assert.equal(c.kind, "run");
      if (c.kind !== "run") return;
      assert.deepEqual(c.options.messages, [
        `hi {{csv:${dir}/users.csv:name}} {{seq}}`,
        "{{ csv:/abs/u.csv:0 }}",
        "{{csv:users.csv:name}}",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a missing message file is one clear line", () => {
    assert.throws(
      () => parseCliArgs(["run", "ws://127.0.0.1:1/", "--message", "@/nonexistent/m.txt"]),
      /--message: cannot read file/,
    );
  });
});
