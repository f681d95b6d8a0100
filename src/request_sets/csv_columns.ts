/**
 * The one CSV reader of `{{csv:FILE:column}}` placeholders (request sets,
 * gRPC `--data`, WebSocket `--message`): each column a template names is read
 * once, on the main thread, before the run; the workers get the columns and
 * fill row `seq % rows` per request. A file that cannot serve throws a
 * `CsvColumnError`; each caller adds where the placeholder was written.
 *
 * @module
 */
import { csvKey, type Template } from "./_template.ts";

function dirname(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
}

/**
 * Resolves `path` against the directory of the file `base` (absolute paths stay).
 *
 * @example
 * ```ts
 * import { resolveBeside } from "./csv_columns.ts";
 * resolveBeside("sets/t.txt", "users.csv"); // "sets/users.csv"
 * ```
 */
export function resolveBeside(base: string, path: string): string {
  return path.startsWith("/") ? path : `${dirname(base)}/${path}`;
}

const CSV_HOLE = /\{\{(\s*csv:)([^{}]*?)(:[^:{}]*?\s*)\}\}/g;

/**
 * `text` with the FILE of each relative `{{csv:FILE:column}}` resolved beside
 * the file `base` the text was read from, so that it reads the same from the
 * working directory (`--data @FILE`, `--message @FILE`, as `--targets FILE`).
 *
 * @example
 * ```ts
 * import { csvFilesBeside } from "./csv_columns.ts";
 * csvFilesBeside('{"u":"{{csv:users.csv:name}}"}', "data/m.json"); // '{"u":"{{csv:data/users.csv:name}}"}'
 * ```
 */
export function csvFilesBeside(text: string, base: string): string {
  return text.replace(
    CSV_HOLE,
    (whole, head: string, file: string, tail: string) =>
      file.trim() === "" ? whole : `{{${head}${resolveBeside(base, file.trim())}${tail}}}`,
  );
}

/**
 * A CSV file or column a placeholder names cannot be used (unreadable file,
 * no such column, no data rows, an empty column, an unterminated quote). The
 * message names the file and says what is wrong; it carries no location, so
 * that each caller prefixes its own (`t.txt:3:`, `--data:`, `--message 2:`).
 *
 * @example
 * ```ts
 * import { CsvColumnError } from "./csv_columns.ts";
 * new CsvColumnError('CSV file "u.csv" has no data rows').name; // "CsvColumnError"
 * ```
 */
export class CsvColumnError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "CsvColumnError";
  }
}

/**
 * Splits one CSV line (RFC 4180 quotes; no line breaks inside fields); null
 * when a quoted field is not closed.
 */
function csvFields(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = "";
      let closed = false;
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          closed = true;
          break;
        } else value += text[i++];
      }
      if (!closed) return null;
      out.push(value);
      const comma = text.indexOf(",", i);
      i = comma < 0 ? text.length + 1 : comma + 1;
    } else {
      const comma = text.indexOf(",", i);
      const end = comma < 0 ? text.length : comma;
      out.push(text.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/**
 * Reads one column of a CSV file with a header row: the column by name, or by
 * 0-based index when `column` is a number not among the names. `readFile`
 * returns null for an unreadable file.
 *
 * @example
 * ```ts
 * import { readCsvColumn } from "./csv_columns.ts";
 * readCsvColumn("u.csv", "user", () => "user,pass\nann,1\nbob,2\n"); // ["ann", "bob"]
 * ```
 */
export function readCsvColumn(
  path: string,
  column: string,
  readFile: (path: string) => string | null,
): string[] {
  const text = readFile(path);
  if (text === null) throw new CsvColumnError(`cannot read CSV file "${path}"`);
  const lines = text.split(/\r?\n/);
  const rows: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const fields = csvFields(lines[i]);
    if (fields === null) {
      throw new CsvColumnError(
        `CSV file "${path}" line ${i + 1}: a quoted field is not closed (no line breaks inside fields)`,
      );
    }
    rows.push(fields);
  }
  if (rows.length < 2) throw new CsvColumnError(`CSV file "${path}" has no data rows`);
  const header = rows[0].map((h) => h.trim());
  let index = header.indexOf(column);
  if (index < 0 && /^\d+$/.test(column)) index = Number(column);
  if (index < 0 || index >= header.length) {
    throw new CsvColumnError(
      `CSV file "${path}" has no column "${column}" (columns: ${header.join(", ")})`,
    );
  }
  const values = rows.slice(1).map((r) => r[index] ?? "");
  if (values.every((v) => v === "")) {
    throw new CsvColumnError(`CSV file "${path}" column "${column}" is empty in every row`);
  }
  return values;
}

/**
 * The CSV columns that `templates` name, each read once, by `FILE:column` key
 * (as `fillTemplate` looks them up). `resolve` turns a placeholder's FILE into
 * the path to read (beside the file the template came from).
 *
 * @example
 * ```ts
 * import { compileTemplate } from "./_template.ts";
 * import { readTemplateColumns } from "./csv_columns.ts";
 * const columns = readTemplateColumns([compileTemplate("{{csv:u.csv:user}}")], (f) => f, () => "user\nann\n");
 * columns["u.csv:user"]; // ["ann"]
 * ```
 */
export function readTemplateColumns(
  templates: readonly Template[],
  resolve: (file: string) => string,
  readFile: (path: string) => string | null,
  into: Record<string, string[]> = {},
): Record<string, string[]> {
  for (const t of templates) {
    for (const hole of t.holes) {
      if (hole.kind !== "csv") continue;
      const key = csvKey(hole.file, hole.column);
      if (!(key in into)) into[key] = readCsvColumn(resolve(hole.file), hole.column, readFile);
    }
  }
  return into;
}
