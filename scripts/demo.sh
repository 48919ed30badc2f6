#!/usr/bin/env bash
# Sets everything up, creates a demo deployment (once) in .casevault-demo/,
# and serves it over TLS on localhost:7443 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
data=.casevault-demo
if [ ! -f "$data/keyring" ]; then
  build/casevaultd init --data "$data" --dev >/dev/null
fi
cat <<MSG

casevault demo: a school ("demo-school") with one account per role.
Names and passwords: $data/demo-accounts.json (mode 0600).
In another terminal, sign in as the demo counselor and file a case:

  export CASEVAULT_CA=$PWD/$data/tls/ca.pem CASEVAULT_SERVER=localhost:7443
  build/casevault login --user counselor            # password from the JSON file
  build/casevault case file --from-file docs/examples/case.json
  build/casevault case list
  build/casevault case show <id>

MSG
exec build/casevaultd serve --data "$data" --listen 127.0.0.1:7443
