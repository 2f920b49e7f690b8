// The module store on a real tree: std's @std/fs + @std/path + @std/assert
// (through the project's import map, from JSR or the local registry), in one
// run. Ingest: a first ingest into an empty store (fsynced, as by default)
// beside an unchanged re-ingest (target: <= 0.25x the first). Load: a fresh
// `deno run` loading the stored tree beside one loading the same tree from
// its original files (target: <= 1.1x); both warm, each process started
// anew, since a process imports a module only once.
import { join } from "@std/path/join";
import { ModuleStore } from "../store.ts";
import { TemporaryDirectory } from "../tempfile.ts";

const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const root = new TemporaryDirectory({ prefix: "store_bench_" });
const entry = join(root.path, "std.ts");
await Deno.writeTextFile(
  entry,
  `import * as fs from "@std/fs";
import * as path from "@std/path";
import * as assert from "@std/assert";
export const names = Object.keys(fs).length + Object.keys(path).length + Object.keys(assert).length;
`,
);
const options = { config: CONFIG };
const RUN = { n: 10, warmup: 2 };

let fresh = 0;
function newStore(fsync: boolean): Promise<ModuleStore> {
  return ModuleStore.open(join(root.path, `store-${fresh++}`), { fsync });
}

Deno.bench(
  "first ingest",
  { group: "ingest", baseline: true, ...RUN },
  async (b) => {
    const store = await newStore(true);
    b.start();
    await store.ingest(entry, options);
    b.end();
  },
);

const warm = await newStore(true);
const { key, modules } = await warm.ingest(entry, options);
console.log(`tree: ${modules} modules`);

Deno.bench("re-ingest, unchanged", { group: "ingest", ...RUN }, async () => {
  const { written } = await warm.ingest(entry, options);
  if (written !== 0) throw new Error(`re-ingest wrote ${written}`);
});

Deno.bench(
  "first ingest, fsync: false",
  { group: "ingest", ...RUN },
  async (b) => {
    const store = await newStore(false);
    b.start();
    await store.ingest(entry, options);
    b.end();
  },
);

async function run(args: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

const stored = warm.urlFor(key!).href;
const LOAD = { n: 20, warmup: 3 };

Deno.bench("load the original files", {
  group: "load",
  baseline: true,
  ...LOAD,
}, async () => {
  await run([`--config=${CONFIG}`, entry]);
});

Deno.bench("load from the store", { group: "load", ...LOAD }, async () => {
  await run(["--no-config", stored]);
});

Deno.bench(
  "verify the stored closure",
  { group: "verify", n: 20, warmup: 3 },
  async () => {
    if (!(await warm.verify(key!)).ok) throw new Error("verify failed");
  },
);
