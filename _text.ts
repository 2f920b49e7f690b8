// Private: stdfs's text rules on bytes and strings, pure functions (no
// Deno APIs). Not exported from mod.ts; nothing here is part of the public
// API.
//
// A file is a sequence of lines, each ended by "\n" except perhaps the
// last; one "\r" at the end of each line is a line-end character too, so
// "\r\n" and a final "\r" end a line as "\n" does. Text is UTF-8, strict:
// a decoding error is the decoder's TypeError, which the caller wraps.

/** Byte values of the two line-end characters. */
export const LF = 0x0a;
export const CR = 0x0d;

/**
 * The longest string V8 makes, in UTF-16 code units, and so the most bytes
 * one `TextDecoder.decode` call accepts (it refuses longer input whatever
 * the characters).
 */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;

const lossy = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

function strictDecoder(): TextDecoder {
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
}

/**
 * Decodes UTF-8 strictly, at the speed of a replacing decode for valid
 * text: a fatal `TextDecoder` is much slower, and the replacing one marks
 * every invalid sequence with U+FFFD, so only a result holding U+FFFD (an
 * invalid sequence, or a U+FFFD in the file) needs the strict pass, which
 * throws its `TypeError` for invalid bytes. (A string of one-byte
 * characters answers `includes("\uFFFD")` at once.)
 */
export function decodeText(bytes: Uint8Array): string {
  const text = lossy.decode(bytes);
  if (!text.includes("\uFFFD")) return text;
  return strictDecoder().decode(bytes);
}

/**
 * Removes, in place, each `"\r"` directly before a `"\n"`; returns the
 * bytes left. Removing these ASCII bytes never changes whether the rest is
 * valid UTF-8, since neither can be part of a multi-byte sequence.
 */
function foldCRLF(bytes: Uint8Array): Uint8Array {
  let cr = bytes.indexOf(CR);
  if (cr === -1) return bytes;
  let write = cr;
  let read = cr;
  while (cr !== -1) {
    if (bytes[cr + 1] === LF) {
      // Move the run before this "\r" down over the ones already dropped.
      bytes.copyWithin(write, read, cr);
      write += cr - read;
      read = cr + 1;
    }
    cr = bytes.indexOf(CR, cr + 1);
  }
  bytes.copyWithin(write, read);
  return bytes.subarray(0, write + bytes.length - read);
}

/** How much of a file's start tells whether it has CRLF line ends. */
const HEAD = 64 * 1024;

/**
 * A file's content decoded (see {@linkcode decodeText}), each `"\r"`
 * directly before a `"\n"` removed; `bytes` may be changed. Most files
 * have no `"\r"`, and for them a search of the decoded string is several
 * times faster than one of the bytes; a file with one in its first 64 KiB
 * is taken to have CRLF line ends and folded on the bytes, before decoding,
 * which is faster than replacing in the string. A `"\r"` found only later
 * costs a second decoding.
 */
export function decodeFile(bytes: Uint8Array): string {
  if (bytes.subarray(0, HEAD).indexOf(CR) === -1) {
    const text = decodeText(bytes);
    if (!text.includes("\r")) return text;
  }
  return decodeText(foldCRLF(bytes));
}

/**
 * `readFile`'s text, from {@linkcode decodeFile}'s: without the final `"\n"`
 * or, failing one, a final `"\r"`.
 */
export function dropFinalLineEnd(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last === LF || last === CR ? text.slice(0, -1) : text;
}

/** `readLines`'s lines, from {@linkcode decodeFile}'s text: `[]` for none. */
export function splitLines(text: string): string[] {
  return text === "" ? [] : dropFinalLineEnd(text).split("\n");
}

function stripCR(line: string): string {
  return line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}

// ---------------------------------------------------------------------------
// One spare buffer

/** Below this size a fresh buffer costs too little to be worth lending. */
const LEND_MIN = 1 << 20;
let spare: WeakRef<Uint8Array> | undefined;

/**
 * A buffer of `size` bytes for bytes needed during one call only (a text
 * being decoded, or encoded and written): the spare one when it is large
 * enough, so that a large text does not land in fresh memory each time.
 * The first touch of each fresh page costs a fault, which made reading
 * 64 MiB into a new buffer several times slower than into a used one. The
 * spare is held through a `WeakRef`, so the collector may take it back,
 * and lent to one caller at a time; {@linkcode giveBack} returns it.
 */
export function borrow(size: number): Uint8Array {
  if (size >= LEND_MIN) {
    const buf = spare?.deref();
    if (buf !== undefined && buf.length >= size) {
      spare = undefined;
      return buf.subarray(0, size);
    }
  }
  return new Uint8Array(size);
}

/**
 * Makes the buffer under `bytes`, which came from {@linkcode borrow} and is
 * no longer used, the spare (when it is at least as large as the spare).
 */
export function giveBack(bytes: Uint8Array): void {
  if (bytes.buffer.byteLength < LEND_MIN) return;
  const held = spare?.deref();
  if (held === undefined || held.length <= bytes.buffer.byteLength) {
    spare = new WeakRef(new Uint8Array(bytes.buffer));
  }
}

/**
 * UTF-8 of `text`, after the byte `lead` when given, with a final `"\n"`
 * when `newline`. Encoded into a buffer of the largest size it can take
 * (three bytes per UTF-16 code unit), borrowed (see {@linkcode borrow}),
 * since `encodeInto` is several times faster than `encode` on large
 * strings; the pages the text does not reach are never touched. No string
 * is concatenated, so even a text of the longest length can have its
 * `"\n"`. The result may go to {@linkcode giveBack} once written.
 */
export function encodeText(
  text: string,
  { lead, newline = false }: { lead?: number; newline?: boolean } = {},
): Uint8Array {
  const start = lead === undefined ? 0 : 1;
  const room = start + text.length * 3 + 1;
  let buf: Uint8Array;
  let end: number;
  if (room <= 2 ** 31) {
    buf = borrow(room);
    end = start + encoder.encodeInto(text, buf.subarray(start)).written;
  } else {
    // Beyond what one typed array is sure to hold: the plain encoder.
    const body = encoder.encode(text);
    buf = new Uint8Array(start + body.length + 1);
    buf.set(body, start);
    end = start + body.length;
  }
  if (lead !== undefined) buf[0] = lead;
  if (newline) buf[end++] = LF;
  return buf.subarray(0, end);
}

/** The bytes `writeFile` writes: `data`, and a final `"\n"` unless it ends in one. */
export function fileBytes(data: string): Uint8Array {
  return encodeText(data, { newline: data !== "" && !data.endsWith("\n") });
}

/** The bytes `writeLines` writes of the lines `joined` by `"\n"` (`undefined`: none). */
export function linesBytes(joined: string | undefined): Uint8Array {
  if (joined === undefined) return new Uint8Array();
  return encodeText(joined, { newline: true });
}

/**
 * How `append` joins `data` to a file whose last bytes are `tail` (up to
 * three): `cut`, the number of line-end bytes at the end (`"\n"`, `"\r\n"`
 * or a final `"\r"`, which reading drops) that the new bytes replace, and
 * `bytes`, the new bytes, `data + "\n"`. A `"\r"` left just before the cut
 * would fuse with a leading `"\n"` of `data` into one line end and vanish
 * on reading, so it is doubled.
 */
export function appendPlan(
  tail: Uint8Array,
  data: string,
): { cut: number; bytes: Uint8Array } {
  const n = tail.length;
  const at = (back: number) => n - back >= 0 ? tail[n - back] : -1;
  let cut = 0;
  if (at(1) === LF) cut = at(2) === CR ? 2 : 1;
  else if (at(1) === CR) cut = 1;
  const lead = at(cut + 1) === CR && data.startsWith("\n") ? CR : undefined;
  return { cut, bytes: encodeText(data, { lead, newline: true }) };
}

/**
 * The bytes `appendLines` appends, of the lines `joined` by `"\n"`, after a
 * file whose last byte is `last` (`undefined` for an empty file): a `"\n"`
 * first unless the file is empty or already ends a line with one, then one
 * `"\n"` after each line. A final `"\r"` ends a line for reading, but
 * `"\r"` + `"c"` would not, so it gets the `"\n"` too.
 */
export function appendLinesBytes(
  last: number | undefined,
  joined: string,
): Uint8Array {
  const lead = last === undefined || last === LF ? undefined : LF;
  return encodeText(joined, { lead, newline: true });
}

/** A line longer than {@linkcode MAX_STRING_LENGTH}, which no string can hold. */
export class LineTooLong extends RangeError {
  constructor() {
    super(`a line is longer than the longest string (${MAX_STRING_LENGTH})`);
    this.name = "LineTooLong";
  }
}

/**
 * Splits streamed file content into lines, by the rules above, holding
 * only the unfinished line. Decodes each chunk as {@linkcode decodeText}
 * does, after setting aside the bytes of a character the chunk cut short,
 * which go in front of the next chunk; `reserve()` says where to read the
 * next chunk so that they already stand there.
 */
export class LineSplitter {
  readonly #maxLine: number;
  #pending: string[] = [];
  #pendingLength = 0;
  #carry = new Uint8Array(0);

  /** @param maxLine The longest line accepted (a parameter for tests). */
  constructor(maxLine: number = MAX_STRING_LENGTH) {
    this.#maxLine = maxLine;
  }

  /**
   * Copies the bytes set aside to the start of `buf`; returns how many, so
   * the next chunk is read into `buf.subarray(n)` and passed whole to
   * {@linkcode push}.
   */
  reserve(buf: Uint8Array): number {
    buf.set(this.#carry);
    return this.#carry.length;
  }

  /** The lines `chunk` completes. Throws the decoder's `TypeError` for invalid UTF-8. */
  push(chunk: Uint8Array): string[] {
    const end = completeEnd(chunk);
    this.#carry = chunk.slice(end);
    const text = decodeText(chunk.subarray(0, end));
    if (!text.includes("\n")) {
      this.#hold(text);
      return [];
    }
    const lines = text.split("\n");
    const rest = lines.pop()!;
    let from = 0;
    if (this.#pending.length > 0) {
      // The held part may end in the "\r" of a "\r\n" split between chunks.
      lines[0] = stripCR(this.#take(lines[0]));
      from = 1;
    }
    if (text.includes("\r")) {
      for (let i = from; i < lines.length; i++) lines[i] = stripCR(lines[i]);
    }
    this.#hold(rest);
    return lines;
  }

  /** The last line, if the content did not end with a line end. */
  end(): string[] {
    // Set-aside bytes at the very end are a character cut short: invalid.
    if (this.#carry.length > 0) strictDecoder().decode(this.#carry);
    const rest = this.#take("");
    return rest === "" ? [] : [stripCR(rest)];
  }

  #hold(text: string): void {
    if (text === "") return;
    this.#pendingLength += text.length;
    if (this.#pendingLength > this.#maxLine) throw new LineTooLong();
    this.#pending.push(text);
  }

  #take(last: string): string {
    if (this.#pendingLength + last.length > this.#maxLine) {
      throw new LineTooLong();
    }
    const line = this.#pending.join("") + last;
    this.#pending = [];
    this.#pendingLength = 0;
    return line;
  }
}

/**
 * Where the last complete UTF-8 character of `chunk` ends: before a lead
 * byte, in the last three, whose sequence runs past the end. Anything else
 * (complete or invalid) is left to the decoder.
 */
function completeEnd(chunk: Uint8Array): number {
  const n = chunk.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = chunk[i];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return n - i < need ? i : n;
  }
  return n;
}
