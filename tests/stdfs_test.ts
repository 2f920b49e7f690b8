import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
  assertThrows,
} from "@std/assert";
import { stub } from "@std/testing/mock";
import fc from "fast-check";
import * as s from "../stdfs.ts";
import {
  type Api,
  bytesOf,
  child,
  childOrKill,
  failsWith,
  holdPipe,
  listing,
  mkfifo,
  modelLines,
  modelText,
  MODULE_URL,
  sameBytes,
  TEXT_UNITS,
  twins,
} from "./_stdfs.ts";
import { denoUnderPty, have, unprivilegedOrSkip } from "./_oracle.ts";

// [bytes on disk, readFile, readLines]
const READ_TABLE: [string, string, string[]][] = [
  ["", "", []],
  ["\n", "", [""]],
  ["\n\n", "\n", ["", ""]],
  ["a", "a", ["a"]],
  ["a\n", "a", ["a"]],
  ["a\nb", "a\nb", ["a", "b"]],
  ["a\nb\n", "a\nb", ["a", "b"]],
  ["a\r\nb\r\n", "a\nb", ["a", "b"]],
  ["a\rb\n", "a\rb", ["a\rb"]],
  ["a\r\r\n", "a\r", ["a\r"]],
  ["a\r", "a", ["a"]],
  ["\r", "", [""]],
  ["\r\r", "\r", ["\r"]],
  ["\r\n", "", [""]],
  ["\r\n\r", "\n", ["", ""]],
  ["a\n\r\nb", "a\n\nb", ["a", "", "b"]],
  ["\uFEFFbom\n", "\uFEFFbom", ["\uFEFFbom"]],
  ["\uFEFF", "\uFEFF", ["\uFEFF"]],
  ["real \uFFFD kept\n", "real \uFFFD kept", ["real \uFFFD kept"]],
  ["é日本😀\r\n", "é日本😀", ["é日本😀"]],
];

Deno.test("the reference model agrees with the fixed table", () => {
  for (const [raw, text, lines] of READ_TABLE) {
    assertEquals(modelText(raw), text, JSON.stringify(raw));
    assertEquals(modelLines(raw), lines, JSON.stringify(raw));
  }
});

twins("readFile, readLines and lines: fixed table", async (api, dir) => {
  const p = `${dir}/t.txt`;
  for (const [raw, text, lines] of READ_TABLE) {
    Deno.writeFileSync(p, bytesOf(raw));
    const what = JSON.stringify(raw);
    assertEquals(await api.readFile(p), text, what);
    assertEquals(await api.readLines(p), lines, what);
    assertEquals(await api.lines(p), lines, what);
  }
});

twins("text reading matches the model on random content", async (api, dir) => {
  const p = `${dir}/r.txt`;
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 40 }),
      async (raw) => {
        Deno.writeFileSync(p, bytesOf(raw));
        assertEquals(await api.readFile(p), modelText(raw));
        assertEquals(await api.readLines(p), modelLines(raw));
        assertEquals(await api.lines(p), modelLines(raw));
      },
    ),
    { numRuns: 300 },
  );
});

twins("lines streams across chunk boundaries", async (api, dir) => {
  // 256 KiB chunks: put a CR, a CRLF and multi-byte characters across the
  // boundaries, and one line longer than a chunk.
  const CHUNK = 256 * 1024;
  const parts = [
    "x".repeat(CHUNK - 1) + "\r\n",
    "y".repeat(CHUNK - 3) + "日本\n",
    "z".repeat(3 * CHUNK) + "\r\r\n",
    "😀".repeat(CHUNK / 3),
    "\r",
  ];
  const raw = parts.join("");
  Deno.writeTextFileSync(`${dir}/big.txt`, raw);
  const got = await api.lines(`${dir}/big.txt`);
  assertEquals(got, modelLines(raw));
  assertEquals(got, await api.readLines(`${dir}/big.txt`));
});

Deno.test("lines: leaving the loop early closes the file", async () => {
  const dir = Deno.makeTempDirSync();
  const p = `${dir}/a.txt`;
  // Descriptors open on `p`. Deno reserves /proc/self to --allow-all; `ls`
  // may look (--allow-run).
  const fds = () =>
    new TextDecoder().decode(
      new Deno.Command("ls", { args: ["-l", `/proc/${Deno.pid}/fd`] })
        .outputSync().stdout,
    ).split("\n").filter((l) => l.endsWith(` -> ${p}`)).length;
  try {
    Deno.writeTextFileSync(p, "1\n2\n3\n");
    const it = s.linesSync(p);
    it.next();
    assertEquals(fds(), 1); // the probe sees an open file
    it.return();
    const before = fds();
    for await (const line of s.lines(p)) if (line === "1") break;
    for (const line of s.linesSync(p)) if (line === "1") break;
    assertEquals(before, 0);
    assertEquals(fds(), 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("lines and linesSync yield a line from a pipe before its writer closes it", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const name of ["lines", "linesSync"]) {
      const fifo = `${dir}/fifo-${name}`;
      const release = `${dir}/release-${name}`;
      mkfifo(fifo);
      const writer = holdPipe(fifo, release, "first\nsec", "ond\n");
      const it = name === "lines" ? s.lines(fifo) : s.linesSync(fifo);
      // A reader that waited for the end of the file would get the first
      // line only after the writer gave up, followed by "timed out".
      const first = await it.next();
      Deno.writeTextFileSync(release, "");
      const rest: string[] = [];
      for await (const line of it) rest.push(line);
      assert((await writer.status).success);
      assertEquals(first, { value: "first", done: false }, name);
      assertEquals(rest, ["second"], name);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

twins("writeFile adds a final newline only when needed", async (api, dir) => {
  const p = `${dir}/w.txt`;
  const cases: [string, string][] = [
    ["", ""],
    ["a", "a\n"],
    ["a\n", "a\n"],
    ["a\n\n", "a\n\n"],
    ["\n", "\n"],
    ["a\r\nb", "a\r\nb\n"],
    ["\uFEFFx", "\uFEFFx\n"],
  ];
  for (const atomic of [false, true]) {
    for (const [data, disk] of cases) {
      await api.writeFile(p, data, { atomic });
      assertEquals(
        Deno.readFileSync(p),
        bytesOf(disk),
        JSON.stringify(data),
      );
    }
  }
  await api.writeFile(new URL(`file://${dir}/u%20rl.txt`), "via URL");
  assertEquals(await api.readFile(`${dir}/u rl.txt`), "via URL");
});

twins("file URLs decode as Deno's own APIs do", async (api, dir) => {
  // A "%" that starts no escape is the character itself: the file "100%",
  // as Deno.writeTextFile names it; "%41" is an escape for "A".
  const pct = new URL(`file://${dir}/100%`);
  assertEquals(pct.pathname.endsWith("/100%"), true);
  await api.writeFile(pct, "percent");
  assertEquals(listing(dir), ["100%"]);
  assertEquals(Deno.readTextFileSync(`${dir}/100%`), "percent\n");
  assertEquals(await api.readFile(pct), "percent");
  assertEquals(await api.exists(pct), true);
  assertEquals(await api.size(new URL(`file://${dir}/100%`)), 8);
  await api.append(pct, "more");
  assertEquals(await api.readFile(`${dir}/100%`), "percentmore");
  Deno.writeTextFileSync(new URL(`file://${dir}/50%25%`), "both");
  assertEquals(await api.readFile(new URL(`file://${dir}/50%25%`)), "both");
  assertEquals(listing(dir), ["100%", "50%%"]);

  const escaped = new URL(`file://${dir}/%41%zz`);
  await api.writeBytes(escaped, bytesOf("a"));
  assertEquals(listing(dir), ["100%", "50%%", "A%zz"]);
  assertEquals(await api.readBytes(`${dir}/A%zz`), bytesOf("a"));
  await api.remove(escaped);
  await api.remove(pct);
  assertEquals(listing(dir), ["50%%"]);
  // An escape that is not UTF-8 has no string path: a TypeError, at once.
  assertThrows(
    () => s.readFileSync(new URL(`file://${dir}/%FF`)),
    TypeError,
    "readFileSync: path must be a file URL",
  );
});

twins("writeFile then readFile round-trips text", async (api, dir) => {
  const p = `${dir}/rt.txt`;
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: "binary", maxLength: 60 }).filter((t) =>
        !t.includes("\r") && !t.endsWith("\n")
      ),
      fc.boolean(),
      async (text, atomic) => {
        await api.writeFile(p, text, { atomic });
        assertEquals(await api.readFile(p), text);
      },
    ),
    { numRuns: 200 },
  );
});

// ---------------------------------------------------------------------------
// Lines

twins("writeLines then readLines round-trips", async (api, dir) => {
  const p = `${dir}/l.txt`;
  const line = fc.string({ unit: "binary", maxLength: 20 }).filter((l) =>
    !l.includes("\n") && !l.endsWith("\r")
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 10 }), async (lines) => {
      await api.writeLines(p, lines);
      assertEquals(await api.readLines(p), lines);
      assertEquals(await api.lines(p), lines);
    }),
    { numRuns: 200 },
  );
});

twins("writeLines: one newline after each line", async (api, dir) => {
  const p = `${dir}/l.txt`;
  await api.writeLines(p, []);
  assertEquals(Deno.statSync(p).size, 0);
  await api.writeLines(p, [""]);
  assertEquals(Deno.readTextFileSync(p), "\n");
  await api.writeLines(p, ["a\rb", "", "c"], { atomic: true });
  assertEquals(Deno.readTextFileSync(p), "a\rb\n\nc\n");
});

twins("a writeLines TypeError writes nothing", async (api, dir) => {
  const p = `${dir}/l.txt`;
  const bad: unknown[][] = [["a", "b\nc"], ["a", "b\r"], ["a", 1], ["\ud800"]];
  /** The call's failure, whether thrown at once or as a rejection. */
  const failure = (lines: unknown[], atomic: boolean) =>
    new Promise((r) => r(api.writeLines(p, lines as string[], { atomic })))
      .then(() => "no error", (e) => e);
  for (const atomic of [false, true]) {
    for (const lines of bad) {
      assert(await failure(lines, atomic) instanceof TypeError);
      assertEquals(listing(dir), [], JSON.stringify(lines));
    }
  }
  Deno.writeTextFileSync(p, "old\n");
  for (const atomic of [false, true]) {
    for (const lines of bad) {
      assert(await failure(lines, atomic) instanceof TypeError);
      assertEquals(listing(dir), ["l.txt"]);
      assertEquals(Deno.readTextFileSync(p), "old\n");
    }
    // An iterable that fails part way: nothing is written either.
    const failing = function* () {
      yield "a";
      throw new RangeError("no more lines");
    };
    const err = await new Promise((r) =>
      r(api.writeLines(p, failing(), { atomic }))
    ).then(() => "no error", (e) => e);
    assert(err instanceof RangeError);
    assertEquals(listing(dir), ["l.txt"]);
    assertEquals(Deno.readTextFileSync(p), "old\n");
  }
});

// ---------------------------------------------------------------------------
// Bytes

twins(
  "writeBytes, readBytes and appendBytes round-trip bytes",
  async (api, dir) => {
    const p = `${dir}/b.bin`;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.uint8Array({ maxLength: 500 }),
        fc.boolean(),
        async (a, b, atomic) => {
          await api.writeBytes(p, a, { atomic });
          assert(sameBytes(await api.readBytes(p), a));
          assert(
            sameBytes(await api.readBytes(p, { maxBytes: a.length }), a),
          );
          await api.appendBytes(p, b);
          const both = new Uint8Array([...a, ...b]);
          assert(sameBytes(Deno.readFileSync(p), both));
          assertEquals(await api.size(p), both.length);
        },
      ),
      { numRuns: 200 },
    );
  },
);

twins("readBytes: maxBytes", async (api, dir) => {
  const p = `${dir}/m.bin`;
  Deno.writeFileSync(p, new Uint8Array(100_000).fill(7));
  assertEquals((await api.readBytes(p, { maxBytes: 100_000 })).length, 100_000);
  assertEquals((await api.readBytes(p, { maxBytes: 1e9 })).length, 100_000);
  const err = await failsWith(
    api.readBytes(p, { maxBytes: 99_999 }),
    "READ_TRUNCATED",
    p,
  );
  assertEquals(err.cause, undefined);
  assertMatch(err.message, /maxBytes \(99999\)/);
  Deno.writeFileSync(p, new Uint8Array());
  assertEquals((await api.readBytes(p, { maxBytes: 0 })).length, 0);
  // An endless device: only a bounded read can answer.
  await failsWith(
    api.readBytes("/dev/zero", { maxBytes: 10 }),
    "READ_TRUNCATED",
  );
  await failsWith(
    api.readBytes("/dev/zero", { maxBytes: 0 }),
    "READ_TRUNCATED",
  );
});

Deno.test("readBytes reads no more than maxBytes + 1 bytes", async () => {
  // A pipe that holds exactly 11 bytes and stays open: asking it for more
  // blocks, so only a read bounded by maxBytes + 1 can finish.
  const dir = Deno.makeTempDirSync();
  const fifo = `${dir}/fifo`;
  try {
    assert(
      new Deno.Command("mkfifo", { args: [fifo] }).outputSync().success,
    );
    const reading = s.readBytes(fifo, { maxBytes: 10 }).then(
      () => "no error",
      (e) => e.code,
    );
    const writer = await Deno.open(fifo, { write: true });
    await writer.write(new Uint8Array(11));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const blocked = new Promise((r) => timer = setTimeout(r, 3000, "blocked"));
    const result = await Promise.race([reading, blocked]);
    clearTimeout(timer);
    writer.close();
    await reading;
    assertEquals(result, "READ_TRUNCATED");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

twins(
  "readBytes takes maxBytes + 1 bytes from a pipe that stays open, no more",
  async (api, dir) => {
    // 20 bytes wait in the pipe and the writer keeps it open, so a read past
    // the bound would block; what the read left is there for the next reader.
    const fifo = `${dir}/fifo`;
    mkfifo(fifo);
    const writer = holdPipe(fifo, `${dir}/release`, "0123456789abcdefghij");
    await failsWith(
      api.readBytes(fifo, { maxBytes: 10 }),
      "READ_TRUNCATED",
      fifo,
    );
    const next = Deno.openSync(fifo, { read: true });
    const buf = new Uint8Array(64);
    const n = next.readSync(buf); // the writer is still there: no waiting
    next.close();
    Deno.writeTextFileSync(`${dir}/release`, "");
    assert((await writer.status).success);
    assertEquals(
      new TextDecoder().decode(buf.subarray(0, n ?? 0)),
      "bcdefghij",
    );
  },
);

twins("files whose stat size is 0 (pipes) are read whole", async (api, dir) => {
  const fifo = `${dir}/fifo`;
  assert(new Deno.Command("mkfifo", { args: [fifo] }).outputSync().success);
  for (const maxBytes of [undefined, 1e6]) {
    // Another process writes 200 000 bytes, more than one 64 KiB probe.
    const writer = new Deno.Command("sh", {
      args: ["-c", `head -c 200000 /dev/zero | tr '\\0' a > "$0"`, fifo],
    }).spawn();
    const got = await api.readBytes(fifo, { maxBytes });
    assert((await writer.status).success);
    assertEquals(got.length, 200_000);
    assert(got.every((b) => b === 0x61));
  }
});

// ---------------------------------------------------------------------------
// Queries and removal

twins("exists and size", async (api, dir) => {
  Deno.writeTextFileSync(`${dir}/f`, "abc");
  Deno.mkdirSync(`${dir}/d`);
  Deno.symlinkSync(`${dir}/f`, `${dir}/to-f`);
  Deno.symlinkSync(`${dir}/gone`, `${dir}/dangling`);
  Deno.symlinkSync(`${dir}/loop`, `${dir}/loop`);
  assertEquals(await api.exists(`${dir}/f`), true);
  assertEquals(await api.exists(`${dir}/d`), true);
  assertEquals(await api.exists(`${dir}/to-f`), true);
  assertEquals(await api.exists(`${dir}/dangling`), false);
  assertEquals(await api.exists(`${dir}/missing`), false);
  assertEquals(await api.exists(`${dir}/f/below`), false);
  assertEquals(await api.exists(new URL(`file://${dir}/f`)), true);
  await failsWith(api.exists(`${dir}/loop`), "OPEN_FAIL", `${dir}/loop`);
  // Never cached.
  assertEquals(await api.exists(`${dir}/later`), false);
  Deno.writeTextFileSync(`${dir}/later`, "");
  assertEquals(await api.exists(`${dir}/later`), true);

  assertEquals(await api.size(`${dir}/f`), 3);
  assertEquals(await api.size(`${dir}/to-f`), 3);
  assertEquals(await api.size(`${dir}/later`), 0);
  assertEquals(await api.size(`${dir}/missing`), -1);
  assertEquals(await api.size(`${dir}/dangling`), -1);
  await failsWith(api.size(`${dir}/loop`), "OPEN_FAIL");
});

twins(
  "remove is idempotent and needs recursive for a full directory",
  async (api, dir) => {
    Deno.writeTextFileSync(`${dir}/f`, "x");
    await api.remove(`${dir}/f`);
    assertEquals(await api.exists(`${dir}/f`), false);
    await api.remove(`${dir}/f`);
    await api.remove(`${dir}/f/below`);
    Deno.mkdirSync(`${dir}/empty`);
    await api.remove(`${dir}/empty`);
    Deno.mkdirSync(`${dir}/full/sub`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/full/sub/x`, "x");
    const err = await failsWith(
      api.remove(`${dir}/full`),
      "REMOVE_FAIL",
      `${dir}/full`,
    );
    assert(err.cause instanceof Error);
    assertEquals((err.cause as { code?: string }).code, "ENOTEMPTY");
    assertEquals(Deno.readTextFileSync(`${dir}/full/sub/x`), "x");
    await api.remove(`${dir}/full`, { recursive: true });
    assertEquals(await api.exists(`${dir}/full`), false);
    // A symlink goes, its target stays.
    Deno.writeTextFileSync(`${dir}/t`, "t");
    Deno.symlinkSync(`${dir}/t`, `${dir}/l`);
    await api.remove(`${dir}/l`);
    assertEquals(listing(dir), ["t"]);
  },
);

twins(
  "remove: only a path that is not found counts as missing",
  async (api, dir) => {
    // "f/" and "f/below" for a regular file f fail with ENOTDIR: f exists
    // and is not removed, as Python's os.remove("f/") raises.
    const f = `${dir}/f`;
    Deno.writeTextFileSync(f, "keep");
    for (const p of [`${f}/`, `${f}/below`, `${f}//`]) {
      for (const recursive of [false, true]) {
        const err = await failsWith(
          api.remove(p, { recursive }),
          "REMOVE_FAIL",
          p,
        );
        assert(err.cause instanceof Deno.errors.NotADirectory, p);
        assertMatch(err.message, new RegExp(`remove ${p}`));
        assertEquals(Deno.readTextFileSync(f), "keep", p);
      }
    }
    // The queries keep Python's os.path.exists / getsize answers.
    assertEquals(await api.exists(`${f}/`), false);
    assertEquals(await api.exists(`${f}/below`), false);
    assertEquals(await api.size(`${f}/`), -1);
    assertEquals(await api.size(`${f}/below`), -1);
    // A directory with a trailing slash is removed; a missing one is fine.
    Deno.mkdirSync(`${dir}/d`);
    await api.remove(`${dir}/d/`);
    assertEquals(listing(dir), ["f"]);
    await api.remove(`${dir}/d/`);
    await api.remove(`${dir}/d/below`);
  },
);

// ---------------------------------------------------------------------------
// Errors

twins(
  "OPEN_FAIL and DECODE_FAIL carry the path and the cause",
  async (api, dir) => {
    const missing = `${dir}/missing.txt`;
    for (
      const call of [
        () => api.readFile(missing),
        () => api.readLines(missing),
        () => api.lines(missing),
        () => api.readBytes(missing),
        () => api.readBytes(missing, { maxBytes: 5 }),
      ]
    ) {
      const err = await failsWith(call(), "OPEN_FAIL", missing);
      assert(err.cause instanceof Deno.errors.NotFound);
      assert(err.message.includes(missing));
    }
    const inMissingDir = `${dir}/no/such/dir.txt`;
    for (
      const call of [
        () => api.writeFile(inMissingDir, "x"),
        () => api.writeFile(inMissingDir, "x", { atomic: true }),
        () => api.append(inMissingDir, "x"),
        () => api.appendBytes(inMissingDir, new Uint8Array([1])),
        () => api.writeBytes(inMissingDir, new Uint8Array([1])),
      ]
    ) {
      const err = await failsWith(call(), "OPEN_FAIL", inMissingDir);
      assert(err.cause instanceof Deno.errors.NotFound);
    }
    const isDir = await failsWith(api.readFile(dir), "OPEN_FAIL", dir);
    assertEquals((isDir.cause as { code?: string }).code, "EISDIR");
    await failsWith(api.writeFile(dir, "x"), "OPEN_FAIL", dir);

    const bad = `${dir}/bad.txt`;
    for (
      const bytes of [
        [0xff],
        [0x61, 0xe6, 0x97], // truncated at the end
        [0xc0, 0xaf], // overlong
        [0xed, 0xa0, 0x80], // a UTF-16 surrogate
        [0xef, 0xbf, 0xbd, 0x80], // a real U+FFFD, then a stray byte
      ]
    ) {
      Deno.writeFileSync(bad, new Uint8Array(bytes));
      for (
        const call of [
          () => api.readFile(bad),
          () => api.readLines(bad),
          () => api.lines(bad),
        ]
      ) {
        const err = await failsWith(call(), "DECODE_FAIL", bad);
        assert(err.cause instanceof TypeError, String(err.cause));
      }
    }
  },
);

// ---------------------------------------------------------------------------
// Writing bytes: what is written, and what is refused before any I/O

twins(
  "short writes are resumed until every byte is written",
  async (api, dir) => {
    // Every write takes at most 3 bytes, as POSIX allows (a signal, a pipe, a
    // nearly full disk): only a loop over the rest writes the whole buffer.
    const file = Deno.FsFile.prototype;
    const { write, writeSync } = file;
    using w = stub(file, "write", function (this: Deno.FsFile, p: Uint8Array) {
      return write.call(this, p.subarray(0, 3));
    });
    using ws = stub(
      file,
      "writeSync",
      function (this: Deno.FsFile, p: Uint8Array) {
        return writeSync.call(this, p.subarray(0, 3));
      },
    );
    const writes = () => w.calls.length + ws.calls.length;
    const data = new Uint8Array(1000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256;
    const twice = new Uint8Array([...data, ...data]);
    for (const atomic of [false, true]) {
      const p = `${dir}/short-${atomic}.bin`;
      let before = writes();
      await api.writeBytes(p, data, { atomic });
      assert(sameBytes(Deno.readFileSync(p), data), `writeBytes ${atomic}`);
      assertEquals(writes() - before, Math.ceil(data.length / 3));
      before = writes();
      await api.appendBytes(p, data);
      assert(sameBytes(Deno.readFileSync(p), twice), "appendBytes");
      assertEquals(writes() - before, Math.ceil(data.length / 3));
    }
    // The text writers share the loop: the body and its final "\n".
    await api.writeFile(`${dir}/t.txt`, "héllo, world", { atomic: true });
    await api.append(`${dir}/t.txt`, "and more 😀");
    await api.writeLines(`${dir}/l.txt`, ["one", "two", "three"]);
    await api.appendLines(`${dir}/l.txt`, ["four"]);
    assertEquals(
      Deno.readTextFileSync(`${dir}/t.txt`),
      "héllo, worldand more 😀\n",
    );
    assertEquals(
      Deno.readTextFileSync(`${dir}/l.txt`),
      "one\ntwo\nthree\nfour\n",
    );
  },
);

/** Every function that writes bytes it is given, as (path, data) calls. */
function byteWriters(
  api: Api,
): [string, (p: string, d: Uint8Array) => Promise<void>][] {
  return [
    ["writeBytes", (p, d) => api.writeBytes(p, d)],
    ["writeBytes atomic", (p, d) => api.writeBytes(p, d, { atomic: true })],
    ["appendBytes", (p, d) => api.appendBytes(p, d)],
  ];
}

/** The call's failure, whether thrown at once or as a rejection. */
function failure(call: () => Promise<unknown>): Promise<unknown> {
  return new Promise((r) => r(call())).then(() => "no error", (e) => e);
}

twins(
  "only a real Uint8Array is written, checked before the file is touched",
  async (api, dir) => {
    const p = `${dir}/keep.bin`;
    const fakes: [string, unknown][] = [
      ["a Proxy around a Uint8Array", new Proxy(new Uint8Array([65]), {})],
      ["an object tagged Uint8Array", {
        [Symbol.toStringTag]: "Uint8Array",
        length: 1,
        0: 65,
      }],
      [
        "an object whose prototype is Uint8Array's",
        Object.create(Uint8Array.prototype),
      ],
      ["a Uint8ClampedArray", new Uint8ClampedArray([65])],
      ["a DataView", new DataView(new ArrayBuffer(1))],
      ["an ArrayBuffer", new ArrayBuffer(1)],
    ];
    for (const [name, write] of byteWriters(api)) {
      for (const [what, fake] of fakes) {
        Deno.writeTextFileSync(p, "keep me\n");
        const err = await failure(() => write(p, fake as Uint8Array));
        assert(err instanceof TypeError, `${name}, ${what}: ${err}`);
        assertMatch(
          err.message,
          /^(writeBytes|appendBytes)(Sync)?: data must be a Uint8Array/,
        );
        assertEquals(Deno.readTextFileSync(p), "keep me\n", `${name}, ${what}`);
        assertEquals(listing(dir), ["keep.bin"]);
      }
    }
    // A subclass is a real Uint8Array, and its own methods do not matter.
    class Tagged extends Uint8Array {
      override subarray(): Uint8Array<ArrayBuffer> {
        throw new Error("a subclass method ran");
      }
    }
    for (const [name, write] of byteWriters(api)) {
      Deno.removeSync(p);
      await write(p, new Tagged(new Uint8Array([1, 2, 3]).buffer, 1, 2));
      assertEquals(Deno.readFileSync(p), new Uint8Array([2, 3]), name);
    }
  },
);

twins(
  "a write that makes no progress throws rather than looping",
  async (api, dir) => {
    const file = Deno.FsFile.prototype;
    using _w = stub(file, "write", () => Promise.resolve(0));
    using _ws = stub(file, "writeSync", () => 0);
    const p = `${dir}/f.bin`;
    const calls: [string, () => Promise<void>][] = [
      ...byteWriters(api).map((
        [name, write],
      ): [string, () => Promise<void>] => [
        name,
        () => write(p, new Uint8Array(8)),
      ]),
      ["writeFile", () => api.writeFile(p, "x")],
      ["writeFile atomic", () => api.writeFile(p, "x", { atomic: true })],
      ["append", () => api.append(p, "x")],
      ["appendLines", () => api.appendLines(p, ["x"])],
    ];
    for (const [name, call] of calls) {
      const err = await failsWith(call(), "OPEN_FAIL", p);
      assert(err.cause instanceof Deno.errors.WriteZero, name);
      assertMatch(err.message, /made no progress/, name);
    }
  },
);

Deno.test("a Uint8Array subclass that lies about its length is written as it is", async () => {
  // A subclass whose `length` says 4 while it holds 1 byte: a loop on its
  // length would retry zero-byte writes forever, so this runs in a child
  // that is killed if it hangs.
  const dir = Deno.makeTempDirSync();
  try {
    const code = `
      import * as s from "${MODULE_URL}";
      const [dir] = Deno.args;
      class Liar extends Uint8Array { get length() { return 4; } }
      const data = () => new Liar([7]);
      s.writeBytesSync(dir + "/a", data());
      await s.writeBytes(dir + "/b", data(), { atomic: true });
      s.writeBytesSync(dir + "/c", data(), { atomic: true });
      await s.appendBytes(dir + "/d", data());
      s.appendBytesSync(dir + "/e", data());
      console.log("done");
    `;
    const out = await childOrKill(dir, code, 10_000, [dir]);
    assertEquals(new TextDecoder().decode(out.stdout), "done\n", "it hung");
    for (const name of ["a", "b", "c", "d", "e"]) {
      assertEquals(Deno.readFileSync(`${dir}/${name}`), new Uint8Array([7]));
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------
// Paths

/** Every public function that takes a path, called with `path`. */
function everyFunction(path: string): [string, () => unknown][] {
  const one = new Uint8Array(1);
  return [
    ["readFile", () => s.readFile(path)],
    ["readFileSync", () => s.readFileSync(path)],
    ["writeFile", () => s.writeFile(path, "x")],
    ["writeFileSync", () => s.writeFileSync(path, "x", { atomic: true })],
    ["append", () => s.append(path, "x")],
    ["appendSync", () => s.appendSync(path, "x")],
    ["appendLines", () => s.appendLines(path, ["x"])],
    ["appendLinesSync", () => s.appendLinesSync(path, ["x"])],
    ["readLines", () => s.readLines(path)],
    ["readLinesSync", () => s.readLinesSync(path)],
    ["writeLines", () => s.writeLines(path, ["x"], { atomic: true })],
    ["writeLinesSync", () => s.writeLinesSync(path, ["x"])],
    ["lines", () => s.lines(path)],
    ["linesSync", () => s.linesSync(path)],
    ["readBytes", () => s.readBytes(path)],
    ["readBytesSync", () => s.readBytesSync(path, { maxBytes: 1 })],
    ["writeBytes", () => s.writeBytes(path, one)],
    ["writeBytesSync", () => s.writeBytesSync(path, one)],
    ["appendBytes", () => s.appendBytes(path, one)],
    ["appendBytesSync", () => s.appendBytesSync(path, one)],
    ["exists", () => s.exists(path)],
    ["existsSync", () => s.existsSync(path)],
    ["size", () => s.size(path)],
    ["sizeSync", () => s.sizeSync(path)],
    ["remove", () => s.remove(path)],
    ["removeSync", () => s.removeSync(path)],
    ["available", () => s.available(path)],
  ];
}

Deno.test("the empty path is a TypeError naming the function, from every function", async () => {
  // In this process (global grants, where available("") was true) and in a
  // child under path-scoped grants (where Deno's own "Empty path is not
  // allowed" came through).
  for (const [fn, call] of everyFunction("")) {
    const err = assertThrows(call, TypeError, undefined, fn);
    assertEquals(err.message, `${fn}: path must not be empty`);
  }
  const dir = Deno.makeTempDirSync();
  try {
    const code = `
      import * as s from "${MODULE_URL}";
      const out = {};
      for (const [fn, call] of [
        ["available", () => s.available("")],
        ["append", () => s.append("", "x")],
        ["appendSync", () => s.appendSync("", "x")],
        ["readFile", () => s.readFile("")],
      ]) {
        try { await call(); out[fn] = "no error"; }
        catch (e) { out[fn] = e.name + ": " + e.message; }
      }
      console.log(JSON.stringify(out));
    `;
    const result = await child(dir, code, [
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
    ]);
    assert(result.success, new TextDecoder().decode(result.stderr));
    assertEquals(JSON.parse(new TextDecoder().decode(result.stdout)), {
      available: "TypeError: available: path must not be empty",
      append: "TypeError: append: path must not be empty",
      appendSync: "TypeError: appendSync: path must not be empty",
      readFile: "TypeError: readFile: path must not be empty",
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test('a path ending in "/" never reaches the file, whatever the flags', async () => {
  // Under path-scoped flags Deno drops the final "/" before opening, so
  // Deno.open("f/") opens the regular file f; the OS (and -A) say ENOTDIR.
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/f`, "keep\n");
    const code = `
      import * as s from "${MODULE_URL}";
      const [dir] = Deno.args;
      const one = new Uint8Array(1);
      const out = {};
      for (const [fn, call] of Object.entries({
        readFile: () => s.readFile(dir + "/f/"),
        readLinesSync: () => s.readLinesSync(dir + "/f/."),
        lines: () => s.lines(dir + "/f/").next(),
        readBytes: () => s.readBytes(dir + "/f/"),
        writeFile: () => s.writeFile(dir + "/f/", "x"),
        writeFileAtomic: () => s.writeFileSync(dir + "/f/", "x", { atomic: true }),
        writeBytes: () => s.writeBytes(dir + "/f/.", one),
        append: () => s.append(dir + "/f/", "x"),
        appendLines: () => s.appendLinesSync(dir + "/f/", ["x"]),
        appendBytes: () => s.appendBytes(dir + "/f/", one),
      })) {
        try { await call(); out[fn] = "no error"; }
        catch (e) { out[fn] = e.code; }
      }
      console.log(JSON.stringify(out));
    `;
    for (
      const flags of [[`--allow-read=${dir}`, `--allow-write=${dir}`], ["-A"]]
    ) {
      const result = await child(dir, code, flags, [dir]);
      assert(result.success, new TextDecoder().decode(result.stderr));
      const out = JSON.parse(new TextDecoder().decode(result.stdout));
      for (const [fn, code] of Object.entries(out)) {
        assertEquals(code, "OPEN_FAIL", `${fn} under ${flags.join(" ")}`);
      }
      assertEquals(Object.keys(out).length, 10);
      assertEquals(Deno.readTextFileSync(`${dir}/f`), "keep\n");
      assertEquals(listing(dir).filter((n) => !n.startsWith("child_")), ["f"]);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

twins(
  "a text too long for one string is READ_TRUNCATED naming lines(), before it is read",
  async (api, dir) => {
    // 560 MiB of holes: more bytes than one TextDecoder call takes. The
    // size alone decides, so nothing is read (and no memory taken).
    const p = `${dir}/huge.txt`;
    using file = Deno.openSync(p, { write: true, create: true });
    file.truncateSync(560 * 1024 ** 2);
    for (const call of [() => api.readFile(p), () => api.readLines(p)]) {
      const t0 = performance.now();
      const err = await failsWith(call(), "READ_TRUNCATED", p);
      assert(performance.now() - t0 < 2000, "the file was read");
      assertMatch(
        err.message,
        /^read(File|Lines)(Sync)?: .*huge\.txt holds a text longer than one string can hold/,
      );
      assertMatch(err.message, /lines\(\)/);
    }
    // Bytes have no such limit, and lines() streams (the first line is all
    // NULs, so only its start is looked at here).
    assertEquals(
      (await api.readBytes(p, { maxBytes: 10 }).catch((e) => e)).code,
      "READ_TRUNCATED",
    );
  },
);

twins(
  "a file larger than any buffer is READ_TRUNCATED naming the file, not a bare RangeError",
  async (api, dir) => {
    // fstat reports more bytes than a typed array can have.
    const p = `${dir}/f.bin`;
    Deno.writeTextFileSync(p, "small");
    const file = Deno.FsFile.prototype;
    const { stat, statSync } = file;
    const huge = (info: Deno.FileInfo) => ({ ...info, size: 2 ** 53 - 1 });
    using _a = stub(file, "stat", async function (this: Deno.FsFile) {
      return huge(await stat.call(this));
    });
    using _s = stub(file, "statSync", function (this: Deno.FsFile) {
      return huge(statSync.call(this));
    });
    const err = await failsWith(api.readBytes(p), "READ_TRUNCATED", p);
    assert(err.cause instanceof RangeError);
    assertMatch(
      err.message,
      /^readBytes(Sync)?: .*f\.bin is larger \(9007199254740991 bytes\) than one buffer can hold/,
    );
    // With maxBytes the bound is what is allocated: no error but the limit's.
    await failsWith(api.readBytes(p, { maxBytes: 2 }), "READ_TRUNCATED", p);
    assertEquals(await api.readBytes(p, { maxBytes: 10 }), bytesOf("small"));
  },
);

// ---------------------------------------------------------------------------
// Options

twins(
  "an unknown option is a TypeError naming it, and nothing is written",
  async (api, dir) => {
    const p = `${dir}/f.txt`;
    Deno.writeTextFileSync(p, "old\n");
    const cases: [() => Promise<unknown>, RegExp][] = [
      // Deno's writeTextFile appends with this; here it would have replaced.
      [
        () => api.writeFile(p, "x", { append: true } as never),
        /unknown option "append"; to append, call append\(\), appendLines\(\) or appendBytes\(\)/,
      ],
      [
        () => api.writeLines(p, ["x"], { atmoic: true } as never),
        /unknown option "atmoic" \(valid options: atomic, mode\)/,
      ],
      [
        () => api.writeBytes(p, new Uint8Array(1), { create: false } as never),
        /unknown option "create"/,
      ],
      [
        () => api.writeFile(p, "x", { Atomic: true } as never),
        /did you mean "atomic"\?/,
      ],
      [
        () => api.readBytes(p, { max_bytes: 1 } as never),
        /unknown option "max_bytes"; did you mean "maxBytes"\?/,
      ],
      [
        () => api.remove(p, { recursive: true, force: true } as never),
        /unknown option "force" \(valid options: recursive\)/,
      ],
    ];
    for (const [call, message] of cases) {
      const err = await failure(call);
      assert(err instanceof TypeError, String(err));
      assertMatch(err.message, message);
      assertMatch(
        err.message,
        /^(writeFile|writeLines|writeBytes|readBytes|remove)(Sync)?: /,
      );
    }
    assertEquals(Deno.readTextFileSync(p), "old\n");
  },
);

Deno.test("bad arguments throw at once, naming the function", () => {
  const p = "/nonexistent/x";
  const cases: [() => unknown, ErrorConstructor, RegExp][] = [
    [() => s.readFile(1 as never), TypeError, /^readFile: path/],
    [() => s.readFileSync(null as never), TypeError, /^readFileSync: path/],
    [() => s.readLines(new URL("https://x/")), TypeError, /^readLines: path/],
    [() => s.readLinesSync("a\0b"), TypeError, /^readLinesSync: path/],
    [() => s.lines(undefined as never), TypeError, /^lines: path/],
    [() => s.linesSync({} as never), TypeError, /^linesSync: path/],
    [() => s.writeFile(p, 5 as never), TypeError, /^writeFile: data/],
    [
      () => s.writeFileSync(p, "\ud800"),
      TypeError,
      /^writeFileSync: data .*surrogate/,
    ],
    [() => s.writeFile(p, "x", 5 as never), TypeError, /^writeFile: options/],
    [
      () => s.writeFile(p, "x", null as never),
      TypeError,
      /^writeFile: options/,
    ],
    [
      () => s.writeFile(p, "x", { atomic: 1 as never }),
      TypeError,
      /options.atomic/,
    ],
    [
      () => s.writeFileSync(p, "x", { mode: 1.5 }),
      TypeError,
      /^writeFileSync: options.mode/,
    ],
    [
      () => s.writeFileSync(p, "x", { mode: "644" as never }),
      TypeError,
      /options.mode/,
    ],
    [
      () => s.writeFile(p, "x", { mode: -1 }),
      RangeError,
      /^writeFile: options.mode/,
    ],
    [
      () => s.writeFile(p, "x", { mode: 0o10000 }),
      RangeError,
      /options.mode/,
    ],
    [() => s.append(p, 1 as never), TypeError, /^append: data/],
    [() => s.appendSync(p, "\udc00x"), TypeError, /^appendSync: data/],
    [() => s.writeLines(p, "ab" as never), TypeError, /^writeLines: lines/],
    [() => s.writeLines(p, 3 as never), TypeError, /^writeLines: lines/],
    [() => s.writeLinesSync(p, ["a", 1 as never]), TypeError, /lines\[1\]/],
    [
      () => s.writeLinesSync(p, ["a", "b\nc"]),
      TypeError,
      /^writeLinesSync: lines\[1\] contains/,
    ],
    [
      () => s.writeLines(p, ["a\r"]),
      TypeError,
      /^writeLines: lines\[0\] ends in/,
    ],
    [
      () => s.readBytes(p, { maxBytes: -1 }),
      RangeError,
      /^readBytes: options.maxBytes/,
    ],
    [
      () => s.readBytesSync(p, { maxBytes: 1.5 }),
      TypeError,
      /^readBytesSync: options.maxBytes/,
    ],
    [() => s.readBytes(p, { maxBytes: Infinity }), TypeError, /maxBytes/],
    [() => s.readBytes(p, { maxBytes: "1" as never }), TypeError, /maxBytes/],
    [() => s.writeBytes(p, "x" as never), TypeError, /^writeBytes: data/],
    [
      () => s.writeBytesSync(p, [1] as never),
      TypeError,
      /^writeBytesSync: data/,
    ],
    [
      () => s.appendBytes(p, new ArrayBuffer(1) as never),
      TypeError,
      /^appendBytes: data/,
    ],
    [
      () => s.appendBytesSync(p, null as never),
      TypeError,
      /^appendBytesSync: data/,
    ],
    [() => s.exists(1 as never), TypeError, /^exists: path/],
    [() => s.existsSync(1 as never), TypeError, /^existsSync: path/],
    [() => s.size(1 as never), TypeError, /^size: path/],
    [() => s.sizeSync(1 as never), TypeError, /^sizeSync: path/],
    [() => s.remove(1 as never), TypeError, /^remove: path/],
    [
      () => s.removeSync(p, { recursive: "yes" as never }),
      TypeError,
      /^removeSync: options.recursive/,
    ],
    [() => s.available(1 as never), TypeError, /^available: path/],
  ];
  for (const [call, type, message] of cases) {
    const err = assertThrows(call, type, undefined, String(call));
    assertMatch(err.message, message, String(call));
  }
});

// ---------------------------------------------------------------------------
// Other processes

Deno.test("OS permission denial is OPEN_FAIL or REMOVE_FAIL with the cause, in both twins", async (t) => {
  const wrap = await unprivilegedOrSkip(t);
  if (wrap === undefined) return;
  const dir = Deno.makeTempDirSync();
  try {
    const locked = `${dir}/locked`; // mode 000: no reading, no writing
    const ro = `${dir}/ro.txt`; // mode 444: reading only
    const roDir = `${dir}/ro-dir`; // mode 555: no creating or removing inside
    const closed = `${dir}/closed`; // mode 000: cannot even be searched
    Deno.writeTextFileSync(locked, "locked\n");
    Deno.writeTextFileSync(ro, "ro\n");
    Deno.mkdirSync(roDir);
    Deno.writeTextFileSync(`${roDir}/f.txt`, "in ro-dir\n");
    Deno.mkdirSync(closed);
    Deno.writeTextFileSync(`${closed}/f.txt`, "hidden\n");
    Deno.chmodSync(locked, 0o000);
    Deno.chmodSync(ro, 0o444);
    Deno.chmodSync(roDir, 0o555);
    Deno.chmodSync(closed, 0o000);
    const code = `
      import * as s from "${MODULE_URL}";
      const [locked, ro, roDir, closed] = Deno.args;
      const one = new Uint8Array([1]);
      const out = {};
      // Control: the child really is unprivileged.
      try { Deno.readTextFileSync(locked); out.control = "read"; }
      catch (e) { out.control = e.constructor.name; }
      // name: [call, the path it is given, the function the message names]
      const calls = {
        readFile: [() => s.readFile(locked), locked],
        readFileSync: [() => s.readFileSync(locked), locked],
        readLines: [() => s.readLines(locked), locked],
        readLinesSync: [() => s.readLinesSync(locked), locked],
        lines: [() => s.lines(locked).next(), locked],
        linesSync: [() => s.linesSync(locked).next(), locked],
        readBytes: [() => s.readBytes(locked, { maxBytes: 3 }), locked],
        readBytesSync: [() => s.readBytesSync(locked), locked],
        writeFile: [() => s.writeFile(ro, "x"), ro],
        writeFileSync: [() => s.writeFileSync(locked, "x"), locked],
        writeLines: [() => s.writeLines(ro, ["x"]), ro],
        writeLinesSync: [() => s.writeLinesSync(ro, ["x"]), ro],
        writeBytes: [() => s.writeBytes(ro, one), ro],
        writeBytesSync: [() => s.writeBytesSync(ro, one), ro],
        append: [() => s.append(ro, "x"), ro],
        appendSync: [() => s.appendSync(ro, "x"), ro],
        appendBytes: [() => s.appendBytes(ro, one), ro],
        appendBytesSync: [() => s.appendBytesSync(locked, one), locked],
        atomic: [() => s.writeFile(roDir + "/f.txt", "x", { atomic: true }),
          roDir + "/f.txt", "writeFile"],
        atomicSync: [() => s.writeBytesSync(roDir + "/new", one, { atomic: true }),
          roDir + "/new", "writeBytesSync"],
        newFile: [() => s.writeLines(roDir + "/new", ["x"]), roDir + "/new", "writeLines"],
        newFileSync: [() => s.appendBytesSync(roDir + "/new", one), roDir + "/new",
          "appendBytesSync"],
        exists: [() => s.exists(closed + "/f.txt"), closed + "/f.txt"],
        existsSync: [() => s.existsSync(closed + "/f.txt"), closed + "/f.txt"],
        size: [() => s.size(closed + "/f.txt"), closed + "/f.txt"],
        sizeSync: [() => s.sizeSync(closed + "/f.txt"), closed + "/f.txt"],
        remove: [() => s.remove(roDir + "/f.txt"), roDir + "/f.txt"],
        removeSync: [() => s.removeSync(roDir + "/f.txt"), roDir + "/f.txt"],
      };
      for (const [name, [call, path, fn = name]] of Object.entries(calls)) {
        try { await call(); out[name] = "no error"; }
        catch (e) {
          out[name] = [e.code, e.path === path, e.message.startsWith(fn + ": "),
            e.cause?.constructor?.name];
        }
      }
      console.log(JSON.stringify(out));
    `;
    const result = await child(
      dir,
      code,
      ["--allow-read", "--allow-write"],
      [locked, ro, roDir, closed],
      wrap,
    );
    assert(result.success, new TextDecoder().decode(result.stderr));
    const out = JSON.parse(new TextDecoder().decode(result.stdout));
    assertEquals(out.control, "PermissionDenied", "the child is privileged");
    delete out.control;
    const expected: Record<string, unknown> = {};
    for (const name of Object.keys(out)) {
      expected[name] = [
        name.startsWith("remove") ? "REMOVE_FAIL" : "OPEN_FAIL",
        true,
        true,
        "PermissionDenied",
      ];
    }
    assertEquals(Object.keys(expected).length, 28);
    assertEquals(out, expected);
    // Nothing changed.
    Deno.chmodSync(locked, 0o600);
    Deno.chmodSync(closed, 0o700);
    Deno.chmodSync(roDir, 0o755);
    assertEquals(Deno.readTextFileSync(locked), "locked\n");
    assertEquals(Deno.readTextFileSync(ro), "ro\n");
    assertEquals(listing(roDir), ["f.txt"]);
    assertEquals(Deno.readTextFileSync(`${roDir}/f.txt`), "in ro-dir\n");
  } finally {
    for (const p of [dir, `${dir}/closed`, `${dir}/ro-dir`]) {
      try {
        Deno.chmodSync(p, 0o700);
      } catch {
        // gone already
      }
    }
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("sandbox denial is NOT_WIRED and names the flag", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    // ro: read only; wo: write only; hidden: neither; rw: both.
    for (const sub of ["ro", "wo", "hidden", "rw"]) {
      Deno.mkdirSync(`${dir}/${sub}`);
      Deno.writeTextFileSync(`${dir}/${sub}/f.txt`, "x");
    }
    // A link inside the grant to a file outside it.
    Deno.symlinkSync(`${dir}/hidden/f.txt`, `${dir}/rw/out`);
    const code = `
      import * as s from "${MODULE_URL}";
      const [ro, wo, hidden, rw] = Deno.args;
      const one = new Uint8Array(1);
      const out = {};
      // name: [call, the path it is given]
      const calls = {
        writeFile: [(p) => s.writeFile(p, "y"), ro + "/f.txt"],
        writeFileSync: [(p) => s.writeFileSync(p, "y"), ro + "/f.txt"],
        atomic: [(p) => s.writeFile(p, "y", { atomic: true }), ro + "/f.txt"],
        atomicSync: [(p) => s.writeFileSync(p, "y", { atomic: true }), ro + "/f.txt"],
        writeLines: [(p) => s.writeLines(p, ["y"]), ro + "/f.txt"],
        writeLinesSync: [(p) => s.writeLinesSync(p, ["y"]), ro + "/f.txt"],
        writeBytes: [(p) => s.writeBytes(p, one), ro + "/f.txt"],
        writeBytesSync: [(p) => s.writeBytesSync(p, one), ro + "/f.txt"],
        append: [(p) => s.append(p, "y"), ro + "/f.txt"],
        appendSync: [(p) => s.appendSync(p, "y"), ro + "/f.txt"],
        appendLines: [(p) => s.appendLines(p, ["y"]), ro + "/f.txt"],
        appendLinesSync: [(p) => s.appendLinesSync(p, ["y"]), ro + "/f.txt"],
        appendBytes: [(p) => s.appendBytes(p, one), ro + "/f.txt"],
        appendBytesSync: [(p) => s.appendBytesSync(p, one), ro + "/f.txt"],
        remove: [(p) => s.remove(p), ro + "/f.txt"],
        removeSync: [(p) => s.removeSync(p), ro + "/f.txt"],
        readFile: [(p) => s.readFile(p), hidden + "/f.txt"],
        readFileSync: [(p) => s.readFileSync(p), hidden + "/f.txt"],
        readLines: [(p) => s.readLines(p), hidden + "/f.txt"],
        readLinesSync: [(p) => s.readLinesSync(p), hidden + "/f.txt"],
        readBytes: [(p) => s.readBytes(p), hidden + "/f.txt"],
        readBytesSync: [(p) => s.readBytesSync(p, { maxBytes: 9 }), hidden + "/f.txt"],
        lines: [(p) => s.lines(p).next(), hidden + "/f.txt"],
        linesSync: [(p) => s.linesSync(p).next(), hidden + "/f.txt"],
        exists: [(p) => s.exists(p), hidden + "/f.txt"],
        existsSync: [(p) => s.existsSync(p), hidden + "/f.txt"],
        size: [(p) => s.size(p), hidden + "/nothing"],
        sizeSync: [(p) => s.sizeSync(p), hidden + "/nothing"],
        // Write is granted; the reads these make on their own account are not.
        appendWo: [(p) => s.append(p, "y"), wo + "/f.txt"],
        appendSyncWo: [(p) => s.appendSync(p, ""), wo + "/new.txt"],
        appendLinesWo: [(p) => s.appendLines(p, []), wo + "/new.txt"],
        appendLinesSyncWo: [(p) => s.appendLinesSync(p, ["y"]), wo + "/f.txt"],
        atomicWo: [(p) => s.writeFile(p, "y", { atomic: true }), wo + "/f.txt"],
        atomicSyncWo: [(p) => s.writeBytesSync(p, one, { atomic: true }), wo + "/new.bin"],
        atomicThroughLink: [(p) => s.writeFile(p, "y", { atomic: true }), rw + "/out"],
        atomicSyncThroughLink: [(p) => s.writeLinesSync(p, ["y"], { atomic: true }), rw + "/out"],
      };
      for (const [name, [call, path]] of Object.entries(calls)) {
        try { await call(path); out[name] = "no error"; }
        catch (e) {
          out[name] = { code: e.code, path: e.path, message: e.message,
            cause: e.cause?.constructor?.name, given: path };
        }
      }
      out.readOk = await s.readFile(ro + "/f.txt");
      // Plain writes and byte appends need write permission only.
      s.writeFileSync(wo + "/f.txt", "plain");
      await s.appendBytes(wo + "/f.txt", new Uint8Array([0x21]));
      await s.writeFile(rw + "/f.txt", "atomic", { atomic: true });
      s.appendSync(rw + "/f.txt", "more");
      out.atomicOk = await s.readFile(rw + "/f.txt");
      out.availableRw = s.available(rw);
      out.availableRo = s.available(ro);
      out.availableWo = s.available(wo);
      out.availableHidden = s.available(hidden);
      console.log(JSON.stringify(out));
    `;
    const result = await child(dir, code, [
      `--allow-read=${dir}/ro,${dir}/rw`,
      `--allow-write=${dir}/rw,${dir}/wo`,
    ], [`${dir}/ro`, `${dir}/wo`, `${dir}/hidden`, `${dir}/rw`]);
    const stderr = new TextDecoder().decode(result.stderr);
    assert(result.success, stderr);
    const out = JSON.parse(new TextDecoder().decode(result.stdout));
    const ro = `${dir}/ro/f.txt`;
    const hidden = `${dir}/hidden/f.txt`;
    // name: [the flag's kind, its target, the function the message names]
    const expect: Record<string, [string, string, string]> = {
      writeFile: ["write", ro, "writeFile"],
      writeFileSync: ["write", ro, "writeFileSync"],
      // The temporary file's directory:
      atomic: ["write", `${dir}/ro`, "writeFile"],
      atomicSync: ["write", `${dir}/ro`, "writeFileSync"],
      writeLines: ["write", ro, "writeLines"],
      writeLinesSync: ["write", ro, "writeLinesSync"],
      writeBytes: ["write", ro, "writeBytes"],
      writeBytesSync: ["write", ro, "writeBytesSync"],
      append: ["write", ro, "append"],
      appendSync: ["write", ro, "appendSync"],
      appendLines: ["write", ro, "appendLines"],
      appendLinesSync: ["write", ro, "appendLinesSync"],
      appendBytes: ["write", ro, "appendBytes"],
      appendBytesSync: ["write", ro, "appendBytesSync"],
      remove: ["write", ro, "remove"],
      removeSync: ["write", ro, "removeSync"],
      readFile: ["read", hidden, "readFile"],
      readFileSync: ["read", hidden, "readFileSync"],
      readLines: ["read", hidden, "readLines"],
      readLinesSync: ["read", hidden, "readLinesSync"],
      readBytes: ["read", hidden, "readBytes"],
      readBytesSync: ["read", hidden, "readBytesSync"],
      lines: ["read", hidden, "lines"],
      linesSync: ["read", hidden, "linesSync"],
      exists: ["read", hidden, "exists"],
      existsSync: ["read", hidden, "existsSync"],
      size: ["read", `${dir}/hidden/nothing`, "size"],
      sizeSync: ["read", `${dir}/hidden/nothing`, "sizeSync"],
      // The flag names the directory granted for writing, not the file.
      appendWo: ["read", `${dir}/wo`, "append"],
      appendSyncWo: ["read", `${dir}/wo`, "appendSync"],
      appendLinesWo: ["read", `${dir}/wo`, "appendLines"],
      appendLinesSyncWo: ["read", `${dir}/wo`, "appendLinesSync"],
      atomicWo: ["read", `${dir}/wo`, "writeFile"],
      atomicSyncWo: ["read", `${dir}/wo`, "writeBytesSync"],
      atomicThroughLink: ["read", hidden, "writeFile"], // the link's target
      atomicSyncThroughLink: ["read", hidden, "writeLinesSync"],
    };
    assertEquals(
      Object.keys(out).slice(0, Object.keys(expect).length),
      Object.keys(expect),
    );
    for (const [name, [kind, target, fn]] of Object.entries(expect)) {
      const got = out[name];
      const what = `${name}: ${JSON.stringify(got)}`;
      assertEquals(got.code, "NOT_WIRED", what);
      assertEquals(got.cause, "NotCapable", what);
      // The path is the one the caller gave, whatever the flag names.
      assertEquals(got.path, got.given, what);
      // One vocabulary: `fn: <kind> access to "<path>" is not granted
      // (why); run again with --allow-<kind>=<dir>`.
      assertMatch(
        got.message,
        new RegExp(
          `^${fn}: ${kind} access to ".+" is not granted.*; run again with --allow-${kind}=`,
        ),
        what,
      );
      const flag = got.message.match(/--allow-[a-z]+(=\S*)?/)?.[0];
      assertEquals(flag, `--allow-${kind}=${target}`, what);
    }
    assertEquals(out.readOk, "x");
    assertEquals(Deno.readTextFileSync(`${dir}/wo/f.txt`), "plain\n!");
    assertEquals(out.atomicOk, "atomicmore");
    assertEquals(out.availableRw, true);
    assertEquals(listing(`${dir}/rw`), ["f.txt", "out"]);
    assertEquals(listing(`${dir}/wo`), ["f.txt"]);
    assertEquals(out.availableRo, false);
    assertEquals(out.availableWo, false);
    assertEquals(out.availableHidden, false);
    for (const sub of ["ro", "hidden"]) {
      assertEquals(Deno.readTextFileSync(`${dir}/${sub}/f.txt`), "x");
      assertEquals(listing(`${dir}/${sub}`), ["f.txt"]);
    }
    assertEquals(s.available(dir), true);
    assertEquals(s.available(), true);

    // With --allow-read, Deno still reserves /proc/self to --allow-all.
    const proc = await child(
      dir,
      `
      import {
  readBytes,
} from "${MODULE_URL}";
      await readBytes("/proc/self/status").catch((e) =>
        console.log(JSON.stringify({ code: e.code, message: e.message })));
    `,
      ["--allow-read"],
    );
    const procOut = JSON.parse(new TextDecoder().decode(proc.stdout));
    assertEquals(procOut.code, "NOT_WIRED");
    assertMatch(procOut.message, /run again with --allow-all$/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("no prompt on a terminal: append, atomic writes, available and reads under scoped flags", async (t) => {
  if (!have("script") || !have("timeout")) {
    await t.step({ name: "skipped: no script(1)", ignore: true, fn() {} });
    return;
  }
  const dir = Deno.makeTempDirSync();
  try {
    const w = `${dir}/w`; // write only
    const rw = `${dir}/rw`; // read and write
    Deno.mkdirSync(w);
    Deno.mkdirSync(rw);
    Deno.writeTextFileSync(`${w}/old.txt`, "old\n");
    Deno.writeTextFileSync(`${rw}/f.txt`, "f\n");
    const script = `${dir}/noprompt.ts`;
    Deno.writeTextFileSync(
      script,
      `import * as s from "${MODULE_URL}";
const [w, rw] = Deno.args;
const out = {};
async function attempt(name, call) {
  try { await call(); out[name] = "ok"; }
  catch (e) { out[name] = e.code + " " + e.message; }
}
await attempt("append", () => s.append(w + "/a.txt", "x"));
await attempt("appendSync", () => s.appendSync(w + "/old.txt", "x"));
await attempt("atomic", () => s.writeFile(w + "/old.txt", "x", { atomic: true }));
await attempt("atomicSync", () => s.writeBytesSync(w + "/b.bin", new Uint8Array(1), { atomic: true }));
await attempt("appendLines", () => s.appendLines(w + "/a.txt", ["x"]));
out.available = [s.available(w), s.available(rw), s.available("/"), s.available()];
await attempt("plainWrite", () => s.writeFile(w + "/c.txt", "x"));
await attempt("appendBytes", () => s.appendBytesSync(w + "/c.txt", new Uint8Array(1)));
await attempt("removeW", () => s.remove(w + "/c.txt"));
await attempt("read", async () => { out.text = await s.readFile(rw + "/f.txt"); });
await attempt("readSync", () => { out.lines = s.readLinesSync(rw + "/f.txt"); });
await attempt("appendRw", () => s.append(rw + "/f.txt", "g"));
await attempt("atomicRw", () => s.writeFile(rw + "/h.txt", "h", { atomic: true }));
await attempt("removeRw", () => s.removeSync(rw + "/f.txt/"));
console.log("RESULT " + JSON.stringify(out));
`,
    );
    const control = `${dir}/control.ts`;
    Deno.writeTextFileSync(
      control,
      `console.log(Deno.readTextFileSync(${
        JSON.stringify(`${w}/old.txt`)
      }));\n`,
    );
    // No --no-prompt: under a pseudo-terminal a prompt would wait for an
    // answer until `timeout` kills it.
    const pty = denoUnderPty;
    const [ran, ctl] = await Promise.all([
      pty(
        `--allow-write=${w},${rw} --allow-read=${rw} ${script} ${w} ${rw}`,
        20,
      ),
      pty(`--allow-write=${w} ${control}`, 3),
    ]);
    const text = (o: Deno.CommandOutput) => new TextDecoder().decode(o.stdout);
    // The control proves a prompt would be seen: it asks and hangs.
    assertMatch(text(ctl), /Deno requests read access/);
    assertNotEquals(ctl.code, 0);
    assertEquals(ran.code, 0, text(ran));
    assertNotMatch(text(ran), /Deno requests|Allow\?/);
    const out = JSON.parse(/RESULT (.*)/.exec(text(ran))![1]);
    const tail = "it reads the end of the file, besides writing";
    const links = "an atomic write looks at the file and the symlinks to it";
    const needsRead = (fn: string, p: string, why: string) =>
      `NOT_WIRED ${fn}: read access to "${p}" is not granted (${why}); ` +
      `run again with --allow-read=${w}`;
    assertEquals(out, {
      append: needsRead("append", `${w}/a.txt`, tail),
      appendSync: needsRead("appendSync", `${w}/old.txt`, tail),
      atomic: needsRead("writeFile", `${w}/old.txt`, links),
      atomicSync: needsRead("writeBytesSync", `${w}/b.bin`, links),
      appendLines: needsRead("appendLines", `${w}/a.txt`, tail),
      available: [false, true, false, false],
      plainWrite: "ok",
      appendBytes: "ok",
      removeW: "ok",
      read: "ok",
      text: "f",
      readSync: "ok",
      lines: ["f"],
      appendRw: "ok",
      atomicRw: "ok",
      removeRw: `REMOVE_FAIL removeSync: cannot remove ${rw}/f.txt/: ` +
        `Not a directory (os error 20): remove '${rw}/f.txt/'`,
    });
    // Nothing was written where a call failed.
    assertEquals(listing(w), ["old.txt"]);
    assertEquals(Deno.readTextFileSync(`${w}/old.txt`), "old\n");
    assertEquals(listing(rw), ["f.txt", "h.txt"]);
    assertEquals(Deno.readTextFileSync(`${rw}/f.txt`), "fg\n");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test('remove("f/") fails under path-scoped flags too', async () => {
  // With --allow-read=<dir>, Deno drops the trailing "/" before asking the
  // OS, so Deno.remove("f/") would remove the regular file f.
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/f`, "keep");
    Deno.writeTextFileSync(`${dir}/g`, "keep");
    Deno.mkdirSync(`${dir}/d`);
    const code = `
      import * as s from "${MODULE_URL}";
      const [dir] = Deno.args;
      const out = {};
      const calls = {
        remove: () => s.remove(dir + "/f/"),
        removeSync: () => s.removeSync(dir + "/f/."),
        control: () => Deno.removeSync(dir + "/g/"),
        dir: () => s.remove(dir + "/d/"),
      };
      for (const [name, call] of Object.entries(calls)) {
        try { await call(); out[name] = "removed"; }
        catch (e) { out[name] = [e.code ?? e.name, e.path, e.cause?.constructor?.name]; }
      }
      out.exists = [await s.exists(dir + "/f/"), s.existsSync(dir + "/f/.")];
      out.size = [await s.size(dir + "/f/"), s.sizeSync(dir + "/f/")];
      console.log(JSON.stringify(out));
    `;
    const result = await child(dir, code, [
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
    ], [dir]);
    assert(result.success, new TextDecoder().decode(result.stderr));
    const out = JSON.parse(new TextDecoder().decode(result.stdout));
    assertEquals(out, {
      remove: ["REMOVE_FAIL", `${dir}/f/`, "NotADirectory"],
      removeSync: ["REMOVE_FAIL", `${dir}/f/.`, "NotADirectory"],
      control: "removed", // Deno's own call, as described above
      dir: "removed",
      exists: [false, false],
      size: [-1, -1],
    });
    assertEquals(Deno.readTextFileSync(`${dir}/f`), "keep");
    assertEquals(listing(dir).filter((n) => !n.startsWith("child_")), [
      "f",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
