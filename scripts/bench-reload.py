#!/usr/bin/env python3
"""Edit-to-visible times and memory of `serve --watch` on a large synthetic site.

usage: scripts/bench-reload.py BINARY CONTENT_DIR [--edits 20] [--reloads 50] [--starts 3]
                               [--settled-edits 0] [--port 8099]

Starts `BINARY serve --watch` over CONTENT_DIR (made by scripts/generate-content.py) and then:
  - times start-up with and without --watch (until /healthz answers);
  - edits one article's summary EDITS times (the first straight after start), each a different article,
    and times from the write until its page shows the new summary, and until the A to Z page does
    (its letter's page, on a site of more than 500 articles);
  - samples resident memory every 10 ms throughout: settled before the edits, peak during, and after
    RELOADS more reloads;
  - with --settled-edits N, once settled (the search index built, every page compressed), times N
    more edits as above, a second apart: what an editor sees on a server that has been up a while.
--starts sets how many start-ups are timed each way (a large site takes minutes each).
Prints medians and ranges.
"""
import argparse
import http.client
import os
import random
import statistics
import subprocess
import threading
import time


def rss_parts(pid):
    """Resident memory by kind (KiB): anonymous (the heap) and file-backed (the binary, the search
    index's memory-mapped files)."""
    parts = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("RssAnon:", "RssFile:")):
                parts[line.split(":")[0]] = int(line.split()[1])
    return f"anonymous {parts.get('RssAnon', 0) / 1024:.0f} MiB, files {parts.get('RssFile', 0) / 1024:.0f} MiB"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        conn.close()


LOG = None


def start(binary, content, port, watch):
    args = [binary, "serve", "--content", content, "--addr", f"127.0.0.1:{port}"]
    if watch:
        args.append("--watch")
    began = time.monotonic()
    log = open(LOG, "a") if LOG else subprocess.DEVNULL
    proc = subprocess.Popen(args, env={**os.environ, "RUST_LOG": "info" if LOG else "warn"},
                            stdout=subprocess.DEVNULL, stderr=log)
    while get(port, "/healthz")[0] != 200:
        if proc.poll() is not None:
            raise SystemExit("the server exited")
        time.sleep(0.005)
    return proc, time.monotonic() - began


def wait_for(port, path, needle, began, limit=180.0):
    while time.monotonic() - began < limit:
        if needle in get(port, path)[1]:
            return time.monotonic() - began
        time.sleep(0.002)
    return float("inf")


def edit_summary(content, slug, token):
    path = os.path.join(content, "articles", slug, "article.toml")
    with open(path) as f:
        lines = f.read().split("\n")
    lines = [f'summary = "Summary {token}."' if l.startswith("summary = ") else l for l in lines]
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines))
    os.replace(path + ".tmp", path)


def listing_path(content, slug, articles):
    """Where the A to Z lists `slug`: `/articles`, or on a site of more than 500 articles the page of
    its title's first letter (see `AZ_ONE_PAGE_LIMIT`)."""
    if articles <= 500:
        return "/articles"
    with open(os.path.join(content, "articles", slug, "article.toml")) as f:
        title = next(l for l in f if l.startswith("title = ")).split('"')[1]
    first = title[:1]
    if first.isascii() and first.isalpha():
        return f"/a-z/{first.lower()}"
    if first.isalpha():
        return f"/a-z/u{ord(first.upper()):04x}"
    return "/a-z/other"


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def spread(values):
    return f"median {ms(statistics.median(values))} (range {ms(min(values))} to {ms(max(values))})"


def time_edits(args, rng, edited, prefix, articles, pause, report_slow=False):
    """Edits the summary of each article of `edited` in turn; returns how long each took to show on
    its page and on its A to Z page."""
    page_times, listing_times = [], []
    for n, slug in enumerate(edited):
        # Unique to this run: an earlier run over the same folder left its own tokens in it.
        token = f"{prefix}{n}x{rng.randrange(10**9)}p{os.getpid()}t{time.time_ns()}"
        began = time.monotonic()
        edit_summary(args.content, slug, token)
        page_times.append(wait_for(args.port, f"/articles/{slug}/patient", token, began))
        listing_times.append(
            wait_for(args.port, listing_path(args.content, slug, articles), token, began))
        if report_slow and listing_times[-1] > 1.5:
            print(f"  slow: edit {n} of {slug} at {time.strftime('%H:%M:%S')}: page "
                  f"{ms(page_times[-1])}, A to Z {ms(listing_times[-1])}")
        time.sleep(pause)
    return page_times, listing_times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("content")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--reloads", type=int, default=50)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--settled-edits", type=int, default=0)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--log", help="append the server's log (at info level) to this file")
    args = parser.parse_args()
    global LOG
    LOG = args.log
    slugs = sorted(os.listdir(os.path.join(args.content, "articles")))
    rng = random.Random(7)

    plain = []
    for _ in range(args.starts):
        proc, took = start(args.binary, args.content, args.port, watch=False)
        plain.append(took)
        proc.terminate()
        proc.wait()
    print(f"start-up without --watch: {spread(plain)}")

    watched = []
    for _ in range(args.starts - 1):
        proc, took = start(args.binary, args.content, args.port, watch=True)
        watched.append(took)
        proc.terminate()
        proc.wait()
    proc, took = start(args.binary, args.content, args.port, watch=True)
    watched.append(took)
    print(f"start-up with --watch: {spread(watched)} "
          f"({statistics.median(watched) / statistics.median(plain):.2f}x)")

    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append((time.monotonic(), rss_kib(proc.pid)))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    edited = rng.sample(slugs, args.edits + args.reloads + args.settled_edits)
    edits_began = time.monotonic()
    page_times, listing_times = time_edits(
        args, rng, edited[:args.edits], "zzedit", len(slugs), pause=0.3, report_slow=True)
    print(f"edit visible on its page: {spread(page_times)}; first edit after start {ms(page_times[0])}")
    print(f"edit visible on A to Z: {spread(listing_times)}")

    # Settled memory: wait for background work after start (search index, compression) to finish,
    # until resident memory changes by under 1% over 3 s.
    settled = rss_kib(proc.pid)
    while True:
        time.sleep(3)
        now = rss_kib(proc.pid)
        if abs(now - settled) < settled / 100:
            break
        settled = now
    settled_parts = rss_parts(proc.pid)
    if args.settled_edits:
        page_times, listing_times = time_edits(
            args, rng, edited[args.edits + args.reloads:], "zzsettled", len(slugs), pause=1.0)
        print(f"once settled, edit visible on its page: {spread(page_times)}; "
              f"on A to Z: {spread(listing_times)}")
    mark = time.monotonic()
    for n, slug in enumerate(edited[args.edits:args.edits + args.reloads]):
        token = f"zzmore{n}x{rng.randrange(10**9)}p{os.getpid()}t{time.time_ns()}"
        began = time.monotonic()
        edit_summary(args.content, slug, token)
        wait_for(args.port, listing_path(args.content, slug, len(slugs)), token, began)
        time.sleep(0.2)
    time.sleep(3)
    stop.set()
    sampler.join()
    during = max(kib for at, kib in samples if at >= mark)
    first_peak = max(kib for at, kib in samples if at >= edits_began)
    after = rss_kib(proc.pid)
    print(f"resident memory: settled {settled / 1024:.0f} MiB; peak during {args.reloads} reloads "
          f"{during / 1024:.0f} MiB ({during / settled:.2f}x); peak over all edits {first_peak / 1024:.0f} MiB; "
          f"after them {after / 1024:.0f} MiB")
    print(f"  settled after {args.edits} edits: {settled_parts}; "
          f"after {args.reloads} more: {rss_parts(proc.pid)}")
    proc.terminate()
    proc.wait()


if __name__ == "__main__":
    main()
