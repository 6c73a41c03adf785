#!/usr/bin/env bash
# Orchestration benchmark (docs/benchmarks.md, "Orchestration overhead and the experience track").
# Usage: tools/workers/bench-orchestration.sh [iterations per side, default 16] [repeats, default 1]
# Uses the Temporal dev server when the tools are installed (infra/local/install-tools.sh), like
# `crl train`; CRL_BENCH_JAVA_OPTS=-Dbench.temporal=inprocess forces the in-process server.
# CRL_BENCH_MAIN runs another main class of the workers' test sources on the same classpath
# (dev.crl.workers.bench.MallocArenaProbe).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
# Compile this checkout's modules in one reactor, then put their target/classes (not the jars in
# the local Maven repository, which another checkout may have overwritten) on the classpath.
# Maven's output is shown only when it fails; not offline, so that a new machine fetches the
# dependency plugin on the first run.
mvn_log="$(mktemp)"
if ! { ./mvnw -B -q -pl workers -am test-compile \
    && ./mvnw -B -q -pl workers dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test; } \
    >"$mvn_log" 2>&1; then
  cat "$mvn_log" >&2
  echo "bench-orchestration: compiling the benchmark failed (Maven's output above)" >&2
  exit 1
fi
rm -f "$mvn_log"
modules="workflows:crl-workflows activities/api:crl-activities-api activities/impl:crl-activities \
  activities/learning:crl-learning activities/experience:crl-experience activities/stores:crl-stores \
  environments:crl-environments"
cp="$(tr ':' '\n' <"$cp_file")"
rm -f "$cp_file"
for m in $modules; do
  dir="${m%%:*}"; artifact="${m##*:}"
  cp="$(printf '%s\n' "$cp" | sed "s#^.*/dev/crl/$artifact/[^/]*/$artifact-[^/]*\.jar\$#$root/$dir/target/classes#")"
done
cp="workers/target/test-classes:workers/target/classes:$(printf '%s\n' "$cp" | paste -sd:)"
# The launcher's malloc setting (see ./crl), so the benchmark measures what crl runs.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-128}"
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1 -Dcrl.home="$root" \
  ${CRL_BENCH_JAVA_OPTS:-} -cp "$cp" ${CRL_BENCH_MAIN:-dev.crl.workers.bench.OrchestrationBenchmark} "$@"
