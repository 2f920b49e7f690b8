/**
 * Small, exact file primitives: strict UTF-8 text with documented line rules,
 * byte-faithful I/O, atomic writes and typed errors.
 *
 * Every function that touches the file system returns a `Promise` and has a
 * synchronous `Sync` twin with the same behaviour; {@linkcode available} is a
 * synchronous query. Paths are `string | URL` (file URLs). A path ending in
 * `"/"` or `"/."` names a directory, so the functions that read or write a
 * file's content refuse it (`OPEN_FAIL`), whatever Deno's flags (Deno itself
 * drops that ending under path-scoped flags and would open the file `f` for
 * `"f/"`).
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
 * ## Appending
 *
 * {@linkcode appendLines} adds lines, as Python's `f.write(line + "\n")` in
 * mode `"a"`; {@linkcode append} continues the text where it ends (`"a\nb\n"`
 * and `"c"` make `"a\nbc\n"`, since `readFile` gives `"a\nb"` before and must
 * give `"a\nbc"` after); {@linkcode appendBytes} adds bytes. All three hold
 * the file's exclusive `flock(2)` lock while they write, so they never
 * overwrite or interleave with each other, in this process or another;
 * `appendLines` and `appendBytes` write only at the end, with `O_APPEND`,
 * so they never overwrite another program's bytes either. `append` must
 * replace the file's final line end (one or two bytes) to continue its last
 * line: a program appending to the same file at that moment without taking
 * the lock can lose its first bytes to it. A failed append (a full disk)
 * leaves the file as it was: what was written of it is cut off again and a
 * replaced line end put back.
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
 * | `READ_TRUNCATED` | the file is longer than `maxBytes`, or than one string (for text) or one buffer can hold; the message says how to read it instead |
 * | `DECODE_FAIL` | a text function met invalid UTF-8 (`cause`: the decoder's `TypeError`) |
 *
 * Every message starts with the function's name and names the path. Bad
 * arguments throw a `TypeError` or `RangeError` at once, synchronously, even
 * from the functions that return a `Promise`, before any I/O.
 *
 * ## Permissions
 *
 * Reading needs `--allow-read`, writing and removing `--allow-write`, for
 * the path given, as with Deno's own calls (which, on a terminal without
 * `--no-prompt`, may ask for them). {@linkcode append},
 * {@linkcode appendLines} and atomic writes also read on their own account
 * (the file's last bytes; the symlinks to the real target), so they need
 * `--allow-read` as well: they check that grant first and, when it is
 * missing, throw `NOT_WIRED` naming the flag before any I/O, rather than let
 * Deno prompt for a permission the caller did not ask for. The flag names
 * the directory already granted for writing, when there is one
 * (`--allow-read=/tmp` for a file in `/tmp` under `--allow-write=/tmp`).
 * {@linkcode available} only queries.
 *
 * `basename`, `dirname` and `join` are re-exported from `path.ts`.
 *
 * @example Text and bytes
 * ```ts
 * import { readFile, readLines, remove, writeFile } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFile(`${dir}/notes.txt`, "one\r\ntwo");
 * assertEquals(await readFile(`${dir}/notes.txt`), "one\ntwo");
 * assertEquals(await readLines(`${dir}/notes.txt`), ["one", "two"]);
 * await remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

import { dirname, join } from "./path.ts";
import { createNew, type Make } from "./_create.ts";
import {
  io,
  perform,
  runAsync,
  runSync,
  type Step,
  streamAsync,
  streamSync,
  type Task,
} from "./_io.ts";
import {
  assertString,
  booleanOption,
  describe,
  isUint8Array,
  modeOption,
  optionBag,
  plainView,
  toPathString,
} from "./_args.ts";
import {
  deniedKind,
  grantScope,
  isGranted,
  isSandboxDenial,
  notCapable,
  permissionMessage,
  type PermissionNeed,
} from "./_permissions.ts";
import {
  appendLinesBytes,
  appendPlan,
  borrow,
  decodeFile,
  dropFinalLineEnd,
  fileBytes,
  giveBack,
  LF,
  linesBytes,
  LineSplitter,
  LineTooLong,
  MAX_STRING_LENGTH,
  splitLines,
} from "./_text.ts";

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
 * import { assert, assertEquals } from "@std/assert";
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
 * assert(err instanceof StdfsError);
 * assertEquals(advice[err.code], "raise maxBytes");
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
 * import { assert, assertEquals, assertRejects } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * const err = await assertRejects(() => readFile(`${dir}/missing.txt`), StdfsError);
 * assertEquals(err.code, "OPEN_FAIL");
 * assertEquals(err.path, `${dir}/missing.txt`);
 * assert(err.cause instanceof Deno.errors.NotFound);
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

/** What a call was doing when it failed: the parts of its error. */
interface Access {
  /** The public function, which the message names first. */
  fn: string;
  /** The path the caller gave. */
  path: string;
  /** The permission the access needs, for a sandbox denial that does not say. */
  kind: "read" | "write";
  /** The code for a failure that is not a sandbox denial; default `OPEN_FAIL`. */
  code?: "OPEN_FAIL" | "REMOVE_FAIL";
  /** What the access was to, when not `path` (an atomic write's directory). */
  target?: string;
  /** Why `target` is accessed, when it is not `path`. */
  why?: string;
}

/**
 * A failure as a `StdfsError`: a sandbox denial is `NOT_WIRED`, with the
 * package's one permission message naming the flag; anything else is
 * `a.code`, with the underlying error's message. A `StdfsError` passes
 * through.
 */
function wrap(err: unknown, a: Access): StdfsError {
  if (err instanceof StdfsError) return err;
  if (isSandboxDenial(err)) {
    const denied = deniedKind(err) ?? a.kind;
    const need: PermissionNeed = denied === a.kind
      ? { fn: a.fn, kind: denied, target: a.target ?? a.path, why: a.why }
      : { fn: a.fn, kind: denied, target: a.path };
    return new StdfsError("NOT_WIRED", a.path, permissionMessage(need), {
      cause: err,
    });
  }
  const verb = a.code === "REMOVE_FAIL" ? "remove" : "access";
  return new StdfsError(
    a.code ?? "OPEN_FAIL",
    a.path,
    `${a.fn}: cannot ${verb} ${a.path}: ${reason(err)}`,
    { cause: err },
  );
}

/**
 * Throws `NOT_WIRED` unless read access to `target` is already granted. For
 * the reads a function makes on its own account (`append`'s look at the
 * file's last bytes, an atomic write's look at symlinks): asked of Deno,
 * they would prompt on a terminal for a permission the caller never named
 * (`--allow-write` alone is enough for Deno's own appends and writes). The
 * flag names the directory already granted for writing, when there is one.
 */
function requireRead(
  fn: string,
  path: string,
  target: string,
  why: string,
): void {
  if (isGranted("read", target)) return;
  const need: PermissionNeed = {
    fn,
    kind: "read",
    target,
    scope: grantScope("read", target),
    why,
  };
  throw new StdfsError("NOT_WIRED", path, permissionMessage(need), {
    cause: notCapable(need),
  });
}

/**
 * Missing, or a component of the path is not a directory (`ENOTDIR`): what
 * `exists` and `size` count as "not found", as Python's `os.path.exists`.
 */
function isAbsent(err: unknown): boolean {
  return err instanceof Deno.errors.NotFound ||
    err instanceof Deno.errors.NotADirectory;
}

/**
 * Whether `path` ends in `"/"` or `"/."`, a spelling the OS resolves only
 * to a directory (`ENOTDIR` otherwise). Deno drops that ending before the
 * call when the permission involved is granted by a flag (`--allow-read`,
 * `--allow-write=<dir>`), though not under `-A`: `Deno.stat("f/")` then
 * succeeds for a regular file `f`, `Deno.open("f/")` opens it and
 * `Deno.remove("f/")` removes it. The functions below check such paths
 * themselves, so the answer does not depend on the flags.
 */
function namesDirectory(path: string): boolean {
  return path.endsWith("/") || path.endsWith("/.");
}

/** The error of a content function given a path that names a directory. */
function namesDirectoryError(path: string): Error {
  const err = new Deno.errors.IsADirectory(
    `a path ending in "/" or "/." names a directory, not a file: '${path}'`,
  );
  return Object.assign(err, { code: "EISDIR" });
}

/** The `ENOTDIR` the OS gives for `path` when it names a non-directory. */
function notADirectory(op: string, path: string): Error {
  const err = new Deno.errors.NotADirectory(
    `Not a directory (os error 20): ${op} '${path}'`,
  );
  return Object.assign(err, { code: "ENOTDIR" });
}

// ---------------------------------------------------------------------------
// Options and argument checks

/**
 * Options of the functions that write a whole file: {@linkcode writeFile},
 * {@linkcode writeLines}, {@linkcode writeBytes} and their `Sync` twins.
 *
 * @example Replacing a configuration file atomically
 * ```ts
 * import { readFile, writeFile, type WriteOptions } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * const options: WriteOptions = { atomic: true, mode: 0o600 };
 * await writeFile(`${dir}/app.conf`, "port = 8080", options);
 * await writeFile(`${dir}/app.conf`, "port = 9090", options);
 * assertEquals(await readFile(`${dir}/app.conf`), "port = 9090");
 * // Nothing but the target is left in the directory.
 * assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["app.conf"]);
 * if (Deno.build.os !== "windows") {
 *   // mode is for a new file, filtered by the umask; never wider than asked.
 *   assertEquals((await Deno.stat(`${dir}/app.conf`)).mode! & 0o077, 0);
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
   * A symlink is written through, to the file a plain write would reach:
   * the kernel is asked to follow the links first, so they are followed
   * only where it would follow them for `open(2)` (with
   * `fs.protected_symlinks = 1`, never a link in a sticky world-writable
   * directory such as `/tmp` that neither the caller nor the directory's
   * owner owns), and a chain that changes while it is read is an error.
   * Only a regular file is replaced: a directory, device (`/dev/null`),
   * FIFO or socket is `OPEN_FAIL`, written nowhere. Looking at the target
   * and its links reads, so an atomic write needs read permission for the
   * path besides write permission for the target's directory; without the
   * read grant it throws `NOT_WIRED` naming the flag before any I/O (never
   * a prompt).
   *
   * The replacement keeps the target's mode (where the directory lets
   * others swap names, without the sticky bit, only as far as the umask
   * allows, since `chmod` by name could be sent elsewhere). The directory is
   * `fsync`ed after the rename (best effort, and only when read permission
   * for it is already granted): that is what makes the rename itself
   * survive a power loss.
   *
   * The temporary file is `.<name>.<16 hex>.tmp` in the real target's
   * directory, created exclusively (as `tempfile.ts`'s `mkstemp` creates).
   * A process killed between its creation and the rename leaves it behind;
   * nothing removes it later, since a live writer's file looks the same.
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
 * import { readBytes, type ReadBytesOptions, StdfsError } from "@tempkit/tempkit/stdfs";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/upload.bin`, new Uint8Array(2048));
 * const small: ReadBytesOptions = { maxBytes: 1024 };
 * const err = await assertRejects(() => readBytes(`${dir}/upload.bin`, small), StdfsError);
 * assertEquals(err.code, "READ_TRUNCATED");
 * assertEquals((await readBytes(`${dir}/upload.bin`, { maxBytes: 2048 })).length, 2048);
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
 * import { exists, remove, type RemoveOptions, StdfsError } from "@tempkit/tempkit/stdfs";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/cache/a`, { recursive: true });
 * await Deno.writeTextFile(`${dir}/cache/a/x.txt`, "x");
 * const err = await assertRejects(() => remove(`${dir}/cache`), StdfsError);
 * assertEquals(err.code, "REMOVE_FAIL");
 * const tree: RemoveOptions = { recursive: true };
 * await remove(`${dir}/cache`, tree);
 * assertEquals(await exists(`${dir}/cache`), false);
 * await remove(dir);
 * ```
 */
export interface RemoveOptions {
  /** Remove a non-empty directory and everything inside. Default `false`. */
  recursive?: boolean;
}

interface CheckedWrite {
  atomic: boolean;
  mode: number;
}

/** Options of Deno's writers that mean something else here. */
const WRITE_HINTS = {
  append:
    "to append, call append(), appendLines() or appendBytes() (writeFile replaces the file)",
  create: "writeFile always creates a missing file",
  createNew: "for a file that must not exist yet, use tempfile's mkstemp",
};

/** The mode `open(2)` is given for a new file unless `mode` says otherwise. */
const NEW_FILE_MODE = 0o666;

function checkWriteOptions(fn: string, opts: unknown): CheckedWrite {
  const o = optionBag(fn, opts, ["atomic", "mode"], WRITE_HINTS);
  return {
    atomic: booleanOption(fn, "atomic", o.atomic, false),
    mode: modeOption(fn, o.mode, NEW_FILE_MODE),
  };
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

/**
 * `value`, checked to be a real `Uint8Array` by its internal slots (not
 * `instanceof`, which a `Proxy` passes), as a plain view of the same
 * bytes, so no subclass method runs while it is written.
 */
function checkBytes(fn: string, value: unknown): Uint8Array {
  if (!isUint8Array(value)) {
    const got = value instanceof Uint8Array
      ? "an object that only passes instanceof (a Proxy or a fake)"
      : describe(value);
    throw new TypeError(`${fn}: data must be a Uint8Array, got ${got}`);
  }
  try {
    return plainView(value);
  } catch {
    throw new TypeError(`${fn}: data's buffer is detached`);
  }
}

/** The lines, checked so that they can round-trip, joined by `"\n"`. */
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

/**
 * The lines joined by `"\n"`, before any I/O (a join longer than a string
 * can be is a `RangeError` now, not after the file was opened); `undefined`
 * for no lines.
 */
function joinLines(fn: string, lines: string[]): string | undefined {
  if (lines.length === 0) return undefined;
  try {
    return lines.join("\n");
  } catch (err) {
    throw new RangeError(`${fn}: lines are longer than one string can hold`, {
      cause: err,
    });
  }
}

// ---------------------------------------------------------------------------
// Open files, reading and writing (the drivers are in _io.ts)

/** A file to open, with what to say when that or its use fails. */
interface FileUse extends Access {
  options: Deno.OpenOptions;
}

const READ: Deno.OpenOptions = { read: true };
const APPEND: Deno.OpenOptions = { append: true, create: true };
const READ_APPEND: Deno.OpenOptions = {
  read: true,
  append: true,
  create: true,
};
const READ_WRITE: Deno.OpenOptions = { read: true, write: true, create: true };

function* openFile(use: FileUse): Task<Deno.FsFile> {
  if (namesDirectory(use.path)) throw wrap(namesDirectoryError(use.path), use);
  try {
    return yield* perform(io.open(use.path, use.options));
  } catch (err) {
    throw wrap(err, use);
  }
}

/**
 * Opens `use.path`, runs `body` on the file and closes it, whatever
 * happens; every failure of the open or the body becomes a `StdfsError`
 * (see {@linkcode wrap}).
 */
function* withFile<R, Out = never>(
  use: FileUse,
  body: (file: Deno.FsFile) => Task<R, Out>,
): Task<R, Out> {
  using file = yield* openFile(use);
  try {
    return yield* body(file);
  } catch (err) {
    throw wrap(err, use);
  }
}

/** The error of a write that wrote nothing, which retrying would repeat forever. */
function noProgress(n: number, left: number): Error {
  return new Deno.errors.WriteZero(
    `a write made no progress (returned ${n}, ${left} bytes left)`,
  );
}

/**
 * Writes all of `buf`. A regular file takes it in one write; the loop
 * covers the short writes POSIX allows (signals, pipes, nearly full disks).
 * When a later write fails, `undo(written)` runs before the error goes on.
 */
function* writeAll(
  file: Deno.FsFile,
  buf: Uint8Array,
  undo?: (written: number) => Task<void>,
): Task<void> {
  let off = 0;
  try {
    while (off < buf.length) {
      const n = yield* perform(io.write(file, buf.subarray(off)));
      if (!(n > 0)) throw noProgress(n, buf.length - off);
      off += n;
    }
  } catch (err) {
    if (undo !== undefined && off > 0) yield* undo(off);
    throw err;
  }
}

/** Reads until `buf` is full or the file ends; returns the bytes read. */
function* readFull(file: Deno.FsFile, buf: Uint8Array): Task<number> {
  let total = 0;
  while (total < buf.length) {
    const n = yield* perform(io.read(file, buf.subarray(total)));
    if (n === null || n === 0) break;
    total += n;
  }
  return total;
}

/**
 * Reads at most `limit` bytes: `first.length` (the file's size) at once,
 * into `first`, then small probes in case the file grew (or is a pipe,
 * whose size is 0).
 */
function* readUpTo(
  file: Deno.FsFile,
  limit: number,
  first: Uint8Array,
): Task<Uint8Array> {
  let total = yield* readFull(file, first);
  if (total < first.length) return first.subarray(0, total);
  const parts = [first];
  // Whether a file that filled its size grew is asked with a small read
  // (most have not, and a large fresh probe costs more than the read);
  // a file of size 0 (a pipe) is read in large ones from the start.
  let probeSize = first.length > 0 ? 512 : 64 * 1024;
  while (total < limit) {
    const probe = new Uint8Array(Math.min(limit - total, probeSize));
    const n = yield* readFull(file, probe);
    if (n === 0) break;
    parts.push(probe.subarray(0, n));
    total += n;
    if (n < probe.length) break;
    probeSize = 64 * 1024;
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

/**
 * The bytes of `path`. With `maxBytes`, a longer file is `READ_TRUNCATED`,
 * found without reading past `maxBytes + 1` bytes.
 */
function* readBytesTask(
  fn: string,
  path: string,
  maxBytes: number | undefined,
): Task<Uint8Array> {
  // Without a limit this is still the bounded read: reading exactly the
  // size `fstat` reports is faster than `Deno.readFile`, which grows a buffer.
  const limit = maxBytes === undefined ? Infinity : maxBytes + 1;
  const use: FileUse = { fn, path, kind: "read", options: READ };
  const bytes = yield* withFile(use, function* (file): Task<Uint8Array> {
    const size = (yield* perform(io.fstat(file))).size;
    return yield* readUpTo(
      file,
      limit,
      bufferFor(fn, path, Math.min(limit, size)),
    );
  });
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
 * A buffer for the `size` bytes of `path`: a size no buffer here can hold
 * is `READ_TRUNCATED`, saying how to read the file instead, rather than the
 * engine's bare `RangeError`.
 */
function bufferFor(fn: string, path: string, size: number): Uint8Array {
  try {
    return new Uint8Array(size);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new StdfsError(
      "READ_TRUNCATED",
      path,
      `${fn}: ${path} is larger (${size} bytes) than one buffer can hold; ` +
        `read it in parts through Deno.open, or line by line with lines()`,
      { cause: err },
    );
  }
}

/** A text too long for one string: the error says what to use instead. */
function tooLong(fn: string, path: string, what: string): StdfsError {
  return new StdfsError(
    "READ_TRUNCATED",
    path,
    `${fn}: ${path} holds ${what} longer than one string can hold ` +
      `(${MAX_STRING_LENGTH} UTF-16 code units); read it line by line ` +
      `with lines(), or as bytes with readBytes()`,
  );
}

/**
 * The content of a text file, for decoding as one string, in a borrowed
 * buffer (see {@linkcode borrow}; the caller gives it back). A file longer
 * than one string can hold is `READ_TRUNCATED` (the decoder refuses more
 * than {@linkcode MAX_STRING_LENGTH} bytes whatever they encode), told by
 * its size before anything is read when it is a regular file.
 */
function* readTextBytes(fn: string, path: string): Task<Uint8Array> {
  const use: FileUse = { fn, path, kind: "read", options: READ };
  const limit = MAX_STRING_LENGTH + 1;
  const bytes = yield* withFile(use, function* (file): Task<Uint8Array | null> {
    const info = yield* perform(io.fstat(file));
    if (info.isFile && info.size >= limit) return null;
    return yield* readUpTo(file, limit, borrow(Math.min(limit, info.size)));
  });
  if (bytes === null || bytes.length >= limit) {
    throw tooLong(fn, path, "a text");
  }
  return bytes;
}

/** {@linkcode decodeFile}, its error a `DECODE_FAIL`. */
function decode(fn: string, path: string, bytes: Uint8Array): string {
  try {
    return decodeFile(bytes);
  } catch (err) {
    if (err instanceof TypeError) throw decodeFail(fn, path, err);
    throw err;
  }
}

function decodeFail(fn: string, path: string, err: unknown): StdfsError {
  return new StdfsError(
    "DECODE_FAIL",
    path,
    `${fn}: ${path} is not valid UTF-8`,
    { cause: err },
  );
}

/** The decoded text of `path`, its bytes given back once decoded. */
function* readTextTask(fn: string, path: string): Task<string> {
  const bytes = yield* readTextBytes(fn, path);
  try {
    return decode(fn, path, bytes);
  } finally {
    giveBack(bytes);
  }
}

function* readFileTask(fn: string, path: string): Task<string> {
  return dropFinalLineEnd(yield* readTextTask(fn, path));
}

function* readLinesTask(fn: string, path: string): Task<string[]> {
  return splitLines(yield* readTextTask(fn, path));
}

const CHUNK = 256 * 1024;

/** A {@linkcode LineSplitter} call, its errors as `StdfsError`s. */
function split(
  fn: string,
  path: string,
  step: () => string[],
): string[] {
  try {
    return step();
  } catch (err) {
    if (err instanceof LineTooLong) throw tooLong(fn, path, "a line");
    if (err instanceof TypeError) throw decodeFail(fn, path, err);
    throw err;
  }
}

function* linesTask(fn: string, path: string): Task<void, string> {
  const use: FileUse = { fn, path, kind: "read", options: READ };
  yield* withFile(use, function* (file): Task<void, string> {
    const splitter = new LineSplitter();
    // Room before each chunk for the bytes of a character the last one cut.
    const buf = new Uint8Array(CHUNK + 3);
    for (;;) {
      const start = splitter.reserve(buf);
      const n = yield* perform(
        io.read(file, buf.subarray(start, start + CHUNK)),
      );
      if (n === null || n === 0) break;
      const lines = split(
        fn,
        path,
        () => splitter.push(buf.subarray(0, start + n)),
      );
      if (lines.length > 0) yield lines;
    }
    yield split(fn, path, () => splitter.end());
  });
}

// ---------------------------------------------------------------------------
// Writing

function* writeTask(
  fn: string,
  path: string,
  bytes: Uint8Array,
  opts: CheckedWrite,
): Task<void> {
  if (opts.atomic) return yield* writeAtomic(fn, path, bytes, opts.mode);
  const options = {
    write: true,
    create: true,
    truncate: true,
    mode: opts.mode,
  };
  yield* withFile(
    { fn, path, kind: "write", options },
    (file) => writeAll(file, bytes),
  );
}

const MAX_SYMLINK_HOPS = 40; // Linux's limit
const WHY_LINKS = "an atomic write looks at the file and the symlinks to it";

/** What an atomic write replaces: the name, and what is there now. */
interface Replaced {
  /** The name the temporary file is renamed to. */
  target: string;
  /** The file now at `target`, or `null` when there is none yet. */
  existing: Deno.FileInfo | null;
}

/**
 * The file an atomic write of `path` must replace. `path` itself unless it
 * is a symlink; then the file the kernel reaches by following it (or the
 * missing name a dangling one ends at), for a plain write of `path` would
 * write there.
 *
 * Symlinks are followed only where the kernel follows them: it is asked
 * first (a `stat` through `path`), so its rules for links apply as they do
 * to `open(2)` (`fs.protected_symlinks` refuses, with `EACCES`, a link in a
 * sticky world-writable directory owned by neither the caller nor the
 * directory's owner; search permission on every directory). The chain is
 * then read link by link to learn the name to rename over, and the file it
 * ends at must be the one the kernel found (same device and inode): a link
 * changed in between is an error, not a write somewhere else.
 */
function* replacedBy(fn: string, path: string): Task<Replaced> {
  const reading: Access = { fn, path, kind: "read" };
  if (namesDirectory(path)) throw wrap(namesDirectoryError(path), reading);
  requireRead(fn, path, path, WHY_LINKS);
  let info: Deno.FileInfo;
  try {
    info = yield* perform(io.lstat(path));
  } catch (err) {
    if (isAbsent(err)) return { target: path, existing: null };
    throw wrap(err, reading);
  }
  if (!info.isSymlink) {
    return { target: path, existing: replaceable(fn, path, info) };
  }
  let found: Deno.FileInfo | null = null;
  try {
    found = replaceable(fn, path, yield* perform(io.stat(path)));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw wrap(err, reading);
  }
  let current = path;
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let link: string;
    try {
      link = yield* perform(io.readLink(current));
    } catch (err) {
      throw wrap(err, reading);
    }
    current = link.startsWith("/") ? link : join(dirname(current), link);
    requireRead(fn, path, current, WHY_LINKS); // a hop may lead out of the grant
    let at: Deno.FileInfo | null = null;
    try {
      at = yield* perform(io.lstat(current));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw wrap(err, reading);
    }
    if (at !== null && at.isSymlink) continue;
    if (at === null ? found === null : sameFile(at, found)) {
      return { target: current, existing: at };
    }
    break;
  }
  throw wrap(
    new Error(`the symlinks changed while they were followed: '${path}'`),
    reading,
  );
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo | null): boolean {
  return b !== null && a.dev === b.dev && a.ino === b.ino;
}

/**
 * `info` when an atomic write may replace that file: a regular file. A
 * directory cannot be renamed over, and a device, FIFO or socket replaced
 * by a regular file would stop being one (as root, `/dev/null`), so those
 * are `OPEN_FAIL` before anything is written.
 */
function replaceable(
  fn: string,
  path: string,
  info: Deno.FileInfo,
): Deno.FileInfo {
  if (info.isFile) return info;
  if (info.isDirectory) {
    const cause = new Deno.errors.IsADirectory(`Is a directory: '${path}'`);
    throw new StdfsError(
      "OPEN_FAIL",
      path,
      `${fn}: cannot access ${path}: it is a directory`,
      { cause: Object.assign(cause, { code: "EISDIR" }) },
    );
  }
  const kind = info.isCharDevice
    ? "a character device"
    : info.isBlockDevice
    ? "a block device"
    : info.isFifo
    ? "a FIFO"
    : info.isSocket
    ? "a socket"
    : "not a regular file";
  throw new StdfsError(
    "OPEN_FAIL",
    path,
    `${fn}: cannot access ${path}: it is ${kind}, which an atomic write ` +
      `would replace with a regular file; write it without { atomic: true }`,
    { cause: new Deno.errors.NotSupported(`not a regular file: '${path}'`) },
  );
}

/**
 * The temporary sibling's name prefix: `.<name>.`, so a leftover from a
 * killed process is recognisable as `.<name>.<16 hex>.tmp`. Long names are
 * clipped to keep the whole name under the 255-byte limit, and `"\\"`
 * becomes `"_"`.
 */
function tempPrefix(target: string): string {
  // createNew refuses "\\" in a prefix (a separator on Windows).
  let name = target.slice(target.lastIndexOf("/") + 1).replaceAll("\\", "_");
  if (name.length > 60) {
    name = name.slice(0, 60);
    const last = name.charCodeAt(59);
    if (last >= 0xd800 && last <= 0xdbff) name = name.slice(0, 59);
  }
  return `.${name}.`;
}

/** The temporary file of an atomic write, open for writing. */
const newTempFile: Make<Deno.FsFile> = (path, mode) =>
  io.open(path, { write: true, createNew: true, mode });

const WINDOWS = Deno.build.os === "windows";

function* writeAtomic(
  fn: string,
  path: string,
  bytes: Uint8Array,
  mode: number,
): Task<void> {
  const { target, existing } = yield* replacedBy(fn, path);
  const dir = dirname(target);
  const writing: Access = {
    fn,
    path,
    kind: "write",
    target: dir,
    why: `the temporary file of an atomic write of ${path}`,
  };
  // The target's mode, or for a new file what open(2) gives `mode` under
  // the umask, which is what asking for `mode` at creation gives.
  const keep = existing?.mode == null ? undefined : existing.mode & 0o7777;
  const t = { fn, dir, prefix: tempPrefix(target), suffix: ".tmp" };
  let tmp: string;
  let created: Deno.FsFile;
  try {
    ({ path: tmp, value: created } = yield* createNew(t, newTempFile, {
      mode: keep === undefined ? mode : keep & 0o777,
    }));
  } catch (err) {
    throw wrap(err, writing);
  }
  try {
    {
      using file = created;
      yield* writeAll(file, bytes);
      yield* perform(io.fsync(file));
      if (keep !== undefined && !WINDOWS) yield* keepMode(file, tmp, keep);
    }
    yield* perform(io.rename(tmp, target));
  } catch (err) {
    try {
      yield* perform(io.remove(tmp));
    } catch {
      // The write's own failure is the one to report.
    }
    throw wrap(err, writing);
  }
  yield* syncDir(dir);
}

/**
 * Gives the temporary file the target's mode, which creation could not when
 * the umask took bits from it (or a write cleared set-id bits). `chmod`
 * goes by name and follows a symlink, so it is skipped where someone else
 * could have swapped the name for one (a directory that others may write
 * to without the sticky bit, or that another user owns), or where it cannot
 * be told (no read permission for the directory): the file then keeps the
 * narrower mode creation gave it.
 */
function* keepMode(file: Deno.FsFile, tmp: string, mode: number): Task<void> {
  const own = yield* perform(io.fstat(file));
  if ((own.mode! & 0o7777) === mode) return;
  // Looking at the directory needs read permission there (or a prompt).
  if (!isGranted("read", dirname(tmp))) return;
  const dir = yield* perform(io.stat(dirname(tmp)));
  const sticky = (dir.mode! & 0o1000) !== 0;
  if (dir.uid !== own.uid || (!sticky && (dir.mode! & 0o022) !== 0)) return;
  yield* perform(io.chmod(tmp, mode));
}

/**
 * Makes a rename in `dir` durable across a power loss, as far as the
 * platform allows. Best effort: the new content is already in place, so a
 * failure here is not reported, and without read permission already granted
 * for `dir` the step is skipped rather than prompting.
 */
function* syncDir(dir: string): Task<void> {
  if (WINDOWS || !isGranted("read", dir)) return;
  try {
    using handle = yield* perform(io.open(dir, READ));
    yield* perform(io.fsync(handle));
  } catch {
    // Some file systems cannot open or fsync a directory.
  }
}

/**
 * Runs a task that writes text this module encoded into `bytes` (see
 * {@linkcode borrow}), giving them back when it is done.
 */
function runWrite(task: Task<void>, bytes: Uint8Array): Promise<void> {
  return runAsync(task).finally(() => giveBack(bytes));
}

/** {@linkcode runWrite} with the synchronous calls. */
function runWriteSync(task: Task<void>, bytes: Uint8Array): void {
  try {
    runSync(task);
  } finally {
    giveBack(bytes);
  }
}

// ---------------------------------------------------------------------------
// Appending

/**
 * Whether `path` is a FIFO, socket or character device, which the appending
 * functions must not open for reading: such a handle cannot seek, and to a
 * FIFO it is a reader and a writer at once, so the open would not wait for
 * a reader and the text could be lost. Any failure is left to the open.
 */
function* isStream(path: string): Task<boolean> {
  try {
    const info = yield* perform(io.stat(path));
    return !!(info.isFifo || info.isSocket || info.isCharDevice);
  } catch {
    return false;
  }
}

/**
 * Cuts off the `written` bytes of a failed `O_APPEND` write, so the file is
 * as before. Only while they are still the file's last bytes: a program
 * that does not take the lock may have appended after them.
 */
function* cutOff(file: Deno.FsFile, written: number): Task<void> {
  try {
    // The offset is where the write left off; seeking to the end gives the
    // size without an fstat, which would need read permission.
    const end = yield* perform(io.tell(file));
    if ((yield* perform(io.seekEnd(file))) !== end) return;
    yield* perform(io.truncate(file, end - written));
  } catch {
    // Not seekable, or failing again: the write's own error is reported.
  }
}

/**
 * The files whose lock an unfinished asynchronous append of this isolate
 * holds or waits for, with how many such appends. By the path as given:
 * the device and inode would take an `fstat`, which needs read permission
 * that `appendBytes` does not otherwise need.
 */
const asyncLocks = new Map<string, number>();

/**
 * The file's exclusive `flock(2)` lock, which every appending function
 * holds while it writes; the step gives the function that forgets it once
 * the file is closed. The synchronous call waits on this thread, so it
 * would wait forever for a lock an asynchronous append of this isolate
 * holds (that append can only go on on this thread): it throws instead.
 */
const appendLock = (file: Deno.FsFile, key: string): Step<() => void> => ({
  sync() {
    if (asyncLocks.has(key)) {
      throw new Deno.errors.WouldBlock(
        "an unfinished asynchronous append of this program holds the " +
          "file's lock, which this synchronous call would wait for forever; " +
          "await that append first",
      );
    }
    file.lockSync(true);
    return () => {};
  },
  async async() {
    asyncLocks.set(key, (asyncLocks.get(key) ?? 0) + 1);
    const release = () => {
      const n = asyncLocks.get(key)! - 1;
      if (n === 0) asyncLocks.delete(key);
      else asyncLocks.set(key, n);
    };
    try {
      await file.lock(true);
    } catch (err) {
      release();
      throw err;
    }
    return release;
  },
});

/**
 * Runs `body` holding the file's append lock (see {@linkcode appendLock}).
 * The lock itself goes with the file's closing, right after.
 */
function* locked<R>(
  file: Deno.FsFile,
  path: string,
  body: () => Task<R>,
): Task<R> {
  const release = yield* perform(appendLock(file, path));
  try {
    return yield* body();
  } finally {
    release();
  }
}

/** One locked `O_APPEND` write of `bytes` to an open file, undone if it fails. */
function* appendLocked(
  file: Deno.FsFile,
  path: string,
  bytes: Uint8Array,
): Task<void> {
  if (bytes.length === 0) return;
  yield* locked(
    file,
    path,
    () => writeAll(file, bytes, (written) => cutOff(file, written)),
  );
}

function* appendBytesTask(
  fn: string,
  path: string,
  data: Uint8Array,
): Task<void> {
  yield* withFile(
    { fn, path, kind: "write", options: APPEND },
    (file) => appendLocked(file, path, data),
  );
}

const WHY_TAIL = "it reads the end of the file, besides writing";

function* appendTask(fn: string, path: string, data: string): Task<void> {
  requireRead(fn, path, path, WHY_TAIL);
  if (yield* isStream(path)) {
    // A pipe, socket or terminal (`/dev/stdout`) keeps no last bytes to
    // look at: the text goes out as is, with its "\n", by a plain append
    // (which, for a FIFO, waits for a reader, as `>>` does).
    if (data === "") return;
    return yield* appendBytesTask(
      fn,
      path,
      appendPlan(new Uint8Array(), data).bytes,
    );
  }
  const use: FileUse = { fn, path, kind: "write", options: READ_WRITE };
  yield* withFile(use, function* (file): Task<void> {
    if (data === "") return;
    // Other appends, in this process or another, wait here, so the line end
    // read below is still the last when it is replaced.
    yield* locked(file, path, () => appendToEnd(file, data));
  });
}

/** `append`'s work on its open, locked file. */
function* appendToEnd(file: Deno.FsFile, data: string): Task<void> {
  const info = yield* perform(io.fstat(file));
  if (!info.isFile) {
    return yield* writeAll(file, appendPlan(new Uint8Array(), data).bytes);
  }
  const size = info.size;
  const tail = new Uint8Array(Math.min(3, size));
  yield* perform(io.seek(file, size - tail.length));
  yield* readFull(file, tail);
  const { cut, bytes } = appendPlan(tail, data);
  const at = size - cut;
  yield* perform(io.seek(file, at));
  // The new bytes are never shorter than the line end they replace, so
  // nothing needs truncating. A failure puts the line end back and cuts
  // off what was written past it.
  yield* writeAll(file, bytes, function* (): Task<void> {
    try {
      yield* perform(io.seek(file, at));
      yield* writeAll(file, tail.subarray(tail.length - cut));
      yield* perform(io.truncate(file, size));
    } catch {
      // The append's own error is the one to report.
    }
  });
}

function* appendLinesTask(
  fn: string,
  path: string,
  joined: string | undefined,
): Task<void> {
  requireRead(fn, path, path, WHY_TAIL);
  if (yield* isStream(path)) {
    if (joined === undefined) return;
    return yield* appendBytesTask(fn, path, appendLinesBytes(LF, joined));
  }
  const use: FileUse = { fn, path, kind: "write", options: READ_APPEND };
  yield* withFile(use, function* (file): Task<void> {
    if (joined === undefined) return;
    yield* locked(file, path, () => appendLinesToEnd(file, joined));
  });
}

/** `appendLines`'s work on its open, locked file. */
function* appendLinesToEnd(file: Deno.FsFile, joined: string): Task<void> {
  const info = yield* perform(io.fstat(file));
  let last: number | undefined;
  if (info.isFile && info.size > 0) {
    const byte = new Uint8Array(1);
    yield* perform(io.seek(file, info.size - 1));
    if ((yield* readFull(file, byte)) === 1) last = byte[0];
  }
  // O_APPEND: the bytes go at the end, wherever that is by now.
  yield* writeAll(
    file,
    appendLinesBytes(last, joined),
    (written) => cutOff(file, written),
  );
}

// ---------------------------------------------------------------------------
// Queries and removal

function* statTask(fn: string, path: string): Task<Deno.FileInfo | null> {
  let info: Deno.FileInfo;
  try {
    info = yield* perform(io.stat(path));
  } catch (err) {
    if (isAbsent(err)) return null;
    throw wrap(err, { fn, path, kind: "read" });
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
  const removing: Access = { fn, path, kind: "write", code: "REMOVE_FAIL" };
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
      throw wrap(notADirectory("remove", path), removing);
    }
  }
  try {
    yield* perform(io.remove(path, { recursive }));
  } catch (err) {
    // Only a true ENOENT is absence: "f/" or "f/x" for a regular file `f`
    // (ENOTDIR) names something that exists and was not removed.
    if (!(err instanceof Deno.errors.NotFound)) throw wrap(err, removing);
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
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED`, `DECODE_FAIL`, or `READ_TRUNCATED` for a text longer than one string.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Line ends are folded
 * ```ts
 * import { readFile } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x\r\ny\n");
 * assertEquals(await readFile(`${dir}/a.txt`), "x\ny");
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
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED`, `DECODE_FAIL`, or `READ_TRUNCATED` for a text longer than one string.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { readFileSync } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "x\n");
 * assertEquals(readFileSync(`${dir}/a.txt`), "x");
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFile(`${dir}/a.txt`, "hello", { atomic: true });
 * assertEquals(await Deno.readTextFile(`${dir}/a.txt`), "hello\n");
 * assertEquals(await readFile(`${dir}/a.txt`), "hello");
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
  const bytes = fileBytes(checkText(fn, "data", data));
  return runWrite(writeTask(fn, p, bytes, checkWriteOptions(fn, opts)), bytes);
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * writeFileSync(`${dir}/a.txt`, "", { mode: 0o600 });
 * assertEquals(Deno.statSync(`${dir}/a.txt`).size, 0);
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
  const bytes = fileBytes(checkText(fn, "data", data));
  runWriteSync(writeTask(fn, p, bytes, checkWriteOptions(fn, opts)), bytes);
}

/**
 * Appends text so that afterwards `readFile(path) === before + data`, where
 * `before` is what `readFile(path)` gave before the call, at a cost that
 * depends on `data` only, never on the file's size: the text continues the
 * file's last line. To add lines, as Python's `f.write(line + "\n")` does,
 * use {@linkcode appendLines}.
 *
 * The file is created when missing. Its line end (`"\n"`, `"\r\n"`, or a
 * final `"\r"`) is replaced by `data + "\n"` (on `"a\nb\n"`, `"c"` makes
 * `"a\nbc\n"`). The equation holds for every `data` without a `"\r"`
 * directly before a `"\n"` or at its end (those `"\r"`s are line-end
 * folding on reading), in particular for every `data` without `"\r"`.
 * `append(path, "")` only creates a missing file and never changes an
 * existing one.
 *
 * The call holds the file's exclusive `flock(2)` lock while it reads and
 * replaces the line end, as {@linkcode appendLines} and
 * {@linkcode appendBytes} hold it while they write, so no two of them, in
 * this process or others, ever overwrite or interleave with each other. A
 * program that appends without the lock, at the very moment the line end
 * is replaced, can lose its first bytes to it: for records shared with
 * other programs, use `appendLines` or `appendBytes`, which only write at
 * the end. When the write fails (a full disk), the file is put back as it
 * was: the old line end restored and what was written past it cut off. (A
 * lock the caller holds on the file through another handle makes the call
 * wait for it.)
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
 * naming the flag before touching the file, rather than let Deno prompt for
 * it. ({@linkcode appendBytes} needs write permission only.)
 *
 * @param path The file to append to.
 * @param data The text to append; a lone surrogate is a `TypeError`.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or `data`.
 *
 * @example Continuing the last line
 * ```ts
 * import { append, readFile } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/log.txt`, "a\nb\n");
 * await append(`${dir}/log.txt`, "c");
 * assertEquals(await Deno.readTextFile(`${dir}/log.txt`), "a\nbc\n");
 * await append(`${dir}/log.txt`, "\nd");
 * assertEquals(await readFile(`${dir}/log.txt`), "a\nbc\nd");
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "a\r\n");
 * appendSync(`${dir}/a.txt`, "b");
 * assertEquals(readFileSync(`${dir}/a.txt`), "ab");
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
 * Appends lines, one `"\n"` after each, so that afterwards `readLines(path)`
 * is the old lines followed by `lines`, whatever the file ended with: a
 * file whose last line has no line end (or ends in a lone `"\r"`) gets a
 * `"\n"` first. This is Python's `f.write(line + "\n")` in mode `"a"`, the
 * idiom for logs. A line containing `"\n"` or ending in `"\r"` is a
 * `TypeError` (it could not round-trip), and nothing is written then; no
 * lines only create a missing file.
 *
 * The cost is O(the lines): the call reads the file's last byte only. It
 * holds the file's exclusive `flock(2)` lock, as {@linkcode append} and
 * {@linkcode appendBytes} do, and writes with one `O_APPEND` write (resumed
 * only after a short write), so lines from concurrent appenders, in this
 * process or others, are never torn, merged or overwritten, and nothing
 * another program appended is overwritten either. A failed write (a full
 * disk) is cut off again, leaving the file as it was.
 *
 * A FIFO, socket or terminal gets the lines as they are. Reading the last
 * byte needs read permission besides write permission, checked first as
 * for `append`.
 *
 * @param path The file to append to.
 * @param lines The lines, without line ends.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or line.
 *
 * @example A log, one line per call
 * ```ts
 * import { appendLines, readLines } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/log.txt`, "started"); // no final "\n"
 * await appendLines(`${dir}/log.txt`, ["job 1 done"]);
 * await appendLines(`${dir}/log.txt`, ["job 2 done", "stopped"]);
 * assertEquals(await readLines(`${dir}/log.txt`), [
 *   "started",
 *   "job 1 done",
 *   "job 2 done",
 *   "stopped",
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function appendLines(
  path: string | URL,
  lines: Iterable<string>,
): Promise<void> {
  const fn = "appendLines";
  const p = toPathString(fn, "path", path);
  const joined = joinLines(fn, checkLines(fn, lines));
  return runAsync(appendLinesTask(fn, p, joined));
}

/**
 * Synchronous twin of {@linkcode appendLines}.
 *
 * @param path The file to append to.
 * @param lines The lines, without line ends.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or line.
 *
 * @example Usage
 * ```ts
 * import { appendLinesSync, readLinesSync } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "a\r\n");
 * appendLinesSync(`${dir}/a.txt`, ["b"]);
 * assertEquals(readLinesSync(`${dir}/a.txt`), ["a", "b"]);
 * assertEquals(Deno.readTextFileSync(`${dir}/a.txt`), "a\r\nb\n");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @tags allow-read, allow-write
 */
export function appendLinesSync(
  path: string | URL,
  lines: Iterable<string>,
): void {
  const fn = "appendLinesSync";
  const p = toPathString(fn, "path", path);
  const joined = joinLines(fn, checkLines(fn, lines));
  runSync(appendLinesTask(fn, p, joined));
}

/**
 * Reads a text file as lines: `[]` for an empty file, otherwise
 * `readFile(path).split("\n")`.
 *
 * @param path The file to read.
 * @returns The lines, without their line ends.
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED`, `DECODE_FAIL`, or `READ_TRUNCATED` for a text longer than one string.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { readLines } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x\r\n\ny");
 * assertEquals(await readLines(`${dir}/a.txt`), ["x", "", "y"]);
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
 * @throws {StdfsError} `OPEN_FAIL`, `NOT_WIRED`, `DECODE_FAIL`, or `READ_TRUNCATED` for a text longer than one string.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { readLinesSync } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "");
 * assertEquals(readLinesSync(`${dir}/a.txt`), []);
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await writeLines(`${dir}/a.txt`, ["x", "", "y"]);
 * assertEquals(await Deno.readTextFile(`${dir}/a.txt`), "x\n\ny\n");
 * assertEquals(await readLines(`${dir}/a.txt`), ["x", "", "y"]);
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
  const bytes = linesBytes(joinLines(fn, checkLines(fn, lines)));
  return runWrite(writeTask(fn, p, bytes, checkWriteOptions(fn, opts)), bytes);
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
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * assertThrows(() => writeLinesSync(`${dir}/a.txt`, ["a\r"]), TypeError);
 * writeLinesSync(`${dir}/a.txt`, ["a"], { atomic: true });
 * assertEquals(Deno.readTextFileSync(`${dir}/a.txt`), "a\n");
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
  const bytes = linesBytes(joinLines(fn, checkLines(fn, lines)));
  runWriteSync(writeTask(fn, p, bytes, checkWriteOptions(fn, opts)), bytes);
}

/**
 * Iterates over a text file's lines as {@linkcode readLines} splits them,
 * reading 256 KiB at a time, so memory stays bounded by the longest line
 * whatever the file's size.
 *
 * The path is checked at once; the file is opened on the first `next()`, so
 * `OPEN_FAIL` and the other errors surface from the iteration (`DECODE_FAIL`
 * once the invalid bytes are reached; `READ_TRUNCATED` for a single line
 * longer than one string can hold). Leaving the loop early closes the file.
 *
 * @param path The file to read.
 * @returns An async iterator over the lines.
 * @throws {TypeError} When `path` is not a string or file URL.
 *
 * @example Usage
 * ```ts
 * import { lines } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x\r\ny\n");
 * const seen: string[] = [];
 * for await (const line of lines(`${dir}/a.txt`)) seen.push(line);
 * assertEquals(seen, ["x", "y"]);
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/a.txt`, "x\ny");
 * assertEquals([...linesSync(`${dir}/a.txt`)], ["x", "y"]);
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
 * import { readBytes, StdfsError } from "@tempkit/tempkit/stdfs";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/a.bin`, new Uint8Array([1, 2, 3]));
 * assertEquals(await readBytes(`${dir}/a.bin`), new Uint8Array([1, 2, 3]));
 * const err = await assertRejects(() => readBytes(`${dir}/a.bin`, { maxBytes: 2 }), StdfsError);
 * assertEquals(err.code, "READ_TRUNCATED");
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.writeFileSync(`${dir}/a.bin`, new Uint8Array([0xff, 0]));
 * assertEquals(readBytesSync(`${dir}/a.bin`, { maxBytes: 2 }), new Uint8Array([0xff, 0]));
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await writeBytes(`${dir}/a.bin`, new Uint8Array([0xef, 0xbb, 0xbf]), { atomic: true });
 * assertEquals((await Deno.stat(`${dir}/a.bin`)).size, 3);
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
  const bytes = checkBytes(fn, data);
  return runAsync(writeTask(fn, p, bytes, checkWriteOptions(fn, opts)));
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * writeBytesSync(`${dir}/a.bin`, new Uint8Array([1]));
 * assertEquals(Deno.readFileSync(`${dir}/a.bin`), new Uint8Array([1]));
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
  const bytes = checkBytes(fn, data);
  runSync(writeTask(fn, p, bytes, checkWriteOptions(fn, opts)));
}

/**
 * Appends bytes, unchanged, creating the file when missing, with one
 * `O_APPEND` open and one write per call (resumed only after a short
 * write), under the file's exclusive `flock(2)` lock, which {@linkcode append}
 * and {@linkcode appendLines} hold too: records appended by concurrent
 * processes never overwrite or split each other on a local file system,
 * whether they come from this function, the other two, or another program
 * writing with `O_APPEND`. A failed write (a full disk) is cut off again,
 * leaving the file as it was. Needs write permission only. (A lock the
 * caller holds on the file through another handle makes the call wait.)
 *
 * @param path The file to append to.
 * @param data The bytes.
 * @throws {StdfsError} `OPEN_FAIL` or `NOT_WIRED`.
 * @throws {TypeError} For a bad `path` or `data`.
 *
 * @example Usage
 * ```ts
 * import { appendBytes } from "@tempkit/tempkit/stdfs";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await appendBytes(`${dir}/a.bin`, new Uint8Array([1]));
 * await appendBytes(`${dir}/a.bin`, new Uint8Array([2]));
 * assertEquals(await Deno.readFile(`${dir}/a.bin`), new Uint8Array([1, 2]));
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * appendBytesSync(`${dir}/a.bin`, new Uint8Array([7]));
 * assertEquals(Deno.statSync(`${dir}/a.bin`).size, 1);
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
 * Never cached. (Not `@std/fs`'s `exists`, which answers `true` when a
 * directory on the way cannot be searched and throws for `"f/x"`: this one
 * is `false` only for a path that is not there, and throws for anything it
 * cannot tell.) `false` only when the path is not found: `ENOENT`, or
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * assertEquals(await exists(dir), true);
 * assertEquals(await exists(`${dir}/nothing`), false);
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * Deno.symlinkSync(`${dir}/gone`, `${dir}/link`);
 * assertEquals(existsSync(`${dir}/link`), false);
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "abc");
 * assertEquals(await size(`${dir}/a.txt`), 3);
 * assertEquals(await size(`${dir}/b.txt`), -1);
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
 * import { assertEquals } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * assertEquals(sizeSync(`${dir}/none`), -1);
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
 * import { remove, StdfsError } from "@tempkit/tempkit/stdfs";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "x");
 * const err = await assertRejects(() => remove(dir), StdfsError);
 * assertEquals(err.code, "REMOVE_FAIL");
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
 * import { assertThrows } from "@std/assert";
 *
 * const dir = Deno.makeTempDirSync();
 * removeSync(dir);
 * removeSync(dir);
 * assertThrows(() => Deno.statSync(dir), Deno.errors.NotFound);
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
 * import { assertEquals } from "@std/assert";
 *
 * const expected =
 *   (await Deno.permissions.query({ name: "read", path: "." })).state === "granted" &&
 *   (await Deno.permissions.query({ name: "write", path: "." })).state === "granted";
 * assertEquals(available(), expected);
 * ```
 */
export function available(path: string | URL = "."): boolean {
  const p = toPathString("available", "path", path);
  return isGranted("read", p) && isGranted("write", p);
}
