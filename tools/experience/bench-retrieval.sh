#!/usr/bin/env bash
# Retrieval benchmark of the experience manager (docs/benchmarks.md, "Experience bank" section).
# Usage: tools/experience/bench-retrieval.sh [hashing|minilm] [entries] [seconds] [clients] [writes/s] [exact,exact:<helpers>,hnsw,hnsw:<beam>[:<helpers>]] [batches/s per client, 0 = closed loop]
# Each store is measured after 5 s of untimed retrieval under the same writes (-Dcrl.bench.warmup=<s> in CRL_BENCH_JAVA_OPTS;
# -Dcrl.bench.workers=<W> sets the manager's search workers, default 4; -Dcrl.simd.disabled=true measures plain-loop dot products;
# -Dcrl.bench.lessonPriority=normal|background|alternate embeds the writes' lessons at normal or idle priority, or alternates store by store;
# -Dcrl.bench.attribution=true reports, with one client, what the slowest 1% of batches overlapped).
# The minilm variant needs the model from infra/local/install-tools.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
mvn_log="$(mktemp)"
# Maven's output is shown only when it fails. Not offline: on a new machine the first run fetches
# the dependency plugin.
if ! ./mvnw -B -q -pl activities/experience test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >"$mvn_log" 2>&1; then
  cat "$mvn_log" >&2
  echo "bench-retrieval: compiling the benchmark failed (Maven's output above)" >&2
  exit 1
fi
rm -f "$mvn_log"
cp="activities/experience/target/test-classes:activities/experience/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
# One PyTorch intra-op thread, as in runs (TorchThreads); CRL_BENCH_JAVA_OPTS comes later and wins.
exec java --add-modules jdk.incubator.vector -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 ${CRL_BENCH_JAVA_OPTS:-} -Xmx4g -cp "$cp" dev.crl.experience.bench.RetrievalBenchmark "$@"
