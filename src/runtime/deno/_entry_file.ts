let privateDir: string | null = null;

/**
 * This process's own directory for entry files: made by `makeTempDir` (a
 * fresh, unpredictable name), mode 0700, checked to be a real directory owned
 * by this user, and removed when the process exits. Never a shared, fixed
 * path that another user could plant a file in.
 */
function privateDirectory(): string {
  if (privateDir !== null) return privateDir;
  const dir = Deno.makeTempDirSync({ prefix: "lunge-entries-" });
  const windows = Deno.build.os === "windows";
  if (!windows) Deno.chmodSync(dir, 0o700);
  const st = Deno.lstatSync(dir);
  const uid = windows ? null : Deno.uid();
  if (!st.isDirectory || (uid !== null && st.uid !== uid) || (!windows && ((st.mode ?? 0) & 0o077) !== 0)) {
    throw new Error(`Cannot write lunge's entry files: ${dir} is not a private directory of this user`);
  }
  privateDir = dir;
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone
    }
  });
  return dir;
}

/**
 * Writes a bundled entry script to `<fileName>` in this process's private
 * temp directory (see above; the file is created exclusively, mode 0600) and
 * returns its `file:` URL.
 *
 * @example
 * ```ts
 * import { writeEntryFile } from "./_entry_file.ts";
 * const url = writeEntryFile("hello-0.1.0-abc.mjs", "console.log('hi');");
 * console.log(url.href);
 * ```
 */
export function writeEntryFile(fileName: string, code: string): URL {
  const sep = Deno.build.os === "windows" ? "\\" : "/";
  const path = `${privateDirectory()}${sep}${fileName}`;
  Deno.writeTextFileSync(path, code, { createNew: true, mode: 0o600 });
  const url = new URL("file://");
  url.pathname = Deno.build.os === "windows" ? `/${path.replaceAll("\\", "/")}` : path;
  return url;
}
