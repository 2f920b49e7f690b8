// The text rules of _text.ts on their own: the streaming splitter against
// the reference model and the strict decoder, on every way of cutting the
// bytes into chunks.

import { assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import {
  appendLinesBytes,
  appendPlan,
  CR,
  decodeFile,
  decodeText,
  dropFinalLineEnd,
  encodeText,
  fileBytes,
  LF,
  LineSplitter,
  LineTooLong,
  splitLines,
} from "../_text.ts";
import { modelLines, modelText, TEXT_UNITS } from "./_stdfs.ts";

const enc = new TextEncoder();
const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The splitter's lines for `bytes` fed in chunks cut at `cuts`. */
function splitInChunks(bytes: Uint8Array, cuts: number[]): string[] {
  const splitter = new LineSplitter();
  const buf = new Uint8Array(bytes.length + 3);
  const out: string[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c <= bytes.length), bytes.length]) {
    if (cut < from) continue;
    // As stdfs's reader does: the set-aside bytes first, then the chunk.
    const start = splitter.reserve(buf);
    buf.set(bytes.subarray(from, cut), start);
    out.push(...splitter.push(buf.subarray(0, start + cut - from)));
    from = cut;
  }
  out.push(...splitter.end());
  return out;
}

Deno.test("LineSplitter gives the model's lines however the bytes are cut", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 30 }),
      fc.array(fc.nat(120), { maxLength: 8 }),
      (text, cuts) => {
        const bytes = enc.encode(text);
        cuts.sort((a, b) => a - b);
        assertEquals(splitInChunks(bytes, cuts), modelLines(text));
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("LineSplitter is as strict as a fatal decoder however the bytes are cut", () => {
  const byte = fc.oneof(
    fc.constantFrom(0x0a, 0x0d, 0x61, 0xef, 0xbf, 0xbd, 0x80, 0xc3, 0xa9),
    fc.integer({ min: 0, max: 255 }),
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 24 }).chain((a) =>
        fc.tuple(fc.constant(a), fc.array(byte, { maxLength: 12 }))
      ),
      fc.array(fc.nat(40), { maxLength: 6 }),
      ([head, tail], cuts) => {
        const bytes = new Uint8Array([...head, ...tail]);
        cuts.sort((a, b) => a - b);
        let valid = true;
        let text = "";
        try {
          text = fatal.decode(bytes);
        } catch {
          valid = false;
        }
        if (valid) {
          assertEquals(splitInChunks(bytes, cuts), modelLines(text));
        } else {
          assertThrows(() => splitInChunks(bytes, cuts), TypeError);
        }
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("LineSplitter: a character cut short at the very end is invalid", () => {
  const splitter = new LineSplitter();
  assertEquals(splitter.push(new Uint8Array([0x61, 0x0a, 0xe6, 0x97])), ["a"]);
  assertThrows(() => splitter.end(), TypeError);
});

Deno.test("LineSplitter: a line longer than the longest string is LineTooLong", () => {
  // The limit is a parameter, so a small one stands in for V8's 2^29 - 24.
  const held = new LineSplitter(10);
  held.push(enc.encode("0123456"));
  assertThrows(() => held.push(enc.encode("7890")), LineTooLong);
  const ended = new LineSplitter(10);
  ended.push(enc.encode("0123456789"));
  assertThrows(() => ended.push(enc.encode("x\n")), LineTooLong);
  const ok = new LineSplitter(10);
  assertEquals(ok.push(enc.encode("0123456789\nabc")), ["0123456789"]);
  assertEquals(ok.end(), ["abc"]);
});

Deno.test("decodeFile, dropFinalLineEnd and splitLines agree with the model", () => {
  // A "\r" first seen past the 64 KiB that are looked at first, too.
  const filler = fc.constantFrom("", "x".repeat(64 * 1024 + 3));
  fc.assert(
    fc.property(
      filler,
      fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 30 }),
      (head, text) => {
        const raw = head + text;
        const decoded = decodeFile(enc.encode(raw));
        assertEquals(dropFinalLineEnd(decoded), modelText(raw));
        assertEquals(splitLines(decoded), modelLines(raw));
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("decodeText is strict, also where the text holds a real U+FFFD", () => {
  assertEquals(decodeText(enc.encode("a\uFFFDb")), "a\uFFFDb");
  assertEquals(decodeText(enc.encode("\uFEFFbom")), "\uFEFFbom");
  for (const bad of [[0xff], [0xef, 0xbf, 0xbd, 0x80], [0xed, 0xa0, 0x80]]) {
    assertThrows(() => decodeText(new Uint8Array(bad)), TypeError);
  }
});

Deno.test("encodeText: a lead byte and a final newline, in one buffer", () => {
  const dec = (b: Uint8Array) => new TextDecoder().decode(b);
  assertEquals(dec(encodeText("é😀")), "é😀");
  assertEquals(dec(encodeText("x", { newline: true })), "x\n");
  assertEquals(dec(encodeText("x", { lead: CR, newline: true })), "\rx\n");
  assertEquals(dec(encodeText("", { lead: LF })), "\n");
  assertEquals(dec(fileBytes("")), "");
  assertEquals(dec(fileBytes("a\n")), "a\n");
  assertEquals(dec(fileBytes("a")), "a\n");
});

Deno.test("appendPlan and appendLinesBytes: what is replaced and what is added", () => {
  const dec = (b: Uint8Array) => new TextDecoder().decode(b);
  // [the file's last bytes, data, line-end bytes replaced, bytes written]
  const cases: [string, string, number, string][] = [
    ["", "c", 0, "c\n"],
    ["ab", "c", 0, "c\n"],
    ["b\n", "c", 1, "c\n"],
    ["b\r\n", "c", 2, "c\n"],
    ["b\r", "c", 1, "c\n"],
    ["\r\r\n", "\nc", 2, "\r\nc\n"],
    ["b\r\r", "\n", 1, "\r\n\n"],
  ];
  for (const [tail, data, cut, bytes] of cases) {
    const plan = appendPlan(enc.encode(tail), data);
    assertEquals([plan.cut, dec(plan.bytes)], [cut, bytes], tail);
  }
  assertEquals(dec(appendLinesBytes(undefined, "a")), "a\n");
  assertEquals(dec(appendLinesBytes(LF, "a\nb")), "a\nb\n");
  assertEquals(dec(appendLinesBytes(CR, "a")), "\na\n");
  assertEquals(dec(appendLinesBytes(0x78, "")), "\n\n");
});
