#!/usr/bin/env python3
"""A target that answers every _bulk request at once (every item 201), and forwards every other request to a real
cluster (version, index creation, refresh, count): to measure the CPU a backfill spends per document apart from the
target's (BENCHMARKS.md, "Pipeline CPU, instant target").

Usage: benchmarks/instant-bulk-target.py LISTEN_PORT UPSTREAM_URL
"""
import http.server
import json
import sys
import urllib.error
import urllib.request

UPSTREAM = sys.argv[2].rstrip("/")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def _answer(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        body = self._body()
        if self.path.split("?")[0].endswith("/_bulk"):
            items = 0
            action = True
            for line in (body or b"").split(b"\n"):
                if not line:
                    continue
                if action:
                    items += 1
                    # index actions are followed by a source line; delete actions are not
                    action = line.startswith(b'{"delete"')
                else:
                    action = True
            answer = b'{"errors":false,"items":[' + b",".join([b'{"index":{"status":201}}'] * items) + b"]}"
            self._answer(200, answer)
            return
        request = urllib.request.Request(UPSTREAM + self.path, data=body, method=self.command)
        if self.headers.get("Content-Type"):
            request.add_header("Content-Type", self.headers["Content-Type"])
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                self._answer(response.status, response.read(), response.headers.get("Content-Type", "application/json"))
        except urllib.error.HTTPError as e:
            self._answer(e.code, e.read(), e.headers.get("Content-Type", "application/json"))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
