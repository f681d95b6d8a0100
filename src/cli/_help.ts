/**
 * Help texts of the `lunge` CLI, in the style of oha and autocannon: usage,
 * every flag with its default, examples, exit codes.
 *
 * @example
 * ```ts
 * import { helpText } from "./_help.ts";
 * console.log(helpText("run"));
 * ```
 *
 * @module
 */
import type { HelpTopic } from "./_args.ts";
import { VERSION as LUNGE_VERSION } from "../version.ts";
import { COMPARE_HELP, MERGE_HELP } from "./_help_scaleout.ts";
import { runOptionsHelp } from "./_help_options.ts";

const EXIT_CODES = `Exit codes:
  0    success
  1    runtime failure (the run could not start, a file could not be written, a load
       worker crashed) or not one request succeeded (one line names the dominant cause)
  2    usage error (unknown flag, bad value, bad URL, a concurrency above the open-files limit)
  99   a --threshold failed
  130  interrupted (Ctrl-C; a second Ctrl-C quits at once); the partial result is still reported and written
  143  terminated (SIGTERM); the partial result is still reported and written`;

const GLOBAL = `lunge ${LUNGE_VERSION}: HTTP load tester and benchmark harness (Deno, Bun)

Usage:
  lunge run <url> [options]     load an HTTP service (or the built-in target) and report
  lunge serve [options]         start the built-in target server alone
  lunge merge <file>...         merge the results of a split run (--segment) into one
  lunge compare <base> <new>    compare two results; fail on a --max-regression (CI)
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
or 'builtin:/path' (e.g. builtin:/delay/5, builtin:/status/503, builtin:/flaky?error_rate=0.1);
a ws:// or wss:// URL (or builtin:/ws/echo) with --message runs WebSocket round trips.

${runOptionsHelp()}

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
  streams: <metric>_p50|p90|p95|p99|max|mean|count with metric ttfb first_event event_gap events
      stream_duration ttft itl tokens_per_s output_tokens, e.g. ttft_p99<500ms, itl_p99<50ms;
      per name: chat.ttft_p99<500ms
  gRPC: grpc_errors (% of calls not OK), status_<NAME> (calls), grpc_calls, e.g. status_UNAVAILABLE==0

Streams: every response's time to first body byte is measured. A response whose Content-Type is
  text/event-stream is read as Server-Sent Events as it arrives (first event, gaps, events per stream,
  duration); OpenAI-style chunks ('data: {json}' ending with 'data: [DONE]') add time to first token,
  inter-token latency, tokens/s and output tokens. Nothing to turn on; set --timeout above the
  longest stream. A POST works with the usual flags, e.g.
  lunge run http://127.0.0.1:8000/v1/chat/completions -m POST -H 'content-type: application/json'
      -b @req.json -c 8 -d 30s --timeout 60s --threshold 'ttft_p99<500ms'

Examples:
  lunge run http://127.0.0.1:8080/ -c 200 -d 30s
  lunge run http://127.0.0.1:8080/ --rate 5000 --warmup 5s --ramp-up 10s -d 1m
  lunge run http://127.0.0.1:8080/users -m POST -H 'Content-Type: application/json' -b @user.json
  lunge run builtin -d 5s --threshold 'p99<20ms' --threshold 'errors<0.1%' --json out.json
  lunge run grpc://127.0.0.1:50051 --call pkg.Service/Method --proto api.proto --data '{"id":1}' -c 10 -s 10
  lunge run builtin --rate 1000 -d 30s --out statsd=127.0.0.1:8125 --metrics-port 9464

${EXIT_CODES}
`;

const SERVE = `Usage: lunge serve [options]

Starts the built-in target server (Hono) and prints its URL on stdout; Ctrl-C stops it (exit 0).

Options:
  -p, --port <N>            TCP port; 0 picks a free one [default: 8080]
      --host <H>            interface to bind [default: 127.0.0.1]; beyond loopback a warning is printed
      --control-token <T>   control routes need 'Authorization: Bearer <T>' (8+ characters; env LUNGE_CONTROL_TOKEN);
                            without it they answer on loopback binds only
  -h, --help                this help

Routes:
  GET /                     "ok"
  GET /delay/:ms            answers after :ms milliseconds
  GET /jitter               latency drawn from ?dist=uniform|normal|lognormal|exponential
  GET /status/:code         answers with status :code
  GET /bytes/:n             an :n-byte body
  POST /echo                echoes the request body (at most 1 MiB; 413 beyond)
  GET /flaky?error_rate=R   a 5xx with probability R [default: 0.1]
  GET /health               {"status":"ok"}
  POST /login               {"token": ...} for a JSON body {"username": ...}
  GET /me                   the user of "Authorization: Bearer <token>" (401 without)
  GET /__lunge/stats        ground truth: requests per route and status, bytes, open connections
  POST /__lunge/reset       zeroes the ground truth
  POST /__lunge/stall?ms=N  every request arriving in the next N ms waits until then (at most 60 s
                            from the stall's start, extensions included; 100,000 requests held)
  POST /__lunge/gc          forces a full GC where the runtime allows it (at most once a second; 429)

Examples:
  lunge serve --port 8080
  lunge serve --port 0 --host 0.0.0.0

Exit codes:
  0    stopped with Ctrl-C or SIGTERM
  1    could not listen (port in use, permission)
  2    usage error
`;

/**
 * The help text of a topic, ending with a newline.
 *
 * @example
 * ```ts
 * import { helpText } from "./_help.ts";
 * helpText("global").startsWith("lunge "); // true
 * ```
 */
export function helpText(topic: HelpTopic): string {
  if (topic === "merge") return MERGE_HELP;
  if (topic === "compare") return COMPARE_HELP;
  return topic === "run" ? RUN : topic === "serve" ? SERVE : GLOBAL;
}
