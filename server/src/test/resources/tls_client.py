"""A Courier client over TLS with Python's ssl module, for the server's TLS tests.

tls_client.py PORT CA_FILE json|binary [CLIENT_CERT CLIENT_KEY]

Connects to localhost:PORT checking the server certificate against CA_FILE (and its name, localhost), sends ping,
echo and whoami in the given framing, prints one line per reply as JSON, then a line {"tls": VERSION}. An error
prints {"error": "..."} and exits 1.
"""
import json
import socket
import ssl
import struct
import sys


def frames(framing, requests):
    out = b""
    for request in requests:
        header = json.dumps(request).encode()
        out += struct.pack(">II", len(header), 0) + header if framing == "binary" else header + b"\n"
    return out


def read_replies(sock, framing, count):
    data = b""
    replies = []
    while len(replies) < count:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection after %d replies" % len(replies))
        data += chunk
        while True:
            if framing == "binary":
                if len(data) < 8:
                    break
                header_length, body_length = struct.unpack(">II", data[:8])
                if len(data) < 8 + header_length + body_length:
                    break
                replies.append(json.loads(data[8:8 + header_length]))
                data = data[8 + header_length + body_length:]
            else:
                line, newline, rest = data.partition(b"\n")
                if not newline:
                    break
                replies.append(json.loads(line))
                data = rest
    return replies


def main():
    port, ca_file, framing = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    context = ssl.create_default_context(cafile=ca_file)
    if len(sys.argv) > 5:
        context.load_cert_chain(sys.argv[4], sys.argv[5])
    requests = [{"type": "ping", "id": 1}, {"type": "echo", "id": 2, "text": "h\u00e9llo"},
                {"type": "whoami", "id": 3}]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as sock:
                sock.sendall(frames(framing, requests))
                for reply in read_replies(sock, framing, len(requests)):
                    print(json.dumps(reply))
                print(json.dumps({"tls": sock.version()}))
    except (OSError, ssl.SSLError) as e:
        print(json.dumps({"error": str(e)}))
        sys.exit(1)


if __name__ == "__main__":
    main()
