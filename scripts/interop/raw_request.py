#!/usr/bin/env python3
"""Sends one HTTP/1.1 request, byte for byte as given, over mutual TLS, and prints the answer.

The integration tests use it for what an HTTP client library will not send: two Host fields,
an absolute-form target, a Connection option naming a signed field, a raw fragment.

  raw_request.py HOST PORT CA CERT KEY REQUEST_FILE

REQUEST_FILE holds the request exactly (CRLF line ends, with `Connection: close`). Prints the
status code, then the Exchange-Error header (or "-"), then the body.
"""
import socket
import ssl
import sys


def complete(answer):
    """Whether `answer` holds a whole response with a Content-Length (the server may keep the
    connection open whatever the request's Connection field said)."""
    head, separator, body = answer.partition(b"\r\n\r\n")
    if not separator:
        return False
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return len(body) >= int(value.strip())
    return False


def main():
    host, port, ca, cert, key, request_file = sys.argv[1:7]
    with open(request_file, "rb") as handle:
        request = handle.read()
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)
    context.check_hostname = False
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        with context.wrap_socket(raw) as tls:
            tls.sendall(request)
            answer = b""
            while True:
                try:
                    chunk = tls.recv(65536)
                except (ssl.SSLError, ConnectionResetError, TimeoutError):
                    break
                if not chunk:
                    break
                answer += chunk
                if complete(answer):
                    break
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ")[1] if lines and len(lines[0].split(" ")) > 1 else "0"
    error = "-"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "exchange-error":
            error = value.strip()
    print(status)
    print(error)
    print(body.decode("utf-8", "replace"))


if __name__ == "__main__":
    main()
