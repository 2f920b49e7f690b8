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
 * Command line: run as a program, the module behaves like GNU coreutils
 * `mktemp` for the common cases (`-d`, `-p DIR`/`--tmpdir[=DIR]`, `-t`,
 * `--suffix=SUFF`, `-q`, `-u`, `--help`, `--version`, and a TEMPLATE whose
 * last run of at least 3 `X`s becomes random `[A-Za-z0-9]` characters;
 * default `tmp.XXXXXXXXXX` in `$TMPDIR` or `/tmp`); it prints the path it
 * created, or a message on stderr with exit status 1. `$TMPDIR` is read only
 * when `--allow-env` covers it, a missing `--allow-write` (or, for `-u`,
 * `--allow-read`) is that message, naming the flag, never a prompt, and 10
 * names are tried (coreutils tries many more when there are few `X`s):
 *
 * ```sh
 * deno run --allow-env --allow-write tempfile.ts -d -p /tmp build.XXXXXX
 * ```
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

import { io, perform, runAsync, runSync, type Step, type Task } from "./_io.ts";
import {
  assertString,
  booleanOption,
  deniedKind,
  isGranted,
  isSandboxDenial,
  optionBag,
  permissionFlag,
  toPathString,
} from "./_util.ts";
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

// ---------------------------------------------------------------------------
// The I/O steps of creation (see _io.ts for how one task serves both twins).

/** Exclusive creation: never opens an existing file, never follows a symlink. */
const NEW_FILE: Deno.OpenOptions = {
  write: true,
  createNew: true,
  mode: 0o600,
};
const NEW_RW_FILE: Deno.OpenOptions = { ...NEW_FILE, read: true };
const NEW_DIR: Deno.MkdirOptions = { mode: 0o700 };
const RECURSIVE: Deno.RemoveOptions = { recursive: true };

/** What a creating function makes at a fresh name. */
type Make<T> = (path: string) => Step<T>;

/** A new, empty file, closed again. */
const newFile: Make<void> = (path) => ({
  sync: () => Deno.openSync(path, NEW_FILE).close(),
  async: async () => (await Deno.open(path, NEW_FILE)).close(),
});
/** A new file, left open for reading and writing. */
const newOpenFile: Make<Deno.FsFile> = (path) => io.open(path, NEW_RW_FILE);
/** A new directory. */
const newDir: Make<void> = (path) => io.mkdir(path, NEW_DIR);

// ---------------------------------------------------------------------------
// Names and options.

const ATTEMPTS = 10;
const TEMPLATE_PREFIX = "tmp";
const HEX: string[] = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).padStart(2, "0"),
);

/** 16 lowercase hex chars from 8 fresh random bytes. */
function randomHex(): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + HEX[b[4]] +
    HEX[b[5]] + HEX[b[6]] + HEX[b[7]];
}

const IS_WINDOWS = Deno.build.os === "windows";

function isAbsolute(path: string): boolean {
  if (IS_WINDOWS) return /^([A-Za-z]:)?[\\/]/.test(path);
  return path.startsWith("/");
}

/** `path` made absolute against the current directory, trailing slashes dropped. */
function absolute(path: string): string {
  let end = path.length;
  while (end > 1 && (path[end - 1] === "/" || path[end - 1] === "\\")) end--;
  path = path.slice(0, end);
  if (isAbsolute(path)) return path;
  const cwd = Deno.cwd();
  return path === "" || path === "." ? cwd : join(cwd, path);
}

/** Where and under which name parts a function creates. */
interface Target {
  fn: string;
  dir: string;
  prefix: string;
  suffix: string;
  /** The random part of a name; default 16 hex chars (the CLI differs). */
  random?: () => string;
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

/** Checks the options (all of them before any I/O) and fixes the directory. */
function target(fn: string, opts: Record<string, unknown>): Target {
  const prefix = namePart(fn, "prefix", opts.prefix, TEMPLATE_PREFIX);
  const suffix = namePart(fn, "suffix", opts.suffix, "");
  const dir = opts.dir === undefined
    ? gettempdir()
    : absolute(toPathString(fn, "options.dir", opts.dir));
  return { fn, dir, prefix, suffix };
}

/**
 * A path as a permission flag takes it: `"."` for the empty directory of a
 * bare name (the command line's), no trailing slash.
 */
function flagPath(path: string): string {
  if (path === "") return ".";
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  return path.slice(0, end);
}

/** The error for a permission `kind` on `path` that is not granted. */
function notGranted(
  fn: string,
  kind: "read" | "write",
  path: string,
  cause?: unknown,
): Deno.errors.NotCapable {
  const where = flagPath(path);
  return new Deno.errors.NotCapable(
    `${fn}: ${kind} access to "${where}" is not granted; run again with ${
      permissionFlag(kind, where)
    }`,
    { cause },
  );
}

/**
 * Fails at once unless the access is already granted: asking Deno first
 * would prompt for one random name, and a "yes" would grant only that name,
 * so the next call would prompt again.
 */
function requireGranted(t: Target, needsRead: boolean): void {
  // Deno rejects a query for the empty path: a bare name is in ".".
  const dir = t.dir || ".";
  if (!grantedDir("write", dir)) throw notGranted(t.fn, "write", dir);
  if (needsRead && !grantedDir("read", dir)) {
    throw notGranted(t.fn, "read", dir);
  }
}

// A query costs about as much as a fifth of a creation, so a directory
// found granted is remembered. Only a caller's own `Deno.permissions.revoke`
// could make the answer stale.
const grantedDirs = { read: new Set<string>(), write: new Set<string>() };

function grantedDir(kind: "read" | "write", dir: string): boolean {
  if (grantedDirs[kind].has(dir)) return true;
  if (!isGranted(kind, dir)) return false;
  grantedDirs[kind].add(dir);
  return true;
}

/**
 * A sandbox denial the queries did not foresee (a `--deny-*` flag on one
 * name, a path Deno reserves to `--allow-all`), rethrown with the flag that
 * would grant it and Deno's error as the `cause`.
 */
function explain(fn: string, dir: string, err: unknown): unknown {
  if (!isSandboxDenial(err)) return err;
  dir = flagPath(dir);
  const kind = deniedKind(err);
  if (kind === "all") {
    return new Deno.errors.NotCapable(
      `${fn}: Deno reserves "${dir}" to --allow-all; run again with --allow-all`,
      { cause: err },
    );
  }
  if (kind === "read" || kind === "write") {
    return notGranted(fn, kind, dir, err);
  }
  // Deno's message did not say: guess from what is granted.
  return notGranted(fn, isGranted("write", dir) ? "read" : "write", dir, err);
}

interface Created<T> {
  path: string;
  value: T;
}

/** The retry loop shared by every creating function. */
function* createNew<T>(
  t: Target,
  make: Make<T>,
  needsRead = false,
): Task<Created<T>> {
  requireGranted(t, needsRead);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = join(t.dir, t.prefix + (t.random ?? randomHex)() + t.suffix);
    try {
      // Yielded directly rather than through perform(): one generator fewer
      // on the hot path.
      const value = (yield make(path)) as T;
      return { path, value };
    } catch (err) {
      if (err instanceof Deno.errors.AlreadyExists) continue;
      throw explain(t.fn, t.dir, err);
    }
  }
  throw new Deno.errors.AlreadyExists(
    `${t.fn}: no unused name found in "${t.dir}" after ${ATTEMPTS} attempts`,
  );
}

// ---------------------------------------------------------------------------
// gettempdir

let cachedTempDir: string | undefined;

/** An environment variable, read only when that read is already granted. */
function grantedEnv(name: string): string | undefined {
  return isGranted("env", name) ? Deno.env.get(name) : undefined;
}

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
  const t = target("mkstemp", optionBag("mkstemp", options));
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
  const t = target("mkstempSync", optionBag("mkstempSync", options));
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
  const t = target("mkdtemp", optionBag("mkdtemp", options));
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
  const t = target("mkdtempSync", optionBag("mkdtempSync", options));
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
  const opts = optionBag(fn, options);
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
      const { path, value } = runSync(createNew(t, newOpenFile, true));
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
    const { path, value } = await runAsync(createNew(t, newOpenFile, true));
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
    // Deno rejects a query for the empty path; the rename then fails as usual.
    const query = to || ".";
    if (!isGranted("write", query)) throw notGranted(fn, "write", query);
    this.#close();
    try {
      Deno.renameSync(this.path, to);
    } catch (err) {
      throw explain(fn, query, err);
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
          osMessage(err)
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
  const opts = optionBag(fn, options);
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

// ---------------------------------------------------------------------------
// Command line: `deno run -A tempfile.ts [OPTION]... [TEMPLATE]` behaves like
// GNU coreutils `mktemp` for the common cases.

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `n` characters of [A-Za-z0-9], uniform (rejection sampling), as mktemp uses. */
function randomAlnum(n: number): string {
  let out = "";
  while (out.length < n) {
    for (const byte of crypto.getRandomValues(new Uint8Array(n))) {
      // 248 = 4 * 62: bytes above it would favour the first characters.
      if (byte < 248 && out.length < n) out += ALNUM[byte % 62];
    }
  }
  return out;
}

/** A usage error: message and whether to add the `--help` hint. */
class UsageError extends Error {
  constructor(message: string, readonly hint = false) {
    super(message);
  }
}

interface MktempArgs {
  /** `--help` or `--version`: print it and exit, as GNU does when it meets one. */
  show?: "help" | "version";
  directory: boolean;
  dryRun: boolean;
  quiet: boolean;
  deprecatedT: boolean;
  useDestDir: boolean;
  destDir?: string;
  suffix?: string;
  templates: string[];
}

const LONG_OPTIONS = [
  "directory",
  "dry-run",
  "quiet",
  "suffix",
  "tmpdir",
  "help",
  "version",
];

/** The package's version, which `--version` prints (a test keeps it deno.json's). */
const VERSION = "0.1.0";

/** `--help`: GNU mktemp's usage (every option of it is supported), then ours. */
const USAGE = `Usage: mktemp [OPTION]... [TEMPLATE]
Create a temporary file or directory, safely, and print its name.
TEMPLATE must contain at least 3 consecutive 'X's in last component.
If TEMPLATE is not specified, use tmp.XXXXXXXXXX, and --tmpdir is implied.
Files are created u+rw, and directories u+rwx, minus umask restrictions.

  -d, --directory     create a directory, not a file
  -u, --dry-run       do not create anything; merely print a name (unsafe)
  -q, --quiet         suppress diagnostics about file/dir-creation failure
      --suffix=SUFF   append SUFF to TEMPLATE; SUFF must not contain a slash.
                        This option is implied if TEMPLATE does not end in X
  -p DIR, --tmpdir[=DIR]  interpret TEMPLATE relative to DIR; if DIR is not
                        specified, use $TMPDIR if set, else /tmp.  With
                        this option, TEMPLATE must not be an absolute name;
                        unlike with -t, TEMPLATE may contain slashes, but
                        mktemp creates only the final component
  -t                  interpret TEMPLATE as a single file name component,
                        relative to a directory: $TMPDIR, if set; else the
                        directory specified via -p; else /tmp [deprecated]
      --help        display this help and exit
      --version     output version information and exit

Under Deno's sandbox: creating needs --allow-write for the directory (-u needs
--allow-read), and $TMPDIR is read only with --allow-env=TMPDIR; a missing
grant is an error naming the flag, never a prompt. 10 names are tried.
tempkit's mktemp: tempfile.ts of <https://jsr.io/@tempkit/tempkit>`;

/** GNU getopt_long rules: permuted operands, clustered short options, unique long prefixes. */
function parseMktempArgs(argv: string[]): MktempArgs {
  const a: MktempArgs = {
    directory: false,
    dryRun: false,
    quiet: false,
    deprecatedT: false,
    useDestDir: false,
    templates: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      a.templates.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const given = arg.slice(2, eq < 0 ? undefined : eq);
      const matches = LONG_OPTIONS.filter((o) => o.startsWith(given));
      const name = LONG_OPTIONS.includes(given) ? given : matches[0];
      if (matches.length === 0) {
        throw new UsageError(`unrecognized option '${arg}'`, true);
      }
      if (!LONG_OPTIONS.includes(given) && matches.length > 1) {
        throw new UsageError(
          `option '${arg}' is ambiguous; possibilities:${
            matches.map((m) => ` '--${m}'`).join("")
          }`,
          true,
        );
      }
      const value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (name === "suffix") {
        if (value !== undefined) a.suffix = value;
        else if (i + 1 < argv.length) a.suffix = argv[++i];
        else {
          throw new UsageError(`option '--suffix' requires an argument`, true);
        }
      } else if (value !== undefined && name !== "tmpdir") {
        throw new UsageError(
          `option '--${name}' doesn't allow an argument`,
          true,
        );
      } else if (name === "tmpdir") {
        a.useDestDir = true;
        a.destDir = value;
      } else if (name === "help" || name === "version") {
        a.show = name;
        return a;
      } else if (name === "directory") a.directory = true;
      else if (name === "dry-run") a.dryRun = true;
      else a.quiet = true;
      continue;
    }
    if (arg.length < 2 || !arg.startsWith("-")) {
      a.templates.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j];
      if (c === "d") a.directory = true;
      else if (c === "u") a.dryRun = true;
      else if (c === "q") a.quiet = true;
      else if (c === "t") a.useDestDir = a.deprecatedT = true;
      else if (c === "p") {
        a.useDestDir = true;
        if (j + 1 < arg.length) a.destDir = arg.slice(j + 1);
        else if (i + 1 < argv.length) a.destDir = argv[++i];
        else throw new UsageError(`option requires an argument -- 'p'`, true);
        break;
      } else throw new UsageError(`invalid option -- '${c}'`, true);
    }
  }
  return a;
}

/** The env var when set, non-empty and readable without a prompt. */
function tmpdirEnv(): string | undefined {
  return grantedEnv("TMPDIR") || undefined;
}

/** coreutils' `file_name_concat` for a template under a directory. */
function concatDir(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * The reason after "failed to create ... via template '...': ": the strerror
 * text inside a Deno I/O error's message, or a sandbox denial's message
 * without its own "mktemp: ".
 */
function osMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof Deno.errors.AlreadyExists) return "File exists";
  if (isSandboxDenial(err)) return message.replace(/^mktemp: /, "");
  return /^(.*?) \(os error \d+\)/.exec(message)?.[1] ?? message;
}

/** Runs the `mktemp` command line; returns the exit status. */
async function mktempMain(argv: string[]): Promise<number> {
  let args: MktempArgs;
  try {
    args = parseMktempArgs(argv);
    if (args.templates.length > 1) {
      throw new UsageError("too many templates", true);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`mktemp: ${err.message}`);
    if (err.hint) console.error("Try 'mktemp --help' for more information.");
    return 1;
  }
  if (args.show === "help") {
    console.log(USAGE);
    return 0;
  }
  if (args.show === "version") {
    console.log(`mktemp (@tempkit/tempkit) ${VERSION}`);
    return 0;
  }
  let template = args.templates[0];
  if (template === undefined) {
    template = "tmp.XXXXXXXXXX";
    args.useDestDir = true;
  }
  const fail = (message: string): number => {
    console.error(`mktemp: ${message}`);
    return 1;
  };
  let suffixStart: number;
  if (args.suffix !== undefined) {
    if (!template.endsWith("X")) {
      return fail(`with --suffix, template '${template}' must end in X`);
    }
    suffixStart = template.length;
    template += args.suffix;
  } else {
    suffixStart = template.lastIndexOf("X") + 1 || template.length;
  }
  const suffix = template.slice(suffixStart);
  if (suffix.includes("/")) {
    return fail(`invalid suffix '${suffix}', contains directory separator`);
  }
  let xCount = 0;
  while (template[suffixStart - 1 - xCount] === "X") xCount++;
  if (xCount < 3) return fail(`too few X's in template '${template}'`);
  if (args.useDestDir) {
    let dir: string;
    if (args.deprecatedT) {
      dir = tmpdirEnv() || args.destDir || "/tmp";
      if (template.includes("/")) {
        return fail(
          `invalid template, '${template}', contains directory separator`,
        );
      }
    } else {
      dir = args.destDir || tmpdirEnv() || "/tmp";
      if (template.startsWith("/")) {
        return fail(
          `invalid template, '${template}'; with --tmpdir, it may not be absolute`,
        );
      }
    }
    template = concatDir(dir, template);
    suffixStart = template.length - suffix.length;
  }
  const head = template.slice(0, suffixStart - xCount);
  const slash = head.lastIndexOf("/");
  const t: Target = {
    fn: "mktemp",
    dir: head.slice(0, slash + 1),
    prefix: head.slice(slash + 1),
    suffix,
    random: () => randomAlnum(xCount),
  };
  const kind = args.directory ? "directory" : "file";
  try {
    const path = args.dryRun
      ? dryRunName(t)
      : (await runAsync(createNew(t, args.directory ? newDir : newFile)))
        .path;
    console.log(path);
    return 0;
  } catch (err) {
    if (args.quiet) return 1;
    return fail(
      `failed to create ${kind} via template '${template}': ${osMessage(err)}`,
    );
  }
}

/** `-u`: a name that does not exist now (unsafe, as mktemp warns). */
function dryRunName(t: Target): string {
  // lstat needs read access: checked first, as creating checks write.
  const dir = t.dir || ".";
  if (!grantedDir("read", dir)) throw notGranted(t.fn, "read", dir);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = join(t.dir, t.prefix + t.random!() + t.suffix);
    try {
      Deno.lstatSync(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return path;
      throw explain(t.fn, dir, err);
    }
  }
  throw new Deno.errors.AlreadyExists("no unused name");
}

if (import.meta.main) Deno.exit(await mktempMain(Deno.args));
