// Private: Deno's permission sandbox, queried without prompting, and the one
// vocabulary every module uses for a permission that is missing ("run again
// with --allow-write=/tmp"). Not exported from mod.ts; nothing here is part
// of the public API.

import { dirname } from "@std/path/dirname";
import { resolve } from "@std/path/resolve";

/** The kinds of Deno permission this package may need. */
export type PermissionKind = "read" | "write" | "env" | "run" | "ffi";

/** True when Deno's permission sandbox denied the access. */
export function isSandboxDenial(
  err: unknown,
): err is Deno.errors.NotCapable {
  return err instanceof Deno.errors.NotCapable;
}

/** The flag that grants `kind` on `target`, e.g. `--allow-write=/tmp`. */
export function permissionFlag(
  kind: PermissionKind | "all",
  target?: string,
): string {
  if (kind === "all") return "--allow-all";
  return target === undefined ? `--allow-${kind}` : `--allow-${kind}=${target}`;
}

/** True when `kind` permission for `target` is already granted (never prompts). */
export function isGranted(kind: PermissionKind, target?: string): boolean {
  let desc: Deno.PermissionDescriptor;
  if (kind === "env") desc = { name: "env", variable: target };
  else if (kind === "run") desc = { name: "run", command: target };
  else if (kind === "ffi") desc = { name: "ffi", path: target };
  else desc = { name: kind, path: target };
  return Deno.permissions.querySync(desc).state === "granted";
}

/** An environment variable, read only when that read is already granted. */
export function grantedEnv(name: string): string | undefined {
  return isGranted("env", name) ? Deno.env.get(name) : undefined;
}

/**
 * The kind of access a sandbox denial (`Deno.errors.NotCapable`) refused,
 * read from Deno's message ("Requires write access to ..."); `"all"` for
 * the paths Deno reserves to `--allow-all` (such as `/proc/self`);
 * `undefined` when the message does not say.
 */
export function deniedKind(err: unknown): PermissionKind | "all" | undefined {
  const match = err instanceof Error
    ? /Requires (read|write|env|run|ffi|all) access/.exec(err.message)
    : null;
  return match ? match[1] as PermissionKind | "all" : undefined;
}

/**
 * The path to name in a flag granting `kind` on `path`: one the user can
 * grant once and keep granting, not a random name that changes every run.
 * For read or write, that is the outermost directory above `path` where the
 * other of the two is already granted (with `--allow-write=/tmp`, a read of
 * `/tmp/tmp0123456789abcdef/x` names `/tmp`, the scope granted for
 * writing); failing that, `fallback` (say, the directory a handle was
 * created in), else `path` itself.
 */
export function grantScope(
  kind: PermissionKind,
  path: string,
  fallback?: string,
): string {
  const other = kind === "read" ? "write" : kind === "write" ? "read" : null;
  if (other === null) return fallback ?? path;
  let scope: string | undefined;
  let dir = resolve(path);
  for (;;) {
    if (isGranted(other, dir)) scope = dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return scope ?? fallback ?? path;
}

/** What a permission message says: who needed what, where, and why. */
export interface PermissionNeed {
  /** The public function that needed the access. */
  fn: string;
  /** The permission that is missing (`"all"`: Deno reserves the path). */
  kind: PermissionKind | "all";
  /** What was to be accessed: a path, an env variable, a program. */
  target?: string;
  /** What the flag names, when it differs from `target` (see {@linkcode grantScope}). */
  scope?: string;
  /** Why the access is needed, when the caller could not guess it. */
  why?: string;
}

/**
 * The one message every module gives for a permission that is missing:
 * `fn: read access to "/x" is not granted (why); run again with --allow-read=/x`.
 */
export function permissionMessage(need: PermissionNeed): string {
  const { fn, kind, target, why } = need;
  const what = kind === "all"
    ? `Deno reserves ${
      target === undefined ? "this access" : `"${target}"`
    } to --allow-all`
    : `${kind} access${
      target === undefined ? "" : ` to "${target}"`
    } is not granted`;
  const flag = permissionFlag(kind, need.scope ?? target);
  return `${fn}: ${what}${why ? ` (${why})` : ""}; run again with ${flag}`;
}

/** A `Deno.errors.NotCapable` carrying {@linkcode permissionMessage}. */
export function notCapable(
  need: PermissionNeed,
  cause?: unknown,
): Deno.errors.NotCapable {
  return new Deno.errors.NotCapable(permissionMessage(need), { cause });
}

/**
 * An OS error's own reason, the strerror text inside Deno's message
 * ("Permission denied (os error 13): ..." gives "Permission denied").
 */
export function osReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /^(.*?) \(os error \d+\)/.exec(message)?.[1] ?? message;
}

/**
 * The class of a Deno error (`Deno.errors.NotFound`, ...), to rethrow it
 * with a message that says more; `Error` for anything else.
 */
export function errorClass(
  err: unknown,
): new (message: string, options?: ErrorOptions) => Error {
  const Kind = (err as { constructor?: unknown } | null)?.constructor;
  return Object.values(Deno.errors).includes(Kind as never)
    ? Kind as new (message: string, options?: ErrorOptions) => Error
    : Error;
}
