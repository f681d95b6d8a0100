import { chmodSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

let privateDir: string | null = null;

/**
 * This process's own directory for entry files: made by `mkdtemp` (a fresh,
 * unpredictable name), mode 0700, checked to be a real directory owned by
 * this user, and removed when the process exits. Never a shared, fixed path
 * that another user could plant a file in.
 */
function privateDirectory(): string {
  if (privateDir !== null) return privateDir;
  const dir = mkdtempSync(join(tmpdir(), "lunge-entries-"));
  chmodSync(dir, 0o700);
  const st = lstatSync(dir);
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  if (
    !st.isDirectory() || (uid !== null && st.uid !== uid) ||
    (process.platform !== "win32" && (st.mode & 0o077) !== 0)
  ) {
    throw new Error(`Cannot write lunge's entry files: ${dir} is not a private directory of this user`);
  }
  privateDir = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes a bundled entry script to `<fileName>` in this process's private
 * temp directory (see above; the file is created exclusively, mode 0600) and
 * returns its `file:` URL. Shared by Node and Bun.
 *
 * @example
 * ```ts
 * import { writeEntryFile } from "./entry_file.ts";
 * const url = writeEntryFile("hello-0.1.0-abc.mjs", "console.log('hi');");
 * console.log(url.href);
 * ```
 */
export function writeEntryFile(fileName: string, code: string): URL {
  const path = join(privateDirectory(), fileName);
  writeFileSync(path, code, { flag: "wx", mode: 0o600 });
  return pathToFileURL(path);
}
