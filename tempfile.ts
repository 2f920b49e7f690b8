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
 *   handles that remove what they created when disposed.
 *
 * Names are `prefix + 16 lowercase hex characters + suffix`, the hex being 8
 * fresh bytes from `crypto.getRandomValues` for every attempt. Creation is
 * exclusive (`O_CREAT | O_EXCL`, `mkdir(2)`), so an existing file, directory
 * or symlink at the chosen name (even a dangling one planted by another user)
 * is never opened or followed: the name is retried, 10 attempts in all, and
 * then a `Deno.errors.AlreadyExists` names the directory and the count. Every
 * other failure is thrown at once.
 *
 * Modes are passed to the system call and so, as in CPython and in
 * `Deno.makeTempFile`, the process umask applies: it can only remove bits
 * (umask `0o277` gives a `0o400` file), never add any. Nothing is widened
 * afterwards with `chmod`.
 *
 * Permissions: creating needs `--allow-write` for the directory (and
 * `NamedTemporaryFile`, whose file is open for reading too, `--allow-read`).
 * These are checked with `Deno.permissions.querySync` before anything is
 * created, and a missing grant is thrown at once as a
 * `Deno.errors.NotCapable` whose message names the flag to add (for example
 * `--allow-write=/tmp`); nothing prompts, since a prompt would ask about one
 * random name, and a "yes" would cover only that name. A denial the query
 * did not foresee is thrown the same way, with Deno's own error as its
 * `cause`.
 *
 * Cleanup at exit: a handle still armed (not dropped, kept or persisted) is
 * removed at the `unload` event. Deno dispatches `unload` when the program
 * ends normally and when it calls `Deno.exit()`, but not when it dies of an
 * uncaught exception or unhandled rejection, nor on a signal such as
 * `SIGINT`; there, what a `using` block has already disposed is gone and
 * anything else stays on disk (CPython, by contrast, cleans up after an
 * uncaught exception too). So prefer `using`: disposal runs as an exception
 * leaves the block, before the process dies. To clean up on Ctrl-C too, turn
 * the signal into an exit:
 * `Deno.addSignalListener("SIGINT", () => Deno.exit(130))`.
 *
 * The `mktemp` command line built on this module is `cli/mktemp.ts`
 * (`deno run jsr:@tempkit/tempkit/cli/mktemp`).
 *
 * @example A scratch directory for one block of a script or test
 * ```ts
 * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * let kept: string;
 * {
 *   using tmp = new TemporaryDirectory({ prefix: "build-" });
 *   Deno.writeTextFileSync(`${tmp.path}/out.txt`, "hello");
 *   kept = tmp.path;
 * } // removed here, with everything inside
 * assert.throws(() => Deno.statSync(kept), Deno.errors.NotFound);
 * ```
 *
 * @module
 */

import { isAbsolute } from "@std/path/is-absolute";
import { io, perform, runAsync, runSync, type Task } from "./_io.ts";
import {
  createNew,
  explain,
  newDir,
  newFile,
  newOpenFile,
  notGranted,
  type Target,
} from "./_create.ts";
import {
  assertString,
  booleanOption,
  optionBag,
  toPathString,
} from "./_args.ts";
import {
  grantedEnv,
  isGranted,
  osReason,
  permissionFlag,
} from "./_permissions.ts";
import { join } from "./path.ts";

/**
 * Options of {@linkcode mkstemp} and {@linkcode mkstempSync}.
 *
 * @example
 * ```ts
 * import { mkstempSync, type TempFileOptions } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const options: TempFileOptions = { prefix: "report-", suffix: ".csv" };
 * const path = mkstempSync(options);
 * assert.match(path, /\/report-[0-9a-f]{16}\.csv$/);
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
}

/**
 * Options of {@linkcode mkdtemp} and {@linkcode mkdtempSync}: the same as for
 * files.
 *
 * @example
 * ```ts
 * import { mkdtempSync, type TempDirOptions } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const options: TempDirOptions = { prefix: "cache-" };
 * const dir = mkdtempSync(options);
 * assert.match(dir, /\/cache-[0-9a-f]{16}$/);
 * Deno.removeSync(dir);
 * ```
 */
export type TempDirOptions = TempFileOptions;

/**
 * Options of {@linkcode NamedTemporaryFile}.
 *
 * @example
 * ```ts
 * import {
 *   NamedTemporaryFile,
 *   type NamedTemporaryFileOptions,
 * } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const options: NamedTemporaryFileOptions = { suffix: ".log", delete: false };
 * let path: string;
 * {
 *   using tmp = new NamedTemporaryFile(options);
 *   path = tmp.path;
 * } // closed here, but not removed
 * assert.ok(Deno.statSync(path).isFile);
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
 * Options of {@linkcode TemporaryDirectory}.
 *
 * @example
 * ```ts
 * import {
 *   TemporaryDirectory,
 *   type TemporaryDirectoryOptions,
 * } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const options: TemporaryDirectoryOptions = { prefix: "job-", ignoreCleanupErrors: true };
 * let path: string;
 * {
 *   using dir = new TemporaryDirectory(options);
 *   path = dir.path;
 * }
 * assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
 * ```
 */
export interface TemporaryDirectoryOptions extends TempDirOptions {
  /** Remove the directory when the handle is dropped or disposed. Default `true`. */
  delete?: boolean;
  /** Swallow errors while removing the directory. Default `false`. */
  ignoreCleanupErrors?: boolean;
}

const RECURSIVE: Deno.RemoveOptions = { recursive: true };
const TEMPLATE_PREFIX = "tmp";
const IS_WINDOWS = Deno.build.os === "windows";

/** `path` made absolute against the current directory, trailing slashes dropped. */
function absolute(path: string): string {
  let end = path.length;
  while (end > 1 && (path[end - 1] === "/" || path[end - 1] === "\\")) end--;
  path = path.slice(0, end);
  if (isAbsolute(path)) return path;
  const cwd = Deno.cwd();
  return path === "." ? cwd : join(cwd, path);
}

function namePart(
  fn: string,
  name: string,
  value: unknown,
  fallback: string,
): string {
  if (value === undefined) return fallback;
  assertString(fn, `options.${name}`, value);
  if (/[/\\\0]/.test(value)) {
    throw new TypeError(
      `${fn}: options.${name} must not contain "/", "\\" or NUL, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

const NAME_OPTIONS = ["dir", "prefix", "suffix"] as const;
const FILE_OPTIONS = [...NAME_OPTIONS, "delete"] as const;
const DIR_OPTIONS = [...FILE_OPTIONS, "ignoreCleanupErrors"] as const;
/** CPython keywords with no option of their own here. */
const HANDLE_HINTS = {
  delete_on_close:
    "the file is removed when the handle is dropped or disposed, not when the file is closed",
};

/** Checks the options (all of them before any I/O) and fixes the directory. */
function target(fn: string, opts: Record<string, unknown>): Target {
  const prefix = namePart(fn, "prefix", opts.prefix, TEMPLATE_PREFIX);
  const suffix = namePart(fn, "suffix", opts.suffix, "");
  const dir = opts.dir === undefined
    ? gettempdir()
    : absolute(toPathString(fn, "options.dir", opts.dir));
  return { fn, dir, prefix, suffix };
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

function findTempDir(): string {
  const tried: string[] = [];
  for (const candidate of candidateTempDirs()) {
    let dir: string;
    try {
      dir = absolute(candidate);
    } catch {
      continue;
    }
    tried.push(dir);
    // Probing where write access is not yet granted would prompt.
    if (isGranted("write", dir) && probe(dir)) return dir;
  }
  throw new Deno.errors.NotFound(
    `gettempdir: no usable temporary directory found in ${
      tried.join(", ")
    }; grant write access to one (e.g. ${
      permissionFlag("write", IS_WINDOWS ? "c:\\temp" : "/tmp")
    }), and ${permissionFlag("env", "TMPDIR")} to honour TMPDIR`,
  );
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
 * @throws {Deno.errors.NotFound} When no candidate is usable; the message
 * lists them and names the flags to add.
 *
 * @example Usage
 * ```ts
 * import { gettempdir } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const dir = gettempdir(); // e.g. "/tmp"
 * assert.ok(Deno.statSync(dir).isDirectory);
 * ```
 *
 * @tags allow-env, allow-write
 */
export function gettempdir(): string {
  cachedTempDir ??= findTempDir();
  return cachedTempDir;
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
 * import assert from "node:assert/strict";
 *
 * assert.equal(gettempprefix(), "tmp");
 * ```
 */
export function gettempprefix(): string {
  return TEMPLATE_PREFIX;
}

// ---------------------------------------------------------------------------
// mkstemp / mkdtemp

/**
 * Creates a new, empty file with mode `0o600` (less the umask) under a
 * random name in `options.dir` and returns its absolute path. The file is
 * created exclusively: an existing file or symlink at the name is never
 * opened or followed; the name is retried, 10 attempts in all.
 *
 * Unlike CPython's `mkstemp`, which returns an open descriptor too, only the
 * path is returned (the file is closed); removing it is up to the caller.
 * For a handle that removes itself, see {@linkcode NamedTemporaryFile}.
 *
 * @param options Directory, prefix and suffix of the name.
 * @returns The absolute path of the new file.
 * @throws {TypeError} When an option has the wrong type, or `prefix` or
 * `suffix` contains `/`, `\` or NUL.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkstemp } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const path = await mkstemp({ prefix: "report-", suffix: ".csv" });
 * assert.match(path, /\/report-[0-9a-f]{16}\.csv$/);
 * await Deno.remove(path);
 * ```
 *
 * @tags allow-write, allow-env
 */
export async function mkstemp(options?: TempFileOptions): Promise<string> {
  const t = target("mkstemp", optionBag("mkstemp", options, NAME_OPTIONS));
  return (await runAsync(createNew(t, newFile))).path;
}

/**
 * Synchronous twin of {@linkcode mkstemp}: creates a new, empty file with
 * mode `0o600` under a random name and returns its absolute path.
 *
 * @param options Directory, prefix and suffix of the name.
 * @returns The absolute path of the new file.
 * @throws {TypeError} When an option has the wrong type, or `prefix` or
 * `suffix` contains `/`, `\` or NUL.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkstempSync } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const path = mkstempSync({ suffix: ".json" });
 * assert.equal(Deno.statSync(path).size, 0);
 * Deno.removeSync(path);
 * ```
 *
 * @tags allow-write, allow-env
 */
export function mkstempSync(options?: TempFileOptions): string {
  const t = target(
    "mkstempSync",
    optionBag("mkstempSync", options, NAME_OPTIONS),
  );
  return runSync(createNew(t, newFile)).path;
}

/**
 * Creates a new directory with mode `0o700` (less the umask) under a random
 * name in `options.dir` and returns its absolute path, as CPython's
 * `tempfile.mkdtemp` does. Removing it is up to the caller; for a handle that
 * removes itself, see {@linkcode TemporaryDirectory}.
 *
 * @param options Directory, prefix and suffix of the name.
 * @returns The absolute path of the new directory.
 * @throws {TypeError} When an option has the wrong type, or `prefix` or
 * `suffix` contains `/`, `\` or NUL.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkdtemp } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const dir = await mkdtemp({ prefix: "cache-" });
 * assert.ok((await Deno.stat(dir)).isDirectory);
 * await Deno.remove(dir);
 * ```
 *
 * @tags allow-write, allow-env
 */
export async function mkdtemp(options?: TempDirOptions): Promise<string> {
  const t = target("mkdtemp", optionBag("mkdtemp", options, NAME_OPTIONS));
  return (await runAsync(createNew(t, newDir))).path;
}

/**
 * Synchronous twin of {@linkcode mkdtemp}: creates a new directory with mode
 * `0o700` under a random name and returns its absolute path.
 *
 * @param options Directory, prefix and suffix of the name.
 * @returns The absolute path of the new directory.
 * @throws {TypeError} When an option has the wrong type, or `prefix` or
 * `suffix` contains `/`, `\` or NUL.
 * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
 * @throws {Deno.errors.NotCapable} When write access to the directory is not
 * granted; the message names the flag.
 *
 * @example Usage
 * ```ts
 * import { mkdtempSync } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * const dir = mkdtempSync();
 * assert.equal(Deno.statSync(dir).mode! & 0o077, 0); // owner only
 * Deno.removeSync(dir);
 * ```
 *
 * @tags allow-write, allow-env
 */
export function mkdtempSync(options?: TempDirOptions): string {
  const t = target(
    "mkdtempSync",
    optionBag("mkdtempSync", options, NAME_OPTIONS),
  );
  return runSync(createNew(t, newDir)).path;
}

// ---------------------------------------------------------------------------
// The safety net: armed handles removed at `unload`.

interface Droppable {
  drop(): void;
}

const armedHandles = new Set<Droppable>();
let listening = false;

function arm(handle: Droppable): void {
  armedHandles.add(handle);
  if (listening) return;
  listening = true;
  globalThis.addEventListener("unload", dropAllArmed);
}

function disarm(handle: Droppable): void {
  armedHandles.delete(handle);
}

function dropAllArmed(): void {
  for (const handle of [...armedHandles]) {
    try {
      handle.drop();
    } catch {
      // The process is ending; there is no one left to tell.
    }
  }
}

/** Removes `path` (a file, or an empty directory); already gone is fine. */
function* removeIfPresent(path: string): Task<void> {
  try {
    yield* perform(io.remove(path));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

// ---------------------------------------------------------------------------
// NamedTemporaryFile

/** Set by the static `create` methods for the constructor to adopt. */
let adoptedFile: { path: string; file: Deno.FsFile; del: boolean } | undefined;

function fileArgs(fn: string, options: unknown): [Target, boolean] {
  const opts = optionBag(fn, options, FILE_OPTIONS, HANDLE_HINTS);
  const del = booleanOption(fn, "delete", opts.delete, true);
  return [target(fn, opts), del];
}

/**
 * A new file under a random name, open for reading and writing, that is
 * closed and removed when the handle is dropped or disposed: use it with
 * `using` (or `await using`) and it is gone when the block ends, even when
 * the block throws.
 *
 * The file is created as by {@linkcode mkstempSync} (exclusively, mode
 * `0o600`) and opened for reading and writing, so it needs `--allow-read` and
 * `--allow-write` for the directory. `new NamedTemporaryFile(options)` creates
 * it synchronously; `await NamedTemporaryFile.create(options)` does not block.
 *
 * Cleanup rules: `drop()` and disposal close the file and then, when the
 * handle is still armed (`delete` is `true` and neither `keep()` nor
 * `persist()` was called), remove it. They are idempotent, and a file removed
 * by someone else is fine. An armed handle left alone is removed at the
 * `unload` event (normal end or `Deno.exit()`; not after an uncaught error,
 * see the module documentation).
 *
 * @example In a script
 * ```ts
 * import { NamedTemporaryFile } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * let path: string;
 * {
 *   using tmp = new NamedTemporaryFile({ suffix: ".txt" });
 *   path = tmp.path;
 *   await tmp.file.write(new TextEncoder().encode("scratch"));
 *   assert.equal(await Deno.readTextFile(tmp.path), "scratch");
 * }
 * assert.throws(() => Deno.statSync(path), Deno.errors.NotFound);
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
  /** The file, open for reading and writing. */
  readonly file: Deno.FsFile;
  #armed: boolean;
  #closed = false;

  /**
   * Creates the file synchronously.
   *
   * @param options Directory, prefix, suffix and `delete` (default `true`).
   * @throws {TypeError} On a bad option, as for {@linkcode mkstempSync}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When read or write access to the
   * directory is not granted; the message names the flag.
   */
  constructor(options?: NamedTemporaryFileOptions) {
    let made = adoptedFile;
    adoptedFile = undefined;
    if (made === undefined) {
      const [t, del] = fileArgs("NamedTemporaryFile", options);
      const { path, value } = runSync(
        createNew(t, newOpenFile, { needsRead: true }),
      );
      made = { path, file: value, del };
    }
    this.path = made.path;
    this.file = made.file;
    this.#armed = made.del;
    if (this.#armed) arm(this);
  }

  /**
   * Creates the file without blocking.
   *
   * @param options Directory, prefix, suffix and `delete` (default `true`).
   * @returns The handle.
   * @throws {TypeError} On a bad option, as for {@linkcode mkstemp}.
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
    const [t, del] = fileArgs("NamedTemporaryFile.create", options);
    const { path, value } = await runAsync(
      createNew(t, newOpenFile, { needsRead: true }),
    );
    adoptedFile = { path, file: value, del };
    return new NamedTemporaryFile();
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
   * import assert from "node:assert/strict";
   *
   * const tmp = new NamedTemporaryFile();
   * tmp.drop();
   * tmp.drop(); // nothing left to do
   * assert.throws(() => Deno.statSync(tmp.path), Deno.errors.NotFound);
   * ```
   */
  drop(): void {
    runSync(this.#drop());
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
    this.#disarm();
    return this.path;
  }

  /**
   * Closes the file, renames it to `target` (replacing a file there, as
   * `Deno.rename` does) and disarms deletion. When the rename fails (for
   * example across file systems) the file is closed but stays armed.
   *
   * `Deno.rename` needs read and write access to the file, which were
   * checked when it was created, and write access to `target` (not read),
   * which is checked first, so a missing grant never prompts: it is thrown,
   * and the file is left open and armed.
   *
   * @param target The new path: a string or a file URL.
   * @returns `target` as a string path.
   * @throws {TypeError} When `target` is not a string or file URL.
   * @throws {Deno.errors.NotCapable} When write access to `target` is not
   * granted; the message names the flag.
   *
   * @example Write, then publish under the final name
   * ```ts
   * import { NamedTemporaryFile, TemporaryDirectory } from "@tempkit/tempkit/tempfile";
   * import assert from "node:assert/strict";
   *
   * using dir = new TemporaryDirectory();
   * using tmp = new NamedTemporaryFile({ dir: dir.path });
   * tmp.file.writeSync(new TextEncoder().encode("{}"));
   * const final = tmp.persist(`${dir.path}/config.json`);
   * assert.equal(Deno.readTextFileSync(final), "{}");
   * ```
   */
  persist(target: string | URL): string {
    const fn = "NamedTemporaryFile.persist";
    const to = toPathString(fn, "target", target);
    if (!isGranted("write", to)) throw notGranted(fn, "write", to);
    this.#close();
    try {
      Deno.renameSync(this.path, to);
    } catch (err) {
      throw explain(fn, to, err);
    }
    this.#disarm();
    return to;
  }

  /** Same as {@linkcode NamedTemporaryFile.prototype.drop}: for `using`. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** The asynchronous form of `drop()`: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return runAsync(this.#drop());
  }

  *#drop(): Task<void> {
    this.#close();
    if (!this.#armed) return;
    yield* removeIfPresent(this.path);
    this.#disarm();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.file.close();
    } catch (err) {
      // The caller may have closed the file already.
      if (!(err instanceof Deno.errors.BadResource)) throw err;
    }
  }

  #disarm(): void {
    this.#armed = false;
    disarm(this);
  }
}

// ---------------------------------------------------------------------------
// TemporaryDirectory

/**
 * Removes the tree at `path`: symlinks inside are unlinked, never followed.
 * When permissions inside stop the removal (a read-only subdirectory), owner
 * rwx is restored on every real directory of the tree and the removal is
 * tried again, which is what CPython's `TemporaryDirectory` error handler
 * does. That pass reads the tree (`lstat`, `readDir`), so it needs read
 * access, which creating did not: without the grant it would prompt on a
 * terminal, so the removal's error is thrown instead, wrapped in a
 * `NotCapable` that names the flag.
 */
function* removeTree(fn: string, path: string): Task<void> {
  try {
    yield* perform(io.remove(path, RECURSIVE));
    return;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    if (!(err instanceof Deno.errors.PermissionDenied)) throw err;
    if (!isGranted("read", path)) {
      throw new Deno.errors.NotCapable(
        `${fn}: removing "${path}" was refused (${
          osReason(err)
        }); restoring owner access inside it, as a read-only directory needs, reads the tree, and read access to it is not granted; run again with ${
          permissionFlag("read", path)
        }`,
        { cause: err },
      );
    }
  }
  yield* restoreOwnerAccess(path);
  try {
    yield* perform(io.remove(path, RECURSIVE));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

/** Adds owner rwx to `dir` and the directories below it; best effort. */
function* restoreOwnerAccess(dir: string): Task<void> {
  let entries: Deno.DirEntry[];
  try {
    // lstat, so a symlink is never chmod-ed through (chmod follows links).
    const info = yield* perform(io.lstat(dir));
    if (!info.isDirectory || info.mode === null) return;
    if ((info.mode & 0o700) !== 0o700) {
      yield* perform(io.chmod(dir, (info.mode & 0o7777) | 0o700));
    }
    entries = yield* perform(io.readDir(dir));
  } catch {
    return; // the second removal reports what is still wrong
  }
  for (const entry of entries) {
    // DirEntry.isDirectory is false for a symlink to a directory.
    if (entry.isDirectory) yield* restoreOwnerAccess(join(dir, entry.name));
  }
}

/** Set by the static `create` method for the constructor to adopt. */
let adoptedDir: { path: string; del: boolean; ignore: boolean } | undefined;

function dirArgs(fn: string, options: unknown): [Target, boolean, boolean] {
  const opts = optionBag(fn, options, DIR_OPTIONS, HANDLE_HINTS);
  const del = booleanOption(fn, "delete", opts.delete, true);
  const ignore = booleanOption(
    fn,
    "ignoreCleanupErrors",
    opts.ignoreCleanupErrors,
    false,
  );
  return [target(fn, opts), del, ignore];
}

/**
 * A new directory under a random name (mode `0o700`) that is removed, with
 * everything inside, when the handle is dropped or disposed: use it with
 * `using` (or `await using`).
 *
 * `new TemporaryDirectory(options)` creates it synchronously;
 * `await TemporaryDirectory.create(options)` does not block.
 *
 * Removal never follows a symlink inside the directory (the link is removed,
 * its target is untouched), and it also removes read-only files and
 * directories: when permissions stop it, owner rwx is restored on the
 * directories of the tree (after `lstat`, so never through a symlink) and the
 * removal is retried, as CPython's `TemporaryDirectory` does. That retry
 * reads the tree, so it needs `--allow-read` for the directory (creating
 * needs only `--allow-write`); without it the removal's error is thrown as a
 * `Deno.errors.NotCapable` naming the flag, and nothing prompts, not even at
 * `unload`. Errors that remain are thrown, unless `ignoreCleanupErrors` is
 * set; a handle whose removal failed stays armed so that a later `drop()`
 * tries again.
 *
 * `drop()` and disposal are idempotent and a directory removed by someone
 * else is fine. With `delete: false`, or after `keep()`, they leave the
 * directory alone (unlike CPython's `cleanup()`, which removes it even then).
 * An armed handle left alone is removed at the `unload` event (normal end or
 * `Deno.exit()`; not after an uncaught error, see the module documentation).
 *
 * @example In a test
 * ```ts
 * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
 * import assert from "node:assert/strict";
 *
 * await using tmp = await TemporaryDirectory.create();
 * await Deno.mkdir(`${tmp.path}/a/b`, { recursive: true });
 * await Deno.writeTextFile(`${tmp.path}/a/b/c.txt`, "x");
 * await Deno.chmod(`${tmp.path}/a`, 0o500); // read-only: removed all the same
 * assert.equal(await Deno.readTextFile(`${tmp.path}/a/b/c.txt`), "x");
 * ```
 *
 * @tags allow-read, allow-write, allow-env
 */
export class TemporaryDirectory implements Disposable, AsyncDisposable {
  /** The absolute path of the directory. */
  readonly path: string;
  #armed: boolean;
  #ignoreCleanupErrors: boolean;

  /**
   * Creates the directory synchronously.
   *
   * @param options Directory, prefix, suffix, `delete` (default `true`) and
   * `ignoreCleanupErrors` (default `false`).
   * @throws {TypeError} On a bad option, as for {@linkcode mkdtempSync}.
   * @throws {Deno.errors.AlreadyExists} When 10 random names were all taken.
   * @throws {Deno.errors.NotCapable} When write access to the parent
   * directory is not granted; the message names the flag.
   */
  constructor(options?: TemporaryDirectoryOptions) {
    let made = adoptedDir;
    adoptedDir = undefined;
    if (made === undefined) {
      const [t, del, ignore] = dirArgs("TemporaryDirectory", options);
      made = { path: runSync(createNew(t, newDir)).path, del, ignore };
    }
    this.path = made.path;
    this.#armed = made.del;
    this.#ignoreCleanupErrors = made.ignore;
    if (this.#armed) arm(this);
  }

  /**
   * Creates the directory without blocking.
   *
   * @param options Directory, prefix, suffix, `delete` (default `true`) and
   * `ignoreCleanupErrors` (default `false`).
   * @returns The handle.
   * @throws {TypeError} On a bad option, as for {@linkcode mkdtemp}.
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
    const [t, del, ignore] = dirArgs("TemporaryDirectory.create", options);
    const { path } = await runAsync(createNew(t, newDir));
    adoptedDir = { path, del, ignore };
    return new TemporaryDirectory();
  }

  /**
   * Removes the directory and everything inside when the handle is armed.
   * Idempotent.
   *
   * It needs write access to the directory, which creating it checked, and
   * read access only when the tree holds read-only directories: restoring
   * owner access on them reads the tree. That grant is checked first, so it
   * never prompts.
   *
   * @throws {Deno.errors.NotCapable} When the tree holds read-only
   * directories and read access to it is not granted; the message names the
   * flag and the `cause` is the removal's `PermissionDenied`.
   * @throws {Error} When the removal fails and `ignoreCleanupErrors` is not
   * set (then the handle stays armed).
   *
   * @example Usage
   * ```ts
   * import { TemporaryDirectory } from "@tempkit/tempkit/tempfile";
   * import assert from "node:assert/strict";
   *
   * const tmp = new TemporaryDirectory();
   * Deno.symlinkSync("/", `${tmp.path}/root`); // removed, not followed
   * tmp.drop();
   * assert.throws(() => Deno.statSync(tmp.path), Deno.errors.NotFound);
   * ```
   */
  drop(): void {
    runSync(this.#drop());
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
    this.#disarm();
    return this.path;
  }

  /** Same as {@linkcode TemporaryDirectory.prototype.drop}: for `using`. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** The asynchronous form of `drop()`: for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return runAsync(this.#drop());
  }

  *#drop(): Task<void> {
    if (!this.#armed) return;
    try {
      yield* removeTree("TemporaryDirectory", this.path);
    } catch (err) {
      if (!this.#ignoreCleanupErrors) throw err;
    }
    this.#disarm();
  }

  #disarm(): void {
    this.#armed = false;
    disarm(this);
  }
}
