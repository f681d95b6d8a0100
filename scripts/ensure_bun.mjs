#!/usr/bin/env node
// Bun's npm package ships a placeholder `bin/bun.exe` that its own postinstall replaces with the
// binary from the platform package (@oven/bun-<os>-<arch>). Installs here run with
// `ignore-scripts=true` (.npmrc: artillery would otherwise download a browser), so the test and
// bench commands run that postinstall themselves, offline, the first time it is needed.
import { spawnSync } from "node:child_process";
import { chmodSync, closeSync, copyFileSync, existsSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Whether `file` starts with an executable header (ELF or Mach-O) rather than a script. */
function isBinary(file) {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    return (head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF") ||
      head.readUInt32LE(0) === 0xfeedfacf;
  } finally {
    closeSync(fd);
  }
}

/** Makes node_modules/bun/bin/bun.exe the real binary; returns false when it cannot. */
export function ensureBun() {
  const exe = path.join(root, "node_modules", "bun", "bin", "bun.exe");
  if (!existsSync(exe)) return false;
  if (isBinary(exe)) return true;
  // The platform package npm installed beside it holds the binary: copy it in, as the postinstall would.
  const oven = path.join(root, "node_modules", "@oven");
  for (const name of existsSync(oven) ? readdirSync(oven) : []) {
    const binary = path.join(oven, name, "bin", "bun");
    if (
      !name.startsWith(`bun-${process.platform}-${process.arch}`) || !existsSync(binary) || !isBinary(binary)
    ) continue;
    for (const target of [exe, path.join(root, "node_modules", "bun", "bin", "bunx.exe")]) {
      copyFileSync(binary, target);
      chmodSync(target, 0o755);
    }
    if (isBinary(exe)) return true;
  }
  // Otherwise Bun's own postinstall, which may fetch the platform package from the npm registry.
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "bun", "install.js")], {
    cwd: root, // install.js finds the platform package from the project root
    stdio: "inherit",
  });
  return r.status === 0 && isBinary(exe);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!ensureBun()) {
    process.stderr.write(
      "ensure_bun: node_modules/bun is missing or its binary could not be installed (run npm ci)\n",
    );
    process.exit(1);
  }
}
