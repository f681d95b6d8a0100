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
import { COMPARE_HELP, MERGE_HELP, SCALEOUT_RUN_HELP } from "./_help_scaleout.ts";

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
or 'builtin:/path' (e.g. builtin:/delay/5, builtin:/status/503, builtin:/flaky?error_rate=0.1).

Load model:
  -r, --rate <R>            open model: constant arrival rate, requests/s; latency is measured from
                            the intended send time (coordinated omission corrected)
                            [default: closed model, each virtual user sends as fast as answered]
  -c, --concurrency <C>     requests in flight at most (virtual users)
                            [default: 100 closed; max(10, rate/10) to start with in the open model]
      --max-concurrency <N> open model: the pool grows on demand up to N connections; a warning
                            says when sends waited for one [default: --concurrency when given,
                            else min(10000, rate x timeout in s)]
  -w, --workers <W>         load workers, a thread each; one alone runs on the main thread
                            [default: number of CPUs]
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
      --transport <T>       auto | raw | fetch: raw sockets (http, https, unix) or fetch [default: auto]
      --http2               HTTP/2 over TLS (ALPN h2, https:// URLs); -c is then the number of connections
      --http2-prior-knowledge
                            HTTP/2 without TLS (h2c, http:// URLs); -c is the number of connections
  -s, --streams <N>         HTTP/2: concurrent streams per connection, 1 to 1000 [default: 1]

Connection (raw transport):
  -k, --insecure            do not verify the server's TLS certificate
      --cacert <FILE>       PEM file of the CA certificate(s) that verify the server
      --cert <FILE>         PEM client certificate (with --key)
      --key <FILE>          PEM private key of --cert
      --servername <NAME>   TLS server name (SNI) and the name the certificate must match
                            [default: the URL's host]
      --connect-to <H:P:TH:TP>  connect to TH:TP for requests to H:P, keeping the URL's Host and SNI;
                            empty parts match any / keep the original, repeatable
      --unix-socket <PATH>  send HTTP/1.1 over a unix domain socket (http:// URLs)

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

${SCALEOUT_RUN_HELP}

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
