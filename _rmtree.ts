// Private: removal of a directory tree that another user may be writing
// in, and that may be deeper than the descriptor limit or than PATH_MAX.
// Not exported from mod.ts; nothing here is part of the public API.
//
// rmdir(2) is tried first (an empty directory is the common case), then
// Deno's recursive removal (Rust's `remove_dir_all`): it never follows a
// symlink and never changes a mode, so it is safe, but it stops at a
// directory without write or search permission, and it holds a descriptor
// per level. Then a walk of our own takes over. Deno has no `fchmod` or
// `openat`, so the walk secures the tree top-down instead:
//
// - the root must still be the directory that was created (its device and
//   inode, recorded then), else it is left alone;
// - a directory is entered only when it is a real directory (`lstat`, which
//   does not follow links) owned by the root's owner, and it is made exactly
//   `0o700` before any of its entries is touched. From then on nobody else
//   can rename, replace or add anything inside it, so what the walk found
//   there is what it acts on; a directory of another user is never entered
//   or chmod-ed (it is handed to the safe recursive removal as it is);
// - the mode is a fixed `0o700`, never computed from the entry's own bits,
//   which another user may have chosen.
//
// The walk keeps an explicit stack and holds no descriptor between steps.
// When a path grows long, the directory is first moved up to the root with
// one rename, so every path stays short without `chdir` (which a library
// must never do).

import { rmdirSync } from "node:fs";
import { rmdir } from "node:fs/promises";
import { join } from "./path.ts";
import { io, perform, type Step, type Task } from "./_io.ts";
import { randomHex } from "./_create.ts";
import {
  errorClass,
  grantScope,
  isGranted,
  notCapable,
  osReason,
} from "./_permissions.ts";
import { rawNamesAvailable, renameUndecodable } from "./_libc.ts";

/** Which directory a handle created: what `lstat` said of it then. */
export interface Identity {
  dev: number;
  ino: number;
  uid: number | null;
}

/** Options of {@linkcode removeTree}. */
export interface RemoveTreeOptions {
  /** The public function removing, for its error messages. */
  fn: string;
  /** The root as it was created; without it, as it is now. */
  identity?: Identity;
  /** Where to point a missing read grant when no write grant says better. */
  scope?: string;
}

const RECURSIVE: Deno.RemoveOptions = { recursive: true };
const OWNER_ONLY = 0o700;
/**
 * A directory whose path is longer than this (in UTF-8 bytes) is moved up
 * to the root before it is entered: with one more name of up to 255 bytes,
 * every path stays under the smallest `PATH_MAX` in use (1,024, macOS).
 */
const HOIST_AT = 600;
/** How many problems an error lists by name. */
const SHOWN = 3;

/**
 * The identity of the directory just made at `path`, for
 * {@linkcode removeTree}. Both forms call `lstat` synchronously: the inode
 * was just made, so the call is served from memory (about 3 µs), where
 * Deno's asynchronous op would add a thread hop of about 20 µs to every
 * `TemporaryDirectory.create`.
 */
export function identityOf(path: string): Step<Identity> {
  const run = (): Identity => {
    const info = Deno.lstatSync(path);
    return { dev: info.dev, ino: info.ino ?? 0, uid: info.uid };
  };
  return { sync: run, async: () => Promise.resolve().then(run) };
}

/**
 * Removes the tree at `path`; already gone is fine, and so is a path that
 * no longer names the directory `options.identity` describes (it was
 * removed, or moved away and replaced): whatever is there now is left
 * alone, but for an empty directory, which rmdir(2) takes as it would take
 * ours. Symlinks inside are unlinked, never followed. See the module
 * comment for how a tree that Deno's own removal cannot take is secured
 * and walked.
 */
export function* removeTree(
  path: string,
  options: RemoveTreeOptions,
): Task<void> {
  // An empty directory, the common case, costs one call.
  const emptied = yield* perform(removeEmpty(path));
  if (emptied) return;
  const want = options.identity;
  if (want !== undefined) {
    let info: Deno.FileInfo;
    try {
      info = yield* perform(io.lstat(path));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
      throw err;
    }
    if (!info.isDirectory || info.dev !== want.dev || info.ino !== want.ino) {
      return;
    }
  }
  let refused: unknown;
  try {
    yield* perform(io.remove(path, RECURSIVE));
    return;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return;
    if (err instanceof Deno.errors.NotCapable) throw err;
    refused = err;
  }
  // The walk reads the tree, which creating it did not need; asking for
  // read access now would prompt about one random name.
  if (!isGranted("read", path)) {
    throw notCapable({
      fn: options.fn,
      kind: "read",
      target: path,
      scope: grantScope("read", path, options.scope),
      why: `removing it was refused: ${
        osReason(refused)
      }; making the directories inside it writable reads the tree`,
    }, refused);
  }
  yield* new Walk(path, want?.uid, options.fn, refused).run();
}

interface Frame {
  path: string;
  /** Subdirectory names still to enter; `undefined` until listed. */
  pending?: string[];
  /** Names Deno lists lossily (U+FFFD) and so cannot act on. */
  undecodable: string[];
  /** Whether libc already renamed this directory's undecodable entries. */
  renamed?: boolean;
}

/** A problem met on the way, with the path it concerns. */
interface Problem {
  path: string;
  error: unknown;
}

class Walk {
  readonly #root: string;
  /** The root's owner: only directories of this user are entered. */
  #uid: number | null | undefined;
  readonly #fn: string;
  readonly #refused: unknown;
  readonly #problems: Problem[] = [];
  readonly #stuck: { dir: string; names: string[] }[] = [];

  constructor(
    root: string,
    uid: number | null | undefined,
    fn: string,
    refused: unknown,
  ) {
    this.#root = root;
    this.#uid = uid;
    this.#fn = fn;
    this.#refused = refused;
  }

  *run(): Task<void> {
    const root = yield* this.#secureRoot();
    if (root === undefined) return;
    const stack: Frame[] = [{ path: root, undecodable: [] }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.pending === undefined) {
        yield* this.#list(frame);
        continue;
      }
      const name = frame.pending.pop();
      if (name !== undefined) {
        const child = yield* this.#enter(frame, name);
        if (child !== undefined) stack.push({ path: child, undecodable: [] });
        continue;
      }
      if (yield* this.#retryRenamed(frame)) continue;
      stack.pop();
      yield* this.#leave(frame);
    }
    try {
      yield* perform(io.lstat(root));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
    }
    throw this.#failure();
  }

  /** Makes the root ours alone; `undefined` when it is gone. */
  *#secureRoot(): Task<string | undefined> {
    let info: Deno.FileInfo;
    try {
      info = yield* perform(io.lstat(this.#root));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
    if (!info.isDirectory) return undefined;
    this.#uid ??= info.uid;
    if (!(yield* this.#makeOwnerOnly(this.#root, info))) throw this.#failure();
    return this.#root;
  }

  /** `chmod 0o700`, unless already exactly that; false when it failed. */
  *#makeOwnerOnly(path: string, info: Deno.FileInfo): Task<boolean> {
    if (info.mode === null || (info.mode & 0o7777) === OWNER_ONLY) return true;
    try {
      yield* perform(io.chmod(path, OWNER_ONLY));
      return true;
    } catch (err) {
      this.#problem(path, err);
      return false;
    }
  }

  /** Lists a secured directory, unlinking what is not a directory. */
  *#list(frame: Frame): Task<void> {
    frame.pending = [];
    let entries: Deno.DirEntry[];
    try {
      entries = yield* perform(io.readDir(frame.path));
    } catch (err) {
      this.#problem(frame.path, err);
      return;
    }
    for (const entry of entries) {
      // A symlink to a directory is not a directory here: it is unlinked.
      if (entry.isDirectory) frame.pending.push(entry.name);
      else yield* this.#unlink(frame, entry.name);
    }
  }

  *#unlink(frame: Frame, name: string): Task<void> {
    const path = join(frame.path, name);
    try {
      yield* perform(io.remove(path));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) this.#problem(path, err);
      else if (name.includes("\ufffd")) frame.undecodable.push(name);
    }
  }

  /**
   * Checks a subdirectory of a secured directory and secures it in turn;
   * returns the path to walk (moved up to the root when the path is long),
   * or `undefined` when there is nothing to walk.
   */
  *#enter(frame: Frame, name: string): Task<string | undefined> {
    const path = join(frame.path, name);
    let info: Deno.FileInfo;
    try {
      info = yield* perform(io.lstat(path));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) this.#problem(path, err);
      else if (name.includes("\ufffd")) frame.undecodable.push(name);
      return undefined;
    }
    if (!info.isDirectory) {
      yield* this.#unlink(frame, name);
      return undefined;
    }
    if (info.uid !== this.#uid) {
      // Another user's: making it 0o700 would leave it theirs, so it is
      // never entered or chmod-ed, only handed to the safe removal.
      try {
        yield* perform(io.remove(path, RECURSIVE));
      } catch (err) {
        this.#problem(path, err);
      }
      return undefined;
    }
    if (!(yield* this.#makeOwnerOnly(path, info))) return undefined;
    if (utf8Length(path) <= HOIST_AT) return path;
    const hoisted = join(this.#root, `tmp${randomHex()}`);
    try {
      yield* perform(io.rename(path, hoisted));
      return hoisted;
    } catch (err) {
      this.#problem(path, err);
      return undefined;
    }
  }

  /**
   * When a directory holds names Deno could not act on, libc (with
   * `--allow-ffi`) renames them once, and the directory is listed again.
   */
  *#retryRenamed(frame: Frame): Task<boolean> {
    if (frame.undecodable.length === 0 || frame.renamed) return false;
    // Deno's own removal takes raw names, and needs no chmod for what is
    // writable already; only what it leaves needs renaming.
    try {
      yield* perform(io.remove(frame.path, RECURSIVE));
      frame.undecodable = [];
      return false;
    } catch {
      // what is left is listed again below
    }
    if (!rawNamesAvailable()) return false;
    frame.renamed = true;
    const renamed = yield* perform(libcRename(frame.path));
    if (renamed === 0) return false;
    frame.pending = undefined;
    frame.undecodable = [];
    return true;
  }

  /** Removes a directory whose entries have all been handled. */
  *#leave(frame: Frame): Task<void> {
    try {
      yield* perform(io.remove(frame.path));
      return;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return;
      const names = yield* this.#stillThere(frame);
      if (names.length > 0) this.#stuck.push({ dir: frame.path, names });
      else if (this.#problems.length === 0) this.#problem(frame.path, err);
    }
  }

  /** Which of a directory's undecodable names are still in it. */
  *#stillThere(frame: Frame): Task<string[]> {
    if (frame.undecodable.length === 0) return [];
    try {
      const entries = yield* perform(io.readDir(frame.path));
      return entries.map((e) => e.name).filter((n) =>
        frame.undecodable.includes(n)
      );
    } catch {
      return frame.undecodable;
    }
  }

  #problem(path: string, error: unknown): void {
    this.#problems.push({ path, error });
  }

  /** The error for a tree that could not be removed, saying what is left. */
  #failure(): Error {
    const fn = this.#fn;
    const root = this.#root;
    const cause = this.#problems[0]?.error ?? this.#refused;
    const parts: string[] = [];
    const stuck = this.#stuck.flatMap((s) => s.names.map((n) => [s.dir, n]));
    if (stuck.length > 0) {
      const dirs = [...new Set(stuck.map(([dir]) => `"${dir}"`))].join(", ");
      const names = stuck.slice(0, SHOWN).map(([, n]) => JSON.stringify(n));
      if (stuck.length > SHOWN) names.push("...");
      const one = stuck.length === 1;
      parts.push(
        `${one ? "1 entry" : `${stuck.length} entries`} in ${dirs} ${
          one ? "has a name that is" : "have names that are"
        } not valid UTF-8 (${names.join(", ")}, as Deno decodes ${
          one ? "it" : "them"
        }), and what ${
          one ? "it holds" : "they hold"
        } needs a chmod that Deno cannot pass such a name to; ${
          Deno.build.os === "linux"
            ? `run again with --allow-ffi to let libc rename ${
              one ? "it" : "them"
            }`
            : "remove them with the system's own tools"
        } (everything else was removed)`,
      );
    }
    for (const { path, error } of this.#problems.slice(0, SHOWN)) {
      parts.push(`"${path}": ${osReason(error)}`);
    }
    if (this.#problems.length > SHOWN) {
      parts.push(`and ${this.#problems.length - SHOWN} more`);
    }
    if (parts.length === 0) parts.push(osReason(cause));
    const message = `${fn}: could not remove "${root}": ${parts.join("; ")}`;
    return new (errorClass(cause))(message, { cause });
  }
}

/**
 * rmdir(2), which Deno has no call for (`Deno.remove` would unlink a file
 * that took the directory's name): true when `path` is gone now, or names
 * something other than a directory (which is then not ours to remove);
 * false when it is a directory that rmdir(2) cannot take, not empty or
 * refused, for the callers to deal with in Deno's terms.
 */
function removeEmpty(path: string): Step<boolean> {
  return {
    sync: () => {
      try {
        rmdirSync(path);
        return true;
      } catch (err) {
        return isGoneOrOther(err);
      }
    },
    async: () => rmdir(path).then(() => true, isGoneOrOther),
  };
}

function isGoneOrOther(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The libc renaming as a step (it is synchronous either way). */
function libcRename(dir: string): Step<number> {
  const run = () => renameUndecodable(dir, () => `tmp${randomHex()}`);
  return { sync: run, async: () => Promise.resolve().then(run) };
}

/** The length of `s` in UTF-8 bytes. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}
