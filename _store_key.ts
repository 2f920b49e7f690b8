// Private: the store's keys. A module's key is a sha256 over a canonical
// encoding of the store format, its media type, its source bytes and each of
// its imports (as written, the slot it fills, and the key or pinned external
// it resolves to), so the keys form a Merkle tree. An import cycle is hashed
// as one strongly connected component whose members are ordered from their
// content alone. Pure: no Deno APIs; not exported from mod.ts.

import { encodeHex } from "@std/encoding/hex";

/** The store format, hashed into every key and written into every record. */
export const FORMAT = 1;

/** What an import resolves to, from the point of view of one key computation. */
export type KeyTarget =
  /** Another module of the same computation, by its local id. */
  | { node: string }
  /** A module already keyed (outside the computation, or earlier in it). */
  | { key: string }
  /** Something the store does not hold: `node:fs`, `npm:x@1.2.3`. */
  | { external: string };

/** The slot an import fills: code that runs, or types only. */
export type Slot = "code" | "type";

/** One distinct import of a module. */
export interface KeyImport {
  /** The specifier as written in the source, without its quotes. */
  specifier: string;
  slot: Slot;
  target: KeyTarget;
}

/** A module as the key sees it. */
export interface KeyNode {
  mediaType: string;
  source: Uint8Array;
  /** Sorted with {@linkcode compareImports}; one entry per (specifier, slot). */
  imports: KeyImport[];
}

/** The key of a module and, when it sits in a cycle, the cycle's members. */
export interface KeyInfo {
  key: string;
  /** The member ids of its cycle in canonical order (absent outside a cycle). */
  members?: string[];
}

/** The canonical order of a module's imports: by specifier, then slot. */
export function compareImports(
  a: { specifier: string; slot: Slot },
  b: { specifier: string; slot: Slot },
): number {
  if (a.specifier !== b.specifier) return a.specifier < b.specifier ? -1 : 1;
  return a.slot === b.slot ? 0 : a.slot === "code" ? -1 : 1;
}

// ---------------------------------------------------------------------------
// Canonical encoding: every field length-prefixed, so no two records share
// a byte string.

const encoder = new TextEncoder();

class Encoding {
  #parts: Uint8Array[] = [];
  #length = 0;

  bytes(b: Uint8Array): this {
    this.uint(b.length);
    this.#push(b);
    return this;
  }
  text(s: string): this {
    return this.bytes(encoder.encode(s));
  }
  uint(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    this.#push(b);
    return this;
  }
  #push(b: Uint8Array) {
    this.#parts.push(b);
    this.#length += b.length;
  }
  done(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function header(kind: string): Encoding {
  return new Encoding().text("tempkit-store").uint(FORMAT).text(kind);
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<string> {
  return encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

/** Appends `node`, each import's target written by `target`. */
function encodeNode(
  out: Encoding,
  node: KeyNode,
  target: (t: KeyTarget) => string,
): Encoding {
  out.text(node.mediaType).bytes(node.source).uint(node.imports.length);
  for (const imp of node.imports) {
    out.text(imp.specifier).text(imp.slot).text(target(imp.target));
  }
  return out;
}

function outside(t: KeyTarget, keys: ReadonlyMap<string, KeyInfo>): string {
  if ("external" in t) return `external:${t.external}`;
  if ("key" in t) return `key:${t.key}`;
  const info = keys.get(t.node);
  if (info === undefined) throw new Error(`no key yet for ${t.node}`);
  return `key:${info.key}`;
}

// ---------------------------------------------------------------------------
// Strongly connected components

/**
 * Tarjan's algorithm, iterative (a long import chain must not overflow the
 * stack). Returns the components in reverse topological order: every
 * component comes after the components it imports.
 */
export function stronglyConnected(
  ids: Iterable<string>,
  edges: (id: string) => Iterable<string>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: [string, Iterator<string>][] = [];
    const enter = (v: string) => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      work.push([v, edges(v)[Symbol.iterator]()]);
    };
    enter(root);
    while (work.length > 0) {
      const [v, it] = work[work.length - 1];
      const next = it.next();
      if (!next.done) {
        const w = next.value;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        out.push(component);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Keys

function nodeEdges(node: KeyNode): string[] {
  const out: string[] = [];
  for (const imp of node.imports) {
    if ("node" in imp.target) out.push(imp.target.node);
  }
  return out;
}

/**
 * The canonical order of a cycle's members, from their content alone:
 * colour each member by its own encoding (members of the cycle written as a
 * placeholder), refine each colour by the colours of the members it imports,
 * in import order, until the partition stops splitting, and sort by colour.
 * Members still tied are indistinguishable by content and imports, so
 * either order gives the same encoding.
 */
async function memberOrder(
  members: string[],
  nodes: ReadonlyMap<string, KeyNode>,
  keys: ReadonlyMap<string, KeyInfo>,
): Promise<string[]> {
  const inCycle = new Set(members);
  const colour = new Map<string, string>();
  for (const m of members) {
    const enc = encodeNode(
      header("member-colour"),
      nodes.get(m)!,
      (t) => "node" in t && inCycle.has(t.node) ? "member" : outside(t, keys),
    );
    colour.set(m, await sha256(enc.done()));
  }
  let classes = new Set(colour.values()).size;
  for (
    let round = 0;
    round < members.length && classes < members.length;
    round++
  ) {
    const next = new Map<string, string>();
    for (const m of members) {
      const enc = header("member-refine").text(colour.get(m)!);
      for (const imp of nodes.get(m)!.imports) {
        const t = imp.target;
        enc.text("node" in t && inCycle.has(t.node) ? colour.get(t.node)! : "");
      }
      next.set(m, await sha256(enc.done()));
    }
    const count = new Set(next.values()).size;
    if (count === classes) break;
    classes = count;
    for (const [m, c] of next) colour.set(m, c);
  }
  return [...members].sort((a, b) => {
    const ca = colour.get(a)!, cb = colour.get(b)!;
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  });
}

/**
 * Computes the key of every node. A target `{ node }` must name a node of
 * `nodes`; `{ key }` and `{ external }` are taken as given.
 */
export async function computeKeys(
  nodes: ReadonlyMap<string, KeyNode>,
): Promise<Map<string, KeyInfo>> {
  const keys = new Map<string, KeyInfo>();
  const components = stronglyConnected(
    nodes.keys(),
    (id) => nodeEdges(nodes.get(id)!),
  );
  for (const component of components) {
    const only = component[0];
    if (component.length === 1 && !nodeEdges(nodes.get(only)!).includes(only)) {
      const enc = encodeNode(
        header("module"),
        nodes.get(only)!,
        (t) => outside(t, keys),
      );
      keys.set(only, { key: await sha256(enc.done()) });
      continue;
    }
    const members = await memberOrder(component, nodes, keys);
    const position = new Map(members.map((m, i) => [m, i]));
    const enc = header("cycle").uint(members.length);
    for (const m of members) {
      encodeNode(
        enc,
        nodes.get(m)!,
        (t) =>
          "node" in t && position.has(t.node)
            ? `member:${position.get(t.node)}`
            : outside(t, keys),
      );
    }
    const digest = await sha256(enc.done());
    const memberKeys: string[] = [];
    for (let i = 0; i < members.length; i++) {
      memberKeys.push(
        await sha256(header("cycle-member").text(digest).uint(i).done()),
      );
    }
    for (let i = 0; i < members.length; i++) {
      keys.set(members[i], { key: memberKeys[i], members });
    }
  }
  return keys;
}

/** True for a well-formed key: 64 lowercase hex characters. */
export function isKey(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}
