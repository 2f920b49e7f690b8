// Private: re-hashing stored closures. A stored file is the original source
// with each specifier rewritten; its record says where and what was there,
// so the original is rebuilt, every rewritten span is checked to hold
// exactly the reference its import resolves to, and the key is computed
// again from the rebuilt sources (a cycle as one unit). Not exported from
// mod.ts.

import { StoreError } from "./_store_error.ts";
import { concat, quoted } from "./_store_graph.ts";
import { computeKeys, type KeyNode, type KeyTarget } from "./_store_key.ts";
import { type ModuleMeta, reference } from "./_store_fs.ts";

/** Where verification reads from: a store, or files staged for one. */
export interface StoreReader {
  /** The record of `key`; throws `NOT_FOUND` or `CORRUPT`. */
  meta(key: string): Promise<ModuleMeta>;
  /** The stored module file; throws `NOT_FOUND`. */
  module(meta: ModuleMeta): Promise<Uint8Array>;
  /** The path to name for `key`'s module file or record in a problem. */
  path(key: string, what: "module" | "meta", ext?: string): string;
}

/**
 * One thing wrong in a store, from {@linkcode ModuleStore.verify} and
 * {@linkcode ModuleStore.fsck}.
 *
 * @example
 * ```ts
 * import type { StoreProblem } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const problem: StoreProblem = {
 *   key: "a".repeat(64),
 *   path: `/store/modules/${"a".repeat(64)}.ts`,
 *   message: "does not hash to its key: its content or its record was changed",
 * };
 * assertEquals(problem.path.endsWith(".ts"), true);
 * ```
 */
export interface StoreProblem {
  /** The key concerned. */
  key: string;
  /** The file concerned: a module file, a record or a name. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

const encoder = new TextEncoder();

/**
 * The original source of a stored file, or why it cannot be rebuilt: a
 * rewritten span that does not hold the reference its import resolves to.
 */
export function originalSource(
  meta: ModuleMeta,
  stored: Uint8Array,
  ext: (key: string) => string,
): Uint8Array | string {
  const parts: Uint8Array[] = [];
  let from = 0; // in the stored file
  let last = 0; // in the original
  for (const [at, text, index] of meta.rewrites) {
    if (at < last) return "its rewrites overlap";
    const expected = encoder.encode(
      quoted(text, reference(meta.imports[index], ext)),
    );
    const start = from + (at - last);
    const held = stored.subarray(start, start + expected.length);
    if (
      held.length !== expected.length ||
      !held.every((b, i) => b === expected[i])
    ) {
      return `byte ${start} should hold ${new TextDecoder().decode(expected)}`;
    }
    parts.push(stored.subarray(from, start), encoder.encode(text));
    from = start + expected.length;
    last = at + encoder.encode(text).length;
  }
  parts.push(stored.subarray(from));
  return concat(parts);
}

/** The key node of a stored module, members of `cycle` as nodes. */
export function keyNode(
  meta: ModuleMeta,
  source: Uint8Array,
  cycle: ReadonlySet<string>,
): KeyNode {
  return {
    mediaType: meta.mediaType,
    source,
    imports: meta.imports.map((imp) => {
      let target: KeyTarget;
      if (imp.key === undefined) target = { external: imp.external! };
      else if (cycle.has(imp.key)) target = { node: imp.key };
      else target = { key: imp.key };
      return { specifier: imp.specifier, slot: imp.slot, target };
    }),
  };
}

/** What the closure walk found: each record, or a problem. */
interface Loaded {
  metas: Map<string, ModuleMeta>;
  problems: StoreProblem[];
}

async function loadClosure(
  reader: StoreReader,
  roots: Iterable<string>,
): Promise<Loaded> {
  const metas = new Map<string, ModuleMeta>();
  const problems: StoreProblem[] = [];
  const seen = new Set<string>();
  let wave = [...roots].filter((k) => !seen.has(k) && seen.add(k));
  while (wave.length > 0) {
    const got = await Promise.all(wave.map(async (key) => {
      try {
        return await reader.meta(key);
      } catch (err) {
        problems.push(problemOf(reader, key, "meta", err));
        return undefined;
      }
    }));
    const next: string[] = [];
    for (const meta of got) {
      if (meta === undefined) continue;
      metas.set(meta.key, meta);
      const deps = [
        ...meta.imports.flatMap((i) => i.key === undefined ? [] : [i.key]),
        ...meta.cycle ?? [],
      ];
      for (const k of deps) {
        if (!seen.has(k)) {
          seen.add(k);
          next.push(k);
        }
      }
    }
    wave = next;
  }
  return { metas, problems };
}

function problemOf(
  reader: StoreReader,
  key: string,
  what: "module" | "meta",
  err: unknown,
  ext?: string,
): StoreProblem {
  const path = err instanceof StoreError && err.path !== undefined
    ? err.path
    : reader.path(key, what, ext);
  const message = err instanceof StoreError
    ? err.message.replace(/^[^:]*: /, "")
    : `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  return { key, path, message };
}

/** What {@linkcode verifyClosure} found. */
export interface Verified {
  /** Sorted by path; none: sound. */
  problems: StoreProblem[];
  /** How many modules were re-hashed. */
  checked: number;
  /** The records read. */
  metas: Map<string, ModuleMeta>;
}

/**
 * Verifies every stored module reachable from `roots`: each record and file
 * is there, each rewritten span holds its reference, and each key is the
 * hash of the rebuilt sources.
 */
export async function verifyClosure(
  reader: StoreReader,
  roots: Iterable<string>,
): Promise<Verified> {
  const { metas, problems } = await loadClosure(reader, roots);
  const ext = (key: string) => metas.get(key)?.ext ?? "";
  const sources = new Map<string, Uint8Array>();
  await Promise.all([...metas.values()].map(async (meta) => {
    let stored: Uint8Array;
    try {
      stored = await reader.module(meta);
    } catch (err) {
      problems.push(problemOf(reader, meta.key, "module", err, meta.ext));
      return;
    }
    const original = originalSource(meta, stored, ext);
    if (typeof original === "string") {
      problems.push({
        key: meta.key,
        path: reader.path(meta.key, "module", meta.ext),
        message: `a rewritten specifier was changed: ${original}`,
      });
    } else sources.set(meta.key, original);
  }));
  const done = new Set<string>();
  for (const meta of metas.values()) {
    if (done.has(meta.key) || !sources.has(meta.key)) continue;
    const members = meta.cycle ?? [meta.key];
    members.forEach((m) => done.add(m));
    if (!members.every((m) => sources.has(m))) continue; // reported above
    const cycle = new Set(meta.cycle ?? []);
    const nodes = new Map<string, KeyNode>(
      members.map((m) => [m, keyNode(metas.get(m)!, sources.get(m)!, cycle)]),
    );
    let keys;
    try {
      keys = await computeKeys(nodes);
    } catch {
      keys = new Map();
    }
    for (const m of members) {
      const info = keys.get(m);
      const cycleOk = meta.cycle === undefined
        ? info?.members === undefined
        : info?.members?.join() === meta.cycle.join() &&
          metas.get(m)!.cycle?.join() === meta.cycle.join();
      if (info?.key !== m || !cycleOk) {
        problems.push({
          key: m,
          path: reader.path(m, "module", metas.get(m)!.ext),
          message:
            "does not hash to its key: its content or its record was changed",
        });
      }
    }
  }
  problems.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { problems, checked: sources.size, metas };
}
