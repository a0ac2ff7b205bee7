#!/usr/bin/env python3
"""The bench's load generator side of OPTIN_POW=on: fetches N ALTCHA challenges from a running
optin (GET /pow/challenge on one keep-alive connection), solves them from the spec (the number n
with hex(SHA-256(salt + n)) == challenge) and prints one `altcha` payload per line.
  pow_solutions.py http://127.0.0.1:PORT N"""
import base64
import hashlib
import http.client
import json
import sys
import urllib.parse


def main():
    url = urllib.parse.urlparse(sys.argv[1])
    count = int(sys.argv[2])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    out = sys.stdout
    for _ in range(count):
        conn.request("GET", "/pow/challenge")
        res = conn.getresponse()
        body = res.read()
        if res.status != 200:
            sys.exit("pow_solutions.py: /pow/challenge answered %d" % res.status)
        c = json.loads(body)
        salt = c["salt"].encode()
        target = c["challenge"]
        number = next((n for n in range(c["maxnumber"] + 1)
                       if hashlib.sha256(salt + str(n).encode()).hexdigest() == target), -1)
        if number < 0:
            sys.exit("pow_solutions.py: a challenge without a solution")
        payload = {"algorithm": c["algorithm"], "challenge": target, "number": number,
                   "salt": c["salt"], "signature": c["signature"]}
        out.write(base64.b64encode(json.dumps(payload).encode()).decode() + "\n")


if __name__ == "__main__":
    main()
