#!/usr/bin/env python3
"""A Courier client in plain Python 3: only socket, struct, json (and hashlib, argparse).

It answers the usual socket-tutorial questions:

* "Extra data" / half a JSON object: every message is framed. A binary frame is
  u32 header length, u32 body length (big-endian), the JSON header, the raw body,
  so the reader always knows where a message ends.
* Dictionaries and lists: put them in the JSON header; bytes go in the body.
* When is a file transfer complete? The reply to the chunk marked "last" is a
  receipt with the size and SHA-256 the server computed.
* Many clients at once: the server serves them all; the room demo uses two
  connections from this one script.

Run a server (java -jar server/target/server.jar), then:

    python3 examples/python/courier_client.py --port 6666 [--file some.bin]
"""
import argparse
import hashlib
import json
import os
import socket
import struct
import sys

CHUNK_SIZE = 64 * 1024


class CourierError(Exception):
    """An error reply: its code (e.g. bad_request) and the server's sentence."""

    def __init__(self, header):
        error = header.get("error", {})
        self.code = error.get("code")
        self.header = header
        super().__init__("%s: %s" % (self.code, error.get("message")))


class CourierClient:
    """One connection in binary framing. Replies are matched to requests by id;
    server events that arrive meanwhile (room messages) are kept for next_event()."""

    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.next_id = 1
        self.pending_events = []

    def close(self):
        self.sock.close()

    def send(self, header, body=b""):
        h = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.sock.sendall(struct.pack(">II", len(h), len(body)) + h + body)

    def _read_exactly(self, n):
        data = bytearray()
        while len(data) < n:
            part = self.sock.recv(n - len(data))
            if not part:
                raise ConnectionError("the server closed the connection")
            data += part
        return bytes(data)

    def receive(self):
        """The next message from the server, as (header dict, body bytes)."""
        prefix = self._read_exactly(8)
        if prefix[:1] == b"{":
            # Before it knows our framing (busy, timeout) the server answers in JSON text, one line.
            line = bytearray(prefix)
            while not line.endswith(b"\n"):
                line += self._read_exactly(1)
            return json.loads(line.decode("utf-8")), b""
        header_length, body_length = struct.unpack(">II", prefix)
        header = json.loads(self._read_exactly(header_length).decode("utf-8"))
        return header, self._read_exactly(body_length)

    def request(self, message_type, body=b"", **fields):
        """Sends a request and returns its reply (header, body); raises CourierError for ok:false."""
        request_id = self.next_id
        self.next_id += 1
        self.send(dict(fields, type=message_type, id=request_id), body)
        while True:
            header, reply_body = self.receive()
            if "ok" in header and header.get("id") == request_id:
                if not header["ok"]:
                    raise CourierError(header)
                return header, reply_body
            self.pending_events.append((header, reply_body))  # an event: keep it for later

    def next_event(self, message_type):
        """Waits for the next server event of this type (events of other types are dropped)."""
        while True:
            if self.pending_events:
                header, body = self.pending_events.pop(0)
            else:
                header, body = self.receive()
            if header.get("type") == message_type and "ok" not in header:
                return header, body

    def upload(self, name, data, chunk_size=CHUNK_SIZE, progress=None):
        """Uploads data in chunks; returns the receipt of the last one (size, sha256)."""
        sha256 = hashlib.sha256(data).hexdigest()
        offset = 0
        while True:
            chunk = data[offset:offset + chunk_size]
            last = offset + len(chunk) >= len(data)
            fields = {"name": name, "offset": offset, "last": last}
            if last:
                fields["sha256"] = sha256  # the server refuses the file if its bytes hash otherwise
            reply, _ = self.request("file.put", chunk, **fields)
            offset = reply["stored"]
            if progress:
                progress(reply)
            if last:
                return reply

    def download(self, name, chunk_size=CHUNK_SIZE):
        """Reads a whole file chunk by chunk."""
        data = bytearray()
        while True:
            reply, body = self.request("file.get", name=name, offset=len(data), length=chunk_size)
            data += body
            if reply["last"]:
                return bytes(data)


def demo_data():
    """200,000 bytes that are the same on every run."""
    block = hashlib.sha256(b"courier demo").digest()
    return (block * (200000 // len(block) + 1))[:200000]


def main():
    parser = argparse.ArgumentParser(description="Talk to a Courier server: ping, echo, upload, rooms.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6666)
    parser.add_argument("--file", help="file to upload (default: 200,000 generated bytes)")
    parser.add_argument("--name", help="name to store it under (default: the file's name, or demo.bin)")
    args = parser.parse_args()

    client = CourierClient(args.host, args.port)
    try:
        pong, _ = client.request("ping")
        print("ping: ok, server time %d" % pong["time"])

        person = {"name": "Ada", "languages": ["Python", "Java"], "address": {"city": "London"}, "age": 36}
        echoed, _ = client.request("echo", person=person)
        assert echoed["person"] == person, echoed
        print("echo dict: " + json.dumps(echoed["person"], ensure_ascii=False, sort_keys=True))

        items = [1, 2.5, "three", None, True, {"four": 4}, ["nested"]]
        echoed, _ = client.request("echo", items=items)
        assert echoed["items"] == items, echoed
        print("echo list: " + json.dumps(echoed["items"], ensure_ascii=False))

        if args.file:
            with open(args.file, "rb") as f:
                data = f.read()
        else:
            data = demo_data()
        name = args.name or (os.path.basename(args.file) if args.file else "demo.bin")
        receipt = client.upload(name, data, progress=lambda r: print(
            "upload: %d of %d bytes stored" % (r["stored"], len(data))))
        print("receipt: " + json.dumps({k: receipt[k] for k in ("name", "size", "sha256", "complete")},
                                       sort_keys=True))
        local = hashlib.sha256(data).hexdigest()
        print("upload complete: sha256 %s" % ("matches" if receipt["sha256"] == local else "DIFFERS"))
        copy = client.download(name)
        print("download: %d bytes, sha256 %s" % (
            len(copy), "matches" if hashlib.sha256(copy).hexdigest() == local else "DIFFERS"))

        bob = CourierClient(args.host, args.port)  # a second client, talking at the same time
        try:
            client.request("room.join", room="lobby", name="alice")
            joined, _ = bob.request("room.join", room="lobby", name="bob")
            print("room: %s are in lobby" % " and ".join(joined["members"]))
            client.request("room.say", room="lobby", text="hello from Python", mood="cheerful")
            message, _ = bob.next_event("room.message")
            print("room: bob received %r from %s (mood %s)" % (message["text"], message["name"], message["mood"]))
        finally:
            bob.close()
    except CourierError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    finally:
        client.close()
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
