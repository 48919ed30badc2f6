#!/usr/bin/env bash
# Fails if an #include crosses the layers of DESIGN.md:
#   common <- crypto <- storage <- domain <- server ; crypto <- audit <- domain ;
#   client links audit (offline verification) and the protos only.
set -u
cd "$(dirname "$0")/../src"
status=0
deny() {  # deny <dir> <regex> <why>
  local hits
  hits=$(grep -RnE "^\s*#\s*include\s*[<\"]($2)" "$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering: $3"
    echo "$hits"
    status=1
  fi
}
for d in common storage audit domain server client; do
  deny "$d" "sodium\.h" "only crypto/ may include sodium.h"
done
for d in common storage audit domain client; do
  # crypto/ hashes with it; server/ makes development certificates with it.
  deny "$d" "openssl/" "only crypto/ and server/ may include OpenSSL"
done
for d in common crypto audit domain server client; do
  deny "$d" "sqlcipher/|sqlite3\.h" "only storage/ may include SQLCipher"
done
deny common "crypto/|storage/|audit/|domain/|server/|client/|grpc" "common/ depends on nothing"
deny crypto "storage/|audit/|domain/|server/|client/|grpc" "crypto/ depends on common only"
deny storage "audit/|domain/|server/|client/|grpc" "storage/ depends on crypto and common only"
deny audit "storage/|domain/|server/|client/|grpc" "audit/ depends on crypto and common only"
deny domain "server/|client/|grpc|casevault/v1/|google/rpc/" "domain/ never sees gRPC or the wire protos"
deny server "client/" "server/ does not use the client"
deny client "storage/|domain/|server/" "client/ talks to the server over gRPC only"
[ $status -eq 0 ] && echo "layering: ok"
exit $status
