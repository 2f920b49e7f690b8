// Private: the one thing Deno's file API cannot do, done through the C
// library when `--allow-ffi` is already granted: act on a directory entry
// whose name is not valid UTF-8. Deno lists such a name with U+FFFD in place
// of the bad bytes and takes only strings, so it can never pass the name
// back to chmod, rename or lstat. Not exported from mod.ts; nothing here is
// part of the public API.

import { isGranted } from "./_permissions.ts";

/**
 * `struct dirent`'s `d_name` offset on 64-bit Linux, in glibc and musl
 * alike: after `d_ino` (8 bytes), `d_off` (8), `d_reclen` (2), `d_type` (1).
 */
const D_NAME = 19;
/** `NAME_MAX` + 1: the most bytes `d_name` holds, its NUL included. */
const NAME_BYTES = 256;

const SYMBOLS = {
  opendir: { parameters: ["buffer"], result: "pointer" },
  readdir: { parameters: ["pointer"], result: "pointer" },
  closedir: { parameters: ["pointer"], result: "i32" },
  rename: { parameters: ["buffer", "buffer"], result: "i32" },
} as const;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
let libc: Libc | undefined;

/**
 * Whether raw names can be handled here: on Linux (whose `dirent` layout is
 * the one above), with `--allow-ffi` already granted (queried, never
 * prompted for).
 */
export function rawNamesAvailable(): boolean {
  return Deno.build.os === "linux" && isGranted("ffi");
}

function open(): Libc {
  libc ??= Deno.dlopen("libc.so.6", SYMBOLS).symbols;
  return libc;
}

const ENCODER = new TextEncoder();
const STRICT = new TextDecoder("utf-8", { fatal: true });

/** `path` as a NUL-terminated C string. */
function cString(...parts: (string | Uint8Array)[]): Uint8Array<ArrayBuffer> {
  const bytes = parts.map((p) => typeof p === "string" ? ENCODER.encode(p) : p);
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0) + 1);
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** The names in `dir`, as raw bytes, that are not valid UTF-8. */
function undecodableNames(c: Libc, dir: string): Uint8Array[] {
  const handle = c.opendir(cString(dir));
  if (handle === null) return [];
  const names: Uint8Array[] = [];
  try {
    for (;;) {
      const entry = c.readdir(handle);
      if (entry === null) break;
      const view = new Deno.UnsafePointerView(entry);
      const name = new Uint8Array(NAME_BYTES);
      let length = 0;
      while (length < NAME_BYTES - 1) {
        const byte = view.getUint8(D_NAME + length);
        if (byte === 0) break;
        name[length++] = byte;
      }
      const raw = name.slice(0, length);
      try {
        STRICT.decode(raw);
      } catch {
        names.push(raw);
      }
    }
  } finally {
    c.closedir(handle);
  }
  return names;
}

/**
 * Renames every entry of `dir` whose name is not valid UTF-8 to
 * `dir/<fresh(i)>`, so that Deno can name it; returns how many were
 * renamed. `dir` must be a directory nobody else can write to, so that
 * what was listed is what is renamed.
 */
export function renameUndecodable(
  dir: string,
  fresh: () => string,
): number {
  const c = open();
  let renamed = 0;
  for (const raw of undecodableNames(c, dir)) {
    const from = cString(dir, "/", raw);
    const to = cString(dir, "/", fresh());
    if (c.rename(from, to) === 0) renamed++;
  }
  return renamed;
}
