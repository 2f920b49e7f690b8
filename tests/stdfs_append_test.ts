// append, appendLines and appendBytes: the text rules, concurrent appenders,
// and failures that must leave the file as it was.

import { assert, assertEquals, assertMatch } from "@std/assert";
import { stub } from "@std/testing/mock";
import fc from "fast-check";
import * as s from "../stdfs.ts";
import {
  type Api,
  ASYNC,
  bytesOf,
  child,
  childOrKill,
  failsWith,
  listing,
  mkfifo,
  modelLines,
  modelText,
  MODULE_URL,
  SYNC,
  TEXT_UNITS,
  twins,
} from "./_stdfs.ts";
import { DENO_CONFIG, have, mountTmpfs } from "./_oracle.ts";

// ---------------------------------------------------------------------------
// append

twins(
  "append keeps readFile(after) === readFile(before) + data",
  async (api, dir) => {
    const p = `${dir}/a.txt`;
    const contents = fc.option(
      fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 12 }),
      { nil: undefined },
    );
    const data = fc.string({
      unit: fc.constantFrom("x", "\n", "é", "😀", "\uFEFF"),
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(contents, data, async (before, text) => {
        s.removeSync(p);
        if (before !== undefined) Deno.writeFileSync(p, bytesOf(before));
        const expected = (before === undefined ? "" : modelText(before)) + text;
        const raw = before === undefined ? "" : before;
        await api.append(p, text);
        assertEquals(await api.readFile(p), expected);
        // Only the line end of the old content may change.
        const after = Deno.readTextFileSync(p);
        const kept = raw.replace(/\r?\n$|\r$/, "");
        assert(after.startsWith(kept), JSON.stringify({ raw, text, after }));
        if (text === "") assertEquals(after, raw);
      }),
      { numRuns: 500 },
    );
  },
);

twins("append: edge cases by hand", async (api, dir) => {
  const p = `${dir}/e.txt`;
  // [existing bytes or null for missing, data, bytes after]
  const cases: [string | null, string, string][] = [
    [null, "a", "a\n"],
    [null, "", ""],
    ["", "", ""],
    ["", "a", "a\n"],
    ["x", "", "x"],
    ["x\n", "", "x\n"],
    ["x", "y", "xy\n"],
    ["x\n", "y", "xy\n"],
    ["x\r\n", "y", "xy\n"],
    ["x\r", "y", "xy\n"],
    ["x\n", "y\n", "xy\n\n"],
    ["x\n", "\ny", "x\ny\n"],
    ["x\r\r\n", "\ny", "x\r\r\ny\n"],
    ["x\r\r", "\n", "x\r\r\n\n"],
    ["x\rz", "\ny", "x\rz\ny\n"],
    ["\n", "a", "a\n"],
    ["\n\n", "a", "\na\n"],
  ];
  for (const [before, data, disk] of cases) {
    s.removeSync(p);
    if (before !== null) Deno.writeTextFileSync(p, before);
    await api.append(p, data);
    const what = JSON.stringify([before, data]);
    assertEquals(await api.exists(p), true, what);
    assertEquals(Deno.readTextFileSync(p), disk, what);
  }
});

twins("append costs O(data) on a huge sparse file", async (api, dir) => {
  // 8 GiB of holes: reading the file would take far longer than the bound
  // below (and more memory than the machine has).
  const p = `${dir}/sparse.txt`;
  const file = Deno.openSync(p, { write: true, create: true });
  const big = 8 * 1024 ** 3;
  file.truncateSync(big);
  file.seekSync(big, Deno.SeekMode.Start);
  file.writeSync(bytesOf("end\r\n"));
  file.close();
  const t0 = performance.now();
  await api.append(p, "more");
  assert(performance.now() - t0 < 1000, "append read the whole file");
  const tail = Deno.openSync(p);
  tail.seekSync(big, Deno.SeekMode.Start);
  const buf = new Uint8Array(16);
  const n = tail.readSync(buf)!;
  tail.close();
  assertEquals(new TextDecoder().decode(buf.subarray(0, n)), "endmore\n");
});

Deno.test("append to a pipe or a terminal writes data and its newline as is", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const script = `${dir}/to-stdout.ts`;
    Deno.writeTextFileSync(
      script,
      `import * as s from "${MODULE_URL}";
s.appendSync("/dev/stdout", "x");
await s.append("/dev/stdout", "y\\nz");
s.appendSync("/dev/stdout", "");
await s.append("/dev/null", "nothing");
s.appendSync("/dev/null", "nothing");
`,
    );
    // Deno reserves /dev/stdout (a link into /proc/self) to --allow-all.
    const args = ["run", "--no-prompt", "--config", DENO_CONFIG, "-A", script];
    const piped = await new Deno.Command(Deno.execPath(), {
      args,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assert(piped.success, dec.decode(piped.stderr));
    assertEquals(dec.decode(piped.stdout), "x\ny\nz\n");
    // A FIFO named by its path, read by another process that opens it after
    // the call began: the text waits for the reader, as with `>>`.
    const fifo = `${dir}/fifo`;
    mkfifo(fifo);
    const reader = () =>
      new Deno.Command("sh", {
        args: ["-c", `sleep 0.2; timeout 10 cat "$0"`, fifo],
        stdout: "piped",
      }).output();
    const late = reader();
    await s.append(fifo, "to a fifo");
    assertEquals(dec.decode((await late).stdout), "to a fifo\n");
    const lateToo = reader();
    s.appendSync(fifo, "and again");
    assertEquals(dec.decode((await lateToo).stdout), "and again\n");
    if (have("script")) {
      const tty = await new Deno.Command("script", {
        args: [
          "-qec",
          `timeout --foreground 20 ${Deno.execPath()} ${args.join(" ")}`,
          "/dev/null",
        ],
        env: { NO_COLOR: "1", SHELL: "/bin/sh" },
        stdin: "null",
        stdout: "piped",
      }).output();
      // The terminal turns each "\n" into "\r\n".
      assertEquals(dec.decode(tty.stdout), "x\r\ny\r\nz\r\n");
      assertEquals(tty.code, 0);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// appendLines

twins(
  "appendLines keeps readLines(after) === readLines(before) + lines",
  async (api, dir) => {
    const p = `${dir}/l.txt`;
    const contents = fc.option(
      fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 12 }),
      { nil: undefined },
    );
    const line = fc.string({
      unit: fc.constantFrom("x", "\r", "é", "😀", "\uFEFF"),
      maxLength: 5,
    }).filter((l) => !l.endsWith("\r"));
    await fc.assert(
      fc.asyncProperty(
        contents,
        fc.array(line, { maxLength: 4 }),
        async (before, lines) => {
          s.removeSync(p);
          if (before !== undefined) Deno.writeFileSync(p, bytesOf(before));
          const raw = before ?? "";
          await api.appendLines(p, lines);
          assertEquals(await api.readLines(p), [...modelLines(raw), ...lines]);
          // Only bytes at the end were added.
          assert(Deno.readTextFileSync(p).startsWith(raw));
        },
      ),
      { numRuns: 400 },
    );
  },
);

twins("appendLines: edge cases by hand", async (api, dir) => {
  const p = `${dir}/e.txt`;
  // [existing bytes or null for missing, lines, bytes after]
  const cases: [string | null, string[], string][] = [
    [null, [], ""],
    [null, ["a"], "a\n"],
    [null, [""], "\n"],
    ["", ["a", "b"], "a\nb\n"],
    ["x", [], "x"],
    ["x", ["a"], "x\na\n"],
    ["x\n", ["a"], "x\na\n"],
    ["x\r\n", ["a"], "x\r\na\n"],
    ["x\r", ["a"], "x\r\na\n"],
    ["\n", ["a"], "\na\n"],
    ["x\n", ["", ""], "x\n\n\n"],
    ["x", ["a\rb"], "x\na\rb\n"],
  ];
  for (const [before, lines, disk] of cases) {
    s.removeSync(p);
    if (before !== null) Deno.writeTextFileSync(p, before);
    await api.appendLines(p, lines);
    assertEquals(
      Deno.readTextFileSync(p),
      disk,
      JSON.stringify([before, lines]),
    );
  }
  // Any iterable of lines; a bad one writes nothing, not even a new file.
  await api.appendLines(p, new Set(["c"]));
  assertEquals(Deno.readTextFileSync(p), "x\na\rb\nc\n");
  for (const bad of [["ok", "a\nb"], ["a\r"], ["\ud800"], "ab", [1]]) {
    const err = await new Promise((r) =>
      r(api.appendLines(`${dir}/new.txt`, bad as string[]))
    )
      .then(() => "no error", (e) => e);
    assert(err instanceof TypeError, String(err));
    assertMatch(err.message, /^appendLines(Sync)?: lines/);
  }
  assertEquals(listing(dir), ["e.txt"]);
});

twins("appendLines costs O(lines) on a huge sparse file", async (api, dir) => {
  const p = `${dir}/sparse.txt`;
  using file = Deno.openSync(p, { write: true, create: true });
  file.truncateSync(8 * 1024 ** 3);
  const t0 = performance.now();
  await api.appendLines(p, ["more"]);
  assert(performance.now() - t0 < 1000, "appendLines read the whole file");
  // The file ended in a NUL, not a line end: a "\n" first.
  assertEquals(Deno.statSync(p).size, 8 * 1024 ** 3 + 6);
});

Deno.test("appendLines to a pipe or a terminal writes the lines as they are", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const fifo = `${dir}/fifo`;
    mkfifo(fifo);
    const reader = new Deno.Command("sh", {
      args: ["-c", `sleep 0.2; timeout 10 cat "$0"`, fifo],
      stdout: "piped",
    }).output();
    await s.appendLines(fifo, ["one", "two"]);
    assertEquals(new TextDecoder().decode((await reader).stdout), "one\ntwo\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// appendBytes

twins("appendBytes creates a missing file", async (api, dir) => {
  await api.appendBytes(`${dir}/new.bin`, new Uint8Array());
  assertEquals(Deno.statSync(`${dir}/new.bin`).size, 0);
});

// ---------------------------------------------------------------------------
// Failures leave the file as it was

/**
 * Stubs the writes of both twins to behave as on a disk with `room` bytes
 * free: a file may grow by that much past its size at its first write (its
 * existing blocks can be overwritten), a write that would grow it further
 * is cut short there, and one that cannot grow it at all fails with
 * ENOSPC.
 */
function diskFullAfter(room: number): Disposable {
  const file = Deno.FsFile.prototype;
  const { write, writeSync } = file;
  const limits = new WeakMap<Deno.FsFile, number>();
  /** What of the `n` bytes just written fit; the rest is cut off again. */
  const fit = (f: Deno.FsFile, n: number): number => {
    const limit = limits.get(f)!;
    const over = f.statSync().size - limit;
    if (over <= 0) return n;
    f.truncateSync(limit);
    f.seekSync(limit, Deno.SeekMode.Start);
    if (n - over > 0) return n - over;
    throw Object.assign(new Error("No space left on device (os error 28)"), {
      code: "ENOSPC",
    });
  };
  const limit = (f: Deno.FsFile) => {
    if (!limits.has(f)) limits.set(f, f.statSync().size + room);
  };
  const stubs = [
    stub(file, "write", async function (this: Deno.FsFile, p: Uint8Array) {
      limit(this);
      return fit(this, await write.call(this, p));
    }),
    stub(file, "writeSync", function (this: Deno.FsFile, p: Uint8Array) {
      limit(this);
      return fit(this, writeSync.call(this, p));
    }),
  ];
  return { [Symbol.dispose]: () => stubs.forEach((x) => x.restore()) };
}

/** The calls that must leave `p` as it was when the disk fills during them. */
function appenders(api: Api, p: string): [string, () => Promise<void>][] {
  const big = "Z".repeat(10_000);
  return [
    ["append", () => api.append(p, big)],
    ["append after a newline", () => api.append(p, "\n" + big)],
    ["appendLines", () => api.appendLines(p, [big, "more"])],
    ["appendBytes", () => api.appendBytes(p, bytesOf(big))],
  ];
}

const ENDINGS = ["line1\nline2", "line1\nline2\n", "line1\r\n", "line1\r", ""];

twins(
  "a failed append leaves every existing byte as it was",
  async (api, dir) => {
    const p = `${dir}/log.txt`;
    for (const before of ENDINGS) {
      for (const [name, call] of appenders(api, p)) {
        for (const room of [0, 1, 5, 4000]) {
          Deno.writeTextFileSync(p, before);
          {
            using _full = diskFullAfter(room);
            const err = await failsWith(call(), "OPEN_FAIL", p);
            assertEquals((err.cause as { code?: string }).code, "ENOSPC");
          }
          const what = JSON.stringify({ before, name, room });
          assertEquals(Deno.readTextFileSync(p), before, what);
        }
      }
    }
  },
);

const MOUNT_ROOM = 256 * 1024;

Deno.test("a failed append on a full tmpfs leaves the file as it was", async (t) => {
  using fs = mountTmpfs(MOUNT_ROOM);
  if (fs === undefined) {
    await t.step({
      name: "skipped: cannot mount a tmpfs",
      ignore: true,
      fn() {},
    });
    return;
  }
  const dir = fs.path;
  const p = `${dir}/log.txt`;
  for (const api of [ASYNC, SYNC]) {
    for (const before of ENDINGS) {
      for (const [name, call] of appenders(api, p)) {
        Deno.writeTextFileSync(p, before);
        // Fill every free block, so only the log's last page has room left.
        const filler = Deno.openSync(`${dir}/filler`, {
          write: true,
          create: true,
        });
        try {
          const block = new Uint8Array(4096);
          for (;;) filler.writeSync(block);
        } catch {
          // full
        } finally {
          filler.close();
        }
        const what = JSON.stringify({ twin: api.name, before, name });
        const err = await failsWith(call(), "OPEN_FAIL", p);
        assertMatch(err.message, /No space left on device/, what);
        assertEquals(Deno.readTextFileSync(p), before, what);
        Deno.removeSync(`${dir}/filler`);
      }
    }
  }
});

// ---------------------------------------------------------------------------
// Concurrent appenders

Deno.test("append, appendLines and appendBytes on one file never overwrite or tear each other", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    // Each process appends, in turn, a record of bytes, a line (in the
    // second round), and a text that continues the file's last line,
    // whoever wrote it.
    const code = `
      import * as s from "${MODULE_URL}";
      const [path, tag, twin, withLines] = Deno.args;
      const sync = twin === "sync";
      const enc = new TextEncoder();
      for (let i = 0; i < 150; i++) {
        const record = enc.encode("B:" + tag + ":" + i + ":" + "x".repeat(40 + (i % 90)) + "\\n");
        if (sync) s.appendBytesSync(path, record); else await s.appendBytes(path, record);
        if (withLines) {
          const line = "L:" + tag + ":" + i + ":" + "y".repeat(i % 50);
          if (sync) s.appendLinesSync(path, [line]); else await s.appendLines(path, [line]);
        }
        const text = "A:" + tag + ":" + i + ";";
        if (sync) s.appendSync(path, text); else await s.append(path, text);
      }
    `;
    const PROCS = 4;
    for (const withLines of [false, true]) {
      const path = `${dir}/shared-${withLines}.log`;
      Deno.writeTextFileSync(path, "start\n");
      const results = await Promise.all(
        Array.from(
          { length: PROCS },
          (_, k) =>
            child(dir, code, ["--allow-read", "--allow-write"], [
              path,
              `p${k}`,
              k % 2 ? "sync" : "async",
              withLines ? "lines" : "",
            ]),
        ),
      );
      for (const r of results) {
        assert(r.success, new TextDecoder().decode(r.stderr));
      }
      // Each `append` text took the place of the "\n" that ended the line
      // before it: without them, the file is the records and lines, whole.
      const text = Deno.readTextFileSync(path);
      const appended = text.match(/A:p\d:\d+;/g) ?? [];
      const rest = text.replace(/A:p\d:\d+;/g, "").split("\n");
      assertEquals(rest.shift(), "start");
      assertEquals(rest.pop(), "");
      const seen = new Set<string>();
      for (const entry of rest) {
        const m = /^([BL]):(p\d):(\d+):(x*|y*)$/.exec(entry);
        assert(m, `torn: ${JSON.stringify(entry.slice(0, 80))}`);
        const i = Number(m[3]);
        assertEquals(m[4].length, m[1] === "B" ? 40 + (i % 90) : i % 50, entry);
        seen.add(`${m[1]}:${m[2]}:${i}`);
      }
      const entries = PROCS * (withLines ? 300 : 150);
      assertEquals(rest.length, entries);
      assertEquals(seen.size, entries);
      // Every append arrived, whole and in order per process.
      assertEquals(appended.length, PROCS * 150);
      for (let k = 0; k < PROCS; k++) {
        const mine = appended.filter((a) => a.startsWith(`A:p${k}:`));
        assertEquals(
          mine,
          Array.from({ length: 150 }, (_, i) => `A:p${k}:${i};`),
        );
      }
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a synchronous append never waits forever for an unfinished asynchronous one", async () => {
  // The asynchronous append holds the file's lock while its write is held
  // up; a synchronous call waiting for that lock would block the only
  // thread the asynchronous one can finish on. In a child, killed if it hangs.
  const dir = Deno.makeTempDirSync();
  try {
    const code = `
      import * as s from "${MODULE_URL}";
      const [dir] = Deno.args;
      const p = dir + "/log.txt";
      Deno.writeTextFileSync(p, "a\\n");
      const write = Deno.FsFile.prototype.write;
      let entered, release;
      const reached = new Promise((r) => entered = r);
      const gate = new Promise((r) => release = r);
      Deno.FsFile.prototype.write = async function (b) {
        entered();
        await gate;
        return write.call(this, b);
      };
      const pending = s.append(p, "b");
      await reached;
      const out = {};
      for (const [name, call] of [
        ["appendSync", () => s.appendSync(p, "x")],
        ["appendLinesSync", () => s.appendLinesSync(p, ["x"])],
        ["appendBytesSync", () => s.appendBytesSync(p, new Uint8Array([120]))],
      ]) {
        try { call(); out[name] = "no error"; }
        catch (e) { out[name] = [e.code, e.cause?.name]; }
      }
      Deno.FsFile.prototype.write = write;
      release();
      await pending;
      s.appendSync(p, "c"); // nothing in the way now
      out.text = s.readFileSync(p);
      console.log(JSON.stringify(out));
    `;
    const result = await childOrKill(dir, code, 10_000, [dir]);
    const stdout = new TextDecoder().decode(result.stdout);
    assert(
      result.success,
      `it hung or failed: ${new TextDecoder().decode(result.stderr)}`,
    );
    const refused = ["OPEN_FAIL", "WouldBlock"];
    assertEquals(JSON.parse(stdout), {
      appendSync: refused,
      appendLinesSync: refused,
      appendBytesSync: refused,
      text: "abc",
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("concurrent loggers with appendLines never tear or merge a line", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const code = `
      import * as s from "${MODULE_URL}";
      const [path, tag, twin] = Deno.args;
      for (let i = 0; i < 400; i++) {
        const lines = i % 5 ? [tag + " " + i] : [tag + " " + i + "a", tag + " " + i + "b"];
        if (twin === "sync") s.appendLinesSync(path, lines);
        else await s.appendLines(path, lines);
      }
    `;
    const path = `${dir}/app.log`;
    // No final line end: exactly one logger must add the "\n" before its line.
    Deno.writeTextFileSync(path, "header");
    const PROCS = 4;
    const results = await Promise.all(
      Array.from(
        { length: PROCS },
        (_, k) =>
          child(dir, code, ["--allow-read", "--allow-write"], [
            path,
            `p${k}`,
            k % 2 ? "sync" : "async",
          ]),
      ),
    );
    for (const r of results) {
      assert(r.success, new TextDecoder().decode(r.stderr));
    }
    const lines = s.readLinesSync(path);
    assertEquals(lines[0], "header");
    for (let k = 0; k < PROCS; k++) {
      const expected = Array.from(
        { length: 400 },
        (_, i) => i % 5 ? [`p${k} ${i}`] : [`p${k} ${i}a`, `p${k} ${i}b`],
      ).flat();
      assertEquals(lines.filter((l) => l.startsWith(`p${k} `)), expected);
    }
    assertEquals(lines.length, 1 + PROCS * 480);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
