/**
 * The templating of request sets (`{{seq}}`, `{{worker}}`, `{{rand:A-B}}`,
 * `{{uuid}}`, `{{csv:FILE:column}}`) for the other workloads that fill text
 * the same way (gRPC `--data`).
 *
 * @example
 * ```ts
 * import { compileTemplate, fillTemplate } from "./templates.ts";
 * fillTemplate(compileTemplate('{"id":{{seq}}}'), { seq: 7, worker: 0, csv: {} }); // '{"id":7}'
 * ```
 *
 * @module
 */
export { compileTemplate, type FillValues, fillTemplate, type Placeholder, type Template } from "./_template.ts";
