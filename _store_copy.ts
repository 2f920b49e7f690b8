// Private: moving closures between stores, directly or as a tar archive
// (`@std/tar`). Either way the closure is verified before it is written,
// written as an ingest writes (module files, then records in dependency
// order), and verified again where it arrived. Not exported from mod.ts.

import { join } from "@std/path/join";
import { TarStream, type TarStreamInput } from "@std/tar/tar-stream";
import { UntarStream } from "@std/tar/untar-stream";
import { mkdtemp } from "./tempfile.ts";
import { StoreError } from "./_store_error.ts";
import { FORMAT, isKey, stronglyConnected } from "./_store_key.ts";
import {
  decodeMeta,
  encodeMeta,
  fileExists,
  type Layout,
  linkInto,
  type ModuleMeta,
  syncDir,
  writeStaged,
} from "./_store_fs.ts";
import type { StoreReader } from "./_store_verify.ts";

/** A stored module: its record and its file. */
export interface StoredModule {
  meta: ModuleMeta;
  bytes: Uint8Array;
}

/** Reads a store on disk. */
export function layoutReader(fn: string, layout: Layout): StoreReader {
  return {
    async meta(key) {
      const path = layout.metaFile(key);
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(path);
      } catch (cause) {
        if (!(cause instanceof Deno.errors.NotFound)) throw cause;
        throw new StoreError(
          "NOT_FOUND",
          `${fn}: record "${path}" is missing`,
          {
            key,
            path,
            cause,
          },
        );
      }
      return decodeMeta(fn, path, key, bytes);
    },
    async module(meta) {
      const path = layout.moduleFile(meta.key, meta.ext);
      try {
        return await Deno.readFile(path);
      } catch (cause) {
        if (!(cause instanceof Deno.errors.NotFound)) throw cause;
        throw new StoreError(
          "NOT_FOUND",
          `${fn}: module file "${path}" is missing`,
          {
            key: meta.key,
            path,
            cause,
          },
        );
      }
    },
    path: (key, what, ext = "") =>
      what === "meta" ? layout.metaFile(key) : layout.moduleFile(key, ext),
  };
}

/** The records of a closure in dependency order (dependencies first). */
export function dependencyOrder(
  metas: ReadonlyMap<string, ModuleMeta>,
): ModuleMeta[] {
  const components = stronglyConnected(metas.keys(), (key) => {
    const m = metas.get(key)!;
    return m.imports.flatMap((i) =>
      i.key !== undefined && metas.has(i.key) ? [i.key] : []
    );
  });
  return components.flat().map((k) => metas.get(k)!);
}

/**
 * Writes a verified closure into a store, as an ingest writes: every
 * module file missing there, then the records in dependency order.
 * Returns how many modules were added.
 */
export async function writeClosure(
  layout: Layout,
  fsync: boolean,
  modules: readonly StoredModule[],
): Promise<number> {
  const stage = await mkdtemp({ dir: layout.tmp, prefix: "copy-" });
  try {
    await Deno.mkdir(join(stage, "meta"));
    let written = 0;
    const missing: StoredModule[] = [];
    for (const m of modules) {
      if (!await fileExists(layout.metaFile(m.meta.key))) missing.push(m);
    }
    for (const { meta, bytes } of missing) {
      const staged = join(stage, meta.key + meta.ext);
      await writeStaged(staged, bytes, fsync);
      if (await linkInto(staged, layout.moduleFile(meta.key, meta.ext))) {
        written++;
      }
    }
    if (fsync) await syncDir(layout.modules);
    const byKey = new Map(missing.map((m) => [m.meta.key, m.meta]));
    for (const meta of dependencyOrder(byKey)) {
      const staged = join(stage, "meta", `${meta.key}.json`);
      await writeStaged(staged, await encodeMeta(meta), fsync);
      await linkInto(staged, layout.metaFile(meta.key));
    }
    if (fsync) await syncDir(layout.meta);
    return written;
  } finally {
    await Deno.remove(stage, { recursive: true }).catch(() => {});
  }
}

// ---------------------------------------------------------------------------
// Tar archives

const MANIFEST = "tempkit-store.json";
const ENTRY = /^(modules|meta)\/([0-9a-f]{64})(\.d\.mts|\.d\.ts|\.[a-z]+)$/;
/** No stored module comes near this; a larger entry is not a store's. */
const MAX_ENTRY = 256 * 1024 * 1024;

/**
 * A tar archive of a closure: a manifest naming the root, then each module
 * file and record, dependencies first. Entries carry mtime 0, so the same
 * closure always gives the same bytes.
 */
export function tarClosure(
  root: string,
  modules: readonly StoredModule[],
  records: readonly Uint8Array[],
): ReadableStream<Uint8Array> {
  const manifest = new TextEncoder().encode(
    `${JSON.stringify({ format: FORMAT, root, modules: modules.length })}\n`,
  );
  const file = (path: string, bytes: Uint8Array): TarStreamInput => ({
    type: "file",
    path,
    size: bytes.length,
    readable: ReadableStream.from([bytes]),
    options: { mtime: 0, mode: 0o644 },
  });
  const entries: TarStreamInput[] = [file(MANIFEST, manifest)];
  modules.forEach(({ meta, bytes }, i) => {
    entries.push(file(`modules/${meta.key}${meta.ext}`, bytes));
    entries.push(file(`meta/${meta.key}.json`, records[i]));
  });
  return ReadableStream.from(entries).pipeThrough(new TarStream());
}

/** What an archive holds, read into memory and checked entry by entry. */
export interface Unpacked {
  root: string;
  metas: Map<string, ModuleMeta>;
  files: Map<string, Uint8Array>;
}

/** Reads an archive made by {@linkcode tarClosure}. */
export async function untarClosure(
  fn: string,
  archive: ReadableStream<Uint8Array>,
): Promise<Unpacked> {
  const bad = (why: string, cause?: unknown) =>
    new StoreError("FORMAT", `${fn}: not a module store archive: ${why}`, {
      cause,
    });
  let root: string | undefined;
  const metas = new Map<string, ModuleMeta>();
  const files = new Map<string, Uint8Array>();
  try {
    for await (const entry of archive.pipeThrough(new UntarStream())) {
      const size = entry.header.size;
      if (entry.readable === undefined || size > MAX_ENTRY) {
        await entry.readable?.cancel();
        throw bad(`unexpected entry "${entry.path}"`);
      }
      const bytes = await new Response(entry.readable).bytes();
      if (entry.path === MANIFEST) {
        root = manifestRoot(bytes);
        if (root === undefined) throw bad("its manifest is not this format's");
        continue;
      }
      const match = ENTRY.exec(entry.path);
      if (match === null) throw bad(`unexpected entry "${entry.path}"`);
      const [, dir, key, ext] = match;
      if (dir === "meta") {
        if (ext !== ".json") throw bad(`unexpected entry "${entry.path}"`);
        metas.set(key, await decodeMeta(fn, entry.path, key, bytes));
      } else files.set(key + ext, bytes);
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw bad(err instanceof Error ? err.message : String(err), err);
  }
  if (root === undefined) throw bad(`no ${MANIFEST}`);
  return { root, metas, files };
}

function manifestRoot(bytes: Uint8Array): string | undefined {
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes));
    return m?.format === FORMAT && isKey(m.root) ? m.root : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an unpacked archive, falling back to `store` for what it lacks. */
export function unpackedReader(
  fn: string,
  unpacked: Unpacked,
  store: StoreReader,
): StoreReader {
  return {
    meta: (key) => {
      const meta = unpacked.metas.get(key);
      return meta === undefined ? store.meta(key) : Promise.resolve(meta);
    },
    module: (meta) => {
      const bytes = unpacked.files.get(meta.key + meta.ext);
      if (bytes !== undefined) return Promise.resolve(bytes);
      if (unpacked.metas.has(meta.key)) {
        return Promise.reject(
          new StoreError(
            "NOT_FOUND",
            `${fn}: the archive has no module file for ${meta.key}`,
            {
              key: meta.key,
            },
          ),
        );
      }
      return store.module(meta);
    },
    path: (key, what, ext = "") =>
      what === "meta" ? `meta/${key}.json` : `modules/${key}${ext}`,
  };
}
