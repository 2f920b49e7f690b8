// Private: the store's directory layout, its durable writes, its lock and
// its metadata records. Not exported from mod.ts.
//
//   store.json          {"format": 1}
//   modules/<key><ext>  a stored module, specifiers rewritten to ./<key><ext>
//   meta/<key>.json     its record: imports, rewrites, provenance
//   refs/<name>         a pinned name: the key and a newline
//   tmp/                staging; ingest-<random>/ per running ingest
//   lock                flock(2): shared by writers, exclusive for gc
//
// modules/ and meta/ only ever gain immutable files (gc removes them);
// a file is written under tmp/, fsynced, and linked into place, so it
// appears whole or not at all, and an existing file is never replaced.

import { join } from "@std/path/join";
import { encodeHex } from "@std/encoding/hex";
import { StoreError } from "./_store_error.ts";
import { FORMAT, isKey, type Slot } from "./_store_key.ts";
import { extensionOf } from "./_store_graph.ts";

/** The paths of a store. */
export class Layout {
  readonly root: string;
  readonly modules: string;
  readonly meta: string;
  readonly refs: string;
  readonly tmp: string;
  readonly lock: string;
  readonly format: string;

  constructor(root: string) {
    this.root = root;
    this.modules = join(root, "modules");
    this.meta = join(root, "meta");
    this.refs = join(root, "refs");
    this.tmp = join(root, "tmp");
    this.lock = join(root, "lock");
    this.format = join(root, "store.json");
  }

  moduleFile(key: string, ext: string): string {
    return join(this.modules, key + ext);
  }
  metaFile(key: string): string {
    return join(this.meta, `${key}.json`);
  }
  refFile(name: string): string {
    return join(this.refs, name);
  }
}

const FORMAT_TEXT = `${JSON.stringify({ format: FORMAT })}\n`;

/** Creates the layout where missing; checks the format of an existing one. */
export async function createLayout(
  fn: string,
  layout: Layout,
): Promise<void> {
  for (const dir of [layout.modules, layout.meta, layout.refs, layout.tmp]) {
    await Deno.mkdir(dir, { recursive: true });
  }
  try {
    await Deno.writeTextFile(layout.format, FORMAT_TEXT, { createNew: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
  }
  await checkFormat(fn, layout);
}

/** Throws `FORMAT` unless the directory holds a store of this format. */
export async function checkFormat(fn: string, layout: Layout): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(layout.format);
  } catch (cause) {
    if (!(cause instanceof Deno.errors.NotFound)) throw cause;
    throw new StoreError(
      "FORMAT",
      `${fn}: "${layout.root}" is not a module store (no store.json)`,
      { path: layout.root, cause },
    );
  }
  if (text !== FORMAT_TEXT) {
    throw new StoreError(
      "FORMAT",
      `${fn}: "${layout.root}" holds a store of another format (${text.trim()}); this version reads format ${FORMAT}`,
      { path: layout.format },
    );
  }
}

// ---------------------------------------------------------------------------
// Durable writes

/** Writes `data` to a new or truncated file, then fsyncs it when asked. */
export async function writeStaged(
  path: string,
  data: Uint8Array,
  fsync: boolean,
): Promise<void> {
  using file = await Deno.open(path, {
    write: true,
    create: true,
    truncate: true,
    mode: 0o644,
  });
  let written = 0;
  while (written < data.length) {
    written += await file.write(data.subarray(written));
  }
  if (fsync) await file.sync();
}

/** Fsyncs a file already written. */
export async function syncFile(path: string): Promise<void> {
  using file = await Deno.open(path, { read: true });
  await file.sync();
}

/**
 * Links a staged file into place; `false` when the name exists already (an
 * existing file is never replaced, so concurrent writers of one key agree).
 */
export async function linkInto(
  staged: string,
  final: string,
): Promise<boolean> {
  try {
    await Deno.link(staged, final);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) return false;
    throw err;
  }
}

/** Fsyncs a directory, so the names linked into it survive a power loss. */
export async function syncDir(path: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  using dir = await Deno.open(path, { read: true });
  await dir.sync();
}

/** Whether a file exists; every error but absence is thrown. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

// ---------------------------------------------------------------------------
// The lock

/**
 * Takes the store's lock: shared for the operations that add files and
 * names (several run at once), exclusive for gc, which must not remove a
 * file an ingest is about to reference. flock(2) locks die with their
 * process, so a killed ingest never blocks a later gc. Without write
 * access (a read-only store) there is nothing to guard and no lock.
 */
export async function lockStore(
  layout: Layout,
  exclusive: boolean,
  writable: boolean,
): Promise<Disposable> {
  if (!writable) return { [Symbol.dispose]() {} };
  const file = await Deno.open(layout.lock, {
    read: true,
    write: true,
    create: true,
  });
  try {
    await file.lock(exclusive);
  } catch (err) {
    file.close();
    throw err;
  }
  return { [Symbol.dispose]: () => file.close() };
}

// ---------------------------------------------------------------------------
// Metadata records

/** One distinct import of a stored module. */
export interface MetaImport {
  specifier: string;
  slot: Slot;
  /** The stored module it resolves to. */
  key?: string;
  /** Or the external it is pinned to (`node:fs`, `npm:x@1.2.3`). */
  external?: string;
}

/**
 * What a stored file holds where the original named an import: a stored
 * module as `./<key><ext>`, an external as pinned.
 */
export function reference(
  imp: MetaImport,
  ext: (key: string) => string,
): string {
  return imp.key === undefined ? imp.external! : `./${imp.key}${ext(imp.key)}`;
}

/** The record of a stored module, `meta/<key>.json`. */
export interface ModuleMeta {
  format: number;
  key: string;
  mediaType: string;
  ext: string;
  /** Sorted by specifier, then slot: the order the key hashes them in. */
  imports: MetaImport[];
  /** `[byte offset in the original, original text, index into imports]`. */
  rewrites: [number, string, number][];
  /** The keys of the cycle it belongs to, in canonical order. */
  cycle?: string[];
  /** Where it was first ingested from (not hashed). */
  source: string;
  /** The deno.json that resolved it, or null (not hashed). */
  config: string | null;
  /** The Deno version that ingested it (not hashed). */
  deno: string;
}

async function digest(text: string): Promise<string> {
  const data = new TextEncoder().encode(text);
  return encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

/**
 * The bytes of a record: its JSON with a `check` over the rest, so a
 * changed byte in the fields the key does not cover (provenance) is found
 * too.
 */
export async function encodeMeta(meta: ModuleMeta): Promise<Uint8Array> {
  const body = JSON.stringify(meta);
  const check = await digest(body);
  return new TextEncoder().encode(`${JSON.stringify({ ...meta, check })}\n`);
}

/** Parses and checks a record; `CORRUPT` naming the file when it is not one. */
export async function decodeMeta(
  fn: string,
  path: string,
  key: string,
  bytes: Uint8Array,
): Promise<ModuleMeta> {
  const bad = (why: string) =>
    new StoreError("CORRUPT", `${fn}: "${path}" is corrupt: ${why}`, {
      key,
      path,
    });
  let text: string;
  let parsed: Record<string, unknown>;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    parsed = JSON.parse(text);
  } catch {
    throw bad("not a JSON record");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw bad("not a JSON record");
  }
  const { check, ...meta } = parsed;
  if (text !== `${JSON.stringify(parsed)}\n`) {
    throw bad("not written by the store");
  }
  if (check !== await digest(JSON.stringify(meta))) {
    throw bad("its check does not match its content");
  }
  const why = recordProblem(meta, key);
  if (why !== undefined) throw bad(why);
  return meta as unknown as ModuleMeta;
}

function recordProblem(
  m: Record<string, unknown>,
  key: string,
): string | undefined {
  if (m.format !== FORMAT) return `format ${m.format}, expected ${FORMAT}`;
  if (m.key !== key) return `it names key ${m.key}`;
  if (typeof m.mediaType !== "string" || extensionOf(m.mediaType) !== m.ext) {
    return "bad media type or extension";
  }
  if (!Array.isArray(m.imports) || !m.imports.every(isImport)) {
    return "bad imports";
  }
  const n = m.imports.length;
  const rewrites = m.rewrites;
  if (
    !Array.isArray(rewrites) ||
    !rewrites.every((r) =>
      Array.isArray(r) && r.length === 3 && Number.isSafeInteger(r[0]) &&
      r[0] >= 0 && typeof r[1] === "string" && Number.isSafeInteger(r[2]) &&
      r[2] >= 0 && r[2] < n
    )
  ) return "bad rewrites";
  if (
    m.cycle !== undefined &&
    (!Array.isArray(m.cycle) || !m.cycle.every(isKey) || !m.cycle.includes(key))
  ) {
    return "bad cycle";
  }
  if (typeof m.source !== "string" || typeof m.deno !== "string") {
    return "bad provenance";
  }
  if (m.config !== null && typeof m.config !== "string") return "bad config";
  return undefined;
}

function isImport(i: unknown): boolean {
  if (i === null || typeof i !== "object") return false;
  const r = i as Record<string, unknown>;
  return typeof r.specifier === "string" &&
    (r.slot === "code" || r.slot === "type") &&
    (isKey(r.key) ? r.external === undefined : typeof r.external === "string");
}
