#!/usr/bin/env bash
# Retrieval benchmark of the experience manager (docs/benchmarks.md, "Experience bank" section).
# Usage: tools/experience/bench-retrieval.sh [hashing|minilm] [entries] [seconds] [clients] [writes/s] [exact,hnsw,hnsw:<beam>] [batches/s per client, 0 = closed loop]
# The minilm variant needs the model from infra/local/install-tools.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
mvn -B -q -o -pl activities/experience test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="activities/experience/target/test-classes:activities/experience/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -Dai.djl.offline=true ${CRL_BENCH_JAVA_OPTS:-} -Xmx4g -cp "$cp" dev.crl.experience.bench.RetrievalBenchmark "$@"
