/**
 * Internal: escaping of user text (URL, method, threshold expressions) for
 * HTML text and attribute positions.
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'`: safe in element text and in quoted
 * attribute values, in HTML and in inline SVG.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html_escape.ts";
 * escapeHtml(`<script>alert("x")</script>`); // "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}
