import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { join } from "@std/path/join";
import { dirname } from "@std/path/dirname";
import { copy } from "@std/fs/copy";
import fc from "fast-check";
import { ModuleStore, StoreError } from "../store.ts";
import { computeKeys, type KeyNode } from "../_store_key.ts";
import { scan } from "../_store_scan.ts";
import {
  denoScript,
  fixture,
  freshStore,
  keysBySource,
  snapshot,
  STORE_TS,
} from "./_store.ts";

const KEY = /^[0-9a-f]{64}$/;
// A specifier in a stored file that is not a reference to a stored module.
const UNREWRITTEN = /["'`]\.\.?\/(?![0-9a-f]{64}(\.d)?\.[a-z]+["'`])/;

// One store holding the fixture with every import form, shared by the
// cases that only read it.
const forms = (async () => {
  const store = await freshStore();
  const result = await store.ingest(fixture("forms", "main.ts"), {
    config: false,
  });
  return { store, result };
})();

async function storedFiles(store: ModuleStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(join(store.path, "modules"))) {
    out.set(
      e.name,
      await Deno.readTextFile(join(store.path, "modules", e.name)),
    );
  }
  return out;
}

async function meta(store: ModuleStore, key: string) {
  return JSON.parse(
    await Deno.readTextFile(join(store.path, "meta", `${key}.json`)),
  );
}

Deno.test("ingest stores every import form, and the stored tree loads as the original does", async () => {
  const { store, result } = await forms;
  assertMatch(result.key!, KEY);
  assertEquals(result.modules, 11);
  assertEquals(result.written, 11);
  assertEquals(result.warnings, []);
  assertEquals(result.config, null);
  const original = await import(fixture("forms", "main.ts"));
  const stored = await store.load(result.key!);
  for (
    const name of [
      "shape",
      "json",
      "js",
      "node",
      "bom",
      "fives",
      "dynamic",
      "ns",
    ]
  ) {
    assertEquals(stored[name], original[name], name);
  }
  assertEquals(stored.fives, 15);
  assertEquals((stored.ns as { inner: string }).inner, "ns");
  // Nothing in a stored file points at the original files any more.
  for (const [name, text] of await storedFiles(store)) {
    assert(!UNREWRITTEN.test(text), `${name} keeps an original specifier`);
  }
});

Deno.test("ingest rewrites a specifier written five times, with type-only, @ts-types and triple-slash forms", async () => {
  const { store, result } = await forms;
  const m = await meta(store, result.key!);
  const texts = m.rewrites.map((r: [number, string, number]) => r[1]);
  assertEquals(texts.filter((t: string) => t === '"./five.ts"').length, 5);
  assertEquals(texts.filter((t: string) => t === '"./types.ts"').length, 2);
  for (
    const t of [
      '"./ambient.d.ts"',
      '"./plain.d.ts"',
      '"./plain.js"',
      '"./data.json"',
      '"./ns.ts"',
    ]
  ) {
    assert(texts.includes(t), t);
  }
  assertEquals(
    m.imports.find((i: { specifier: string }) => i.specifier === "node:path")
      .external,
    "node:path",
  );
  const slots = m.imports.map((i: { specifier: string; slot: string }) =>
    `${i.slot} ${i.specifier}`
  );
  assert(slots.includes("type ./types.ts"));
  assert(slots.includes("type ./plain.d.ts"));
  assert(slots.includes("type ./ambient.d.ts"));
  // The stored tree type-checks without the originals: the declarations
  // it imports for types only were stored too.
  const url = store.urlFor(result.key!);
  const check = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--no-config", "--quiet", url.href],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(check.code, 0, new TextDecoder().decode(check.stderr));
});

Deno.test("ingest keeps a BOM and CRLF line ends byte for byte", async () => {
  const { store } = await forms;
  const original = await Deno.readFile(fixture("forms", "bom_crlf.ts"));
  const keys = await keysBySource(store);
  const key = keys.get("bom_crlf.ts")!;
  const stored = await Deno.readFile(join(store.path, "modules", `${key}.ts`));
  assertEquals([...stored.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(stored);
  assertEquals(text.split("\r\n").length, 4);
  // Everything but the one rewritten specifier is the original's bytes.
  const shared = keys.get("shared.ts")!;
  const expected = new TextDecoder().decode(original).replace(
    '"./shared.ts"',
    `"./${shared}.ts"`,
  );
  assertEquals(text, expected);
});

Deno.test("an unchanged re-ingest writes nothing and gives the same key", async () => {
  const { store, result } = await forms;
  const before = await snapshot(join(store.path, "modules"));
  const again = await store.ingest(fixture("forms", "main.ts"), {
    config: false,
  });
  assertEquals(again.key, result.key);
  assertEquals(again.written, 0);
  assertEquals(again.modules, 11);
  assertEquals(await snapshot(join(store.path, "modules")), before);
});

Deno.test("a cycle of three modules reached from different entries gets the same keys", async () => {
  const a = await freshStore();
  const b = await freshStore();
  const dir = await freshStore();
  const fromA = await a.ingest(fixture("cycle", "entry_a.ts"), {
    config: false,
  });
  await b.ingest(fixture("cycle", "entry_b.ts"), { config: false });
  const { keys } = await dir.ingest(fixture("cycle"), { config: false });
  const ka = await keysBySource(a);
  const kb = await keysBySource(b);
  for (const m of ["c1.ts", "c2.ts", "c3.ts"]) {
    assertMatch(ka.get(m)!, KEY);
    assertEquals(ka.get(m), kb.get(m), m);
    assertEquals(ka.get(m), keys![m], m);
  }
  assertEquals(
    new Set([ka.get("c1.ts"), ka.get("c2.ts"), ka.get("c3.ts")]).size,
    3,
  );
  const cycle = (await meta(a, ka.get("c1.ts")!)).cycle;
  assertEquals(cycle.length, 3);
  assertEquals((await meta(b, kb.get("c3.ts")!)).cycle, cycle);
  assertEquals((await a.load<{ a: string }>(fromA.key!)).a, "c1c2c3string");
  assertEquals((await a.verify(fromA.key!)).ok, true);
});

/** Random module graphs, cycles allowed: edges[i] lists what module i imports. */
const graphs = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.array(
      fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
      {
        minLength: n,
        maxLength: n,
      },
    ),
    fc.array(fc.string({ maxLength: 8 }), { minLength: n, maxLength: n }),
  )
);

function moduleText(i: number, edges: number[], body: string): string {
  const imports = edges.map((j) => `import "./m${j}.ts";\n`).join("");
  return `${imports}export const v${i} = ${JSON.stringify(body)};\n`;
}

async function writeTree(dir: string, edges: number[][], bodies: string[]) {
  await Deno.mkdir(dir, { recursive: true });
  for (let i = 0; i < edges.length; i++) {
    await Deno.writeTextFile(
      join(dir, `m${i}.ts`),
      moduleText(i, edges[i], bodies[i]),
    );
  }
}

/** The modules that reach `target` through imports, `target` included. */
function importers(edges: number[][], target: number): Set<number> {
  const out = new Set([target]);
  for (let grew = true; grew;) {
    grew = false;
    edges.forEach((deps, i) => {
      if (!out.has(i) && deps.some((d) => out.has(d))) {
        out.add(i);
        grew = true;
      }
    });
  }
  return out;
}

Deno.test("the same tree at two paths gives the same keys; an edit changes exactly the keys of the modules that reach it", async () => {
  const root = await Deno.makeTempDir();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(graphs, fc.nat(), async ([n, edges, bodies], pick) => {
      run++;
      const store = await freshStore(); // written counts what this store lacked
      const one = join(root, `${run}`, "a");
      const two = join(root, `${run}`, "deeper", "b");
      await writeTree(one, edges, bodies);
      await writeTree(two, edges, bodies);
      const first = await store.ingest(one, { config: false });
      const second = await store.ingest(two, { config: false });
      assertEquals(second.keys, first.keys);
      assertEquals(second.written, 0);
      const edited = pick % n;
      const path = join(two, `m${edited}.ts`);
      await Deno.writeTextFile(path, "// edited\n", { append: true });
      const third = await store.ingest(two, { config: false });
      const changed = new Set<number>();
      for (let i = 0; i < n; i++) {
        if (third.keys![`m${i}.ts`] !== first.keys![`m${i}.ts`]) changed.add(i);
      }
      assertEquals(changed, importers(edges, edited));
      assertEquals(third.written, changed.size);
    }),
    { numRuns: 8 },
  );
});

Deno.test("keys depend on content alone: renaming modules or dropping what a module does not reach changes none", async () => {
  await fc.assert(
    fc.asyncProperty(graphs, fc.nat(), async ([n, edges, bodies], seed) => {
      const perm = [...Array(n).keys()].sort((a, b) =>
        ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101)
      );
      const nodes = (name: (i: number) => string, keep: Set<number>) =>
        new Map<string, KeyNode>(
          [...keep].map((i) => [name(i), {
            mediaType: "TypeScript",
            source: new TextEncoder().encode(
              moduleText(i, edges[i], bodies[i]),
            ),
            imports: [...new Set(edges[i])].sort((a, b) => a - b).map((j) => ({
              specifier: `./m${j}.ts`,
              slot: "code" as const,
              target: { node: name(j) },
            })).sort((x, y) => x.specifier < y.specifier ? -1 : 1),
          }]),
        );
      const all = new Set(perm);
      const plain = await computeKeys(nodes((i) => `/a/m${i}.ts`, all));
      const renamed = await computeKeys(
        nodes((i) => `/x/${perm[i]}/n.ts`, all),
      );
      const entry = seed % n;
      const reach = new Set<number>([entry]);
      for (let grew = true; grew;) {
        grew = false;
        for (const i of reach) {
          for (const j of edges[i]) {
            if (!reach.has(j)) (reach.add(j), grew = true);
          }
        }
      }
      const closure = await computeKeys(nodes((i) => `/c/m${i}.ts`, reach));
      for (let i = 0; i < n; i++) {
        assertEquals(
          renamed.get(`/x/${perm[i]}/n.ts`)!.key,
          plain.get(`/a/m${i}.ts`)!.key,
        );
        if (reach.has(i)) {
          assertEquals(
            closure.get(`/c/m${i}.ts`)!.key,
            plain.get(`/a/m${i}.ts`)!.key,
          );
        }
      }
    }),
    { numRuns: 150 },
  );
});

Deno.test("tampering with any stored byte makes verify fail and names the file", async () => {
  const src = await Deno.makeTempDir();
  await Deno.writeTextFile(join(src, "dep.ts"), "export const d = 1;\n");
  await Deno.writeTextFile(
    join(src, "main.ts"),
    'import { d } from "./dep.ts";\nexport const m = d + 1;\n',
  );
  const store = await freshStore();
  const { key } = await store.ingest(join(src, "main.ts"), { config: false });
  const files: string[] = [];
  for (const sub of ["modules", "meta"]) {
    for await (const e of Deno.readDir(join(store.path, sub))) {
      files.push(join(store.path, sub, e.name));
    }
  }
  assertEquals(files.length, 4);
  const contents = await Promise.all(files.map((f) => Deno.readFile(f)));
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: files.length - 1 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      async (which, at, flip) => {
        const bytes = contents[which].slice();
        bytes[at % bytes.length] ^= flip;
        await Deno.writeFile(files[which], bytes);
        try {
          const { ok, problems } = await store.verify(key!);
          assertEquals(ok, false);
          assert(
            problems.some((p) => p.path === files[which]),
            `${files[which]} not named in ${JSON.stringify(problems)}`,
          );
        } finally {
          await Deno.writeFile(files[which], contents[which]);
        }
      },
    ),
    { numRuns: 250 },
  );
  assertEquals((await store.verify(key!)).ok, true);
  // A truncated file and a missing record are named too.
  await Deno.writeFile(files[0], contents[0].subarray(0, 3));
  assertEquals((await store.verify(key!)).problems[0].path, files[0]);
  await Deno.writeFile(files[0], contents[0]);
  const fsck = await store.fsck();
  assertEquals([fsck.ok, fsck.checked], [true, 2]);
});

Deno.test("ingest pins npm: specifiers to the exact version Deno resolved, subpaths kept", async () => {
  const entry = fixture("npm", "main.ts");
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--no-config", entry],
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(info.stdout));
  const resolved = graph.redirects["npm:fast-check@^4"];
  assertMatch(resolved, /^npm:\/fast-check@\d+\.\d+\.\d+$/);
  const pinned = `npm:${resolved.slice(5)}`;
  const store = await freshStore();
  const { key } = await store.ingest(entry, { config: false });
  const m = await meta(store, key!);
  assertEquals(m.imports.map((i: { external: string }) => i.external), [
    pinned,
    `${pinned}/package.json`,
  ]);
  const text = await Deno.readTextFile(store.urlFor(key!));
  assertStringIncludes(text, `from "${pinned}";`);
  assertStringIncludes(text, `from "${pinned}/package.json" with`);
  const loaded = await store.load<{ hasInteger: boolean; version: string }>(
    key!,
  );
  assertEquals(loaded.hasInteger, true);
  assertEquals(`npm:fast-check@${loaded.version}`, pinned);
});

Deno.test("a remote module served on 127.0.0.1 is stored by content and loads with the server stopped and an empty DENO_DIR", async () => {
  // The server runs in a child, which has the network grant the suite lacks.
  const server = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      `--allow-read=${fixture("remote")}`,
      "-",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = server.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`
const dir = ${JSON.stringify(fixture("remote"))};
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) }, async (req) => {
  try {
    const path = new URL(req.url).pathname;
    const body = await Deno.readFile(dir + path);
    // A JavaScript module whose types come from a header, as esm.sh serves them.
    const headers = path.endsWith(".js")
      ? { "content-type": "application/javascript", "x-typescript-types": "./typed.d.ts" }
      : { "content-type": "application/typescript" };
    return new Response(body, { headers });
  } catch {
    return new Response("not found", { status: 404 });
  }
});`));
  await writer.close();
  const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let port = "";
  while (!port.endsWith("\n")) port += (await lines.read()).value ?? "";
  const host = `127.0.0.1:${port.trim()}`;
  const work = await Deno.makeTempDir();
  const entry = join(work, "entry.ts");
  await Deno.writeTextFile(
    entry,
    `import { remote } from "http://${host}/main.ts";\nexport const value = remote;\n`,
  );
  const storeDir = join(work, "store");
  let key: string;
  try {
    const ingest = await denoScript(
      `import { ModuleStore } from "${STORE_TS}";
const store = await ModuleStore.open(${
        JSON.stringify(storeDir)
      }, { fsync: false });
const r = await store.ingest(${
        JSON.stringify(entry)
      }, { config: false, allowImport: [${JSON.stringify(host)}] });
console.log(JSON.stringify(r));`,
      ["-A"],
      { DENO_DIR: join(work, "cache-for-ingest") },
    );
    assertEquals(ingest.code, 0, ingest.stderr);
    const result = JSON.parse(ingest.stdout);
    key = result.key;
    assertEquals(result.modules, 5);
    assertEquals(
      result.warnings.map((
        w: { kind: string; file: string; line: number },
      ) => [w.kind, w.file, w.line]),
      [["types-header", `http://${host}/typed.js`, 0]],
    );
    assert(result.sources.includes(`http://${host}/name.ts`));
    // Reading Deno's cache of a remote module needs its own grant, named
    // by the cache's root.
    const cache = join(work, "cache-for-ingest");
    const scoped = await denoScript(
      `import { ModuleStore } from "${STORE_TS}";
const store = await ModuleStore.open(${
        JSON.stringify(join(work, "scoped"))
      }, { fsync: false });
try {
  await store.ingest(${JSON.stringify(entry)}, { config: false, allowImport: [${
        JSON.stringify(host)
      }] });
} catch (e) { console.log(e.message); }`,
      [
        "--no-prompt",
        `--allow-run=${Deno.execPath()}`,
        `--allow-read=${entry},${join(work, "scoped")}`,
        `--allow-write=${join(work, "scoped")}`,
      ],
      { DENO_DIR: cache },
    );
    assertStringIncludes(scoped.stdout, `--allow-read=${cache}`);
    assertStringIncludes(
      scoped.stdout,
      `the Deno cache's copy of http://${host}/`,
    );
  } finally {
    server.kill();
    await server.status;
    await lines.cancel();
  }
  const load = await denoScript(
    `import { ModuleStore } from "${STORE_TS}";
const store = await ModuleStore.open(${JSON.stringify(storeDir)});
console.log((await store.load(${JSON.stringify(key)})).value);`,
    ["--no-prompt", `--allow-read=${storeDir}`],
    { DENO_DIR: join(work, "empty-cache") },
  );
  assertEquals([load.code, load.stdout], [0, "hello remote!\n"], load.stderr);
  // The remote file with a BOM was cut from Deno's cache at its size.
  const store = await ModuleStore.open(storeDir);
  const keys = await keysBySource(store);
  const name = await Deno.readFile(
    join(storeDir, "modules", `${keys.get("name.ts")}.ts`),
  );
  assertEquals(name, await Deno.readFile(fixture("remote", "name.ts")));
  assertEquals((await store.verify(key)).ok, true);
});

Deno.test("ingest fails on every error Deno reports, naming the module and where it was imported", async () => {
  const store = await freshStore();
  const before = await snapshot(store.path);
  const cases: [string, string, string[]][] = [
    ["missing.ts", "GRAPH_FAIL", [
      "not_here.ts",
      "missing.ts:2",
      "Module not found",
    ]],
    ["syntax.ts", "GRAPH_FAIL", [
      "bad_syntax.ts",
      "syntax.ts:2",
      "Expression expected",
    ]],
    ["json_no_attr.ts", "GRAPH_FAIL", [
      "data.json",
      "json_no_attr.ts:1",
      "Json",
    ]],
    ["wasm.ts", "UNSUPPORTED", ["tiny.wasm", "wasm.ts:1", "WebAssembly"]],
    ["worker.ts", "UNSUPPORTED", ["worker.ts:2", "Worker"]],
  ];
  for (const [entry, code, parts] of cases) {
    const err = await assertRejects(
      () => store.ingest(fixture("broken", entry), { config: false }),
      StoreError,
    );
    assertEquals(err.code, code, entry);
    for (const part of parts) assertStringIncludes(err.message, part);
    assert(err.message.startsWith("ModuleStore.ingest: "));
    // A failed ingest leaves the store as it was.
    assertEquals(await snapshot(store.path), before, entry);
  }
  const missing = await assertRejects(
    () => store.ingest(fixture("broken", "nothing.ts")),
    StoreError,
  );
  assertEquals(missing.code, "GRAPH_FAIL");
});

Deno.test("what the store cannot capture comes back as warnings with file and line, and strict makes them errors", async () => {
  const store = await freshStore();
  const entry = fixture("captured", "main.ts");
  const { warnings } = await store.ingest(entry, { config: false });
  assertEquals(
    warnings.map((w) => [w.kind, w.file.endsWith("/captured/main.ts"), w.line]),
    [["import-meta", true, 2], ["non-literal-import", true, 4]],
  );
  assertStringIncludes(warnings[0].message, "import.meta.url");
  const before = await snapshot(store.path);
  const err = await assertRejects(
    () => store.ingest(entry, { config: false, strict: true }),
    StoreError,
  );
  assertEquals(err.code, "NOT_CAPTURED");
  assertStringIncludes(err.message, "main.ts:2");
  assertStringIncludes(err.message, "main.ts:4");
  assertEquals(await snapshot(store.path), before);
});

Deno.test("the scan skips comments, strings, templates and regular expressions", () => {
  const found = (text: string) => scan(text).map((f) => `${f.kind}@${f.line}`);
  assertEquals(
    found('// import(x)\n/* import.meta.url */\nconst s = "import(x)";'),
    [],
  );
  assertEquals(found("const r = /import(x)/g; const t = `import(${1})`;"), []);
  assertEquals(
    found('await import("./a.ts"); await import(`./b.ts`, {});'),
    [],
  );
  assertEquals(found("store.import(x); x.new Worker"), []);
  assertEquals(found("await import(name);\nimport.meta.resolve('./x')"), [
    "non-literal-import@1",
    "import-meta@2",
  ]);
  assertEquals(found("const t = `a${import.meta.url}b`;"), ["import-meta@1"]);
  assertEquals(found("new Worker(u)\nnew SharedWorker(u)"), [
    "worker@1",
    "worker@2",
  ]);
});

Deno.test("load takes a key or a pinned name and never falls back", async () => {
  const { store, result } = await forms;
  const absent = "0".repeat(64);
  for (
    const call of [() => store.load(absent), () => store.load("no-such-name")]
  ) {
    const err = await assertRejects(call, StoreError);
    assertEquals(err.code, "NOT_FOUND");
  }
  assertThrows(() => store.urlFor(absent), StoreError, "no module");
  assertEquals(await store.has(absent), false);
  assertEquals(await store.has(result.key!), true);
  await assertRejects(() => store.load("a/b"), TypeError, "must not contain /");
  await assertRejects(() => store.has("ABC"), TypeError, "64 lowercase hex");
  assertThrows(() => store.urlFor("x"), TypeError, "ModuleStore.urlFor");

  // A stored file whose record is gone is not loadable.
  const src = await Deno.makeTempDir();
  await Deno.writeTextFile(join(src, "m.ts"), "export const m = 1;\n");
  const other = await freshStore();
  const { key } = await other.ingest(join(src, "m.ts"), { config: false });
  await Deno.remove(join(other.path, "meta", `${key}.json`));
  assertEquals(await other.has(key!), false);
  const err = await assertRejects(() => other.load(key!), StoreError);
  assertEquals(err.code, "NOT_FOUND");
});

Deno.test("names: pin writes refs/<name>, refuses an absent key, and names are validated", async () => {
  const { store, result } = await forms;
  const key = result.key!;
  await store.pin("forms", key);
  assertEquals(
    await Deno.readTextFile(join(store.path, "refs", "forms")),
    `${key}\n`,
  );
  assertEquals(await store.resolve("forms"), key);
  assertEquals((await store.names()).forms, key);
  assertEquals((await store.load<{ json: number }>("forms")).json, 7);
  const err = await assertRejects(
    () => store.pin("x", "1".repeat(64)),
    StoreError,
  );
  assertEquals(err.code, "NOT_FOUND");
  assertEquals(await store.resolve("x"), undefined);
  for (
    const bad of [
      "",
      "a/b",
      "a\\b",
      "..",
      "a..b",
      ".hidden",
      "a\0b",
      "c".repeat(64),
    ]
  ) {
    await assertRejects(
      () => store.pin(bad, key),
      TypeError,
      "ModuleStore.pin: name",
    );
    await assertRejects(() => store.resolve(bad), TypeError);
  }
  await assertRejects(() => store.pin("ok", "nope"), TypeError, "key");
  assertEquals(await store.unpin("forms"), true);
  assertEquals(await store.unpin("forms"), false);
  assertEquals(await store.resolve("forms"), undefined);
});

Deno.test("options bags are checked: unknown keys and wrong types are TypeErrors", async () => {
  const { store } = await forms;
  const entry = fixture("forms", "main.ts");
  const bad: [() => Promise<unknown>, string, string][] = [
    [
      () => store.ingest(entry, { allow_import: [] } as never),
      "ModuleStore.ingest",
      'did you mean "allowImport"',
    ],
    [
      () => store.ingest(entry, { prefx: 1 } as never),
      "ModuleStore.ingest",
      "valid options: config, allowImport, strict, name, onProgress",
    ],
    [
      () => store.ingest(entry, { strict: "yes" } as never),
      "ModuleStore.ingest",
      "options.strict must be a boolean",
    ],
    [
      () => store.ingest(entry, { allowImport: "x" } as never),
      "ModuleStore.ingest",
      "allowImport",
    ],
    [
      () => store.ingest(entry, { config: 5 } as never),
      "ModuleStore.ingest",
      "options.config",
    ],
    [
      () => store.ingest(fixture("cycle"), { name: "x", config: false }),
      "ModuleStore.ingest",
      "directory",
    ],
    [
      () => store.gc({ grace: 1 } as never),
      "ModuleStore.gc",
      'did you mean "graceMs"',
    ],
    [
      () => store.gc({ graceMs: "1" } as never),
      "ModuleStore.gc",
      "graceMs must be a number",
    ],
    [
      () => ModuleStore.open(store.path, { fsynk: false } as never),
      "ModuleStore.open",
      "valid options: fsync",
    ],
    [
      () => store.copyTo("forms", {} as never),
      "ModuleStore.copyTo",
      "ModuleStore",
    ],
  ];
  for (const [call, fn, part] of bad) {
    const err = await assertRejects(call, TypeError);
    assertStringIncludes(err.message, fn);
    assertStringIncludes(err.message, part);
  }
  await assertRejects(() => store.gc({ graceMs: -1 }), RangeError, "graceMs");
});

Deno.test("ingest finds the deno.json Deno would use and records it; config: false means none", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(dir, "deno.json"),
    '{ "imports": { "dep": "./lib/dep.ts" } }\n',
  );
  await Deno.mkdir(join(dir, "lib"));
  await Deno.mkdir(join(dir, "app"));
  await Deno.writeTextFile(
    join(dir, "lib", "dep.ts"),
    "export const dep = 3;\n",
  );
  await Deno.writeTextFile(
    join(dir, "app", "main.ts"),
    'import { dep } from "dep";\nexport const v = dep;\n',
  );
  const store = await freshStore();
  const result = await store.ingest(join(dir, "app", "main.ts"));
  assertEquals(result.config, join(dir, "deno.json"));
  assertEquals((await meta(store, result.key!)).config, join(dir, "deno.json"));
  assertEquals((await store.load<{ v: number }>(result.key!)).v, 3);
  assertMatch(
    await Deno.readTextFile(store.urlFor(result.key!)),
    /from "\.\/[0-9a-f]{64}\.ts"/,
  );
  const err = await assertRejects(
    () => store.ingest(join(dir, "app", "main.ts"), { config: false }),
    StoreError,
  );
  assertEquals(err.code, "GRAPH_FAIL");
  assertStringIncludes(err.message, '"dep"');
  const explicit = await store.ingest(join(dir, "app", "main.ts"), {
    config: new URL(`file://${dir}/deno.json`),
  });
  assertEquals([explicit.key, explicit.written], [result.key, 0]);
});

Deno.test("gc keeps every pinned closure whole and removes the rest and every leftover", async () => {
  const src = await Deno.makeTempDir();
  await Deno.writeTextFile(join(src, "shared.ts"), "export const s = 1;\n");
  await Deno.writeTextFile(
    join(src, "kept.ts"),
    'import { s } from "./shared.ts";\nexport const k = s;\n',
  );
  await Deno.writeTextFile(
    join(src, "dropped.ts"),
    'import { s } from "./shared.ts";\nexport const d = s + 1;\n',
  );
  await Deno.writeTextFile(join(src, "alone.ts"), "export const a = 0;\n");
  const store = await freshStore();
  const kept = await store.ingest(join(src, "kept.ts"), {
    config: false,
    name: "kept",
  });
  const dropped = await store.ingest(join(src, "dropped.ts"), {
    config: false,
  });
  const alone = await store.ingest(join(src, "alone.ts"), { config: false });
  // Leftovers of a killed ingest: a staging directory and an unrecorded
  // module.
  await Deno.mkdir(join(store.path, "tmp", "ingest-0123456789abcdef"));
  await Deno.writeTextFile(
    join(store.path, "modules", `${"e".repeat(64)}.ts`),
    "x",
  );
  // And a killed pin's temporary.
  await Deno.writeTextFile(
    join(store.path, "refs", ".kept.0123456789abcdef.tmp"),
    "",
  );
  assertEquals((await store.fsck()).garbage, 3);
  // Within the grace period nothing recently ingested goes.
  assertEquals(await store.gc(), { removed: 1, kept: 4 });
  assertEquals(await store.has(dropped.key!), true);
  assertEquals(await store.gc({ graceMs: 0 }), { removed: 2, kept: 2 });
  assertEquals(await store.has(kept.key!), true);
  assertEquals((await store.verify("kept")).checked, 2);
  assertEquals(await store.has(dropped.key!), false);
  assertEquals(await store.has(alone.key!), false);
  assertEquals(await store.fsck(), {
    ok: true,
    problems: [],
    checked: 2,
    garbage: 0,
  });
  // The pinned closure still loads, in a process that never loaded it.
  const child = await denoScript(
    `import { ModuleStore } from "${STORE_TS}";
console.log((await (await ModuleStore.open(${
      JSON.stringify(store.path)
    })).load("kept")).k);`,
    ["--no-prompt", `--allow-read=${store.path}`],
  );
  assertEquals(child.stdout, "1\n", child.stderr);
});

Deno.test("copyTo and tar export/import move a closure and verify it on arrival", async () => {
  const { store, result } = await forms;
  const key = result.key!;
  const other = await freshStore();
  assertEquals(await store.copyTo(key, other), {
    key,
    modules: 11,
    written: 11,
  });
  assertEquals(await store.copyTo(key, other), {
    key,
    modules: 11,
    written: 0,
  });
  assertEquals((await other.verify(key)).ok, true);
  const tar = await new Response(await store.exportTar(key)).bytes();
  const again = await new Response(await store.exportTar(key)).bytes();
  assertEquals(tar, again, "the same closure gives the same archive");
  const third = await freshStore();
  assertEquals(await third.importTar(ReadableStream.from([tar])), {
    key,
    modules: 11,
    written: 11,
  });
  assertEquals((await third.fsck()).ok, true);
  assertEquals((await third.load<{ fives: number }>(key)).fives, 15);

  // A changed byte in a module entry's content is refused before anything is written.
  const tampered = tar.slice();
  const at = new TextDecoder("latin1").decode(tampered).indexOf(
    "export const five = 5",
  );
  assert(at > 0);
  tampered[at + 20] = "6".charCodeAt(0);
  const fourth = await freshStore();
  const before = await snapshot(fourth.path);
  const err = await assertRejects(
    () => fourth.importTar(ReadableStream.from([tampered])),
    StoreError,
  );
  assertEquals(err.code, "CORRUPT");
  assertEquals(await snapshot(fourth.path), before);
  const junk = await assertRejects(
    () => fourth.importTar(ReadableStream.from([new Uint8Array(2048).fill(7)])),
    StoreError,
  );
  assertEquals(junk.code, "FORMAT");
});

Deno.test("an archive entry outside modules/ and meta/ is refused", async () => {
  const { TarStream } = await import("@std/tar/tar-stream");
  const bytes = new TextEncoder().encode("x");
  const archive = ReadableStream.from([{
    type: "file" as const,
    path: "../escape.ts",
    size: bytes.length,
    readable: ReadableStream.from([bytes]),
  }]).pipeThrough(new TarStream());
  const store = await freshStore();
  const err = await assertRejects(() => store.importTar(archive), StoreError);
  assertEquals(err.code, "FORMAT");
  assertStringIncludes(err.message, "../escape.ts");
});

Deno.test("open: the default store is TEMPKIT_STORE, read only where --allow-env grants it", async () => {
  const dir = await Deno.makeTempDir();
  const script = `import { ModuleStore } from "${STORE_TS}";
try { console.log((await ModuleStore.open()).path); } catch (e) { console.log(e.name + ": " + e.message); }`;
  const granted = await denoScript(
    script,
    [
      "--no-prompt",
      "--allow-env=TEMPKIT_STORE",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
    ],
    { TEMPKIT_STORE: join(dir, "s") },
  );
  assertEquals(granted.stdout, `${join(dir, "s")}\n`, granted.stderr);
  const denied = await denoScript(script, ["--no-prompt"], {
    TEMPKIT_STORE: join(dir, "s"),
  });
  assertStringIncludes(
    denied.stdout,
    "NotCapable: ModuleStore.open: env access",
  );
  assertStringIncludes(denied.stdout, "--allow-env=TEMPKIT_STORE");
});

Deno.test("permissions: ingest under scoped grants, load with read access to the store only, a missing grant named and never prompted", async () => {
  const src = await Deno.makeTempDir();
  await copy(fixture("cycle"), join(src, "cycle"));
  const storeDir = join(await Deno.makeTempDir(), "store");
  await Deno.mkdir(storeDir);
  const entry = join(src, "cycle", "entry_a.ts");
  const deno = Deno.execPath();
  const script = `import { ModuleStore } from "${STORE_TS}";
try {
  const store = await ModuleStore.open(${
    JSON.stringify(storeDir)
  }, { fsync: false });
  const { key } = await store.ingest(${
    JSON.stringify(entry)
  }, { config: false });
  console.log(key, (await store.load(key)).a);
} catch (e) { console.log(e.name + ": " + e.message); }`;
  const scoped = await denoScript(script, [
    "--no-prompt",
    `--allow-run=${deno}`,
    `--allow-read=${src},${storeDir}`,
    `--allow-write=${storeDir}`,
  ]);
  assertMatch(scoped.stdout, /^[0-9a-f]{64} c1c2c3string\n$/, scoped.stderr);
  const key = scoped.stdout.slice(0, 64);

  const noRun = await denoScript(script, [
    "--no-prompt",
    `--allow-read=${src},${storeDir}`,
    `--allow-write=${storeDir}`,
  ]);
  assertStringIncludes(
    noRun.stdout,
    "NotCapable: ModuleStore.ingest: run access",
  );
  assertStringIncludes(noRun.stdout, `--allow-run=${deno}`);
  const noSource = await denoScript(script, [
    "--no-prompt",
    `--allow-run=${deno}`,
    `--allow-read=${storeDir}`,
    `--allow-write=${storeDir}`,
  ]);
  assertStringIncludes(
    noSource.stdout,
    "NotCapable: ModuleStore.ingest: read access",
  );
  assertStringIncludes(noSource.stdout, `--allow-read=${entry}`);

  const loader = `import { ModuleStore } from "${STORE_TS}";
try {
  const store = await ModuleStore.open(${JSON.stringify(storeDir)});
  console.log((await store.load(${JSON.stringify(key)})).a);
} catch (e) { console.log(e.name + ": " + e.message); }`;
  const readOnly = await denoScript(loader, [
    "--no-prompt",
    `--allow-read=${storeDir}`,
  ]);
  assertEquals(readOnly.stdout, "c1c2c3string\n", readOnly.stderr);
  const none = await denoScript(loader, ["--no-prompt"]);
  assertStringIncludes(
    none.stdout,
    "NotCapable: ModuleStore.open: read access",
  );
  assertStringIncludes(none.stdout, `--allow-read=${storeDir}`);
  // A read-only store still loads and verifies but refuses to ingest.
  const readOnlyIngest = await denoScript(script, [
    "--no-prompt",
    `--allow-run=${deno}`,
    `--allow-read=${src},${storeDir}`,
  ]);
  assertStringIncludes(readOnlyIngest.stdout, `--allow-write=${storeDir}`);
  assertNotEquals(dirname(storeDir), storeDir);
});

Deno.test("a directory ingest takes every module below it but node_modules and hidden entries, even under a hidden parent", async () => {
  const dir = join(await Deno.makeTempDir(), ".config", "lib");
  for (
    const path of [
      "a.ts",
      "sub/b.js",
      "node_modules/x/c.ts",
      ".git/d.ts",
      "sub/.e.ts",
      "readme.md",
    ]
  ) {
    await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
    await Deno.writeTextFile(join(dir, path), "export const v = 1;\n");
  }
  const store = await freshStore();
  const { keys, modules } = await store.ingest(dir, { config: false });
  assertEquals(Object.keys(keys!), ["a.ts", "sub/b.js"]);
  assertEquals(modules, 2);
  assertNotEquals(keys!["a.ts"], keys!["sub/b.js"]); // .ts and .js differ in media type
});
