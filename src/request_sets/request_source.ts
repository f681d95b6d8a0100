/**
 * The worker side of a request set: picks the next target per send
 * (round-robin, random, weighted), hands the connection that target's
 * request (serialized once when it has no placeholders; otherwise filled into
 * a buffer reused by the virtual user) and knows each target's metrics slot.
 *
 * @module
 */
import type { ConnectOptions } from "../http/types.ts";
import type { TargetsOrder, Transport } from "../options/values.ts";
import { createConnection, prepareRequest } from "../http/mod.ts";
import type { HttpConnection, PreparedRequest, ResponseCallback } from "../http/types.ts";
import type { RequestSet, TargetDef } from "./types.ts";
import { globalSeq, type SequencePlace } from "./_sequence.ts";
import { compileTemplate, fillTemplate, type FillValues, isTemplated, type Template } from "./_template.ts";

/** How the next target is chosen (declared with the other option values). */
export type { TargetsOrder };

/** A connection whose request can be switched between sends. */
interface SwitchableConnection extends HttpConnection {
  use(request: PreparedRequest): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
const GOLDEN = 0.6180339887498949;
const encoder = new TextEncoder();

/** The names of a request set, in order of first appearance (one metrics slot each). */
export function requestSetNames(set: RequestSet): string[] {
  return [...new Set(set.targets.map((t) => t.name))];
}

interface CompiledTarget {
  def: TargetDef;
  slot: number;
  origin: number;
  /** Pre-serialized request, or null when templated. */
  prepared: PreparedRequest | null;
  /** The first prepared form (connection set-up, origin). */
  base: PreparedRequest;
  url: Template;
  headers: Array<[string, Template]>;
  body: Template | null;
  hostHeader: boolean;
  originLength: number;
}

/** Per-virtual-user scratch for templated requests. */
interface UserScratch {
  prepared: Mutable<PreparedRequest>;
  buffer: Uint8Array;
  body: Uint8Array;
}

/** Several origins behind one connection: one keep-alive connection each, the active one chosen per send. */
class RoutedConnection implements SwitchableConnection {
  active: SwitchableConnection;
  constructor(readonly conns: SwitchableConnection[]) {
    this.active = conns[0];
  }
  route(origin: number): void {
    this.active = this.conns[origin];
  }
  use(request: PreparedRequest): void {
    this.active.use(request);
  }
  send(): void {
    this.active.send();
  }
  abort(kind: number): void {
    this.active.abort(kind);
  }
  close(): void {
    for (const c of this.conns) c.close();
  }
  get inFlight(): boolean {
    return this.active.inFlight;
  }
  get reconnects(): number {
    let n = 0;
    for (const c of this.conns) n += c.reconnects;
    return n;
  }
}

/**
 * Chooses targets and prepares their requests for one worker.
 *
 * @example
 * ```ts
 * import { RequestSetSource } from "./request_source.ts";
 * import { parseTargets } from "./parse_targets.ts";
 * const set = parseTargets("t.txt", "GET http://127.0.0.1:9/a\n\nGET http://127.0.0.1:9/b\n", () => null);
 * const source = new RequestSetSource(set, { order: "round-robin", transport: "auto", place: { worker: 0, workers: 1 } });
 * const conn = source.createConnection(0, () => {});
 * source.slotOf(source.next(0, conn)); // 0
 * ```
 */
export class RequestSetSource {
  readonly #targets: CompiledTarget[];
  readonly #origins: PreparedRequest[] = [];
  readonly #cumulative: Float64Array;
  readonly #total: number;
  readonly #weighted: boolean;
  readonly #random: boolean;
  readonly #place: SequencePlace;
  readonly #fill: FillValues;
  readonly #scratch: UserScratch[] = [];
  readonly #transport: Transport;
  /** TLS, `--connect-to` and unix-socket settings of every target's connection. */
  readonly #connect: ConnectOptions | undefined;
  #counter: number;
  #phase: number;
  #local = 0;

  constructor(
    set: RequestSet,
    options: {
      order: TargetsOrder;
      transport: Transport;
      place: SequencePlace;
      connect?: ConnectOptions;
    },
  ) {
    this.#place = options.place;
    this.#transport = options.transport;
    this.#connect = options.connect;
    this.#fill = { seq: 0, worker: options.place.worker, csv: set.csv };
    const names = requestSetNames(set);
    const originKeys: string[] = [];
    this.#targets = set.targets.map((def) => {
      const url = compileTemplate(def.url);
      const headers = Object.entries(def.headers).map((
        [k, v],
      ): [string, Template] => [k, compileTemplate(v)]);
      const body = def.body === undefined ? null : compileTemplate(def.body);
      const templated = isTemplated(url) || headers.some(([, t]) => isTemplated(t)) ||
        (body !== null && isTemplated(body));
      const sample = (t: Template): string => t.parts.join("0");
      const base = prepareRequest({
        url: sample(url),
        method: def.method,
        headers: Object.fromEntries(headers.map(([k, t]) => [k, sample(t)])),
        body: body === null ? undefined : sample(body),
      }, { ...options.connect, transport: options.transport });
      const key = `${base.transport} ${base.hostname} ${base.port}`;
      let origin = originKeys.indexOf(key);
      if (origin < 0) {
        origin = originKeys.push(key) - 1;
        this.#origins.push(base);
      }
      const originLength = /^[a-z]+:\/\/[^/?#]*/i.exec(def.url)![0].length;
      return {
        def,
        slot: names.indexOf(def.name),
        origin,
        prepared: templated ? null : base,
        base,
        url,
        headers,
        body,
        hostHeader: Object.keys(def.headers).some((k) => k.toLowerCase() === "host"),
        originLength,
      };
    });
    this.#weighted = set.weighted;
    this.#random = options.order === "random";
    this.#cumulative = new Float64Array(this.#targets.length);
    let sum = 0;
    this.#targets.forEach((t, i) => (this.#cumulative[i] = sum += t.def.weight));
    this.#total = sum;
    // Workers start at different places of the cycle.
    this.#counter = Math.floor((options.place.worker * this.#targets.length) / options.place.workers);
    this.#phase = options.place.worker / options.place.workers;
  }

  /** One connection for a virtual user (one per origin behind it when the set spans several). */
  createConnection(user: number, onResponse: ResponseCallback): HttpConnection {
    this.#scratch[user] = {
      prepared: { ...this.#origins[0] },
      buffer: new Uint8Array(1024),
      body: new Uint8Array(256),
    };
    const conns = this.#origins.map((o) =>
      createConnection(o, onResponse) as unknown as SwitchableConnection
    );
    return conns.length === 1 ? conns[0] : new RoutedConnection(conns);
  }

  /** The metrics slot of target `index`. */
  slotOf(index: number): number {
    return this.#targets[index].slot;
  }

  /** Picks the next target for `user`, gives `conn` its request; returns the target's index. */
  next(user: number, conn: HttpConnection): number {
    const index = this.#pick();
    const t = this.#targets[index];
    if (conn instanceof RoutedConnection) conn.route(t.origin);
    const c = conn as SwitchableConnection;
    c.use(t.prepared ?? this.#fillRequest(t, this.#scratch[user]));
    return index;
  }

  #pick(): number {
    const n = this.#targets.length;
    if (n === 1) return 0;
    if (!this.#weighted) {
      if (this.#random) return (Math.random() * n) | 0;
      const i = this.#counter;
      this.#counter = i + 1 === n ? 0 : i + 1;
      return i;
    }
    let x: number;
    if (this.#random) x = Math.random();
    else {
      // A low-discrepancy walk: the share of each target converges to its weight quickly.
      x = this.#phase + GOLDEN;
      if (x >= 1) x -= 1;
      this.#phase = x;
    }
    const goal = x * this.#total;
    const cum = this.#cumulative;
    let i = 0;
    while (i < n - 1 && cum[i] <= goal) i++;
    return i;
  }

  #fillRequest(t: CompiledTarget, s: UserScratch): PreparedRequest {
    const fill = this.#fill;
    fill.seq = globalSeq(this.#local++, this.#place);
    const url = fillTemplate(t.url, fill);
    if (t.base.transport === "fetch" || this.#transport === "fetch") {
      const headers: Record<string, string> = {};
      for (const [k, v] of t.headers) headers[k] = fillTemplate(v, fill);
      return prepareRequest(
        {
          url,
          method: t.def.method,
          headers,
          body: t.body === null ? undefined : fillTemplate(t.body, fill),
        },
        { ...this.#connect, transport: this.#transport },
      );
    }
    const path = url.length > t.originLength ? url.slice(t.originLength) : "/";
    let head = `${t.def.method} ${path.startsWith("/") ? path : "/" + path} HTTP/1.1\r\n`;
    if (!t.hostHeader) head += `Host: ${url.slice(url.indexOf("//") + 2, t.originLength)}\r\n`;
    for (const [k, v] of t.headers) head += `${k}: ${fillTemplate(v, fill)}\r\n`;
    let bodyLength = -1;
    if (t.body !== null) {
      const text = fillTemplate(t.body, fill);
      bodyLength = encodeGrow(s, "body", text);
    }
    if (bodyLength >= 0 || METHODS_WITH_BODY.has(t.def.method)) {
      head += `Content-Length: ${Math.max(0, bodyLength)}\r\n`;
    }
    head += "\r\n";
    const headLength = encodeGrow(s, "buffer", head, Math.max(0, bodyLength));
    if (bodyLength > 0) s.buffer.set(s.body.subarray(0, bodyLength), headLength);
    const p = s.prepared;
    p.method = t.def.method;
    p.url = url;
    p.hostname = t.base.hostname;
    p.port = t.base.port;
    p.noResponseBody = t.def.method === "HEAD";
    p.bytes = s.buffer.subarray(0, headLength + Math.max(0, bodyLength));
    return p;
  }
}

/** Encodes `text` into the scratch buffer `key` (grown as needed, `reserve` bytes spare); returns the length. */
function encodeGrow(s: UserScratch, key: "buffer" | "body", text: string, reserve = 0): number {
  while (true) {
    const buf = s[key];
    const r = encoder.encodeInto(text, buf);
    if (r.read === text.length && r.written + reserve <= buf.length) return r.written;
    s[key] = new Uint8Array(Math.max(buf.length * 2, text.length * 3 + reserve));
  }
}
