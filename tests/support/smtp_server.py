#!/usr/bin/python3
"""A real SMTP server for optin's tests (Debian's python3-aiosmtpd).

    /usr/bin/python3 smtp_server.py --port PORT --dir DIR [--tls none|starttls|implicit
                                    --cert PEM --key PEM] [--auth]

--tls starttls offers STARTTLS, --tls implicit speaks TLS from the first byte (smtps). --auth
offers AUTH and accepts any login, also before TLS (so that a client that would send its password
in the clear is caught). Every EHLO, STARTTLS, AUTH and MAIL is recorded in DIR/commands.log as
"<COMMAND> tls=<0|1>" (whether the connection was encrypted when the command arrived).

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

import ssl

from aiosmtpd.smtp import SMTP, AuthResult


class RecordingSMTP(SMTP):
    """Records which commands arrived, and whether they arrived encrypted."""

    def __init__(self, handler, directory, **kwargs):
        super().__init__(handler, **kwargs)
        self.directory = directory

    def record(self, command):
        encrypted = self._tls_protocol is not None or (
            self.transport is not None and self.transport.get_extra_info("sslcontext") is not None)
        with open(os.path.join(self.directory, "commands.log"), "a") as f:
            f.write("%s tls=%d\n" % (command, 1 if encrypted else 0))

    async def smtp_EHLO(self, hostname):
        self.record("EHLO")
        return await super().smtp_EHLO(hostname)

    async def smtp_STARTTLS(self, arg):
        self.record("STARTTLS")
        return await super().smtp_STARTTLS(arg)

    async def smtp_AUTH(self, arg):
        self.record("AUTH")
        return await super().smtp_AUTH(arg)

    async def smtp_MAIL(self, arg):
        self.record("MAIL")
        return await super().smtp_MAIL(arg)


def accept_any_login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True)


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
    parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(args.dir)
    context = None
    if args.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    options = {"hostname": "optin-test-smtp"}
    if args.tls == "starttls":
        options["tls_context"] = context
    if args.auth:
        options["authenticator"] = accept_any_login
        options["auth_require_tls"] = False
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: RecordingSMTP(handler, args.dir, **options), args.host,
                           args.port, reuse_address=True,
                           ssl=context if args.tls == "implicit" else None))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    loop.run_forever()
    server.close()
    loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()
