// The sizes near the engine's limits, for real: 4 GiB buffers and strings of
// half a gigabyte. They take memory and seconds, so they run only under
// `deno task test:heavy` (TEMPKIT_HEAVY=1), which .ci/run runs too; the
// normal suite checks the same arithmetic on small sizes.

import { assert, assertEquals, assertThrows } from "@std/assert";
import { Random, SystemRandom } from "../random.ts";

const HEAVY = Deno.env.get("TEMPKIT_HEAVY") === "1";
if (!HEAVY) {
  console.log(
    "random_heavy_test: SKIPPING the 4 GiB checks: run deno task test:heavy",
  );
}

/** The share of zero bytes in `bytes[from, to)`: about 1/256 if random. */
function zeroShare(bytes: Uint8Array, from: number, to: number): number {
  let zeros = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 0) zeros++;
  return zeros / (to - from);
}

const TAIL = 1 << 20; // the last MiB, past the 2**32 mark

Deno.test({
  name: "heavy: randbytes of 2**32 bytes and more is random to the end",
  ignore: !HEAVY,
  fn() {
    for (
      const [what, make, size] of [
        ["Random(1)", () => new Random(1), 2 ** 32 + 4],
        ["SystemRandom()", () => new SystemRandom(), 2 ** 32],
      ] as const
    ) {
      const t0 = performance.now();
      let bytes: Uint8Array | undefined = make().randbytes(size);
      const ms = performance.now() - t0;
      assertEquals(bytes.length, size);
      const share = zeroShare(bytes, size - TAIL, size);
      assert(share < 0.01, `${what}: ${share} of the last MiB is zero bytes`);
      assert(zeroShare(bytes, size - 4, size) < 1, `${what}: last 4 bytes`);
      console.log(`${what}.randbytes(${size}): ${ms.toFixed(0)} ms`);
      bytes = undefined; // let the 4 GiB go before the next
    }
  },
});

Deno.test({
  name: "heavy: randbytesHex and getrandbits at the engine's limits",
  ignore: !HEAVY,
  fn() {
    let t0 = performance.now();
    const hex = new Random(2).randbytesHex(2 ** 27);
    console.log(
      `randbytesHex(2**27): ${(performance.now() - t0).toFixed(0)} ms`,
    );
    assertEquals(hex.length, 2 ** 28);
    assertEquals(
      hex.slice(-16),
      new Random(2).randbytesHex(2 ** 27).slice(-16),
    );
    // The largest BigInt V8 holds, and one bit more.
    const k = 2 ** 30 - 64;
    t0 = performance.now();
    const x = new Random(3).getrandbits(k);
    console.log(
      `getrandbits(2**30 - 64): ${(performance.now() - t0).toFixed(0)} ms`,
    );
    assert(x > 0n && x >> BigInt(k) === 0n);
    assertThrows(() => new Random(3).getrandbits(k + 1), RangeError);
  },
});
