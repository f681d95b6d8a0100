/**
 * A fake `CliIo` for `main()` tests: captures stdout/stderr and written
 * files, lets a test fire Ctrl-C, and runs a scripted fake `run`.
 *
 * @module
 */
import type { CliIo } from "../../src/cli/main.ts";
import type { RunOptions, RunProgress } from "../../src/engine/options.ts";
import type { RunResult } from "../../src/result/run_result.ts";

/** The fake I/O plus what it recorded. */
export interface FakeIo {
  io: Partial<CliIo>;
  stdout: () => string;
  stderr: () => string;
  files: Map<string, string>;
  /** Options the fake run received, one per call. */
  runs: RunOptions[];
  /** Fires the registered Ctrl-C handlers. */
  interrupt: () => void;
  /** Fires the registered handlers as for `signal`. */
  interruptAs: (signal: "SIGINT" | "SIGTERM") => void;
  /** Registered Ctrl-C handlers right now. */
  interruptHandlers: () => number;
  forcedExits: number[];
}

/** Progress the fake run reports, twice. */
export const FAKE_PROGRESS: RunProgress = {
  phase: "steady",
  elapsedMs: 1000,
  totalMs: 2000,
  requests: 1234,
  rps: 1234,
  p99Ms: 4.2,
  errors: 0,
  targetRate: null,
};

/**
 * Builds a fake I/O. `result` is what the fake run returns; `behaviour`
 * replaces the run entirely.
 */
export function fakeIo(
  options: {
    result?: () => RunResult;
    behaviour?: (options: RunOptions) => Promise<RunResult>;
    env?: Record<string, string>;
    stdoutIsTerminal?: boolean;
    stderrIsTerminal?: boolean;
    failWrite?: (path: string) => boolean;
  } = {},
): FakeIo {
  let out = "";
  let err = "";
  const files = new Map<string, string>();
  const runs: RunOptions[] = [];
  const handlers = new Set<(signal?: "SIGINT" | "SIGTERM") => void>();
  const forcedExits: number[] = [];
  const run = options.behaviour ?? (async (o: RunOptions): Promise<RunResult> => {
    o.onProgress?.(FAKE_PROGRESS);
    await Promise.resolve();
    o.onProgress?.({ ...FAKE_PROGRESS, elapsedMs: 2000, requests: 2468 });
    if (options.result === undefined) throw new Error("fakeIo: no result given");
    return options.result();
  });
  const io: Partial<CliIo> = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdoutIsTerminal: options.stdoutIsTerminal ?? false,
    stderrIsTerminal: options.stderrIsTerminal ?? false,
    columns: 100,
    env: (name) => options.env?.[name],
    run: (o) => {
      runs.push(o);
      return run(o);
    },
    readFile: () => null,
    writeFile: (path, text) => {
      if (options.failWrite?.(path)) throw new Error(`cannot write "${path}": permission denied`);
      files.set(path, text);
    },
    onInterrupt: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    forceExit: (code) => void forcedExits.push(code),
  };
  return {
    io,
    stdout: () => out,
    stderr: () => err,
    files,
    runs,
    interrupt: () => {
      for (const h of [...handlers]) h();
    },
    interruptAs: (signal) => {
      for (const h of [...handlers]) h(signal);
    },
    interruptHandlers: () => handlers.size,
    forcedExits,
  };
}
