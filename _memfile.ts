// Private: the bytes of a SpooledTemporaryFile before it rolls over, with
// `Deno.FsFile`'s semantics for reading, writing, seeking and truncating
// (writing past the end leaves a gap of zeros; reading at or past the end
// gives `null`; truncating keeps the position). Arguments are checked by
// the caller. Not exported from mod.ts; nothing here is part of the public
// API.

export class MemoryFile {
  /** Capacity; every byte from `#size` to the end is zero. */
  #buf = new Uint8Array(0);
  #size = 0;
  #pos = 0;

  get size(): number {
    return this.#size;
  }

  get position(): number {
    return this.#pos;
  }

  /** The content, as a view that is valid until the next write. */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#size);
  }

  write(p: Uint8Array): number {
    // As write(2): no bytes, no change, even past the end.
    if (p.length === 0) return 0;
    const end = this.#pos + p.length;
    this.#reserve(end);
    this.#buf.set(p, this.#pos);
    this.#pos = end;
    if (end > this.#size) this.#size = end;
    return p.length;
  }

  read(p: Uint8Array): number | null {
    if (p.length === 0) return 0;
    if (this.#pos >= this.#size) return null;
    const n = Math.min(p.length, this.#size - this.#pos);
    p.set(this.#buf.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return n;
  }

  /** Moves to `position` (already checked to be a safe, non-negative integer). */
  seek(position: number): number {
    this.#pos = position;
    return position;
  }

  truncate(length: number): void {
    if (length < this.#size) this.#buf.fill(0, length, this.#size);
    else this.#reserve(length);
    this.#size = length;
  }

  /** Grows the buffer to hold `length` bytes, at least doubling it. */
  #reserve(length: number): void {
    if (length <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(length, this.#buf.length * 2, 64));
    grown.set(this.#buf.subarray(0, this.#size));
    this.#buf = grown;
  }
}
