/**
 * A content-addressed module store: import a module with everything it
 * imports into a store once, each module under a key that hashes its source
 * and its dependencies' keys (a Merkle tree), then load it by key and get
 * exactly that code, with the exact dependency versions locked at ingest.
 *
 * ```ts ignore
 * import { ModuleStore } from "@tempkit/tempkit/store";
 *
 * const store = await ModuleStore.open();            // TEMPKIT_STORE, else the data directory
 * const { key } = await store.ingest("./main.ts", { name: "app" });
 * const app = await store.load("app");               // or load(key!)
 * console.log(store.urlFor(key!).href);              // for `deno run`
 * console.log(await store.verify("app"));            // { ok: true, problems: [], checked: 7 }
 * ```
 *
 * **The graph is Deno's own**: `ingest` runs `deno info --json` through
 * `Deno.execPath()`, with `--config` or `--no-config` explicit, so it sees
 * what Deno sees: static imports and re-exports (`export * as ns from`),
 * type-only imports (`import type`, `export type ... from`), JSON imports
 * (`with { type: "json" }`), literal dynamic imports, triple-slash
 * references and `@ts-types` / `@ts-self-types` comments, `jsr:` and
 * `https:` modules, `npm:` packages and `node:` built-ins. Every `error` it
 * reports fails the ingest (`GRAPH_FAIL`, naming the module and where it
 * was imported). `jsr:` and `https:` modules are stored by content like
 * local ones, so a stored tree loads with an empty Deno cache and no
 * network; `npm:` specifiers are pinned to the exact version Deno resolved
 * (`npm:fast-check@^4` is stored as `npm:fast-check@4.11.0`, subpaths kept)
 * and `node:` ones kept: those two are the externals.
 *
 * **Stored copies load with Deno's own loader**: modules live flat as
 * `modules/<key><ext>`, each specifier rewritten to `./<key><ext>` (or its
 * pinned external), so `import(url)` and `deno run <stored file>` load
 * exactly the locked tree, with no import map. Rewriting works on the byte
 * ranges Deno reports, checked by running `deno info` on the staged copy
 * again until no original specifier is left; that last pass is the proof
 * that the stored graph reaches only stored files and pinned externals.
 *
 * **Keys** are 64 lowercase hex characters: sha256 over a canonical
 * encoding of the store format, the media type, the source bytes and each
 * import (as written, whether it imports code or types, and the key or
 * pinned external it resolves to). An import cycle is hashed as one unit,
 * its members ordered from their content alone, so the keys do not depend
 * on which member was the entry; the same tree at another path gives the
 * same keys; editing a module changes its key and its importers' keys and
 * no others. Where a module came from, the `deno.json` that resolved it and
 * the Deno version are recorded but not hashed: the first ingest of a key
 * writes them.
 *
 * **What is not captured is said**: a non-literal `import()` and any use of
 * `import.meta.url` (and `.resolve`, `.dirname`, `.filename`), which in a
 * stored copy names the stored file, come back as `warnings` with file and
 * line, as do the types a server attaches to a JavaScript module with an
 * `X-TypeScript-Types` header (`{ strict: true }` makes them a
 * `NOT_CAPTURED` error). WebAssembly, Workers, CommonJS and `data:` modules
 * are refused (`UNSUPPORTED`). Files a module reads at run time are not
 * modules and are not stored; `declare module "./x"` augmentations keep
 * their specifier, as Deno does not see them as imports.
 *
 * **On disk** (`store.json`, `modules/`, `meta/`, `refs/`, `tmp/`, `lock`):
 * every file is written under `tmp/`, fsynced and linked into place, module
 * files first and then records (`meta/<key>.json`) in dependency order, so a
 * record exists only when its whole closure does, and a failed or killed
 * ingest leaves no record (only files in `tmp/` and unrecorded module files,
 * which the next ingest or {@linkcode ModuleStore.gc} removes). `modules/`
 * and `meta/` only ever gain immutable files, so a store is safe to rsync
 * or to commit; `refs/` holds the names, each replaced atomically.
 *
 * **Concurrency**: any number of processes may ingest into one store at
 * once. `gc` takes the store's lock (`flock(2)` on `lock`) exclusively,
 * and `ingest`, `pin`, `copyTo` and `importTar` take it shared, so a `gc`
 * waits for running ingests and they wait for it: a `gc` never removes a
 * module an ingest found stored and is about to reference. A killed process
 * releases its lock.
 *
 * **Permissions**, queried first so nothing prompts: `ingest` needs
 * `--allow-run` for the Deno executable, read access to the sources and the
 * Deno cache, and read and write access to the store; `load` needs read
 * access to the store only; a missing grant is a `Deno.errors.NotCapable`
 * naming the flag. The `deno info` child runs with Deno's own rights, not
 * this process's sandbox: `--allow-run` for Deno is the power to do so.
 *
 * The store's methods are asynchronous only (there are no `Sync` twins):
 * ingesting runs Deno as a child process and loading is an `import()`.
 *
 * The command line is `cli/store.ts` (`deno run jsr:@tempkit/tempkit/cli/store`).
 *
 * @example Ingest, load by key, verify
 * ```ts
 * import { ModuleStore } from "@tempkit/tempkit/store";
 * import { assertEquals, assertMatch } from "@std/assert";
 *
 * const src = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${src}/dep.ts`, "export const n = 41;\n");
 * await Deno.writeTextFile(`${src}/main.ts`, 'import { n } from "./dep.ts";\nexport const answer = n + 1;\n');
 *
 * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
 * const { key, modules, written } = await store.ingest(`${src}/main.ts`, { config: false });
 * assertMatch(key!, /^[0-9a-f]{64}$/);
 * assertEquals([modules, written], [2, 2]);
 *
 * const mod = await store.load<{ answer: number }>(key!);
 * assertEquals(mod.answer, 42);
 * assertEquals((await store.verify(key!)).ok, true);
 * ```
 *
 * @module
 */

import { dirname } from "@std/path/dirname";
import { join } from "@std/path/join";
import { relative } from "@std/path/relative";
import { resolve } from "@std/path/resolve";
import { SEPARATOR } from "@std/path/constants";
import { toFileUrl } from "@std/path/to-file-url";
import { walk } from "@std/fs/walk";
import { writeFile } from "./stdfs.ts";
import { assertString, describe, toPathString } from "./_args.ts";
import { booleanOption, optionBag } from "./_args.ts";
import { grantedEnv, isGranted, notCapable } from "./_permissions.ts";
import { StoreError } from "./_store_error.ts";
import { isKey } from "./_store_key.ts";
import {
  checkFormat,
  createLayout,
  encodeMeta,
  fileExists,
  Layout,
  lockStore,
  type ModuleMeta,
} from "./_store_fs.ts";
import {
  ingest,
  type IngestProgress,
  type StoreWarning,
} from "./_store_ingest.ts";
import { type StoreProblem, verifyClosure } from "./_store_verify.ts";
import {
  dependencyOrder,
  layoutReader,
  type StoredModule,
  tarClosure,
  unpackedReader,
  untarClosure,
  writeClosure,
} from "./_store_copy.ts";

export {
  StoreError,
  type StoreErrorCode,
  type StoreErrorOptions,
} from "./_store_error.ts";
export type { IngestProgress, StoreProblem, StoreWarning };

/**
 * Options of {@linkcode ModuleStore.open}.
 *
 * @example A throwaway store
 * ```ts
 * import { ModuleStore, type StoreOpenOptions } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const options: StoreOpenOptions = { fsync: false };
 * const store = await ModuleStore.open(await Deno.makeTempDir(), options);
 * assertEquals(await store.names(), {});
 * ```
 */
export interface StoreOpenOptions {
  /**
   * Fsync every file before it is linked into place and each directory once
   * per operation, so a closure survives a power loss. Default `true`;
   * `false` for throwaway stores (tests, CI caches).
   */
  fsync?: boolean;
}

/**
 * Options of {@linkcode ModuleStore.ingest}.
 *
 * @example
 * ```ts
 * import type { IngestOptions } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const options: IngestOptions = { config: false, strict: true, name: "tool" };
 * assertEquals(options.strict, true);
 * ```
 */
export interface IngestOptions {
  /**
   * The `deno.json` whose import map resolves the entry. Default: the
   * `deno.json` or `deno.jsonc` Deno would find, looking from the entry's
   * directory upward, through the directories read access is granted for;
   * `false`: none (`--no-config`). Recorded in the entry's record.
   */
  config?: string | URL | false;
  /** The `host:port`s remote modules may come from (Deno's `--allow-import`). */
  allowImport?: string[];
  /** Make each of the `warnings` an error (`NOT_CAPTURED`). Default `false`. */
  strict?: boolean;
  /** Pin the entry's key under this name (a file entry only). */
  name?: string;
  /** Called as a long ingest progresses, for a progress display. */
  onProgress?: (progress: IngestProgress) => void;
}

/**
 * What {@linkcode ModuleStore.ingest} did.
 *
 * @example
 * ```ts
 * import type { IngestResult } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const result: IngestResult = {
 *   key: "a".repeat(64),
 *   modules: 1,
 *   written: 0,
 *   warnings: [],
 *   config: null,
 *   sources: ["file:///app/main.ts"],
 * };
 * assertEquals(result.written, 0); // an unchanged re-ingest writes nothing
 * ```
 */
export interface IngestResult {
  /** The entry's key (a file entry). */
  key?: string;
  /** Each module's key by its path relative to the directory (a directory entry). */
  keys?: Record<string, string>;
  /** How many modules the closure holds. */
  modules: number;
  /** How many modules this call added to the store. */
  written: number;
  /** What the store could not capture, with file and line. */
  warnings: StoreWarning[];
  /** The `deno.json` that resolved the entry, or `null`. */
  config: string | null;
  /** The URLs the closure's modules were read from, sorted. */
  sources: string[];
}

/**
 * What {@linkcode ModuleStore.verify} found.
 *
 * @example
 * ```ts
 * import type { VerifyResult } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const result: VerifyResult = { ok: true, problems: [], checked: 5 };
 * assertEquals(result.ok, result.problems.length === 0);
 * ```
 */
export interface VerifyResult {
  /** True when no problem was found. */
  ok: boolean;
  /** Each problem, naming the key and the file. */
  problems: StoreProblem[];
  /** How many modules were re-hashed. */
  checked: number;
}

/**
 * What {@linkcode ModuleStore.fsck} found.
 *
 * @example
 * ```ts
 * import type { FsckResult } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const result: FsckResult = { ok: true, problems: [], checked: 5, garbage: 2 };
 * assertEquals(result.ok, true); // garbage is not a problem: gc removes it
 * ```
 */
export interface FsckResult extends VerifyResult {
  /**
   * Leftovers of killed operations, harmless and removed by `gc`: staging
   * files and module files or cycle records with no complete record set.
   */
  garbage: number;
}

/**
 * Options of {@linkcode ModuleStore.gc}.
 *
 * @example
 * ```ts
 * import type { GcOptions } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const options: GcOptions = { graceMs: 0 }; // keep pinned closures only
 * assertEquals(options.graceMs, 0);
 * ```
 */
export interface GcOptions {
  /**
   * Keep, besides every pinned closure, the closures of entries ingested
   * (or re-ingested) less than this long ago. Default one hour.
   */
  graceMs?: number;
}

/**
 * What {@linkcode ModuleStore.gc} did.
 *
 * @example
 * ```ts
 * import type { GcResult } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const result: GcResult = { removed: 4, kept: 10 };
 * assertEquals(result.removed + result.kept, 14);
 * ```
 */
export interface GcResult {
  /** Module files removed. */
  removed: number;
  /** Modules kept. */
  kept: number;
}

/**
 * What {@linkcode ModuleStore.copyTo} and {@linkcode ModuleStore.importTar}
 * did.
 *
 * @example
 * ```ts
 * import type { CopyResult } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const result: CopyResult = { key: "b".repeat(64), modules: 3, written: 1 };
 * assertEquals(result.written <= result.modules, true);
 * ```
 */
export interface CopyResult {
  /** The root of the closure. */
  key: string;
  /** How many modules the closure holds. */
  modules: number;
  /** How many of them the receiving store did not hold yet. */
  written: number;
}

const ONE_HOUR = 60 * 60 * 1000;
const MODULE_EXTS = [".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs"];
// A staging directory this old belongs to no running operation.
const STALE_MS = ONE_HOUR;

/** The default store directory, from the environment read where granted. */
function defaultDir(fn: string): string {
  const explicit = grantedEnv("TEMPKIT_STORE");
  if (explicit) return explicit;
  const os = Deno.build.os;
  if (os === "windows") {
    const base = grantedEnv("LOCALAPPDATA");
    if (base) return join(base, "tempkit", "store");
  } else {
    const xdg = os === "darwin" ? undefined : grantedEnv("XDG_DATA_HOME");
    if (xdg?.startsWith("/")) return join(xdg, "tempkit", "store");
    const home = grantedEnv("HOME");
    if (home) {
      return os === "darwin"
        ? join(home, "Library", "Application Support", "tempkit", "store")
        : join(home, ".local", "share", "tempkit", "store");
    }
  }
  throw notCapable({
    fn,
    kind: "env",
    target: "TEMPKIT_STORE",
    why: "to find the default store; HOME serves too, or pass a directory",
  });
}

/** Throws a `TypeError` unless `key` is 64 lowercase hex characters. */
function checkKey(fn: string, name: string, key: unknown): string {
  assertString(fn, name, key);
  if (!isKey(key)) {
    throw new TypeError(
      `${fn}: ${name} must be a key of 64 lowercase hex characters, got "${key}"`,
    );
  }
  return key;
}

/** Throws a `TypeError` unless `name` can name a pin. */
function checkName(fn: string, name: unknown): string {
  assertString(fn, "name", name);
  const why = name === ""
    ? "must not be empty"
    : /[/\\\0]/.test(name)
    ? "must not contain /, \\ or NUL"
    : name.startsWith(".") || name.includes("..")
    ? "must not start with . or contain .."
    : isKey(name)
    ? "must not look like a key (64 hex characters)"
    : new TextEncoder().encode(name).length > 255
    ? "must be at most 255 bytes"
    : undefined;
  if (why !== undefined) {
    throw new TypeError(`${fn}: name ${why}, got "${name}"`);
  }
  return name;
}

/**
 * A content-addressed module store in a directory; see the module
 * documentation for what it stores, how and what it does not capture.
 *
 * @example Pin a name, resolve it, unpin it
 * ```ts
 * import { ModuleStore } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const src = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${src}/hello.ts`, 'export const hello = "world";\n');
 * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
 * const { key } = await store.ingest(`${src}/hello.ts`, { config: false, name: "hello" });
 *
 * assertEquals(await store.resolve("hello"), key);
 * assertEquals(await store.names(), { hello: key! });
 * assertEquals((await store.load<{ hello: string }>("hello")).hello, "world");
 * assertEquals(await store.unpin("hello"), true);
 * assertEquals(await store.resolve("hello"), undefined);
 * ```
 *
 * @tags allow-read, allow-write, allow-run
 */
export class ModuleStore {
  /** The store's directory, absolute. */
  readonly path: string;
  readonly #layout: Layout;
  readonly #fsync: boolean;

  private constructor(layout: Layout, fsync: boolean) {
    this.path = layout.root;
    this.#layout = layout;
    this.#fsync = fsync;
  }

  /**
   * Opens the store in `dir`, creating its layout where write access is
   * granted; with read access only, an existing store opens for loading
   * and verifying.
   *
   * @param dir The store's directory. Default: the `TEMPKIT_STORE`
   * environment variable, else `$XDG_DATA_HOME/tempkit/store`, else
   * `~/.local/share/tempkit/store` (macOS: `~/Library/Application
   * Support/tempkit/store`; Windows: `%LOCALAPPDATA%\tempkit\store`), each
   * variable read only where `--allow-env` grants it.
   * @param options `fsync` (default `true`).
   * @returns The store.
   * @throws {StoreError} `FORMAT` when the directory holds something else.
   * @throws {Deno.errors.NotCapable} When access to the directory (or, for
   * the default, to the environment) is not granted.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const dir = await Deno.makeTempDir();
   * const store = await ModuleStore.open(dir);
   * assertEquals(store.path, dir);
   * assertEquals(Deno.statSync(`${dir}/modules`).isDirectory, true);
   * ```
   *
   * @tags allow-read, allow-write, allow-env
   */
  static async open(
    dir?: string | URL,
    options?: StoreOpenOptions,
  ): Promise<ModuleStore> {
    const fn = "ModuleStore.open";
    const opts = optionBag(fn, options, ["fsync"]);
    const fsync = booleanOption(fn, "fsync", opts.fsync, true);
    const root = resolve(
      dir === undefined ? defaultDir(fn) : toPathString(fn, "dir", dir),
    );
    const layout = new Layout(root);
    if (!isGranted("read", root)) {
      throw notCapable({ fn, kind: "read", target: root });
    }
    if (isGranted("write", root)) await createLayout(fn, layout);
    else await checkFormat(fn, layout);
    return new ModuleStore(layout, fsync);
  }

  #require(fn: string, kind: "read" | "write", why?: string): void {
    if (!isGranted(kind, this.path)) {
      throw notCapable({ fn, kind, target: this.path, why });
    }
  }

  #writable(): boolean {
    return isGranted("write", this.path);
  }

  /**
   * Imports `entry` with everything it imports into the store.
   *
   * @param entry A module (a path or a `file:` URL) or a directory, whose
   * every module (`.ts`, `.tsx`, `.mts`, `.js`, `.jsx`, `.mjs`, found by
   * `@std/fs`'s `walk`, skipping `node_modules` and hidden entries) is
   * ingested at once.
   * @param options `config`, `allowImport`, `strict`, `name`, `onProgress`.
   * @returns The entry's `key` (or the directory's `keys`), the closure's
   * size, how many modules were `written` (an unchanged re-ingest writes
   * nothing), the `warnings` and the `config` used.
   * @throws {StoreError} `GRAPH_FAIL`, `UNSUPPORTED`, `NOT_CAPTURED`; the
   * store is left without any record of the failed ingest.
   * @throws {TypeError} On a bad argument or option.
   * @throws {Deno.errors.NotCapable} When a grant is missing.
   *
   * @example A directory at once
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const lib = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${lib}/a.ts`, 'export { b } from "./b.ts";\n');
   * await Deno.writeTextFile(`${lib}/b.ts`, "export const b = 2;\n");
   * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const { keys, written } = await store.ingest(lib, { config: false });
   * assertEquals(Object.keys(keys!), ["a.ts", "b.ts"]);
   * assertEquals(written, 2);
   * assertEquals((await store.ingest(lib, { config: false })).written, 0);
   * ```
   *
   * @tags allow-read, allow-write, allow-run
   */
  async ingest(
    entry: string | URL,
    options?: IngestOptions,
  ): Promise<IngestResult> {
    const fn = "ModuleStore.ingest";
    const opts = optionBag(fn, options, [
      "config",
      "allowImport",
      "strict",
      "name",
      "onProgress",
    ], { allow_import: 'did you mean "allowImport"?' });
    const path = resolve(toPathString(fn, "entry", entry));
    const strict = booleanOption(fn, "strict", opts.strict, false);
    const allowImport = checkAllowImport(fn, opts.allowImport);
    const name = opts.name === undefined ? undefined : checkName(fn, opts.name);
    const onProgress = opts.onProgress;
    if (onProgress !== undefined && typeof onProgress !== "function") {
      throw new TypeError(
        `${fn}: options.onProgress must be a function, got ${
          describe(onProgress)
        }`,
      );
    }
    const deno = Deno.execPath();
    if (!isGranted("run", deno)) {
      throw notCapable({
        fn,
        kind: "run",
        target: deno,
        why: "to run deno info",
      });
    }
    this.#require(fn, "read");
    this.#require(fn, "write");
    if (!isGranted("read", path)) {
      throw notCapable({ fn, kind: "read", target: path });
    }
    const isDir = await statEntry(fn, path);
    if (isDir && name !== undefined) {
      throw new TypeError(
        `${fn}: options.name pins one key; a directory gives many`,
      );
    }
    const config = await configFor(
      fn,
      opts.config,
      isDir ? path : dirname(path),
    );
    const roots = isDir ? await modulesUnder(path, this.path) : [path];
    if (roots.length === 0) {
      throw new StoreError("GRAPH_FAIL", `${fn}: no modules under "${path}"`, {
        path,
      });
    }
    using _lock = await lockStore(this.#layout, false, true);
    await removeStale(this.#layout);
    const outcome = await ingest({
      fn,
      layout: this.#layout,
      roots,
      config,
      allowImport,
      strict,
      fsync: this.#fsync,
      onProgress: onProgress as ((p: IngestProgress) => void) | undefined,
    });
    // A fresh mtime on each entry's record keeps it out of gc's reach for
    // the grace period, re-ingested or new.
    const now = new Date();
    for (const key of new Set(outcome.keys)) {
      await Deno.utime(this.#layout.metaFile(key), now, now);
    }
    const result: IngestResult = {
      modules: outcome.modules,
      written: outcome.written,
      warnings: outcome.warnings,
      config,
      sources: outcome.sources,
    };
    if (isDir) {
      const rel = (r: string) => relative(path, r).split(SEPARATOR).join("/");
      result.keys = Object.fromEntries(
        roots.map((r, i) => [rel(r), outcome.keys[i]]),
      );
    } else result.key = outcome.keys[0];
    if (name !== undefined) await this.#writeRef(name, result.key!);
    return result;
  }

  /**
   * Loads a stored module by key or pinned name and returns its namespace,
   * exactly as stored: a key the store does not hold is `NOT_FOUND`, never
   * a fall-back to anything else.
   *
   * @param keyOrName A key, or a name pinned with {@linkcode pin}.
   * @returns The module namespace.
   * @throws {StoreError} `NOT_FOUND`.
   * @throws {TypeError} For a malformed name.
   * @throws {Deno.errors.NotCapable} When read access to the store is not granted.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const src = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${src}/v.json`, '{ "v": 3 }');
   * await Deno.writeTextFile(`${src}/m.ts`, 'import data from "./v.json" with { type: "json" };\nexport default data.v;\n');
   * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const { key } = await store.ingest(`${src}/m.ts`, { config: false });
   * assertEquals((await store.load<{ default: number }>(key!)).default, 3);
   * ```
   *
   * @tags allow-read
   */
  async load<T = Record<string, unknown>>(keyOrName: string): Promise<T> {
    const fn = "ModuleStore.load";
    const key = await this.#keyOf(fn, keyOrName);
    const meta = await this.#present(fn, key);
    if (meta === undefined) throw notFound(fn, key);
    return await import(toFileUrl(this.#layout.moduleFile(key, meta.ext)).href);
  }

  /**
   * The `file:` URL of a stored module, for `deno run` or `import()`.
   *
   * @param key A key the store holds.
   * @returns Its URL.
   * @throws {StoreError} `NOT_FOUND`.
   * @throws {TypeError} For a malformed key.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const src = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${src}/cli.ts`, "console.log(Deno.args.join(' '));\n");
   * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const { key } = await store.ingest(`${src}/cli.ts`, { config: false });
   * const url = store.urlFor(key!);
   * assertEquals(url.href.endsWith(`/modules/${key}.ts`), true);
   * const out = await new Deno.Command(Deno.execPath(), { args: ["run", url.href, "hi"] }).output();
   * assertEquals(new TextDecoder().decode(out.stdout), "hi\n");
   * ```
   *
   * @tags allow-read
   */
  urlFor(key: string): URL {
    const fn = "ModuleStore.urlFor";
    checkKey(fn, "key", key);
    this.#require(fn, "read");
    let text: string;
    try {
      text = Deno.readTextFileSync(this.#layout.metaFile(key));
    } catch (cause) {
      if (cause instanceof Deno.errors.NotFound) throw notFound(fn, key, cause);
      throw cause;
    }
    let ext: unknown;
    try {
      ext = JSON.parse(text).ext;
    } catch {
      // reported below
    }
    if (typeof ext !== "string" || !/^(\.d)?\.[a-z]+$/.test(ext)) {
      throw new StoreError(
        "CORRUPT",
        `${fn}: the record of ${key} is corrupt`,
        {
          key,
          path: this.#layout.metaFile(key),
        },
      );
    }
    return toFileUrl(this.#layout.moduleFile(key, ext));
  }

  /**
   * Whether the store holds `key` whole: its record, its file, and (in a
   * cycle) every member's record.
   *
   * @param key A key.
   * @returns `true` when {@linkcode load} will find it.
   * @throws {TypeError} For a malformed key.
   * @throws {StoreError} `CORRUPT` for a damaged record.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * assertEquals(await store.has("f".repeat(64)), false);
   * ```
   *
   * @tags allow-read
   */
  async has(key: string): Promise<boolean> {
    const fn = "ModuleStore.has";
    checkKey(fn, "key", key);
    return await this.#present(fn, key) !== undefined;
  }

  async #present(fn: string, key: string): Promise<ModuleMeta | undefined> {
    this.#require(fn, "read");
    const reader = layoutReader(fn, this.#layout);
    let meta: ModuleMeta;
    try {
      meta = await reader.meta(key);
    } catch (err) {
      if (err instanceof StoreError && err.code === "NOT_FOUND") {
        return undefined;
      }
      throw err;
    }
    if (!await fileExists(this.#layout.moduleFile(key, meta.ext))) {
      return undefined;
    }
    for (const member of meta.cycle ?? []) {
      if (!await fileExists(this.#layout.metaFile(member))) return undefined;
    }
    return meta;
  }

  async #keyOf(fn: string, keyOrName: string): Promise<string> {
    assertString(fn, "keyOrName", keyOrName);
    if (isKey(keyOrName)) return keyOrName;
    const key = await this.#readRef(fn, checkName(fn, keyOrName));
    if (key === undefined) {
      throw new StoreError(
        "NOT_FOUND",
        `${fn}: no key or pinned name "${keyOrName}" in the store ${this.path}`,
        { path: this.#layout.refFile(keyOrName) },
      );
    }
    return key;
  }

  /**
   * Pins `name` to `key`: writes `refs/<name>` atomically, replacing an
   * earlier pin of the name.
   *
   * @param name No `/`, `\`, NUL or `..`, not empty, not starting with `.`,
   * not 64 hex characters (a key).
   * @param key A key the store holds.
   * @throws {StoreError} `NOT_FOUND` for a key the store does not hold.
   * @throws {TypeError} For a malformed name or key.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals, assertRejects } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * const err = await assertRejects(() => store.pin("app", "0".repeat(64)));
   * assertEquals((err as { code: string }).code, "NOT_FOUND");
   * ```
   *
   * @tags allow-read, allow-write
   */
  async pin(name: string, key: string): Promise<void> {
    const fn = "ModuleStore.pin";
    checkName(fn, name);
    checkKey(fn, "key", key);
    this.#require(fn, "write");
    using _lock = await lockStore(this.#layout, false, true);
    if (await this.#present(fn, key) === undefined) throw notFound(fn, key);
    await this.#writeRef(name, key);
  }

  async #writeRef(name: string, key: string): Promise<void> {
    await writeFile(this.#layout.refFile(name), key, { atomic: true });
  }

  async #readRef(fn: string, name: string): Promise<string | undefined> {
    this.#require(fn, "read");
    const path = this.#layout.refFile(name);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
    const key = text.endsWith("\n") ? text.slice(0, -1) : "";
    if (!isKey(key)) {
      throw new StoreError("CORRUPT", `${fn}: "${path}" does not hold a key`, {
        path,
      });
    }
    return key;
  }

  /**
   * The key pinned under `name`.
   *
   * @param name A name.
   * @returns Its key, or `undefined` when nothing is pinned under it.
   * @throws {TypeError} For a malformed name.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * assertEquals(await store.resolve("nothing-here"), undefined);
   * ```
   *
   * @tags allow-read
   */
  async resolve(name: string): Promise<string | undefined> {
    const fn = "ModuleStore.resolve";
    return await this.#readRef(fn, checkName(fn, name));
  }

  /**
   * Removes the pin `name`; the closure stays until a {@linkcode gc}.
   *
   * @param name A name.
   * @returns Whether there was such a pin.
   * @throws {TypeError} For a malformed name.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * assertEquals(await store.unpin("never-pinned"), false);
   * ```
   *
   * @tags allow-read, allow-write
   */
  async unpin(name: string): Promise<boolean> {
    const fn = "ModuleStore.unpin";
    checkName(fn, name);
    this.#require(fn, "write");
    try {
      await Deno.remove(this.#layout.refFile(name));
      return true;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw err;
    }
  }

  /**
   * Every pinned name and its key, sorted by name.
   *
   * @returns name → key.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * assertEquals(await store.names(), {});
   * ```
   *
   * @tags allow-read
   */
  async names(): Promise<Record<string, string>> {
    const fn = "ModuleStore.names";
    this.#require(fn, "read");
    const names: string[] = [];
    for await (const e of Deno.readDir(this.#layout.refs)) {
      if (e.isFile && !e.name.startsWith(".")) names.push(e.name);
    }
    const out: Record<string, string> = {};
    for (const name of names.sort()) {
      const key = await this.#readRef(fn, name);
      if (key !== undefined) out[name] = key;
    }
    return out;
  }

  /**
   * Re-hashes the whole closure of a key: every record and module file is
   * there, every rewritten specifier holds what its import resolves to, and
   * every key is the hash of the rebuilt sources.
   *
   * @param keyOrName A key or a pinned name.
   * @returns `ok`, the `problems` (each naming the key and the file) and how
   * many modules were `checked`.
   * @throws {StoreError} `NOT_FOUND` for a name nothing is pinned under.
   *
   * @example Tampering is found and the file named
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const src = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${src}/m.ts`, "export const x = 1;\n");
   * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const { key } = await store.ingest(`${src}/m.ts`, { config: false });
   * const file = store.urlFor(key!).pathname;
   * await Deno.writeTextFile(file, "export const x = 2;\n");
   * const { ok, problems } = await store.verify(key!);
   * assertEquals(ok, false);
   * assertEquals(problems[0].path, file);
   * ```
   *
   * @tags allow-read
   */
  async verify(keyOrName: string): Promise<VerifyResult> {
    const fn = "ModuleStore.verify";
    const key = await this.#keyOf(fn, keyOrName);
    this.#require(fn, "read");
    using _lock = await lockStore(this.#layout, false, this.#writable());
    const { problems, checked } = await verifyClosure(
      layoutReader(fn, this.#layout),
      [key],
    );
    return { ok: problems.length === 0, problems, checked };
  }

  /**
   * Checks the whole store: verifies every complete closure (as
   * {@linkcode verify}) and every pinned name; leftovers of killed
   * operations are counted as `garbage`, not problems.
   *
   * @returns `ok`, the `problems`, how many modules were `checked` and how
   * much `garbage` there is.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * assertEquals(await store.fsck(), { ok: true, problems: [], checked: 0, garbage: 0 });
   * ```
   *
   * @tags allow-read
   */
  async fsck(): Promise<FsckResult> {
    const fn = "ModuleStore.fsck";
    this.#require(fn, "read");
    using _lock = await lockStore(this.#layout, false, this.#writable());
    const census = await this.#census(fn);
    const { problems, checked } = await verifyClosure(
      layoutReader(fn, this.#layout),
      census.complete,
    );
    for await (const e of Deno.readDir(this.#layout.refs)) {
      if (e.name.startsWith(".")) continue; // an atomic write's temporary
      const path = this.#layout.refFile(e.name);
      try {
        const key = await this.#readRef(fn, e.name);
        if (key !== undefined && !census.complete.has(key)) {
          problems.push({
            key,
            path,
            message: `pins ${key}, which the store does not hold whole`,
          });
        }
      } catch (err) {
        problems.push({
          key: "",
          path,
          message: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return {
      ok: problems.length === 0,
      problems,
      checked,
      garbage: census.garbage.length,
    };
  }

  /**
   * What the store holds: the keys whose records are complete (a cycle's
   * members all recorded) and the garbage paths (staging entries, module
   * files without a record, records of an incomplete cycle, a killed pin's
   * temporary).
   */
  async #census(fn: string): Promise<{
    complete: Set<string>;
    metas: Map<string, ModuleMeta>;
    mtimes: Map<string, number>;
    garbage: string[];
  }> {
    const layout = this.#layout;
    const reader = layoutReader(fn, layout);
    const metas = new Map<string, ModuleMeta>();
    const mtimes = new Map<string, number>();
    const garbage: string[] = [];
    const recorded: string[] = [];
    for await (const e of Deno.readDir(layout.meta)) {
      const key = e.name.slice(0, -".json".length);
      if (e.name.endsWith(".json") && isKey(key)) recorded.push(key);
      else garbage.push(join(layout.meta, e.name));
    }
    await Promise.all(recorded.map(async (key) => {
      try {
        metas.set(key, await reader.meta(key));
        mtimes.set(
          key,
          (await Deno.stat(layout.metaFile(key))).mtime?.getTime() ?? 0,
        );
      } catch {
        // a damaged record: verify names it
        metas.delete(key);
      }
    }));
    const complete = new Set<string>(recorded);
    for (const [key, meta] of metas) {
      if (meta.cycle?.some((m) => !recorded.includes(m))) {
        complete.delete(key);
        garbage.push(layout.metaFile(key));
      }
    }
    for await (const e of Deno.readDir(layout.modules)) {
      const key = e.name.slice(0, 64);
      const meta = metas.get(key);
      const whole = complete.has(key) &&
        (meta === undefined || e.name === key + meta.ext); // undefined: damaged, for fsck
      if (!whole) garbage.push(join(layout.modules, e.name));
    }
    for await (const e of Deno.readDir(layout.tmp)) {
      garbage.push(join(layout.tmp, e.name));
    }
    for await (const e of Deno.readDir(layout.refs)) {
      // A killed pin's temporary (`.<name>.<hex>.tmp`, never a name).
      if (e.name.startsWith(".")) garbage.push(join(layout.refs, e.name));
    }
    return { complete, metas, mtimes, garbage };
  }

  /**
   * Removes every module no pinned name reaches, except the closures of
   * entries ingested less than `graceMs` ago, and every leftover of a
   * killed operation. It takes the store's lock exclusively, so it waits for
   * running ingests (which take it shared) and they for it: it never removes
   * a module an ingest found stored and is about to reference. What a
   * process loads or runs is not guarded: pin it, or it may go once the
   * grace period has passed. Records go
   * before their module files, importers before their dependencies, so a
   * killed `gc` leaves only garbage.
   *
   * @param options `graceMs` (default one hour).
   * @returns How many module files were `removed` and `kept`.
   * @throws {RangeError} For a negative or non-finite `graceMs`.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const src = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${src}/keep.ts`, "export const k = 1;\n");
   * await Deno.writeTextFile(`${src}/drop.ts`, "export const d = 2;\n");
   * const store = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const kept = await store.ingest(`${src}/keep.ts`, { config: false, name: "keep" });
   * const dropped = await store.ingest(`${src}/drop.ts`, { config: false });
   * assertEquals(await store.gc({ graceMs: 0 }), { removed: 1, kept: 1 });
   * assertEquals(await store.has(kept.key!), true);
   * assertEquals(await store.has(dropped.key!), false);
   * ```
   *
   * @tags allow-read, allow-write
   */
  async gc(options?: GcOptions): Promise<GcResult> {
    const fn = "ModuleStore.gc";
    const opts = optionBag(fn, options, ["graceMs"], {
      grace: 'did you mean "graceMs"?',
    });
    const graceMs = opts.graceMs ?? ONE_HOUR;
    if (typeof graceMs !== "number") {
      throw new TypeError(
        `${fn}: options.graceMs must be a number, got ${describe(graceMs)}`,
      );
    }
    if (!(graceMs >= 0) || !Number.isFinite(graceMs)) {
      throw new RangeError(
        `${fn}: options.graceMs must be a finite number >= 0, got ${graceMs}`,
      );
    }
    this.#require(fn, "read");
    this.#require(fn, "write");
    const layout = this.#layout;
    using _lock = await lockStore(layout, true, true);
    const { complete, metas, mtimes, garbage } = await this.#census(fn);
    const since = Date.now() - graceMs;
    const roots = new Set(Object.values(await this.names()));
    for (const [key, mtime] of mtimes) {
      if (complete.has(key) && mtime >= since) roots.add(key);
    }
    const live = new Set<string>();
    const stack = [...roots].filter((k) => complete.has(k));
    while (stack.length > 0) {
      const key = stack.pop()!;
      if (live.has(key)) continue;
      live.add(key);
      const meta = metas.get(key);
      if (meta === undefined) continue;
      for (const i of meta.imports) if (i.key !== undefined) stack.push(i.key);
      for (const m of meta.cycle ?? []) stack.push(m);
    }
    const dead = new Map([...metas].filter(([k]) => !live.has(k)));
    // Importers first: a record never outlives a dependency's record.
    const order = dependencyOrder(dead).reverse();
    for (const meta of order) await Deno.remove(layout.metaFile(meta.key));
    let removed = 0;
    for (const meta of order) {
      try {
        await Deno.remove(layout.moduleFile(meta.key, meta.ext));
        removed++;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
    for (const path of garbage) {
      const isModule = dirname(path) === layout.modules;
      try {
        await Deno.remove(path, { recursive: true });
        if (isModule) removed++;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
    return { removed, kept: live.size };
  }

  /** The closure of `key` read whole and verified, dependencies first. */
  async #closure(fn: string, key: string): Promise<StoredModule[]> {
    const reader = layoutReader(fn, this.#layout);
    const { problems, metas } = await verifyClosure(reader, [key]);
    if (problems.length > 0) {
      throw new StoreError(
        "CORRUPT",
        `${fn}: the closure of ${key} is damaged: ${problems[0].path}: ${
          problems[0].message
        }`,
        { key, path: problems[0].path },
      );
    }
    return await Promise.all(
      dependencyOrder(metas).map(async (meta) => ({
        meta,
        bytes: await reader.module(meta),
      })),
    );
  }

  /**
   * Copies the closure of a key into another store (verified before it
   * leaves and again where it arrives).
   *
   * @param keyOrName A key or pinned name of this store.
   * @param other The receiving store.
   * @returns The `key`, the closure's size and how many modules `other`
   * did not hold yet.
   * @throws {StoreError} `NOT_FOUND`, or `CORRUPT` when either copy fails to verify.
   * @throws {TypeError} When `other` is not a `ModuleStore`.
   *
   * @example
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const src = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${src}/m.ts`, "export const m = 1;\n");
   * const a = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const b = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const { key } = await a.ingest(`${src}/m.ts`, { config: false });
   * assertEquals(await a.copyTo(key!, b), { key: key!, modules: 1, written: 1 });
   * assertEquals(await b.has(key!), true);
   * ```
   *
   * @tags allow-read, allow-write
   */
  async copyTo(keyOrName: string, other: ModuleStore): Promise<CopyResult> {
    const fn = "ModuleStore.copyTo";
    if (!(other instanceof ModuleStore)) {
      throw new TypeError(
        `${fn}: other must be a ModuleStore, got ${describe(other)}`,
      );
    }
    const key = await this.#keyOf(fn, keyOrName);
    if (await this.#present(fn, key) === undefined) throw notFound(fn, key);
    const closure = await this.#closure(fn, key);
    const written = await other.#receive(fn, key, closure);
    return { key, modules: closure.length, written };
  }

  async #receive(
    fn: string,
    key: string,
    closure: StoredModule[],
  ): Promise<number> {
    this.#require(fn, "read");
    this.#require(fn, "write");
    let written: number;
    {
      using _lock = await lockStore(this.#layout, false, true);
      written = await writeClosure(this.#layout, this.#fsync, closure);
    }
    const { ok, problems } = await this.verify(key);
    if (!ok) {
      throw new StoreError(
        "CORRUPT",
        `${fn}: the copy of ${key} in ${this.path} does not verify: ${
          problems[0].path
        }: ${problems[0].message}`,
        { key, path: problems[0].path },
      );
    }
    return written;
  }

  /**
   * The closure of a key as a tar archive (`@std/tar`), to travel over any
   * channel: a manifest `tempkit-store.json`, then `modules/<key><ext>` and
   * `meta/<key>.json` for each module, dependencies first. The same closure
   * always gives the same bytes.
   *
   * @param keyOrName A key or pinned name.
   * @returns The archive.
   * @throws {StoreError} `NOT_FOUND`, or `CORRUPT` when the closure does not verify.
   *
   * @example Export, then import into another store
   * ```ts
   * import { ModuleStore } from "@tempkit/tempkit/store";
   * import { assertEquals } from "@std/assert";
   *
   * const src = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${src}/m.ts`, "export const m = 7;\n");
   * const a = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * const { key } = await a.ingest(`${src}/m.ts`, { config: false });
   * const tar = await a.exportTar(key!);
   *
   * const b = await ModuleStore.open(await Deno.makeTempDir(), { fsync: false });
   * assertEquals((await b.importTar(tar)).key, key);
   * assertEquals((await b.load<{ m: number }>(key!)).m, 7);
   * ```
   *
   * @tags allow-read
   */
  async exportTar(keyOrName: string): Promise<ReadableStream<Uint8Array>> {
    const fn = "ModuleStore.exportTar";
    const key = await this.#keyOf(fn, keyOrName);
    if (await this.#present(fn, key) === undefined) throw notFound(fn, key);
    const closure = await this.#closure(fn, key);
    const records = await Promise.all(closure.map((m) => encodeMeta(m.meta)));
    return tarClosure(key, closure, records);
  }

  /**
   * Imports an archive made by {@linkcode exportTar}: every entry is
   * checked, the closure verified before anything is written, written as
   * an ingest writes, and verified again.
   *
   * @param archive The archive's bytes.
   * @returns The root `key`, the closure's size and how many modules were new.
   * @throws {StoreError} `FORMAT` for something that is not such an archive,
   * `CORRUPT` when its closure does not verify.
   *
   * @example
   * ```ts
   * import { ModuleStore, StoreError } from "@tempkit/tempkit/store";
   * import { assertEquals, assertRejects } from "@std/assert";
   *
   * const store = await ModuleStore.open(await Deno.makeTempDir());
   * const junk = ReadableStream.from([new Uint8Array(1024)]);
   * const err = await assertRejects(() => store.importTar(junk), StoreError);
   * assertEquals(err.code, "FORMAT");
   * ```
   *
   * @tags allow-read, allow-write
   */
  async importTar(archive: ReadableStream<Uint8Array>): Promise<CopyResult> {
    const fn = "ModuleStore.importTar";
    if (!(archive instanceof ReadableStream)) {
      throw new TypeError(
        `${fn}: archive must be a ReadableStream, got ${describe(archive)}`,
      );
    }
    this.#require(fn, "read");
    this.#require(fn, "write");
    const unpacked = await untarClosure(fn, archive);
    const reader = unpackedReader(fn, unpacked, layoutReader(fn, this.#layout));
    const { problems, metas } = await verifyClosure(reader, [unpacked.root]);
    if (problems.length > 0) {
      throw new StoreError(
        "CORRUPT",
        `${fn}: the archive's closure of ${unpacked.root} does not verify: ${
          problems[0].path
        }: ${problems[0].message}`,
        { key: unpacked.root, path: problems[0].path },
      );
    }
    const closure = await Promise.all(
      dependencyOrder(metas).map(async (meta) => ({
        meta,
        bytes: await reader.module(meta),
      })),
    );
    const written = await this.#receive(fn, unpacked.root, closure);
    return { key: unpacked.root, modules: closure.length, written };
  }
}

function notFound(fn: string, key: string, cause?: unknown): StoreError {
  return new StoreError(
    "NOT_FOUND",
    `${fn}: the store holds no module ${key}`,
    {
      key,
      cause,
    },
  );
}

function checkAllowImport(fn: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TypeError(
      `${fn}: options.allowImport must be an array of "host:port" strings, got ${
        describe(value)
      }`,
    );
  }
  for (const v of value) {
    if (v === "" || /[\s,]/.test(v)) {
      throw new TypeError(
        `${fn}: options.allowImport entries are host[:port], got "${v}"`,
      );
    }
  }
  return value;
}

/** Whether the entry is a directory; a missing entry is `GRAPH_FAIL`. */
async function statEntry(fn: string, path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (cause) {
    if (!(cause instanceof Deno.errors.NotFound)) throw cause;
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: entry "${path}" does not exist`,
      {
        path,
        cause,
      },
    );
  }
}

/** The config to pass to Deno: explicit, none, or the one Deno would find. */
async function configFor(
  fn: string,
  option: unknown,
  from: string,
): Promise<string | null> {
  if (option === false) return null;
  if (option !== undefined) {
    const path = resolve(toPathString(fn, "options.config", option));
    if (!isGranted("read", path)) {
      throw notCapable({ fn, kind: "read", target: path });
    }
    if (!await fileExists(path)) {
      throw new StoreError(
        "GRAPH_FAIL",
        `${fn}: config "${path}" does not exist`,
        { path },
      );
    }
    return path;
  }
  for (let dir = from;; dir = dirname(dir)) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      const candidate = join(dir, name);
      if (!isGranted("read", candidate)) return null;
      if (await fileExists(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The modules under a directory, sorted, skipping `node_modules`, hidden
 * entries below `dir` (not above it) and the store itself.
 */
async function modulesUnder(dir: string, store: string): Promise<string[]> {
  const below = dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const skip = new RegExp(
    `^${below}(.*[/\\\\])?(node_modules|\\.[^/\\\\]*)([/\\\\]|$)`,
  );
  const out: string[] = [];
  for await (
    const e of walk(dir, {
      includeDirs: false,
      exts: MODULE_EXTS,
      skip: [skip],
    })
  ) {
    if (e.path === store || e.path.startsWith(store + SEPARATOR)) continue;
    out.push(e.path);
  }
  return out.sort();
}

/** Removes staging entries no running operation can own any more. */
async function removeStale(layout: Layout): Promise<void> {
  const before = Date.now() - STALE_MS;
  for await (const e of Deno.readDir(layout.tmp)) {
    const path = join(layout.tmp, e.name);
    try {
      const { mtime } = await Deno.lstat(path);
      if (mtime !== null && mtime.getTime() < before) {
        await Deno.remove(path, { recursive: true });
      }
    } catch {
      // gone already, or another ingest's: harmless either way
    }
  }
}
