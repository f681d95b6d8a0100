/**
 * `--message TEXT|@FILE` (repeatable): the WebSocket messages of a ws:// or
 * wss:// run. `@FILE` reads one message per non-empty line; `@@TEXT` sends a
 * literal `@TEXT`, as `--body` does.
 *
 * @module
 */
import { csvFilesBeside } from "../request_sets/csv_columns.ts";

/**
 * The messages the `--message` flags give, in order.
 *
 * @example
 * ```ts
 * import { wsMessages } from "./_args_websocket.ts";
 * wsMessages(["hello", "@@at"], () => null, (m) => { throw new Error(m); }); // ["hello", "@at"]
 * ```
 */
export function wsMessages(
  list: readonly string[],
  readFile: (path: string) => string | null,
  fail: (message: string) => never,
): string[] {
  const out: string[] = [];
  for (const item of list) {
    if (item.startsWith("@@")) out.push(item.slice(1));
    else if (item.startsWith("@")) {
      const file = item.slice(1);
      if (file === "") fail('--message "@" needs a file name: --message @messages.txt');
      const text = readFile(file);
      if (text === null) fail(`--message: cannot read file "${file}"`);
      const lines = text!.split(/\r?\n/).filter((line) => line !== "");
      if (lines.length === 0) fail(`--message: "${file}" has no messages (one per line)`);
      // {{csv:FILE:column}} reads FILE beside the message file, as --targets does.
      for (const line of lines) out.push(csvFilesBeside(line, file));
    } else out.push(item);
  }
  return out;
}
