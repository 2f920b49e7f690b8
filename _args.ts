// Private: argument and option checks shared by the modules of this
// package, pure functions that run anywhere (no Deno APIs). Not exported
// from mod.ts; nothing here is part of the public API.

import { fromFileUrl } from "@std/path/from-file-url";

/** Throws a `TypeError` naming `fn` and `name` unless `value` is a string. */
export function assertString(
  fn: string,
  name: string,
  value: unknown,
): asserts value is string {
  if (typeof value !== "string") {
    throw new TypeError(
      `${fn}: ${name} must be a string, got ${describe(value)}`,
    );
  }
}

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    try {
      return (value as object).constructor?.name ?? "object";
    } catch {
      return "object"; // a Proxy whose trap throws
    }
  }
  return typeof value;
}

/**
 * Converts a `string | URL` path argument to a string path, as Deno's own
 * APIs accept them: a `URL` must be a local `file:` URL. The empty path,
 * which names nothing, and a NUL, which no system call can pass, are
 * `TypeError`s naming `fn` and `name`.
 */
export function toPathString(fn: string, name: string, value: unknown): string {
  let path: string;
  if (typeof value === "string") path = value;
  else if (value instanceof URL) path = urlPath(fn, name, value);
  else {
    throw new TypeError(
      `${fn}: ${name} must be a string or a file URL, got ${describe(value)}`,
    );
  }
  if (path === "") throw new TypeError(`${fn}: ${name} must not be empty`);
  if (path.includes("\0")) {
    throw new TypeError(`${fn}: ${name} must not contain a NUL character`);
  }
  return path;
}

function urlPath(fn: string, name: string, url: URL): string {
  if (url.protocol !== "file:") {
    throw new TypeError(
      `${fn}: ${name} must be a file URL, got ${url.protocol} URL`,
    );
  }
  if (url.hostname !== "" && url.hostname !== "localhost") {
    throw new TypeError(
      `${fn}: ${name} must be a local file URL, got host ${url.hostname}`,
    );
  }
  try {
    return fromFileUrl(url);
  } catch {
    throw new TypeError(
      `${fn}: ${name} must be a file URL whose escapes decode as UTF-8, got ${url.href}`,
    );
  }
}

// ---------------------------------------------------------------------------
// Options bags

/**
 * The options argument as a record, every key checked: `undefined` is `{}`;
 * anything but an object, or a key not in `known`, is a `TypeError` naming
 * `fn`, the key and the valid keys. A key that is a snake_case or
 * differently cased spelling of a known one (Python's `cum_weights`) is
 * pointed at it; `hints` gives advice for keys that mean something
 * elsewhere (`append` on `writeFile`).
 */
export function optionBag(
  fn: string,
  options: unknown,
  known: readonly string[],
  hints?: Readonly<Record<string, string>>,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `${fn}: options must be an object, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw unknownOption(fn, key, known, hints);
  }
  return options as Record<string, unknown>;
}

function unknownOption(
  fn: string,
  key: string,
  known: readonly string[],
  hints?: Readonly<Record<string, string>>,
): TypeError {
  const fold = (k: string) => k.replaceAll("_", "").toLowerCase();
  const near = known.find((k) => fold(k) === fold(key));
  const hint = Object.hasOwn(hints ?? {}, key)
    ? `; ${hints![key]}`
    : near === undefined
    ? ""
    : `; did you mean "${near}"?`;
  const valid = known.length === 0
    ? "it takes no options"
    : `valid options: ${known.join(", ")}`;
  return new TypeError(
    `${fn}: unknown option "${key}"${hint} (${valid})`,
  );
}

/** A boolean option: `fallback` when absent, else it must be a boolean. */
export function booleanOption(
  fn: string,
  name: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(
      `${fn}: options.${name} must be a boolean, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * A permission-bits option: `fallback` when absent, else an integer from
 * `0` to `0o7777` (a `TypeError` for anything but an integer, a
 * `RangeError` outside that range).
 */
export function modeOption(
  fn: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(
      `${fn}: options.mode must be an integer such as 0o600, got ${
        describe(value)
      }`,
    );
  }
  if (value < 0 || value > 0o7777) {
    throw new RangeError(
      `${fn}: options.mode must be from 0 to 0o7777, got ${
        value < 0 ? value : `0o${value.toString(8)}`
      }`,
    );
  }
  return value;
}

// The typed-array accessors themselves, read off the shared prototype: they
// read internal slots, so a subclass's own `length`, a look-alike object or
// a Proxy's traps cannot answer for them; on anything but a typed array the
// tag is `undefined` and the others throw.
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
const slot = (key: PropertyKey) =>
  Object.getOwnPropertyDescriptor(TypedArray, key)!.get!;
const tagOf = slot(Symbol.toStringTag);
const bufferOf = slot("buffer");
const offsetOf = slot("byteOffset");
const lengthOf = slot("byteLength");

/**
 * True only for a real `Uint8Array` (a subclass such as Node's `Buffer`
 * too): a brand check, where `instanceof` also admits a `Proxy` around one
 * and an object whose prototype was set to `Uint8Array.prototype`.
 */
export function isUint8Array(value: unknown): value is Uint8Array {
  return tagOf.call(value) === "Uint8Array";
}

/**
 * A plain `Uint8Array` over the same bytes as `bytes`, found through its
 * internal slots, so that no method of a subclass runs while it is used.
 * Throws a `TypeError` when its buffer is detached.
 */
export function plainView(bytes: Uint8Array): Uint8Array {
  const buffer = bufferOf.call(bytes) as ArrayBufferLike;
  return new Uint8Array(buffer, offsetOf.call(bytes), lengthOf.call(bytes));
}
