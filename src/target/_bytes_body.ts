/**
 * Bodies of the target's `/bytes/:n` route, cut from one lazily grown buffer so
 * that serving n bytes copies nothing and allocates only a view.
 *
 * @module
 */

/**
 * A source of n-byte bodies (printable ASCII, repeating `a`..`z`).
 *
 * @example
 * ```ts
 * import { ByteBodies } from "./_bytes_body.ts";
 * const bodies = new ByteBodies(1024);
 * console.log(bodies.get(5)); // Uint8Array(5) "abcde"
 * ```
 */
export class ByteBodies {
  #buffer = new Uint8Array(0);
  constructor(private readonly maxBytes: number) {}

  /** The largest body served. */
  get limit(): number {
    return this.maxBytes;
  }

  /** An `n`-byte view; never mutate it. `n` must be in `[0, limit]`. */
  get(n: number): Uint8Array {
    if (n > this.#buffer.length) this.#grow(n);
    return this.#buffer.subarray(0, n);
  }

  #grow(n: number): void {
    // Grow by doubling (starting at 64 KiB) so that a sweep of sizes refills rarely.
    let size = Math.max(65536, this.#buffer.length * 2);
    while (size < n) size *= 2;
    size = Math.min(size, this.maxBytes);
    const next = new Uint8Array(size);
    for (let i = 0; i < size; i++) next[i] = 97 + (i % 26);
    this.#buffer = next;
  }
}
