/**
 * Help texts of the `merge` and `compare` commands (the `run` flags for
 * split runs and interval logs are in the option table).
 *
 * @module
 */

/** `lunge merge --help`. */
export const MERGE_HELP = `Usage: lunge merge <file>... [options]

Merges the results of the segments of one plan (lunge run --segment I/N) into one result, as if one
process had run the whole plan: counts summed, histograms merged bucket-wise (exact percentiles), time
series aligned by wall-clock second, achieved rate over the union of the segments' spans.
<file> is a --json result, a .jsonl file with one result per line (e.g. collected with kubectl logs;
other lines are skipped) or an .hlog interval log.

Options:
      --json <FILE>         write the merged result (- for stdout; the summary then goes to stderr)
      --html <FILE>         write the merged HTML report
      --threshold <EXPR>    pass/fail check on the merged result, repeatable (as in lunge run)
      --allow-partial       merge even when segments are missing (the result is marked partial)
  -q, --quiet               no summary
  -h, --help                this help

Refused (exit 2, one line): results of different plans or schema versions, a duplicate segment, a
missing segment (unless --allow-partial), a file that is not a result.

Examples:
  lunge merge seg-0.json seg-1.json seg-2.json --json merged.json --threshold 'p99<50ms'
  kubectl logs -l job-name=lunge-fleet --tail=-1 > fleet.jsonl && lunge merge fleet.jsonl --html fleet.html

Exit codes:
  0    merged
  1    an output file could not be written
  2    usage error or inputs that cannot be merged
  99   a --threshold failed
`;

/** `lunge compare --help`. */
export const COMPARE_HELP = `Usage: lunge compare <base.json> <new.json> [options]

Prints the headline figures of two results side by side with their deltas, and fails when a
--max-regression limit is exceeded. Warns when the runs differ in runtime, machine, load model or
lunge version. Meant for CI: keep a baseline result in your repository and compare each run with it.

Options:
      --max-regression <M=L>  limit, repeatable. L is relative (N%) or absolute:
                              p50 p90 p95 p99 p999 mean max: may grow by N% or Nms/Ns/Nus
                              rps: may fall by N% or N req/s; requests: may fall by N% or N
                              errors: may grow by N% (relative) or Npp (percentage points)
      --json <FILE>           write the comparison as JSON (- for stdout)
      --html <FILE>           write the comparison as an HTML page
  -h, --help                  this help

Examples:
  lunge compare baseline.json new.json --max-regression 'p99=10%' --max-regression 'rps=5%' \\
    --max-regression 'errors=0.1pp'

Exit codes:
  0    no limit exceeded
  1    an output file could not be written
  2    usage error or an unreadable result
  99   a limit was exceeded
`;
