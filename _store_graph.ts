// Private: the module graph as Deno itself sees it. `deno info --json` runs
// through `Deno.execPath()` with the configuration explicit; every `error`
// field it reports is inspected (it exits 0 even when a module is missing or
// does not parse); its spans (code points, lines split on "\n" only, a BOM
// not counted, quotes included) become byte ranges; and the specifiers at
// those ranges are rewritten byte-exactly. Not exported from mod.ts.

import { dirname } from "@std/path/dirname";
import { StoreError } from "./_store_error.ts";
import type { Slot } from "./_store_key.ts";
import { grantScope, isGranted, notCapable } from "./_permissions.ts";

// ---------------------------------------------------------------------------
// What `deno info --json` prints (the fields the store reads)

interface InfoPosition {
  line: number;
  character: number;
}
interface InfoSpan {
  start: InfoPosition;
  end: InfoPosition;
}
interface InfoResolution {
  specifier?: string;
  error?: string;
  span?: InfoSpan;
}
interface InfoDependency {
  specifier: string;
  code?: InfoResolution;
  type?: InfoResolution;
}
/** One module of `deno info --json`. */
export interface InfoModule {
  specifier: string;
  kind?: string;
  error?: string;
  local?: string;
  size?: number;
  mediaType?: string;
  dependencies?: InfoDependency[];
  typesDependency?: { specifier: string; dependency?: InfoResolution };
}
/** The graph `deno info --json` prints. */
export interface InfoGraph {
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
}

/** How `deno info` is run. */
export interface InfoOptions {
  /** The public function, for messages. */
  fn: string;
  /** The `deno.json` to pass as `--config`; `null` for `--no-config`. */
  config: string | null;
  /** `host:port`s passed as `--allow-import`. */
  allowImport: readonly string[];
  /** The child's working directory. */
  cwd?: string;
}

/** Runs `deno info --json` on `file` and parses its output. */
export async function denoInfo(
  file: string,
  options: InfoOptions,
): Promise<InfoGraph> {
  const { fn, config, allowImport } = options;
  const args = [
    "info",
    "--json",
    config === null ? "--no-config" : `--config=${config}`,
  ];
  if (allowImport.length > 0) {
    args.push(`--allow-import=${allowImport.join(",")}`);
  }
  args.push(file);
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) {
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: deno info failed for "${file}": ${lastLines(stderr)}`,
      { path: file },
    );
  }
  try {
    const graph = JSON.parse(new TextDecoder().decode(out.stdout));
    if (!Array.isArray(graph.modules)) throw new Error("no modules");
    graph.redirects ??= {};
    return graph as InfoGraph;
  } catch (cause) {
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: deno info printed no graph for "${file}": ${lastLines(stderr)}`,
      { path: file, cause },
    );
  }
}

function lastLines(text: string): string {
  const lines = text.split("\n").filter((l) => !/^Download /.test(l));
  return lines.slice(-8).join("\n") || "(no message)";
}

// ---------------------------------------------------------------------------
// Spans to byte ranges

const BOM = [0xef, 0xbb, 0xbf];

/** 3 when `bytes` starts with a UTF-8 byte order mark, else 0. */
export function bomLength(bytes: Uint8Array): number {
  return BOM.every((b, i) => bytes[i] === b) ? 3 : 0;
}

/** Byte offsets of `deno info` positions in one source. */
class Lines {
  readonly #bytes: Uint8Array;
  readonly #starts: number[];

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#starts = [bomLength(bytes)];
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0x0a) this.#starts.push(i + 1);
    }
  }

  /** The byte offset of a position, or -1 when it lies outside the source. */
  offset(pos: InfoPosition): number {
    const bytes = this.#bytes;
    let at = this.#starts[pos.line];
    if (at === undefined) return -1;
    for (let n = pos.character; n > 0; n--) {
      if (at >= bytes.length || bytes[at] === 0x0a) return -1;
      at++;
      while (at < bytes.length && (bytes[at] & 0xc0) === 0x80) at++;
    }
    return at;
  }
}

const QUOTES = new Set(["'", '"', "`"]);

/** True when `text` is one string literal, quotes included, with no `${`. */
function isLiteral(text: string): boolean {
  const q = text[0];
  if (text.length < 2 || !QUOTES.has(q) || text[text.length - 1] !== q) {
    return false;
  }
  for (let i = 1; i < text.length - 1; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === q) return false;
    else if (q === "`" && text[i] === "$" && text[i + 1] === "{") return false;
  }
  return true;
}

/** One place in a source where a specifier is written. */
export interface RawSite {
  slot: Slot;
  /** Byte range in the source, quotes included. */
  start: number;
  end: number;
  /** The bytes of the range as text. */
  text: string;
  /** 1-based line, for messages. */
  line: number;
  /** False for an expression Deno expanded itself (`import("./" + x)`). */
  literal: boolean;
  /** The specifier inside the quotes, as written. */
  written: string;
  /** What Deno resolved it to. */
  resolved?: string;
  /** Why Deno could not resolve it. */
  error?: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * True for types an `X-TypeScript-Types` header named: Deno gives them an
 * empty span at the start, as they have no place in the source to rewrite.
 */
function fromHeader(
  types: NonNullable<InfoModule["typesDependency"]>,
): boolean {
  const span = types.dependency?.span;
  return span === undefined ||
    (span.start.line === span.end.line &&
      span.start.character === span.end.character);
}

/**
 * The places where `module` writes a specifier that `deno info` reports:
 * each dependency's code and type spans and the `typesDependency` span. Only
 * the first span of a specifier is reported; see {@linkcode rewrite}'s loop.
 */
export function rawSites(
  fn: string,
  module: InfoModule,
  source: Uint8Array,
): RawSite[] {
  const lines = new Lines(source);
  const out: RawSite[] = [];
  const seen = new Set<number>();
  const add = (slot: Slot, r: InfoResolution | undefined, spec: string) => {
    if (r === undefined) return;
    if (r.span === undefined) {
      throw new StoreError(
        "UNSUPPORTED",
        `${fn}: "${spec}" in ${module.specifier} has no place in the source (an implicit import such as a JSX runtime), so it cannot be rewritten`,
        { path: module.specifier },
      );
    }
    const start = lines.offset(r.span.start);
    const end = lines.offset(r.span.end);
    if (start < 0 || end < start) {
      throw new StoreError(
        "GRAPH_FAIL",
        `${fn}: deno info gave a span outside ${module.specifier} for "${spec}"; did the file change during the ingest?`,
        { path: module.specifier },
      );
    }
    if (seen.has(start)) return; // one site, several expanded targets
    seen.add(start);
    const text = utf8.decode(source.subarray(start, end));
    const literal = isLiteral(text);
    out.push({
      slot,
      start,
      end,
      text,
      line: r.span.start.line + 1,
      literal,
      written: literal ? text.slice(1, -1) : text,
      resolved: r.specifier,
      error: r.error,
    });
  };
  for (const dep of module.dependencies ?? []) {
    add("code", dep.code, dep.specifier);
    add("type", dep.type, dep.specifier);
  }
  const types = module.typesDependency;
  if (types !== undefined && !fromHeader(types)) {
    add("type", types.dependency, types.specifier);
  }
  return out.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------
// Media types

const EXTENSIONS: Readonly<Record<string, string>> = {
  TypeScript: ".ts",
  Mts: ".mts",
  Tsx: ".tsx",
  JavaScript: ".js",
  Mjs: ".mjs",
  Jsx: ".jsx",
  Dts: ".d.ts",
  Dmts: ".d.mts",
  Json: ".json",
};

/** The stored file's extension for a media type; `undefined` when refused. */
export function extensionOf(mediaType: string): string | undefined {
  return Object.hasOwn(EXTENSIONS, mediaType)
    ? EXTENSIONS[mediaType]
    : undefined;
}

// ---------------------------------------------------------------------------
// Resolution

/** What a specifier resolves to: a module to store, or an external kept as is. */
export type SiteTarget = { module: string } | { external: string };

/** Follows `deno info`'s redirects and classifies the end of the chain. */
export function classify(
  fn: string,
  resolved: string,
  redirects: Readonly<Record<string, string>>,
  where: string,
): SiteTarget {
  let s = resolved;
  for (let hops = 0; hops < 20 && Object.hasOwn(redirects, s); hops++) {
    s = redirects[s];
  }
  if (s.startsWith("node:")) return { external: s };
  // Deno writes a resolved npm package as npm:/name@exact-version/subpath.
  if (s.startsWith("npm:/")) return { external: `npm:${s.slice(5)}` };
  if (/^(file|https?):/.test(s)) return { module: s };
  if (/^(npm|jsr):/.test(s)) {
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: Deno did not resolve "${resolved}" (${where})`,
      { path: where },
    );
  }
  throw new StoreError(
    "UNSUPPORTED",
    `${fn}: cannot store "${resolved}" (${where}): only file:, http:, https:, jsr:, npm: and node: modules can be captured`,
    { path: where },
  );
}

// ---------------------------------------------------------------------------
// The graph reachable from the roots

/** A resolved place where a module writes a specifier. */
export interface Site extends RawSite {
  target: SiteTarget;
}

/** A module of the graph, its source as Deno loaded it. */
export interface GraphModule {
  url: string;
  mediaType: string;
  ext: string;
  source: Uint8Array;
  /** The literal sites, with their targets. */
  sites: Site[];
  /** Lines of `import()` calls Deno expanded from a non-literal argument. */
  expanded: number[];
  /** Types a server named in an `X-TypeScript-Types` header (not stored). */
  typesHeader?: string;
}

/** The modules reachable from the roots through literal specifiers. */
export interface Graph {
  roots: string[];
  modules: Map<string, GraphModule>;
}

/** Where the modules of a failing ingest were imported from. */
type Parents = Map<string, { from: string; line: number }>;

function importedFrom(parents: Parents, url: string): string {
  const p = parents.get(url);
  return p === undefined ? "the entry" : `imported at ${p.from}:${p.line}`;
}

/**
 * Walks the graph from `roots` (module URLs), reading each source from its
 * `local` file (cut to `size` for a cache file, which ends in Deno's
 * metadata), and fails on every error `deno info` reported on the way.
 */
export async function collectGraph(
  fn: string,
  info: InfoGraph,
  roots: readonly string[],
): Promise<Graph> {
  const byUrl = new Map(info.modules.map((m) => [m.specifier, m]));
  const modules = new Map<string, GraphModule>();
  const parents: Parents = new Map();
  let wave = [...new Set(roots)];
  const queued = new Set(wave);
  while (wave.length > 0) {
    const loaded = await Promise.all(
      wave.map((url) => loadModule(fn, byUrl.get(url), url, parents)),
    );
    const next: string[] = [];
    for (const raw of loaded) {
      const module = resolveSites(fn, raw.module, raw.raw, info.redirects);
      modules.set(module.url, module);
      for (const site of module.sites) {
        if (!("module" in site.target)) continue;
        const url = site.target.module;
        if (queued.has(url)) continue;
        queued.add(url);
        parents.set(url, { from: module.url, line: site.line });
        next.push(url);
      }
    }
    wave = next;
  }
  return { roots: [...roots], modules };
}

async function loadModule(
  fn: string,
  info: InfoModule | undefined,
  url: string,
  parents: Parents,
): Promise<{ module: GraphModule; raw: RawSite[] }> {
  const where = importedFrom(parents, url);
  if (info === undefined) {
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: deno info left out "${url}" (${where})`,
      { path: url },
    );
  }
  if (info.error !== undefined) {
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: cannot ingest "${url}" (${where}): ${info.error}`,
      { path: url },
    );
  }
  if (info.kind === "wasm") {
    throw new StoreError(
      "UNSUPPORTED",
      `${fn}: "${url}" (${where}) is WebAssembly, which the store does not hold`,
      { path: url },
    );
  }
  const ext = extensionOf(info.mediaType ?? "");
  if (
    (info.kind !== "esm" && info.kind !== "asserted") || ext === undefined ||
    info.local === undefined || info.size === undefined
  ) {
    throw new StoreError(
      "UNSUPPORTED",
      `${fn}: "${url}" (${where}) is a ${info.kind ?? "?"} module of type ${
        info.mediaType ?? "?"
      }; the store holds ES modules, TypeScript declarations and JSON`,
      { path: url },
    );
  }
  const source = await readSource(fn, url, info.local, info.size);
  const module: GraphModule = {
    url,
    mediaType: info.mediaType!,
    ext,
    source,
    sites: [],
    expanded: [],
  };
  const types = info.typesDependency;
  if (types !== undefined && fromHeader(types)) {
    module.typesHeader = types.specifier;
  }
  return { module, raw: rawSites(fn, info, source) };
}

function resolveSites(
  fn: string,
  module: GraphModule,
  raw: RawSite[],
  redirects: Readonly<Record<string, string>>,
): GraphModule {
  for (const site of raw) {
    const where = `${module.url}:${site.line}`;
    if (!site.literal) {
      if (!module.expanded.includes(site.line)) module.expanded.push(site.line);
      continue;
    }
    if (site.error !== undefined || site.resolved === undefined) {
      throw new StoreError(
        "GRAPH_FAIL",
        `${fn}: cannot resolve "${site.written}" imported at ${where}: ${
          site.error ?? "no resolution"
        }`,
        { path: module.url },
      );
    }
    module.sites.push({
      ...site,
      target: classify(fn, site.resolved, redirects, where),
    });
  }
  return module;
}

/** Where the Deno cache that holds `local` starts, for a grant to name. */
function cacheRoot(local: string): string | undefined {
  const at = local.lastIndexOf("/remote/");
  return at > 0 ? local.slice(0, at) : undefined;
}

async function readSource(
  fn: string,
  url: string,
  local: string,
  size: number,
): Promise<Uint8Array> {
  if (!isGranted("read", local)) {
    const remote = !url.startsWith("file:");
    throw notCapable({
      fn,
      kind: "read",
      target: local,
      scope: remote
        ? cacheRoot(local) ?? dirname(local)
        : grantScope("read", dirname(local), dirname(local)),
      why: remote ? `the Deno cache's copy of ${url}` : "a module's source",
    });
  }
  const bytes = await Deno.readFile(local);
  const length = bomLength(bytes) + size;
  const exact = url.startsWith("file:");
  if (exact ? bytes.length !== length : bytes.length < length) {
    throw new StoreError(
      "GRAPH_FAIL",
      `${fn}: "${url}" changed while it was being ingested; run the ingest again`,
      { path: url },
    );
  }
  return exact ? bytes : bytes.slice(0, length);
}

// ---------------------------------------------------------------------------
// Rewriting

/** One specifier replaced: `at` and `text` in the original source. */
export interface Edit {
  at: number;
  text: string;
  replacement: string;
}

const encoder = new TextEncoder();

/** `source` with each edit applied; `edits` sorted by `at`, not overlapping. */
export function applyEdits(
  source: Uint8Array,
  edits: readonly Edit[],
): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const e of edits) {
    parts.push(source.subarray(from, e.at), encoder.encode(e.replacement));
    from = e.at + encoder.encode(e.text).length;
  }
  parts.push(source.subarray(from));
  return concat(parts);
}

/** The parts, one after another, in a new array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The original offset of `offset` in a source rewritten by `edits`. */
export function originalOffset(offset: number, edits: readonly Edit[]): number {
  let shift = 0;
  for (const e of edits) {
    const before = encoder.encode(e.text).length;
    const after = encoder.encode(e.replacement).length;
    if (e.at + shift + after > offset) break;
    shift += after - before;
  }
  return offset - shift;
}

/** A replacement specifier in the quotes the original used. */
export function quoted(original: string, specifier: string): string {
  return original[0] + specifier + original[original.length - 1];
}
