#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs the Python tools and small models the tests use
# (into .crl-tools/, git-ignored), then runs every module's tests with Maven. Tests that need a
# tool fail rather than skip when it is missing (CRL_REQUIRE_TOOLS=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
start=$(date +%s)
./infra/local/install-tools.sh
export CRL_REQUIRE_TOOLS=1
export OPT_OUT_TRACKING=true
./mvnw -B verify "$@"
echo "crl test: finished in $(( $(date +%s) - start )) s"
