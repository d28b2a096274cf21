"""Loopback services whose calls the lab's permutation answers, and requests on worker
threads of their own (lab_kit::interleave::{Gates, WorkerSession, ServiceSession}, in
Python). A service's handler holds each call it gets until a step releases it; a request
runs on a worker thread (so with a Django connection of its own) and waits while one of its
outbound calls is held. Every step ends at rest - each worker blocked on a held call or
finished - so what a database session does next never races a worker. The sessions speak
the protocol of `interleave.run`: `name`, `steps`, `start()`, `resume()`, `close()`.
"""

import http.server
import threading
import urllib.error
import urllib.request

REST_LIMIT = 60  # a safety cap for a story that never comes to rest; it orders nothing


class Gates:
    """The calls a story's services hold, and how many workers are running."""

    def __init__(self, open=False):
        self.open, self.running, self.calls = open, 0, []
        self.changed = threading.Condition()

    def hold(self, service, shown):
        """In a service's handler: records the call and returns it once a step released
        it (at once when the gates are open); `answered()` then says what it answered."""
        with self.changed:
            call = {"service": service, "shown": shown, "answer": None,
                    "release": None if self.open else threading.Event()}
            self.calls.append(call)
            if call["release"] is not None:
                self.running -= 1
            self.changed.notify_all()
        if call["release"] is not None:
            call["release"].wait(REST_LIMIT)
        return call

    def answered(self, call, answer):
        with self.changed:
            call["answer"] = answer

    def rest(self):
        with self.changed:
            if not self.changed.wait_for(lambda: self.running <= 0, REST_LIMIT):
                raise TimeoutError("a worker neither finished nor made a held call")


class Worker:
    """A session whose steps each run a function on a worker thread of their own: waiting
    while its outbound call is held, done when the function returned (its answer kept)."""

    def __init__(self, name, gates, steps):
        self.name, self.gates, self.steps = name, gates, steps
        self.answers, self._done, self._error = {}, True, None

    def start(self, step, blocked=None):
        with self.gates.changed:
            self.gates.running += 1
            self._done = False
        threading.Thread(target=self._run, args=(step,), daemon=True).start()
        return self._progress()

    def _run(self, step):
        answer, error = None, None
        try:
            answer = self.steps[step]()
        except Exception as caught:  # noqa: BLE001 - reported by the harness thread
            error = caught
        with self.gates.changed:
            self.answers[step], self._error, self._done = answer, error, True
            self.gates.running -= 1
            self.gates.changed.notify_all()

    def _progress(self):
        self.gates.rest()
        if self._error is not None:
            raise self._error
        return self._done

    def resume(self, blocked=None):
        return self._progress()

    def close(self):
        pass


class Service:
    """A service's side of the story: each of its steps answers the oldest call it holds
    (or finds none), then waits until the story is at rest again."""

    def __init__(self, name, gates, steps):
        self.name, self.gates, self.steps = name, gates, {step: None for step in steps}

    def start(self, step, blocked=None):
        with self.gates.changed:
            held = [c for c in self.gates.calls
                    if c["service"] == self.name and c["release"] and not c["release"].is_set()]
            if not held:
                return True
            self.gates.running += 1
            held[0]["release"].set()
        self.gates.rest()
        return True

    def resume(self, blocked=None):
        return True

    def close(self):
        pass


class Server:
    """An HTTP server on 127.0.0.1 (a free port) on a thread of its own; `handle(method,
    path, body)` answers each request with `(status, body)` from the server's thread."""

    def __init__(self, handle):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = handle("POST", self.path, body.decode())
                data = answer.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def post(url, body):
    """POST `body` (JSON text) to a loopback URL, no proxy: `(status, body text)`."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with opener.open(request, timeout=REST_LIMIT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
