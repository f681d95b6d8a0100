/**
 * The `lunge` CLI: a thin shell over `run()`. Parses the command line,
 * shows live progress on stderr, prints the summary on stdout, writes the
 * `--json`/`--html` files, and turns the outcome into an exit code:
 * 0 ok, 1 runtime failure (also: not one request succeeded, or a load worker
 * crashed), 2 usage error, 99 a threshold failed, 130 interrupted (Ctrl-C) and
 * 143 terminated (SIGTERM); the partial result is still reported and written.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * const code = await main(["run", "builtin", "--duration", "2s"]);
 * ```
 *
 * @module
 */
import { type RunOptions, RunOptionsError, type RunProgress } from "../engine/options.ts";
import type { RunResult } from "../result/run_result.ts";
import { evaluateThresholds } from "../thresholds/thresholds.ts";
import { formatProgressLine, formatSummary, renderHtml, toJson, totalFailureLine } from "../report/mod.ts";
import { RunFailedError } from "../engine/run_failure.ts";
import { onStopSignals, signalExitCode, type StopSignal } from "../runtime/signals.ts";
import { readTextFileOrNull, writeTextFile } from "../runtime/files.ts";
import { system } from "../runtime/mod.ts";
import { stdoutIsTerminal, terminalColumns } from "../runtime/terminal.ts";
import { VERSION } from "../version.ts";
import { type CliCommand, CliUsageError, parseCliArgs, type RunCommand, type ServeCommand } from "./_args.ts";
import { helpText } from "./_help.ts";
import { serveExposureWarning } from "./_serve_warning.ts";
import { type LiveOutputs, type LiveOutputsOptions, startLiveOutputs } from "./_live_outputs.ts";
import { HlogRecorder } from "./_hlog_output.ts";
import { runLabels } from "./_run_labels.ts";
import type { RunDashboard } from "./_dashboard_run.ts";
import { lateStartWarning, runCompareCommand, runMergeCommand } from "./_scaleout_commands.ts";

/** Exit codes of the CLI. */
export const EXIT = Object.freeze(
  {
    ok: 0,
    failure: 1,
    usage: 2,
    thresholds: 99,
    interrupted: 130,
    terminated: 143,
  } as const,
);

/** Everything the CLI touches outside itself; injectable for tests. */
export interface CliIo {
  /** Writes to stdout (no newline added). */
  stdout: (text: string) => void;
  /** Writes to stderr (no newline added). */
  stderr: (text: string) => void;
  /** stdout is a terminal: colors in the summary (unless NO_COLOR). */
  stdoutIsTerminal: boolean;
  /** stderr is a terminal: a redrawn progress bar and colors in it (unless NO_COLOR). */
  stderrIsTerminal: boolean;
  /** Terminal width for the progress bar, or null (80). */
  columns: number | null;
  /** Reads an environment variable. */
  env: (name: string) => string | undefined;
  /** The load run; default the engine's `run`. */
  run: (options: RunOptions) => Promise<RunResult>;
  /** Reads `--body @file`; null when unreadable. */
  readFile: (path: string) => string | null;
  /** Writes `--json`/`--html`; throws with a readable message on failure. */
  writeFile: (path: string, text: string) => void;
  /** Registers a handler for Ctrl-C (SIGINT) and SIGTERM (called with the signal, default SIGINT); returns its remover. */
  onInterrupt: (handler: (signal?: StopSignal) => void) => () => void;
  /** Ends the process at once (a second Ctrl-C while the run is stopping). */
  forceExit: (code: number) => void;
  /** Starts `--out statsd=` and `--metrics-port` outputs. */
  startLiveOutputs: (options: LiveOutputsOptions) => Promise<LiveOutputs>;
}

async function engineRun(options: RunOptions): Promise<RunResult> {
  // Loaded lazily: `--help` and usage errors answer without loading the engine.
  const { run } = await import("../engine/run.ts");
  return run(options);
}

/**
 * The real process's I/O.
 *
 * @example
 * ```ts
 * import { defaultCliIo } from "./main.ts";
 * defaultCliIo().stderr("hello\n");
 * ```
 */
export function defaultCliIo(): CliIo {
  return {
    stdout: (text) => system.writeStdout(text),
    stderr: (text) => system.writeStderr(text),
    stdoutIsTerminal: stdoutIsTerminal(),
    stderrIsTerminal: system.stderrIsTerminal(),
    columns: terminalColumns(),
    env: (name) => system.env(name),
    run: engineRun,
    readFile: readTextFileOrNull,
    writeFile: writeTextFile,
    onInterrupt: (handler) => onStopSignals(handler),
    forceExit: (code) => system.exit(code),
    startLiveOutputs,
  };
}

/** `NO_COLOR` set to anything non-empty disables colors (https://no-color.org). */
function noColor(io: CliIo): boolean {
  const value = io.env("NO_COLOR");
  return value !== undefined && value !== "";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the CLI with `argv` (the arguments after the script name) and
 * resolves to the exit code. Never throws; never prints a stack trace
 * unless `LUNGE_DEBUG=1`.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * const out: string[] = [];
 * const code = await main(["--version"], { stdout: (t) => out.push(t) });
 * // code === 0, out[0] starts with "lunge "
 * ```
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = { ...defaultCliIo(), ...io };
  let command: CliCommand;
  try {
    command = parseCliArgs(argv, { readFile: cli.readFile });
  } catch (error) {
    if (error instanceof CliUsageError) return usageError(cli, error.message, argv);
    return failure(cli, error);
  }
  try {
    switch (command.kind) {
      case "help":
        cli.stdout(helpText(command.topic));
        return EXIT.ok;
      case "version":
        cli.stdout(`lunge ${VERSION} (${system.name} ${system.version})\n`);
        return EXIT.ok;
      case "run":
        return await runCommand(command, cli);
      case "serve":
        return await serveCommand(command, cli);
      case "merge":
      case "compare": {
        const io = { ...cli, color: cli.stdoutIsTerminal && !noColor(cli) };
        return command.kind === "merge" ? runMergeCommand(command, io) : runCompareCommand(command, io);
      }
    }
  } catch (error) {
    if (error instanceof CliUsageError) return usageError(cli, error.message, argv);
    if (error instanceof RunOptionsError) return usageError(cli, error.reason, argv);
    return failure(cli, error);
  }
}

function usageError(cli: CliIo, message: string, argv: readonly string[]): number {
  const command = ["run", "serve", "merge", "compare"].includes(argv[0]) ? `${argv[0]} ` : "";
  // One line, always: the message and where to read more.
  cli.stderr(`lunge: ${message.replace(/\s*\n\s*/g, " ")} (see 'lunge ${command}--help')\n`);
  return EXIT.usage;
}

function failure(cli: CliIo, error: unknown): number {
  cli.stderr(`lunge: ${messageOf(error).replace(/\s*\n\s*/g, " ")}\n`);
  if (cli.env("LUNGE_DEBUG") === "1" && error instanceof Error && error.stack) cli.stderr(`${error.stack}\n`);
  return EXIT.failure;
}

/** Live progress on stderr: a redrawn bar on a terminal, plain lines otherwise. */
class ProgressPrinter {
  #drawn = false;
  constructor(private readonly cli: CliIo, private readonly color: boolean) {}

  print = (progress: RunProgress): void => {
    const terminal = this.cli.stderrIsTerminal;
    const line = formatProgressLine(progress, { color: this.color, terminal, width: this.cli.columns ?? 80 });
    if (terminal) {
      this.cli.stderr(`\r${line}`);
      this.#drawn = true;
    } else {
      this.cli.stderr(`${line}\n`);
    }
  };

  /** Ends a redrawn bar line so that what follows starts on its own line. */
  finish(): void {
    if (this.#drawn) this.cli.stderr("\n");
    this.#drawn = false;
  }
}

async function runCommand(command: RunCommand, cli: CliIo): Promise<number> {
  // Loaded only when asked for: Hono and the page bundle stay out of plain runs.
  const dashboard = command.outputs.dashboard === undefined
    ? null
    : await (await import("./_dashboard_run.ts")).startRunDashboard(
      command.outputs.dashboard,
      {
        title: runTitle(command.options),
        // A WebSocket run needs messages (the engine refuses messages for any other URL).
        unit: command.options.call
          ? "calls"
          : (command.options.messages?.length ?? 0) > 0
          ? "messages"
          : "requests",
        thresholds: command.options.thresholds ?? [],
        envToken: cli.env("LUNGE_DASHBOARD_TOKEN"),
        log: (line) => cli.stderr(`lunge: ${line}\n`),
      },
    );
  try {
    return await runAndReport(command, cli, dashboard);
  } finally {
    await dashboard?.holdThenClose((handler) => cli.onInterrupt(handler));
  }
}

async function runAndReport(
  command: RunCommand,
  cli: CliIo,
  dashboard: RunDashboard | null,
): Promise<number> {
  const { options, outputs } = command;
  const colorsOff = noColor(cli);
  const progress = outputs.quiet ? null : new ProgressPrinter(cli, cli.stderrIsTerminal && !colorsOff);
  const controller = new AbortController();
  let interrupts = 0;
  let stopCode: number = EXIT.interrupted;
  const removeInterrupt = cli.onInterrupt((signal = "SIGINT") => {
    interrupts++;
    if (interrupts === 1) {
      stopCode = signalExitCode(signal);
      progress?.finish();
      cli.stderr(
        `lunge: ${
          signal === "SIGTERM" ? "terminated" : "interrupted"
        }, stopping (Ctrl-C again to quit at once)\n`,
      );
      controller.abort();
    } else {
      cli.forceExit(signalExitCode(signal));
    }
  });

  let live: LiveOutputs | null = null;
  let result: RunResult;
  const hlog = outputs.hlog ? new HlogRecorder(outputs.hlog.intervalMs) : null;
  let runFailure: string | null = null; // a crash mid-run: reported after the partial result
  let deferredHeader = "";
  try {
    if (outputs.statsd.length > 0 || outputs.metricsPort !== null || (outputs.prometheus ?? []).length > 0) {
      live = await cli.startLiveOutputs({
        statsd: outputs.statsd,
        prometheus: outputs.prometheus ?? [],
        labels: runLabels(options, cli.env),
        metricsPort: outputs.metricsPort,
        log: (line) => cli.stderr(`lunge: ${line}\n`),
      });
    }
    if (progress !== null) {
      const what = runTitle(options);
      // A scenario loads inside the run: its header waits for the first progress, so that a
      // scenario that does not load stays one line.
      if (options.scenario) deferredHeader = `lunge: ${what} (Ctrl-C to stop early)\n`;
      else cli.stderr(`lunge: ${what} (Ctrl-C to stop early)\n`);
    }
    result = await cli.run({
      ...options,
      signal: controller.signal,
      onProgress: progress === null && live === null && dashboard === null
        ? undefined
        : (p: RunProgress): void => {
          live?.onProgress?.(p);
          dashboard?.onProgress(p);
          if (progress === null) return;
          if (deferredHeader !== "") cli.stderr(deferredHeader);
          deferredHeader = "";
          progress.print(p);
        },
      onCollector: dashboard === null ? live?.onCollector : (c) => {
        live?.onCollector(c);
        dashboard.onCollector(c);
      },
      onLiveTables: live === null && dashboard === null ? undefined : (t) => {
        live?.onLiveTables?.(t);
        dashboard?.onLiveTables(t);
      },
      onIntervalHistogram: hlog?.onInterval,
    }).catch((error) => {
      if (!(error instanceof RunFailedError)) throw error;
      runFailure = error.message;
      return error.partialResult;
    });
  } finally {
    progress?.finish();
    removeInterrupt();
    await live?.stop();
  }

  // The engine evaluates thresholds; a run function that did not is covered here.
  const thresholds = options.thresholds ?? [];
  if (thresholds.length > 0 && result.thresholds.length !== thresholds.length) {
    result = {
      ...result,
      thresholds: evaluateThresholds(thresholds, result.snapshot, result.achievedRate, result.streams),
    };
  }

  dashboard?.finish(result);
  for (const warning of result.warnings ?? []) cli.stderr(`lunge: warning: ${warning}\n`);
  const late = lateStartWarning(result);
  if (late !== null) cli.stderr(late);
  // `--json -` puts the result on stdout as one JSON line (fleet runs collect it with kubectl logs).
  const jsonToStdout = outputs.json === "-";
  const summary = formatSummary(result, { color: cli.stdoutIsTerminal && !colorsOff && !jsonToStdout });
  if (jsonToStdout) cli.stderr(summary);
  else cli.stdout(summary);
  const files = { ...outputs, json: jsonToStdout ? null : outputs.json };
  if (jsonToStdout) cli.stdout(JSON.stringify(JSON.parse(toJson(result))) + "\n");
  let writeFailed = !writeOutputs(cli, result, files.json, outputs.html, progress !== null);
  if (hlog !== null && outputs.hlog) {
    writeFailed = !writeOutputs(cli, result, null, null, false, [outputs.hlog.path, hlog]) || writeFailed;
  }

  if (runFailure !== null) return failure(cli, runFailure);
  if (result.interrupted || controller.signal.aborted) return stopCode;
  if (writeFailed) return EXIT.failure;
  const allFailed = totalFailureLine(result);
  if (allFailed !== null) return failure(cli, allFailed);
  const failed = result.thresholds.filter((t) => !t.passed);
  if (failed.length > 0) {
    cli.stderr(
      `lunge: ${failed.length} of ${result.thresholds.length} threshold${
        result.thresholds.length === 1 ? "" : "s"
      } failed: ${failed.map((t) => t.expression).join(", ")}\n`,
    );
    return EXIT.thresholds;
  }
  return EXIT.ok;
}

/** The run in a few words: the progress header and the dashboard's title. */
function runTitle(options: RunCommand["options"]): string {
  return options.scenario
    ? `scenario ${options.scenario}`
    : options.targets
    ? `${options.targets.targets.length} targets`
    : options.call
    ? `gRPC ${options.call} at ${options.url}`
    : `${options.method ?? "GET"} ${options.url}`;
}

/** Writes `--json`/`--html`; returns false when a file could not be written (after trying both). */
function writeOutputs(
  cli: CliIo,
  result: RunResult,
  json: string | null,
  html: string | null,
  verbose: boolean,
  hlog: [string, HlogRecorder] | null = null,
): boolean {
  let ok = true;
  const write = (path: string, render: () => string): void => {
    try {
      cli.writeFile(path, render());
      if (verbose) cli.stderr(`lunge: wrote ${path}\n`);
    } catch (error) {
      ok = false;
      cli.stderr(`lunge: ${messageOf(error)}\n`);
    }
  };
  if (json !== null) write(json, () => toJson(result));
  if (html !== null) write(html, () => renderHtml(result));
  if (hlog !== null) write(hlog[0], () => hlog[1].text(result));
  return ok;
}

async function serveCommand(command: ServeCommand, cli: CliIo): Promise<number> {
  const [{ createTargetApp }, { serveApp }, { countEstablishedConnections }] = await Promise.all([
    import("../target/app.ts"),
    import("../runtime/serve.ts"),
    import("../runtime/proc_net.ts"),
  ]);
  let boundPort = 0;
  const controlToken = command.controlToken ?? cli.env("LUNGE_CONTROL_TOKEN") ?? "";
  const target = createTargetApp({
    openConnections: () => (boundPort === 0 ? null : countEstablishedConnections(boundPort)),
    bindHostname: command.hostname,
    controlToken,
  });
  let server;
  try {
    server = await serveApp(target.fetch, {
      port: command.port,
      hostname: command.hostname,
      webSocket: target.webSocket,
    });
  } catch (error) {
    cli.stderr(`lunge: cannot listen on ${command.hostname}:${command.port}: ${messageOf(error)}\n`);
    return EXIT.failure;
  }
  boundPort = server.port;
  const host = command.hostname.includes(":") ? `[${command.hostname}]` : command.hostname;
  cli.stdout(`http://${host}:${server.port}\n`);
  cli.stderr(`lunge: built-in target listening on http://${host}:${server.port} (Ctrl-C to stop)\n`);
  const warning = serveExposureWarning(command.hostname, controlToken !== "");
  if (warning !== null) cli.stderr(`lunge: warning: ${warning}\n`);
  await new Promise<void>((resolve) => {
    const remove = cli.onInterrupt(() => {
      remove();
      resolve();
    });
  });
  target.endStall();
  await server.close();
  cli.stderr("lunge: target stopped\n");
  return EXIT.ok;
}
