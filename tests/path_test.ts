import { assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import { basename, dirname, join } from "../path.ts";
import { findPython, have, run, splitNul } from "./_oracle.ts";

// [path, basename, dirname]: the examples of DESIGN.md and tricky inputs,
// each checked by hand against GNU coreutils 9.1.
const TABLE: [string, string, string][] = [
  ["/foo/bar/", "bar", "/foo"],
  ["plain", "plain", "."],
  ["/", "/", "/"],
  ["", "", "."],
  ["//", "/", "/"],
  ["///", "/", "/"],
  ["///a//b//", "b", "///a"],
  ["//a", "a", "/"],
  ["a//", "a", "."],
  ["a//b", "b", "a"],
  ["/a", "a", "/"],
  [".", ".", "."],
  ["..", "..", "."],
  ["./", ".", "."],
  ["../..", "..", ".."],
  ["/a/./b/../c", "c", "/a/./b/.."],
  ["a b/c d ", "c d ", "a b"],
  [" ", " ", "."],
  ["dir/new\nline", "new\nline", "dir"],
  ["new\n/", "new\n", "."],
  ["/tmp/é/日本語.txt", "日本語.txt", "/tmp/é"],
  ["a\\b/c\\d", "c\\d", "a\\b"],
  ["\\", "\\", "."],
  ["-n", "-n", "."],
  ["--/-x", "-x", "--"],
  ["/-/", "-", "/"],
];

Deno.test("basename and dirname: fixed table", () => {
  for (const [path, base, dir] of TABLE) {
    assertEquals(basename(path), base, `basename(${JSON.stringify(path)})`);
    assertEquals(dirname(path), dir, `dirname(${JSON.stringify(path)})`);
  }
});

Deno.test("basename: suffix is removed only when it is a proper suffix", () => {
  assertEquals(basename("/a/b.ts", ".ts"), "b");
  assertEquals(basename("/a/b.ts/", ".ts"), "b");
  assertEquals(basename("/a/.ts", ".ts"), ".ts");
  assertEquals(basename("b.ts", "b.ts"), "b.ts");
  assertEquals(basename("b.ts", "x"), "b.ts");
  assertEquals(basename("b.ts", ""), "b.ts");
  assertEquals(basename("/", "/"), "/");
  assertEquals(basename("//", "/"), "/");
  assertEquals(basename("", "x"), "");
  assertEquals(basename("aa", "a"), "a");
});

Deno.test("join: DESIGN.md examples and fold rules", () => {
  assertEquals(join("/var", "log"), "/var/log");
  assertEquals(join("/var", "/abs"), "/abs");
  assertEquals(join("", "b"), "b");
  assertEquals(join("/a/", "b"), "/a/b");
  assertEquals(join("/a", ""), "/a");
  assertEquals(join(), "");
  assertEquals(join(""), "");
  assertEquals(join("", ""), "");
  assertEquals(join("a"), "a");
  assertEquals(join("a", "b", "c"), "a/b/c");
  assertEquals(join("a", "/b", "c"), "/b/c");
  assertEquals(join("a//", "b"), "a//b");
  assertEquals(join("a/./", "../b"), "a/./../b");
  assertEquals(join("a", "", "", "b"), "a/b");
  assertEquals(join("/", "/"), "/");
  assertEquals(join("a", "b/"), "a/b/");
});

Deno.test("non-string arguments are a TypeError naming the function", () => {
  const bad: unknown[] = [
    undefined,
    null,
    1,
    1n,
    {},
    ["a"],
    new URL("file:///a"),
  ];
  for (const value of bad) {
    assertThrows(() => basename(value as string), TypeError, "basename: path");
    assertThrows(() => dirname(value as string), TypeError, "dirname: path");
    assertThrows(() => join("a", value as string), TypeError, "join: parts[1]");
  }
  assertThrows(
    () => basename("a", 1 as unknown as string),
    TypeError,
    "basename: suffix",
  );
  assertThrows(
    () => basename("a", null as unknown as string),
    TypeError,
    "basename: suffix",
  );
});

// Deterministic generator for the differential test (xorshift32): the same
// inputs on every run, so a disagreement can be reproduced.
function generatePaths(count: number, seed: number): string[] {
  const atoms = [
    "/",
    "/",
    "//",
    "a",
    "b",
    "x.ts",
    ".ts",
    ".",
    "..",
    " ",
    "\n",
    "é",
    "日",
    "\\",
    "-",
    "-n",
    "\t",
  ];
  let s = seed >>> 0;
  const next = (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let p = "";
    const len = next(8);
    for (let j = 0; j < len; j++) p += atoms[next(atoms.length)];
    out.push(p);
  }
  return out;
}

const PATHS = generatePaths(4000, 0x9e3779b9);
const SUFFIXES = [".ts", "b", "/", "a", ".", "é", "x.ts"];

const gnuMissing = ["basename", "dirname"].filter((cmd) => !have(cmd));
if (gnuMissing.length > 0) {
  console.log(
    `SKIPPED the GNU differential test: ${gnuMissing.join(", ")} not found`,
  );
}

Deno.test({
  name: "basename and dirname agree with GNU coreutils on generated paths",
  ignore: gnuMissing.length > 0,
  async fn() {
    const bases = splitNul(await run("basename", ["-z", "-a", "--", ...PATHS]));
    const dirs = splitNul(await run("dirname", ["-z", "--", ...PATHS]));
    assertEquals(bases.length, PATHS.length);
    assertEquals(dirs.length, PATHS.length);
    let checked = 0;
    for (let i = 0; i < PATHS.length; i++) {
      const p = JSON.stringify(PATHS[i]);
      assertEquals(basename(PATHS[i]), bases[i], `basename(${p})`);
      assertEquals(dirname(PATHS[i]), dirs[i], `dirname(${p})`);
      checked += 2;
    }
    for (const suffix of SUFFIXES) {
      const got = splitNul(
        await run("basename", ["-z", "-s", suffix, "--", ...PATHS]),
      );
      assertEquals(got.length, PATHS.length);
      for (let i = 0; i < PATHS.length; i++) {
        const p = JSON.stringify(PATHS[i]);
        assertEquals(
          basename(PATHS[i], suffix),
          got[i],
          `basename(${p}, ${JSON.stringify(suffix)})`,
        );
        checked++;
      }
    }
    console.log(`path: ${checked} cases agree with GNU basename/dirname`);
  },
});

const python = findPython();
if (python === undefined) {
  console.log("SKIPPED the posixpath.join differential test: no python3");
}

Deno.test({
  name: "join agrees with Python's posixpath.join (empty parts dropped)",
  ignore: python === undefined,
  async fn() {
    const cases: string[][] = [];
    // Overlapping windows of 1 to 5 parts, each length equally often.
    for (let i = 0; i + 5 <= PATHS.length; i++) {
      cases.push(PATHS.slice(i, i + 1 + (i % 5)));
    }
    cases.push([], [""], ["", ""], ["/"], ["a", ""]);
    const script = [
      "import json, posixpath, sys",
      "cases = json.load(sys.stdin)",
      "out = []",
      "for parts in cases:",
      "    parts = [p for p in parts if p]",
      "    out.append(posixpath.join(*parts) if parts else '')",
      "json.dump(out, sys.stdout)",
    ].join("\n");
    const bytes = await run(
      python!.cmd,
      ["-c", script],
      JSON.stringify(cases),
      python!.env,
    );
    const want: string[] = JSON.parse(new TextDecoder().decode(bytes));
    assertEquals(want.length, cases.length);
    for (let i = 0; i < cases.length; i++) {
      assertEquals(
        join(...cases[i]),
        want[i],
        `join(${JSON.stringify(cases[i])})`,
      );
    }
    console.log(
      `path: ${cases.length} join cases agree with ${
        python!.cmd
      } posixpath.join`,
    );
  },
});

const segment = fc.stringMatching(/^[^/]+$/);
const anyPath = fc.string({
  unit: fc.constantFrom("/", "a", "b", ".", "é", " ", "\n"),
});

Deno.test("property: an absolute last part wins", () => {
  fc.assert(fc.property(fc.array(anyPath), segment, (parts, tail) => {
    assertEquals(join(...parts, "/" + tail), "/" + tail);
  }));
});

Deno.test("property: basename has no '/' unless it is exactly '/'", () => {
  fc.assert(fc.property(anyPath, (p) => {
    const b = basename(p);
    if (b !== "/") assertEquals(b.includes("/"), false);
    if (p !== "") assertEquals(b.length > 0, true);
  }));
});

Deno.test("property: dirname(join(d, n)) === d for clean d and one component n", () => {
  const cleanDir = fc.oneof(
    fc.array(segment, { minLength: 1 }).map((s) => s.join("/")),
    fc.array(segment, { minLength: 1 }).map((s) => "/" + s.join("/")),
    fc.constant("/"),
  );
  fc.assert(fc.property(cleanDir, segment, (d, n) => {
    assertEquals(dirname(join(d, n)), d);
    assertEquals(basename(join(d, n)), n);
  }));
});

Deno.test("property: join is associative over non-empty parts", () => {
  fc.assert(fc.property(anyPath, anyPath, anyPath, (a, b, c) => {
    assertEquals(join(join(a, b), c), join(a, join(b, c)));
  }));
});
