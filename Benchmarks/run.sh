#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md: the BenchmarkDotNet suite (one summary per case), the
# memory-per-series mode, the HTTP scrape (Benchmarks/http.sh, case 5) and the NativeAOT sample (Benchmarks/aot.sh,
# case 7).
#   Benchmarks/run.sh          full run (BenchmarkDotNet's default job: accurate, takes a long while)
#   Benchmarks/run.sh --quick  in-process short job (3 warm-up and 5 measured iterations of ~150 ms), plus the short
#                              versions of http.sh and aot.sh; about 6 minutes in all
# Further arguments go to BenchmarkDotNet, e.g. `Benchmarks/run.sh --quick --filter '*Exposition*'`.
# Results land in BenchmarkDotNet.Artifacts/results/ (markdown, csv) and on the console.
set -euo pipefail
cd "$(dirname "$0")/.."

job=()
quick=()
if [[ "${1:-}" == "--quick" ]]; then
  shift
  quick=(--quick)
  # In-process (no second build, no process per benchmark) with a short job, so the whole run takes a few minutes.
  job=(--inProcess --job short --warmupCount 3 --iterationCount 5 --iterationTime 150)
  # In one long-lived process the tier-1 promotion of hot methods was seen to lag by seconds (a 10x slower tier-0
  # histogram for the first iterations); start call counting at once so the short warm-up reaches optimized code.
  export DOTNET_TC_CallCountingDelayMs=0
fi

filter=(--filter '*')
for arg in "$@"; do
  if [[ "$arg" == "--filter" ]]; then
    filter=()
  fi
done
# A run filtered to some BenchmarkDotNet cases skips the HTTP and NativeAOT cases.
filtered=$(( ${#filter[@]} == 0 ))

dotnet build Benchmarks/Benchmarks.csproj -c Release --nologo -v quiet
dotnet run -c Release --no-build --project Benchmarks -- "${filter[@]}" "${job[@]}" "$@"
echo
echo "== Memory per series (case 6)"
dotnet run -c Release --no-build --project Benchmarks -- memory
if ((filtered)); then
  exit 0
fi

# The JIT setting above is for the in-process BenchmarkDotNet job only; servers and the Sample run with defaults.
unset DOTNET_TC_CallCountingDelayMs
echo
echo "== HTTP scrape of 10,000 series (case 5)"
NO_BUILD=1 Benchmarks/http.sh "${quick[@]}"
echo
echo "== NativeAOT sample (case 7)"
Benchmarks/aot.sh "${quick[@]}"
