/**
 * The small templating of request sets: `{{seq}}`, `{{worker}}`,
 * `{{rand:A-B}}`, `{{uuid}}` and `{{csv:FILE:column}}` in URLs, header values
 * and bodies. A template is compiled once into literal parts and
 * placeholders; filling it per request concatenates strings only.
 *
 * @module
 */

/** What a placeholder stands for. */
export type Placeholder =
  | { kind: "seq" }
  | { kind: "worker" }
  | { kind: "rand"; min: number; max: number }
  | { kind: "uuid" }
  | { kind: "csv"; file: string; column: string };

/** A compiled template: literal strings around placeholders (`parts[i]` before `holes[i]`). */
export interface Template {
  /** Literal text; one more than `holes`. */
  parts: string[];
  /** Placeholders between the literal parts. */
  holes: Placeholder[];
}

const HOLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Compiles `text`; throws an `Error` whose message says what is wrong with a
 * placeholder (the caller adds file:line).
 *
 * @example
 * ```ts
 * import { compileTemplate } from "./_template.ts";
 * compileTemplate("/users/{{seq}}").holes; // [{ kind: "seq" }]
 * ```
 */
export function compileTemplate(text: string): Template {
  const parts: string[] = [];
  const holes: Placeholder[] = [];
  let last = 0;
  for (const match of text.matchAll(HOLE)) {
    parts.push(text.slice(last, match.index));
    holes.push(parsePlaceholder(match[1]));
    last = match.index! + match[0].length;
  }
  parts.push(text.slice(last));
  return { parts, holes };
}

function parsePlaceholder(body: string): Placeholder {
  if (body === "seq") return { kind: "seq" };
  if (body === "worker") return { kind: "worker" };
  if (body === "uuid") return { kind: "uuid" };
  if (body.startsWith("rand:")) {
    const m = /^rand:(-?\d+)-(-?\d+)$/.exec(body);
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2]) : NaN;
    if (!m || !(min <= max) || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
      throw new Error(`invalid placeholder {{${body}}}: expected {{rand:A-B}} with integers A <= B`);
    }
    return { kind: "rand", min, max };
  }
  if (body.startsWith("csv:")) {
    const rest = body.slice(4);
    const colon = rest.lastIndexOf(":");
    if (colon <= 0 || colon === rest.length - 1) {
      throw new Error(`invalid placeholder {{${body}}}: expected {{csv:FILE:column}}`);
    }
    return { kind: "csv", file: rest.slice(0, colon), column: rest.slice(colon + 1) };
  }
  throw new Error(
    `unknown placeholder {{${body}}}: expected {{seq}}, {{worker}}, {{rand:A-B}}, {{uuid}} or {{csv:FILE:column}}`,
  );
}

/** Whether a template has placeholders. */
export function isTemplated(t: Template): boolean {
  return t.holes.length > 0;
}

/** Per-request values a template is filled with. */
export interface FillValues {
  /** This request's global sequence number. */
  seq: number;
  /** The worker's index. */
  worker: number;
  /** CSV columns by `FILE:column` key. */
  csv: Readonly<Record<string, readonly string[]>>;
}

const HEX = "0123456789abcdef";

/**
 * A random RFC 4122 version-4 UUID (Math.random: unique enough for load
 * data, not for secrets).
 *
 * @example
 * ```ts
 * import { randomUuid } from "./_template.ts";
 * randomUuid().length; // 36
 * ```
 */
export function randomUuid(): string {
  let s = "";
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) s += "-";
    else if (i === 14) s += "4";
    else if (i === 19) s += HEX[8 + ((Math.random() * 4) | 0)];
    else s += HEX[(Math.random() * 16) | 0];
  }
  return s;
}

/** The key of a CSV column in `FillValues.csv`. */
export function csvKey(file: string, column: string): string {
  return `${file}:${column}`;
}

/**
 * Fills a template.
 *
 * @example
 * ```ts
 * import { compileTemplate, fillTemplate } from "./_template.ts";
 * fillTemplate(compileTemplate("/u/{{seq}}"), { seq: 7, worker: 0, csv: {} }); // "/u/7"
 * ```
 */
export function fillTemplate(t: Template, v: FillValues): string {
  let s = t.parts[0];
  for (let i = 0; i < t.holes.length; i++) {
    const h = t.holes[i];
    switch (h.kind) {
      case "seq":
        s += v.seq;
        break;
      case "worker":
        s += v.worker;
        break;
      case "rand":
        s += h.min + Math.floor(Math.random() * (h.max - h.min + 1));
        break;
      case "uuid":
        s += randomUuid();
        break;
      case "csv": {
        const column = v.csv[csvKey(h.file, h.column)];
        s += column[v.seq % column.length];
        break;
      }
    }
    s += t.parts[i + 1];
  }
  return s;
}
