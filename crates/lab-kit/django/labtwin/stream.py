"""What the Django twins of the streaming scenarios share: lab_kit::stream, in Python.

A view's response is read chunk by chunk and kept by nobody, as the lab's client does:
its size, the rows the view had read when the first non-empty chunk arrived, and
tracemalloc's peak (the Python side of the lab's counting allocator); then, untraced, its
FNV-1a fingerprint. `facts()` turns two downloads into the observations the lab's
`stream::story` reports: `bodies`, `first_byte_only_after_last_row`,
`heap_grows_with_rows`.

A view here is a function of `read`, a callable it calls once per row it takes from the
database; it returns an `HttpResponse` or a `StreamingHttpResponse`.
"""

import tracemalloc

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3


def chunks_of(response):
    """The response's body as bytes chunks, whether it is streamed or not."""
    chunks = response.streaming_content if response.streaming else [response.content]
    return (c if isinstance(c, bytes) else c.encode() for c in chunks)


def fnv1a64(chunks):
    """The lab's `Checksum`: FNV-1a (64 bit) over every byte, and the byte count."""
    digest, size = FNV_OFFSET, 0
    for chunk in chunks:
        size += len(chunk)
        for byte in chunk:
            digest = ((digest ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return size, digest


def download(view):
    """The view's body chunk by chunk, kept by nobody: its size, the rows read when the
    first chunk arrived and the peak of traced memory; then, untraced, its FNV-1a hash."""
    read = [0]

    def count():
        read[0] += 1

    size, first = 0, None
    tracemalloc.start()
    for chunk in chunks_of(view(count)):
        if first is None and chunk:
            first = read[0]
        size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = read[0]
    hashed, digest = fnv1a64(chunks_of(view(count)))
    assert hashed == size, "the view sent different bodies to two downloads"
    return {"bytes": size, "hash": digest, "first": first, "rows": rows, "peak": peak}


def facts(view, sizes, fill):
    """Downloads `view` once per table size (`fill(rows)` loads that table first) and
    judges it as the lab does: the first chunk only after the last row, and a peak that
    grows with the table by at least half the extra body bytes."""
    results = []
    for rows in sizes:
        fill(rows)
        results.append(download(view))
    small, large = results[0], results[-1]
    return {
        "bodies": [f"{r['bytes']} bytes, fnv1a64:{r['hash']:016x}" for r in results],
        "first_byte_only_after_last_row": any(r["first"] >= r["rows"] for r in results),
        "heap_grows_with_rows": large["peak"] >= small["peak"] + (large["bytes"] - small["bytes"]) // 2,
    }
