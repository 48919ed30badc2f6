#!/usr/bin/python3
"""N sign-ins at once against a fresh casevaultd: how long they take, what
they answer, and casevaultd's peak memory (docs/decisions.md, "Sign-ins
take turns"). Unknown usernames, so every sign-in costs one Argon2id check
and no account is locked. Uses Debian's python3-grpcio, like the interop
test, with hand-encoded messages.

Usage: /usr/bin/python3 bench/sign_in_storm.py BIN_DIR N [casevaultd serve flags...]
  e.g. bench/sign_in_storm.py build 64
       bench/sign_in_storm.py build 64 --parallel-sign-ins 256   # no turns, in effect
"""
import os
import sys
import tempfile
import threading
import time

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "integration"))
from python_interop_test import field_bytes, raw, serve  # noqa: E402


def main():
    bin_dir, n, flags = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    with tempfile.TemporaryDirectory() as tmp:
        server, data, port = serve(bin_dir, tmp, flags)
        try:
            ca = open(os.path.join(data, "tls", "ca.pem"), "rb").read()
            channels = [grpc.secure_channel("localhost:" + port,
                                            grpc.ssl_channel_credentials(ca),
                                            options=[("grpc.use_local_subchannel_pool", 1)])
                        for _ in range(8)]
            answers, latencies, lock = {}, [], threading.Lock()

            def sign_in(i):
                login = raw(channels[i % len(channels)], "/casevault.v1.AuthService/Login")
                start = time.time()
                try:
                    login(field_bytes(1, b"storm.%d" % i) +
                          field_bytes(2, b"not the password of anyone"), timeout=60)
                    code = "OK"
                except grpc.RpcError as e:
                    code = e.code().name
                with lock:
                    latencies.append(time.time() - start)
                    answers[code] = answers.get(code, 0) + 1

            threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(n)]
            start = time.time()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.time() - start
            status = open("/proc/%d/status" % server.pid).read()
            peak = [line.split()[1] for line in status.splitlines()
                    if line.startswith("VmHWM")][0]
            print("%d sign-ins at once%s: %.1f s, slowest answer %.1f s, answers %s, "
                  "casevaultd peak RSS %d MiB" % (n, "".join(" " + f for f in flags), took,
                                                  max(latencies), answers, int(peak) // 1024))
        finally:
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
