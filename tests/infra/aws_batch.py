#!/usr/bin/python3
"""aws_batch.py ENDPOINT RECORD LIST: runs recorded aws command lines through Debian's awscli, in this
one process (the aws command is awscli.clidriver.main; started once here instead of once per
call, which costs a second or more each).

The cli scripts mmec writes are run with a stand-in `aws` first on PATH (tests/infra/suite.sh)
that records each command line, its arguments NUL-separated, in a file CALLS/N (N = 0, 1, ...).
Each line of LIST is "CALLS<TAB>COPY<TAB>OUT": the calls of CALLS are run in order, as
`aws --endpoint-url ENDPOINT ARGS...` would run them, against aws_server.py recording into
RECORD (emptied first, then copied to COPY once the calls are made); their output goes to OUT, and the line "status N" ends OUT: 0 when
every call succeeded, else the first failing call's status (the scripts run with set -e, so
that call would have ended them).
"""
import contextlib
import io
import os
import shutil
import sys

import awscli.clidriver


_loader = []   # the first driver's data loader, given to every later one


def driver():
    """A new aws CLI driver (a fresh session: nothing one call set carries over to the next)
    that shares the first one's data loader, whose cache holds the parsed service models and
    the list of services: reading and parsing them again for each call was most of the cost."""
    d = awscli.clidriver.create_clidriver()
    if _loader:
        d.session.register_component("data_loader", _loader[0])
    else:
        _loader.append(d.session.get_component("data_loader"))
    return d


def run(endpoint, record, calls, copy, out):
    open(record, "w").close()
    status = 0
    with open(out, "w", encoding="utf-8") as log:
        names = sorted((n for n in os.listdir(calls) if n.isdigit()), key=int)
        for n in names:
            with open(os.path.join(calls, n), "rb") as f:
                args = [a.decode() for a in f.read().split(b"\0")[:-1]]
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                try:
                    rc = driver().main(["--endpoint-url", endpoint] + args)
                except SystemExit as e:
                    rc = e.code if isinstance(e.code, int) else 1
            log.write(buf.getvalue())
            if rc:
                log.write("aws %s: exit status %s\n" % (" ".join(args[:2]), rc))
                status = rc
                break
        log.write("status %d (%d calls)\n" % (status, len(names)))
    shutil.copyfile(record, copy)


def main(argv):
    endpoint, record, listing = argv[1], argv[2], argv[3]
    with open(listing, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                run(endpoint, record, *line.rstrip("\n").split("\t"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
