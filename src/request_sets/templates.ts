/**
 * The request-set templating (`{{seq}}`, `{{worker}}`, `{{rand:A-B}}`,
 * `{{uuid}}`, `{{csv:FILE:column}}`) for the other work sources that fill
 * text per unit of work (WebSocket messages, gRPC `--data`): the public face of `_template.ts`.
 *
 * @example
 * ```ts
 * import { compileTemplate, fillTemplate } from "./templates.ts";
 * fillTemplate(compileTemplate("hello {{seq}}"), { seq: 3, worker: 0, csv: {} }); // "hello 3"
 * ```
 *
 * @module
 */
export { compileTemplate, fillTemplate, isTemplated } from "./_template.ts";
export type { FillValues, Placeholder, Template } from "./_template.ts";
