// Private: one ingest, from Deno's graph to records on disk.
//
// 1. `deno info` on the entry (or on an index importing every root) gives
//    the graph; every module is read as Deno loaded it.
// 2. Keys are computed (Merkle, cycles as units), and each specifier Deno
//    reported is rewritten to `./<key><ext>` or to its pinned external.
// 3. When every key is already stored, nothing is written. Otherwise the
//    closure is staged flat under tmp/ingest-*/ (new files written, stored
//    ones linked) and `deno info --no-config` runs on the staged entry: it
//    reports the next occurrence of any original specifier (Deno reports one
//    span per specifier), which is rewritten in turn, until none is left; the
//    last pass is the proof that the staged graph reaches only staged files
//    and pinned externals.
// 4. Module files are linked into modules/, then records into meta/ in
//    dependency order, so a record exists only when its whole closure does.
// Not exported from mod.ts.

import { dirname } from "@std/path/dirname";
import { join } from "@std/path/join";
import { toFileUrl } from "@std/path/to-file-url";
import { mkdtemp } from "./tempfile.ts";
import { StoreError } from "./_store_error.ts";
import {
  applyEdits,
  collectGraph,
  denoInfo,
  type Edit,
  type Graph,
  type GraphModule,
  type InfoGraph,
  originalOffset,
  quoted,
  rawSites,
  type SiteTarget,
} from "./_store_graph.ts";
import {
  compareImports,
  computeKeys,
  FORMAT,
  type KeyImport,
  type KeyInfo,
  type KeyNode,
  type KeyTarget,
  type Slot,
  stronglyConnected,
} from "./_store_key.ts";
import {
  encodeMeta,
  fileExists,
  type Layout,
  linkInto,
  type MetaImport,
  type ModuleMeta,
  reference,
  syncDir,
  syncFile,
  writeStaged,
} from "./_store_fs.ts";
import { scan } from "./_store_scan.ts";

/**
 * Something a stored module does that the store cannot capture, from
 * {@linkcode ModuleStore.ingest}.
 *
 * @example
 * ```ts
 * import type { StoreWarning } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const warning: StoreWarning = {
 *   kind: "non-literal-import",
 *   file: "file:///app/plugins.ts",
 *   line: 12,
 *   message: "import(): ...",
 * };
 * assertEquals(`${warning.file}:${warning.line}`, "file:///app/plugins.ts:12");
 * ```
 */
export interface StoreWarning {
  /**
   * `"non-literal-import"`, `"import-meta"`, or `"types-header"`: a remote
   * JavaScript module's types came from its server's `X-TypeScript-Types`
   * header, which a stored copy cannot carry (line 0: not in the source).
   */
  kind: "non-literal-import" | "import-meta" | "types-header";
  /** The module, as a URL. */
  file: string;
  /** 1-based line; 0 when the cause is not in the source. */
  line: number;
  /** What it does and why the stored copy differs. */
  message: string;
}

/**
 * A step of a long ingest, passed to `onProgress` for a progress display.
 *
 * @example
 * ```ts
 * import type { IngestProgress } from "@tempkit/tempkit/store";
 * import { assertEquals } from "@std/assert";
 *
 * const seen: string[] = [];
 * const onProgress = (p: IngestProgress) => seen.push(`${p.phase} ${p.done}/${p.total}`);
 * onProgress({ phase: "write", done: 3, total: 10 });
 * assertEquals(seen, ["write 3/10"]);
 * ```
 */
export interface IngestProgress {
  /** `"graph"`, `"hash"`, `"write"`, `"check"` or `"record"`. */
  phase: "graph" | "hash" | "write" | "check" | "record";
  /** Modules done in this phase. */
  done: number;
  /** Modules in this phase. */
  total: number;
}

/** What one ingest is asked to do. */
export interface IngestPlan {
  fn: string;
  layout: Layout;
  /** Absolute paths of the root modules. */
  roots: string[];
  /** The `deno.json` resolving the roots, or null. */
  config: string | null;
  allowImport: string[];
  strict: boolean;
  fsync: boolean;
  onProgress?: (progress: IngestProgress) => void;
}

/** What one ingest did. */
export interface IngestOutcome {
  /** The key of each root, in the order of `roots`. */
  keys: string[];
  modules: number;
  written: number;
  warnings: StoreWarning[];
  /** The URLs the closure's modules were read from, sorted. */
  sources: string[];
}

/** A module of the graph with its key and rewritten bytes. */
interface Planned {
  module: GraphModule;
  key: string;
  cycle?: string[];
  imports: MetaImport[];
  /** (written, slot) → index into imports. */
  lookup: Map<string, number>;
  edits: (Edit & { index: number })[];
  bytes: Uint8Array;
}

const STAGED_REF = /^\.\/([0-9a-f]{64})(\.d\.mts|\.d\.ts|\.[a-z]+)$/;

export async function ingest(plan: IngestPlan): Promise<IngestOutcome> {
  const { fn, layout } = plan;
  const progress = plan.onProgress ?? (() => {});
  const stage = await mkdtemp({ dir: layout.tmp, prefix: "ingest-" });
  try {
    progress({ phase: "graph", done: 0, total: plan.roots.length });
    const { graph, roots } = await readGraph(plan, stage);
    const warnings = findWarnings(fn, graph, plan.strict);
    progress({ phase: "hash", done: 0, total: graph.modules.size });
    const planned = await planModules(fn, graph);
    const rootKeys = roots.map((url) => planned.get(url)!.key);
    const byKey = new Map<string, Planned>();
    for (const p of planned.values()) {
      if (!byKey.has(p.key)) byKey.set(p.key, p);
    }
    const present = await presentKeys(layout, byKey);
    const outcome = {
      keys: rootKeys,
      modules: byKey.size,
      written: 0,
      warnings,
      sources: [...graph.modules.keys()].sort(),
    };
    if (present.size === byKey.size) return outcome;
    const fresh = [...byKey.values()].filter((p) => !present.has(p.key));
    await stageClosure(plan, stage, byKey, present);
    await rewriteUntilClean(plan, stage, byKey, present, rootKeys);
    outcome.written = await linkModules(plan, stage, fresh);
    await writeRecords(plan, stage, graph, planned, present);
    return outcome;
  } finally {
    await Deno.remove(stage, { recursive: true }).catch(() => {});
  }
}

// ---------------------------------------------------------------------------
// 1. The graph

async function readGraph(
  plan: IngestPlan,
  stage: string,
): Promise<{ graph: Graph; roots: string[] }> {
  const { fn, roots } = plan;
  const options = {
    fn,
    config: plan.config,
    allowImport: plan.allowImport,
    cwd: dirname(roots[0]),
  };
  let info: InfoGraph;
  let urls: string[];
  if (roots.length === 1) {
    info = await denoInfo(roots[0], options);
    urls = info.roots;
  } else {
    // deno info takes one root: an index imports them all.
    const index = join(stage, "index.ts");
    const hrefs = roots.map((r) => toFileUrl(r).href);
    await Deno.writeTextFile(index, importLines(hrefs, roots));
    info = await denoInfo(index, options);
    const indexUrl = toFileUrl(index).href;
    const entry = info.modules.find((m) => m.specifier === indexUrl);
    const resolved = new Map(
      (entry?.dependencies ?? []).map((d) => [d.specifier, d.code?.specifier]),
    );
    urls = hrefs.map((h) => resolved.get(h) ?? h);
  }
  return { graph: await collectGraph(fn, info, urls), roots: urls };
}

function importLines(specifiers: string[], names: string[]): string {
  return specifiers.map((s, i) =>
    /\.d\.m?ts$/.test(names[i])
      ? `import type {} from ${JSON.stringify(s)};\n`
      : `import ${JSON.stringify(s)};\n`
  ).join("");
}

const RUNS = new Set(["TypeScript", "Mts", "Tsx", "JavaScript", "Mjs", "Jsx"]);

const WARNING_TEXT = {
  "non-literal-import":
    "the store cannot see what it loads, and in the stored copy a relative specifier resolves next to the stored file",
  "import-meta":
    "in the stored copy it names the stored file, so a URL made from it (new URL(..., import.meta.url)) points into the store, which holds modules only",
} as const;

function findWarnings(
  fn: string,
  graph: Graph,
  strict: boolean,
): StoreWarning[] {
  const warnings: StoreWarning[] = [];
  const text = new TextDecoder();
  for (const m of graph.modules.values()) {
    if (!RUNS.has(m.mediaType)) continue; // JSON and declarations do not run
    const found = scan(text.decode(m.source));
    const lines = new Set<number>();
    for (const f of found) {
      if (f.kind === "worker") {
        throw new StoreError(
          "UNSUPPORTED",
          `${fn}: ${m.url}:${f.line} starts a Worker (${f.what}); the store does not capture Workers, whose module is loaded by URL at run time`,
          { path: m.url },
        );
      }
      if (f.kind === "non-literal-import") lines.add(f.line);
      warnings.push({
        kind: f.kind,
        file: m.url,
        line: f.line,
        message: `${f.what}: ${WARNING_TEXT[f.kind]}`,
      });
    }
    if (m.typesHeader !== undefined) {
      warnings.push({
        kind: "types-header",
        file: m.url,
        line: 0,
        message:
          `its types (${m.typesHeader}) came from an X-TypeScript-Types header, which the stored copy cannot carry; it is stored without them`,
      });
    }
    for (const line of m.expanded) {
      if (lines.has(line)) continue;
      warnings.push({
        kind: "non-literal-import",
        file: m.url,
        line,
        message: `import(<expression>): ${WARNING_TEXT["non-literal-import"]}`,
      });
    }
  }
  warnings.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line
  );
  if (strict && warnings.length > 0) {
    const list = warnings.map((w) => `  ${w.file}:${w.line}: ${w.message}`);
    throw new StoreError(
      "NOT_CAPTURED",
      `${fn}: strict: ${warnings.length} thing(s) the store cannot capture:\n${
        list.join("\n")
      }`,
      { path: warnings[0].file },
    );
  }
  return warnings;
}

// ---------------------------------------------------------------------------
// 2. Keys and rewrites

function lookupKey(written: string, slot: Slot): string {
  return `${slot}\0${written}`;
}

function targetKey(t: SiteTarget): string {
  return "module" in t ? `m\0${t.module}` : `x\0${t.external}`;
}

async function planModules(
  fn: string,
  graph: Graph,
): Promise<Map<string, Planned>> {
  const nodes = new Map<string, KeyNode>();
  const imports = new Map<
    string,
    { list: KeyImport[]; lookup: Map<string, number> }
  >();
  for (const m of graph.modules.values()) {
    const distinct = new Map<string, { imp: KeyImport; t: string }>();
    for (const site of m.sites) {
      const id = lookupKey(site.written, site.slot);
      const target: KeyTarget = "module" in site.target
        ? { node: site.target.module }
        : { external: site.target.external };
      const seen = distinct.get(id);
      if (seen !== undefined) {
        if (seen.t !== targetKey(site.target)) {
          throw new StoreError(
            "GRAPH_FAIL",
            `${fn}: "${site.written}" resolves two ways in ${m.url}`,
            { path: m.url },
          );
        }
        continue;
      }
      distinct.set(id, {
        imp: { specifier: site.written, slot: site.slot, target },
        t: targetKey(site.target),
      });
    }
    const list = [...distinct.values()].map((d) => d.imp).sort(compareImports);
    const lookup = new Map(
      list.map((imp, i) => [lookupKey(imp.specifier, imp.slot), i]),
    );
    imports.set(m.url, { list, lookup });
    nodes.set(m.url, {
      mediaType: m.mediaType,
      source: m.source,
      imports: list,
    });
  }
  const keys = await computeKeys(nodes);
  const exts = new Map<string, string>();
  for (const m of graph.modules.values()) exts.set(keys.get(m.url)!.key, m.ext);
  const extOf = (key: string) => exts.get(key) ?? "";
  const out = new Map<string, Planned>();
  for (const m of graph.modules.values()) {
    const info = keys.get(m.url)!;
    const { list, lookup } = imports.get(m.url)!;
    const metaImports = list.map((imp) => toMetaImport(imp, keys));
    const planned: Planned = {
      module: m,
      key: info.key,
      cycle: info.members?.map((u) => keys.get(u)!.key),
      imports: metaImports,
      lookup,
      edits: [],
      bytes: m.source,
    };
    for (const site of m.sites) {
      const index = lookup.get(lookupKey(site.written, site.slot))!;
      addEdit(planned, site.start, site.text, index, extOf);
    }
    planned.edits.sort((a, b) => a.at - b.at);
    planned.bytes = applyEdits(m.source, planned.edits);
    out.set(m.url, planned);
  }
  return out;
}

function toMetaImport(
  imp: KeyImport,
  keys: ReadonlyMap<string, KeyInfo>,
): MetaImport {
  const t = imp.target;
  return "node" in t
    ? { specifier: imp.specifier, slot: imp.slot, key: keys.get(t.node)!.key }
    : {
      specifier: imp.specifier,
      slot: imp.slot,
      external: (t as { external: string }).external,
    };
}

function replacementFor(
  planned: Planned,
  index: number,
  text: string,
  extOf: (key: string) => string,
): string {
  return quoted(text, reference(planned.imports[index], extOf));
}

function addEdit(
  planned: Planned,
  at: number,
  text: string,
  index: number,
  extOf: (key: string) => string,
): boolean {
  const replacement = replacementFor(planned, index, text, extOf);
  if (replacement === text) return false;
  planned.edits.push({ at, text, replacement, index });
  return true;
}

async function presentKeys(
  layout: Layout,
  byKey: ReadonlyMap<string, Planned>,
): Promise<Set<string>> {
  const present = new Set<string>();
  await Promise.all([...byKey.values()].map(async (p) => {
    const ok = await fileExists(layout.metaFile(p.key)) &&
      await fileExists(layout.moduleFile(p.key, p.module.ext));
    if (ok) present.add(p.key);
  }));
  // A cycle counts only when every member is there.
  for (const p of byKey.values()) {
    if (p.cycle?.some((k) => !present.has(k))) present.delete(p.key);
  }
  return present;
}

// ---------------------------------------------------------------------------
// 3. Staging and the rewrite loop

async function stageClosure(
  plan: IngestPlan,
  stage: string,
  byKey: ReadonlyMap<string, Planned>,
  present: ReadonlySet<string>,
): Promise<void> {
  let done = 0;
  const total = byKey.size;
  await Promise.all([...byKey.values()].map(async (p) => {
    const staged = join(stage, p.key + p.module.ext);
    if (present.has(p.key)) {
      await Deno.link(plan.layout.moduleFile(p.key, p.module.ext), staged);
    } else {
      await writeStaged(staged, p.bytes, false);
    }
    plan.onProgress?.({ phase: "write", done: ++done, total });
  }));
}

async function rewriteUntilClean(
  plan: IngestPlan,
  stage: string,
  byKey: ReadonlyMap<string, Planned>,
  present: ReadonlySet<string>,
  rootKeys: string[],
): Promise<void> {
  const { fn } = plan;
  const roots = [...new Set(rootKeys)].map((k) => byKey.get(k)!);
  let entry: string;
  if (roots.length === 1) {
    entry = join(stage, roots[0].key + roots[0].module.ext);
  } else {
    entry = join(stage, "proof.ts");
    const refs = roots.map((p) => `./${p.key}${p.module.ext}`);
    await Deno.writeTextFile(entry, importLines(refs, refs));
  }
  const stageUrl = toFileUrl(stage).href + "/";
  const proofUrl = roots.length === 1 ? "" : toFileUrl(entry).href;
  const extOf = (key: string) => byKey.get(key)?.module.ext ?? "";
  for (let pass = 1;; pass++) {
    plan.onProgress?.({ phase: "check", done: pass - 1, total: pass });
    const info = await denoInfo(entry, {
      fn,
      config: null,
      allowImport: [],
      cwd: stage,
    });
    const reached = new Set<string>();
    const changed = new Set<Planned>();
    let stranger: string | undefined; // reported once no original is left
    for (const m of info.modules) {
      if (m.specifier === proofUrl) continue;
      if (m.specifier.startsWith("node:") || m.specifier.startsWith("npm:")) {
        continue;
      }
      const name = m.specifier.startsWith(stageUrl)
        ? m.specifier.slice(stageUrl.length)
        : "";
      const p = byKey.get(name.replace(/(\.d)?\.[a-z]+$/, ""));
      if (p === undefined || name !== p.key + p.module.ext) {
        stranger ??=
          `the stored copy reaches ${m.specifier}, which is not part of the closure${
            m.error ? `: ${m.error}` : ""
          }`;
        continue;
      }
      if (m.error !== undefined) {
        stranger ??=
          `the stored copy of ${p.module.url} does not load: ${m.error}`;
        continue;
      }
      reached.add(p.key);
      if (present.has(p.key)) continue; // proven by the ingest that wrote it
      const applied = [...p.edits]; // the edits the staged bytes carry
      for (const site of rawSites(fn, m, p.bytes)) {
        if (!site.literal) continue;
        const ref = STAGED_REF.exec(site.written);
        if (
          ref !== null && p.imports.some((i) => i.key === ref[1]) &&
          extOf(ref[1]) === ref[2]
        ) continue;
        if (p.imports.some((i) => i.external === site.written)) continue;
        // An original specifier Deno had not reported yet.
        const index = p.lookup.get(lookupKey(site.written, site.slot)) ??
          p.lookup.get(
            lookupKey(site.written, site.slot === "code" ? "type" : "code"),
          );
        if (index === undefined) {
          throw unproven(
            fn,
            `"${site.written}" at ${p.module.url}:${site.line} was not in Deno's first graph`,
          );
        }
        const at = originalOffset(site.start, applied);
        if (p.edits.some((e) => e.at === at)) {
          throw unproven(
            fn,
            `rewriting "${site.written}" at ${p.module.url}:${site.line} did not take`,
          );
        }
        p.edits.push({
          at,
          text: site.text,
          replacement: replacementFor(p, index, site.text, extOf),
          index,
        });
        p.edits.sort((a, b) => a.at - b.at);
        changed.add(p);
      }
    }
    if (changed.size === 0) {
      if (stranger !== undefined) throw unproven(fn, stranger);
      if (reached.size !== byKey.size) {
        throw unproven(
          fn,
          `the stored copy reaches ${reached.size} of the ${byKey.size} modules of the closure`,
        );
      }
      return;
    }
    for (const p of changed) {
      p.bytes = applyEdits(p.module.source, p.edits);
      await writeStaged(join(stage, p.key + p.module.ext), p.bytes, false);
    }
  }
}

function unproven(fn: string, why: string): StoreError {
  return new StoreError("GRAPH_FAIL", `${fn}: ${why}`);
}

// ---------------------------------------------------------------------------
// 4. Into place

async function linkModules(
  plan: IngestPlan,
  stage: string,
  fresh: Planned[],
): Promise<number> {
  const { layout } = plan;
  let written = 0;
  await Promise.all(fresh.map(async (p) => {
    const staged = join(stage, p.key + p.module.ext);
    const final = layout.moduleFile(p.key, p.module.ext);
    if (plan.fsync) await syncFile(staged);
    if (await linkInto(staged, final)) {
      written++;
      return;
    }
    // Written before, by a concurrent ingest or one that was killed before
    // its records: the same bytes unless damaged, and then replaced.
    const existing = await Deno.readFile(final);
    if (!sameBytes(existing, p.bytes)) await Deno.rename(staged, final);
  }));
  if (plan.fsync) await syncDir(layout.modules);
  return written;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function writeRecords(
  plan: IngestPlan,
  stage: string,
  graph: Graph,
  planned: ReadonlyMap<string, Planned>,
  present: ReadonlySet<string>,
): Promise<void> {
  const { layout } = plan;
  const records = join(stage, "meta");
  await Deno.mkdir(records);
  const order = stronglyConnected(
    graph.modules.keys(),
    (url) =>
      graph.modules.get(url)!.sites.flatMap((s) =>
        "module" in s.target ? [s.target.module] : []
      ),
  );
  const written = new Set<string>(present);
  let done = 0;
  for (const component of order) {
    // Dependencies come first: a record names only stored closures.
    for (const url of component) {
      const p = planned.get(url)!;
      if (written.has(p.key)) continue;
      written.add(p.key);
      const meta: ModuleMeta = {
        format: FORMAT,
        key: p.key,
        mediaType: p.module.mediaType,
        ext: p.module.ext,
        imports: p.imports,
        rewrites: p.edits.map((e) => [e.at, e.text, e.index]),
        ...(p.cycle ? { cycle: p.cycle } : {}),
        source: p.module.url,
        config: plan.config,
        deno: Deno.version.deno,
      };
      const staged = join(records, `${p.key}.json`);
      await writeStaged(staged, await encodeMeta(meta), plan.fsync);
      await linkInto(staged, layout.metaFile(p.key));
      plan.onProgress?.({ phase: "record", done: ++done, total: planned.size });
    }
  }
  if (plan.fsync) await syncDir(layout.meta);
}
