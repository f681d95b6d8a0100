/**
 * The sending side of Prometheus remote write: a bounded queue of encoded
 * batches sent one at a time, in order, with `fetch`. A failed send (network
 * error, timeout, 5xx, 429) is retried with a doubling back-off; a full queue
 * drops its oldest batch; a refused batch (another 4xx) is dropped. Every
 * drop is counted. Nothing here waits on the caller's side: `push` returns at
 * once, so a Prometheus that is down or slow never slows the run.
 *
 * @module
 */
import { compress } from "snappyjs";

/** Options of `RemoteWriteQueue`. */
export interface RemoteWriteQueueOptions {
  /** The remote-write endpoint, e.g. `http://127.0.0.1:9090/api/v1/write`. */
  url: string;
  /** Batches kept waiting at most; the oldest is dropped past it. Default 60 (a minute of seconds). */
  capacity?: number;
  /** One send's time limit, ms. Default 5000. */
  timeoutMs?: number;
  /** First retry delay, ms; doubles up to `maxBackoffMs`. Default 250. */
  backoffMs?: number;
  /** Longest retry delay, ms. Default 5000. */
  maxBackoffMs?: number;
  /** Extra request headers (e.g. `Authorization`). */
  headers?: Readonly<Record<string, string>>;
}

/** What a queue has done so far. */
export interface RemoteWriteStats {
  /** Batches the receiver accepted. */
  sentBatches: number;
  /** Samples in them. */
  sentSamples: number;
  /** Batches dropped (queue full, refused by the receiver, or left when it closed). */
  droppedBatches: number;
  /** Samples in them. */
  droppedSamples: number;
  /** Send attempts that failed (each retry counts). */
  failedAttempts: number;
  /** The last failure, or null. */
  lastError: string | null;
}

interface Batch {
  body: Uint8Array;
  samples: number;
}

/**
 * A bounded, never-blocking remote-write sender.
 *
 * @example
 * ```ts
 * import { RemoteWriteQueue } from "./queue.ts";
 * import { encodeWriteRequest } from "./write_request.ts";
 * const queue = new RemoteWriteQueue({ url: "http://127.0.0.1:9090/api/v1/write" });
 * queue.push(encodeWriteRequest([]), 0);
 * await queue.close(2000);
 * console.log(queue.stats());
 * ```
 */
export class RemoteWriteQueue {
  readonly #options: Required<Omit<RemoteWriteQueueOptions, "headers">> & { headers: Record<string, string> };
  readonly #queue: Batch[] = [];
  readonly #stats: RemoteWriteStats = {
    sentBatches: 0,
    sentSamples: 0,
    droppedBatches: 0,
    droppedSamples: 0,
    failedAttempts: 0,
    lastError: null,
  };
  #pumping: Promise<void> | null = null;
  #closing = false;
  #stopNow = false;
  #inFlight: AbortController | null = null;
  #wake: (() => void) | null = null;

  constructor(options: RemoteWriteQueueOptions) {
    this.#options = {
      url: options.url,
      capacity: options.capacity ?? 60,
      timeoutMs: options.timeoutMs ?? 5000,
      backoffMs: options.backoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 5000,
      headers: {
        "content-type": "application/x-protobuf",
        "content-encoding": "snappy",
        "x-prometheus-remote-write-version": "0.1.0",
        "user-agent": "lunge",
        ...options.headers,
      },
    };
  }

  /** Queues one uncompressed `WriteRequest` of `samples` samples; never waits. */
  push(request: Uint8Array, samples: number): void {
    if (this.#closing) {
      this.#drop(samples);
      return;
    }
    this.#queue.push({ body: compress(request) as Uint8Array, samples });
    while (this.#queue.length > this.#options.capacity) this.#drop(this.#queue.shift()!.samples);
    this.#pumping ??= this.#pump().finally(() => (this.#pumping = null));
  }

  /** The counts so far (a copy). */
  stats(): RemoteWriteStats {
    return { ...this.#stats };
  }

  /**
   * Sends what is queued for at most `deadlineMs`, then drops (and counts)
   * what is left and stops.
   */
  async close(deadlineMs: number): Promise<RemoteWriteStats> {
    this.#closing = true;
    if (this.#pumping !== null) {
      const timer = setTimeout(() => {
        this.#stopNow = true;
        this.#inFlight?.abort();
        this.#wake?.();
      }, deadlineMs);
      await this.#pumping;
      clearTimeout(timer);
    }
    for (const batch of this.#queue.splice(0)) this.#drop(batch.samples);
    return this.stats();
  }

  #drop(samples: number): void {
    this.#stats.droppedBatches++;
    this.#stats.droppedSamples += samples;
  }

  async #pump(): Promise<void> {
    let backoff = this.#options.backoffMs;
    while (this.#queue.length > 0 && !this.#stopNow) {
      const batch = this.#queue[0];
      const outcome = await this.#send(batch.body);
      if (this.#queue[0] !== batch) continue; // dropped while in flight (the queue was full)
      if (outcome !== "retry") {
        this.#queue.shift();
        if (outcome === "ok") {
          this.#stats.sentBatches++;
          this.#stats.sentSamples += batch.samples;
        } else {
          this.#drop(batch.samples);
        }
        backoff = this.#options.backoffMs;
        continue;
      }
      if (this.#stopNow) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
      backoff = Math.min(backoff * 2, this.#options.maxBackoffMs);
    }
  }

  async #send(body: Uint8Array): Promise<"ok" | "retry" | "refused"> {
    const abort = new AbortController();
    this.#inFlight = abort;
    const timer = setTimeout(() => abort.abort(), this.#options.timeoutMs);
    try {
      const response = await fetch(this.#options.url, {
        method: "POST",
        headers: this.#options.headers,
        body: body as Uint8Array<ArrayBuffer>,
        signal: abort.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return "ok";
      this.#failed(`HTTP ${response.status}`);
      // Prometheus answers 4xx for a batch it will never take (out of order, bad labels): resending cannot help.
      return response.status === 429 || response.status >= 500 ? "retry" : "refused";
    } catch (error) {
      this.#failed(
        abort.signal.aborted ? "timed out" : error instanceof Error ? error.message : String(error),
      );
      return "retry";
    } finally {
      clearTimeout(timer);
      this.#inFlight = null;
    }
  }

  #failed(reason: string): void {
    this.#stats.failedAttempts++;
    this.#stats.lastError = reason;
  }
}
