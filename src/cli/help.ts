/**
 * Help texts of the `lunge` CLI, in the style of oha and autocannon: usage,
 * every flag with its default, examples, exit codes.
 *
 * @example
 * ```ts
 * import { helpText } from "./help.ts";
 * console.log(helpText("run"));
 * ```
 *
 * @module
 */
import type { HelpTopic } from "./args.ts";
import { VERSION as LUNGE_VERSION } from "../version.ts";

const EXIT_CODES = `Exit codes:
  0    success
  1    runtime failure (the run could not start or a file could not be written)
  2    usage error (unknown flag, bad value, bad URL)
  99   a --threshold failed
  130  interrupted (Ctrl-C); the partial result is still reported and written`;

const GLOBAL = `lunge ${LUNGE_VERSION}: HTTP load tester and benchmark harness (Deno, Bun)

Usage:
  lunge run <url> [options]     load an HTTP service (or the built-in target) and report
  lunge serve [options]         start the built-in target server alone
  lunge --help | -h             this help; 'lunge run --help' for every run option
  lunge --version | -V          print the version

Examples:
  lunge run http://127.0.0.1:8080/ -c 100 -d 30s
  lunge run http://127.0.0.1:8080/api --rate 10000 -d 1m --threshold 'p99<50ms' --threshold 'errors<1%'
  lunge run builtin -d 5s --json result.json --html report.html
  lunge serve --port 8080

Environment:
  NO_COLOR=1                    no ANSI colors
  LUNGE_COLLECTOR=atomic|legacy default collector (LUNGE_USE_OLD_COLLECTOR=1 selects legacy)
  LUNGE_DEBUG=1                 print stack traces of unexpected failures

${EXIT_CODES}
`;

const RUN = `Usage: lunge run <url> [options]

Loads <url> and prints a summary on stdout; live progress goes to stderr.
<url> is an http:// or https:// URL, 'builtin' (start the built-in target and load GET /),
or 'builtin:/path' (e.g. builtin:/delay/5, builtin:/status/503, builtin:/flaky?error_rate=0.1).

Load model:
  -r, --rate <R>            open model: constant arrival rate, requests/s; latency is measured from
                            the intended send time (coordinated omission corrected)
                            [default: closed model, each virtual user sends as fast as answered]
  -c, --concurrency <C>     requests in flight at most (virtual users)
                            [default: 100 closed; enough for the rate in the open model]
  -w, --workers <W>         load worker threads [default: number of CPUs]
  -d, --duration <T>        measured duration [default: 10s, unless --requests is given]
  -n, --requests <N>        stop after N measured requests [default: none]
      --warmup <T>          warm-up before measuring, not counted [default: 0s]
      --ramp-up <T>         linear ramp of the rate (open) or users (closed) at the start [default: 0s]
      --ramp-down <T>       linear ramp down at the end [default: 0s]

Workloads (docs/scenarios.md):
      --targets <FILE>      request set: vegeta http format or JSON lines, templating {{seq}} {{worker}}
                            {{rand:A-B}} {{uuid}} {{csv:FILE:column}}; metrics per target name
      --targets-order <O>   round-robin | random (weighted when weights are given) [default: round-robin]
  lunge run <scenario.ts> [base-url]   run a TypeScript scenario (default export = one iteration)
      --iteration-timeout <T>  bound on one scenario iteration [default: 60s]
  -e, --env <NAME=value>    scenario ctx.env entry, repeatable

Request:
  -m, --method <M>          HTTP method [default: GET]
  -H, --header <K:V>        request header, repeatable: -H 'Accept: application/json'
  -b, --body <TEXT|@FILE>   request body; @FILE reads a file, @@TEXT sends a literal '@TEXT'
  -t, --timeout <T>         per-request timeout [default: 10s]
      --transport <T>       auto | raw | fetch: raw sockets (http:// only) or fetch [default: auto]

Measurement and output:
      --collector <K>       atomic | legacy metrics collector [default: $LUNGE_COLLECTOR, else atomic]
      --threshold <EXPR>    pass/fail check, repeatable; any failure exits 99 (see below)
      --json <FILE>         write the full result (versioned schema, time series, histogram)
      --html <FILE>         write a self-contained HTML report with charts
  -o, --out statsd=H:P      stream live metrics to a StatsD daemon each second, repeatable
      --metrics-port <N>    serve Prometheus /metrics and /health on 127.0.0.1:N during the run
                            (0: any free port, printed on stderr)
  -q, --quiet               no live progress (alias: --no-progress)
  -h, --help                this help

Durations: 30s, 500ms, 2m, 1h, 1m30s, 250us; a bare number is seconds (-d 10 = 10s).

Thresholds: <metric><op><value>, ops < <= > >= ==
  latency (ms; corrected in the open model):  p50 p75 p90 p95 p99 p999 min max mean stddev
      e.g. p99<50ms, p95<=1.5s (a bare number is ms; k6's p(99), avg, med work too)
  service time (uncorrected): service_p50 service_p90 service_p95 service_p99 service_p999
                              service_mean service_max
  errors (% of requests failed; the % is required), e.g. errors<1%
  rps (achieved requests/s), e.g. rps>9900
  counts: error_count timeouts requests missed_sends, e.g. missed_sends==0
  per name (request sets, scenario steps): <name>.p50|p90|p99|max|mean, <name>.errors (%), <name>.count,
      e.g. login.p99<200ms; scenarios: checks>99%, iteration_p99<1s, iteration_failures<1%

Examples:
  lunge run http://127.0.0.1:8080/ -c 200 -d 30s
  lunge run http://127.0.0.1:8080/ --rate 5000 --warmup 5s --ramp-up 10s -d 1m
  lunge run http://127.0.0.1:8080/users -m POST -H 'Content-Type: application/json' -b @user.json
  lunge run builtin -d 5s --threshold 'p99<20ms' --threshold 'errors<0.1%' --json out.json
  lunge run builtin --rate 1000 -d 30s --out statsd=127.0.0.1:8125 --metrics-port 9464

${EXIT_CODES}
`;

const SERVE = `Usage: lunge serve [options]

Starts the built-in target server (Hono) and prints its URL on stdout; Ctrl-C stops it (exit 0).

Options:
  -p, --port <N>            TCP port; 0 picks a free one [default: 8080]
      --host <H>            interface to bind [default: 127.0.0.1]
  -h, --help                this help

Routes:
  GET /                     "ok"
  GET /delay/:ms            answers after :ms milliseconds
  GET /jitter               latency drawn from ?dist=uniform|normal|lognormal|exponential
  GET /status/:code         answers with status :code
  GET /bytes/:n             an :n-byte body
  POST /echo                echoes the request body
  GET /flaky?error_rate=R   a 5xx with probability R [default: 0.1]
  GET /health               {"status":"ok"}
  POST /login               {"token": ...} for a JSON body {"username": ...}
  GET /me                   the user of "Authorization: Bearer <token>" (401 without)
  GET /__lunge/stats        ground truth: requests per route and status, bytes, open connections
  POST /__lunge/reset       zeroes the ground truth

Examples:
  lunge serve --port 8080
  lunge serve --port 0 --host 0.0.0.0

Exit codes:
  0    stopped with Ctrl-C
  1    could not listen (port in use, permission)
  2    usage error
`;

/**
 * The help text of a topic, ending with a newline.
 *
 * @example
 * ```ts
 * import { helpText } from "./help.ts";
 * helpText("global").startsWith("lunge "); // true
 * ```
 */
export function helpText(topic: HelpTopic): string {
  return topic === "run" ? RUN : topic === "serve" ? SERVE : GLOBAL;
}
