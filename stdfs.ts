/**
 * Small, exact file primitives: strict UTF-8 text with documented line rules,
 * byte-faithful I/O, atomic writes and typed errors.
 *
 * Every function that touches the file system returns a `Promise` and has a
 * synchronous `Sync` twin with the same behaviour; {@linkcode available} is a
 * synchronous query. Paths are `string | URL` (file URLs).
 *
 * ## Text
 *
 * Text is UTF-8, decoded strictly: invalid bytes are a `DECODE_FAIL`
 * {@linkcode StdfsError}, never replaced, and a byte order mark is kept as the
 * character U+FEFF, so text round-trips. A file is a sequence of lines, each
 * ended by `"\n"` except perhaps the last:
 *
 * | bytes on disk | {@linkcode readFile} | {@linkcode readLines} |
 * | --- | --- | --- |
 * | `""` | `""` | `[]` |
 * | `"\n"` | `""` | `[""]` |
 * | `"a\nb\n"` or `"a\nb"` | `"a\nb"` | `["a", "b"]` |
 * | `"a\r\nb\r\n"` | `"a\nb"` | `["a", "b"]` |
 * | `"a\rb\n"` | `"a\rb"` | `["a\rb"]` |
 * | `"a\r\r\n"` | `"a\r"` | `["a\r"]` |
 * | `"a\r"` | `"a"` | `["a"]` |
 *
 * One `"\r"` at the end of each line is removed, also at the end of a last
 * line that has no `"\n"` (as CPython's universal newlines read a final
 * `"a\r"` as the line `"a"`); a `"\r"` anywhere else is kept.
 *
 * ## Errors
 *
 * Failures are {@linkcode StdfsError}s whose `code` says what went wrong and
 * whose `cause` is the underlying error:
 *
 * | code | when |
 * | --- | --- |
 * | `OPEN_FAIL` | the path cannot be opened, read or written (missing, is a directory, OS permission) |
 * | `REMOVE_FAIL` | removal failed for a reason other than absence |
 * | `NOT_WIRED` | Deno's permission sandbox denied the access; the message names the flag |
 * | `READ_TRUNCATED` | the file is longer than `maxBytes` (no `cause`) |
 * | `DECODE_FAIL` | a text function met invalid UTF-8 (`cause`: the decoder's `TypeError`) |
 *
 * Bad arguments throw a `TypeError` or `RangeError` at once, synchronously,
 * even from the functions that return a `Promise`.
 *
 * ## Permissions
 *
 * Reading needs `--allow-read`, writing and removing `--allow-write`, for
 * the path given, as with Deno's own calls (which, on a terminal without
 * `--no-prompt`, may ask for them). {@linkcode append} and atomic writes
 * also read on their own account (the file's last bytes; the symlinks to the
 * real target), so they need `--allow-read` as well: they check that grant
 * first and, when it is missing, throw `NOT_WIRED` naming
 * `--allow-read=<path>` before any I/O, rather than let Deno prompt for a
 * permission the caller did not ask for. {@linkcode available} only queries.
 *
 * `basename`, `dirname` and `join` are re-exported from `path.ts`.
 *
 * @example Text and bytes
 * ```ts
 * import { readFile, readLines, remove, writeFile } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFile(`${dir}/notes.txt`, "one\r\ntwo");
 * assert.equal(await readFile(`${dir}/notes.txt`), "one\ntwo");
 * assert.deepEqual(await readLines(`${dir}/notes.txt`), ["one", "two"]);
 * await remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

import { dirname, join } from "./path.ts";
import { createNew, newFile } from "./_create.ts";
import {
  io,
  perform,
  runAsync,
  runSync,
  streamAsync,
  streamSync,
  type Task,
} from "./_io.ts";
import {
  assertString,
  booleanOption,
  describe,
  optionBag,
  toPathString,
} from "./_args.ts";
import {
  deniedKind,
  isGranted,
  isSandboxDenial,
  permissionFlag,
  type PermissionKind,
} from "./_permissions.ts";

export { basename, dirname, join } from "./path.ts";

// ---------------------------------------------------------------------------
// Errors

/**
 * The `code` of a {@linkcode StdfsError}: what failed (see the module
 * documentation for when each is thrown).
 *
 * @example Handling each code
 * ```ts
 * import { readBytes, StdfsError, type StdfsErrorCode } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const advice: Record<StdfsErrorCode, string> = {
 *   OPEN_FAIL: "check that the file exists and is readable",
 *   REMOVE_FAIL: "check what is in the way",
 *   NOT_WIRED: "run with the flag the message names",
 *   READ_TRUNCATED: "raise maxBytes",
 *   DECODE_FAIL: "read it with readBytes",
 * };
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/big.txt`, "0123456789");
 * const err = await readBytes(`${dir}/big.txt`, { maxBytes: 4 }).catch((e) => e);
 * assert.ok(err instanceof StdfsError);
 * assert.equal(advice[err.code], "raise maxBytes");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export type StdfsErrorCode =
  | "OPEN_FAIL"
  | "REMOVE_FAIL"
  | "NOT_WIRED"
  | "READ_TRUNCATED"
  | "DECODE_FAIL";

/**
 * The error every `stdfs` function throws for a file-system failure.
 *
 * `code` says what failed (see the module documentation), `path` is the path
 * the caller passed (as a string), and `cause` (the standard `Error.cause`)
 * is the underlying error, such as a `Deno.errors.NotFound`.
 *
 * @example Telling a missing file from other failures
 * ```ts
 * import { readFile, StdfsError } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const err = await readFile(`${dir}/missing.txt`).catch((e) => e);
 * assert.ok(err instanceof StdfsError);
 * assert.equal(err.code, "OPEN_FAIL");
 * assert.equal(err.path, `${dir}/missing.txt`);
 * assert.ok(err.cause instanceof Deno.errors.NotFound);
 * await Deno.remove(dir);
 * ```
 */
export class StdfsError extends Error {
  /** What failed. */
  readonly code: StdfsErrorCode;
  /** The path the failing call was given. */
  readonly path: string;

  /**
   * Builds an error; `options.cause` is the underlying error.
   *
   * @param code What failed.
   * @param path The path the failing call was given.
   * @param message A message that names the function and the path.
   * @param options `cause`: the underlying error.
   */
  constructor(
    code: StdfsErrorCode,
    path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "StdfsError";
    this.code = code;
    this.path = path;
  }
}

/** The underlying error's own message, for ours. */
function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Wraps a Deno error in a `StdfsError`: a sandbox denial is `NOT_WIRED` and
 * names the flag that grants `kind` (or the kind Deno says it refused) on
 * `flagTarget`; anything else is `code`.
 */
function wrap(
  fn: string,
  path: string,
  err: unknown,
  kind: PermissionKind,
  code: "OPEN_FAIL" | "REMOVE_FAIL" = "OPEN_FAIL",
  flagTarget: string = path,
): StdfsError {
  if (err instanceof StdfsError) return err;
  if (isSandboxDenial(err)) {
    const denied = deniedKind(err) ?? kind;
    const flag = denied === "all"
      ? "--allow-all"
      : permissionFlag(denied, flagTarget);
    return new StdfsError(
      "NOT_WIRED",
      path,
      `${fn}: Deno's permission sandbox denied ${denied} access to ${path}; run with ${flag}`,
      { cause: err },
    );
  }
  const verb = code === "REMOVE_FAIL" ? "remove" : "access";
  return new StdfsError(
    code,
    path,
    `${fn}: cannot ${verb} ${path}: ${reason(err)}`,
    { cause: err },
  );
}

/**
 * Throws `NOT_WIRED` naming `--allow-read=<target>` unless read access to
 * `target` is already granted. For the reads a function makes on its own
 * account (`append`'s look at the file's last bytes, an atomic write's
 * resolution of symlinks): asked of Deno, they would prompt on a terminal for
 * a permission the caller never named (`--allow-write` alone is enough for
 * Deno's own appends and writes).
 */
function requireRead(fn: string, path: string, target: string): void {
  if (isGranted("read", target)) return;
  const flag = permissionFlag("read", target);
  throw new StdfsError(
    "NOT_WIRED",
    path,
    `${fn}: read access to ${target} is not granted, and ${fn} needs it ` +
      `besides write access (asking for it could prompt); run with ${flag}`,
    {
      cause: new Deno.errors.NotCapable(
        `Requires read access to "${target}", run again with ${flag}`,
      ),
    },
  );
}

/**
 * Missing, or a component of the path is not a directory (`ENOTDIR`): what
 * `exists` and `size` count as "not found", as Python's `os.path.exists`.
 */
function isAbsent(err: unknown): boolean {
  return err instanceof Deno.errors.NotFound ||
    err instanceof Deno.errors.NotADirectory;
}

// ---------------------------------------------------------------------------
// Steps and loops the tasks share (the drivers are in _io.ts)

function* writeAll(file: Deno.FsFile, buf: Uint8Array): Task<void> {
  // A regular file takes the whole buffer in one write; the loop covers the
  // short writes POSIX allows (signals, pipes, nearly full disks).
  for (let off = 0; off < buf.length;) {
    off += yield* perform(io.write(file, buf.subarray(off)));
  }
}

/** Reads until `buf` is full or the file ends; returns the bytes read. */
function* readFull(file: Deno.FsFile, buf: Uint8Array): Task<number> {
  let total = 0;
  while (total < buf.length) {
    const n = yield* perform(io.read(file, buf.subarray(total)));
    if (n === null) break;
    total += n;
  }
  return total;
}

// ---------------------------------------------------------------------------
// Argument checks

/**
 * Options of the functions that write a whole file: {@linkcode writeFile},
 * {@linkcode writeLines}, {@linkcode writeBytes} and their `Sync` twins.
 *
 * @example Replacing a configuration file atomically
 * ```ts
 * import { readFile, writeFile, type WriteOptions } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const options: WriteOptions = { atomic: true, mode: 0o600 };
 * await writeFile(`${dir}/app.conf`, "port = 8080", options);
 * await writeFile(`${dir}/app.conf`, "port = 9090", options);
 * assert.equal(await readFile(`${dir}/app.conf`), "port = 9090");
 * // Nothing but the target is left in the directory.
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["app.conf"]);
 * if (Deno.build.os !== "windows") {
 *   // mode is for a new file, filtered by the umask; never wider than asked.
 *   assert.equal((await Deno.stat(`${dir}/app.conf`)).mode! & 0o077, 0);
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface WriteOptions {
  /**
   * Write a sibling temporary file, `fsync` it and rename it over the target,
   * so readers (and a crash) see either the old content or the new, never a
   * mix. Default `false`.
   *
   * Following symlinks to the real target reads, so an atomic write needs
   * read permission for the path besides write permission for the target's
   * directory; without the read grant it throws `NOT_WIRED` naming
   * `--allow-read=<path>` before any I/O (never a prompt).
   *
   * The directory is `fsync`ed after the rename (best effort, and only when
   * read permission for it is already granted), so the rename itself
   * survives a power loss.
   *
   * The temporary file is `.<name>.<16 hex>.tmp` in the real target's
   * directory, created exclusively as `tempfile.ts`'s `mkstemp` creates (and, for a new file, a
   * short-lived `.<name>.<16 hex>.tmp.mode` beside it, which learns the
   * umask without `--allow-sys`). A process killed between their creation
   * and the rename leaves them behind; nothing removes them later, since a
   * live writer's files look the same.
   */
  atomic?: boolean;
  /**
   * Permission bits for a file that does not exist yet (default `0o666`),
   * filtered by the process umask as `open(2)` does. An existing file keeps
   * its mode, atomic or not.
   */
  mode?: number;
}

/**
 * Options of {@linkcode readBytes} and {@linkcode readBytesSync}.
 *
 * @example Refusing a file that is too large
 * ```ts
 * import { readBytes, type ReadBytesOptions } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/upload.bin`, new Uint8Array(2048));
 * const small: ReadBytesOptions = { maxBytes: 1024 };
 * await assert.rejects(readBytes(`${dir}/upload.bin`, small), {
 *   code: "READ_TRUNCATED",
 * });
 * assert.equal((await readBytes(`${dir}/upload.bin`, { maxBytes: 2048 })).length, 2048);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export interface ReadBytesOptions {
  /** Throw `READ_TRUNCATED` when the file is longer than this many bytes. */
  maxBytes?: number;
}

/**
 * Options of {@linkcode remove} and {@linkcode removeSync}.
 *
 * @example Removing a directory tree
 * ```ts
 * import { exists, remove, type RemoveOptions } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/cache/a`, { recursive: true });
 * await Deno.writeTextFile(`${dir}/cache/a/x.txt`, "x");
 * await assert.rejects(remove(`${dir}/cache`), { code: "REMOVE_FAIL" });
 * const tree: RemoveOptions = { recursive: true };
 * await remove(`${dir}/cache`, tree);
 * assert.equal(await exists(`${dir}/cache`), false);
 * await remove(dir);
 * ```
 */
export interface RemoveOptions {
  /** Remove a non-empty directory and everything inside. Default `false`. */
  recursive?: boolean;
}

interface CheckedWrite {
  atomic: boolean;
  mode: number | undefined;
}

/** Options of Deno's writers that mean something else here. */
const WRITE_HINTS = {
  append:
    "to append, call append() or appendBytes() (writeFile replaces the file)",
  create: "writeFile always creates a missing file",
  createNew: "for a file that must not exist yet, use tempfile's mkstemp",
};

function checkWriteOptions(fn: string, opts: unknown): CheckedWrite {
  const o = optionBag(fn, opts, ["atomic", "mode"], WRITE_HINTS);
  const mode = o.mode;
  if (mode !== undefined) {
    if (typeof mode !== "number" || !Number.isInteger(mode)) {
      throw new TypeError(
        `${fn}: options.mode must be an integer, got ${describe(mode)} ${
          String(mode)
        }`,
      );
    }
    if (mode < 0 || mode > 0o7777) {
      throw new RangeError(
        `${fn}: options.mode must be between 0 and 0o7777, got ${mode}`,
      );
    }
  }
  return { atomic: booleanOption(fn, "atomic", o.atomic, false), mode };
}

function checkMaxBytes(fn: string, opts: unknown): number | undefined {
  const max = optionBag(fn, opts, ["maxBytes"]).maxBytes;
  if (max === undefined) return undefined;
  if (typeof max !== "number" || !Number.isSafeInteger(max)) {
    throw new TypeError(
      `${fn}: options.maxBytes must be a safe integer, got ${describe(max)} ${
        String(max)
      }`,
    );
  }
  if (max < 0) {
    throw new RangeError(
      `${fn}: options.maxBytes must not be negative, got ${max}`,
    );
  }
  return max;
}

/** Text must be well-formed UTF-16: a lone surrogate has no UTF-8 form. */
function checkText(fn: string, name: string, value: unknown): string {
  assertString(fn, name, value);
  if (!value.isWellFormed()) {
    throw new TypeError(
      `${fn}: ${name} contains a lone surrogate, which has no UTF-8 encoding`,
    );
  }
  return value;
}

function checkBytes(fn: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(
      `${fn}: data must be a Uint8Array, got ${describe(value)}`,
    );
  }
  return value;
}

function checkLines(fn: string, value: unknown): string[] {
  const iterable = value as Iterable<unknown> | null | undefined;
  if (
    typeof value === "string" || iterable == null ||
    typeof iterable[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `${fn}: lines must be an iterable of strings, got ${describe(value)}`,
    );
  }
  const lines = Array.from(iterable);
  lines.forEach((line, i) => {
    checkText(fn, `lines[${i}]`, line);
    if ((line as string).includes("\n")) {
      throw new TypeError(`${fn}: lines[${i}] contains "\\n"`);
    }
    if ((line as string).endsWith("\r")) {
      throw new TypeError(
        `${fn}: lines[${i}] ends in "\\r", which reading would remove`,
      );
    }
  });
  return lines as string[];
}

// ---------------------------------------------------------------------------
// Text rules

const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();
const NEWLINE = new Uint8Array([LF]);

function strictDecoder(): TextDecoder {
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
}

function decodeStrict(
  fn: string,
  path: string,
  decoder: TextDecoder,
  bytes?: Uint8Array,
  stream = false,
): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch (err) {
    throw new StdfsError(
      "DECODE_FAIL",
      path,
      `${fn}: ${path} is not valid UTF-8`,
      { cause: err },
    );
  }
}

/**
 * Folds line ends in place, on the bytes: removes each `"\r"` directly
 * before a `"\n"`, then the final `"\n"` or, failing one, a final `"\r"`.
 * Decoded, the result is the file's lines joined by `"\n"`. Removing these
 * ASCII bytes never changes whether the rest is valid UTF-8, since neither
 * can be part of a multi-byte sequence.
 */
function fold(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  let cr = bytes.indexOf(CR); // -1 for most files: nothing to move
  if (cr !== -1) {
    let write = cr;
    let read = cr;
    while (cr !== -1) {
      // Copy the run up to this CR; drop the CR when an LF follows.
      bytes.copyWithin(write, read, cr);
      write += cr - read;
      read = bytes[cr + 1] === LF ? cr + 1 : cr;
      if (read === cr) {
        bytes[write++] = CR;
        read = cr + 1;
      }
      cr = bytes.indexOf(CR, cr + 1);
    }
    bytes.copyWithin(write, read, end);
    end = write + (end - read);
  }
  const last = bytes[end - 1];
  return bytes.subarray(0, last === LF || last === CR ? end - 1 : end);
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** Splits decoded chunks into lines; keeps only the unfinished line. */
class LineSplitter {
  #decoder = strictDecoder();
  #pending: string[] = [];

  constructor(readonly fn: string, readonly path: string) {}

  push(bytes: Uint8Array): string[] {
    const text = decodeStrict(this.fn, this.path, this.#decoder, bytes, true);
    // Only the new text is searched, so a long line costs O(its length).
    if (!text.includes("\n")) {
      if (text !== "") this.#pending.push(text);
      return [];
    }
    const parts = text.split("\n");
    parts[0] = this.#pending.join("") + parts[0];
    this.#pending = [parts.pop()!];
    return parts.map(stripCR);
  }

  end(): string[] {
    const rest = this.#pending.join("") +
      decodeStrict(this.fn, this.path, this.#decoder);
    this.#pending = [];
    return rest === "" ? [] : [stripCR(rest)];
  }
}

const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

/** Decodes strictly, at the speed of a lossy decode for valid text. */
function decodeText(fn: string, path: string, bytes: Uint8Array): string {
  // A fatal TextDecoder is several times slower than a replacing one. The
  // replacing one marks invalid bytes with U+FFFD, so only a result holding
  // U+FFFD (invalid bytes, or a genuine U+FFFD) needs the strict pass.
  const text = lossy.decode(bytes);
  if (!text.includes("\uFFFD")) return text;
  return decodeStrict(fn, path, strictDecoder(), bytes);
}

function* readFileTask(fn: string, path: string): Task<string> {
  const bytes = yield* readBytesTask(fn, path, undefined);
  return decodeText(fn, path, fold(bytes));
}

function* readLinesTask(fn: string, path: string): Task<string[]> {
  const bytes = yield* readBytesTask(fn, path, undefined);
  if (bytes.length === 0) return [];
  return decodeText(fn, path, fold(bytes)).split("\n");
}

function* linesTask(fn: string, path: string): Task<void, string> {
  let file: Deno.FsFile;
  try {
    file = yield* perform(io.open(path, { read: true }));
  } catch (err) {
    throw wrap(fn, path, err, "read");
  }
  try {
    const splitter = new LineSplitter(fn, path);
    const buf = new Uint8Array(256 * 1024);
    for (;;) {
      let n: number | null;
      try {
        n = yield* perform(io.read(file, buf));
      } catch (err) {
        throw wrap(fn, path, err, "read");
      }
      if (n === null) break;
      const lines = splitter.push(buf.subarray(0, n));
      if (lines.length > 0) yield lines;
    }
    yield splitter.end();
  } finally {
    file.close();
  }
}

/** The encoded chunks of `writeFile(path, data)`. */
function textChunks(data: string): Uint8Array[] {
  if (data === "") return [];
  // The final "\n" goes in its own chunk, so a large `data` is not copied
  // into a second string just to gain one character.
  const body = encoder.encode(data);
  return data.endsWith("\n") ? [body] : [body, NEWLINE];
}

// ---------------------------------------------------------------------------
// Writing

function* writeTask(
  fn: string,
  path: string,
  chunks: Uint8Array[],
  opts: CheckedWrite,
): Task<void> {
  if (opts.atomic) return yield* writeAtomic(fn, path, chunks, opts.mode);
  let file: Deno.FsFile;
  try {
    file = yield* perform(io.open(path, {
      write: true,
      create: true,
      truncate: true,
      mode: opts.mode,
    }));
  } catch (err) {
    throw wrap(fn, path, err, "write");
  }
  try {
    for (const chunk of chunks) yield* writeAll(file, chunk);
  } catch (err) {
    throw wrap(fn, path, err, "write");
  } finally {
    file.close();
  }
}

const MAX_SYMLINK_HOPS = 40; // Linux's limit

/**
 * The file an atomic write must replace: `path` with every symlink followed,
 * including a dangling one (whose target does not exist yet).
 */
function* resolveTarget(fn: string, path: string): Task<string> {
  let current = path;
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    requireRead(fn, path, current); // each hop may lead out of the grant
    try {
      return yield* perform(io.realPath(current));
    } catch (err) {
      if (!isAbsent(err)) throw err;
    }
    let info: Deno.FileInfo;
    try {
      info = yield* perform(io.lstat(current));
    } catch (err) {
      if (isAbsent(err)) return current; // a new file
      throw err;
    }
    if (!info.isSymlink) return current;
    const link = yield* perform(io.readLink(current));
    current = link.startsWith("/") ? link : join(dirname(current), link);
  }
  throw new Deno.errors.FilesystemLoop(
    `Too many levels of symbolic links: ${path}`,
  );
}

/**
 * The temporary sibling's name prefix: `.<name>.`, so a leftover from a
 * killed process is recognisable as `.<name>.<16 hex>.tmp`. Long names are
 * clipped to keep the whole name under the 255-byte limit, and `"\\"`
 * becomes `"_"`.
 */
function tempPrefix(target: string): string {
  // mkstemp refuses "\\" in a prefix (a separator on Windows).
  let name = target.slice(target.lastIndexOf("/") + 1).replaceAll("\\", "_");
  if (name.length > 60) {
    name = name.slice(0, 60);
    const last = name.charCodeAt(59);
    if (last >= 0xd800 && last <= 0xdbff) name = name.slice(0, 59);
  }
  return `.${name}.`;
}

function* writeAtomic(
  fn: string,
  path: string,
  chunks: Uint8Array[],
  mode: number | undefined,
): Task<void> {
  let target = path;
  let oldMode: number | null | undefined;
  try {
    target = yield* resolveTarget(fn, path);
    requireRead(fn, path, target);
    oldMode = (yield* perform(io.stat(target))).mode;
  } catch (err) {
    if (!isAbsent(err)) throw wrap(fn, path, err, "read");
  }
  const dir = dirname(target);
  let tmp: string;
  try {
    const t = { fn, dir, prefix: tempPrefix(target), suffix: ".tmp" };
    tmp = (yield* createNew(t, newFile)).path;
  } catch (err) {
    throw wrap(fn, path, err, "write", "OPEN_FAIL", dir);
  }
  try {
    const file = yield* perform(io.open(tmp, { write: true }));
    try {
      for (const chunk of chunks) yield* writeAll(file, chunk);
      yield* perform(io.fsync(file));
    } finally {
      file.close();
    }
    if (Deno.build.os !== "windows") {
      // mkstemp made the file 0600; give it the mode the target has, or the
      // one a plain create would give.
      const bits = oldMode != null
        ? oldMode & 0o7777
        : yield* creationMode(tmp, mode ?? 0o666);
      yield* perform(io.chmod(tmp, bits));
    }
    yield* perform(io.rename(tmp, target));
  } catch (err) {
    try {
      yield* perform(io.remove(tmp));
    } catch {
      // The write's own failure is the one to report.
    }
    throw wrap(fn, path, err, "write", "OPEN_FAIL", dir);
  }
  yield* syncDir(dir);
}

/**
 * The mode `open(2)` gives a new file asked for `mode`, after the process
 * umask. `Deno.umask()` needs `--allow-sys`, so a probe file, named after the
 * (unique) temporary file and created exclusively, tells it instead.
 */
function* creationMode(tmp: string, mode: number): Task<number> {
  const probe = `${tmp}.mode`;
  const file = yield* perform(
    io.open(probe, { write: true, createNew: true, mode }),
  );
  try {
    return (yield* perform(io.fstat(file))).mode! & 0o7777;
  } finally {
    file.close();
    yield* perform(io.remove(probe));
  }
}

/**
 * Makes a rename in `dir` durable across a power loss, as far as the
 * platform allows. Best effort: the new content is already in place, so a
 * failure here is not reported, and without read permission already granted
 * for `dir` the step is skipped rather than prompting.
 */
function* syncDir(dir: string): Task<void> {
  if (Deno.build.os === "windows" || !isGranted("read", dir)) return;
  try {
    const handle = yield* perform(io.open(dir, { read: true }));
    try {
      yield* perform(io.fsync(handle));
    } finally {
      handle.close();
    }
  } catch {
    // Some file systems cannot open or fsync a directory.
  }
}

/**
 * How `append` joins the file's last bytes to the new text: how many bytes
 * of the line end to overwrite (`"\r\n"`, `"\n"` or a final `"\r"`, which
 * `readFile` drops), and whether the byte left before them is a `"\r"`.
 */
function tailShape(tail: Uint8Array): { cut: number; keptCR: boolean } {
  const n = tail.length;
  const at = (back: number) => n - back >= 0 ? tail[n - back] : -1;
  let cut = 0;
  if (at(1) === LF) cut = at(2) === CR ? 2 : 1;
  else if (at(1) === CR) cut = 1;
  return { cut, keptCR: at(cut + 1) === CR };
}

function* appendTask(fn: string, path: string, data: string): Task<void> {
  requireRead(fn, path, path); // the open below reads the last bytes
  if (yield* isStream(path)) {
    // A pipe, socket or terminal (`/dev/stdout`) cannot seek and keeps no
    // last bytes to look at: the text goes out as is, with its "\n", by a
    // plain append (which, for a FIFO, waits for a reader, as `>>` does).
    if (data === "") return;
    return yield* appendBytesTask(fn, path, encoder.encode(data + "\n"));
  }
  let file: Deno.FsFile;
  try {
    file = yield* perform(io.open(path, {
      read: true,
      write: true,
      create: true,
    }));
  } catch (err) {
    throw wrap(fn, path, err, "write");
  }
  try {
    if (data === "") return;
    // Other `append` calls, in this process or another, wait here, so the
    // read-modify-write of the line end below is never interleaved.
    yield* perform(io.lock(file));
    const size = (yield* perform(io.fstat(file))).size;
    const tail = new Uint8Array(Math.min(3, size));
    yield* perform(io.seek(file, size - tail.length));
    yield* readFull(file, tail);
    const { cut, keptCR } = tailShape(tail);
    // A "\r" left at the end would fuse with a leading "\n" of `data` into a
    // line end and vanish on reading; doubling it keeps it.
    const lead = keptCR && data.startsWith("\n") ? "\r" : "";
    yield* perform(io.seek(file, size - cut));
    // `data + "\n"` is at least two bytes, never shorter than the cut line
    // end it overwrites, so no truncation is needed.
    yield* writeAll(file, encoder.encode(lead + data + "\n"));
  } catch (err) {
    throw wrap(fn, path, err, "write");
  } finally {
    file.close();
  }
}

/**
 * Whether `path` is a FIFO, socket or character device, which `append` must
 * not open for reading and writing: such a handle cannot seek, and to a FIFO
 * it is a reader and a writer at once, so the open would not wait for a
 * reader and the text could be lost. Any failure is left to the open.
 */
function* isStream(path: string): Task<boolean> {
  try {
    const info = yield* perform(io.stat(path));
    return !!(info.isFifo || info.isSocket || info.isCharDevice);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Bytes, queries, removal

function* readBytesTask(
  fn: string,
  path: string,
  maxBytes: number | undefined,
): Task<Uint8Array> {
  // Without a limit this is still the bounded read: reading exactly the
  // size `fstat` reports is faster than `Deno.readFile`, which grows a buffer.
  const limit = maxBytes === undefined ? Infinity : maxBytes + 1;
  let file: Deno.FsFile;
  let bytes: Uint8Array;
  try {
    file = yield* perform(io.open(path, { read: true }));
  } catch (err) {
    throw wrap(fn, path, err, "read");
  }
  try {
    const size = (yield* perform(io.fstat(file))).size;
    bytes = yield* readUpTo(file, limit, size);
  } catch (err) {
    throw wrap(fn, path, err, "read");
  } finally {
    file.close();
  }
  if (maxBytes !== undefined && bytes.length > maxBytes) {
    throw new StdfsError(
      "READ_TRUNCATED",
      path,
      `${fn}: ${path} is longer than maxBytes (${maxBytes})`,
    );
  }
  return bytes;
}

/**
 * Reads at most `limit` bytes: `sizeHint` (the file's size) at once, then
 * small probes in case the file grew.
 */
function* readUpTo(
  file: Deno.FsFile,
  limit: number,
  sizeHint: number,
): Task<Uint8Array> {
  const first = new Uint8Array(Math.min(limit, sizeHint));
  let total = yield* readFull(file, first);
  if (total < first.length) return first.slice(0, total);
  const parts = [first];
  while (total < limit) {
    const probe = new Uint8Array(Math.min(limit - total, 64 * 1024));
    const n = yield* readFull(file, probe);
    if (n === 0) break;
    parts.push(probe.subarray(0, n));
    total += n;
    if (n < probe.length) break;
  }
  if (parts.length === 1) return first;
  const all = new Uint8Array(total);
  let off = 0;
  for (const part of parts) {
    all.set(part, off);
    off += part.length;
  }
  return all;
}

function* appendBytesTask(
  fn: string,
  path: string,
  data: Uint8Array,
): Task<void> {
  let file: Deno.FsFile;
  try {
    file = yield* perform(io.open(path, { append: true, create: true }));
  } catch (err) {
    throw wrap(fn, path, err, "write");
  }
  try {
    yield* writeAll(file, data);
  } catch (err) {
    throw wrap(fn, path, err, "write");
  } finally {
    file.close();
  }
}

/**
 * Whether `path` ends in `"/"` or `"/."`, a spelling the OS resolves only
 * to a directory (`ENOTDIR` otherwise). Deno drops that ending before the
 * call when the permission involved is granted by a flag (`--allow-read`,
 * `--allow-write=<dir>`), though not under `-A`: `Deno.stat("f/")` then
 * succeeds for a regular file `f`, and `Deno.remove("f/")` removes it. The
 * functions below check such paths themselves, so the answer does not depend
 * on the flags.
 */
function namesDirectory(path: string): boolean {
  return path.endsWith("/") || path.endsWith("/.");
}

/** The `ENOTDIR` the OS gives for `path` when it names a non-directory. */
function notADirectory(op: string, path: string): Error {
  const err = new Deno.errors.NotADirectory(
    `Not a directory (os error 20): ${op} '${path}'`,
  );
  return Object.assign(err, { code: "ENOTDIR" });
}

function* statTask(fn: string, path: string): Task<Deno.FileInfo | null> {
  let info: Deno.FileInfo;
  try {
    info = yield* perform(io.stat(path));
  } catch (err) {
    if (isAbsent(err)) return null;
    throw wrap(fn, path, err, "read");
  }
  // ENOTDIR, however Deno spelled the path it asked the OS about.
  return namesDirectory(path) && !info.isDirectory ? null : info;
}

function* existsTask(fn: string, path: string): Task<boolean> {
  return (yield* statTask(fn, path)) !== null;
}

function* sizeTask(fn: string, path: string): Task<number> {
  return (yield* statTask(fn, path))?.size ?? -1;
}

function* removeTask(fn: string, path: string, recursive: boolean): Task<void> {
  if (namesDirectory(path) && isGranted("read", path)) {
    // Deno may have dropped the "/" (see namesDirectory): look first. The
    // look needs read permission; without it, rather than prompt, the call
    // is left to Deno.
    let info: Deno.FileInfo | undefined;
    try {
      info = yield* perform(io.stat(path));
    } catch {
      // Missing or unreadable: Deno.remove below reports it.
    }
    if (info !== undefined && !info.isDirectory) {
      throw wrap(
        fn,
        path,
        notADirectory("remove", path),
        "write",
        "REMOVE_FAIL",
      );
    }
  }
  try {
    yield* perform(io.remove(path, { recursive }));
  } catch (err) {
    // Only a true ENOENT is absence: "f/" or "f/x" for a regular file `f`
    // (ENOTDIR) names something that exists and was not removed.
    if (!(err instanceof Deno.errors.NotFound)) {
      throw wrap(fn, path, err, "write", "REMOVE_FAIL");
    }
  }
}

// ---------------------------------------------------------------------------
// Public API: text

/**
 * Reads a UTF-8 text file: its lines joined by `"\n"`, with one `"\r"`
 * removed from the end of each line and the single final `"\n"` removed (see
 * the module documentation for the table of cases).
 *
 * Decoding is strict: invalid UTF-8 is a `DECODE_FAIL` error. A byte order
 * mark is kept as U+FEFF.
 *
 * @param path The file to read.
 * @returns The file's text.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED` or `DECODE_FAIL`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Line ends are folded
 * ```ts
 * import { readFile } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x\r\ny\n");
 * assert.equal(await readFile(`${dir}/a.txt`), "x\ny");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function readFile(path: string | URL): Promise<string> {
  const p = toPathString("readFile", "path", path);
  return runAsync(readFileTask("readFile", p));
}

/**
 * Synchronous twin of {@linkcode readFile}.
 *
 * @param path The file to read.
 * @returns The file's text.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED` or `DECODE_FAIL`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { readFileSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "x\n");
 * assert.equal(readFileSync(`${dir}/a.txt`), "x");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function readFileSync(path: string | URL): string {
  const p = toPathString("readFileSync", "path", path);
  return runSync(readFileTask("readFileSync", p));
}

/**
 * Writes `data` as UTF-8, adding a final `"\n"` unless `data` is empty or
 * already ends with one; `writeFile(p, "")` makes a zero-byte file. So
 * `readFile` gives `data` back whenever `data` has no `"\r"` before a
 * `"\n"` or at its end, and does not end in `"\n"`.
 *
 * Without `atomic`, the file is truncated and written in place. With
 * `atomic`, see {@linkcode WriteOptions}: the data goes to a sibling
 * temporary file named `.<name>.<16 hex>.tmp` in the directory of the real
 * target (symlinks are followed, even dangling ones), which is `fsync`ed,
 * given the target's mode (or `mode`, for a new file) and renamed over the
 * target. On failure the target is untouched and the temporary file removed;
 * only a process killed between the two steps leaves the temporary file
 * behind (it is never removed by a later write, which cannot tell it from
 * another writer's file in progress). An atomic write needs read permission
 * on the path (and on each symlink and the real target) and write
 * permission on the real target's directory; a missing read grant is
 * `NOT_WIRED` naming `--allow-read=<path>`, found before any I/O, never a
 * prompt.
 *
 * @param path The file to write.
 * @param data The text; a lone surrogate is a `TypeError`.
 * @param opts `atomic` and `mode`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path`, `data` or option.
 * @throws {RangeError} For a `mode` outside `0..0o7777`.
 *
 * @example Usage
 * ```ts
 * import { readFile, writeFile } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFile(`${dir}/a.txt`, "hello", { atomic: true });
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "hello\n");
 * assert.equal(await readFile(`${dir}/a.txt`), "hello");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function writeFile(
  path: string | URL,
  data: string,
  opts?: WriteOptions,
): Promise<void> {
  const fn = "writeFile";
  const p = toPathString(fn, "path", path);
  const chunks = textChunks(checkText(fn, "data", data));
  return runAsync(writeTask(fn, p, chunks, checkWriteOptions(fn, opts)));
}

/**
 * Synchronous twin of {@linkcode writeFile}.
 *
 * @param path The file to write.
 * @param data The text; a lone surrogate is a `TypeError`.
 * @param opts `atomic` and `mode`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path`, `data` or option.
 * @throws {RangeError} For a `mode` outside `0..0o7777`.
 *
 * @example Usage
 * ```ts
 * import { writeFileSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * writeFileSync(`${dir}/a.txt`, "", { mode: 0o600 });
 * assert.equal(Deno.statSync(`${dir}/a.txt`).size, 0);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function writeFileSync(
  path: string | URL,
  data: string,
  opts?: WriteOptions,
): void {
  const fn = "writeFileSync";
  const p = toPathString(fn, "path", path);
  const chunks = textChunks(checkText(fn, "data", data));
  runSync(writeTask(fn, p, chunks, checkWriteOptions(fn, opts)));
}

/**
 * Appends text so that afterwards `readFile(path) === before + data`, where
 * `before` is what `readFile(path)` gave before the call, at a cost that
 * depends on `data` only, never on the file's size.
 *
 * The file is created when missing. Its line end (`"\n"`, `"\r\n"`, or a
 * final `"\r"`) is overwritten by `data + "\n"`. The equation holds for every
 * `data` without a `"\r"` directly before a `"\n"` or at its end (those
 * `"\r"`s are line-end folding on reading), in particular for every `data`
 * without `"\r"`. `append(path, "")` only creates a missing file and never
 * changes an existing one.
 *
 * The call holds an exclusive advisory lock (`flock`) on the file while it
 * rewrites the line end, so concurrent `append` calls, in this process or
 * others, never interleave. Use {@linkcode appendBytes} for records that
 * other writers append without `stdfs`.
 *
 * A file that cannot seek (a FIFO, a socket, a character device such as the
 * terminal or pipe behind `/dev/stdout`) has no last bytes to look at:
 * `data + "\n"` is written to it as is, by one plain `O_APPEND` open and
 * write as in {@linkcode appendBytes} (so a FIFO waits for its reader, as
 * `>>` does), and `append(path, "")` writes nothing. (`/dev/stdout` is a
 * link into `/proc/self`, which Deno grants only under `--allow-all`.)
 *
 * Looking at the last bytes needs read permission for `path` besides write
 * permission: when it is not already granted the call throws `NOT_WIRED`
 * naming `--allow-read=<path>` before touching the file, rather than let
 * Deno prompt for it. ({@linkcode appendBytes} needs write permission only.)
 *
 * @param path The file to append to.
 * @param data The text to append; a lone surrogate is a `TypeError`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or `data`.
 *
 * @example Usage
 * ```ts
 * import { append, readFile } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await append(`${dir}/log.txt`, "first");
 * await append(`${dir}/log.txt`, "\nsecond");
 * assert.equal(await readFile(`${dir}/log.txt`), "first\nsecond");
 * assert.equal(await Deno.readTextFile(`${dir}/log.txt`), "first\nsecond\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function append(path: string | URL, data: string): Promise<void> {
  const p = toPathString("append", "path", path);
  return runAsync(appendTask("append", p, checkText("append", "data", data)));
}

/**
 * Synchronous twin of {@linkcode append}.
 *
 * @param path The file to append to.
 * @param data The text to append; a lone surrogate is a `TypeError`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or `data`.
 *
 * @example Usage
 * ```ts
 * import { appendSync, readFileSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "a\r\n");
 * appendSync(`${dir}/a.txt`, "b");
 * assert.equal(readFileSync(`${dir}/a.txt`), "ab");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function appendSync(path: string | URL, data: string): void {
  const fn = "appendSync";
  const p = toPathString(fn, "path", path);
  runSync(appendTask(fn, p, checkText(fn, "data", data)));
}

/**
 * Reads a text file as lines: `[]` for an empty file, otherwise
 * `readFile(path).split("\n")`.
 *
 * @param path The file to read.
 * @returns The lines, without their line ends.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED` or `DECODE_FAIL`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { readLines } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x\r\n\ny");
 * assert.deepEqual(await readLines(`${dir}/a.txt`), ["x", "", "y"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function readLines(path: string | URL): Promise<string[]> {
  const p = toPathString("readLines", "path", path);
  return runAsync(readLinesTask("readLines", p));
}

/**
 * Synchronous twin of {@linkcode readLines}.
 *
 * @param path The file to read.
 * @returns The lines, without their line ends.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED` or `DECODE_FAIL`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { readLinesSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "");
 * assert.deepEqual(readLinesSync(`${dir}/a.txt`), []);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function readLinesSync(path: string | URL): string[] {
  const p = toPathString("readLinesSync", "path", path);
  return runSync(readLinesTask("readLinesSync", p));
}

/**
 * Writes one `"\n"` after each line, so `readLines` gives `lines` back. A
 * line containing `"\n"` or ending in `"\r"` is a `TypeError`, since it could
 * not round-trip; nothing is written then. An empty `lines` makes a zero-byte
 * file.
 *
 * @param path The file to write.
 * @param lines The lines, without line ends.
 * @param opts `atomic` and `mode`, as for {@linkcode writeFile}.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path`, line or option.
 * @throws {RangeError} For a `mode` outside `0..0o7777`.
 *
 * @example Usage
 * ```ts
 * import { readLines, writeLines } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeLines(`${dir}/a.txt`, ["x", "", "y"]);
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "x\n\ny\n");
 * assert.deepEqual(await readLines(`${dir}/a.txt`), ["x", "", "y"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function writeLines(
  path: string | URL,
  lines: Iterable<string>,
  opts?: WriteOptions,
): Promise<void> {
  const fn = "writeLines";
  const p = toPathString(fn, "path", path);
  const chunks = linesChunks(checkLines(fn, lines));
  return runAsync(writeTask(fn, p, chunks, checkWriteOptions(fn, opts)));
}

/**
 * Synchronous twin of {@linkcode writeLines}.
 *
 * @param path The file to write.
 * @param lines The lines, without line ends.
 * @param opts `atomic` and `mode`, as for {@linkcode writeFile}.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path`, line or option.
 * @throws {RangeError} For a `mode` outside `0..0o7777`.
 *
 * @example Usage
 * ```ts
 * import { writeLinesSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * assert.throws(() => writeLinesSync(`${dir}/a.txt`, ["a\r"]), TypeError);
 * writeLinesSync(`${dir}/a.txt`, ["a"], { atomic: true });
 * assert.equal(Deno.readTextFileSync(`${dir}/a.txt`), "a\n");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function writeLinesSync(
  path: string | URL,
  lines: Iterable<string>,
  opts?: WriteOptions,
): void {
  const fn = "writeLinesSync";
  const p = toPathString(fn, "path", path);
  const chunks = linesChunks(checkLines(fn, lines));
  runSync(writeTask(fn, p, chunks, checkWriteOptions(fn, opts)));
}

function linesChunks(lines: string[]): Uint8Array[] {
  return lines.length === 0 ? [] : [encoder.encode(lines.join("\n") + "\n")];
}

/**
 * Iterates over a text file's lines as {@linkcode readLines} splits them,
 * reading 256 KiB at a time, so memory stays bounded by the longest line
 * whatever the file's size.
 *
 * The path is checked at once; the file is opened on the first `next()`, so
 * `OPEN_FAIL` and the other errors surface from the iteration. Leaving the
 * loop early closes the file.
 *
 * @param path The file to read.
 * @returns An async iterator over the lines.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { lines } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x\r\ny\n");
 * const seen: string[] = [];
 * for await (const line of lines(`${dir}/a.txt`)) seen.push(line);
 * assert.deepEqual(seen, ["x", "y"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function lines(
  path: string | URL,
): AsyncGenerator<string, void, undefined> {
  const p = toPathString("lines", "path", path);
  return streamAsync(linesTask("lines", p));
}

/**
 * Synchronous twin of {@linkcode lines}: a synchronous iterator over the
 * lines, streaming in the same way.
 *
 * @param path The file to read.
 * @returns An iterator over the lines.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { linesSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "x\ny");
 * assert.deepEqual([...linesSync(`${dir}/a.txt`)], ["x", "y"]);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function linesSync(
  path: string | URL,
): Generator<string, void, undefined> {
  const p = toPathString("linesSync", "path", path);
  return streamSync(linesTask("linesSync", p));
}

// ---------------------------------------------------------------------------
// Public API: bytes

/**
 * Reads a file's bytes, unchanged. With `maxBytes`, a longer file is a
 * `READ_TRUNCATED` error, found without reading more than `maxBytes + 1`
 * bytes.
 *
 * @param path The file to read.
 * @param opts `maxBytes`: the largest size accepted.
 * @returns The file's bytes.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED` or `READ_TRUNCATED`.
 * @throws {TypeError} For a bad `path` or a non-integer `maxBytes`.
 * @throws {RangeError} For a negative `maxBytes`.
 *
 * @example Usage
 * ```ts
 * import { readBytes } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/a.bin`, new Uint8Array([1, 2, 3]));
 * assert.deepEqual(await readBytes(`${dir}/a.bin`), new Uint8Array([1, 2, 3]));
 * await assert.rejects(readBytes(`${dir}/a.bin`, { maxBytes: 2 }), {
 *   code: "READ_TRUNCATED",
 * });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function readBytes(
  path: string | URL,
  opts?: ReadBytesOptions,
): Promise<Uint8Array> {
  const p = toPathString("readBytes", "path", path);
  const max = checkMaxBytes("readBytes", opts);
  return runAsync(readBytesTask("readBytes", p, max));
}

/**
 * Synchronous twin of {@linkcode readBytes}.
 *
 * @param path The file to read.
 * @param opts `maxBytes`: the largest size accepted.
 * @returns The file's bytes.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED` or `READ_TRUNCATED`.
 * @throws {TypeError} For a bad `path` or a non-integer `maxBytes`.
 * @throws {RangeError} For a negative `maxBytes`.
 *
 * @example Usage
 * ```ts
 * import { readBytesSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeFileSync(`${dir}/a.bin`, new Uint8Array([0xff, 0]));
 * assert.deepEqual(readBytesSync(`${dir}/a.bin`, { maxBytes: 2 }), new Uint8Array([0xff, 0]));
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function readBytesSync(
  path: string | URL,
  opts?: ReadBytesOptions,
): Uint8Array {
  const p = toPathString("readBytesSync", "path", path);
  const max = checkMaxBytes("readBytesSync", opts);
  return runSync(readBytesTask("readBytesSync", p, max));
}

/**
 * Writes bytes, unchanged, replacing the file's content; `atomic` and `mode`
 * as for {@linkcode writeFile}.
 *
 * @param path The file to write.
 * @param data The bytes.
 * @param opts `atomic` and `mode`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path`, `data` or option.
 * @throws {RangeError} For a `mode` outside `0..0o7777`.
 *
 * @example Usage
 * ```ts
 * import { writeBytes } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeBytes(`${dir}/a.bin`, new Uint8Array([0xef, 0xbb, 0xbf]), { atomic: true });
 * assert.equal((await Deno.stat(`${dir}/a.bin`)).size, 3);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function writeBytes(
  path: string | URL,
  data: Uint8Array,
  opts?: WriteOptions,
): Promise<void> {
  const fn = "writeBytes";
  const p = toPathString(fn, "path", path);
  const chunks = [checkBytes(fn, data)];
  return runAsync(writeTask(fn, p, chunks, checkWriteOptions(fn, opts)));
}

/**
 * Synchronous twin of {@linkcode writeBytes}.
 *
 * @param path The file to write.
 * @param data The bytes.
 * @param opts `atomic` and `mode`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path`, `data` or option.
 * @throws {RangeError} For a `mode` outside `0..0o7777`.
 *
 * @example Usage
 * ```ts
 * import { writeBytesSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * writeBytesSync(`${dir}/a.bin`, new Uint8Array([1]));
 * assert.deepEqual(Deno.readFileSync(`${dir}/a.bin`), new Uint8Array([1]));
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function writeBytesSync(
  path: string | URL,
  data: Uint8Array,
  opts?: WriteOptions,
): void {
  const fn = "writeBytesSync";
  const p = toPathString(fn, "path", path);
  const chunks = [checkBytes(fn, data)];
  runSync(writeTask(fn, p, chunks, checkWriteOptions(fn, opts)));
}

/**
 * Appends bytes, unchanged, creating the file when missing, with one
 * `O_APPEND` open and one write per call (repeated only after a short
 * write), so records appended by concurrent processes never overwrite or
 * split each other on a local file system.
 *
 * @param path The file to append to.
 * @param data The bytes.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or `data`.
 *
 * @example Usage
 * ```ts
 * import { appendBytes } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await appendBytes(`${dir}/a.bin`, new Uint8Array([1]));
 * await appendBytes(`${dir}/a.bin`, new Uint8Array([2]));
 * assert.deepEqual(await Deno.readFile(`${dir}/a.bin`), new Uint8Array([1, 2]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-write
 */
export function appendBytes(
  path: string | URL,
  data: Uint8Array,
): Promise<void> {
  const p = toPathString("appendBytes", "path", path);
  const bytes = checkBytes("appendBytes", data);
  return runAsync(appendBytesTask("appendBytes", p, bytes));
}

/**
 * Synchronous twin of {@linkcode appendBytes}.
 *
 * @param path The file to append to.
 * @param data The bytes.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or `data`.
 *
 * @example Usage
 * ```ts
 * import { appendBytesSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * appendBytesSync(`${dir}/a.bin`, new Uint8Array([7]));
 * assert.equal(Deno.statSync(`${dir}/a.bin`).size, 1);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-write
 */
export function appendBytesSync(path: string | URL, data: Uint8Array): void {
  const p = toPathString("appendBytesSync", "path", path);
  const bytes = checkBytes("appendBytesSync", data);
  runSync(appendBytesTask("appendBytesSync", p, bytes));
}

// ---------------------------------------------------------------------------
// Public API: queries and removal

/**
 * Whether `path` exists, following symlinks (a dangling symlink is `false`).
 * Never cached. `false` only when the path is not found: `ENOENT`, or
 * `ENOTDIR` for a path through a regular file (`"f/x"`) or a regular file
 * named with a trailing slash (`"f/"`), as Python's `os.path.exists` answers
 * for both. Any other failure is thrown, such as a sandbox denial
 * (`NOT_WIRED`) or a symlink loop (`OPEN_FAIL`). (`remove` is stricter: for
 * it, `"f/"` is an error, not an absent path.)
 *
 * @param path The path to look up.
 * @returns Whether it exists.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { exists } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * assert.equal(await exists(dir), true);
 * assert.equal(await exists(`${dir}/nothing`), false);
 * await Deno.remove(dir);
 * ```
 *
 * @tags allow-read
 */
export function exists(path: string | URL): Promise<boolean> {
  const p = toPathString("exists", "path", path);
  return runAsync(existsTask("exists", p));
}

/**
 * Synchronous twin of {@linkcode exists}.
 *
 * @param path The path to look up.
 * @returns Whether it exists.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { existsSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.symlinkSync(`${dir}/gone`, `${dir}/link`);
 * assert.equal(existsSync(`${dir}/link`), false);
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function existsSync(path: string | URL): boolean {
  const p = toPathString("existsSync", "path", path);
  return runSync(existsTask("existsSync", p));
}

/**
 * The size in bytes of `path` (following symlinks; for a directory, what
 * `stat` reports, as Python's `os.path.getsize`), or `-1` when it is not
 * found, in the sense of {@linkcode exists} (`ENOENT` or `ENOTDIR`, so
 * `"f/"` for a regular file `f` is `-1`). Any other failure is thrown.
 *
 * @param path The path to measure.
 * @returns Its size, or `-1`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { size } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "abc");
 * assert.equal(await size(`${dir}/a.txt`), 3);
 * assert.equal(await size(`${dir}/b.txt`), -1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read
 */
export function size(path: string | URL): Promise<number> {
  const p = toPathString("size", "path", path);
  return runAsync(sizeTask("size", p));
}

/**
 * Synchronous twin of {@linkcode size}.
 *
 * @param path The path to measure.
 * @returns Its size, or `-1`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { sizeSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * assert.equal(sizeSync(`${dir}/none`), -1);
 * Deno.removeSync(dir);
 * ```
 *
 * @tags allow-read
 */
export function sizeSync(path: string | URL): number {
  const p = toPathString("sizeSync", "path", path);
  return runSync(sizeTask("sizeSync", p));
}

/**
 * Removes a file, symlink (not its target) or directory. Idempotent: a
 * missing path is fine. A non-empty directory needs `recursive`; without it
 * the call fails with `REMOVE_FAIL`.
 *
 * Only a path that is not found (`ENOENT`) counts as missing. `"f/"` or
 * `"f/x"` where `f` is a regular file fails with `REMOVE_FAIL` (`cause`: a
 * `Deno.errors.NotADirectory`) and removes nothing, as Python's
 * `os.remove("f/")` and `Path("f/").unlink(missing_ok=True)` raise
 * `NotADirectoryError` (`rm -f f/`, by contrast, silently does nothing).
 * Deno itself drops a trailing `"/"` under path-scoped flags (and would then
 * remove `f`), so for a path ending in `"/"` or `"/."` `remove` first looks
 * at what it names, when read permission for it is already granted; without
 * read permission it does not look (which could prompt) and leaves the path
 * to Deno.
 *
 * A trailing `"/"` after a symlink to a directory names the directory, as
 * POSIX reads it: `remove("link/", { recursive: true })` empties the target
 * and then fails with `REMOVE_FAIL` (the link is not a directory), exactly
 * as `rm -rf link/` and Python's `shutil.rmtree("link/")` do. Write `"link"`
 * to remove only the link.
 *
 * @param path The path to remove.
 * @param opts `recursive`.
 * @throws {StdfsError} `REMOVE_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or option.
 *
 * @example Usage
 * ```ts
 * import { remove } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x");
 * await assert.rejects(remove(dir), { code: "REMOVE_FAIL" });
 * await remove(dir, { recursive: true });
 * await remove(dir); // already gone: fine
 * ```
 *
 * @tags allow-write
 */
export function remove(
  path: string | URL,
  opts?: RemoveOptions,
): Promise<void> {
  const p = toPathString("remove", "path", path);
  const recursive = booleanOption(
    "remove",
    "recursive",
    optionBag("remove", opts, ["recursive"]).recursive,
    false,
  );
  return runAsync(removeTask("remove", p, recursive));
}

/**
 * Synchronous twin of {@linkcode remove}.
 *
 * @param path The path to remove.
 * @param opts `recursive`.
 * @throws {StdfsError} `REMOVE_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or option.
 *
 * @example Usage
 * ```ts
 * import { removeSync } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * removeSync(dir);
 * removeSync(dir);
 * assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound);
 * ```
 *
 * @tags allow-write
 */
export function removeSync(path: string | URL, opts?: RemoveOptions): void {
  const p = toPathString("removeSync", "path", path);
  const recursive = booleanOption(
    "removeSync",
    "recursive",
    optionBag("removeSync", opts, ["recursive"]).recursive,
    false,
  );
  runSync(removeTask("removeSync", p, recursive));
}

/**
 * Whether read and write permission for `path` (default: the current
 * directory) are already granted. Synchronous, and never prompts: a
 * permission that would prompt counts as not granted.
 *
 * @param path The path to ask about.
 * @returns `true` iff both are granted.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { available } from "@tempkit/tempkit/stdfs";
 * import assert from "node:assert/strict";
 *
 * const expected =
 *   (await Deno.permissions.query({ name: "read", path: "." })).state === "granted" &&
 *   (await Deno.permissions.query({ name: "write", path: "." })).state === "granted";
 * assert.equal(available(), expected);
 * ```
 */
export function available(path: string | URL = "."): boolean {
  const p = toPathString("available", "path", path);
  return isGranted("read", p) && isGranted("write", p);
}
