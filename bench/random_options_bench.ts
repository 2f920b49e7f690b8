// Random's options and subclasses: a subclass without overrides beside
// Random, one that overrides random(), and { math: "system" }. In a file of their own: their instances would give the shared
// methods of bench/random_bench.ts more receiver shapes and call targets,
// and skew its figures against the baseline's.
import { Random } from "../random.ts";

const rng = new Random(12345);
const LOOP = 1000;
let sink = 0;

// A subclass that overrides neither random() nor getrandbits() keeps the
// direct path; one that overrides random() draws every integer through it,
// as CPython's __init_subclass__ arranges.
class Plain extends Random {}
class OwnRandom extends Random {
  override random(): number {
    return super.random();
  }
}
const plain = new Plain(12345);
const ownRandom = new OwnRandom(12345);
Deno.bench({
  name: "subclass: Random randint(1, 6) x1000",
  group: "subclasses",
  baseline: true,
  fn() {
    let s = 0;
    for (let i = 0; i < LOOP; i++) s += rng.randint(1, 6);
    sink += s;
  },
});
Deno.bench({
  name: "subclass: no override, randint(1, 6) x1000",
  group: "subclasses",
  fn() {
    let s = 0;
    for (let i = 0; i < LOOP; i++) s += plain.randint(1, 6);
    sink += s;
  },
});
Deno.bench({
  name: "subclass: random() overridden, randint(1, 6) x1000",
  group: "subclasses",
  fn() {
    let s = 0;
    for (let i = 0; i < LOOP; i++) s += ownRandom.randint(1, 6);
    sink += s;
  },
});

// { math: "system" }: the variates through the C library (needs
// --allow-ffi; `deno task bench` grants it). Compare with the same rows of
// bench/random_bench.ts, the default: measured in one process, the two
// would make the variates' libm call sites see both kinds of function, and
// the FFI calls lose their fast path (the system rows then cost 3-4x).
if (Deno.permissions.querySync({ name: "ffi" }).state === "granted") {
  const sys = new Random(12345, { math: "system" });
  const calls: [string, () => number][] = [
    ["gauss()", () => sys.gauss()],
    ["normalvariate()", () => sys.normalvariate()],
    ["gammavariate(0.5, 1)", () => sys.gammavariate(0.5, 1)],
    ["gammavariate(2.5, 1)", () => sys.gammavariate(2.5, 1)],
    ["vonmisesvariate(0, 4)", () => sys.vonmisesvariate(0, 4)],
    ["binomialvariate(1000, 0.4)", () => sys.binomialvariate(1000, 0.4)],
  ];
  for (const [name, f] of calls) {
    Deno.bench({
      name: `math system: ${name}`,
      group: "math: system",
      fn() {
        if (f() === sink) sink++;
      },
    });
  }
}

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink); // keeps the results observable
});
