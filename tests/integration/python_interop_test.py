#!/usr/bin/python3
"""Interop: a gRPC client not written by us (Debian's python3-grpcio) talks to
casevaultd over TLS: health, server reflection (v1alpha), sign-in, and a
refused call. Messages are hand-encoded protobuf so that no generated Python
code is needed.

Usage: python_interop_test.py BIN_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import grpc


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_bytes(number, value):
    return varint(number << 3 | 2) + varint(len(value)) + value


def read_fields(data):
    """Top-level (field number, wire type, value) of a protobuf message."""
    i, fields = 0, []
    while i < len(data):
        key, shift = 0, 0
        while True:
            b = data[i]; i += 1
            key |= (b & 0x7F) << shift; shift += 7
            if not b & 0x80:
                break
        number, wire = key >> 3, key & 7
        if wire == 0:
            v, shift = 0, 0
            while True:
                b = data[i]; i += 1
                v |= (b & 0x7F) << shift; shift += 7
                if not b & 0x80:
                    break
            fields.append((number, wire, v))
        elif wire == 2:
            n, shift = 0, 0
            while True:
                b = data[i]; i += 1
                n |= (b & 0x7F) << shift; shift += 7
                if not b & 0x80:
                    break
            fields.append((number, wire, data[i:i + n])); i += n
        else:
            raise ValueError("unexpected wire type %d" % wire)
    return fields


def raw(channel, method, kind="unary_unary"):
    return getattr(channel, kind)(method, request_serializer=None,
                                  response_deserializer=None)


def serve(bin_dir, tmp, flags=()):
    """`casevaultd init --dev` in TMP/data, then `casevaultd serve` on a free
    loopback port: (server process, data directory, port)."""
    data = os.path.join(tmp, "data")
    subprocess.run([os.path.join(bin_dir, "casevaultd"), "init", "--data", data,
                    "--dev"], check=True, stdout=subprocess.DEVNULL)
    port_file = os.path.join(tmp, "port")
    server = subprocess.Popen(
        [os.path.join(bin_dir, "casevaultd"), "serve", "--data", data,
         "--listen", "127.0.0.1:0", "--port-file", port_file] + list(flags),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return server, data, open(port_file).read().strip()
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()  # never left running behind a failed start
    server.wait()
    raise RuntimeError("casevaultd serve wrote no port file (exit %s)"
                       % server.returncode)


def main():
    bin_dir = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        server, data, port = serve(bin_dir, tmp)
        try:
            ca = open(os.path.join(data, "tls", "ca.pem"), "rb").read()
            channel = grpc.secure_channel("localhost:" + port,
                                          grpc.ssl_channel_credentials(ca))
            grpc.channel_ready_future(channel).result(timeout=10)

            # grpc.health.v1.Health/Check {} -> {status: SERVING(1)}
            resp = raw(channel, "/grpc.health.v1.Health/Check")(b"", timeout=10)
            assert read_fields(resp) == [(1, 0, 1)], resp

            # Reflection: list_services (field 7) = "*".
            call = raw(channel,
                       "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                       "stream_stream")
            responses = list(call(iter([field_bytes(7, b"*")]), timeout=10))
            assert len(responses) == 1
            names = set()
            for number, _, value in read_fields(responses[0]):
                if number == 6:  # list_services_response
                    for _, _, service in read_fields(value):
                        names.add(read_fields(service)[0][2].decode())
            for expected in ("casevault.v1.AuthService", "casevault.v1.CaseService",
                             "casevault.v1.AccountService", "grpc.health.v1.Health"):
                assert expected in names, (expected, names)

            # Sign in as the demo counselor; the token is field 1 of the reply.
            accounts = json.load(open(os.path.join(data, "demo-accounts.json")))
            password = [a["password"] for a in accounts["accounts"]
                        if a["username"] == "counselor"][0]
            login = raw(channel, "/casevault.v1.AuthService/Login")
            resp = login(field_bytes(1, b"counselor") + field_bytes(2, password.encode()),
                         timeout=10)
            token = dict((n, v) for n, _, v in read_fields(resp))[1].decode()
            assert len(token) >= 43

            # WhoAmI with the token; without it, UNAUTHENTICATED.
            whoami = raw(channel, "/casevault.v1.AuthService/WhoAmI")
            resp = whoami(b"", metadata=(("authorization", "Bearer " + token),),
                          timeout=10)
            assert dict((n, v) for n, _, v in read_fields(resp))[1] == b"counselor"
            try:
                whoami(b"", timeout=10)
                raise AssertionError("WhoAmI without a token succeeded")
            except grpc.RpcError as e:
                assert e.code() == grpc.StatusCode.UNAUTHENTICATED, e.code()

            # A plaintext client is refused by the TLS server.
            plain = grpc.insecure_channel("localhost:" + port)
            try:
                raw(plain, "/grpc.health.v1.Health/Check")(b"", timeout=3)
                raise AssertionError("plaintext call succeeded")
            except grpc.RpcError as e:
                assert e.code() == grpc.StatusCode.UNAVAILABLE, e.code()
            print("python interop: ok")
        finally:
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
