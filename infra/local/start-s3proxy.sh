#!/usr/bin/env bash
# Starts a real S3 API server (S3Proxy over a local directory) on 127.0.0.1 for manual use,
# e.g. to point `crl` or the stores contract tests at S3 instead of the local object store.
#
#   infra/local/start-s3proxy.sh            # port 9000, data in .crl-tools/s3proxy-data
#   PORT=9100 DATA=/tmp/s3 infra/local/start-s3proxy.sh
#
# Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY if set, else crl-local / crl-local-secret.
# S3Proxy comes from Maven (test dependency of activities/stores), so run the build once first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-9000}"
DATA="${DATA:-$ROOT/.crl-tools/s3proxy-data}"
ACCESS="${AWS_ACCESS_KEY_ID:-crl-local}"
SECRET="${AWS_SECRET_ACCESS_KEY:-crl-local-secret}"
mkdir -p "$DATA" "$ROOT/.crl-tools"

CP_FILE="$ROOT/.crl-tools/s3proxy.classpath"
(cd "$ROOT" && ./mvnw -B -q -pl activities/stores dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") >/dev/null

PROPS="$ROOT/.crl-tools/s3proxy.properties"
cat > "$PROPS" <<PROPS_EOF
s3proxy.endpoint=http://127.0.0.1:${PORT}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${ACCESS}
s3proxy.credential=${SECRET}
jclouds.provider=filesystem
jclouds.filesystem.basedir=${DATA}
PROPS_EOF

echo "S3 endpoint http://127.0.0.1:${PORT} (access key ${ACCESS}), data in ${DATA}" >&2
exec java -Dlogback.configurationFile="$ROOT/activities/stores/src/test/resources/logback-test.xml" \
  -cp "$(cat "$CP_FILE")" org.gaul.s3proxy.Main --properties "$PROPS"
