// `{ math: "system" }`: the variates through the C library CPython calls,
// bit for bit against CPython 3.13 on this machine; without --allow-ffi, the
// package's permission error and never a prompt.

import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
} from "@std/assert";
import { Random, SystemRandom } from "../random.ts";
import { DENO_CONFIG, denoUnderPty, havePty, run } from "./_oracle.ts";
import { PY, PY313, reportSkips } from "./_python.ts";

reportSkips("random_libm_test", "the bit-for-bit comparison of the variates");
const FFI = Deno.permissions.querySync({ name: "ffi" }).state === "granted";
if (!FFI) {
  console.log(
    "random_libm_test: SKIPPING the system-math comparisons: run with --allow-ffi (deno task test grants it)",
  );
}

/** Python's `float.hex()`. */
function floatHex(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity || x === -Infinity) return x > 0 ? "inf" : "-inf";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const sign = hi >>> 31 ? "-" : "";
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (hi & 0xfffff).toString(16).padStart(5, "0") +
    view.getUint32(4).toString(16).padStart(8, "0");
  if (exp === 0) {
    return mant === "0000000000000"
      ? `${sign}0x0.0p+0`
      : `${sign}0x0.${mant}p-1022`;
  }
  const e = exp - 1023;
  return `${sign}0x1.${mant}p${e < 0 ? "-" : "+"}${Math.abs(e)}`;
}

Deno.test("libm: floatHex spells floats as Python's float.hex()", () => {
  assertEquals(floatHex(1), "0x1.0000000000000p+0");
  assertEquals(floatHex(0.1), "0x1.999999999999ap-4");
  assertEquals(floatHex(-2.5), "-0x1.4000000000000p+1");
  assertEquals(floatHex(5e-324), "0x0.0000000000001p-1022");
  assertEquals(floatHex(-0), "-0x0.0p+0");
  assertEquals(floatHex(1e308), "0x1.1ccf385ebc8a0p+1023");
});

// Every variate, with arguments reaching each branch of its algorithm
// (gammavariate's three, binomialvariate's two and its p > 0.5 symmetry).
const CALLS: [string, number[]][] = [
  ["gauss", []],
  ["gauss", [100, 15]],
  ["normalvariate", []],
  ["normalvariate", [3, 2]],
  ["lognormvariate", [0, 1]],
  ["expovariate", []],
  ["expovariate", [2.5]],
  ["vonmisesvariate", [0, 4]],
  ["vonmisesvariate", [1, 0.5]],
  ["vonmisesvariate", [2, 0]],
  ["gammavariate", [0.5, 1]],
  ["gammavariate", [1, 2]],
  ["gammavariate", [2.5, 1.5]],
  ["gammavariate", [200, 1]],
  ["betavariate", [2, 3]],
  ["betavariate", [0.3, 0.4]],
  ["paretovariate", [2.5]],
  ["weibullvariate", [1.5, 2]],
  ["triangular", [0, 10, 3]],
  ["uniform", [-3, 7]],
  ["binomialvariate", [20, 0.2]],
  ["binomialvariate", [100, 0.4]],
  ["binomialvariate", [1000, 0.7]],
  ["binomialvariate", [1e6, 0.25]],
  ["random", []],
];
const ROUNDS = 4;

/** Each seed's CALLS, ROUNDS times over, as float.hex() (ints as decimals). */
function ours(seed: number, math: "js" | "system"): string[] {
  const rng = new Random(seed, { math }) as unknown as Record<
    string,
    (...a: number[]) => number
  >;
  const out: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [m, args] of CALLS) {
      const x = rng[m](...args);
      out.push(m === "binomialvariate" ? String(x) : floatHex(x));
    }
  }
  return out;
}

Deno.test({
  name: 'libm: with { math: "system" } every variate is CPython\'s to the bit',
  ignore: !PY313 || !FFI,
  async fn() {
    const seeds = Array.from({ length: 300 }, (_, i) => i);
    for (let i = 0; i < 20; i++) {
      seeds.push(crypto.getRandomValues(new Uint32Array(1))[0]);
    }
    const py = `
import json, random, sys
seeds, calls, rounds = json.load(sys.stdin)
out = []
for seed in seeds:
    r = random.Random(seed)
    row = []
    for _ in range(rounds):
        for m, args in calls:
            x = getattr(r, m)(*args)
            row.append(x.hex() if isinstance(x, float) else str(x))
    out.append(row)
print(json.dumps(out))
`;
    const out = await run(
      PY!.cmd,
      ["-c", py],
      JSON.stringify([seeds, CALLS, ROUNDS]),
      PY!.env,
    );
    const want = JSON.parse(new TextDecoder().decode(out)) as string[][];
    let values = 0;
    let system = 0;
    let js = 0;
    const bad: string[] = [];
    seeds.forEach((seed, i) => {
      const sys = ours(seed, "system");
      const dflt = ours(seed, "js");
      sys.forEach((x, j) => {
        values++;
        if (x !== want[i][j]) {
          system++;
          const [m, args] = CALLS[j % CALLS.length];
          if (bad.length < 5) {
            bad.push(`seed ${seed} ${m}(${args}): ${x}, CPython ${want[i][j]}`);
          }
        }
        if (dflt[j] !== want[i][j]) js++;
      });
    });
    assertEquals(bad, []);
    assertEquals(system, 0);
    assert(values >= 300 * CALLS.length);
    console.log(
      `${seeds.length} seeds x ${CALLS.length} calls x ${ROUNDS}: ${values} values, ` +
        `${system} bit disagreements with { math: "system" }; the default ` +
        `(V8's Math) differs in the last bits in ${js}`,
    );
  },
});

Deno.test({
  name: 'libm: SystemRandom takes { math: "system" } too',
  ignore: !FFI,
  fn() {
    const s = new SystemRandom(undefined, { math: "system" });
    const x = s.gammavariate(0.5, 1);
    assert(x >= 0);
    // The option changes only where libm is called: the integers agree.
    assertEquals(
      new Random(9, { math: "system" }).sample([1, 2, 3, 4, 5, 6, 7], 7),
      new Random(9).sample([1, 2, 3, 4, 5, 6, 7], 7),
    );
  },
});

const CHILD = `
import { Random } from ${
  JSON.stringify(new URL("../random.ts", import.meta.url).href)
};
try {
  new Random(1, { math: "system" });
  console.log("RESULT loaded");
} catch (e) {
  console.log("RESULT " + e.name + ": " + e.message);
}
`;

Deno.test("libm: without --allow-ffi the constructor throws NotCapable naming the flag", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const script = `${dir}/child.ts`;
    Deno.writeTextFileSync(script, CHILD);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", DENO_CONFIG, script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertMatch(
      text,
      /^RESULT NotCapable: Random: ffi access is not granted \(\{ math: "system" \} calls libm\.so\.6 through Deno\.dlopen\); run again with --allow-ffi$/m,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("libm: no prompt on a terminal without --allow-ffi", async (t) => {
  if (!havePty()) {
    await t.step({ name: "skipped: no script(1)", ignore: true, fn() {} });
    return;
  }
  const dir = Deno.makeTempDirSync();
  try {
    const script = `${dir}/child.ts`;
    Deno.writeTextFileSync(script, CHILD);
    const control = `${dir}/control.ts`;
    Deno.writeTextFileSync(
      control,
      `Deno.dlopen("libm.so.6", { log: { parameters: ["f64"], result: "f64" } });\n`,
    );
    const [ran, ctl] = await Promise.all([
      denoUnderPty(script, 20),
      denoUnderPty(control, 3),
    ]);
    const text = (o: Deno.CommandOutput) => new TextDecoder().decode(o.stdout);
    // The control proves a prompt would be seen: it asks and hangs.
    assertMatch(text(ctl), /Deno requests ffi access/);
    assertNotEquals(ctl.code, 0);
    assertEquals(ran.code, 0, text(ran));
    assertNotMatch(text(ran), /Deno requests|Allow\?/);
    assertMatch(text(ran), /RESULT NotCapable: .*run again with --allow-ffi/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
