// Private: one implementation for the async functions and their Sync twins.
// Not exported from mod.ts; nothing here is part of the public API.
//
// The logic of a function is written once, as a generator (a task) that
// yields the I/O steps it needs. A step knows both its synchronous and its
// asynchronous call: `runSync` performs the synchronous ones and `runAsync`
// awaits the asynchronous ones, feeding each result back in (or throwing the
// error in, so try/catch/finally inside a task work as usual). A function
// and its Sync twin so share every line but the driver.

/** One I/O call, in both forms. */
export interface Step<T> {
  sync(): T;
  async(): Promise<T>;
}

/** What a streaming task yields between its steps: output, in batches. */
type Batch<Out> = [Out] extends [never] ? never : Out[];

/**
 * A task yields steps (and, when it streams, batches of `Out`) and returns
 * `R`. Its `next` values are typed by {@linkcode perform}, hence `never`.
 */
export type Task<R, Out = never> = Generator<
  Step<unknown> | Batch<Out>,
  R,
  never
>;

/** Performs one step inside a task: `const x = yield* perform(io.x(...))`. */
export function* perform<T>(step: Step<T>): Generator<Step<T>, T, T> {
  return yield step;
}

type Next<R, Out> = IteratorResult<Step<unknown> | Batch<Out>, R>;

/** Performs `step` synchronously and resumes `task` with its outcome. */
function resumeSync<R, Out>(
  task: Task<R, Out>,
  step: Step<unknown>,
): Next<R, Out> {
  let value: unknown;
  try {
    value = step.sync();
  } catch (err) {
    return task.throw(err);
  }
  return task.next(value as never);
}

/** Awaits `step` and resumes `task` with its outcome. */
async function resumeAsync<R, Out>(
  task: Task<R, Out>,
  step: Step<unknown>,
): Promise<Next<R, Out>> {
  let value: unknown;
  try {
    value = await step.async();
  } catch (err) {
    return task.throw(err);
  }
  return task.next(value as never);
}

/** Runs a task with the synchronous calls. */
export function runSync<R>(task: Task<R>): R {
  let next = task.next();
  while (!next.done) next = resumeSync(task, next.value);
  return next.value;
}

/** Runs a task with the asynchronous calls. */
export async function runAsync<R>(task: Task<R>): Promise<R> {
  let next = task.next();
  while (!next.done) next = await resumeAsync(task, next.value);
  return next.value;
}

const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/**
 * Resumes `task` once it has been told to stop (`return` called on it) and
 * performs the steps its `finally` blocks still yield, synchronously.
 */
function closeSync<Out>(task: Task<void, Out>): void {
  let next = task.return(undefined);
  while (!next.done) {
    const item = next.value;
    next = Array.isArray(item) ? task.next() : resumeSync(task, item);
  }
}

/** {@linkcode closeSync} with the asynchronous calls. */
async function closeAsync<Out>(task: Task<void, Out>): Promise<void> {
  let next = task.return(undefined);
  while (!next.done) {
    const item = next.value;
    next = Array.isArray(item) ? task.next() : await resumeAsync(task, item);
  }
}

/**
 * A streaming task and the batch it last yielded: the state both stream
 * iterators keep, and what they do with each result of the task.
 */
class Batches<Out> {
  task: Task<void, Out> | undefined;
  #batch: Out[] = [];
  #index = 0;

  constructor(task: Task<void, Out>) {
    this.task = task;
  }

  /** The next item of the current batch, if one is left. */
  item(): IteratorResult<Out, void> | undefined {
    if (this.#index >= this.#batch.length) return undefined;
    return { done: false, value: this.#batch[this.#index++] };
  }

  /**
   * What the task's result `next` gives the consumer: the first item of a
   * batch (which becomes the current one; an empty one is skipped), or the
   * end; or a step the caller must perform and feed back.
   */
  accept(next: Next<void, Out>): IteratorResult<Out, void> | Step<unknown> {
    while (!next.done) {
      const item = next.value;
      if (!Array.isArray(item)) return item;
      if (item.length > 0) {
        this.#batch = item;
        this.#index = 1;
        return { done: false, value: item[0] };
      }
      next = this.task!.next();
    }
    this.task = undefined;
    return DONE;
  }

  /**
   * The consumer's next item, or the end, or the first step to perform for
   * it (whose outcome goes to {@linkcode accept}, through {@linkcode guard}).
   */
  pull(): IteratorResult<Out, void> | Step<unknown> {
    const ready = this.item();
    if (ready !== undefined) return ready;
    const task = this.task;
    if (task === undefined) return DONE;
    return this.guard(() => this.accept(task.next()));
  }

  /** Runs `f`; when it throws, the task has ended: it is detached. */
  guard<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      this.detach();
      throw err;
    }
  }

  /** Takes the task away, to close it: nothing more is handed out. */
  detach(): Task<void, Out> | undefined {
    const task = this.task;
    this.task = undefined;
    this.#batch = [];
    return task;
  }
}

const isStep = (
  out: IteratorResult<unknown, void> | Step<unknown>,
): out is Step<unknown> => !("done" in out);

/**
 * The iterator {@linkcode streamSync} returns. Written by hand rather than
 * as a generator: handing out the items of a batch is then an array read,
 * not a generator resumption per item.
 */
class SyncStream<Out> extends Iterator<Out, void, undefined>
  implements Generator<Out, void, undefined> {
  #batches: Batches<Out>;

  constructor(task: Task<void, Out>) {
    super();
    this.#batches = new Batches(task);
  }

  override next(): IteratorResult<Out, void> {
    const b = this.#batches;
    let out = b.pull();
    while (isStep(out)) {
      const step = out;
      out = b.guard(() => b.accept(resumeSync(b.task!, step)));
    }
    return out;
  }

  override return(): IteratorResult<Out, void> {
    // The task's own cleanup, also when the consumer stops early.
    const task = this.#batches.detach();
    if (task !== undefined) closeSync(task);
    return DONE;
  }

  override throw(err: unknown): IteratorResult<Out, void> {
    this.return();
    throw err;
  }

  override [Symbol.iterator](): this {
    return this;
  }
}

/**
 * The iterator {@linkcode streamAsync} returns: the items of a batch are
 * handed out as resolved promises, without an `await` each (an async
 * generator costs several promises per item). Calls made while a step is
 * pending wait their turn, as an async generator's do.
 */
class AsyncStream<Out> implements AsyncGenerator<Out, void, undefined> {
  #batches: Batches<Out>;
  #busy: Promise<unknown> | undefined;

  constructor(task: Task<void, Out>) {
    this.#batches = new Batches(task);
  }

  next(): Promise<IteratorResult<Out, void>> {
    const ready = this.#busy === undefined ? this.#batches.item() : undefined;
    if (ready !== undefined) return Promise.resolve(ready);
    return this.#queue(() => this.#pull());
  }

  return(): Promise<IteratorResult<Out, void>> {
    return this.#queue(async () => {
      const task = this.#batches.detach();
      if (task !== undefined) await closeAsync(task);
      return DONE;
    });
  }

  throw(err: unknown): Promise<IteratorResult<Out, void>> {
    return this.return().then(() => Promise.reject(err));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /** Runs `op` after every call queued before it has settled. */
  #queue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#busy === undefined ? op() : this.#busy.then(op, op);
    this.#busy = run;
    const settled = () => {
      if (this.#busy === run) this.#busy = undefined;
    };
    run.then(settled, settled);
    return run;
  }

  async #pull(): Promise<IteratorResult<Out, void>> {
    const b = this.#batches;
    let out = b.pull();
    while (isStep(out)) {
      let next: Next<void, Out>;
      try {
        next = await resumeAsync(b.task!, out);
      } catch (err) {
        b.detach();
        throw err;
      }
      out = b.guard(() => b.accept(next));
    }
    return out;
  }
}

/**
 * Runs a streaming task synchronously, yielding the items of its batches.
 * The task starts on the first `next()`; `return()` (a `break` out of a
 * `for...of`) runs its `finally` blocks, performing the steps they yield.
 */
export function streamSync<Out>(
  task: Task<void, Out>,
): Generator<Out, void, undefined> {
  return new SyncStream(task);
}

/** Runs a streaming task asynchronously, as {@linkcode streamSync} does. */
export function streamAsync<Out>(
  task: Task<void, Out>,
): AsyncGenerator<Out, void, undefined> {
  return new AsyncStream(task);
}

/** The steps of Deno's file-system calls that the modules use. */
export const io = {
  open: (path: string, options: Deno.OpenOptions): Step<Deno.FsFile> => ({
    sync: () => Deno.openSync(path, options),
    async: () => Deno.open(path, options),
  }),
  mkdir: (path: string, options: Deno.MkdirOptions): Step<void> => ({
    sync: () => Deno.mkdirSync(path, options),
    async: () => Deno.mkdir(path, options),
  }),
  readDir: (path: string): Step<Deno.DirEntry[]> => ({
    sync: () => [...Deno.readDirSync(path)],
    async: () => Array.fromAsync(Deno.readDir(path)),
  }),
  read: (file: Deno.FsFile, buf: Uint8Array): Step<number | null> => ({
    sync: () => file.readSync(buf),
    async: () => file.read(buf),
  }),
  write: (file: Deno.FsFile, buf: Uint8Array): Step<number> => ({
    sync: () => file.writeSync(buf),
    async: () => file.write(buf),
  }),
  seek: (file: Deno.FsFile, offset: number): Step<number> => ({
    sync: () => file.seekSync(offset, Deno.SeekMode.Start),
    async: () => file.seek(offset, Deno.SeekMode.Start),
  }),
  /** The file's offset (after an `O_APPEND` write: the end of what it wrote). */
  tell: (file: Deno.FsFile): Step<number> => ({
    sync: () => file.seekSync(0, Deno.SeekMode.Current),
    async: () => file.seek(0, Deno.SeekMode.Current),
  }),
  /** Moves to the end of the file; gives its size. */
  seekEnd: (file: Deno.FsFile): Step<number> => ({
    sync: () => file.seekSync(0, Deno.SeekMode.End),
    async: () => file.seek(0, Deno.SeekMode.End),
  }),
  truncate: (file: Deno.FsFile, length: number): Step<void> => ({
    sync: () => file.truncateSync(length),
    async: () => file.truncate(length),
  }),
  fstat: (file: Deno.FsFile): Step<Deno.FileInfo> => ({
    sync: () => file.statSync(),
    async: () => file.stat(),
  }),
  fsync: (file: Deno.FsFile): Step<void> => ({
    sync: () => file.syncSync(),
    async: () => file.sync(),
  }),
  stat: (path: string): Step<Deno.FileInfo> => ({
    sync: () => Deno.statSync(path),
    async: () => Deno.stat(path),
  }),
  lstat: (path: string): Step<Deno.FileInfo> => ({
    sync: () => Deno.lstatSync(path),
    async: () => Deno.lstat(path),
  }),
  readLink: (path: string): Step<string> => ({
    sync: () => Deno.readLinkSync(path),
    async: () => Deno.readLink(path),
  }),
  chmod: (path: string, mode: number): Step<void> => ({
    sync: () => Deno.chmodSync(path, mode),
    async: () => Deno.chmod(path, mode),
  }),
  rename: (from: string, to: string): Step<void> => ({
    sync: () => Deno.renameSync(from, to),
    async: () => Deno.rename(from, to),
  }),
  remove: (path: string, options?: Deno.RemoveOptions): Step<void> => ({
    sync: () => Deno.removeSync(path, options),
    async: () => Deno.remove(path, options),
  }),
};
