#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md: the BenchmarkDotNet suite (one summary per case) and the
# memory-per-series mode.
#   Benchmarks/run.sh          full run (BenchmarkDotNet's default job: accurate, takes a long while)
#   Benchmarks/run.sh --quick  in-process short job (2 warm-up and 5 measured iterations of ~150 ms), a few minutes
# Further arguments go to BenchmarkDotNet, e.g. `Benchmarks/run.sh --quick --filter '*Exposition*'`.
# Results land in BenchmarkDotNet.Artifacts/results/ (markdown, csv) and on the console.
set -euo pipefail
cd "$(dirname "$0")/.."

job=()
if [[ "${1:-}" == "--quick" ]]; then
  shift
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

dotnet build Benchmarks/Benchmarks.csproj -c Release --nologo -v quiet
dotnet run -c Release --no-build --project Benchmarks -- "${filter[@]}" "${job[@]}" "$@"
echo
echo "== Memory per series (case 6)"
dotnet run -c Release --no-build --project Benchmarks -- memory
