// Private helpers shared by the modules of this package. Not exported from
// mod.ts; nothing here is part of the public API.

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
    return (value as object).constructor?.name ?? "object";
  }
  return typeof value;
}

/**
 * Converts a `string | URL` path argument to a string path, as Deno's own
 * APIs accept them: a `URL` must use the `file:` scheme.
 */
export function toPathString(fn: string, name: string, value: unknown): string {
  if (typeof value === "string") {
    if (value.includes("\0")) {
      throw new TypeError(`${fn}: ${name} must not contain a NUL character`);
    }
    return value;
  }
  if (value instanceof URL) {
    if (value.protocol !== "file:") {
      throw new TypeError(
        `${fn}: ${name} must be a file URL, got ${value.protocol} URL`,
      );
    }
    if (value.hostname !== "" && value.hostname !== "localhost") {
      throw new TypeError(
        `${fn}: ${name} must be a local file URL, got host ${value.hostname}`,
      );
    }
    // As Deno's std `fromFileUrl`: a "%" that starts no escape is a literal
    // "%" (the URL parser keeps it as is), so `file:///tmp/100%` is the file
    // "100%", as Deno's own APIs read it, not a URIError.
    let path: string;
    try {
      path = decodeURIComponent(
        value.pathname.replace(/%(?![0-9A-Fa-f]{2})/g, "%25"),
      );
    } catch {
      throw new TypeError(
        `${fn}: ${name} must be a file URL whose escapes decode as UTF-8, got ${value.href}`,
      );
    }
    if (path.includes("\0")) {
      throw new TypeError(`${fn}: ${name} must not contain a NUL character`);
    }
    return path;
  }
  throw new TypeError(
    `${fn}: ${name} must be a string or a file URL, got ${describe(value)}`,
  );
}

/** The kinds of Deno permission this package may need. */
export type PermissionKind = "read" | "write" | "env";

/** True when Deno's permission sandbox denied the access. */
export function isSandboxDenial(err: unknown): boolean {
  return err instanceof Deno.errors.NotCapable;
}

/** The flag that grants `kind` on `target`, e.g. `--allow-write=/tmp`. */
export function permissionFlag(kind: PermissionKind, target?: string): string {
  return target === undefined ? `--allow-${kind}` : `--allow-${kind}=${target}`;
}

/** True when `kind` permission for `target` is already granted (never prompts). */
export function isGranted(kind: PermissionKind, target?: string): boolean {
  const desc: Deno.PermissionDescriptor = kind === "env"
    ? { name: "env", variable: target }
    : { name: kind, path: target };
  return Deno.permissions.querySync(desc).state === "granted";
}

/**
 * The kind of access a sandbox denial (`Deno.errors.NotCapable`) refused,
 * read from Deno's message ("Requires write access to ..."); `"all"` for
 * the paths Deno reserves to `--allow-all` (such as `/proc/self`);
 * `undefined` when the message does not say.
 */
export function deniedKind(err: unknown): PermissionKind | "all" | undefined {
  const match = err instanceof Error
    ? /Requires (read|write|env|all) access/.exec(err.message)
    : null;
  return match ? match[1] as PermissionKind | "all" : undefined;
}

/**
 * The options argument as a record: `undefined` is `{}`; anything but an
 * object is a `TypeError` naming `fn`.
 */
export function optionBag(
  fn: string,
  options: unknown,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `${fn}: options must be an object, got ${describe(options)}`,
    );
  }
  return options as Record<string, unknown>;
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
