// The generator driver in _io.ts, on its own: steps fed back or thrown into
// a task, both drivers, and the streaming iterators' cleanup.

import {
  assertEquals,
  assertRejects,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { assertSpyCalls, spy } from "@std/testing/mock";
import {
  perform,
  runAsync,
  runSync,
  type Step,
  streamAsync,
  streamSync,
  type Task,
} from "../_io.ts";

/** A step that gives `value`, or fails with `error`, counting its calls. */
function step<T>(value: T, error?: Error) {
  const sync = spy((): T => {
    if (error) throw error;
    return value;
  });
  const async = spy((): Promise<T> =>
    error ? Promise.reject(error) : Promise.resolve(value)
  );
  const s: Step<T> = { sync, async };
  return { step: s, sync, async };
}

/** How many times the `kind` call of a {@linkcode step} ran. */
function callsOf(
  s: { sync: { calls: unknown[] }; async: { calls: unknown[] } },
  kind: string,
): number {
  return (kind === "sync" ? s.sync : s.async).calls.length;
}

/** Both drivers behind one promise-returning signature. */
const DRIVERS = {
  sync: <R>(task: Task<R>) => Promise.resolve().then(() => runSync(task)),
  async: <R>(task: Task<R>) => runAsync(task),
};

for (const [name, run] of Object.entries(DRIVERS)) {
  Deno.test(`${name} driver: each step's result is fed back into the task`, async () => {
    const a = step(2);
    const b = step("x");
    function* task(): Task<string> {
      const n = yield* perform(a.step);
      const s = yield* perform(b.step);
      return s.repeat(n);
    }
    assertEquals(await run(task()), "xx");
    assertEquals(callsOf(a, name), 1);
    assertEquals(callsOf(a, name === "sync" ? "async" : "sync"), 0);
    assertEquals(callsOf(b, name), 1);
  });

  Deno.test(`${name} driver: a failing step's error is thrown into the task`, async () => {
    const boom = new Error("boom");
    const caught: unknown[] = [];
    function* task(): Task<string> {
      try {
        yield* perform(step(0, boom).step);
        return "not reached";
      } catch (err) {
        caught.push(err);
      }
      // The task goes on after catching: later steps still run.
      return yield* perform(step("recovered").step);
    }
    assertEquals(await run(task()), "recovered");
    assertEquals(caught.length, 1);
    assertStrictEquals(caught[0], boom);
  });

  Deno.test(`${name} driver: an error the task does not catch runs its finally and propagates`, async () => {
    const boom = new Error("boom");
    const cleanup = step(undefined);
    function* task(): Task<void> {
      try {
        yield* perform(step(0, boom).step);
      } finally {
        yield* perform(cleanup.step); // a step inside finally is performed too
      }
    }
    const err = await run(task()).then(() => undefined, (e) => e);
    assertStrictEquals(err, boom);
    assertEquals(callsOf(cleanup, name), 1);
  });

  Deno.test(`${name} driver: an error thrown by the task itself propagates`, async () => {
    // deno-lint-ignore require-yield
    function* task(): Task<void> {
      throw new RangeError("from the task");
    }
    await assertRejects(() => run(task()), RangeError, "from the task");
  });
}

// ---------------------------------------------------------------------------
// Streams

/**
 * A streaming task over `batches` (an empty one included), with a step
 * before each batch; records when it starts and when its finally runs.
 */
function streaming(batches: number[][], log: string[], failAt = -1) {
  const closing = step(undefined);
  function* task(): Task<void, number> {
    log.push("start");
    try {
      for (let i = 0; i < batches.length; i++) {
        const boom = i === failAt ? new Error(`step ${i} failed`) : undefined;
        yield* perform(step(i, boom).step);
        yield batches[i];
      }
    } finally {
      log.push("finally");
      yield* perform(closing.step);
    }
  }
  return { task, closing };
}

const BATCHES = [[1, 2], [], [3], [4, 5, 6]];

Deno.test("streamSync: yields the items of every batch, starting lazily", () => {
  const log: string[] = [];
  const { task, closing } = streaming(BATCHES, log);
  const it = streamSync(task());
  assertEquals(log, []); // nothing runs before the first next()
  assertEquals([...it], [1, 2, 3, 4, 5, 6]);
  assertEquals(log, ["start", "finally"]);
  assertSpyCalls(closing.sync, 1);
  assertEquals(it.next(), { done: true, value: undefined });
});

Deno.test("streamAsync: yields the items of every batch, starting lazily", async () => {
  const log: string[] = [];
  const { task, closing } = streaming(BATCHES, log);
  const it = streamAsync(task());
  assertEquals(log, []);
  assertEquals(await Array.fromAsync(it), [1, 2, 3, 4, 5, 6]);
  assertEquals(log, ["start", "finally"]);
  assertSpyCalls(closing.async, 1);
  assertEquals(await it.next(), { done: true, value: undefined });
});

Deno.test("streamSync: finally blocks run when the consumer stops early", () => {
  for (const stop of ["break", "return", "throw", "dispose"]) {
    const log: string[] = [];
    const { task, closing } = streaming(BATCHES, log);
    const it = streamSync(task());
    const seen: number[] = [];
    if (stop === "break") {
      for (const n of it) {
        seen.push(n);
        if (n === 3) break;
      }
    } else {
      seen.push(it.next().value!, it.next().value!);
      if (stop === "return") {
        assertEquals(it.return(), { done: true, value: undefined });
      } else if (stop === "throw") {
        assertThrows(() => it.throw(new TypeError("stop")), TypeError, "stop");
      } else {
        it[Symbol.dispose]();
      }
    }
    assertEquals(log, ["start", "finally"], stop);
    assertSpyCalls(closing.sync, 1);
    assertEquals(seen, stop === "break" ? [1, 2, 3] : [1, 2], stop);
    assertEquals(it.next(), { done: true, value: undefined }, stop);
    it.return(); // a second stop does nothing
    assertSpyCalls(closing.sync, 1);
  }
});

Deno.test("streamAsync: finally blocks run when the consumer stops early", async () => {
  for (const stop of ["break", "return", "throw", "dispose"]) {
    const log: string[] = [];
    const { task, closing } = streaming(BATCHES, log);
    const it = streamAsync(task());
    const seen: number[] = [];
    if (stop === "break") {
      for await (const n of it) {
        seen.push(n);
        if (n === 3) break;
      }
    } else {
      seen.push((await it.next()).value!, (await it.next()).value!);
      if (stop === "return") {
        assertEquals(await it.return(), { done: true, value: undefined });
      } else if (stop === "throw") {
        await assertRejects(() => it.throw(new TypeError("stop")), TypeError);
      } else {
        await it[Symbol.asyncDispose]();
      }
    }
    assertEquals(log, ["start", "finally"], stop);
    assertSpyCalls(closing.async, 1);
    assertEquals(seen, stop === "break" ? [1, 2, 3] : [1, 2], stop);
    assertEquals(await it.next(), { done: true, value: undefined }, stop);
    await it.return();
    assertSpyCalls(closing.async, 1);
  }
});

Deno.test("streams: a failing step ends the stream with its error, after the task's finally", async () => {
  const log: string[] = [];
  const sync = streamSync(streaming(BATCHES, log, 2).task());
  assertEquals([sync.next().value, sync.next().value], [1, 2]);
  assertThrows(() => sync.next(), Error, "step 2 failed");
  assertEquals(log, ["start", "finally"]);
  assertEquals(sync.next(), { done: true, value: undefined });

  log.length = 0;
  const async = streamAsync(streaming(BATCHES, log, 2).task());
  assertEquals([(await async.next()).value, (await async.next()).value], [
    1,
    2,
  ]);
  await assertRejects(() => async.next(), Error, "step 2 failed");
  assertEquals(log, ["start", "finally"]);
  assertEquals(await async.next(), { done: true, value: undefined });
});

Deno.test("streamAsync: calls made before the last settled are answered in order", async () => {
  const log: string[] = [];
  const it = streamAsync(streaming(BATCHES, log).task());
  // Seven calls at once, without awaiting any: six items, then the end.
  const all = await Promise.all(Array.from({ length: 7 }, () => it.next()));
  assertEquals(all.map((r) => r.value), [1, 2, 3, 4, 5, 6, undefined]);
  assertEquals(all.map((r) => r.done), [...Array(6).fill(false), true]);
  // A return() queued behind a pending next() waits for it.
  const log2: string[] = [];
  const it2 = streamAsync(streaming(BATCHES, log2).task());
  const [first, stopped, after] = await Promise.all([
    it2.next(),
    it2.return(),
    it2.next(),
  ]);
  assertEquals(first, { done: false, value: 1 });
  assertEquals(stopped, { done: true, value: undefined });
  assertEquals(after, { done: true, value: undefined });
  assertEquals(log2, ["start", "finally"]);
});

Deno.test("streamSync: its result is an Iterator with the iterator helpers", () => {
  const it = streamSync(streaming(BATCHES, []).task());
  assertEquals(it.filter((n) => n % 2 === 0).toArray(), [2, 4, 6]);
});
