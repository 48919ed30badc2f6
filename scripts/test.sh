#!/usr/bin/env bash
# Sets everything up and runs every test: the Release suite, then the same
# suite built with clang, AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd build && ctest --output-on-failure -j2 --timeout 300)
if [ "${CASEVAULT_SKIP_SANITIZERS:-0}" != "1" ]; then
  scripts/setup.sh --sanitize
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     LSAN_OPTIONS=suppressions=$PWD/../tests/lsan.supp \
     ctest --output-on-failure -j2 --timeout 600)
fi
