/**
 * The raw-socket connection of scenario requests: the engine's keep-alive
 * client, keeping the bytes of the response in flight so that the iteration
 * can read its status line, headers and body.
 *
 * @module
 */
import { RawHttpConnection } from "../../http/raw_connection.ts";
import type { TcpSocket } from "../../runtime/connect.ts";

/**
 * A `RawHttpConnection` that copies the bytes of the response in flight
 * into a buffer reused across requests; `take()` copies them out.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "../../http/request.ts";
 * import { CapturingConnection } from "./_capture_connection.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:9/", method: "GET", headers: {} });
 * const conn = new CapturingConnection(req, () => console.log(conn.take().length));
 * ```
 */
export class CapturingConnection extends RawHttpConnection {
  #buffer = new Uint8Array(4096);
  #length = 0;

  /** Forgets the bytes of the previous response (call before each send). */
  clearCapture(): void {
    this.#length = 0;
  }

  /** A copy of the bytes captured for the last response. */
  take(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  /** @internal */
  override onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void {
    if (this.inFlight) {
      const need = this.#length + length;
      if (need > this.#buffer.length) {
        const grown = new Uint8Array(Math.max(need, this.#buffer.length * 2));
        grown.set(this.#buffer.subarray(0, this.#length));
        this.#buffer = grown;
      }
      this.#buffer.set(length === bytes.length ? bytes : bytes.subarray(0, length), this.#length);
      this.#length = need;
    }
    super.onTcpData(socket, bytes, length);
  }
}
