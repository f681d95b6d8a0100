/**
 * `--data` messages with placeholders (`{{seq}}`, `{{worker}}`,
 * `{{rand:A-B}}`, `{{uuid}}`, as in request sets): the JSON text is filled
 * per call and encoded in the load worker (a templated message cannot be
 * prepared once). Messages without placeholders never come here.
 *
 * @module
 */
import protobuf from "protobufjs";
import { compileTemplate, fillTemplate, type Template } from "../../request_sets/templates.ts";
import { frameMessage } from "../../grpc/framing.ts";

/** What the worker needs: the message texts and the request type as protobufjs JSON. */
export interface TemplatedData {
  /** JSON text of each message, placeholders included. */
  texts: string[];
  /** `Root.toJSON()` of the .proto files. */
  root: unknown;
  /** The request type's full name. */
  typeName: string;
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
 * const t = new TemplatedMessages({ texts: ['{"s":"u{{seq}}"}'], root: root.toJSON(), typeName: "M" }, 0);
 * t.next(7); // the framed message { s: "u7" }
 * ```
 */
export class TemplatedMessages {
  readonly #templates: Template[];
  readonly #type: protobuf.Type;
  readonly #fill: { seq: number; worker: number; csv: Record<string, string[]> };
  #next = 0;

  constructor(data: TemplatedData, worker: number) {
    this.#templates = data.texts.map((t) => compileTemplate(t));
    this.#type = protobuf.Root.fromJSON(data.root as protobuf.INamespace).lookupType(data.typeName);
    this.#fill = { seq: 0, worker, csv: {} };
  }

  /** The next message, filled with `seq`, encoded and framed. */
  next(seq: number): Uint8Array {
    const template = this.#templates[this.#next];
    this.#next = this.#next + 1 === this.#templates.length ? 0 : this.#next + 1;
    this.#fill.seq = seq;
    const value = JSON.parse(fillTemplate(template, this.#fill));
    return frameMessage(this.#type.encode(this.#type.fromObject(value)).finish());
  }
}
