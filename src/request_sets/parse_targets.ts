/**
 * Reading a request-set file (`--targets FILE`): vegeta's http format
 * (`GET http://host/path`, header lines, `@body-file`, a blank line between
 * targets) or JSON lines (`{"method","url","headers","body","name","weight"}`).
 * Every mistake is a `TargetsFileError` naming file:line and what is wrong.
 *
 * @module
 */
import { RunOptionsError } from "../options/run_options_error.ts";
import { compileTemplate, type Template } from "./_template.ts";
import { CsvColumnError, readTemplateColumns, resolveBeside } from "./csv_columns.ts";
import type { RequestSet, TargetDef } from "./types.ts";

export type { RequestSet, TargetDef };

/**
 * A request-set file that cannot be used. The message starts with
 * `Cannot start run: FILE:LINE:` so that the CLI prints it as a usage error.
 *
 * @example
 * ```ts
 * import { TargetsFileError } from "./parse_targets.ts";
 * new TargetsFileError("t.txt", 3, "expected METHOD URL").message;
 * // 'Cannot start run: t.txt:3: expected METHOD URL'
 * ```
 */
export class TargetsFileError extends RunOptionsError {
  /** The file. */
  readonly file: string;
  /** 1-based line (0 when the file as a whole is wrong). */
  readonly line: number;
  /** Creates the error for `file`:`line`. */
  constructor(file: string, line: number, message: string) {
    super("targets", `${line > 0 ? `${file}:${line}` : file}: ${message}`);
    this.name = "TargetsFileError";
    this.file = file;
    this.line = line;
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * A line that starts a target with no blank line before it: vegeta's test for a method at the start
 * of a line (capital letters, then whitespace), followed by one word, the URL. No header line has
 * this shape, since a field name is followed directly by its colon (RFC 9112 §5.1). A method in
 * other letters (`DOwork`) starts a target after a blank line only, so a header missing its colon
 * (`X-Url http://host/`) stays an error instead of becoming a target.
 */
const NEXT_TARGET_LINE = /^([A-Z]+)\s+(\S+)$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/;
/** Why a line that reads like `METHOD URL` was not taken as a target. */
const NEEDS_BLANK_LINE = " (a target whose method is not all capitals needs a blank line before it)";

/** `METHOD path` for an unnamed target (placeholders kept as written). */
function defaultName(method: string, url: string): string {
  const m = /^(?:[a-z]+:\/\/[^/?#]*)?(\/[^?#]*)?/i.exec(url);
  return `${method} ${m?.[1] || "/"}`;
}

/**
 * A copy of `set` whose relative URLs (`/path`) are resolved against the
 * origin of `base`.
 *
 * @example
 * ```ts
 * import { parseTargets, resolveTargets } from "./parse_targets.ts";
 * const set = resolveTargets(parseTargets("t.txt", "GET /a\n", () => null), "http://127.0.0.1:8080/");
 * set.targets[0].url; // "http://127.0.0.1:8080/a"
 * ```
 */
export function resolveTargets(set: RequestSet, base: string): RequestSet {
  if (!set.targets.some((t) => t.url.startsWith("/"))) return set;
  const origin = new URL(base).origin;
  return {
    ...set,
    targets: set.targets.map((t) => (t.url.startsWith("/") ? { ...t, url: origin + t.url } : t)),
  };
}

/** Whether a request set has relative URLs (then the run needs a base URL). */
export function hasRelativeTargets(set: RequestSet): boolean {
  return set.targets.some((t) => t.url.startsWith("/"));
}

/**
 * Reads and checks a request-set file. URLs may be absolute or relative
 * (`/path`, resolved against the run's URL). `readFile` returns `null` for an
 * unreadable file.
 *
 * @example
 * ```ts
 * import { parseTargets } from "./parse_targets.ts";
 * const text = "GET http://127.0.0.1:8080/\n\nPOST http://127.0.0.1:8080/echo\n";
 * const set = parseTargets("t.txt", text, () => null);
 * set.targets.map((t) => t.name); // ["GET /", "POST /echo"]
 * ```
 */
export function parseTargets(
  file: string,
  text: string,
  readFile: (path: string) => string | null,
): RequestSet {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  if (first < 0) throw new TargetsFileError(file, 0, "no targets in the file");
  const raw = lines[first].trimStart().startsWith("{")
    ? parseJsonLines(file, lines)
    : parseHttpFormat(file, lines, readFile);
  const csv: Record<string, string[]> = {};
  let weighted = false;
  for (const { def, line } of raw) {
    if (def.weight !== 1) weighted = true;
    checkTarget(file, line, def);
    try {
      readTemplateColumns(templatesOf(file, line, def), (f) => resolveBeside(file, f), readFile, csv);
    } catch (error) {
      if (!(error instanceof CsvColumnError)) throw error;
      throw new TargetsFileError(file, line, error.message);
    }
  }
  return { targets: raw.map((r) => r.def), weighted, csv };
}

interface RawTarget {
  def: TargetDef;
  line: number;
}

function parseJsonLines(file: string, lines: string[]): RawTarget[] {
  const out: RawTarget[] = [];
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === "" || text.trimStart().startsWith("#")) return;
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (error) {
      throw new TargetsFileError(file, line, `not valid JSON (${(error as Error).message})`);
    }
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      throw new TargetsFileError(file, line, 'expected an object {"method","url",...}');
    }
    const r = o as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!["method", "url", "headers", "body", "name", "weight"].includes(key)) {
        throw new TargetsFileError(
          file,
          line,
          `unknown field "${key}" (fields: method, url, headers, body, name, weight)`,
        );
      }
    }
    if (typeof r.url !== "string") throw new TargetsFileError(file, line, '"url" must be a string');
    const method = r.method === undefined ? "GET" : r.method;
    if (typeof method !== "string") throw new TargetsFileError(file, line, '"method" must be a string');
    const headers = r.headers ?? {};
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
      throw new TargetsFileError(file, line, '"headers" must be an object of strings');
    }
    for (const [k, v] of Object.entries(headers)) {
      if (typeof v !== "string") throw new TargetsFileError(file, line, `header "${k}" must be a string`);
    }
    let body: string | undefined;
    if (r.body !== undefined && r.body !== null) {
      body = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
    }
    const weight = r.weight ?? 1;
    if (typeof weight !== "number" || !(weight > 0) || !Number.isFinite(weight)) {
      throw new TargetsFileError(
        file,
        line,
        `"weight" must be a number > 0, got ${JSON.stringify(r.weight)}`,
      );
    }
    if (r.name !== undefined && (typeof r.name !== "string" || r.name === "")) {
      throw new TargetsFileError(file, line, '"name" must be a non-empty string');
    }
    out.push({
      line,
      def: {
        method,
        url: r.url,
        headers: headers as Record<string, string>,
        body,
        name: (r.name as string | undefined) ?? defaultName(method, r.url),
        weight,
      },
    });
  });
  return out;
}

function parseHttpFormat(
  file: string,
  lines: string[],
  readFile: (path: string) => string | null,
): RawTarget[] {
  const out: RawTarget[] = [];
  let current: RawTarget | null = null;
  let hasBody = false;
  lines.forEach((text, i) => {
    const line = i + 1;
    const trimmed = text.trim();
    if (trimmed.startsWith("#")) return;
    if (trimmed === "") {
      current = null;
      return;
    }
    // A target line ends the target before it even without a blank line, as vegeta reads one right
    // after a target line or an @body-file line (after header lines vegeta would read it as a header
    // named "GET http"; it can only mean the next target).
    const next = current === null ? null : NEXT_TARGET_LINE.exec(trimmed);
    if (current === null || next !== null) {
      const m = next ?? /^(\S+)\s+(\S+)$/.exec(trimmed);
      if (m === null) {
        throw new TargetsFileError(
          file,
          line,
          `expected "METHOD URL", e.g. "GET http://host/path", got "${trimmed}"`,
        );
      }
      const method = m[1]; // sent as written: methods are case-sensitive (RFC 9110 §9.1)
      current = { line, def: { method, url: m[2], headers: {}, name: defaultName(method, m[2]), weight: 1 } };
      hasBody = false;
      out.push(current);
      return;
    }
    const target: RawTarget = current;
    if (trimmed.startsWith("@")) {
      if (hasBody) throw new TargetsFileError(file, line, "a target has one @body-file at most");
      const path = trimmed.slice(1);
      if (path === "") throw new TargetsFileError(file, line, '"@" needs a file name, e.g. @body.json');
      const content = readFile(resolveBeside(file, path));
      if (content === null) throw new TargetsFileError(file, line, `cannot read body file "${path}"`);
      target.def.body = content;
      hasBody = true;
      return;
    }
    const hint = /^[^\s:]+\s+\S+$/.test(trimmed) ? NEEDS_BLANK_LINE : "";
    if (hasBody) {
      throw new TargetsFileError(file, line, `header lines must come before the @body-file line${hint}`);
    }
    const colon = text.indexOf(":");
    const name = colon < 0 ? "" : text.slice(0, colon).trim();
    if (colon < 0 || !TOKEN.test(name)) {
      throw new TargetsFileError(file, line, `expected a header "Name: value", got "${trimmed}"${hint}`);
    }
    const value = text.slice(colon + 1).trim();
    const existing = Object.keys(target.def.headers).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing === undefined) target.def.headers[name] = value;
    else target.def.headers[existing] = `${target.def.headers[existing]}, ${value}`;
  });
  return out;
}

function checkTarget(file: string, line: number, def: TargetDef): void {
  const fail = (message: string): never => {
    throw new TargetsFileError(file, line, message);
  };
  if (!TOKEN.test(def.method)) {
    fail(`invalid method "${def.method}": a method is a token (letters, digits and !#$%&'*+-.^_\`|~)`);
  }
  if (def.method === "CONNECT") fail("method CONNECT is not supported");
  const relative = def.url.startsWith("/");
  const origin = relative ? null : /^(https?):\/\/([^/?#{}]+)(?=[/?#]|$)/i.exec(def.url);
  if (!relative && origin === null) {
    fail(
      `invalid URL "${def.url}": expected http://host[:port]/path or /path (placeholders only after the host)`,
    );
  }
  try {
    new URL(def.url.replace(/\{\{[^{}]*\}\}/g, "x"), "http://base.invalid");
  } catch {
    fail(`invalid URL "${def.url}"`);
  }
  for (const [name, value] of Object.entries(def.headers)) {
    if (!TOKEN.test(name)) fail(`invalid header name "${name}"`);
    if (!FIELD_VALUE.test(value)) fail(`header "${name}" has an invalid value (CR, LF or NUL)`);
    if (name.toLowerCase() === "transfer-encoding") fail('header "Transfer-Encoding" is not supported');
  }
  if (def.body !== undefined && (def.method === "GET" || def.method === "HEAD") && def.body !== "") {
    fail(`a ${def.method} request cannot carry a body`);
  }
}

function templatesOf(file: string, line: number, def: TargetDef): Template[] {
  try {
    return [def.url, ...Object.values(def.headers), def.body ?? ""].map((t) => compileTemplate(t));
  } catch (error) {
    throw new TargetsFileError(file, line, (error as Error).message);
  }
}
