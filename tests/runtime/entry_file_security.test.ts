/**
 * The bundled child-process entry starts from a private directory of the
 * process (mkdtemp, 0700, owner checked, removed at exit), never from the old
 * shared path `<tmpdir>/lunge-entries/`: a file planted there is never run.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { ROOT, runCommand } from "../_helpers/dist_package.ts";
import { runtimeName } from "../../src/runtime/mod.ts";
import { targetProcessEntry } from "../../src/_bundled/entries.ts";

/** The old content tag of entry file names (32-bit FNV-1a of the bundle's text). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

const SCRIPT = `
import { startTarget } from "../src/target/start.ts";
import { processEntryUrl } from "../src/runtime/entry_url.ts";
import { targetProcessEntry } from "../src/_bundled/entries.ts";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
const url = await processEntryUrl(targetProcessEntry);
const dir = fileURLToPath(new URL(".", url));
const mode = statSync(dir).mode & 0o777;
const target = await startTarget({ mode: "process" });
const ok = (await fetch(target.url + "/")).status;
await target.stop();
console.log(JSON.stringify({ dir, mode, ok }));
`;

describe("bundled entry files", () => {
  it("never run a file planted at the old shared path; use a private 0700 dir removed at exit", {
    timeout: 60_000,
  }, async () => {
    const tmp = mkdtempSync(join(tmpdir(), "lunge-plant-"));
    const marker = join(tmp, "PWNED");
    const shared = join(tmp, "lunge-entries");
    mkdirSync(shared, { recursive: true });
    const code = await targetProcessEntry.bundled();
    const planted = `import { writeFileSync } from "node:fs"; writeFileSync(${
      JSON.stringify(marker)
    }, "ran");`;
    // The exact name the old code used (reused when present), and a few likely variants.
    for (const name of [`target_process-${fnv1a(code)}.mjs`, "target_process.mjs"]) {
      writeFileSync(join(shared, name), planted);
    }
    const dir = join(ROOT, ".lunge-tmp");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `entry_security_${process.pid}.ts`);
    writeFileSync(file, SCRIPT);
    try {
      const args = runtimeName === "deno" ? ["run", "-A", file] : [file];
      const env = { LUNGE_BUNDLED_ENTRIES: "1", TMPDIR: tmp, TMP: tmp, TEMP: tmp };
      const r = await runCommand(process.execPath, args, { cwd: ROOT, timeoutMs: 60_000, env });
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      const line = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
      assert.equal(line.ok, 200, "the target started from the private file answers");
      assert.equal(line.mode, 0o700, "the private directory is 0700");
      assert.ok(line.dir.startsWith(tmp) && !line.dir.startsWith(shared + "/"), line.dir);
      assert.equal(existsSync(marker), false, "the planted file must never run");
      for (const name of readdirSync(shared)) {
        assert.equal(readFileSync(join(shared, name), "utf8"), planted, "the planted file is left untouched");
      }
      assert.equal(existsSync(line.dir), false, "the private directory is removed at exit");
      assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith("lunge-entries-")), []);
      assert.ok(statSync(shared).isDirectory());
    } finally {
      rmSync(file, { force: true });
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
