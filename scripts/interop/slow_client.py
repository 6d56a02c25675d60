#!/usr/bin/env python3
"""Clients that hold a broker's connection the way a hostile or broken one would.

  slow_client.py silent HOST PORT WAIT
      Opens WAIT plain TCP connections, sends nothing, and reads each until the broker closes it
      (at most 60 s each). Prints one line per connection: "closed" or "open".
  slow_client.py cap HOST PORT COUNT CLOSED
      Opens COUNT plain TCP connections, one after another, sends nothing, waits until the broker
      has closed CLOSED of them (at most 30 s), and prints one line per connection: "closed" or
      "open".
  slow_client.py slow-body HOST PORT CA CERT KEY HEAD_FILE
      Over mutual TLS sends the request head in HEAD_FILE (announcing a body) and 10 bytes of
      the body, then nothing; prints the status code and Exchange-Error of the answer (at most
      60 s), or "0 -" when the connection closed without one.
  slow_client.py expect HOST PORT CA CERT KEY HEAD_FILE
      Over mutual TLS sends the request head in HEAD_FILE (with Expect: 100-continue) and no
      body; prints the first status line's code and Exchange-Error (at most 60 s).
"""
import socket
import ssl
import sys
import time


def status_of(answer):
    head, _, _ = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ") if lines else []
    status = parts[1] if len(parts) > 1 else "0"
    error = "-"
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "exchange-error":
            error = value.strip()
    return status, error


def read_until_closed(connection, deadline):
    """Reads until the peer closes (True) or the deadline passes (False)."""
    while time.monotonic() < deadline:
        connection.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = connection.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, ssl.SSLError, OSError):
            return True
        if not chunk:
            return True
    return False


def tls_connection(host, port, ca, cert, key):
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)
    context.check_hostname = False
    raw = socket.create_connection((host, int(port)), timeout=60)
    return context.wrap_socket(raw)


def read_answer(connection, deadline):
    answer = b""
    while time.monotonic() < deadline and b"\r\n\r\n" not in answer:
        connection.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = connection.recv(65536)
        except (socket.timeout, ConnectionResetError, ssl.SSLError, OSError):
            break
        if not chunk:
            break
        answer += chunk
    return answer


def main():
    mode = sys.argv[1]
    if mode == "silent":
        host, port, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        connections = [socket.create_connection((host, port), timeout=60) for _ in range(count)]
        deadline = time.monotonic() + 60
        for connection in connections:
            print("closed" if read_until_closed(connection, deadline) else "open", flush=True)
            connection.close()
    elif mode == "cap":
        import select
        host, port, count, wanted = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        connections = [socket.create_connection((host, port), timeout=60) for _ in range(count)]
        closed = set()
        deadline = time.monotonic() + 30
        while len(closed) < wanted and time.monotonic() < deadline:
            waiting = [c for c in connections if c not in closed]
            readable, _, _ = select.select(waiting, [], [], max(0.1, deadline - time.monotonic()))
            for connection in readable:
                try:
                    if connection.recv(1) == b"":
                        closed.add(connection)
                except OSError:
                    closed.add(connection)
        for connection in connections:
            print("closed" if connection in closed else "open", flush=True)
            connection.close()
    elif mode in ("slow-body", "expect"):
        host, port, ca, cert, key, head_file = sys.argv[2:8]
        with open(head_file, "rb") as handle:
            head = handle.read()
        with tls_connection(host, port, ca, cert, key) as connection:
            connection.sendall(head)
            if mode == "slow-body":
                connection.sendall(b"0123456789")
            answer = read_answer(connection, time.monotonic() + 60)
        status, error = status_of(answer)
        print(status, error)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
