// stdfs beside Deno's built-ins and std on 64 MiB files; lines() beside std's
// TextLineStream; atomic writes beside a plain write; append on a 64 MiB file
// beside append on a 1 KiB file. The files are generated once into a
// temporary directory, removed when the run ends. (The comparisons with
// Node, npm and CPython are ../shared/peers/run.sh's.)
//
// Targets: readFile/writeFile within 1.5x of Deno.readTextFile /
// Deno.writeTextFile; lines() at most 0.9x of TextLineStream; append to
// 64 MiB within 2x of append to 1 KiB. Each append is measured alone
// (b.start/b.end) on a log first put back to its original size, so the
// 1 KiB baseline stays 1 KiB across iterations.

import { TextLineStream } from "@std/streams/text-line-stream";
import {
  append,
  appendLines,
  appendLinesSync,
  appendSync,
  lines,
  linesSync,
  readBytes,
  readBytesSync,
  readFile,
  readFileSync,
  writeFile,
  writeFileSync,
} from "../stdfs.ts";

const MiB = 1024 * 1024;
const dir = Deno.makeTempDirSync({ prefix: "stdfs_bench_" });
globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
});

function textOf(line: string, size: number): string {
  return line.repeat(Math.ceil(size / line.length)).slice(0, size - 1) + "\n";
}

// ASCII text is a one-byte string in V8; any other character makes the whole
// string two-byte, which every step handles differently, so both are run.
const ascii = textOf(
  "the quick brown fox jumps over the lazy dog 0123\n",
  64 * MiB,
);
const utf8 = textOf(
  "grüße, naïve café, 日本語のテキスト, emoji 😀 ok\n",
  64 * MiB,
);
const asciiPath = `${dir}/ascii.txt`;
const utf8Path = `${dir}/utf8.txt`;
Deno.writeTextFileSync(asciiPath, ascii);
Deno.writeTextFileSync(utf8Path, utf8);
// Not a target: CRLF files pay for folding every line end.
const crlfPath = `${dir}/crlf.txt`;
Deno.writeTextFileSync(crlfPath, ascii.replaceAll("\n", "\r\n"));
const bigLog = `${dir}/big.log`;
const smallLog = `${dir}/small.log`;
const BIG = 64 * MiB;
const SMALL = 1024;
Deno.writeTextFileSync(bigLog, ascii);
Deno.writeTextFileSync(smallLog, textOf("a line of a small log\n", SMALL));

const NEWLINE = new Uint8Array([0x0a]);
/**
 * Puts a log back to its first `size` bytes, which end in "\n": an append
 * replaced that "\n" and added its text, so cutting the file one byte short
 * and appending "\n" restores it. Done before each measured append (outside
 * the measurement), so the 1 KiB file stays 1 KiB however many iterations
 * run, and both appends always meet the same file.
 */
function restore(path: string, size: number): void {
  Deno.truncateSync(path, size - 1);
  const file = Deno.openSync(path, { append: true });
  file.writeSync(NEWLINE);
  file.close();
}

const heavy = { n: 8, warmup: 2 };
// Deno.bench awaits only an `async` function's result, so every async case
// below is written `async () => await ...`.

const reads = [["ascii", asciiPath], ["utf8", utf8Path], [
  "ascii CRLF",
  crlfPath,
]];
for (const [kind, path] of reads) {
  Deno.bench({
    name: `Deno.readTextFile 64 MiB ${kind}`,
    group: `readFile ${kind}`,
    baseline: true,
    ...heavy,
    fn: async () => void await Deno.readTextFile(path),
  });
  Deno.bench({
    name: `readFile 64 MiB ${kind}`,
    group: `readFile ${kind}`,
    ...heavy,
    fn: async () => void await readFile(path),
  });
  Deno.bench({
    name: `Deno.readTextFileSync 64 MiB ${kind}`,
    group: `readFileSync ${kind}`,
    baseline: true,
    ...heavy,
    fn: () => void Deno.readTextFileSync(path),
  });
  Deno.bench({
    name: `readFileSync 64 MiB ${kind}`,
    group: `readFileSync ${kind}`,
    ...heavy,
    fn: () => void readFileSync(path),
  });
}

for (const [kind, text] of [["ascii", ascii], ["utf8", utf8]]) {
  const out = `${dir}/out-${kind}.txt`;
  Deno.bench({
    name: `Deno.writeTextFile 64 MiB ${kind}`,
    group: `writeFile ${kind}`,
    baseline: true,
    ...heavy,
    fn: async () => await Deno.writeTextFile(out, text),
  });
  Deno.bench({
    name: `writeFile 64 MiB ${kind}`,
    group: `writeFile ${kind}`,
    ...heavy,
    fn: async () => await writeFile(out, text),
  });
  Deno.bench({
    name: `Deno.writeTextFileSync 64 MiB ${kind}`,
    group: `writeFileSync ${kind}`,
    baseline: true,
    ...heavy,
    fn: () => Deno.writeTextFileSync(out, text),
  });
  Deno.bench({
    name: `writeFileSync 64 MiB ${kind}`,
    group: `writeFileSync ${kind}`,
    ...heavy,
    fn: () => writeFileSync(out, text),
  });
}

Deno.bench({
  name: "Deno.readFile 64 MiB",
  group: "readBytes",
  baseline: true,
  ...heavy,
  fn: async () => void await Deno.readFile(asciiPath),
});
Deno.bench({
  name: "readBytes 64 MiB",
  group: "readBytes",
  ...heavy,
  fn: async () => void await readBytes(asciiPath),
});
Deno.bench({
  name: "readBytes 64 MiB { maxBytes: 128 MiB }",
  group: "readBytes",
  ...heavy,
  fn: async () => void await readBytes(asciiPath, { maxBytes: 128 * MiB }),
});
Deno.bench({
  name: "Deno.readFileSync 64 MiB",
  group: "readBytesSync",
  baseline: true,
  ...heavy,
  fn: () => void Deno.readFileSync(asciiPath),
});
Deno.bench({
  name: "readBytesSync 64 MiB",
  group: "readBytesSync",
  ...heavy,
  fn: () => void readBytesSync(asciiPath),
});
Deno.bench({
  name: "readBytesSync 64 MiB { maxBytes: 128 MiB }",
  group: "readBytesSync",
  ...heavy,
  fn: () => void readBytesSync(asciiPath, { maxBytes: 128 * MiB }),
});

for (
  const [size, label, path] of [
    [SMALL, "1 KiB", smallLog],
    [BIG, "64 MiB", bigLog],
  ] as const
) {
  const baseline = size === SMALL;
  Deno.bench({
    name: `append to a ${label} file`,
    group: "append",
    baseline,
    fn: async (b) => {
      restore(path, size);
      b.start();
      await append(path, "one more line");
      b.end();
    },
  });
  Deno.bench({
    name: `appendSync to a ${label} file`,
    group: "appendSync",
    baseline,
    fn: (b) => {
      restore(path, size);
      b.start();
      appendSync(path, "one more line");
      b.end();
    },
  });
  Deno.bench({
    name: `appendLines to a ${label} file`,
    group: "appendLines",
    baseline,
    fn: async (b) => {
      restore(path, size);
      b.start();
      await appendLines(path, ["one more line"]);
      b.end();
    },
  });
  Deno.bench({
    name: `appendLinesSync to a ${label} file`,
    group: "appendLinesSync",
    baseline,
    fn: (b) => {
      restore(path, size);
      b.start();
      appendLinesSync(path, ["one more line"]);
      b.end();
    },
  });
}

// lines(): ~1 M lines of the 64 MiB file, each line's length summed.
Deno.bench({
  name: "std TextDecoderStream + TextLineStream, 64 MiB",
  group: "lines",
  baseline: true,
  ...heavy,
  fn: async () => {
    let n = 0;
    using file = await Deno.open(asciiPath);
    const stream = file.readable.pipeThrough(new TextDecoderStream())
      .pipeThrough(new TextLineStream());
    for await (const line of stream) n += line.length;
    if (n < 0) throw new Error("unreachable");
  },
});
Deno.bench({
  name: "lines(), 64 MiB",
  group: "lines",
  ...heavy,
  fn: async () => {
    let n = 0;
    for await (const line of lines(asciiPath)) n += line.length;
    if (n < 0) throw new Error("unreachable");
  },
});
Deno.bench({
  name: "Deno.readTextFileSync + split, 64 MiB",
  group: "linesSync",
  baseline: true,
  ...heavy,
  fn: () => {
    let n = 0;
    for (const line of Deno.readTextFileSync(asciiPath).split("\n")) {
      n += line.length;
    }
    if (n < 0) throw new Error("unreachable");
  },
});
Deno.bench({
  name: "linesSync(), 64 MiB",
  group: "linesSync",
  ...heavy,
  fn: () => {
    let n = 0;
    for (const line of linesSync(asciiPath)) n += line.length;
    if (n < 0) throw new Error("unreachable");
  },
});

// Atomic writes beside a plain Deno.writeTextFile of the same text, each
// replacing its own existing file.
for (const [label, size] of [["4 KiB", 4096], ["8 MiB", 8 * MiB]] as const) {
  const text = textOf("atomic writes replace the whole file at once\n", size);
  const plain = `${dir}/plain-${size}.txt`;
  const target = `${dir}/atomic-${size}.txt`;
  Deno.writeTextFileSync(plain, text);
  Deno.writeTextFileSync(target, text);
  const n = size > 4096 ? { n: 20, warmup: 3 } : {};
  Deno.bench({
    name: `Deno.writeTextFile ${label} (not atomic)`,
    group: `atomic ${label}`,
    baseline: true,
    ...n,
    fn: async () => await Deno.writeTextFile(plain, text),
  });
  Deno.bench({
    name: `writeFile ${label}, atomic`,
    group: `atomic ${label}`,
    ...n,
    fn: async () => await writeFile(target, text, { atomic: true }),
  });
  Deno.bench({
    name: `Deno.writeTextFileSync ${label} (not atomic)`,
    group: `atomicSync ${label}`,
    baseline: true,
    ...n,
    fn: () => Deno.writeTextFileSync(plain, text),
  });
  Deno.bench({
    name: `writeFileSync ${label}, atomic`,
    group: `atomicSync ${label}`,
    ...n,
    fn: () => writeFileSync(target, text, { atomic: true }),
  });
}
