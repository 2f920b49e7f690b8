// tempfile.ts against Deno's built-ins on the same file system. Each bench
// creates in its own fresh directory with a fixed iteration count, so the
// contender and its baseline see directories of the same size. Everything
// lives inside one TemporaryDirectory, which the `unload` safety net removes
// when the run ends.
import {
  mkdtemp,
  mkdtempSync,
  mkstemp,
  mkstempSync,
  NamedTemporaryFile,
  SpooledTemporaryFile,
  TemporaryDirectory,
  TemporaryFile,
} from "../tempfile.ts";

const root = new TemporaryDirectory({ prefix: "tempfile_bench_" });
const RUN = { n: 500, warmup: 50 };

/** A fresh, empty directory for one bench. */
function fresh(): string {
  return mkdtempSync({ dir: root.path });
}

function bench(
  name: string,
  group: string,
  baseline: boolean,
  make: (dir: string) => void,
): void {
  const dir = fresh();
  Deno.bench(name, { group, baseline, ...RUN }, () => make(dir));
}

function benchAsync(
  name: string,
  group: string,
  baseline: boolean,
  make: (dir: string) => Promise<unknown>,
): void {
  const dir = fresh();
  Deno.bench(name, { group, baseline, ...RUN }, async () => {
    await make(dir);
  });
}

bench("Deno.makeTempFileSync", "file sync", true, (dir) => {
  Deno.makeTempFileSync({ dir });
});
bench("mkstempSync", "file sync", false, (dir) => {
  mkstempSync({ dir });
});

benchAsync("Deno.makeTempFile", "file async", true, (dir) => {
  return Deno.makeTempFile({ dir });
});
benchAsync("mkstemp", "file async", false, (dir) => mkstemp({ dir }));

bench("Deno.makeTempDirSync", "dir sync", true, (dir) => {
  Deno.makeTempDirSync({ dir });
});
bench("mkdtempSync", "dir sync", false, (dir) => {
  mkdtempSync({ dir });
});

benchAsync("Deno.makeTempDir", "dir async", true, (dir) => {
  return Deno.makeTempDir({ dir });
});
benchAsync("mkdtemp", "dir async", false, (dir) => mkdtemp({ dir }));

bench(
  "Deno.makeTempFileSync + removeSync",
  "file create and remove",
  true,
  (dir) => {
    Deno.removeSync(Deno.makeTempFileSync({ dir }));
  },
);
bench("using NamedTemporaryFile", "file create and remove", false, (dir) => {
  using _tmp = new NamedTemporaryFile({ dir });
});

benchAsync(
  "Deno.makeTempFile + remove",
  "file create and remove async",
  true,
  async (dir) => {
    await Deno.remove(await Deno.makeTempFile({ dir }));
  },
);
benchAsync(
  "await using NamedTemporaryFile.create",
  "file create and remove async",
  false,
  async (dir) => {
    await using _tmp = await NamedTemporaryFile.create({ dir });
  },
);

bench(
  "Deno.makeTempDirSync + removeSync",
  "dir create and remove",
  true,
  (dir) => {
    Deno.removeSync(Deno.makeTempDirSync({ dir }), { recursive: true });
  },
);
bench("using TemporaryDirectory", "dir create and remove", false, (dir) => {
  using _tmp = new TemporaryDirectory({ dir });
});

// An anonymous file, and a spooled one, against the built-ins a user would
// write instead: Deno.makeTempFile, Deno.open, write, close, remove. Each
// writes the same 4 KiB; the spooled file stays in memory (maxSize 64 KiB)
// or rolls over at once (maxSize 1 KiB).
const DATA = new Uint8Array(4096).fill(7);
const RW: Deno.OpenOptions = { read: true, write: true };

bench(
  "Deno.makeTempFileSync + openSync + write 4 KiB + close + removeSync",
  "anonymous file, 4 KiB",
  true,
  (dir) => {
    const path = Deno.makeTempFileSync({ dir });
    using file = Deno.openSync(path, RW);
    file.writeSync(DATA);
    Deno.removeSync(path);
  },
);
bench(
  "using TemporaryFile + write 4 KiB",
  "anonymous file, 4 KiB",
  false,
  (dir) => {
    using tmp = new TemporaryFile({ dir });
    tmp.file.writeSync(DATA);
  },
);
bench(
  "using SpooledTemporaryFile, in memory + write 4 KiB",
  "anonymous file, 4 KiB",
  false,
  (dir) => {
    using tmp = new SpooledTemporaryFile({ dir, maxSize: 65536 });
    tmp.writeSync(DATA);
  },
);
bench(
  "using SpooledTemporaryFile, rolled over + write 4 KiB",
  "anonymous file, 4 KiB",
  false,
  (dir) => {
    using tmp = new SpooledTemporaryFile({ dir, maxSize: 1024 });
    tmp.writeSync(DATA);
  },
);

benchAsync(
  "Deno.makeTempFile + open + write 4 KiB + close + remove",
  "anonymous file, 4 KiB, async",
  true,
  async (dir) => {
    const path = await Deno.makeTempFile({ dir });
    using file = await Deno.open(path, RW);
    await file.write(DATA);
    await Deno.remove(path);
  },
);
benchAsync(
  "await using TemporaryFile.create + write 4 KiB",
  "anonymous file, 4 KiB, async",
  false,
  async (dir) => {
    await using tmp = await TemporaryFile.create({ dir });
    await tmp.file.write(DATA);
  },
);
benchAsync(
  "await using SpooledTemporaryFile, in memory + write 4 KiB",
  "anonymous file, 4 KiB, async",
  false,
  async (dir) => {
    await using tmp = new SpooledTemporaryFile({ dir, maxSize: 65536 });
    await tmp.write(DATA);
  },
);
benchAsync(
  "await using SpooledTemporaryFile, rolled over + write 4 KiB",
  "anonymous file, 4 KiB, async",
  false,
  async (dir) => {
    await using tmp = new SpooledTemporaryFile({ dir, maxSize: 1024 });
    await tmp.write(DATA);
  },
);
