"""The kit's self-test: `python3 -B -m labtwin` from crates/lab-kit/django."""

import os
import shutil
import sqlite3
import tempfile
import threading

from . import held
from .interleave import Paused, Session, run


def self_test():
    """Two sessions on a SQLite file with BEGIN IMMEDIATE: the second begin waits, is tried
    again after the first commits, and both increments land; a step for a waiting session
    is refused; a paused view checks its labels and gives its answer."""
    folder = tempfile.mkdtemp(prefix="lab-twin-test-")
    path = os.path.join(folder, "t.sqlite3")
    with sqlite3.connect(path) as db:
        db.executescript("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (0);")
    local = threading.local()

    def session(name):
        def sql(text):
            return lambda: local.db.execute(text).fetchall()

        def connect():
            local.db = sqlite3.connect(path, timeout=0, isolation_level=None)

        steps = {f"{name}_begin": sql("BEGIN IMMEDIATE"),
                 f"{name}_add": sql("UPDATE t SET n = n + 1"),
                 f"{name}_commit": sql("COMMIT")}
        return Session(name, steps, setup=connect, teardown=lambda: local.db.close())

    a, b = session("a"), session("b")
    waited = run([a, b], ["a_begin", "b_begin", "a_add", "a_commit", "b_add", "b_commit"])
    assert waited == ["b_begin"], waited
    try:
        run([a, b], ["a_begin", "b_begin", "b_add"])
        raise AssertionError("a step for a waiting session was run")
    except RuntimeError as refused:
        assert "waits on b_begin" in str(refused), refused
    run([a], ["a_commit"])
    for s in (a, b):
        s.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT n FROM t").fetchone() == (2,)
    shutil.rmtree(folder)

    def view(x):
        yield "one"
        return x * 2

    paused = Paused(view, 21)
    assert paused.step("one") == "one" and paused.step("two") == 42 and paused.answer == 42
    assert paused.again() == 42
    # A view that has answered repeats its answer for the lab's later steps.
    assert paused.step("one") == 42
    try:
        Paused(view, 1).step("two")
        raise AssertionError("a wrong label was accepted")
    except RuntimeError as wrong:
        assert "'one'" in str(wrong), wrong
    held_self_test()
    print("labtwin: self-test passed")


def held_self_test():
    """A worker's call is held until the service's step answers it; a second answer finds
    nothing to answer; open gates let a call through at once."""
    for open_gates, permutation, waited in ((False, ["w_send", "svc_answer", "svc_answer"], ["w_send"]),
                                            (True, ["w_send"], [])):
        gates = held.Gates(open=open_gates)

        def handle(method, path, body, gates=gates):
            gates.answered(gates.hold("svc", f"{method} {path}"), "202")
            return 202, "queued"

        server = held.Server(handle)
        worker = held.Worker("w", gates, {"w_send": lambda url=server.url("/m"): held.post(url, "{}")})
        service = held.Service("svc", gates, ["svc_answer"])
        assert run([worker, service], permutation) == waited, permutation
        assert worker.answers["w_send"] == (202, "queued"), worker.answers
        assert [c["answer"] for c in gates.calls] == ["202"], gates.calls
        server.close()


self_test()
