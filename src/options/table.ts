/**
 * The run options, declared once: for each its name in `RunOptions`, flag
 * and alias, kind, default, limits, help text and whether a load worker
 * needs it. The `lunge` parser (`cli/_table_flags.ts`), `lunge run --help`
 * (`cli/_help_options.ts`), the engine's checks (`check_option.ts`) and the
 * worker job (`worker_options.ts`) are built from it. Adding an option is an
 * entry here and the code that uses it.
 *
 * The order is the order of `lunge run --help`.
 *
 * @module
 */
import type { OptionEntry } from "./option_entry.ts";
import { COLLECTOR_KINDS, RUN_OPTION_LIMITS as LIMITS, TARGETS_ORDERS, TRANSPORTS } from "./values.ts";

export type { OptionEntry, OptionHelp, OptionKind } from "./option_entry.ts";

const LOAD = "Load model";
const WORKLOADS = "Workloads (docs/scenarios.md)";
const REQUEST = "Request";
const CONNECTION = "Connection (raw transport)";
const OUTPUT = "Measurement and output";
const SCALEOUT = "Scale-out";
const WEBSOCKET = "WebSocket (ws://, wss://)";
const GRPC = "gRPC (grpc://host:port h2c, grpcs://host:port TLS; docs/grpc.md)";

/**
 * Every run option, in the order of `lunge run --help`.
 *
 * @example
 * ```ts
 * import { OPTION_TABLE } from "./table.ts";
 * OPTION_TABLE.find((e) => e.name === "rate")?.short; // "r"
 * ```
 */
export const OPTION_TABLE = [
  {
    name: "rate",
    flag: "rate",
    short: "r",
    kind: "number",
    min: 0,
    minExclusive: true,
    max: LIMITS.rate,
    default: null,
    worker: "model",
    help: {
      section: LOAD,
      arg: "<R>",
      lines: [
        "open model: constant arrival rate, requests/s; latency is measured from",
        "the intended send time (coordinated omission corrected)",
        "[default: closed model, each virtual user sends as fast as answered]",
      ],
    },
  },
  {
    name: "concurrency",
    flag: "concurrency",
    short: "c",
    kind: "integer",
    min: 1,
    max: LIMITS.concurrency,
    help: {
      section: LOAD,
      arg: "<C>",
      lines: [
        "requests in flight at most (virtual users)",
        "[default: 100 closed; max(10, rate/10) to start with in the open model]",
      ],
    },
  },
  {
    name: "maxConcurrency",
    flag: "max-concurrency",
    kind: "integer",
    min: 1,
    max: LIMITS.concurrency,
    help: {
      section: LOAD,
      arg: "<N>",
      lines: [
        "open model: the pool grows on demand up to N connections; a warning",
        "says when sends waited for one [default: --concurrency when given,",
        "else min(10000, rate x timeout in s)]",
      ],
    },
  },
  {
    name: "workers",
    flag: "workers",
    short: "w",
    kind: "integer",
    min: 1,
    max: LIMITS.workers,
    help: {
      section: LOAD,
      arg: "<W>",
      lines: ["load workers, a thread each; one alone runs on the main thread", "[default: number of CPUs]"],
    },
  },
  {
    name: "durationMs",
    flag: "duration",
    short: "d",
    kind: "duration",
    min: 0,
    minExclusive: true,
    default: 10_000,
    orNull: true,
    help: {
      section: LOAD,
      arg: "<T>",
      lines: ["measured duration [default: 10s, unless --requests is given]"],
    },
  },
  {
    name: "requests",
    flag: "requests",
    short: "n",
    kind: "integer",
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    default: null,
    help: { section: LOAD, arg: "<N>", lines: ["stop after N measured requests [default: none]"] },
  },
  {
    name: "warmupMs",
    flag: "warmup",
    kind: "duration",
    min: 0,
    default: 0,
    help: { section: LOAD, arg: "<T>", lines: ["warm-up before measuring, not counted [default: 0s]"] },
  },
  {
    name: "rampUpMs",
    flag: "ramp-up",
    kind: "duration",
    min: 0,
    default: 0,
    help: {
      section: LOAD,
      arg: "<T>",
      lines: ["linear ramp of the rate (open) or users (closed) at the start [default: 0s]"],
    },
  },
  {
    name: "rampDownMs",
    flag: "ramp-down",
    kind: "duration",
    min: 0,
    default: 0,
    help: { section: LOAD, arg: "<T>", lines: ["linear ramp down at the end [default: 0s]"] },
  },
  {
    name: "targets",
    flag: "targets",
    kind: "text",
    help: {
      section: WORKLOADS,
      arg: "<FILE>",
      lines: [
        "request set: vegeta http format or JSON lines, templating {{seq}} {{worker}}",
        "{{rand:A-B}} {{uuid}} {{csv:FILE:column}}; metrics per target name",
      ],
    },
  },
  {
    name: "targetsOrder",
    flag: "targets-order",
    kind: "choice",
    values: TARGETS_ORDERS,
    default: "round-robin",
    group: "workload",
    help: {
      section: WORKLOADS,
      arg: "<O>",
      lines: ["round-robin | random (weighted when weights are given) [default: round-robin]"],
    },
  },
  {
    name: "iterationTimeoutMs",
    flag: "iteration-timeout",
    kind: "duration",
    min: 0,
    minExclusive: true,
    default: 60_000,
    ownParser: true,
    group: "workload",
    help: {
      section: WORKLOADS,
      arg: "<T>",
      lines: ["bound on one scenario iteration [default: 60s]"],
      before: [
        "  lunge run <scenario.ts> [base-url]   run a TypeScript scenario (default export = one iteration)",
      ],
    },
  },
  {
    name: "env",
    flag: "env",
    short: "e",
    kind: "texts",
    help: { section: WORKLOADS, arg: "<NAME=value>", lines: ["scenario ctx.env entry, repeatable"] },
  },
  {
    name: "method",
    flag: "method",
    short: "m",
    kind: "text",
    default: "GET",
    help: { section: REQUEST, arg: "<M>", lines: ["HTTP method [default: GET]"] },
  },
  {
    name: "headers",
    flag: "header",
    short: "H",
    kind: "texts",
    help: {
      section: REQUEST,
      arg: "<K:V>",
      lines: ["request header, repeatable: -H 'Accept: application/json'"],
    },
  },
  {
    name: "body",
    flag: "body",
    short: "b",
    kind: "text",
    help: {
      section: REQUEST,
      arg: "<TEXT|@FILE>",
      lines: ["request body; @FILE reads a file, @@TEXT sends a literal '@TEXT'"],
    },
  },
  {
    name: "timeoutMs",
    flag: "timeout",
    short: "t",
    kind: "duration",
    min: 0,
    minExclusive: true,
    default: 10_000,
    worker: "timeoutMs",
    help: { section: REQUEST, arg: "<T>", lines: ["per-request timeout [default: 10s]"] },
  },
  {
    name: "transport",
    flag: "transport",
    kind: "choice",
    values: TRANSPORTS,
    default: "auto",
    worker: "transport",
    help: {
      section: REQUEST,
      arg: "<T>",
      lines: ["auto | raw | fetch: raw sockets (http, https, unix) or fetch [default: auto]"],
    },
  },
  {
    name: "http2",
    flag: "http2",
    kind: "boolean",
    default: false,
    worker: "http2",
    help: {
      section: REQUEST,
      lines: ["HTTP/2 over TLS (ALPN h2, https:// URLs); -c is then the number of connections"],
    },
  },
  {
    name: "http2PriorKnowledge",
    flag: "http2-prior-knowledge",
    kind: "boolean",
    default: false,
    worker: "http2",
    help: {
      section: REQUEST,
      lines: ["HTTP/2 without TLS (h2c, http:// URLs); -c is the number of connections"],
      wrap: true,
    },
  },
  {
    name: "streams",
    flag: "streams",
    short: "s",
    kind: "integer",
    min: 1,
    max: LIMITS.streams,
    default: 1,
    worker: "streams",
    help: {
      section: REQUEST,
      arg: "<N>",
      lines: ["HTTP/2: concurrent streams per connection, 1 to 1000 [default: 1]"],
    },
  },
  {
    name: "insecure",
    flag: "insecure",
    short: "k",
    kind: "boolean",
    default: false,
    worker: "connect",
    help: { section: CONNECTION, lines: ["do not verify the server's TLS certificate"] },
  },
  {
    name: "cacert",
    flag: "cacert",
    kind: "text",
    worker: "connect",
    help: {
      section: CONNECTION,
      arg: "<FILE>",
      lines: ["PEM file of the CA certificate(s) that verify the server"],
    },
  },
  {
    name: "cert",
    flag: "cert",
    kind: "text",
    worker: "connect",
    help: { section: CONNECTION, arg: "<FILE>", lines: ["PEM client certificate (with --key)"] },
  },
  {
    name: "key",
    flag: "key",
    kind: "text",
    worker: "connect",
    help: { section: CONNECTION, arg: "<FILE>", lines: ["PEM private key of --cert"] },
  },
  {
    name: "servername",
    flag: "servername",
    kind: "text",
    worker: "connect",
    help: {
      section: CONNECTION,
      arg: "<NAME>",
      lines: ["TLS server name (SNI) and the name the certificate must match", "[default: the URL's host]"],
    },
  },
  {
    name: "connectTo",
    flag: "connect-to",
    kind: "texts",
    worker: "connect",
    help: {
      section: CONNECTION,
      arg: "<H:P:TH:TP>",
      lines: [
        "connect to TH:TP for requests to H:P, keeping the URL's Host and SNI;",
        "empty parts match any / keep the original, repeatable",
      ],
    },
  },
  {
    name: "unixSocket",
    flag: "unix-socket",
    kind: "text",
    worker: "connect",
    help: {
      section: CONNECTION,
      arg: "<PATH>",
      lines: ["send HTTP/1.1 over a unix domain socket (http:// URLs)"],
    },
  },
  {
    name: "collector",
    flag: "collector",
    kind: "choice",
    values: COLLECTOR_KINDS,
    help: {
      section: OUTPUT,
      arg: "<K>",
      lines: ["atomic | legacy metrics collector [default: $LUNGE_COLLECTOR, else atomic]"],
    },
  },
  {
    name: "thresholds",
    flag: "threshold",
    kind: "texts",
    help: {
      section: OUTPUT,
      arg: "<EXPR>",
      lines: ["pass/fail check, repeatable; any failure exits 99 (see below)"],
    },
  },
  {
    name: null,
    flag: "json",
    kind: "text",
    help: {
      section: OUTPUT,
      arg: "<FILE>",
      lines: ["write the full result (versioned schema, time series, histogram)"],
    },
  },
  {
    name: null,
    flag: "html",
    kind: "text",
    help: { section: OUTPUT, arg: "<FILE>", lines: ["write a self-contained HTML report with charts"] },
  },
  {
    name: null,
    flag: "out",
    short: "o",
    kind: "texts",
    help: {
      section: OUTPUT,
      arg: "statsd=H:P",
      lines: [
        "stream live metrics to a StatsD daemon each second, repeatable",
        "prometheus=URL: Prometheus remote write each second (run label: $LUNGE_RUN_ID)",
      ],
    },
  },
  {
    name: null,
    flag: "metrics-port",
    kind: "integer",
    min: 0,
    max: 65535,
    help: {
      section: OUTPUT,
      arg: "<N>",
      lines: [
        "serve Prometheus /metrics and /health on 127.0.0.1:N during the run",
        "(0: any free port, printed on stderr)",
      ],
    },
  },
  {
    name: null,
    flag: "quiet",
    short: "q",
    aliases: ["no-progress"],
    kind: "boolean",
    help: { section: OUTPUT, lines: ["no live progress (alias: --no-progress)"] },
  },
  {
    name: null,
    flag: "help",
    short: "h",
    kind: "boolean",
    help: { section: OUTPUT, lines: ["this help"] },
  },
  {
    name: "segment",
    flag: "segment",
    kind: "text",
    help: {
      section: SCALEOUT,
      arg: "<I/N>",
      lines: [
        "run share I (0-based) of N of the plan, so that N processes together run",
        "it exactly once: open-model arrivals interleaved, users and --requests split",
      ],
    },
  },
  {
    name: "startAt",
    flag: "start-at",
    kind: "text",
    help: {
      section: SCALEOUT,
      arg: "<TIME>",
      lines: [
        "start the measured phase at TIME (RFC 3339, e.g. 2026-11-30T10:00:00Z, or",
        "Unix epoch ms); the warm-up runs before it; more than 1 s past is an error",
      ],
    },
  },
  {
    name: null,
    flag: "hlog",
    kind: "text",
    help: {
      section: SCALEOUT,
      arg: "<FILE>",
      lines: ["write an HdrHistogram interval log (latency in µs, V2 compressed)"],
    },
  },
  {
    name: null,
    flag: "hlog-interval",
    kind: "duration",
    min: 1000,
    default: 1000,
    help: {
      section: SCALEOUT,
      arg: "<T>",
      lines: ["interval of --hlog, whole seconds [default: 1s]"],
      after: [
        "      --json -              the result as one JSON line on stdout (the summary goes to stderr)",
      ],
    },
  },
  {
    name: "sampleCapacity",
    flag: null,
    kind: "integer",
    min: 0,
    max: LIMITS.sampleCapacity,
    maxText: "2^24",
    default: 10_000,
  },
  {
    name: "keepLatencies",
    flag: null,
    kind: "integer",
    min: 0,
    max: LIMITS.keepLatencies,
    maxText: "2^26",
    default: 0,
    worker: "keepLatencies",
  },
  // ---- WebSocket (ws:// and wss:// URLs): src/protocols/websocket/, docs/protocols.md
  {
    name: "messages",
    flag: "message",
    kind: "texts",
    help: {
      section: WEBSOCKET,
      arg: "<TEXT|@FILE>",
      lines: [
        "message to send, repeatable; @FILE: one message per line. Each virtual",
        "user sends one and waits for the next message back (its round trip);",
        "templates as in request sets: {{seq}} {{worker}} {{rand:A-B}} {{uuid}}",
        "{{csv:FILE:column}} (FILE beside @FILE, else in the working directory)",
      ],
      before: ["  lunge run ws://host/path --message TEXT   WebSocket (wss:// with the TLS flags)"],
    },
  },
  {
    name: "wsBinary",
    flag: "ws-binary",
    kind: "boolean",
    default: false,
    help: { section: WEBSOCKET, lines: ["send the messages as binary frames instead of text"] },
  },
  {
    name: "wsMaxMessageBytes",
    flag: "ws-max-message",
    kind: "integer",
    min: 125,
    max: 2_147_483_647,
    default: 16 * 1024 * 1024,
    help: {
      section: WEBSOCKET,
      arg: "<BYTES>",
      lines: ["largest message (and frame) accepted from the server [default: 16777216]"],
      wrap: true,
    },
  },
  // The live dashboard (`src/cli/_live_args.ts` reads these).
  {
    name: null,
    flag: "dashboard",
    kind: "integer",
    min: 0,
    max: 65535,
    help: {
      section: OUTPUT,
      arg: "<PORT>",
      lines: [
        "serve a live dashboard on 127.0.0.1:PORT during the run (0: any free port, the",
        "URL printed on stderr); at the end it shows the --html report until Ctrl-C",
      ],
    },
  },
  {
    name: null,
    flag: "dashboard-host",
    kind: "text",
    help: {
      section: OUTPUT,
      arg: "<HOST>",
      wrap: true,
      lines: ["bind the dashboard to HOST; other than loopback it needs --dashboard-token"],
    },
  },
  {
    name: null,
    flag: "dashboard-token",
    kind: "text",
    help: {
      section: OUTPUT,
      arg: "<TOKEN>",
      wrap: true,
      lines: ["requests need ?token=TOKEN or a bearer token [default: $LUNGE_DASHBOARD_TOKEN]"],
    },
  },
  {
    name: null,
    flag: "dashboard-exit",
    kind: "boolean",
    help: { section: OUTPUT, lines: ["stop the dashboard when the run ends (no wait for Ctrl-C)"] },
  },
  // ---- gRPC (src/protocols/grpc/, read by cli/_grpc_args.ts) ----
  {
    name: "call",
    flag: "call",
    kind: "text",
    help: { section: GRPC, arg: "<pkg.Service/Method>", wrap: true, lines: ["the method to call"] },
  },
  {
    name: "proto",
    flag: "proto",
    kind: "texts",
    help: {
      section: GRPC,
      arg: "<FILE>",
      lines: [".proto file declaring it, repeatable [default: server reflection]"],
    },
  },
  {
    name: "importPaths",
    flag: "import-path",
    kind: "texts",
    help: { section: GRPC, arg: "<DIR>", lines: ["folder searched for the .proto imports, repeatable"] },
  },
  {
    name: "data",
    flag: "data",
    kind: "text",
    help: {
      section: GRPC,
      arg: "<JSON|@FILE>",
      lines: [
        "request message as JSON (-b/--body works too); a JSON array or a",
        "JSON-lines file gives several, sent in turn [default: {}]; templates",
        "{{seq}} {{worker}} {{rand:A-B}} {{uuid}} {{csv:FILE:column}} (FILE",
        "beside @FILE, else in the working directory), filled per call",
      ],
    },
  },
  {
    name: "metadata",
    flag: "metadata",
    kind: "texts",
    help: { section: GRPC, arg: "<'key: value'>", wrap: true, lines: ["call metadata, repeatable"] },
  },
  {
    name: "compression",
    flag: "compression",
    kind: "text",
    help: {
      section: GRPC,
      arg: "<identity|gzip>",
      wrap: true,
      lines: ["request message compression [default: identity]"],
    },
  },
] as const satisfies readonly OptionEntry[];

/** One entry of `OPTION_TABLE`, with its literal types. */
export type TableEntry = typeof OPTION_TABLE[number];

/** The entries the engine checks from the table alone (numbers, durations, choices of a `RunOptions` key). */
type CheckedEntry = Extract<TableEntry, { name: string; kind: "number" | "integer" | "duration" | "choice" }>;

/** The normalized value of a checked entry: its choice, or a number (null when it may be absent). */
type NormalizedValue<E> = E extends { kind: "choice"; values: readonly (infer V)[] } ? V
  : E extends { default: null } | { orNull: true } ? number | null
  : number;

/**
 * The top-level fields of the normalized run options that follow from the
 * table: every checked entry without a `group`. `NormalizedRunOptions`
 * extends it, so a new numeric or choice option appears there by its entry.
 */
export type TableRunValues = {
  [E in CheckedEntry as E extends { group: string } ? never : E["name"]]: NormalizedValue<E>;
};

/** The fields of the normalized workload options that follow from the table (entries of group `workload`). */
export type TableWorkloadValues = {
  [E in CheckedEntry as E extends { group: "workload" } ? E["name"] : never]: NormalizedValue<E>;
};

/** The fields of the load worker's job that come straight from the normalized options. */
export type WorkerOptionField = Extract<TableEntry, { worker: string }>["worker"];

/**
 * The table entry of the `RunOptions` key `name`.
 *
 * @example
 * ```ts
 * import { optionEntry } from "./table.ts";
 * optionEntry("rate").flag; // "rate"
 * ```
 */
export function optionEntry(name: string): OptionEntry {
  const entry = (OPTION_TABLE as readonly OptionEntry[]).find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no run option "${name}" in the option table`);
  return entry;
}
