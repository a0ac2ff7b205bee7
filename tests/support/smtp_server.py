#!/usr/bin/python3
"""A real SMTP server for optin's tests (Debian's python3-aiosmtpd).

    /usr/bin/python3 smtp_server.py --port PORT --dir DIR

Each accepted message is stored as DIR/msg-<n>.eml (the bytes as received, dot-unstuffed) with
its envelope in DIR/msg-<n>.env ("from <addr>" and one "to <addr>" line per recipient), written
atomically. The file DIR/control, read at every command, sets the behaviour:
    ok          accept (also when the file is missing)
    451         answer 451 to DATA (transient)
    550         answer 550 to DATA (permanent)
    slow <sec>  wait that long before answering DATA, then accept
Stops on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import os
import signal

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, directory):
        self.directory = directory
        existing = [f for f in os.listdir(directory) if f.startswith("msg-") and f.endswith(".eml")]
        self.counter = len(existing)

    def mode(self):
        try:
            with open(os.path.join(self.directory, "control")) as f:
                return f.read().split()
        except FileNotFoundError:
            return ["ok"]

    def write(self, name, data):
        tmp = os.path.join(self.directory, ".tmp-" + name)
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.directory, name))

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode() or ["ok"]
        if mode[0] == "451":
            return "451 4.3.0 Try again later"
        if mode[0] == "550":
            return "550 5.7.1 Message rejected"
        if mode[0] == "slow" and len(mode) > 1:
            await asyncio.sleep(float(mode[1]))
        self.counter += 1
        base = "msg-%06d" % self.counter
        env = "from %s\n" % envelope.mail_from + "".join("to %s\n" % r for r in envelope.rcpt_tos)
        self.write(base + ".env", env.encode())
        self.write(base + ".eml", envelope.original_content or envelope.content)
        return "250 2.0.0 OK queued as %s" % base


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(args.dir)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="optin-test-smtp"), args.host, args.port,
                           reuse_address=True))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    loop.run_forever()
    server.close()
    loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()
