#!/usr/bin/env python3
"""CPython's own subclassing cases (Lib/test/test_random.py,
test_subclasses_overriding_methods), run over every method for
tests/random_test.ts to compare with live.

    PYENV_VERSION=3.13.0 python3.13 tests/random_subclasses.py < seeds.json

reads a JSON list of integer seeds and prints, for each of the eight classes
and each seed, twice (the overrides delegating as in CPython's test, and
altering what they return), the calls of ops() with their results (encoded
as in gen_random_vectors.py) and the overrides each call went through.
"""

import json
import os
import random
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_random_vectors import call, enc  # noqa: E402

# randrange(2**60) through random() alone warns that random() has too few
# bits; the draw is what is compared.
warnings.simplefilter("ignore")

called = set()
alter = False


def base_random(self):
    if alter:
        random.Random.random(self)  # skip one: a different stream
    return random.Random.random(self)


def base_bits(self, k):
    r = random.Random.getrandbits(self, k)
    return r ^ ((1 << k) - 1) if alter else r  # the complement in k bits


class SubClass1(random.Random):
    def random(self):
        called.add('SubClass1.random')
        return base_random(self)

    def getrandbits(self, n):
        called.add('SubClass1.getrandbits')
        return base_bits(self, n)


class SubClass2(random.Random):
    def random(self):
        called.add('SubClass2.random')
        return base_random(self)


class SubClass3(SubClass2):
    def getrandbits(self, n):
        called.add('SubClass3.getrandbits')
        return base_bits(self, n)


class SubClass4(SubClass3):
    def random(self):
        called.add('SubClass4.random')
        return base_random(self)


class Mixin1:
    def random(self):
        called.add('Mixin1.random')
        return base_random(self)


class Mixin2:
    def getrandbits(self, n):
        called.add('Mixin2.getrandbits')
        return base_bits(self, n)


class SubClass5(Mixin1, random.Random):
    pass


class SubClass6(Mixin2, random.Random):
    pass


class SubClass7(Mixin1, Mixin2, random.Random):
    pass


class SubClass8(Mixin2, Mixin1, random.Random):
    pass


CLASSES = [SubClass1, SubClass2, SubClass3, SubClass4, SubClass5, SubClass6,
           SubClass7, SubClass8]
PAL = list("abcdefghij")


def ops():
    return [
        ("randrange", (42,), {}),
        ("randrange", (10**20,), {}),
        ("randrange", (2**60,), {}),
        ("randrange", (-(2**70), 2**70, 3), {}),
        ("randrange", (0, 1000, 7), {}),
        ("randint", (1, 6), {}),
        ("randint", (0, 2**40), {}),
        ("choice", (PAL,), {}),
        ("shuffle", (list(range(20)),), {}),
        ("sample", (range(0, 100), 10), {}),
        ("sample", (range(0, 30), 10), {}),
        ("sample", (["a", "b"], 3), {"counts": [2, 2]}),
        ("choices", (PAL,), {"k": 5}),
        ("choices", (PAL, list(range(1, 11))), {"k": 3}),
        ("randbytes", (7,), {}),
        ("randbytes", (0,), {}),
        ("getrandbits", (40,), {}),
        ("random", (), {}),
        ("uniform", (1, 2), {}),
        ("triangular", (0, 10, 3), {}),
        ("gauss", (), {}),
        ("expovariate", (2,), {}),
        ("binomialvariate", (20, 0.3), {}),
        ("binomialvariate", (100, 0.4), {}),
    ]


def main():
    global alter
    out = []
    for seed in json.load(sys.stdin):
        for alter in (False, True):
            for cls in CLASSES:
                r = cls(seed)
                results = []
                for m, args, kw in ops():
                    called.clear()
                    res = call(r, m, args, kw)
                    results.append([m, enc(list(args)), enc(kw), res,
                                    sorted(called)])
                out.append({"cls": cls.__name__, "alter": alter, "seed": seed,
                            "ops": results})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
