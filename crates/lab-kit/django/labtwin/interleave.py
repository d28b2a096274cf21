"""The interleaving harness: views paused at each lab step, sessions on threads of their
own, and the lab's permutation run over them (lab_kit::interleave::run, in Python)."""

import queue
import threading
import time

POLL = 0.002  # how soon a state is noticed; never who goes first
STEP_LIMIT = 60  # a step that neither answers nor waits on a session this long is an error
LOCKED = "database is locked"  # SQLite's BUSY, as Python's sqlite3 and Django raise it


class Paused:
    """One run of a view written as a generator: each `yield "<label>"` ends the lab's step
    `<session>_<label>`; leaving the generator ends the last one, and what it returns is
    the answer. Driven on the session's own thread."""

    def __init__(self, view, *args):
        self.view, self.args = view, args
        self.run, self.steps, self.answer, self.ended = None, 0, None, False

    def step(self, label):
        if self.ended:
            # The view answered early (a refused lock ends it at its read): the lab's later
            # steps of this session do nothing but repeat that answer, and so does this.
            return self.answer
        if self.run is None:
            self.run = self.view(*self.args)
        try:
            ended = next(self.run)
        except StopIteration as done:
            self.answer, self.ended = done.value, True
            return self.answer
        except Exception as error:
            if self.steps:
                raise RuntimeError(f"the view failed in its step {label!r}") from error
            self.run = None  # nothing was done yet: the step can be tried again whole
            raise
        if ended != label:
            raise RuntimeError(f"the view ended its step {ended!r} where the lab ran {label!r}")
        self.steps += 1
        return ended

    def rollback(self):
        """The view stops where it is: closing the generator leaves any atomic() it is in
        with an exception, which rolls it back."""
        if self.run is not None:
            self.run.close()

    def again(self):
        """The whole view again, start to end: its answer."""
        self.run, self.steps, self.ended = self.view(*self.args), 0, False
        while True:
            try:
                next(self.run)
            except StopIteration as done:
                self.answer, self.ended = done.value, True
                return self.answer


class Session:
    """One session: a thread of its own that runs its steps' code when the coordinator
    says so, answering `(result, error)`."""

    def __init__(self, name, steps, setup=None, teardown=None):
        self.name, self.steps, self.teardown = name, steps, teardown
        self.jobs, self.replies = queue.Queue(), queue.Queue()
        self.step, self.busy = None, False
        self.thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self.thread.start()
        self.pid = self._call(setup) if setup else None

    def _serve(self):
        while (job := self.jobs.get()) is not None:
            try:
                self.replies.put((job(), None))
            except Exception as error:  # noqa: BLE001 - the coordinator decides what it means
                self.replies.put((None, error))

    def _call(self, job):
        self.jobs.put(job)
        result, error = self.replies.get(timeout=STEP_LIMIT)
        if error is not None:
            raise error
        return result

    def start(self, step, blocked):
        self.step = step
        self.jobs.put(self.steps[step])
        return self._progress(blocked)

    def resume(self, blocked):
        if self.busy:  # SQLite: the step is tried again, whole
            self.jobs.put(self.steps[self.step])
        return self._progress(blocked)

    def _progress(self, blocked):
        """True once the running step answered; False while it waits on another session."""
        started = time.monotonic()
        while True:
            try:
                _, error = self.replies.get(timeout=POLL)
            except queue.Empty:
                if blocked(self):
                    return False
                if time.monotonic() - started > STEP_LIMIT:
                    raise TimeoutError(f"{self.name}: {self.step} neither answered nor waited")
                continue
            self.busy = error is not None and LOCKED in str(error)
            if error is not None and not self.busy:
                raise error
            return not self.busy

    def close(self):
        if self.teardown:
            self._call(self.teardown)
        self.jobs.put(None)
        self.thread.join()


def run(sessions, permutation, blocked=lambda session: False):
    """Runs the lab's `permutation` over `sessions` as lab_kit::interleave::run does: a step
    that waits is given another chance, in session order, after every later step that
    answered. The steps that waited, in the order they finished."""
    owner = {step: session for session in sessions for step in session.steps}
    finished, waiting = [], {}
    for step in permutation:
        session = owner[step]
        if session in waiting:
            raise RuntimeError(f"{step} requested while {session.name} waits on {waiting[session]}")
        if not session.start(step, blocked):
            waiting[session] = step
            continue
        finished.append((step, False))
        moved = True
        while moved:
            moved = False
            for other in [s for s in sessions if s in waiting]:
                if other.resume(blocked):
                    finished.append((waiting.pop(other), True))
                    moved = True
    if waiting:
        raise RuntimeError(f"still waiting when the permutation ended: {list(waiting.values())}")
    return [step for step, waited in finished if waited]


def interleave(views, permutation):
    """Runs `views` ({session name: Paused}) through the lab's `permutation`, each session
    on a thread of its own with its own connection to `default`; `<session>_rollback` and
    `<session>_retry` stop the view there and run it again whole. The steps that waited."""
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    sessions = []
    for name, paused in views.items():
        steps = {}
        for step in (s for s in permutation if s.startswith(f"{name}_")):
            label = step[len(name) + 1:]
            special = {"rollback": paused.rollback, "retry": paused.again}
            steps[step] = special.get(label) or (lambda p=paused, at=label: p.step(at))
        setup = _backend_pid if postgresql else (lambda: connection.ensure_connection())
        sessions.append(Session(name, steps, setup, teardown=lambda: connection.close()))

    def blocked(session):
        """The monitor: the coordinator's own connection reads pg_blocking_pids()."""
        if not postgresql:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_blocking_pids(%s)", [session.pid])
            pids = cursor.fetchone()[0]
        return any(other.pid in pids for other in sessions if other is not session)

    # On an error the process ends, and with it the sessions' threads and connections.
    waited = run(sessions, permutation, blocked)
    for session in sessions:
        session.close()
    return waited


def _backend_pid():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
