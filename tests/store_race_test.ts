// The store under concurrent writers, a kill -9 and a racing gc: each run
// is small but real (separate processes on one store directory, std's own
// modules from the registry as the trees).

import { assertEquals, assertMatch } from "@std/assert";
import { join } from "@std/path/join";
import { ModuleStore } from "../store.ts";
import { DENO_CONFIG } from "./_oracle.ts";
import { STORE_TS } from "./_store.ts";

/** Entry modules over overlapping parts of std. */
const TREES: Record<string, string> = {
  path: 'export * from "@std/path";\n',
  pathFs: 'export * from "@std/path";\nexport * as fs from "@std/fs";\n',
  fsAssert: 'export * from "@std/assert";\nexport * as fs from "@std/fs";\n',
  assertPath:
    'export * from "@std/assert";\nexport * as path from "@std/path";\n',
};

async function writeEntries(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(TREES)) {
    out[name] = join(dir, `${name}.ts`);
    await Deno.writeTextFile(out[name], text);
  }
  return out;
}

const INGEST = `import { ModuleStore } from "${STORE_TS}";
const [dir, entry, name] = Deno.args;
const store = await ModuleStore.open(dir);
const r = await store.ingest(entry, { config: ${
  JSON.stringify(DENO_CONFIG)
}, name: name || undefined });
console.log(JSON.stringify({ key: r.key, modules: r.modules, written: r.written }));`;

/** Spawns `deno run` of a script file with the project's import map. */
function spawn(script: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--config=${DENO_CONFIG}`, script, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finish(child: Deno.ChildProcess) {
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

async function scriptFile(dir: string, name: string, text: string) {
  const path = join(dir, name);
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("three processes ingesting overlapping trees into one store at once leave it consistent", async () => {
  const work = await Deno.makeTempDir();
  const { pathFs, fsAssert, assertPath } = await writeEntries(work);
  const entries = [pathFs, fsAssert, assertPath];
  const storeDir = join(work, "store");
  const script = await scriptFile(work, "ingest.ts", INGEST);
  const children = entries.map((e) => spawn(script, [storeDir, e]));
  const results = await Promise.all(children.map(finish));
  const store = await ModuleStore.open(storeDir, { fsync: false });
  const fsck = await store.fsck();
  assertEquals(fsck.problems, []);
  assertEquals(fsck.garbage, 0);
  // Every module was written once in all, whoever wrote it.
  const written = results.reduce((n, r) => n + r.written, 0);
  assertEquals(written, fsck.checked);
  for (const [i, entry] of entries.entries()) {
    const again = await store.ingest(entry, { config: DENO_CONFIG });
    assertEquals([again.key, again.written], [results[i].key, 0]);
    assertEquals((await store.verify(results[i].key)).ok, true);
  }
  console.log(
    `  ${children.length} ingesters: ${
      results.map((r) => `${r.modules}/${r.written}`).join(", ")
    } (modules/written); fsck checked ${fsck.checked}`,
  );
});

async function count(dir: string): Promise<number> {
  let n = 0;
  for await (const _ of Deno.readDir(dir)) n++;
  return n;
}

Deno.test("kill -9 during an ingest leaves a consistent store, and the next ingest completes it", async () => {
  const work = await Deno.makeTempDir();
  const entries = await writeEntries(work);
  const script = await scriptFile(work, "ingest.ts", INGEST);
  const report: string[] = [];
  // Kill as module files appear, as records appear, and among the records.
  const when: ["modules" | "meta", number][] = [
    ["modules", 1],
    ["meta", 1],
    ["meta", 60],
  ];
  for (const [sub, threshold] of when) {
    const storeDir = join(work, `store-${sub}-${threshold}`);
    await ModuleStore.open(storeDir);
    const child = spawn(script, [storeDir, entries.fsAssert]);
    let seen = 0;
    for (let i = 0; i < 4000 && seen < threshold; i++) {
      seen = await count(join(storeDir, sub));
      if (seen < threshold) await new Promise((r) => setTimeout(r, 1));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    const store = await ModuleStore.open(storeDir, { fsync: false });
    const fsck = await store.fsck();
    assertEquals(fsck.problems, [], `${sub} >= ${threshold}`);
    const left = `${await count(
      join(storeDir, "modules"),
    )} module files, ${await count(join(storeDir, "meta"))} records`;
    const redo = await store.ingest(entries.fsAssert, { config: DENO_CONFIG });
    assertMatch(redo.key!, /^[0-9a-f]{64}$/);
    const after = await store.fsck();
    assertEquals([after.ok, after.checked], [true, redo.modules]);
    assertEquals((await store.verify(redo.key!)).ok, true);
    report.push(
      `killed (${
        status.signal ?? status.code
      }) at ${sub} >= ${threshold}: ${left}, fsck clean (garbage ${fsck.garbage}); re-ingest wrote ${redo.written}/${redo.modules}`,
    );
  }
  console.log(report.map((r) => `  ${r}`).join("\n"));
});

const GC_LOOP = `import { ModuleStore } from "${STORE_TS}";
const [dir, stop] = Deno.args;
const store = await ModuleStore.open(dir);
let removed = 0, rounds = 0;
// Collect over and over until told to stop (at least once).
do {
  removed += (await store.gc({ graceMs: 0 })).removed;
  rounds++;
} while (!(await Deno.stat(stop).then(() => true, () => false)));
console.log(JSON.stringify({ removed, rounds }));`;

Deno.test("gc racing an ingest never removes a module the ingest found stored and references", async () => {
  const work = await Deno.makeTempDir();
  const entries = await writeEntries(work);
  const ingest = await scriptFile(work, "ingest.ts", INGEST);
  const gc = await scriptFile(work, "gc.ts", GC_LOOP);
  const report: string[] = [];
  for (let round = 0; round < 2; round++) {
    const storeDir = join(work, `store-${round}`);
    const store = await ModuleStore.open(storeDir, { fsync: false });
    // The tree the ingest will find stored, unpinned: fair game for gc.
    await store.ingest(entries.path, { config: DENO_CONFIG });
    const stop = join(work, `stop-${round}`);
    const ingester = spawn(ingest, [storeDir, entries.assertPath, "kept"]);
    // Start collecting once the ingest is under way (its staging directory
    // is the first thing it makes).
    while (await count(join(storeDir, "tmp")) === 0) {
      await new Promise((r) => setTimeout(r, 2));
    }
    const gcs = spawn(gc, [storeDir, stop]);
    const ingested = await finish(ingester);
    await Deno.writeTextFile(stop, "");
    const collected = await finish(gcs);
    const fsck = await store.fsck();
    assertEquals(fsck.problems, [], `round ${round}`);
    assertEquals(await store.resolve("kept"), ingested.key);
    const verified = await store.verify("kept");
    assertEquals([verified.ok, verified.checked], [true, ingested.modules]);
    report.push(
      `round ${round}: ${collected.rounds} gc runs removed ${collected.removed}, ingest wrote ${ingested.written}/${ingested.modules}, pinned closure verified`,
    );
  }
  console.log(report.map((r) => `  ${r}`).join("\n"));
});

Deno.test("gc waits while an ingest holds the store's lock", async () => {
  const work = await Deno.makeTempDir();
  const storeDir = join(work, "store");
  await ModuleStore.open(storeDir);
  const gc = await scriptFile(work, "gc.ts", GC_LOOP);
  // What an ingest holds: the lock, shared.
  const lock = await Deno.open(join(storeDir, "lock"), {
    read: true,
    write: true,
    create: true,
  });
  await lock.lock(false);
  const stop = join(work, "stop");
  await Deno.writeTextFile(stop, "");
  const child = spawn(gc, [storeDir, stop]);
  const early = await Promise.race([
    child.status.then(() => "finished"),
    new Promise((r) => setTimeout(() => r("waiting"), 800)),
  ]);
  lock.close();
  const result = await finish(child);
  assertEquals(early, "waiting");
  assertEquals(result, { removed: 0, rounds: 1 });
});
