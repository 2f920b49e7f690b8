// Private: the module store's error type, in its own module so that the
// store's private parts can throw it; store.ts re-exports it.

/**
 * What went wrong in a {@linkcode StoreError}:
 *
 * | code | when |
 * | --- | --- |
 * | `GRAPH_FAIL` | Deno could not build the module graph: a module is missing or does not parse (the message names it and where it was imported), or `deno info` failed |
 * | `UNSUPPORTED` | the graph holds something the store cannot hold: WebAssembly, a Worker, CommonJS, a `data:` URL, an import without a span |
 * | `NOT_CAPTURED` | with `strict`, a module does something the store cannot capture (a non-literal `import()`, a URL made from `import.meta.url`) |
 * | `NOT_FOUND` | no such key or name in the store |
 * | `CORRUPT` | a stored file does not hash to its key, or a record is malformed |
 * | `FORMAT` | the directory holds a store of another format, or an archive is not a store export |
 *
 * @example
 * ```ts
 * import type { StoreErrorCode } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const code: StoreErrorCode = "NOT_FOUND";
 * assertEquals(code, "NOT_FOUND");
 * ```
 */
export type StoreErrorCode =
  | "GRAPH_FAIL"
  | "UNSUPPORTED"
  | "NOT_CAPTURED"
  | "NOT_FOUND"
  | "CORRUPT"
  | "FORMAT";

/**
 * What a {@linkcode StoreError} names besides its message.
 *
 * @example
 * ```ts
 * import { StoreError, type StoreErrorOptions } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const options: StoreErrorOptions = { key: "a".repeat(64), path: "/store/meta/x.json" };
 * assertEquals(new StoreError("CORRUPT", "corrupt", options).path, "/store/meta/x.json");
 * ```
 */
export interface StoreErrorOptions {
  /** The key concerned, when there is one. */
  key?: string;
  /** The file or module concerned, when there is one. */
  path?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The error of every store operation that fails for a reason of the
 * store's own (argument errors are `TypeError`s, missing permissions
 * `Deno.errors.NotCapable`): a {@linkcode StoreErrorCode}, the `key` and
 * `path` concerned where there are some, and the underlying error as
 * `cause`.
 *
 * @example
 * ```ts
 * import { ModuleStore, StoreError } from "@tempkit/tempkit/store";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const store = await ModuleStore.open(await Deno.makeTempDir());
 * const err = await assertRejects(() => store.load("0".repeat(64)), StoreError);
 * assertEquals(err.code, "NOT_FOUND");
 * assertEquals(err.key, "0".repeat(64));
 * ```
 */
export class StoreError extends Error {
  /** What went wrong. */
  readonly code: StoreErrorCode;
  /** The key concerned, if any. */
  readonly key?: string;
  /** The file or module concerned, if any. */
  readonly path?: string;

  /**
   * Creates a store error.
   *
   * @param code What went wrong.
   * @param message The whole message, naming the operation.
   * @param options The key, path and cause.
   */
  constructor(
    code: StoreErrorCode,
    message: string,
    options: StoreErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "StoreError";
    this.code = code;
    if (options.key !== undefined) this.key = options.key;
    if (options.path !== undefined) this.path = options.path;
  }
}
