/**
 * `--data` with placeholders, checked on the main thread before the run:
 * known placeholders, the `{{csv:FILE:column}}` columns read once (the one
 * reader of request sets), and the JSON filled with every CSV row fits the
 * request message, so that a worker never meets a message it cannot encode.
 * The worker fills and encodes per call (`templated_messages.ts`).
 *
 * @module
 */
import { GrpcInputError } from "../../grpc/errors.ts";
import { encodeJson, type GrpcMethod } from "../../grpc/proto.ts";
import { CsvColumnError, readTemplateColumns } from "../../request_sets/csv_columns.ts";
import { compileTemplate, fillTemplate, type Template } from "../../request_sets/templates.ts";
import { hasPlaceholders, type TemplatedData } from "./templated_messages.ts";

/** The message texts of `--data` when it has placeholders, else null. */
function templatedTexts(data: unknown): string[] | null {
  if (data === undefined) return null;
  if (typeof data !== "string") {
    const texts = (Array.isArray(data) ? data : [data]).map((d) => JSON.stringify(d));
    return texts.some(hasPlaceholders) ? texts : null;
  }
  if (!hasPlaceholders(data)) return null;
  if (data.trim().startsWith("[")) {
    throw new GrpcInputError(
      "data",
      "--data with placeholders: give one JSON object, or JSON lines (one message per line), not an array",
    );
  }
  const lines = data.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  // JSON lines when every line is a whole object; else one object written over several lines.
  return lines.length > 1 && lines.every((l) => l.startsWith("{") && l.endsWith("}")) ? lines : [data];
}

/**
 * `--data` with placeholders, checked, or null when it has none. A relative
 * CSV FILE is read from the working directory (the CLI has already resolved
 * the ones of `--data @FILE` beside that file); `readFile` returns null for an
 * unreadable file.
 *
 * @example
 * ```ts
 * import { templatedData } from "./templated_data.ts";
 * declare const method: import("../../grpc/proto.ts").GrpcMethod;
 * templatedData('{"name":"u{{seq}}"}', method, "identity", () => null)?.texts; // ['{"name":"u{{seq}}"}']
 * ```
 */
export function templatedData(
  data: unknown,
  method: GrpcMethod,
  compression: string,
  readFile: (path: string) => string | null,
): TemplatedData | null {
  const texts = templatedTexts(data);
  if (texts === null) return null;
  const templates: Template[] = texts.map((text) => {
    try {
      return compileTemplate(text);
    } catch (error) {
      throw new GrpcInputError("data", `--data: ${(error as Error).message}`);
    }
  });
  let csv: Record<string, string[]>;
  try {
    csv = readTemplateColumns(templates, (file) => file, readFile);
  } catch (error) {
    if (!(error instanceof CsvColumnError)) throw error;
    throw new GrpcInputError("data", `--data: ${error.message}`);
  }
  // Rows go in turn by {{seq}}: every row of the longest column is filled once.
  const rows = Math.max(1, ...Object.values(csv).map((c) => c.length));
  const fill = { seq: 0, worker: 0, csv };
  for (const template of templates) {
    for (let row = 0; row < rows; row++) {
      fill.seq = row;
      const where = rows === 1 ? "--data" : `--data (CSV row ${row + 1})`;
      let value: unknown;
      try {
        value = JSON.parse(fillTemplate(template, fill));
      } catch (error) {
        throw new GrpcInputError(
          "data",
          `${where} with its placeholders filled is not JSON: ${(error as Error).message}`,
        );
      }
      encodeJson(method.requestType, value, where);
    }
  }
  return {
    texts,
    root: method.requestType.root.toJSON(),
    typeName: method.requestType.fullName.replace(/^\./, ""),
    csv,
    gzip: compression === "gzip",
  };
}
