"""A real SMTP server for the real-stack test (aiosmtpd, Debian's python3-aiosmtpd).

It plays the operator's mail provider: STARTTLS is required before anything else, AUTH is
required and offered only over TLS, and the one account it knows has the password read from a
file (the bundle's secrets/smtp_password). Every accepted mail is written as JSON into the
output folder, with what the session proved (TLS, the login used); every AUTH attempt is
logged to stderr. Prints "ready" on stdout once it listens.

Usage: python3 smtp-sink.py HOST PORT CERT KEY USER PASSWORD_FILE OUT_DIR
"""

import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main() -> None:
    host, port, cert, key, user, password_file, out_dir = sys.argv[1:8]
    with open(password_file, encoding="utf-8") as handle:
        password = handle.read().rstrip("\r\n")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    os.makedirs(out_dir, exist_ok=True)
    received = {"count": 0}

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode("utf-8", "replace") == user
            and auth_data.password.decode("utf-8", "replace") == password
        )
        login = auth_data.login.decode("utf-8", "replace") if isinstance(auth_data, LoginPassword) else None
        print(f"AUTH {mechanism} login={login!r} tls={session.ssl is not None} ok={ok}", file=sys.stderr, flush=True)
        return AuthResult(success=ok, auth_data=auth_data if ok else None)

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            received["count"] += 1
            record = {
                "tls": session.ssl is not None,
                "login": session.auth_data.login.decode("utf-8", "replace") if isinstance(session.auth_data, LoginPassword) else None,
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "data": envelope.content.decode("utf-8", "replace"),
            }
            path = os.path.join(out_dir, f"{received['count']:03d}.json")
            with open(f"{path}.tmp", "w", encoding="utf-8") as handle:
                json.dump(record, handle)
            os.rename(f"{path}.tmp", path)
            return "250 Message accepted"

    controller = Controller(
        Sink(),
        hostname=host,
        port=int(port),
        server_hostname="smtp.messenger.test",
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print("ready", flush=True)
    try:
        while not stop.wait(1):
            pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
