// stdfs beside Deno's built-ins on 64 MiB files, and append on a 64 MiB file
// beside append on a 1 KiB file. The files are generated once into a
// temporary directory, removed when the run ends.
//
// Targets (DESIGN.md): readFile/writeFile within 1.5x of Deno.readTextFile /
// Deno.writeTextFile; append to 64 MiB within 2x of append to 1 KiB.

import {
  append,
  appendSync,
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
// Not a DESIGN.md target: CRLF files pay for folding every line end.
const crlfPath = `${dir}/crlf.txt`;
Deno.writeTextFileSync(crlfPath, ascii.replaceAll("\n", "\r\n"));
const bigLog = `${dir}/big.log`;
const smallLog = `${dir}/small.log`;
Deno.writeTextFileSync(bigLog, ascii);
Deno.writeTextFileSync(smallLog, textOf("a line of a small log\n", 1024));

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

Deno.bench({
  name: "append to a 1 KiB file",
  group: "append",
  baseline: true,
  fn: async () => await append(smallLog, "one more line"),
});
Deno.bench({
  name: "append to a 64 MiB file",
  group: "append",
  fn: async () => await append(bigLog, "one more line"),
});
Deno.bench({
  name: "appendSync to a 1 KiB file",
  group: "appendSync",
  baseline: true,
  fn: () => appendSync(smallLog, "one more line"),
});
Deno.bench({
  name: "appendSync to a 64 MiB file",
  group: "appendSync",
  fn: () => appendSync(bigLog, "one more line"),
});
