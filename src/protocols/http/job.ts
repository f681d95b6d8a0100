/**
 * What an HTTP load worker (`LoadWorker`) is asked to do beyond the common
 * job: the request (or the request set) and the HTTP/2 mode.
 *
 * @module
 */
import type { RequestSpec } from "../../http/types.ts";
import type { RequestSet } from "../../request_sets/parse_targets.ts";
import type { TargetsOrder } from "../../request_sets/request_source.ts";
import type { WorkerJobBase } from "../../worker/job.ts";

/**
 * The job of an HTTP load worker.
 *
 * @example
 * ```ts
 * import type { HttpJob } from "./job.ts";
 * const urlOf = (job: HttpJob): string => job.spec.url;
 * ```
 */
export interface HttpJob extends WorkerJobBase {
  spec: RequestSpec;
  /** HTTP/2 mode ("off" for HTTP/1.1); `streams` is the concurrent streams per connection. */
  http2?: "off" | "tls" | "prior-knowledge";
  /** Request set (`--targets`): sent instead of `spec`; per-target metrics go to `named`. */
  targets?: {
    set: RequestSet;
    order: TargetsOrder;
    workers: number;
    /** This instance's `--segment` index and count, so that `{{seq}}` stays disjoint across segments. */
    segment?: number;
    segments?: number;
  } | null;
}
