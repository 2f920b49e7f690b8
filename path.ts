/**
 * Pure-string POSIX path helpers with GNU coreutils and Python conventions.
 *
 * - {@linkcode basename} gives exactly what `basename -- PATH [SUFFIX]` prints.
 * - {@linkcode dirname} gives exactly what `dirname -- PATH` prints.
 * - {@linkcode join} is Python's `posixpath.join` with empty parts dropped.
 *
 * Only `/` separates components, on every platform, and nothing touches the
 * file system, so no permission is needed. Unlike the file functions of this
 * package, which take `string | URL`, these take strings only (anything else
 * is a `TypeError`): they work on the spelling of a path, and a file URL's
 * spelling is not a path's (percent-escapes, an optional host).
 *
 * How they differ from the helpers you may know:
 *
 * | call | here | `node:path` |
 * | --- | --- | --- |
 * | `basename("/")` | `"/"` | `""` |
 * | `dirname("a//b")` | `"a"` | `"a/"` |
 * | `join("/var", "/abs")` | `"/abs"` | `"/var/abs"` |
 * | `join("a/./b", "../c")` | `"a/./b/../c"` | `"a/c"` |
 *
 * `@std/path`'s and Node's `join` normalise the result (resolving `.` and
 * `..`, which is wrong where `b` is a symlink) and never let an absolute part
 * win; here, as in Python, a part starting with `/` replaces everything
 * before it and the parts are kept verbatim.
 *
 * @example Usage
 * ```ts
 * import { basename, dirname, join } from "@tempkit/tempkit/path";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(basename("/usr/lib/libc.so.6"), "libc.so.6");
 * assertEquals(dirname("/usr/lib/"), "/usr");
 * assertEquals(join("/var", "log", "syslog"), "/var/log/syslog");
 * ```
 *
 * @module
 */

import { assertString } from "./_args.ts";

/** Index just past the last character that is not a trailing `/`. */
function endOfName(path: string): number {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return end;
}

/**
 * Returns the last component of `path`, as GNU `basename -- PATH [SUFFIX]`
 * prints it.
 *
 * Trailing slashes are ignored; a path made only of slashes gives `"/"` and
 * the empty string gives `""`. When `suffix` is given, it is removed from the
 * result only when it is a proper suffix (the result is never emptied by it)
 * and the result is not `"/"`.
 *
 * @param path The path to take the last component of.
 * @param suffix A suffix to remove, such as an extension (`".ts"`).
 * @returns The last component of `path`, without `suffix`.
 * @throws {TypeError} When `path` or `suffix` is not a string.
 *
 * @example Last component
 * ```ts
 * import { basename } from "@tempkit/tempkit/path";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(basename("/foo/bar/"), "bar");
 * assertEquals(basename("plain"), "plain");
 * assertEquals(basename("/"), "/");
 * assertEquals(basename(""), "");
 * ```
 *
 * @example Removing a suffix
 * ```ts
 * import { basename } from "@tempkit/tempkit/path";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(basename("src/mod.ts", ".ts"), "mod");
 * assertEquals(basename("src/.ts", ".ts"), ".ts"); // not a proper suffix
 * ```
 */
export function basename(path: string, suffix?: string): string {
  assertString("basename", "path", path);
  if (suffix !== undefined) assertString("basename", "suffix", suffix);
  if (path === "") return "";
  const end = endOfName(path);
  if (end === 0) return "/";
  const name = path.slice(path.lastIndexOf("/", end - 1) + 1, end);
  if (suffix && name.length > suffix.length && name.endsWith(suffix)) {
    return name.slice(0, name.length - suffix.length);
  }
  return name;
}

/**
 * Returns `path` without its last component, as GNU `dirname -- PATH` prints
 * it.
 *
 * Trailing slashes are ignored, and so are the slashes that separate the last
 * component from the rest. A path with no `/` gives `"."`; a path whose only
 * parent is the root gives `"/"`. Slashes and `.`/`..` inside the result are
 * kept as written.
 *
 * @param path The path to take the parent of.
 * @returns The parent part of `path`.
 * @throws {TypeError} When `path` is not a string.
 *
 * @example Parent directory
 * ```ts
 * import { dirname } from "@tempkit/tempkit/path";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(dirname("/foo/bar/"), "/foo");
 * assertEquals(dirname("plain"), ".");
 * assertEquals(dirname("/"), "/");
 * assertEquals(dirname(""), ".");
 * assertEquals(dirname("a//b"), "a");
 * ```
 */
export function dirname(path: string): string {
  assertString("dirname", "path", path);
  const end = endOfName(path);
  if (end === 0) return path === "" ? "." : "/";
  let cut = path.lastIndexOf("/", end - 1);
  if (cut === -1) return ".";
  while (cut > 0 && path.charCodeAt(cut - 1) === 0x2f) cut--;
  return cut === 0 ? "/" : path.slice(0, cut);
}

/**
 * Joins path parts with `/`, as Python's `posixpath.join` does, except that
 * empty parts are dropped.
 *
 * Folding left over the non-empty parts: a part starting with `/` replaces
 * everything before it; any other part is appended after a `/`, unless the
 * result so far is empty or already ends in `/`. Nothing is normalised:
 * `.`, `..` and repeated slashes are kept as written. `join()` is `""`.
 *
 * @param parts The parts to join.
 * @returns The joined path.
 * @throws {TypeError} When any part is not a string.
 *
 * @example Joining
 * ```ts
 * import { join } from "@tempkit/tempkit/path";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(join("/var", "log"), "/var/log");
 * assertEquals(join("/a/", "b"), "/a/b");
 * assertEquals(join("", "b"), "b");
 * assertEquals(join("/a", ""), "/a");
 * assertEquals(join(), "");
 * ```
 *
 * @example An absolute part wins
 * ```ts
 * import { join } from "@tempkit/tempkit/path";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(join("/var", "/abs", "x"), "/abs/x");
 * ```
 */
export function join(...parts: string[]): string {
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    assertString("join", `parts[${i}]`, part);
    if (part === "") continue;
    if (out === "" || part.startsWith("/")) out = part;
    else if (out.endsWith("/")) out += part;
    else out += "/" + part;
  }
  return out;
}
