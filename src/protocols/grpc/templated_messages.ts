/**
 * `--data` messages with placeholders (`{{seq}}`, `{{worker}}`,
 * `{{rand:A-B}}`, `{{uuid}}`, `{{csv:FILE:column}}`, as in request sets):
 * the JSON text is filled per call, encoded and, with gzip, compressed in the
 * load worker (a templated message cannot be prepared once). Messages without
 * placeholders never come here.
 *
 * @module
 */
import protobuf from "protobufjs";
import { compileTemplate, fillTemplate, type Template } from "../../request_sets/templates.ts";
import { frameMessage } from "../../grpc/framing.ts";
import { gzipSync } from "../../runtime/zlib.ts";

/** What the worker needs: the message texts and the request type as protobufjs JSON. */
export interface TemplatedData {
  /** JSON text of each message, placeholders included. */
  texts: string[];
  /** `Root.toJSON()` of the .proto files. */
  root: unknown;
  /** The request type's full name. */
  typeName: string;
  /** The CSV columns the texts name, by `FILE:column`, read once on the main thread. */
  csv: Record<string, string[]>;
  /** gzip-compress each message (`grpc-encoding: gzip`). */
  gzip: boolean;
}

/**
 * Whether a message text has placeholders.
 *
 * @example
 * ```ts
 * import { hasPlaceholders } from "./templated_messages.ts";
 * hasPlaceholders('{"id":"{{seq}}"}'); // true
 * ```
 */
export function hasPlaceholders(text: string): boolean {
  return /\{\{[^{}]*\}\}/.test(text);
}

/**
 * Fills and encodes templated messages in turn.
 *
 * @example
 * ```ts
 * import protobuf from "protobufjs";
 * import { TemplatedMessages } from "./templated_messages.ts";
 * const root = protobuf.parse('syntax = "proto3"; message M { string s = 1; }').root;
 * const data = { texts: ['{"s":"u{{seq}}"}'], root: root.toJSON(), typeName: "M", csv: {}, gzip: false };
 * const t = new TemplatedMessages(data, 0);
 * t.next(7); // the framed message { s: "u7" }
 * ```
 */
export class TemplatedMessages {
  readonly #templates: Template[];
  readonly #type: protobuf.Type;
  readonly #fill: { seq: number; worker: number; csv: Record<string, string[]> };
  readonly #gzip: boolean;
  #next = 0;

  constructor(data: TemplatedData, worker: number) {
    this.#templates = data.texts.map((t) => compileTemplate(t));
    this.#type = protobuf.Root.fromJSON(data.root as protobuf.INamespace).lookupType(data.typeName);
    this.#fill = { seq: 0, worker, csv: data.csv };
    this.#gzip = data.gzip;
  }

  /** The next message, filled with `seq` (CSV row `seq % rows`), encoded, compressed with gzip, framed. */
  next(seq: number): Uint8Array {
    const template = this.#templates[this.#next];
    this.#next = this.#next + 1 === this.#templates.length ? 0 : this.#next + 1;
    this.#fill.seq = seq;
    const value = JSON.parse(fillTemplate(template, this.#fill));
    const encoded = this.#type.encode(this.#type.fromObject(value)).finish();
    return this.#gzip ? frameMessage(gzipSync(encoded), true) : frameMessage(encoded);
  }
}
