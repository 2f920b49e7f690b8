#!/usr/bin/env python3
"""Test vectors for random.ts from CPython 3.13's random module.

    PYENV_VERSION=3.13.0 python3.13 tests/gen_random_vectors.py > tests/random_vectors.json

writes the committed vectors. With --live it reads a JSON list of seed specs
on stdin and prints the cases for those seeds instead; tests/random_test.ts
uses that mode to compare fresh seeds against the CPython on the machine.

JSON encoding (the same both ways):
- a seed spec is {"int": "<decimal>"}, {"float": <number> | "inf" | "-inf"},
  {"str": "..."} or {"bytes": "<hex>"}, with "version": 1 for CPython's
  legacy str/bytes seeding (seed(a, version=1));
- an int beyond 2**53 - 1 in magnitude is {"big": "<decimal>"};
- bytes are {"hex": "..."}; range(a, b) populations are {"range": [a, b]};
- a NaN or infinite float argument or result is {"float": "nan" | "inf" |
  "-inf"};
- a call that raises has {"raises": "<exception type>", "message": "<str(e)>"}
  as its result; the op after it shows where the stream was left.
"""

import json
import random
import sys

SAFE = 2**53 - 1
sys.set_int_max_str_digits(0)  # seeds such as 2**20000 are spelled in decimal

PAL = list("abcdefghij")


def ops():
    """The calls made on one generator, in order: (method, args, kwargs)."""
    o = []
    o += [("random", (), {})] * 5
    for k in (0, 1, 5, 31, 32, 33, 52, 53, 54, 64, 100, 257):
        o.append(("getrandbits", (k,), {}))
    for n in (0, 1, 3, 4, 5, 13):
        o.append(("randbytes", (n,), {}))
    for args in (
        (1,), (10,), (1, 1000), (-50, 50, 7), (100, 0, -3), (0, 10, 3),
        (2**31,), (2**32,), (2**32 + 1,), (2**52,), (2**53 - 1,),
        (-(2**52), 2**52), (0, 2**53 - 1, 2**40 + 3),
        (2**53,), (2**64,), (-(2**70), 2**70, 3), (10**30,),
        (5, -(2**60), -7),
    ):
        o.append(("randrange", args, {}))
    for args in ((1, 6), (0, 0), (-3, 3), (0, 2**53 - 2), (-(10**18), 10**18),
                 (-(2**52), 2**52 - 1)):
        o.append(("randint", args, {}))
    o.append(("choice", (PAL,), {}))
    o.append(("choice", (range(0, 1000),), {}))
    o.append(("choice", ("héllo🎲",), {}))
    o.append(("choices", (PAL,), {"k": 5}))
    o.append(("choices", (PAL,), {"k": 0}))
    o.append(("choices", (PAL, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), {"k": 6}))
    o.append(("choices", (PAL, [0.1, 0, 0, 2.5, 0, 0, 0, 0, 0, 1e-3]), {"k": 6}))
    o.append(("choices", (PAL,), {"cum_weights": [1, 1, 2, 3, 5, 8, 13, 21, 34, 55], "k": 6}))
    o.append(("shuffle", (list(range(20)),), {}))
    o.append(("shuffle", (list(range(1)),), {}))
    o.append(("sample", (range(0, 20), 10), {}))     # pool method
    o.append(("sample", (range(0, 100), 10), {}))    # set method
    o.append(("sample", (range(0, 100), 100), {}))
    o.append(("sample", (range(0, 10**6), 5), {}))
    # Both sides of the pool/set threshold 21 + 4 ** ceil(log(3k, 4)).
    for n, k in ((21, 5), (22, 5), (85, 6), (86, 6), (85, 21), (86, 21),
                 (277, 22), (278, 22)):
        o.append(("sample", (range(0, n), k), {}))
    o.append(("sample", (PAL, 3), {}))
    o.append(("sample", (PAL, 0), {}))
    o.append(("sample", (["red", "blue"], 5), {"counts": [4, 2]}))
    o.append(("sample", (["x", "y", "z"], 4), {"counts": [0, 3, 2]}))
    o.append(("uniform", (-3, 7), {}))
    o.append(("uniform", (2.5, 2.5), {}))
    o.append(("triangular", (), {}))
    o.append(("triangular", (0, 10, 2), {}))
    o.append(("triangular", (0, 10, 9.5), {}))
    o.append(("triangular", (5, 5, 5), {}))
    o.append(("triangular", (10, 0), {}))
    o += [("gauss", (), {})] * 3
    o.append(("gauss", (100, 15), {}))
    o.append(("normalvariate", (), {}))
    o.append(("normalvariate", (100, 15), {}))
    o.append(("lognormvariate", (0, 1), {}))
    o.append(("expovariate", (), {}))
    o.append(("expovariate", (2.5,), {}))
    o.append(("expovariate", (-0.5,), {}))
    o.append(("vonmisesvariate", (0, 0), {}))
    o.append(("vonmisesvariate", (0, 4), {}))
    o.append(("vonmisesvariate", (0, 0.5), {}))
    o.append(("gammavariate", (0.5, 1), {}))
    o.append(("gammavariate", (1, 2), {}))
    o.append(("gammavariate", (2.5, 1.5), {}))
    o.append(("gammavariate", (200, 1), {}))
    o.append(("betavariate", (2, 3), {}))
    o.append(("betavariate", (0.3, 0.4), {}))
    o.append(("paretovariate", (2.5,), {}))
    o.append(("weibullvariate", (1.5, 2), {}))
    o.append(("binomialvariate", (), {}))
    o.append(("binomialvariate", (1, 0.3), {}))
    o.append(("binomialvariate", (20, 0.2), {}))
    o.append(("binomialvariate", (100, 0.4), {}))
    o.append(("binomialvariate", (1000, 0.7), {}))
    o.append(("binomialvariate", (10**6, 0.25), {}))
    o.append(("binomialvariate", (50, 0.0), {}))
    o.append(("binomialvariate", (5, 1.0), {}))
    # n beyond 2**53: CPython's exact int arithmetic around the floats.
    o.append(("binomialvariate", (10**20, 0.3), {}))
    o.append(("binomialvariate", (2**56, 1e-16), {}))  # geometric, huge steps
    o.append(("binomialvariate", (2**70 + 1, 0.7), {}))
    # Errors, each followed by a draw that shows where CPython left the
    # stream (some raise before drawing, some after). Only calls whose
    # outcome is the same with V8's and glibc's libm for every seed.
    nan, inf = float("nan"), float("inf")
    for m, args, kw in (
        ("expovariate", (0,), {}),          # draws, then ZeroDivisionError
        ("expovariate", (-0.0,), {}),
        ("paretovariate", (0,), {}),
        ("weibullvariate", (1.5, 0), {}),
        ("paretovariate", (1e-5,), {}),     # OverflowError unless u > 0.9929
        ("lognormvariate", (1000, 1), {}),  # OverflowError: math range error
        ("binomialvariate", (50, nan), {}),  # AssertionError before drawing
        ("binomialvariate", (nan, 0.5), {}),
        ("binomialvariate", (inf, 0.5), {}),  # draws, then floor(nan or inf)
        ("binomialvariate", (1, nan), {}),   # no error: random() < nan is 0
        ("binomialvariate", (10**400, 0.5), {}),  # int too large for a float
        ("betavariate", (2, 0), {}),        # draws gammavariate(2, 1) first
        ("choices", ([],), {"k": 2}),       # draws, then IndexError
        ("gammavariate", (0, 1), {}),
        ("randrange", (5, 5), {}),
        ("randrange", (1.5,), {}),          # TypeError
        ("sample", (PAL, 11), {}),
    ):
        o += [(m, args, kw), ("random", (), {})]
    o += [("random", (), {})] * 3
    return o


def enc(x):
    if isinstance(x, bool):
        raise TypeError("bool")
    if isinstance(x, int):
        return x if -SAFE <= x <= SAFE else {"big": str(x)}
    if isinstance(x, float):
        if x != x:
            return {"float": "nan"}
        if x in (float("inf"), float("-inf")):
            return {"float": "inf" if x > 0 else "-inf"}
        return x
    if isinstance(x, (bytes, bytearray)):
        return {"hex": x.hex()}
    if isinstance(x, range):
        return {"range": [x.start, x.stop]}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    if x is None:
        return None
    raise TypeError(type(x))


def dec_seed(spec):
    if "int" in spec:
        return int(spec["int"])
    if "float" in spec:
        v = spec["float"]
        return float(v) if isinstance(v, str) else float(v)
    if "str" in spec:
        return spec["str"]
    if "bytes" in spec:
        return bytes.fromhex(spec["bytes"])
    raise ValueError(spec)


def call(r, m, args, kw):
    """r.m(*args, **kw), encoded; shuffle's result is the shuffled copy."""
    if m == "shuffle":
        x = list(args[0])
        r.shuffle(x)
        return enc(x)
    return enc(getattr(r, m)(*args, **kw))


def run_case(spec, with_state=False):
    r = random.Random()
    r.seed(dec_seed(spec), version=spec.get("version", 2))
    case = {"seed": spec}
    if with_state:
        case["state"] = enc(r.getstate())
    out = []
    for m, args, kw in ops():
        try:
            res = call(r, m, args, kw)
        except Exception as e:  # the error is the result to reproduce
            res = {"raises": type(e).__name__, "message": str(e)}
        out.append([m, enc(list(args)), enc(kw), res])
    case["ops"] = out
    case["end_state"] = enc(r.getstate())[1][-1]  # the index only
    return case


def fixed_seeds():
    ints = [0, 1, 2, 42, 12345, 2**31 - 1, 2**32 - 1, 2**32, 2**32 + 1,
            2**53 - 1, -1, -42, -(2**40), 2**64, 2**100 + 7, 10**50, 3**200,
            -(10**30), 10**20, 2**19937 - 1, 2**20000 + 12345]
    floats = [1.5, -1.5, 0.1, -2.5e-8, 3.14159, 1e-300, 5e-324, 2.0**-61,
              -(2.0**-61), 123.456, 2.0**52 + 0.5, -7.25, "inf", "-inf",
              # Integral but beyond 2**53: floats in JavaScript's terms too.
              1e20, 2.0**53, 2.0**60, -(2.0**60), 2.0**61 - 2.0**9, 1e308,
              -1.7976931348623157e308]
    strs = ["", "a", "hello", "héllo wörld", "日本語", "🎲 emoji", "x" * 1000,
            "\x00"]
    bys = ["", "00", "000001", bytes(range(256)).hex(), b"hello".hex(),
           "ff" * 70]
    specs = [{"int": str(i)} for i in ints]
    specs += [{"float": f} for f in floats]
    specs += [{"str": s} for s in strs]
    specs += [{"bytes": b} for b in bys]
    specs += [{"str": s, "version": 1} for s in ("", "x", "héllo", "日本🎲")]
    specs += [{"bytes": b, "version": 1} for b in ("", "78", "ff00e9")]
    return specs


def states():
    """Python states (JSON, as json.dumps gives them) and what follows each."""
    cases = []
    for seed, skip, gauss in ((7, 0, False), (8, 311, True), (9, 623, False),
                              (10, 624, True), (11, 5000, False)):
        r = random.Random(seed)
        for _ in range(skip):
            r.getrandbits(32)
        if gauss:
            r.gauss()
        state = json.loads(json.dumps(r.getstate()))
        nxt = [r.random() for _ in range(3)] + [r.gauss(), r.gauss()]
        cases.append({"state": state, "next": nxt})
    return cases


def main():
    if "--live" in sys.argv:
        specs = json.load(sys.stdin)
        json.dump([run_case(s) for s in specs], sys.stdout)
        return
    specs = fixed_seeds()
    data = {
        "python": sys.version.split()[0],
        "cases": [run_case(s, with_state=(i % 10 == 0))
                  for i, s in enumerate(specs)],
        "states": states(),
    }
    json.dump(data, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
