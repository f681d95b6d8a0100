/**
 * Interning of metric names and tag sets to small numeric ids, so that an
 * event fits in a few float64 words and the hot path moves numbers, not
 * strings. Each interned entry keeps its pre-encoded bytes (text and binary)
 * so that serialization is a copy. Both tables have a hard cap (10,000,
 * which bounds their memory whatever the tag values): past it, new entries
 * are refused (ids already in flight in the ring must stay valid, so nothing
 * is evicted).
 *
 * @module
 */
import type { Tag, Tags } from "./types.ts";

const encoder = new TextEncoder();

/**
 * Id returned when an interner is full (its cap reached) or the entry is invalid.
 *
 * @example
 * ```ts
 * import { INTERN_REFUSED, NameInterner } from "./_interner.ts";
 * new NameInterner().idOf("") === INTERN_REFUSED; // true
 * ```
 */
export const INTERN_REFUSED: -1 = -1;

/**
 * Id returned when the memory limiter refused the growth.
 *
 * @example
 * ```ts
 * import { INTERN_NO_MEMORY, NameInterner } from "./_interner.ts";
 * const names = new NameInterner();
 * names.canGrow = () => false;
 * names.idOf("x") === INTERN_NO_MEMORY; // true
 * ```
 */
export const INTERN_NO_MEMORY: -2 = -2;

/** Characters DogStatsD reserves in names and tags, replaced by `_`. */
const RESERVED = /[:|@#,\n]/g;

/**
 * Cleans a metric name or tag part for the StatsD line protocol.
 *
 * @example
 * ```ts
 * import { sanitizeStatName } from "./_interner.ts";
 * sanitizeStatName("a:b|c"); // "a_b_c"
 * ```
 */
export function sanitizeStatName(text: string): string {
  return text.replace(RESERVED, "_");
}

/**
 * Interns metric names (with the configured prefix) to ids 0..cap-1.
 *
 * @example
 * ```ts
 * import { NameInterner } from "./_interner.ts";
 * const names = new NameInterner({ prefix: "app.", cap: 100 });
 * const id = names.idOf("requests"); // 0
 * names.name(id); // "app.requests"
 * ```
 */
export class NameInterner {
  readonly #ids = new Map<string, number>();
  readonly #names: string[] = [];
  readonly #bytes: Uint8Array[] = [];
  readonly #prefix: string;
  readonly #cap: number;
  #approxBytes = 0;
  /** Called before growing; returns false to refuse (memory limiter). */
  canGrow: (bytes: number) => boolean = () => true;

  /**
   * Creates an empty interner.
   *
   * @param options `prefix` is prepended to every name (default none); `cap`
   * is the most names kept (default 10,000), later new names get `INTERN_REFUSED`.
   */
  constructor(options: { prefix?: string; cap?: number } = {}) {
    this.#prefix = options.prefix ?? "";
    this.#cap = options.cap ?? 10_000;
  }

  /** Id of `name`, interning it on first sight; `INTERN_REFUSED` past the cap or for an empty name. */
  idOf(name: string): number {
    const id = this.#ids.get(name);
    if (id !== undefined) return id;
    return this.#add(name);
  }

  #add(name: string): number {
    if (typeof name !== "string" || name.length === 0 || this.#names.length >= this.#cap) {
      return INTERN_REFUSED;
    }
    const full = sanitizeStatName(this.#prefix + name);
    const bytes = encoder.encode(full);
    if (bytes.length > 0xffff) return INTERN_REFUSED;
    const cost = bytes.length + full.length * 2 + 64;
    if (!this.canGrow(cost)) return INTERN_NO_MEMORY;
    const id = this.#names.length;
    this.#ids.set(name, id);
    this.#names.push(full);
    this.#bytes.push(bytes);
    this.#approxBytes += cost;
    return id;
  }

  /** The full (prefixed, sanitized) name of an id. */
  name(id: number): string {
    return this.#names[id];
  }

  /** UTF-8 bytes of the full name of an id. */
  bytes(id: number): Uint8Array {
    return this.#bytes[id];
  }

  /** Number of interned names. */
  get size(): number {
    return this.#names.length;
  }

  /** Approximate memory held, in bytes. */
  get approxBytes(): number {
    return this.#approxBytes;
  }
}

/** A canonical tag set: its tags, DogStatsD text (`k:v,k2:v2`) and binary tag section. */
interface TagSetEntry {
  tags: Tag[];
  text: Uint8Array;
  binary: Uint8Array;
}

/**
 * Interns tag sets to ids; id 0 is the empty set (plus constant tags).
 * Objects are remembered by identity, so passing the same tags object again
 * costs one `WeakMap` lookup and allocates nothing.
 *
 * @example
 * ```ts
 * import { TagSetInterner } from "./_interner.ts";
 * const sets = new TagSetInterner({ cap: 100 });
 * const tags = { env: "prod", region: "eu" };
 * const id = sets.idOf(tags); // 1
 * sets.tags(id); // [{ key: "env", value: "prod" }, { key: "region", value: "eu" }]
 * ```
 */
export class TagSetInterner {
  readonly #byKey = new Map<string, number>();
  readonly #byObject = new WeakMap<object, number>();
  readonly #entries: TagSetEntry[] = [];
  readonly #constant: Tag[];
  readonly #cap: number;
  #approxBytes = 0;
  /** Called before growing; returns false to refuse (memory limiter). */
  canGrow: (bytes: number) => boolean = () => true;

  /**
   * Creates an interner holding only set 0 (no tags besides the constant ones).
   *
   * @param options `constantTags` are added to every set, id 0 included
   * (default none); `cap` is the most sets kept (default 10,000), later new
   * sets get `INTERN_REFUSED`.
   */
  constructor(options: { constantTags?: Readonly<Record<string, string | number>>; cap?: number } = {}) {
    this.#cap = options.cap ?? 10_000;
    this.#constant = toTagList(options.constantTags ?? {});
    this.#entries.push(this.#entry([]));
    this.#byKey.set("", 0);
  }

  /** Id of a tag set, interning it on first sight; `INTERN_REFUSED` past the cap. */
  idOf(tags: Tags | undefined): number {
    if (tags === undefined) return 0;
    if (typeof tags === "number") {
      return tags >= 0 && tags < this.#entries.length && tags === (tags | 0) ? tags : INTERN_REFUSED;
    }
    const known = this.#byObject.get(tags);
    if (known !== undefined) return known;
    return this.#addObject(tags);
  }

  #addObject(tags: Readonly<Record<string, string | number>> | readonly string[]): number {
    const list = toTagList(tags);
    const key = list.map((t) => `${t.key}:${t.value}`).join(",");
    let id = this.#byKey.get(key);
    if (id === undefined) {
      if (this.#entries.length >= this.#cap) return INTERN_REFUSED;
      const entry = this.#entry(list);
      const cost = entry.text.length + entry.binary.length + key.length * 2 + 128;
      if (!this.canGrow(cost)) return INTERN_NO_MEMORY;
      id = this.#entries.length;
      this.#entries.push(entry);
      this.#byKey.set(key, id);
      this.#approxBytes += cost;
    }
    this.#byObject.set(tags, id);
    return id;
  }

  #entry(own: Tag[]): TagSetEntry {
    const all = [...this.#constant, ...own];
    const text = encoder.encode(all.map((t) => (t.value === "" ? t.key : `${t.key}:${t.value}`)).join(","));
    return { tags: all, text, binary: encodeBinaryTags(all) };
  }

  /** The tags of a set (constant tags first). */
  tags(id: number): Tag[] {
    return this.#entries[id].tags;
  }

  /** DogStatsD text of a set, without the leading `|#`; empty for no tags. */
  text(id: number): Uint8Array {
    return this.#entries[id].text;
  }

  /** Binary tag section: `[NumTags:1]([KeyLen:2][Key][ValLen:2][Val])*`. */
  binary(id: number): Uint8Array {
    return this.#entries[id].binary;
  }

  /** Number of interned tag sets (including the empty set). */
  get size(): number {
    return this.#entries.length;
  }

  /** Approximate memory held, in bytes. */
  get approxBytes(): number {
    return this.#approxBytes;
  }
}

/** Normalises tags to a list sorted by key (so `{a,b}` and `{b,a}` are one set). */
function toTagList(tags: Readonly<Record<string, string | number>> | readonly string[]): Tag[] {
  const list: Tag[] = [];
  if (Array.isArray(tags)) {
    for (const raw of tags as readonly string[]) {
      const at = String(raw).indexOf(":");
      const key = at < 0 ? String(raw) : String(raw).slice(0, at);
      const value = at < 0 ? "" : String(raw).slice(at + 1);
      if (key.length > 0) list.push({ key: sanitizeTagPart(key), value: sanitizeTagPart(value) });
    }
  } else {
    for (const key of Object.keys(tags)) {
      if (key.length > 0) {
        list.push({
          key: sanitizeTagPart(key),
          value: sanitizeTagPart(String((tags as Record<string, string | number>)[key])),
        });
      }
    }
  }
  list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return list.slice(0, 255);
}

function sanitizeTagPart(text: string): string {
  return text.replace(/[|@#,\n]/g, "_");
}

function encodeBinaryTags(tags: Tag[]): Uint8Array {
  const parts = tags.map((t) => [encoder.encode(t.key), encoder.encode(t.value)]);
  let size = 1;
  for (const [k, v] of parts) size += 4 + Math.min(k.length, 0xffff) + Math.min(v.length, 0xffff);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = parts.length;
  let at = 1;
  for (const [k, v] of parts) {
    const kk = k.subarray(0, 0xffff);
    const vv = v.subarray(0, 0xffff);
    view.setUint16(at, kk.length, true);
    out.set(kk, at + 2);
    at += 2 + kk.length;
    view.setUint16(at, vv.length, true);
    out.set(vv, at + 2);
    at += 2 + vv.length;
  }
  return out;
}
