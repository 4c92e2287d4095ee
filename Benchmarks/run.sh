#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md: the BenchmarkDotNet suite (all cases, joined into one summary) and the
# memory-per-series mode.
#   Benchmarks/run.sh          full run (BenchmarkDotNet's default job: accurate, takes a long while)
#   Benchmarks/run.sh --quick  short job (1 launch, 3 warm-up and 3 measured iterations of ~200 ms), a few minutes
# Further arguments go to BenchmarkDotNet, e.g. `Benchmarks/run.sh --quick --filter '*Exposition*'`.
# Results land in BenchmarkDotNet.Artifacts/results/ (markdown, csv) and on the console.
set -euo pipefail
cd "$(dirname "$0")/.."

job=()
if [[ "${1:-}" == "--quick" ]]; then
  shift
  job=(--job short --iterationTime 200)
fi

filter=(--filter '*')
for arg in "$@"; do
  if [[ "$arg" == "--filter" ]]; then
    filter=()
  fi
done

dotnet build Benchmarks/Benchmarks.csproj -c Release --nologo -v quiet
dotnet run -c Release --no-build --project Benchmarks -- "${filter[@]}" --join "${job[@]}" "$@"
echo
echo "== Memory per series (case 6)"
dotnet run -c Release --no-build --project Benchmarks -- memory
