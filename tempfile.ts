/**
 * Python's `tempfile` for Deno: secure temporary files and directories, with
 * handles that clean up through `using` / `await using`.
 *
 * - {@linkcode gettempdir} finds the directory for temporary files the way
 *   CPython does, without ever triggering a permission prompt.
 * - {@linkcode mkstemp} / {@linkcode mkdtemp} create a file (mode `0o600`) or
 *   a directory (mode `0o700`) under a fresh random name and return its
 *   absolute path; the caller removes it.
 * - {@linkcode NamedTemporaryFile} / {@linkcode TemporaryDirectory} are
 *   handles that remove what they created when disposed;
 *   {@linkcode TemporaryFile} is an anonymous file (removed from its
 *   directory at once) and {@linkcode SpooledTemporaryFile} one that stays
 *   in memory until it grows past a size.
 * - {@linkcode cleanupOnSignals} makes Ctrl-C (and `SIGTERM`, `SIGHUP`)
 *   remove what the handles still hold, as Python's `with` does when
 *   `KeyboardInterrupt` unwinds.
 *
 * Names are `prefix + 16 lowercase hex characters + suffix`, the hex being 8
 * fresh bytes from `crypto.getRandomValues` for every attempt. Creation is
 * exclusive (`O_CREAT | O_EXCL`, `mkdir(2)`), so an existing file, directory
 * or symlink at the chosen name (even a dangling one planted by another user)
 * is never opened or followed: the name is retried, 10 attempts in all, and
 * then a `Deno.errors.AlreadyExists` names the directory and the count. Every
 * other failure is thrown at once, as an error of the same class whose
 * message names the function and the directory.
 *
 * Modes (option `mode`, default `0o600` for files and `0o700` for
 * directories, as Rust's `Builder::permissions`) are passed to the system
 * call and so, as in CPython and in `Deno.makeTempFile`, the process umask
 * applies: it can only remove bits (umask `0o277` gives a `0o400` file),
 * never add any. Nothing is widened afterwards with `chmod`.
 *
 * Permissions: creating needs `--allow-write` for the directory (and the
 * handles whose file is open for reading too, `--allow-read`). These are
 * checked with `Deno.permissions.querySync` before anything is created, and
 * a missing grant is thrown at once as a `Deno.errors.NotCapable` whose
 * message names the flag to add (for example `--allow-write=/tmp`); nothing
 * prompts, since a prompt would ask about one random name, and a "yes" would
 * cover only that name. For the same reason a missing read grant on a
 * directory a TemporaryDirectory made names the scope already granted for
 * writing (`--allow-read=/tmp`), not the random name. A denial the query did
 * not foresee is thrown the same way, with Deno's own error as its `cause`.
 *
 * Cleanup at exit: a handle still armed (not dropped, kept or persisted) is
 * removed at the `unload` event. Deno dispatches `unload` when the program
 * ends normally and when it calls `Deno.exit()`, but not when it dies of an
 * uncaught exception or unhandled rejection, nor on a signal such as
 * `SIGINT`; there, what a `using` block has already disposed is gone and
 * anything else stays on disk (CPython, by contrast, cleans up after an
 * uncaught exception too). So prefer `using`: disposal runs as an exception
 * leaves the block, before the process dies; and call
 * {@linkcode cleanupOnSignals} for Ctrl-C.
 *
 * The `mktemp` command line built on this module is `cli/mktemp.ts`
 * (`deno run jsr:@tempkit/tempkit/cli/mktemp`).
 *
 * @example A scratch directory for one block of a script or test
 * ```ts
 * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
 * import { assertThrows } from "@std/assert";
 *
 * let kept: string;
 * {
 *   using tmp = new TemporaryDirectory({ prefix: "build-" });
 *   Deno.writeTextFileSync(`${tmp.path}/out.txt`, "hello");
 *   kept = tmp.path;
 * } // removed here, with everything inside
 * assertThrows(() => Deno.statSync(kept), Deno.errors.NotFound);
 * ```
 *
 * @module
 */

import { isAbsolute } from "@std/path/is-absolute";
import { io, perform, runAsync, runSync, type Task } from "./_io.ts";
import {
  type Created,
  createNew,
  explain,
  grantedDir,
  newDir,
  newFile,
  newOpenFile,
  notGranted,
  type Target,
} from "./_create.ts";
import {
  assertString,
  booleanOption,
  describe,
  modeOption,
  optionBag,
  toPathString,
} from "./_args.ts";
import {
  errorClass,
  grantedEnv,
  isGranted,
  isSandboxDenial,
  osReason,
  permissionMessage,
} from "./_permissions.ts";
import {
  closeFile,
  dropAllArmed,
  FileRelease,
  Lifecycle,
  type Release,
  removeFile,
} from "./_handle.ts";
import { type Identity, identityOf, removeTree } from "./_rmtree.ts";
import { MemoryFile } from "./_memfile.ts";
import { basename, dirname, join } from "./path.ts";

/**
 * Options of {@linkcode mkstemp} and {@linkcode mkstempSync}, and the name
 * and mode options every file-making function here shares.
 *
 * @example
 * ```ts
 * import { mkstempSync, type TempFileOptions } from "@tempkit/tempkit/tempfile";
 * import { assertMatch } from "@std/assert";
 *
 * const options: TempFileOptions = { prefix: "report-", suffix: ".csv" };
 * const path = mkstempSync(options);
 * assertMatch(path, /\/report-[0-9a-f]{16}\.csv$/);
 * Deno.removeSync(path);
 * ```
 */
export interface TempFileOptions {
  /**
   * The directory to create in: a path or a file URL; a relative path is
   * taken from the current directory. Default: {@linkcode gettempdir}.
   */
  dir?: string | URL;
  /** Text before the random part; no `/`, `\` or NUL. Default `"tmp"`. */
  prefix?: string;
  /** Text after the random part, such as `".json"`; no `/`, `\` or NUL. Default `""`. */
  suffix?: string;
  /**
   * Permission bits of the new file, `0` to `0o7777`, less the umask.
   * Default `0o600`.
   */
  mode?: number;
}

/**
 * Options of {@linkcode mkdtemp} and {@linkcode mkdtempSync}: the same as for
 * files, but `mode` defaults to `0o700`.
 *
 * @example
 * ```ts
 * import { mkdtempSync, type TempDirOptions } from "@tempkit/tempkit/tempfile";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * const options: TempDirOptions = { prefix: "cache-", mode: 0o750 };
 * const dir = mkdtempSync(options);
 * assertMatch(dir, /\/cache-[0-9a-f]{16}$/);
 * assertEquals(Deno.statSync(dir).mode! & 0o007, 0);
 * Deno.removeSync(dir);
 * ```
 */
export interface TempDirOptions {
  /** As for files: see {@linkcode TempFileOptions.dir}. */
  dir?: string | URL;
  /** Text before the random part; no `/`, `\` or NUL. Default `"tmp"`. */
  prefix?: string;
  /** Text after the random part; no `/`, `\` or NUL. Default `""`. */
  suffix?: string;
  /**
   * Permission bits of the new directory, `0` to `0o7777`, less the umask.
   * Default `0o700`.
   */
  mode?: number;
}

/**
 * Options of {@linkcode NamedTemporaryFile}.
 *
 * @example
 * ```ts
 * import {
 *   NamedTemporaryFile,
 *   type NamedTemporaryFileOptions,
 * } from "@tempkit/tempkit/tempfile";
 * import { assert } from "@std/assert";
 *
 * const options: NamedTemporaryFileOptions = { suffix: ".log", delete: false };
 * let path: string;
 * {
 *   using tmp = new NamedTemporaryFile(options);
 *   path = tmp.path;
 * } // closed here, but not removed
 * assert(Deno.statSync(path).isFile);
 * Deno.removeSync(path);
 * ```
 */
export interface NamedTemporaryFileOptions extends TempFileOptions {
  /**
   * Remove the file when the handle is dropped or disposed. Default `true`.
   * With `false` the file is still open until `drop()` or disposal closes
   * it, as with CPython's `delete=False`: close the handle (`using`, or
   * `drop()`) or its descriptor leaks.
   */
  delete?: boolean;
}

/**
 * Options of {@linkcode NamedTemporaryFile.prototype.persist}.
 *
 * @example
 * ```ts
 * import { NamedTemporaryFile, type PersistOptions } from "@tempkit/tempkit/tempfile";
 * import { assertThrows } from "@std/assert";
 *
 * using tmp = new NamedTemporaryFile();
 * const options: PersistOptions = { overwrite: false };
 * assertThrows(() => tmp.persist(tmp.path, options), Deno.errors.AlreadyExists);
 * ```
 */
export interface PersistOptions {
  /**
   * Replace a file already at the target, as `rename(2)` does. Default
   * `true`. With `false` an existing target is never replaced, not even by
   * a race: the file is hard-linked to the target (`link(2)` fails when
   * the name exists) and then unlinked from its temporary name, as Rust's
   * `persist_noclobber` does.
   */
  overwrite?: boolean;
}

/**
 * Options of {@linkcode TemporaryFile}: name and mode, as for
 * {@linkcode mkstemp} (the name is seen only until the file is unlinked,
 * which happens as soon as it is created).
 *
 * @example
 * ```ts
 * import { TemporaryFile, type TemporaryFileOptions } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * const options: TemporaryFileOptions = { prefix: "scratch-" };
 * using tmp = new TemporaryFile(options);
 * assertEquals(tmp.file.writeSync(new Uint8Array([1, 2, 3])), 3);
 * ```
 */
export type TemporaryFileOptions = TempFileOptions;

/**
 * Options of {@linkcode SpooledTemporaryFile}.
 *
 * @example
 * ```ts
 * import {
 *   SpooledTemporaryFile,
 *   type SpooledTemporaryFileOptions,
 * } from "@tempkit/tempkit/tempfile";
 * import { assert } from "@std/assert";
 *
 * const options: SpooledTemporaryFileOptions = { maxSize: 1 << 20 };
 * using spool = new SpooledTemporaryFile(options);
 * spool.writeSync(new Uint8Array(1024));
 * assert(!spool.rolledOver);
 * ```
 */
export interface SpooledTemporaryFileOptions extends TemporaryFileOptions {
  /**
   * The most bytes kept in memory: the file moves to a
   * {@linkcode TemporaryFile} when it would grow past them. `0` (the
   * default, as in CPython) means never.
   */
  maxSize?: number;
}

/**
 * Options of {@linkcode TemporaryDirectory}.
 *
 * @example
 * ```ts
 * import {
 *   TemporaryDirectory,
 *   type TemporaryDirectoryOptions,
 * } from "@tempkit/tempkit/tempfile";
 * import { assertThrows } from "@std/assert";
 *
 * const options: TemporaryDirectoryOptions = { prefix: "job-", ignoreCleanupErrors: true };
 * let path: string;
 * {
 *   using dir = new TemporaryDirectory(options);
 *   path = dir.path;
 * }
 * assertThrows(() => Deno.statSync(path), Deno.errors.NotFound);
 * ```
 */
export interface TemporaryDirectoryOptions extends TempDirOptions {
  /** Remove the directory when the handle is dropped or disposed. Default `true`. */
  delete?: boolean;
  /** Swallow errors while removing the directory. Default `false`. */
  ignoreCleanupErrors?: boolean;
}

const TEMPLATE_PREFIX = "tmp";
const IS_WINDOWS = Deno.build.os === "windows";

// ---------------------------------------------------------------------------
// Options

const NAME_OPTIONS = ["dir", "prefix", "suffix", "mode"] as const;
const FILE_OPTIONS = [...NAME_OPTIONS, "delete"] as const;
const DIR_OPTIONS = [...FILE_OPTIONS, "ignoreCleanupErrors"] as const;
const SPOOL_OPTIONS = [...NAME_OPTIONS, "maxSize"] as const;
/** CPython keywords with no option of their own here. */
const HANDLE_HINTS = {
  delete_on_close:
    "the file is removed when the handle is dropped or disposed, not when the file is closed",
};
const ANONYMOUS_HINTS = {
  ...HANDLE_HINTS,
  delete:
    "an anonymous file has no name to keep; use NamedTemporaryFile for one",
};

/** What a creating function was asked for, every option checked. */
interface Request {
  fn: string;
  /** The directory, absolute; `undefined` for {@linkcode gettempdir}'s. */
  dir: string | undefined;
  prefix: string;
  suffix: string;
  mode: number | undefined;
  options: Record<string, unknown>;
}

/** Checks the options, all of them, before any I/O. */
function request(
  fn: string,
  options: unknown,
  known: readonly string[],
  hints?: Readonly<Record<string, string>>,
): Request {
  const opts = optionBag(fn, options, known, hints);
  return {
    fn,
    prefix: namePart(fn, "prefix", opts.prefix, TEMPLATE_PREFIX),
    suffix: namePart(fn, "suffix", opts.suffix, ""),
    mode: opts.mode === undefined ? undefined : modeOption(fn, opts.mode, 0),
    dir: opts.dir === undefined
      ? undefined
      : absolute(toPathString(fn, "options.dir", opts.dir)),
    options: opts,
  };
}

/** Where a request creates: its directory, or the default one. */
function targetOf(r: Request): Target {
  const dir = r.dir ?? tempDir(r.fn);
  return { fn: r.fn, dir, prefix: r.prefix, suffix: r.suffix };
}

function namePart(
  fn: string,
  name: string,
  value: unknown,
  fallback: string,
): string {
  if (value === undefined) return fallback;
  assertString(fn, `options.${name}`, value);
  for (const c of value) {
    if (c === "/" || c === "\\" || c === "\0") {
      throw new TypeError(
        `${fn}: options.${name} must not contain "/", "\\" or NUL, got ${
          JSON.stringify(value)
        }`,
      );
    }
  }
  return value;
}

/** `path` made absolute against the current directory, trailing slashes dropped. */
function absolute(path: string): string {
  let end = path.length;
  while (end > 1 && (path[end - 1] === "/" || path[end - 1] === "\\")) end--;
  if (end < path.length) path = path.slice(0, end);
  if (isAbsolute(path)) return path;
  const cwd = Deno.cwd();
  return path === "." ? cwd : join(cwd, path);
}

/**
 * A failure to create in `t.dir`, as an error of the same class naming the
 * function and the directory (Deno's own message names only the random
 * path, when it names one); errors that already say so pass as they are.
 */
function located(t: Target, what: string, err: unknown): unknown {
  if (!(err instanceof Error) || err.message.startsWith(`${t.fn}: `)) {
    return err;
  }
  if (isSandboxDenial(err)) return err;
  const Kind = errorClass(err);
  return new Kind(
    `${t.fn}: cannot create ${what} in "${t.dir}": ${osReason(err)}`,
    { cause: err },
  );
}

/** Runs a creation task, its failures {@linkcode located}. */
function createSync<T>(t: Target, what: string, task: Task<T>): T {
  try {
    return runSync(task);
  } catch (err) {
    throw located(t, what, err);
  }
}

/** {@linkcode createSync}, without blocking. */
async function createAsync<T>(
  t: Target,
  what: string,
  task: Task<T>,
): Promise<T> {
  try {
    return await runAsync(task);
  } catch (err) {
    throw located(t, what, err);
  }
}

// ---------------------------------------------------------------------------
// gettempdir

let cachedTempDir: string | undefined;

/** CPython's `_candidate_tempdir_list`, minus what we may not read. */
function candidateTempDirs(): string[] {
  const dirs: string[] = [];
  for (const name of ["TMPDIR", "TEMP", "TMP"]) {
    const value = grantedEnv(name);
    if (value) dirs.push(value);
  }
  if (IS_WINDOWS) {
    const home = grantedEnv("USERPROFILE");
    if (home) dirs.push(`${home}\\AppData\\Local\\Temp`);
    const root = grantedEnv("SYSTEMROOT");
    if (root) dirs.push(`${root}\\Temp`);
    dirs.push("c:\\temp", "c:\\tmp", "\\temp", "\\tmp");
  } else {
    dirs.push("/tmp", "/var/tmp", "/usr/tmp");
  }
  try {
    dirs.push(Deno.cwd());
  } catch {
    // No current directory (removed, or not readable): one candidate fewer.
  }
  return dirs;
}

/** True when a file can be created and removed in `dir`. */
function probe(dir: string): boolean {
  const t: Target = { fn: "gettempdir", dir, prefix: "tmp", suffix: "" };
  try {
    const { path } = runSync(createNew(t, newFile));
    Deno.removeSync(path);
    return true;
  } catch {
    return false;
  }
}

function findTempDir(fn: string): string {
  const tried: string[] = [];
  let ungranted: string | undefined;
  for (const candidate of candidateTempDirs()) {
    let dir: string;
    try {
      dir = absolute(candidate);
    } catch {
      continue;
    }
    tried.push(dir);
    // Probing where write access is not yet granted would prompt.
    if (!isGranted("write", dir)) ungranted ??= dir;
    else if (probe(dir)) return dir;
  }
  const env = isGranted("env", "TMPDIR")
    ? ""
    : "; TMPDIR counts only with --allow-env=TMPDIR";
  const why = `no usable temporary directory among ${tried.join(", ")}${env}`;
  if (ungranted !== undefined) {
    throw new Deno.errors.NotCapable(
      permissionMessage({ fn, kind: "write", target: ungranted, why }),
    );
  }
  throw new Deno.errors.NotFound(
    `${fn}: ${why}; each one that is granted failed a probe file`,
  );
}

/** {@linkcode gettempdir}, its errors naming `fn`. */
function tempDir(fn: string): string {
  cachedTempDir ??= findTempDir(fn);
  return cachedTempDir;
}

/**
 * Returns the directory used for temporary files by default, as CPython's
 * `tempfile.gettempdir()` chooses it: the first of `$TMPDIR`, `$TEMP`,
 * `$TMP`, then `/tmp`, `/var/tmp`, `/usr/tmp` (on Windows:
 * `%USERPROFILE%\AppData\Local\Temp`, `%SYSTEMROOT%\Temp`, `c:\temp`,
 * `c:\tmp`, `\temp`, `\tmp`), then the current directory, where a probe file
 * can be created and removed.
 *
 * It never prompts: an environment variable is read only when
 * `--allow-env` already covers it (else it is skipped, as if unset), and a
 * directory is probed only when `--allow-write` already covers it. The
 * answer is absolute (trailing slashes dropped; `.` and `..` are kept, as
 * collapsing them is wrong where a component is a symlink) and is cached for
 * the life of the process, as in CPython.
 *
 * @returns The absolute path of the temporary directory.
 * @throws {Deno.errors.NotCapable} When no candidate is usable and one was
 * skipped for want of a write grant: the message names the first such
 * directory and its flag, lists the candidates, and (unless env access is
 * granted already) says that `TMPDIR` counts only with
 * `--allow-env=TMPDIR`.
 * @throws {Deno.errors.NotFound} When every candidate was granted and none
 * could take a probe file.
 *
 * @example Usage
 * ```ts
 * import { gettempdir } from "@tempkit/tempkit/tempfile";
 * import { assert } from "@std/assert";
 *
 * const dir = gettempdir(); // e.g. "/tmp"
 * assert(Deno.statSync(dir).isDirectory);
 * ```
 *
 * @tags allow-env, allow-write
 */
export function gettempdir(): string {
  return tempDir("gettempdir");
}

/**
 * Returns the default prefix of temporary names, `"tmp"`, as CPython's
 * `tempfile.gettempprefix()` does.
 *
 * @returns `"tmp"`.
 *
 * @example Usage
 * ```ts
 * import { gettempprefix } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(gettempprefix(), "tmp");
 * ```
 */
export function gettempprefix(): string {
  return TEMPLATE_PREFIX;
}

// ---------------------------------------------------------------------------
// mkstemp / mkdtemp

/**
 * Creates a new, empty file with mode `0o600` (or `options.mode`; less the
 * umask) under a random name in `options.dir` and returns its absolute path.
 * The file is created exclusively: an existing file or symlink at the name
 * is never opened or followed; the name is retried, 10 attempts in all.
 *
 * Unlike CPython's `mkstemp`, which returns an open descriptor too, only the
 * path is returned (the file is closed); removing it is up to the caller.
 * For a handle that removes itself, see {@linkcode NamedTemporaryFile}.
 *
 * @param options Directory, prefix, suffix and mode.
 * @returns The absolute path of the new file.
 * @throws {TypeError} When an option is unknown or has the wrong type, or
 * `prefix` or `suffix` contains `/`, `\` or NUL.
 * @throws {RangeError} When `mode` is outside `0..0o7777`.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkstemp } from "@tempkit/tempkit/tempfile";
 * import { assertMatch } from "@std/assert";
 *
 * const path = await mkstemp({ prefix: "report-", suffix: ".csv" });
 * assertMatch(path, /\/report-[0-9a-f]{16}\.csv$/);
 * await Deno.remove(path);
 * ```
 *
 * @tags allow-write, allow-env
 */
export async function mkstemp(options?: TempFileOptions): Promise<string> {
  const r = request("mkstemp", options, NAME_OPTIONS);
  const t = targetOf(r);
  return (await createAsync(t, "a file", createNew(t, newFile, r))).path;
}

/**
 * Synchronous twin of {@linkcode mkstemp}: creates a new, empty file with
 * mode `0o600` (or `options.mode`) under a random name and returns its
 * absolute path.
 *
 * @param options Directory, prefix, suffix and mode.
 * @returns The absolute path of the new file.
 * @throws {TypeError} When an option is unknown or has the wrong type, or
 * `prefix` or `suffix` contains `/`, `\` or NUL.
 * @throws {RangeError} When `mode` is outside `0..0o7777`.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkstempSync } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * const path = mkstempSync({ suffix: ".json", mode: 0o640 });
 * assertEquals(Deno.statSync(path).size, 0);
 * Deno.removeSync(path);
 * ```
 *
 * @tags allow-write, allow-env
 */
export function mkstempSync(options?: TempFileOptions): string {
  const r = request("mkstempSync", options, NAME_OPTIONS);
  const t = targetOf(r);
  return createSync(t, "a file", createNew(t, newFile, r)).path;
}

/**
 * Creates a new directory with mode `0o700` (or `options.mode`; less the
 * umask) under a random name in `options.dir` and returns its absolute path,
 * as CPython's `tempfile.mkdtemp` does. Removing it is up to the caller; for
 * a handle that removes itself, see {@linkcode TemporaryDirectory}.
 *
 * @param options Directory, prefix, suffix and mode.
 * @returns The absolute path of the new directory.
 * @throws {TypeError} When an option is unknown or has the wrong type, or
 * `prefix` or `suffix` contains `/`, `\` or NUL.
 * @throws {RangeError} When `mode` is outside `0..0o7777`.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkdtemp } from "@tempkit/tempkit/tempfile";
 * import { assert } from "@std/assert";
 *
 * const dir = await mkdtemp({ prefix: "cache-" });
 * assert((await Deno.stat(dir)).isDirectory);
 * await Deno.remove(dir);
 * ```
 *
 * @tags allow-write, allow-env
 */
export async function mkdtemp(options?: TempDirOptions): Promise<string> {
  const r = request("mkdtemp", options, NAME_OPTIONS);
  const t = targetOf(r);
  return (await createAsync(t, "a directory", createNew(t, newDir, r))).path;
}

/**
 * Synchronous twin of {@linkcode mkdtemp}: creates a new directory with mode
 * `0o700` (or `options.mode`) under a random name and returns its absolute
 * path.
 *
 * @param options Directory, prefix, suffix and mode.
 * @returns The absolute path of the new directory.
 * @throws {TypeError} When an option is unknown or has the wrong type, or
 * `prefix` or `suffix` contains `/`, `\` or NUL.
 * @throws {RangeError} When `mode` is outside `0..0o7777`.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkdtempSync } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * const dir = mkdtempSync();
 * assertEquals(Deno.statSync(dir).mode! & 0o077, 0); // owner only
 * Deno.removeSync(dir);
 * ```
 *
 * @tags allow-write, allow-env
 */
export function mkdtempSync(options?: TempDirOptions): string {
  const r = request("mkdtempSync", options, NAME_OPTIONS);
  const t = targetOf(r);
  return createSync(t, "a directory", createNew(t, newDir, r)).path;
}

// ---------------------------------------------------------------------------
// Handles: what `create()` made is handed to the constructor in a `Made`,
// which nothing outside this module can build.

class Made<T> {
  constructor(readonly value: T) {}
}

/** What `create()` made, when the constructor was called by it. */
function adopted<T>(options: unknown): T | undefined {
  return options instanceof Made ? options.value as T : undefined;
}

/** An error for using a handle that was dropped (or persisted). */
function closedError(fn: string, why: string): Deno.errors.BadResource {
  return new Deno.errors.BadResource(`${fn}: ${why}`);
}

/**
 * Removes armed handles when the process gets one of `signals`, then exits
 * with the signal's conventional status (`SIGINT` 130, `SIGTERM` 143,
 * `SIGHUP` 129: 128 plus the signal's number).
 *
 * Deno ends a process on `SIGINT` or `SIGTERM` without unwinding it, so
 * neither `using` blocks nor the `unload` event run, and every temporary
 * file and directory still open stays on disk (Python's `with` does clean
 * up, as `KeyboardInterrupt` unwinds). This opts in to cleaning up there
 * too. It is opt-in because a signal listener replaces Deno's default action
 * for that signal: the process no longer ends on it by itself, but here,
 * right after the cleanup, which cuts short any graceful shutdown of the
 * program's own on the same signal. Dispose of the returned value to remove
 * the listeners again.
 *
 * @param signals The signals to listen for. Default `SIGINT`, `SIGTERM` and
 * `SIGHUP` (on Windows, where Deno listens only for `SIGINT` and `SIGBREAK`:
 * those two).
 * @returns A `Disposable` that removes the listeners.
 * @throws {TypeError} When `signals` is not an array of signal names this
 * function knows (signals that end a process by default).
 *
 * @example In a script
 * ```ts
 * import { cleanupOnSignals, TemporaryDirectory } from "@tempkit/tempkit/tempfile";
 *
 * using _signals = cleanupOnSignals(); // Ctrl-C now removes `work` too
 * using work = new TemporaryDirectory();
 * await Deno.writeTextFile(`${work.path}/input.txt`, "data");
 * ```
 *
 * @tags allow-read, allow-write
 */
export function cleanupOnSignals(signals?: readonly Deno.Signal[]): Disposable {
  const fn = "cleanupOnSignals";
  const chosen = signals ?? DEFAULT_SIGNALS;
  if (!Array.isArray(chosen)) {
    throw new TypeError(
      `${fn}: signals must be an array of signal names, got ${
        describe(chosen)
      }`,
    );
  }
  const listeners: [Deno.Signal, () => void][] = [];
  for (const signal of chosen) {
    const number = typeof signal === "string"
      ? SIGNAL_NUMBERS[signal as Deno.Signal]
      : undefined;
    if (number === undefined) {
      throw new TypeError(
        `${fn}: ${
          JSON.stringify(signal)
        } is not a signal it handles (signals that end a process: ${
          Object.keys(SIGNAL_NUMBERS).join(", ")
        })`,
      );
    }
    listeners.push([signal, () => {
      dropAllArmed();
      Deno.exit(128 + number);
    }]);
  }
  for (const [signal, listener] of listeners) {
    Deno.addSignalListener(signal, listener);
  }
  let active = true;
  return {
    [Symbol.dispose]() {
      if (!active) return;
      active = false;
      for (const [signal, listener] of listeners) {
        Deno.removeSignalListener(signal, listener);
      }
    },
  };
}

/** Signals that end a process by default, and their numbers. */
const SIGNAL_NUMBERS: Readonly<Partial<Record<Deno.Signal, number>>> =
  IS_WINDOWS ? { SIGINT: 2, SIGBREAK: 21 } : {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGPIPE: 13,
    SIGALRM: 14,
    SIGTERM: 15,
    ...(Deno.build.os === "linux"
      ? { SIGUSR1: 10, SIGUSR2: 12 }
      : { SIGUSR1: 30, SIGUSR2: 31 }),
  };
const DEFAULT_SIGNALS: readonly Deno.Signal[] = IS_WINDOWS
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGINT", "SIGTERM", "SIGHUP"];

// ---------------------------------------------------------------------------
// NamedTemporaryFile

interface NamedMade {
  path: string;
  file: Deno.FsFile;
  del: boolean;
}

/** A NamedTemporaryFile's creation, as a task, its options checked. */
function named(
  fn: string,
  options: unknown,
): { t: Target; task: Task<Created<Deno.FsFile>>; del: boolean } {
  const r = request(fn, options, FILE_OPTIONS, HANDLE_HINTS);
  const del = booleanOption(fn, "delete", r.options.delete, true);
  const t = targetOf(r);
  const task = createNew(t, newOpenFile, { needsRead: true, mode: r.mode });
  return { t, task, del };
}

function namedSync(options: unknown): NamedMade {
  const { t, task, del } = named("NamedTemporaryFile", options);
  const { path, value } = createSync(t, "a file", task);
  return { path, file: value, del };
}

/**
 * A new file under a random name, open for reading and writing, that is
 * closed and removed when the handle is dropped or disposed: use it with
 * `using` (or `await using`) and it is gone when the block ends, even when
 * the block throws.
 *
 * The file is created as by {@linkcode mkstempSync} (exclusively, mode
 * `0o600` or `options.mode`) and opened for reading and writing, so it needs
 * `--allow-read` and `--allow-write` for the directory.
 * `new NamedTemporaryFile(options)` creates it synchronously;
 * `await NamedTemporaryFile.create(options)` does not block.
 *
 * Cleanup rules: `drop()` and disposal close the file and then, when the
 * handle is still armed (`delete` is `true` and neither `keep()` nor
 * `persist()` was called), remove it. They are idempotent, and a file removed
 * by someone else is fine. An armed handle left alone is removed at the
 * `unload` event (normal end or `Deno.exit()`; not after an uncaught error,
 * see the module documentation) and, after {@linkcode cleanupOnSignals}, on
 * Ctrl-C.
 *
 * @example In a script
 * ```ts
 * import { NamedTemporaryFile } from "@tempkit/tempkit/tempfile";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * let path: string;
 * {
 *   using tmp = new NamedTemporaryFile({ suffix: ".txt" });
 *   path = tmp.path;
 *   await tmp.file.write(new TextEncoder().encode("scratch"));
 *   assertEquals(await Deno.readTextFile(tmp.path), "scratch");
 * }
 * assertThrows(() => Deno.statSync(path), Deno.errors.NotFound);
 * ```
 *
 * @example In a test, keeping the file on success
 * ```ts
 * import { NamedTemporaryFile } from "@tempkit/tempkit/tempfile";
 *
 * await using tmp = await NamedTemporaryFile.create({ prefix: "log-" });
 * await tmp.file.write(new TextEncoder().encode("line\n"));
 * const saved = tmp.keep(); // still closed at the end of the block
 * await Deno.remove(saved);
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export class NamedTemporaryFile implements Disposable, AsyncDisposable {
  /** The absolute path of the file. */
  readonly path: string;
  readonly #file: Deno.FsFile;
  readonly #life: Lifecycle;
  #persistedTo: string | undefined;

  /**
   * Creates the file synchronously.
   *
   * @param options Directory, prefix, suffix, mode and `delete` (default
   * `true`).
   * @throws {TypeError} On a bad or unknown option, as for
   * {@linkcode mkstempSync}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When read or write access to the
   * directory is not granted; the message names the flag.
   */
  constructor(options?: NamedTemporaryFileOptions) {
    const made = adopted<NamedMade>(options) ?? namedSync(options);
    this.path = made.path;
    this.#file = made.file;
    this.#life = new Lifecycle(new FileRelease(made.file, made.path), made.del);
  }

  /**
   * Creates the file without blocking.
   *
   * @param options Directory, prefix, suffix, mode and `delete` (default
   * `true`).
   * @returns The handle.
   * @throws {TypeError} On a bad or unknown option, as for
   * {@linkcode mkstemp}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When read or write access to the
   * directory is not granted; the message names the flag.
   *
   * @example Usage
   * ```ts
   * import { NamedTemporaryFile } from "@tempkit/tempkit/tempfile";
   *
   * await using tmp = await NamedTemporaryFile.create();
   * await tmp.file.write(new Uint8Array([1, 2, 3]));
   * ```
   */
  static async create(
    options?: NamedTemporaryFileOptions,
  ): Promise<NamedTemporaryFile> {
    const { t, task, del } = named("NamedTemporaryFile.create", options);
    const { path, value } = await createAsync(t, "a file", task);
    return new NamedTemporaryFile(
      new Made({ path, file: value, del }) as never,
    );
  }

  /**
   * The file, open for reading and writing until the handle is dropped or
   * persisted; after that, reading this property throws a
   * `Deno.errors.BadResource` that says which.
   */
  get file(): Deno.FsFile {
    if (!this.#life.closed) return this.#file;
    throw closedError(
      "NamedTemporaryFile.file",
      this.#persistedTo === undefined
        ? "the handle was dropped, and its file closed"
        : `the file was closed when it was persisted to "${this.#persistedTo}"; open that path to go on`,
    );
  }

  /**
   * Closes the file and, when the handle is armed, removes it. Idempotent.
   *
   * @throws {Error} When the removal fails for a reason other than the file
   * being gone already (then the handle stays armed).
   *
   * @example Usage
   * ```ts
   * import { NamedTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertThrows } from "@std/assert";
   *
   * const tmp = new NamedTemporaryFile();
   * tmp.drop();
   * tmp.drop(); // nothing left to do
   * assertThrows(() => Deno.statSync(tmp.path), Deno.errors.NotFound);
   * ```
   */
  drop(): void {
    this.#life.drop();
  }

  /**
   * Disarms deletion and returns the path: the file stays on disk. The file
   * remains open until `drop()` or disposal closes it, as with CPython's
   * `delete=False`, so a kept handle must still be dropped or disposed (or
   * its `file` closed), else its descriptor leaks.
   *
   * @returns The absolute path of the file.
   *
   * @example Usage
   * ```ts
   * import { NamedTemporaryFile } from "@tempkit/tempkit/tempfile";
   *
   * let path: string;
   * {
   *   using tmp = new NamedTemporaryFile();
   *   path = tmp.keep();
   * }
   * Deno.removeSync(path); // still there
   * ```
   */
  keep(): string {
    this.#life.disarm();
    return this.path;
  }

  /**
   * Gives the file its final name `target`, closes it and disarms deletion.
   *
   * With `overwrite: true` (the default) the file is renamed over whatever
   * file is at `target`, as `Deno.rename` does. With `overwrite: false` an
   * existing `target` is never replaced: the file is hard-linked to it
   * (`link(2)` fails when the name exists, so no other process can slip a
   * file in between a check and the rename) and then unlinked from its
   * temporary name.
   *
   * On failure the handle is left as it was, open and armed, and the error
   * says what to do: `Deno.errors.AlreadyExists` for an existing target with
   * `overwrite: false`; `Deno.errors.IsADirectory` for a directory target;
   * for a target on another file system (`EXDEV`: a rename cannot cross
   * file systems), an error saying to create the file there (`dir` on the
   * target's file system). A second `persist` (or one after `drop()`)
   * throws a `Deno.errors.BadResource` naming where the file went.
   *
   * `Deno.rename` needs read and write access to the file, which were
   * checked when it was created, and write access to `target` (a hard link,
   * read access too), which is checked first, so a missing grant never
   * prompts: it is thrown, and the file is left open and armed.
   *
   * @param target The new path: a string or a file URL.
   * @param options `overwrite` (default `true`).
   * @returns `target` as a string path.
   * @throws {TypeError} When `target` is not a string or file URL, or an
   * option is unknown or not a boolean.
   * @throws {Deno.errors.AlreadyExists} With `overwrite: false`, when
   * `target` exists.
   * @throws {Deno.errors.NotCapable} When access to `target` is not
   * granted; the message names the flag.
   *
   * @example Write, then publish under the final name
   * ```ts
   * import { NamedTemporaryFile, TemporaryDirectory } from "@tempkit/tempkit/tempfile";
   * import { assertEquals, assertThrows } from "@std/assert";
   *
   * using dir = new TemporaryDirectory();
   * using tmp = new NamedTemporaryFile({ dir: dir.path });
   * tmp.file.writeSync(new TextEncoder().encode("{}"));
   * const final = tmp.persist(`${dir.path}/config.json`, { overwrite: false });
   * assertEquals(Deno.readTextFileSync(final), "{}");
   * assertThrows(() => tmp.persist(final), Deno.errors.BadResource);
   * ```
   */
  persist(target: string | URL, options?: PersistOptions): string {
    const fn = "NamedTemporaryFile.persist";
    const to = toPathString(fn, "target", target);
    const opts = optionBag(fn, options, ["overwrite"]);
    const overwrite = booleanOption(fn, "overwrite", opts.overwrite, true);
    if (this.#persistedTo !== undefined) {
      throw closedError(
        fn,
        `the file was persisted to "${this.#persistedTo}" already; it is no longer a temporary file (rename that path to move it again)`,
      );
    }
    if (this.#life.closed) {
      throw closedError(fn, "the handle was dropped, and its file closed");
    }
    if (!isGranted("write", to)) throw notGranted(fn, "write", to);
    if (!overwrite && !isGranted("read", to)) throw notGranted(fn, "read", to);
    // The file stays open until the rename succeeded, so a failure leaves
    // the handle as it was.
    try {
      if (overwrite) Deno.renameSync(this.path, to);
      else Deno.linkSync(this.path, to);
    } catch (err) {
      throw persistError(fn, this.path, to, err);
    }
    this.#persistedTo = to;
    this.#life.markClosed();
    closeFile(this.#file);
    if (!overwrite) {
      try {
        Deno.removeSync(this.path);
      } catch {
        // Persisted all the same; disposal retries the temporary name.
        return to;
      }
    }
    this.#life.disarm();
    return to;
  }

  /** Same as {@linkcode NamedTemporaryFile.prototype.drop}: for `using`. */
  [Symbol.dispose](): void {
    this.#life.drop();
  }

  /** The asynchronous form of `drop()`: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#life.dropAsync();
  }
}

/** A failed persist, said in terms of what to do about it. */
function persistError(
  fn: string,
  from: string,
  to: string,
  err: unknown,
): unknown {
  if (isSandboxDenial(err)) return explain(fn, to, err);
  if (!(err instanceof Error)) return err;
  const still = `; the file is still open at "${from}"`;
  if (err instanceof Deno.errors.AlreadyExists) {
    return new Deno.errors.AlreadyExists(
      `${fn}: "${to}" already exists, and overwrite: false never replaces it${still}`,
      { cause: err },
    );
  }
  if (err instanceof Deno.errors.IsADirectory) {
    return new Deno.errors.IsADirectory(
      `${fn}: "${to}" is a directory; pass the path of the file to create, such as "${
        join(to, basename(from))
      }"${still}`,
      { cause: err },
    );
  }
  if ((err as { code?: string }).code === "EXDEV") {
    return new Error(
      `${fn}: "${to}" is on another file system than "${from}", and a file cannot be renamed across file systems; create it on the target's file system instead, with { dir: "${
        dirname(to)
      }" }${still}`,
      { cause: err },
    );
  }
  const Kind = errorClass(err);
  return new Kind(
    `${fn}: cannot move "${from}" to "${to}": ${osReason(err)}${still}`,
    { cause: err },
  );
}

// ---------------------------------------------------------------------------
// TemporaryFile

interface AnonymousMade {
  file: Deno.FsFile;
  /** The name still to remove at disposal (Windows only), else `undefined`. */
  path: string | undefined;
}

function anonymousRequest(fn: string, options: unknown): [Target, Request] {
  const r = request(fn, options, NAME_OPTIONS, ANONYMOUS_HINTS);
  return [targetOf(r), r];
}

function anonymousSync(options: unknown): AnonymousMade {
  const [t, r] = anonymousRequest("TemporaryFile", options);
  return createSync(t, "a file", makeAnonymous(t, r.mode));
}

function* makeAnonymous(
  t: Target,
  mode: number | undefined,
): Task<AnonymousMade> {
  const { path, value: file } = yield* createNew(t, newOpenFile, {
    needsRead: true,
    mode,
  });
  if (IS_WINDOWS) return { file, path };
  try {
    yield* perform(io.remove(path));
  } catch (err) {
    closeFile(file);
    try {
      yield* removeFile(path);
    } catch {
      // The unlink's own failure is the one to report.
    }
    throw err;
  }
  return { file, path: undefined };
}

/**
 * An anonymous temporary file, as CPython's `TemporaryFile` and Rust's
 * `tempfile()`: created exclusively (mode `0o600`, the same naming and retry
 * rules as {@linkcode mkstemp}) and at once removed from its directory, so
 * no other process can find it by name and nothing is left behind however
 * the process ends. `file` is open for reading and writing; there is no
 * `path`. Disposal (or `drop()`) closes it, which frees its space.
 *
 * Creating needs `--allow-read` and `--allow-write` for the directory. On
 * Windows, where a file that is open cannot be unlinked, the file keeps its
 * name until disposal removes it (and is removed at `unload`, like the
 * other handles).
 *
 * @example A scratch buffer on disk
 * ```ts
 * import { TemporaryFile } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * using tmp = new TemporaryFile();
 * tmp.file.writeSync(new TextEncoder().encode("scratch"));
 * tmp.file.seekSync(0, Deno.SeekMode.Start);
 * const buf = new Uint8Array(7);
 * tmp.file.readSync(buf);
 * assertEquals(new TextDecoder().decode(buf), "scratch");
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export class TemporaryFile implements Disposable, AsyncDisposable {
  readonly #file: Deno.FsFile;
  readonly #life: Lifecycle;

  /**
   * Creates the file synchronously.
   *
   * @param options Directory, prefix, suffix and mode.
   * @throws {TypeError} On a bad or unknown option, as for
   * {@linkcode mkstempSync}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When read or write access to the
   * directory is not granted; the message names the flag.
   */
  constructor(options?: TemporaryFileOptions) {
    const made = adopted<AnonymousMade>(options) ?? anonymousSync(options);
    this.#file = made.file;
    this.#life = new Lifecycle(
      new FileRelease(made.file, made.path),
      made.path !== undefined,
    );
  }

  /**
   * Creates the file without blocking.
   *
   * @param options Directory, prefix, suffix and mode.
   * @returns The handle.
   * @throws {TypeError} On a bad or unknown option.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When read or write access to the
   * directory is not granted; the message names the flag.
   *
   * @example Usage
   * ```ts
   * import { TemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * await using tmp = await TemporaryFile.create();
   * assertEquals(await tmp.file.write(new Uint8Array(10)), 10);
   * ```
   */
  static async create(options?: TemporaryFileOptions): Promise<TemporaryFile> {
    const [t, r] = anonymousRequest("TemporaryFile.create", options);
    const made = await createAsync(t, "a file", makeAnonymous(t, r.mode));
    return new TemporaryFile(new Made(made) as never);
  }

  /**
   * The file, open for reading and writing until the handle is dropped;
   * after that, reading this property throws a `Deno.errors.BadResource`.
   */
  get file(): Deno.FsFile {
    if (!this.#life.closed) return this.#file;
    throw closedError(
      "TemporaryFile.file",
      "the handle was dropped, and its file closed",
    );
  }

  /**
   * Closes the file (which frees its space). Idempotent.
   *
   * @example Usage
   * ```ts
   * import { TemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertThrows } from "@std/assert";
   *
   * const tmp = new TemporaryFile();
   * tmp.drop();
   * tmp.drop(); // nothing left to do
   * assertThrows(() => tmp.file, Deno.errors.BadResource);
   * ```
   */
  drop(): void {
    this.#life.drop();
  }

  /** Same as {@linkcode TemporaryFile.prototype.drop}: for `using`. */
  [Symbol.dispose](): void {
    this.#life.drop();
  }

  /** The asynchronous form of `drop()`: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#life.dropAsync();
  }
}

// ---------------------------------------------------------------------------
// SpooledTemporaryFile

/** How much a stream of a SpooledTemporaryFile reads at a time. */
const CHUNK = 64 * 1024;

/** A `Uint8Array`, checked by its brand (a Proxy of one is not one). */
function assertBytes(fn: string, value: unknown): asserts value is Uint8Array {
  if (
    !ArrayBuffer.isView(value) ||
    Object.prototype.toString.call(value) !== "[object Uint8Array]"
  ) {
    throw new TypeError(
      `${fn}: p must be a Uint8Array, got ${describe(value)}`,
    );
  }
}

/** A byte count or position: a safe, non-negative integer. */
function sizeArg(fn: string, name: string, value: unknown): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new TypeError(
      `${fn}: ${name} must be an integer, got ${describe(value)}`,
    );
  }
  if (n < 0 || !Number.isSafeInteger(n)) {
    throw new RangeError(
      `${fn}: ${name} must be between 0 and 2^53 - 1, got ${String(value)}`,
    );
  }
  return n;
}

/**
 * A temporary file that stays in memory until it grows past `maxSize`
 * bytes, then moves to an anonymous {@linkcode TemporaryFile}, as CPython's
 * `SpooledTemporaryFile` does: small uploads and buffers never touch the
 * disk, large ones do not fill the memory.
 *
 * It offers the part of `Deno.FsFile` a buffer needs, with the same
 * semantics in memory and on disk: {@linkcode SpooledTemporaryFile.prototype.write | write},
 * `read`, `seek` (with `Deno.SeekMode`), `truncate` (each with its `Sync`
 * twin), `size`, and `readable` / `writable` web streams, so that an upload
 * can be spooled and then piped on. Writing past the end leaves a gap of
 * zeros, reading at the end gives `null`, truncating keeps the position.
 * Bad arguments are a `TypeError` or `RangeError` naming the method (a
 * negative position, a `truncate` length below zero), in memory and on disk
 * alike.
 *
 * The move happens when a write would end past `maxSize` (or `truncate`
 * asks for a length past it), before that write; `rollover()` /
 * `rolloverSync()` force it and `rolledOver` tells whether it happened.
 * `maxSize: 0`, the default, means never (CPython rolls over on a `truncate`
 * past `0` even then; this does not). The options `dir`, `prefix`, `suffix`
 * and `mode` are those of the {@linkcode TemporaryFile}; they are checked at
 * once, but the directory (and its grants, `--allow-read` and
 * `--allow-write`) is only needed at the move.
 *
 * `drop()` or disposal frees the memory or closes the file; after that every
 * method throws a `Deno.errors.BadResource`.
 *
 * @example Spool an upload, then pipe it on
 * ```ts
 * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * await using spool = new SpooledTemporaryFile({ maxSize: 1024 });
 * const upload = ReadableStream.from([new Uint8Array(1000), new Uint8Array(1000)]);
 * await upload.pipeTo(spool.writable);
 * assertEquals([spool.size, spool.rolledOver], [2000, true]);
 * await spool.seek(0, Deno.SeekMode.Start);
 * let total = 0;
 * for await (const chunk of spool.readable) total += chunk.length;
 * assertEquals(total, 2000);
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export class SpooledTemporaryFile implements Disposable, AsyncDisposable {
  readonly #maxSize: number;
  readonly #request: Request;
  #memory: MemoryFile | undefined = new MemoryFile();
  #disk: TemporaryFile | undefined;
  /** Position and size once on disk, kept here so both stay synchronous. */
  #pos = 0;
  #size = 0;
  readonly #life: Lifecycle;

  /**
   * Makes the (empty, in-memory) file; nothing touches the disk yet.
   *
   * @param options `maxSize` (default `0`: never roll over), and the
   * directory, prefix, suffix and mode of the file it rolls over to.
   * @throws {TypeError} On a bad or unknown option.
   * @throws {RangeError} When `maxSize` is negative or `mode` out of range.
   */
  constructor(options?: SpooledTemporaryFileOptions) {
    // `create()` hands over its own name, for the error messages.
    const given = adopted<{ fn: string; options: unknown }>(options);
    const fn = given?.fn ?? "SpooledTemporaryFile";
    const r = request(
      fn,
      given ? given.options : options,
      SPOOL_OPTIONS,
      ANONYMOUS_HINTS,
    );
    this.#maxSize = r.options.maxSize === undefined
      ? 0
      : sizeArg(fn, "options.maxSize", r.options.maxSize);
    this.#request = r;
    this.#life = new Lifecycle({
      close: () => {
        this.#memory = undefined;
        this.#disk?.drop();
      },
    }, false);
  }

  /**
   * The asynchronous constructor, for symmetry with the other handles (it
   * does no I/O either).
   *
   * @param options As for the constructor.
   * @returns The file.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * await using spool = await SpooledTemporaryFile.create({ maxSize: 10 });
   * assertEquals(await spool.write(new Uint8Array(4)), 4);
   * ```
   */
  static async create(
    options?: SpooledTemporaryFileOptions,
  ): Promise<SpooledTemporaryFile> {
    const fn = "SpooledTemporaryFile.create";
    return await new SpooledTemporaryFile(new Made({ fn, options }) as never);
  }

  /** Whether the file moved to disk. */
  get rolledOver(): boolean {
    return this.#disk !== undefined;
  }

  /** The size of the file in bytes. */
  get size(): number {
    this.#live("SpooledTemporaryFile.size");
    return this.#memory?.size ?? this.#size;
  }

  /**
   * Moves the file to disk now, if it is not there yet; the position is
   * kept.
   *
   * @throws {Deno.errors.NotCapable} When read or write access to the
   * directory is not granted.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assert } from "@std/assert";
   *
   * await using spool = new SpooledTemporaryFile();
   * await spool.rollover();
   * assert(spool.rolledOver);
   * ```
   */
  rollover(): Promise<void> {
    return runAsync(this.#rollover("SpooledTemporaryFile.rollover"));
  }

  /**
   * Synchronous twin of {@linkcode SpooledTemporaryFile.prototype.rollover}.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assert } from "@std/assert";
   *
   * using spool = new SpooledTemporaryFile();
   * spool.rolloverSync();
   * assert(spool.rolledOver);
   * ```
   */
  rolloverSync(): void {
    runSync(this.#rollover("SpooledTemporaryFile.rolloverSync"));
  }

  /**
   * Writes `p` at the current position, as `Deno.FsFile.write` does, moving
   * the file to disk first when it would end past `maxSize`.
   *
   * @param p The bytes.
   * @returns How many bytes were written (all of them in memory; on disk,
   * as the system call wrote).
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * await using spool = new SpooledTemporaryFile({ maxSize: 4 });
   * await spool.write(new Uint8Array(4));
   * assertEquals(spool.rolledOver, false);
   * await spool.write(new Uint8Array(1));
   * assertEquals(spool.rolledOver, true);
   * ```
   */
  write(p: Uint8Array): Promise<number> {
    return runAsync(this.#write("SpooledTemporaryFile.write", p));
  }

  /**
   * Synchronous twin of {@linkcode SpooledTemporaryFile.prototype.write}.
   *
   * @param p The bytes.
   * @returns How many bytes were written.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * using spool = new SpooledTemporaryFile();
   * assertEquals(spool.writeSync(new Uint8Array([1, 2, 3])), 3);
   * ```
   */
  writeSync(p: Uint8Array): number {
    return runSync(this.#write("SpooledTemporaryFile.writeSync", p));
  }

  /**
   * Reads into `p` from the current position, as `Deno.FsFile.read` does.
   *
   * @param p Where the bytes go.
   * @returns How many bytes were read, or `null` at the end of the file.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * await using spool = new SpooledTemporaryFile();
   * await spool.write(new Uint8Array([7, 8]));
   * await spool.seek(0, Deno.SeekMode.Start);
   * const buf = new Uint8Array(4);
   * assertEquals(await spool.read(buf), 2);
   * assertEquals(await spool.read(buf), null);
   * ```
   */
  read(p: Uint8Array): Promise<number | null> {
    return runAsync(this.#read("SpooledTemporaryFile.read", p));
  }

  /**
   * Synchronous twin of {@linkcode SpooledTemporaryFile.prototype.read}.
   *
   * @param p Where the bytes go.
   * @returns How many bytes were read, or `null` at the end of the file.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * using spool = new SpooledTemporaryFile();
   * spool.writeSync(new Uint8Array([7, 8]));
   * spool.seekSync(-1, Deno.SeekMode.End);
   * const buf = new Uint8Array(4);
   * assertEquals(spool.readSync(buf), 1);
   * assertEquals(buf[0], 8);
   * ```
   */
  readSync(p: Uint8Array): number | null {
    return runSync(this.#read("SpooledTemporaryFile.readSync", p));
  }

  /**
   * Moves the position to `offset` from the start, the current position or
   * the end, as `Deno.FsFile.seek` does; past the end is fine.
   *
   * @param offset Bytes, as a `number` or `bigint` (safe integers).
   * @param whence `Deno.SeekMode.Start`, `Current` or `End`.
   * @returns The new position from the start.
   * @throws {RangeError} When the new position would be negative.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * await using spool = new SpooledTemporaryFile();
   * await spool.write(new Uint8Array(10));
   * assertEquals(await spool.seek(-4, Deno.SeekMode.End), 6);
   * ```
   */
  seek(offset: number | bigint, whence: Deno.SeekMode): Promise<number> {
    return runAsync(
      this.#seek("SpooledTemporaryFile.seek", offset, whence),
    );
  }

  /**
   * Synchronous twin of {@linkcode SpooledTemporaryFile.prototype.seek}.
   *
   * @param offset Bytes, as a `number` or `bigint` (safe integers).
   * @param whence `Deno.SeekMode.Start`, `Current` or `End`.
   * @returns The new position from the start.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * using spool = new SpooledTemporaryFile();
   * assertEquals(spool.seekSync(100, Deno.SeekMode.Start), 100);
   * assertEquals(spool.size, 0); // seeking alone does not grow the file
   * ```
   */
  seekSync(offset: number | bigint, whence: Deno.SeekMode): number {
    return runSync(
      this.#seek("SpooledTemporaryFile.seekSync", offset, whence),
    );
  }

  /**
   * Cuts the file to `len` bytes, or extends it with zeros, as
   * `Deno.FsFile.truncate` does; the position stays where it is.
   *
   * @param len The new size; default `0`.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * await using spool = new SpooledTemporaryFile();
   * await spool.write(new Uint8Array(10));
   * await spool.truncate(3);
   * assertEquals(spool.size, 3);
   * ```
   */
  truncate(len?: number): Promise<void> {
    return runAsync(this.#truncate("SpooledTemporaryFile.truncate", len));
  }

  /**
   * Synchronous twin of {@linkcode SpooledTemporaryFile.prototype.truncate}.
   *
   * @param len The new size; default `0`.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertEquals } from "@std/assert";
   *
   * using spool = new SpooledTemporaryFile({ maxSize: 8 });
   * spool.truncateSync(16); // past maxSize: on disk from now on
   * assertEquals([spool.size, spool.rolledOver], [16, true]);
   * ```
   */
  truncateSync(len?: number): void {
    runSync(this.#truncate("SpooledTemporaryFile.truncateSync", len));
  }

  /**
   * A stream of the bytes from the current position to the end. Unlike
   * `Deno.FsFile`'s, reaching the end or cancelling it leaves the file open:
   * what was spooled can be read again.
   */
  get readable(): ReadableStream<Uint8Array> {
    this.#live("SpooledTemporaryFile.readable");
    return new ReadableStream({
      type: "bytes",
      autoAllocateChunkSize: CHUNK,
      pull: async (controller) => {
        const request = controller.byobRequest!;
        const view = request.view!;
        const n = await this.read(
          new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
        );
        if (n === null) {
          controller.close();
          request.respond(0);
        } else {
          request.respond(n);
        }
      },
    });
  }

  /**
   * A stream that writes what it is given at the current position. Unlike
   * `Deno.FsFile`'s, closing it leaves the file open, to be read back.
   */
  get writable(): WritableStream<Uint8Array> {
    this.#live("SpooledTemporaryFile.writable");
    return new WritableStream({
      write: async (chunk) => {
        assertBytes("SpooledTemporaryFile.writable", chunk);
        for (let done = 0; done < chunk.length;) {
          done += await this.write(chunk.subarray(done));
        }
      },
    });
  }

  /**
   * Frees the memory, or closes the file on disk. Idempotent.
   *
   * @example Usage
   * ```ts
   * import { SpooledTemporaryFile } from "@tempkit/tempkit/tempfile";
   * import { assertThrows } from "@std/assert";
   *
   * const spool = new SpooledTemporaryFile();
   * spool.drop();
   * spool.drop();
   * assertThrows(() => spool.writeSync(new Uint8Array(1)), Deno.errors.BadResource);
   * ```
   */
  drop(): void {
    this.#life.drop();
  }

  /** Same as {@linkcode SpooledTemporaryFile.prototype.drop}: for `using`. */
  [Symbol.dispose](): void {
    this.#life.drop();
  }

  /** The asynchronous form of `drop()`: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#life.dropAsync();
  }

  /** Throws when the file was dropped. */
  #live(fn: string): void {
    if (this.#life.closed) {
      throw closedError(fn, "the file was closed by drop()");
    }
  }

  *#rollover(fn: string): Task<void> {
    this.#live(fn);
    const memory = this.#memory;
    if (memory === undefined) return;
    const t = targetOf({ ...this.#request, fn });
    let made: AnonymousMade;
    try {
      made = yield* makeAnonymous(t, this.#request.mode);
    } catch (err) {
      throw located(t, "a file", err);
    }
    const disk = new TemporaryFile(new Made(made) as never);
    try {
      const bytes = memory.bytes();
      for (let done = 0; done < bytes.length;) {
        done += yield* perform(io.write(made.file, bytes.subarray(done)));
      }
      yield* perform(io.seek(made.file, memory.position));
    } catch (err) {
      disk.drop();
      throw err;
    }
    this.#disk = disk;
    this.#memory = undefined;
    this.#pos = memory.position;
    this.#size = memory.size;
  }

  *#write(fn: string, p: Uint8Array): Task<number> {
    assertBytes(fn, p);
    this.#live(fn);
    const memory = this.#memory;
    if (memory !== undefined) {
      const max = this.#maxSize;
      if (max === 0 || p.length === 0 || memory.position + p.length <= max) {
        return memory.write(p);
      }
      yield* this.#rollover(fn);
    }
    const n = yield* perform(io.write(this.#disk!.file, p));
    this.#pos += n;
    if (n > 0 && this.#pos > this.#size) this.#size = this.#pos;
    return n;
  }

  *#read(fn: string, p: Uint8Array): Task<number | null> {
    assertBytes(fn, p);
    this.#live(fn);
    if (this.#memory !== undefined) return this.#memory.read(p);
    const n = yield* perform(io.read(this.#disk!.file, p));
    if (n !== null) this.#pos += n;
    return n;
  }

  *#seek(
    fn: string,
    offset: number | bigint,
    whence: Deno.SeekMode,
  ): Task<number> {
    const delta = typeof offset === "bigint" ? Number(offset) : offset;
    if (typeof delta !== "number" || !Number.isSafeInteger(delta)) {
      throw new TypeError(
        `${fn}: offset must be a safe integer, got ${String(offset)}`,
      );
    }
    this.#live(fn);
    const memory = this.#memory;
    const base = whence === Deno.SeekMode.Start
      ? 0
      : whence === Deno.SeekMode.Current
      ? memory?.position ?? this.#pos
      : whence === Deno.SeekMode.End
      ? memory?.size ?? this.#size
      : undefined;
    if (base === undefined) {
      throw new TypeError(
        `${fn}: whence must be a Deno.SeekMode (Start, Current or End), got ${
          String(whence)
        }`,
      );
    }
    const position = base + delta;
    if (position < 0 || !Number.isSafeInteger(position)) {
      throw new RangeError(
        `${fn}: the new position ${position} is outside 0 to 2^53 - 1`,
      );
    }
    if (memory !== undefined) return memory.seek(position);
    this.#pos = yield* perform(io.seek(this.#disk!.file, position));
    return this.#pos;
  }

  *#truncate(fn: string, len: number | undefined): Task<void> {
    const length = len === undefined ? 0 : sizeArg(fn, "len", len);
    this.#live(fn);
    const memory = this.#memory;
    if (memory !== undefined) {
      if (this.#maxSize === 0 || length <= this.#maxSize) {
        memory.truncate(length);
        return;
      }
      yield* this.#rollover(fn);
    }
    yield* perform(io.truncate(this.#disk!.file, length));
    this.#size = length;
  }
}

// ---------------------------------------------------------------------------
// TemporaryDirectory

interface DirMade {
  path: string;
  /** Recorded when read access lets it be (`lstat`); else `undefined`. */
  identity: Identity | undefined;
  /** Where it was made: the scope to name for a missing read grant. */
  parent: string;
  del: boolean;
  ignore: boolean;
}

interface DirRequest {
  t: Target;
  mode: number | undefined;
  del: boolean;
  ignore: boolean;
}

function dirRequest(fn: string, options: unknown): DirRequest {
  const r = request(fn, options, DIR_OPTIONS, HANDLE_HINTS);
  return {
    t: targetOf(r),
    mode: r.mode,
    del: booleanOption(fn, "delete", r.options.delete, true),
    ignore: booleanOption(
      fn,
      "ignoreCleanupErrors",
      r.options.ignoreCleanupErrors,
      false,
    ),
  };
}

/** What a TemporaryDirectory does when it is dropped while armed. */
class TreeRelease implements Release {
  readonly #made: DirMade;

  constructor(made: DirMade) {
    this.#made = made;
  }

  *remove(): Task<void> {
    const { path, identity, parent, ignore } = this.#made;
    try {
      yield* removeTree(path, {
        fn: "TemporaryDirectory",
        identity,
        scope: parent,
      });
    } catch (err) {
      if (!ignore) throw err;
    }
  }
}

function dirSync(options: unknown): DirMade {
  const r = dirRequest("TemporaryDirectory", options);
  return createSync(r.t, "a directory", makeDir(r));
}

function* makeDir({ t, mode, del, ignore }: DirRequest): Task<DirMade> {
  const { path } = yield* createNew(t, newDir, { mode });
  // Which directory this is, so that removal never walks another one put
  // in its place. lstat needs read access, which creating did not: without
  // it there is no identity, and removal needs no walk either.
  const identity = grantedDir("read", t.dir)
    ? yield* perform(identityOf(path))
    : undefined;
  return { path, identity, parent: t.dir, del, ignore };
}

/**
 * A new directory under a random name (mode `0o700`, or `options.mode`)
 * that is removed, with everything inside, when the handle is dropped or
 * disposed: use it with `using` (or `await using`).
 *
 * `new TemporaryDirectory(options)` creates it synchronously;
 * `await TemporaryDirectory.create(options)` does not block.
 *
 * Removal never follows a symlink inside the directory (the link is removed,
 * its target is untouched), and it also removes read-only files and
 * directories, trees deeper than the descriptor limit or than `PATH_MAX`,
 * and entries whose names are not valid UTF-8. When permissions stop Deno's
 * own recursive removal, the tree is walked top-down: each directory that is
 * the handle's owner's is made exactly `0o700` (as CPython does) before
 * anything inside it is touched, which leaves nobody else able to swap what
 * is in it, so a second user writing in the tree cannot make the cleanup
 * chmod anything outside it; another user's directory is never entered or
 * chmod-ed. The walk reads the tree, so it needs `--allow-read` for the
 * directory (creating needs only `--allow-write`); without it the removal's
 * error is thrown as a `Deno.errors.NotCapable` naming the flag (for the
 * scope already granted for writing, such as `--allow-read=/tmp`), and
 * nothing prompts, not even at `unload`. A read-only directory whose name is
 * not valid UTF-8 can only be made writable through libc, with
 * `--allow-ffi` (on Linux); without it, everything else is removed and the
 * error says what is left. Errors that remain are thrown, unless
 * `ignoreCleanupErrors` is set; a handle whose removal failed stays armed so
 * that a later `drop()` tries again.
 *
 * `drop()` and disposal are idempotent, and a directory removed by someone
 * else is fine; when its path names another directory by then (ours was
 * moved away or removed, and something took its name), that one is left
 * alone (this is checked when read access is granted). With `delete: false`,
 * or after `keep()`, they leave the directory alone (unlike CPython's
 * `cleanup()`, which removes it even then). An armed handle left alone is
 * removed at the `unload` event (normal end or `Deno.exit()`; not after an
 * uncaught error, see the module documentation) and, after
 * {@linkcode cleanupOnSignals}, on Ctrl-C.
 *
 * The directory it is made in must not let other users rename entries in it
 * (as a sticky directory such as `/tmp`, or one of your own, does not), as
 * for any temporary directory.
 *
 * @example In a test
 * ```ts
 * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
 * import { assertEquals } from "@std/assert";
 *
 * await using tmp = await TemporaryDirectory.create();
 * await Deno.mkdir(`${tmp.path}/a/b`, { recursive: true });
 * await Deno.writeTextFile(`${tmp.path}/a/b/c.txt`, "x");
 * await Deno.chmod(`${tmp.path}/a`, 0o500); // read-only: removed all the same
 * assertEquals(await Deno.readTextFile(`${tmp.path}/a/b/c.txt`), "x");
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export class TemporaryDirectory implements Disposable, AsyncDisposable {
  /** The absolute path of the directory. */
  readonly path: string;
  readonly #life: Lifecycle;

  /**
   * Creates the directory synchronously.
   *
   * @param options Directory, prefix, suffix, mode, `delete` (default
   * `true`) and `ignoreCleanupErrors` (default `false`).
   * @throws {TypeError} On a bad or unknown option, as for
   * {@linkcode mkdtempSync}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When write access to the parent
   * directory is not granted; the message names the flag.
   */
  constructor(options?: TemporaryDirectoryOptions) {
    const made = adopted<DirMade>(options) ?? dirSync(options);
    this.path = made.path;
    this.#life = new Lifecycle(new TreeRelease(made), made.del);
  }

  /**
   * Creates the directory without blocking.
   *
   * @param options Directory, prefix, suffix, mode, `delete` (default
   * `true`) and `ignoreCleanupErrors` (default `false`).
   * @returns The handle.
   * @throws {TypeError} On a bad or unknown option, as for
   * {@linkcode mkdtemp}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When write access to the parent
   * directory is not granted; the message names the flag.
   *
   * @example Usage
   * ```ts
   * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
   *
   * await using tmp = await TemporaryDirectory.create({ prefix: "fixture-" });
   * await Deno.writeTextFile(`${tmp.path}/input.txt`, "data");
   * ```
   */
  static async create(
    options?: TemporaryDirectoryOptions,
  ): Promise<TemporaryDirectory> {
    const r = dirRequest("TemporaryDirectory.create", options);
    const made = await createAsync(r.t, "a directory", makeDir(r));
    return new TemporaryDirectory(new Made(made) as never);
  }

  /**
   * Removes the directory and everything inside when the handle is armed.
   * Idempotent.
   *
   * It needs write access to the directory, which creating it checked, and
   * read access only when Deno's own recursive removal is refused (by
   * read-only directories inside): the walk that makes them writable reads
   * the tree. That grant is checked first, so it never prompts.
   *
   * @throws {Deno.errors.NotCapable} When the tree holds read-only
   * directories and read access to it is not granted; the message names the
   * flag and the `cause` is the removal's `PermissionDenied`.
   * @throws {Error} When the removal fails and `ignoreCleanupErrors` is not
   * set (then the handle stays armed); the message says what is left.
   *
   * @example Usage
   * ```ts
   * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
   * import { assertThrows } from "@std/assert";
   *
   * const tmp = new TemporaryDirectory();
   * Deno.symlinkSync("/", `${tmp.path}/root`); // removed, not followed
   * tmp.drop();
   * assertThrows(() => Deno.statSync(tmp.path), Deno.errors.NotFound);
   * ```
   */
  drop(): void {
    this.#life.drop();
  }

  /**
   * Disarms deletion and returns the path: the directory stays on disk.
   *
   * @returns The absolute path of the directory.
   *
   * @example Usage
   * ```ts
   * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
   *
   * let path: string;
   * {
   *   using tmp = new TemporaryDirectory();
   *   path = tmp.keep();
   * }
   * Deno.removeSync(path); // still there
   * ```
   */
  keep(): string {
    this.#life.disarm();
    return this.path;
  }

  /** Same as {@linkcode TemporaryDirectory.prototype.drop}: for `using`. */
  [Symbol.dispose](): void {
    this.#life.drop();
  }

  /** The asynchronous form of `drop()`: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#life.dropAsync();
  }
}
