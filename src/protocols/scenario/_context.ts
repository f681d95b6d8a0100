/**
 * The context an iteration receives (`ctx`): one per virtual user, reused
 * across its iterations.
 *
 * @module
 */
import type { VuHttpClient } from "./_http_client.ts";
import type { HttpClient, ScenarioContext, SetupContext, VirtualUserInfo, WsClient } from "./types.ts";
import { VuWsClient } from "./_ws_client.ts";
import type { GrpcClient } from "./grpc_types.ts";

/** `ctx.grpc` where no gRPC client was given (tests of the HTTP side). */
const NO_GRPC: GrpcClient = {
  connect: () => Promise.reject(new Error("ctx.grpc is not available in this context")),
};

/** Receives check outcomes. */
export interface CheckRecorder {
  /** Counts one outcome of check `name`. */
  check(name: string, passed: boolean): void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms > 0 ? ms : 0));
}

/**
 * The context of one virtual user.
 *
 * @example
 * ```ts
 * import { VuContext } from "./_context.ts";
 * import { VuHttpClient } from "./_http_client.ts";
 * const http = new VuHttpClient({ base: "", timeoutMs: 1000, recorder: null, forceFetch: false });
 * const ctx = new VuContext(http, null, 1, undefined, {});
 * ctx.check(1, { "is one": (v) => v === 1 }); // true
 * ```
 */
export class VuContext implements ScenarioContext {
  readonly http: HttpClient;
  readonly ws: WsClient;
  readonly grpc: GrpcClient;
  readonly vu: VirtualUserInfo & { iteration: number };
  readonly data: unknown;
  readonly env: Readonly<Record<string, string>>;
  readonly #client: VuHttpClient;
  readonly #checks: CheckRecorder | null;

  constructor(
    client: VuHttpClient,
    checks: CheckRecorder | null,
    id: number,
    data: unknown,
    env: Readonly<Record<string, string>>,
    ws: WsClient = new VuWsClient({ base: "", timeoutMs: 10_000, recorder: null }),
    grpc: GrpcClient = NO_GRPC,
  ) {
    this.http = client;
    this.ws = ws;
    this.grpc = grpc;
    this.#client = client;
    this.#checks = checks;
    this.vu = { id, iteration: 0 };
    this.data = data;
    this.env = env;
  }

  check<T>(value: T, checks: Record<string, (value: T) => boolean>): boolean {
    let all = true;
    for (const name in checks) {
      let passed = false;
      try {
        passed = Boolean(checks[name](value));
      } catch {
        passed = false; // a predicate that throws is a failed check
      }
      this.#checks?.check(name, passed);
      if (!passed) all = false;
    }
    return all;
  }

  async group<R>(name: string, fn: () => R | Promise<R>): Promise<R> {
    const client = this.#client;
    const outer = client.group;
    client.group = outer === null ? name : `${outer}::${name}`;
    try {
      return await fn();
    } finally {
      client.group = outer;
    }
  }

  sleep(ms: number): Promise<void> {
    return sleep(ms);
  }
}

/**
 * The context of `setup()` and `teardown()`.
 *
 * @example
 * ```ts
 * import { setupContext } from "./_context.ts";
 * import { VuHttpClient } from "./_http_client.ts";
 * const ctx = setupContext(new VuHttpClient({ base: "", timeoutMs: 1000, recorder: null, forceFetch: false }), {});
 * ```
 */
export function setupContext(client: VuHttpClient, env: Readonly<Record<string, string>>): SetupContext {
  return { http: client, env };
}
