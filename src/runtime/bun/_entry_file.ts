/**
 * Bun writes entry files with Node's `fs`, like Node.
 *
 * @module
 */
export { writeEntryFile } from "../node/entry_file.ts";
