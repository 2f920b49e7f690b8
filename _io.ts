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

/** Runs a streaming task synchronously, yielding the items of its batches. */
export function* streamSync<Out>(
  task: Task<void, Out>,
): Generator<Out, void, undefined> {
  try {
    let next = task.next();
    while (!next.done) {
      const item = next.value;
      if (Array.isArray(item)) {
        yield* item;
        next = task.next();
      } else {
        next = resumeSync(task, item);
      }
    }
  } finally {
    task.return(undefined); // runs the task's own cleanup when the consumer stops early
  }
}

/** Runs a streaming task asynchronously, yielding the items of its batches. */
export async function* streamAsync<Out>(
  task: Task<void, Out>,
): AsyncGenerator<Out, void, undefined> {
  try {
    let next = task.next();
    while (!next.done) {
      const item = next.value;
      if (Array.isArray(item)) {
        for (const out of item) yield out;
        next = task.next();
      } else {
        next = await resumeAsync(task, item);
      }
    }
  } finally {
    task.return(undefined);
  }
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
  lock: (file: Deno.FsFile): Step<void> => ({
    sync: () => file.lockSync(true),
    async: () => file.lock(true),
  }),
  stat: (path: string): Step<Deno.FileInfo> => ({
    sync: () => Deno.statSync(path),
    async: () => Deno.stat(path),
  }),
  lstat: (path: string): Step<Deno.FileInfo> => ({
    sync: () => Deno.lstatSync(path),
    async: () => Deno.lstat(path),
  }),
  realPath: (path: string): Step<string> => ({
    sync: () => Deno.realPathSync(path),
    async: () => Deno.realPath(path),
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
