#!/usr/bin/env python3
"""tests/inputs/gen.py: writes the hostile inputs of tests/inputs/suite.sh into a folder.
Deterministic: the same bytes every run (binary garbage comes from a fixed-seed generator)."""
import os
import random
import sys

out = sys.argv[1]
good = b"scale my-endpoint on gpu avg 50% cooldown in 10m out 5m\n"
cases = {
    "nul-bytes": b"scale my-ep\x00 on gpu avg 50%\n\x00\x00\n",
    "invalid-utf8-comment": b"# caf\xc3 \xff\n" + good,
    "invalid-utf8-string": b'scale my-ep on metric "\xc0\xaf" in "ns" avg 5\n',
    "invalid-utf8-outside": b"scale my-ep \xfe\xff on gpu avg 50%\n",
    "utf16-le-bom": b"\xff\xfe" + good.decode().encode("utf-16-le"),
    "utf16-be-bom": b"\xfe\xff" + good.decode().encode("utf-16-be"),
    "utf16-le-no-bom": good.decode().encode("utf-16-le"),
    "bidi-comment": "# access check \u202e }\u2066 if admin \u2069\u2066 {\n".encode() + good,
    "bidi-string": 'scale my-ep on gpu avg 50% name "p\u2067olicy"\n'.encode(),
    "long-token": b"scale " + b"a" * (1 << 20) + b" on gpu avg 50%\n",
    "long-number": b"scale my-ep on gpu avg " + b"9" * (1 << 20) + b"%\n",
    "long-string": b'scale my-ep on gpu avg 50% name "' + b"x" * (1 << 20) + b'"\n',
    "long-comment-then-error": b"#" + b"c" * (1 << 20) + b"\nscale my-ep on gpu avrage 50%\n",
    "long-line-error": b"scale my-ep on gpu avg 50%" + b" " * 5000 + b" @\n",
    "unterminated-string-eof": b'scale my-ep on metric "abc',
    "unterminated-block-eof": b"endpoint my-ep {\n  capacity 1..2\n",
    "deep-braces": b"endpoint a " + b"{ " * 100000 + b"\n",
    "nested-blocks": b"endpoint a { " * 10000 + b"}" * 10000 + b"\n",
    "many-lines-of-garbage": b"@#$%^&*()\n" * 50000,
    "control-characters": b"scale my-ep\x01\x02\x1b[31m on gpu avg 50%\n",
    "crlf-error": b"scale my-ep on gpu avrage 50%\r\n",
    "tab-alignment": b"\tscale\tmy-ep\ton\tgpu\tavrage\t50%\n",
    "huge-exponent": b"scale my-ep on gpu avg 1e999999999999%\n",
    "cr-only-lines": b"scale my-ep on gpu avg 50%\rscale x on cpu avg 50%\r",
}
rng = random.Random(20261126)
cases["binary-garbage"] = bytes(rng.getrandbits(8) for _ in range(200000))
cases["garbage-after-good"] = good + bytes(rng.getrandbits(8) for _ in range(5000))
os.makedirs(out, exist_ok=True)
for name, data in cases.items():
    with open(os.path.join(out, name + ".scale"), "wb") as f:
        f.write(data)
