// Private: exclusive creation under a fresh random name, the one retry loop
// behind tempfile.ts, the mktemp command line and stdfs.ts's atomic writes.
// Not exported from mod.ts; nothing here is part of the public API.

import { closeSync, constants, openSync } from "node:fs";
import { join } from "./path.ts";
import { io, type Step, type Task } from "./_io.ts";
import {
  deniedKind,
  grantScope,
  isGranted,
  isSandboxDenial,
  notCapable,
  type PermissionKind,
} from "./_permissions.ts";

/**
 * How many names are tried before giving up. Each carries 64 fresh random
 * bits, so even with 2^30 names already in the directory, ten collisions in
 * a row by chance have odds of (2^-34)^10 = 2^-340; more attempts would only
 * hide a directory that answers every name with `EEXIST`.
 */
export const ATTEMPTS = 10;

/** Where, and under which name parts, a function creates. */
export interface Target {
  /** The public function creating, for its error messages. */
  fn: string;
  /** The directory; `""` for the current one (the mktemp command line's bare name). */
  dir: string;
  prefix: string;
  suffix: string;
}

/**
 * What a creating function makes at a fresh name, with permission bits
 * `mode` (before the umask) when given, else the maker's own default.
 */
export type Make<T> = (path: string, mode?: number) => Step<T>;

/** The default mode of a new file, as `mkstemp(3)` makes it. */
export const FILE_MODE = 0o600;
/** The default mode of a new directory, as `mkdtemp(3)` makes it. */
export const DIR_MODE = 0o700;

// Exclusive creation: never opens an existing file, never follows a symlink
// (O_CREAT | O_EXCL fails on one, dangling or not). The mode goes to
// open(2) and mkdir(2), so the umask applies to it (`Deno.writeFile`'s
// `mode` is a chmod afterwards, which would not).
const NEW_FILE: Deno.OpenOptions = {
  write: true,
  createNew: true,
  mode: FILE_MODE,
};
const NEW_RW_FILE: Deno.OpenOptions = { ...NEW_FILE, read: true };
const NEW_DIR: Deno.MkdirOptions = { mode: DIR_MODE };

const EXCLUSIVE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY;

/** A new, empty file, closed again. */
export const newFile: Make<void> = (path, mode) => {
  const options = mode === undefined ? NEW_FILE : { ...NEW_FILE, mode };
  return {
    sync: () => {
      // node:fs's open and close make the same open(2) as Deno.openSync
      // without building a Deno.FsFile: 2 of 11 µs on tmpfs. On a failure
      // Deno.openSync tries once more, so that the error is Deno's (or the
      // file is made, if what stood in the way has gone meanwhile).
      let fd: number;
      try {
        fd = openSync(path, EXCLUSIVE, mode ?? FILE_MODE);
      } catch {
        Deno.openSync(path, options).close();
        return;
      }
      closeSync(fd);
    },
    async: async () => (await Deno.open(path, options)).close(),
  };
};
/** A new file, left open for reading and writing. */
export const newOpenFile: Make<Deno.FsFile> = (path, mode) =>
  io.open(path, mode === undefined ? NEW_RW_FILE : { ...NEW_RW_FILE, mode });
/** A new directory. */
export const newDir: Make<void> = (path, mode) =>
  io.mkdir(path, mode === undefined ? NEW_DIR : { mode });

// Not @std/encoding's encodeHex, which does the same but copies the bytes,
// grows a buffer and makes a TextDecoder per call: about 2 µs, a fifth of a
// whole mkstempSync on tmpfs, where this table takes 0.3.
const RANDOM = new Uint8Array(8);
const HEX = Array.from(
  { length: 256 },
  (_, i) => i.toString(16).padStart(2, "0"),
);

/** 16 lowercase hex chars from 8 fresh random bytes. */
export function randomHex(): string {
  const b = crypto.getRandomValues(RANDOM);
  return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + HEX[b[4]] +
    HEX[b[5]] + HEX[b[6]] + HEX[b[7]];
}

/** A path as a permission flag takes it: no trailing slash, `"."` for `""`. */
function flagPath(path: string): string {
  if (path === "") return ".";
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  return path.slice(0, end);
}

/**
 * The `NotCapable` for `kind` access to `dir` that is not granted. A
 * missing read grant names the scope already granted for writing (with
 * `--allow-write=/tmp`, a directory `/tmp/tmp0123456789abcdef` made by a
 * TemporaryDirectory asks for `--allow-read=/tmp`): a random name changes
 * on every run, so a flag naming it could never be given ahead of time.
 */
export function notGranted(
  fn: string,
  kind: "read" | "write",
  dir: string,
  cause?: unknown,
): Deno.errors.NotCapable {
  const target = flagPath(dir);
  const scope = kind === "read" ? flagPath(grantScope(kind, target)) : target;
  return notCapable({ fn, kind, target, scope }, cause);
}

// A query costs about as much as a fifth of a creation, so a directory
// found granted is remembered. Only a caller's own `Deno.permissions.revoke`
// could make the answer stale.
const grantedDirs = { read: new Set<string>(), write: new Set<string>() };

/** Whether `kind` access to `dir` is granted; a yes is remembered. */
export function grantedDir(kind: "read" | "write", dir: string): boolean {
  if (grantedDirs[kind].has(dir)) return true;
  if (!isGranted(kind, dir)) return false;
  grantedDirs[kind].add(dir);
  return true;
}

/**
 * Fails at once unless the access is already granted: asking Deno first
 * would prompt for one random name, and a "yes" would grant only that name,
 * so the next call would prompt again.
 */
export function requireGranted(t: Target, needsRead: boolean): void {
  // Deno rejects a query for the empty path: a bare name is in ".".
  const dir = t.dir || ".";
  if (!grantedDir("write", dir)) throw notGranted(t.fn, "write", dir);
  if (needsRead && !grantedDir("read", dir)) {
    throw notGranted(t.fn, "read", dir);
  }
}

/**
 * A sandbox denial the queries did not foresee (a `--deny-*` flag on one
 * name, a path Deno reserves to `--allow-all`), rethrown with the flag that
 * would grant it and Deno's error as the `cause`; any other error as is.
 */
export function explain(fn: string, dir: string, err: unknown): unknown {
  if (!isSandboxDenial(err)) return err;
  const target = flagPath(dir);
  const kind = deniedKind(err);
  // The grant that was refused is the one named: a --deny-* flag takes
  // a name out of a wider grant, so widening the advice would not help.
  if (kind !== undefined) return notCapable({ fn, kind, target }, err);
  // Deno's message did not say: guess from what is granted.
  const guess: PermissionKind = isGranted("write", target) ? "read" : "write";
  return notCapable({ fn, kind: guess, target }, err);
}

/** What {@linkcode createNew} made, and where. */
export interface Created<T> {
  path: string;
  value: T;
}

/** Options of {@linkcode createNew}. */
export interface CreateOptions {
  /** Also check read access to the directory (for a file left open read-write). */
  needsRead?: boolean;
  /** The random part of a name; default {@linkcode randomHex}. */
  randomPart?: () => string;
  /** Permission bits for the new entry; default the maker's own. */
  mode?: number;
}

/**
 * Makes something new at `dir/prefix + random + suffix`, retrying a name
 * that exists, {@linkcode ATTEMPTS} in all; any other failure is thrown at
 * once.
 */
export function* createNew<T>(
  t: Target,
  make: Make<T>,
  options: CreateOptions = {},
): Task<Created<T>> {
  requireGranted(t, options.needsRead ?? false);
  const randomPart = options.randomPart ?? randomHex;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = join(t.dir, t.prefix + randomPart() + t.suffix);
    try {
      // Yielded directly rather than through perform(): one generator fewer
      // on the hot path.
      const value = (yield make(path, options.mode)) as T;
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
