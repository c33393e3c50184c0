#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd, from PyPI): every message it accepts is parsed with
Python's email package and written to DIR as one JSON file (envelope, Message-ID, To, Subject,
the decoded text), named by arrival. Prints the port it listens on, then serves until killed.

    python scripts/smtp-sink.py DIR [PORT]      (PORT 0 or absent: any free port)
"""
import asyncio
import email
import email.policy
import itertools
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.seq = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.seq)
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": msg["Message-ID"],
            "to": str(msg["To"]),
            "from": str(msg["From"]),
            "subject": str(msg["Subject"]),
            "text": body.get_content() if body is not None else "",
        }
        path = os.path.join(self.folder, f"{os.getpid()}-{n:08d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return f"250 OK stored as {n}"


async def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(folder, exist_ok=True)
    handler = Sink(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="sink.test"), "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
