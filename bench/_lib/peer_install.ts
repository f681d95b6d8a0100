/**
 * Packages that only a bench row or a build step uses stay out of the
 * project's install (artillery brings ~400 MB of cloud SDKs; typescript, 23 MB,
 * only emits the npm package's declarations): they are installed on first use,
 * pinned, into a cache folder shared by every clone (`$LUNGE_PEERS_DIR`, else
 * `$XDG_CACHE_HOME/lunge/peers`, else `~/.cache/lunge/peers`), without their
 * install scripts (artillery's would download a browser). When a peer cannot
 * be had (no network, no npm), the caller gets the reason in one line and the
 * row says "not measured".
 *
 * @module
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runCommand } from "./command.ts";

/** A pinned npm package and the file of it that runs. */
export interface PeerPackage {
  /** npm name, e.g. "artillery". */
  name: string;
  /** Exact version: the bench's figures are for this one. */
  version: string;
  /** The script to run with node, relative to the package folder, e.g. "bin/run". */
  bin: string;
}

/** Where a peer is, or why it is not there. */
export type PeerLocation = { path: string; reason?: undefined } | { path?: undefined; reason: string };

/** artillery, as the workload bench runs it (the version the 0.1.0 figures were taken with). */
export const ARTILLERY: PeerPackage = { name: "artillery", version: "2.0.34", bin: "bin/run" };

/** typescript, whose `tsc` emits the npm package's `.d.ts` files (`scripts/build.ts`) and checks them. */
export const TYPESCRIPT: PeerPackage = { name: "typescript", version: "5.9.3", bin: "bin/tsc" };

/**
 * The cache folder for bench peers.
 *
 * @example
 * ```ts
 * import { peersDirectory } from "./peer_install.ts";
 * console.log(peersDirectory()); // e.g. /root/.cache/lunge/peers
 * ```
 */
export function peersDirectory(): string {
  const env = process.env;
  if (env.LUNGE_PEERS_DIR) return env.LUNGE_PEERS_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "lunge", "peers");
}

/**
 * The path of `peer`'s bin, installing it into the cache on first use
 * (`npm install --ignore-scripts`, bounded by `timeoutMs`), or the reason it
 * cannot be had.
 *
 * @example
 * ```ts
 * import { ARTILLERY, ensurePeer } from "./peer_install.ts";
 * const artillery = await ensurePeer(ARTILLERY);
 * console.log(artillery.path ?? `artillery: not measured: ${artillery.reason}`);
 * ```
 */
export async function ensurePeer(peer: PeerPackage, timeoutMs = 300_000): Promise<PeerLocation> {
  const prefix = join(peersDirectory(), `${peer.name}@${peer.version}`);
  const bin = join(prefix, "node_modules", peer.name, peer.bin);
  if (existsSync(bin)) return { path: bin };
  try {
    mkdirSync(prefix, { recursive: true });
    // Its own package.json, so npm installs here and never walks up into a project.
    writeFileSync(join(prefix, "package.json"), '{ "private": true }\n');
  } catch (error) {
    return { reason: `cannot create ${prefix}: ${(error as Error).message}` };
  }
  console.log(
    `installing ${peer.name}@${peer.version} into ${prefix} (once; not part of the project's install)`,
  );
  const out = await runCommand("npm", [
    "install",
    "--prefix",
    prefix,
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--no-save",
    "--prefer-offline",
    "--loglevel=error",
    `${peer.name}@${peer.version}`,
  ], timeoutMs);
  if (out.code === 0 && existsSync(bin)) return { path: bin };
  // A half-finished install must not pass for a cached one next time.
  rmSync(join(prefix, "node_modules"), { recursive: true, force: true });
  const why = out.code === null
    ? (out.stderr.includes("ENOENT")
      ? "npm is not on the PATH"
      : `npm install timed out after ${timeoutMs} ms`)
    : (out.stderr.trim().split("\n").find((l) => /ERR|error/i.test(l)) ?? `npm install exit ${out.code}`);
  return { reason: `${peer.name}@${peer.version} could not be installed into ${prefix}: ${why.trim()}` };
}
