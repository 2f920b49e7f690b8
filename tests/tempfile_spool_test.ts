// TemporaryFile and SpooledTemporaryFile: CPython's test_tempfile.py cases
// for both, ported where they apply, and a model test of the spooled file
// against a plain Deno.FsFile, across the rollover point.
import {
  assert,
  assertEquals,
  assertFalse,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { stub } from "@std/testing/mock";
import fc from "fast-check";
import { SpooledTemporaryFile, TemporaryFile } from "../tempfile.ts";
import { denoRun, scratch } from "./_tempfile.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function entries(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name);
}

/** Reads everything from `spool` (from the start), leaving it at the end. */
function contentOf(spool: SpooledTemporaryFile): Uint8Array {
  spool.seekSync(0, Deno.SeekMode.Start);
  const out = new Uint8Array(spool.size);
  let at = 0;
  for (;;) {
    const n = spool.readSync(out.subarray(at));
    if (n === null || n === 0) break;
    at += n;
  }
  return out.subarray(0, at);
}

// ---------------------------------------------------------------------------
// TemporaryFile (CPython's TestTemporaryFile)

Deno.test("TemporaryFile: has no name, so the directory it was made in can be removed at once (test_has_no_name)", async () => {
  using dir = scratch();
  const d = `${dir.path}/d`;
  for (const make of [() => new TemporaryFile({ dir: d })]) {
    Deno.mkdirSync(d);
    using f = make();
    f.file.writeSync(enc.encode("blat"));
    assertEquals(entries(d), []);
    Deno.removeSync(d); // empty: nothing holds a name in it
    f.file.seekSync(0, Deno.SeekMode.Start);
    const buf = new Uint8Array(4);
    assertEquals(f.file.readSync(buf), 4);
    assertEquals(dec.decode(buf), "blat");
  }
  Deno.mkdirSync(d);
  await using g = await TemporaryFile.create({
    dir: d,
    prefix: "p",
    suffix: ".s",
  });
  assertEquals(await g.file.write(new Uint8Array(3)), 3);
  assertEquals(entries(d), []);
});

Deno.test("TemporaryFile: mode 0o600, read-write, closed by each of drop, dispose and asyncDispose any number of times (test_basic, test_multiple_close, test_mode)", async () => {
  using dir = scratch();
  const f = new TemporaryFile({ dir: dir.path });
  assertEquals(f.file.statSync().mode! & 0o777, 0o600 & ~Deno.umask());
  f.file.writeSync(enc.encode("abc\n"));
  const file = f.file;
  f.drop();
  f.drop();
  f[Symbol.dispose]();
  await f[Symbol.asyncDispose]();
  assertThrows(
    () => file.writeSync(new Uint8Array(1)),
    Deno.errors.BadResource,
  );
  assertThrows(
    () => f.file,
    Deno.errors.BadResource,
    "TemporaryFile.file: the handle was dropped, and its file closed",
  );
  // The caller may close the file itself first.
  const g = new TemporaryFile({ dir: dir.path });
  g.file.close();
  g.drop();
  assertEquals(entries(dir.path), []);
});

Deno.test("TemporaryFile: when unlinking the new name fails, the file is closed and removed and the error thrown (test_unexpected_error)", () => {
  using dir = scratch();
  const realRemove = Deno.removeSync;
  let calls = 0;
  using _remove = stub(Deno, "removeSync", (path, options) => {
    if (calls++ === 0) throw new Deno.errors.Interrupted("boom");
    realRemove(path, options);
  });
  assertThrows(
    () => new TemporaryFile({ dir: dir.path }),
    Deno.errors.Interrupted,
    `TemporaryFile: cannot create a file in "${dir.path}": boom`,
  );
  assertEquals(calls, 2, "the unlink, then the cleanup's");
  assertEquals(entries(dir.path), []);
});

// ---------------------------------------------------------------------------
// SpooledTemporaryFile (CPython's TestSpooledTemporaryFile)

Deno.test("SpooledTemporaryFile: in memory until a write would end past maxSize; rewrites within it stay (test_basic, test_rewrite_small, test_write_sequential)", () => {
  using dir = scratch();
  assertFalse(new SpooledTemporaryFile().rolledOver);
  const f = new SpooledTemporaryFile({ maxSize: 30, dir: dir.path });
  for (let i = 0; i < 5; i++) {
    f.seekSync(0, Deno.SeekMode.Start);
    f.writeSync(enc.encode("x".repeat(20)));
  }
  assertFalse(f.rolledOver);
  const g = new SpooledTemporaryFile({ maxSize: 30, dir: dir.path });
  g.writeSync(new Uint8Array(20));
  assertFalse(g.rolledOver);
  g.writeSync(new Uint8Array(10));
  assertFalse(g.rolledOver, "exactly maxSize bytes stay in memory");
  g.writeSync(new Uint8Array(1));
  assert(g.rolledOver);
  assertEquals(g.size, 31);
  assertEquals(entries(dir.path), [], "rolled over to an anonymous file");
  g.drop();
  f.drop();
});

Deno.test("SpooledTemporaryFile: a sparse write far out rolls over, and the gap reads as zeros (test_sparse)", () => {
  using f = new SpooledTemporaryFile({ maxSize: 30 });
  assertEquals(f.seekSync(100, Deno.SeekMode.Start), 100);
  assertFalse(f.rolledOver);
  f.writeSync(enc.encode("x"));
  assert(f.rolledOver);
  const all = contentOf(f);
  assertEquals(all.length, 101);
  assertEquals(all.subarray(0, 100), new Uint8Array(100));
  assertEquals(all[100], "x".charCodeAt(0));
});

Deno.test("SpooledTemporaryFile: closing many times, before and after rollover; using, await using; closed means BadResource (test_multiple_close_*, test_context_manager_*)", async () => {
  const before = new SpooledTemporaryFile();
  before.writeSync(enc.encode("abc\n"));
  assertFalse(before.rolledOver);
  before.drop();
  before.drop();
  before[Symbol.dispose]();
  const after = new SpooledTemporaryFile({ maxSize: 1 });
  after.writeSync(enc.encode("abc\n"));
  assert(after.rolledOver);
  after.drop();
  after.drop();
  await after[Symbol.asyncDispose]();

  let kept: SpooledTemporaryFile;
  {
    using f = new SpooledTemporaryFile({ maxSize: 1 });
    kept = f;
    assertFalse(f.rolledOver);
  }
  {
    await using f = new SpooledTemporaryFile({ maxSize: 1 });
    f.writeSync(enc.encode("abc\n"));
    assert(f.rolledOver);
  }
  for (const f of [before, after, kept]) {
    const closed = "the file was closed by drop()";
    assertThrows(
      () => f.writeSync(new Uint8Array(1)),
      Deno.errors.BadResource,
      closed,
    );
    assertThrows(
      () => f.readSync(new Uint8Array(1)),
      Deno.errors.BadResource,
      closed,
    );
    assertThrows(
      () => f.seekSync(0, Deno.SeekMode.Start),
      Deno.errors.BadResource,
      closed,
    );
    assertThrows(() => f.truncateSync(), Deno.errors.BadResource, closed);
    assertThrows(() => f.rolloverSync(), Deno.errors.BadResource, closed);
    assertThrows(() => f.size, Deno.errors.BadResource, closed);
    assertThrows(() => f.readable, Deno.errors.BadResource, closed);
    await assertRejects(
      () => f.write(new Uint8Array(1)),
      Deno.errors.BadResource,
      "SpooledTemporaryFile.write: the file was closed",
    );
  }
});

Deno.test("SpooledTemporaryFile: bound methods keep working across the rollover (test_bound_methods)", () => {
  using f = new SpooledTemporaryFile({ maxSize: 30 });
  const read = f.readSync.bind(f);
  const write = f.writeSync.bind(f);
  const seek = f.seekSync.bind(f);
  write(enc.encode("a".repeat(35)));
  write(enc.encode("b".repeat(35)));
  seek(0, Deno.SeekMode.Start);
  const buf = new Uint8Array(70);
  let n = 0;
  while (n < 70) n += read(buf.subarray(n)) ?? 0;
  assertEquals(dec.decode(buf), "a".repeat(35) + "b".repeat(35));
});

Deno.test("SpooledTemporaryFile: truncate to zero, to a size, and past maxSize, which rolls over (test_truncate_with_size_parameter)", async () => {
  {
    using f = new SpooledTemporaryFile({ maxSize: 10 });
    f.writeSync(enc.encode("abcdefg\n"));
    f.seekSync(0, Deno.SeekMode.Start);
    f.truncateSync();
    assertFalse(f.rolledOver);
    assertEquals(contentOf(f), new Uint8Array());
  }
  {
    using f = new SpooledTemporaryFile({ maxSize: 10 });
    f.writeSync(enc.encode("abcdefg\n"));
    f.truncateSync(4);
    assertFalse(f.rolledOver);
    assertEquals(dec.decode(contentOf(f)), "abcd");
  }
  {
    await using f = new SpooledTemporaryFile({ maxSize: 10 });
    await f.write(enc.encode("abcdefg\n"));
    await f.truncate(20);
    assert(f.rolledOver);
    assertEquals(f.size, 20);
    assertEquals(dec.decode(contentOf(f)), "abcdefg\n" + "\0".repeat(12));
  }
  // maxSize 0 means never, even for a truncate past it (CPython rolls over).
  using f = new SpooledTemporaryFile();
  f.truncateSync(1000);
  assertFalse(f.rolledOver);
  assertEquals(f.size, 1000);
});

Deno.test("SpooledTemporaryFile: rollover()/rolloverSync() keep content and position; rolledOver after it", async () => {
  for (const sync of [true, false]) {
    using f = new SpooledTemporaryFile();
    f.writeSync(enc.encode("hello world"));
    f.seekSync(6, Deno.SeekMode.Start);
    if (sync) f.rolloverSync();
    else await f.rollover();
    assert(f.rolledOver);
    if (sync) f.rolloverSync(); // a second is nothing
    else await f.rollover();
    const buf = new Uint8Array(5);
    assertEquals(f.readSync(buf), 5);
    assertEquals(dec.decode(buf), "world");
    assertEquals(f.size, 11);
  }
});

Deno.test("SpooledTemporaryFile: bad arguments are TypeError or RangeError naming the method, in memory and on disk", async () => {
  for (const rolled of [false, true]) {
    using f = new SpooledTemporaryFile();
    if (rolled) f.rolloverSync();
    f.writeSync(new Uint8Array(4));
    const proxy = new Proxy(new Uint8Array(1), {});
    assertThrows(
      () => f.writeSync("abc" as never),
      TypeError,
      "SpooledTemporaryFile.writeSync: p must be a Uint8Array, got string",
    );
    assertThrows(
      () => f.writeSync(proxy),
      TypeError,
      "SpooledTemporaryFile.writeSync: p must be a Uint8Array",
    );
    assertThrows(
      () => f.readSync(new Uint16Array(1) as never),
      TypeError,
      "SpooledTemporaryFile.readSync: p must be a Uint8Array, got Uint16Array",
    );
    assertThrows(
      () => f.seekSync(1.5, Deno.SeekMode.Start),
      TypeError,
      "SpooledTemporaryFile.seekSync: offset must be a safe integer, got 1.5",
    );
    assertThrows(
      () => f.seekSync(0, 7 as Deno.SeekMode),
      TypeError,
      "SpooledTemporaryFile.seekSync: whence must be a Deno.SeekMode",
    );
    assertThrows(
      () => f.seekSync(-5, Deno.SeekMode.End),
      RangeError,
      "SpooledTemporaryFile.seekSync: the new position -1 is outside 0 to 2^53 - 1",
    );
    await assertRejects(
      () => f.seek(-1, Deno.SeekMode.Start),
      RangeError,
      "SpooledTemporaryFile.seek: the new position -1",
    );
    assertThrows(
      () => f.truncateSync(-1),
      RangeError,
      "SpooledTemporaryFile.truncateSync: len must be between 0 and 2^53 - 1, got -1",
    );
    assertThrows(
      () => f.truncateSync(0.5),
      TypeError,
      "SpooledTemporaryFile.truncateSync: len must be an integer",
    );
    // Nothing changed.
    assertEquals([f.size, f.seekSync(0, Deno.SeekMode.Current)], [4, 4]);
    assertEquals(f.seekSync(2n, Deno.SeekMode.Start), 2, "bigint offsets");
  }
});

Deno.test("SpooledTemporaryFile: writable and readable streams spool and pipe on, in memory and across the rollover, and leave the file open", async () => {
  for (const maxSize of [0, 100_000]) {
    await using f = new SpooledTemporaryFile({ maxSize });
    const chunks = Array.from(
      { length: 20 },
      (_, i) => new Uint8Array(10_000).fill(i),
    );
    await ReadableStream.from(chunks).pipeTo(f.writable);
    assertEquals(f.rolledOver, maxSize !== 0);
    assertEquals(f.size, 200_000);
    await f.seek(150_000, Deno.SeekMode.Start);
    const tail: Uint8Array[] = [];
    for await (const chunk of f.readable) tail.push(chunk.slice());
    const got = new Uint8Array(tail.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of tail) {
      got.set(c, at);
      at += c.length;
    }
    assertEquals(got.length, 50_000);
    assertEquals([got[0], got[49_999]], [15, 19]);
    // Still open: written to and read again, and a BYOB reader works.
    await f.seek(0, Deno.SeekMode.Start);
    const reader = f.readable.getReader({ mode: "byob" });
    const { value } = await reader.read(new Uint8Array(5));
    assertEquals(value, new Uint8Array(5));
    await reader.cancel();
    assertEquals(await f.write(new Uint8Array([1])), 1);
  }
});

Deno.test("SpooledTemporaryFile: a rollover without the grants is a NotCapable naming the method, and the data stays in memory", async () => {
  using dir = scratch();
  const ran = await denoRun(
    dir.path,
    `
const f = new tf.SpooledTemporaryFile({ dir: "/tmp", maxSize: 4 });
const out = [f.writeSync(new Uint8Array([1, 2, 3]))];
try { f.writeSync(new Uint8Array(4)); out.push("rolled"); }
catch (e) { out.push(e.name + ": " + e.message); }
out.push(f.size, f.rolledOver);
console.log(JSON.stringify(out));`,
    ["--no-prompt"],
  );
  assertEquals(ran.code, 0, ran.stderr);
  assertEquals(JSON.parse(ran.stdout), [
    3,
    `NotCapable: SpooledTemporaryFile.writeSync: write access to "/tmp" is not granted; run again with --allow-write=/tmp`,
    3,
    false,
  ]);
});

// ---------------------------------------------------------------------------
// The model: the same operations on a SpooledTemporaryFile and on a plain
// file must give the same results and the same bytes, before and after the
// rollover.

type Op =
  | { op: "write"; bytes: number[] }
  | { op: "read"; length: number }
  | { op: "seek"; offset: number; whence: Deno.SeekMode }
  | { op: "truncate"; length?: number }
  | { op: "rollover" }
  | { op: "size" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant("write" as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
  }),
  fc.record({
    op: fc.constant("read" as const),
    length: fc.integer({ min: 0, max: 50 }),
  }),
  fc.record({
    op: fc.constant("seek" as const),
    offset: fc.integer({ min: -60, max: 120 }),
    whence: fc.constantFrom(
      Deno.SeekMode.Start,
      Deno.SeekMode.Current,
      Deno.SeekMode.End,
    ),
  }),
  fc.record(
    {
      op: fc.constant("truncate" as const),
      length: fc.integer({ min: 0, max: 100 }),
    },
    { requiredKeys: ["op"] },
  ),
  fc.constant({ op: "rollover" as const }),
  fc.constant({ op: "size" as const }),
);

/** What an operation gave: its value (bytes for a read), or that it threw. */
type Outcome = unknown;

function onFile(file: Deno.FsFile, o: Op): Outcome {
  try {
    switch (o.op) {
      case "write":
        return file.writeSync(new Uint8Array(o.bytes));
      case "read": {
        const buf = new Uint8Array(o.length);
        const n = file.readSync(buf);
        return n === null ? null : [...buf.subarray(0, n)];
      }
      case "seek":
        return file.seekSync(o.offset, o.whence);
      case "truncate":
        file.truncateSync(o.length);
        return "truncated";
      case "rollover":
        return undefined;
      case "size":
        return file.statSync().size;
    }
  } catch {
    return "threw";
  }
}

async function onSpool(
  spool: SpooledTemporaryFile,
  o: Op,
  sync: boolean,
): Promise<Outcome> {
  try {
    switch (o.op) {
      case "write": {
        const bytes = new Uint8Array(o.bytes);
        return sync ? spool.writeSync(bytes) : await spool.write(bytes);
      }
      case "read": {
        const buf = new Uint8Array(o.length);
        const n = sync ? spool.readSync(buf) : await spool.read(buf);
        return n === null ? null : [...buf.subarray(0, n)];
      }
      case "seek":
        return sync
          ? spool.seekSync(o.offset, o.whence)
          : await spool.seek(o.offset, o.whence);
      case "truncate":
        if (sync) spool.truncateSync(o.length);
        else await spool.truncate(o.length);
        return "truncated";
      case "rollover":
        return sync ? spool.rolloverSync() : await spool.rollover();
      case "size":
        return spool.size;
    }
  } catch {
    return "threw";
  }
}

Deno.test("SpooledTemporaryFile: fast-check model against a plain file, sync and async, before and after the rollover", async () => {
  using dir = scratch();
  const seen = { memoryOnly: 0, rolledMidway: 0 };
  for (const sync of [true, false]) {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 64 }),
        fc.array(opArb, { maxLength: 30 }),
        async (maxSize, ops) => {
          const path = Deno.makeTempFileSync({ dir: dir.path });
          using file = Deno.openSync(path, { read: true, write: true });
          Deno.removeSync(path);
          await using spool = new SpooledTemporaryFile({
            maxSize,
            dir: dir.path,
          });
          let rolledAt = -1;
          for (const [i, o] of ops.entries()) {
            const want = onFile(file, o);
            const got = await onSpool(spool, o, sync);
            assertEquals(got, want, `op ${i} ${JSON.stringify(o)}`);
            if (rolledAt < 0 && spool.rolledOver) rolledAt = i;
          }
          file.seekSync(0, Deno.SeekMode.Start);
          const size = file.statSync().size;
          const whole = new Uint8Array(size);
          let at = 0;
          while (at < size) at += file.readSync(whole.subarray(at)) ?? size;
          assertEquals(contentOf(spool), whole);
          if (rolledAt < 0) seen.memoryOnly++;
          else if (rolledAt < ops.length - 1) seen.rolledMidway++;
        },
      ),
      { numRuns: 150 },
    );
  }
  // Both sides of the rollover were exercised.
  assert(seen.memoryOnly > 20, JSON.stringify(seen));
  assert(seen.rolledMidway > 20, JSON.stringify(seen));
  assertEquals(entries(dir.path), [], "anonymous files only");
});
