#!/usr/bin/env bash
# Binary compatibility of the 1.0 API: a class library compiled against the frozen 1.0.0 package must run, unchanged
# and unrecompiled, inside an app that references the current package. The frozen commit is named by
# tests/package/compat-baseline.txt ("VERSION COMMIT"); this suite packs that commit from the clone's own history as
# VERSION, packs the working tree as a later version, builds tests/package/compat/CompatLib (every kind of generated
# member) against the first and tests/package/compat/CompatApp against the second with the library's DLL, runs it,
# and checks the scrape. Ends with one verdict line per check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/../e2e/lib.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build_flags=(-tl:off --disable-build-servers -v q)
read -r baseline_version baseline_commit <"$repo/tests/package/compat-baseline.txt"
current_version="$(sed -n 's:.*<MetricsGenVersion>\(.*\)</MetricsGenVersion>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)"
# A fourth version part keeps the current package apart from the baseline even when the tree has not been bumped yet.
current_package="$current_version.1-compat"
echo "baseline: MetricsGen $baseline_version at $baseline_commit; current: $current_package from the working tree"

echo "== 1. pack the baseline from its commit, and the working tree"
# A CI checkout may be shallow: deepen it before looking for the frozen commit.
if ! git -C "$repo" cat-file -e "$baseline_commit^{commit}" 2>/dev/null \
   && [ "$(git -C "$repo" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
  git -C "$repo" fetch --quiet --unshallow 2>&1 | tail -n 3 || true
fi
if ! git -C "$repo" cat-file -e "$baseline_commit^{commit}" 2>/dev/null; then
  verdict pack-baseline FAIL "commit $baseline_commit is not in this clone's history (a shallow clone?)"
  finish
fi
mkdir -p "$work/baseline"
git -C "$repo" archive "$baseline_commit" | tar -x -C "$work/baseline"
if dotnet pack "$work/baseline/Runtime/Runtime.csproj" -c Release -o "$work/feed-baseline" -p:MetricsGenVersion="$baseline_version" \
    "${build_flags[@]}" >"$work/pack-baseline.log" 2>&1; then
  verdict pack-baseline PASS "MetricsGen.$baseline_version.nupkg packed from $baseline_commit"
else
  tail -n 30 "$work/pack-baseline.log"
  verdict pack-baseline FAIL "dotnet pack of the baseline commit failed (log above)"
  finish
fi
if dotnet pack "$repo/Runtime/Runtime.csproj" -c Release -o "$work/feed-current" -p:MetricsGenVersion="$current_package" \
    "${build_flags[@]}" >"$work/pack-current.log" 2>&1; then
  verdict pack-current PASS "MetricsGen.$current_package.nupkg packed from the working tree"
else
  tail -n 30 "$work/pack-current.log"
  verdict pack-current FAIL "dotnet pack of the working tree failed (log above)"
  finish
fi

# Both feeds, a package folder of the suite's own (never the user's cache: two builds of one version must not mix).
cp -r "$repo/tests/package/compat" "$work/compat"
cat >"$work/compat/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources>
    <clear />
    <add key="baseline" value="$work/feed-baseline" />
    <add key="current" value="$work/feed-current" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML

echo "== 2. the library, compiled against $baseline_version"
lib_dll="$work/compat/CompatLib/bin/Release/net10.0/CompatLib.dll"
if dotnet build "$work/compat/CompatLib" -c Release -p:MetricsGenBaseline="$baseline_version" "${build_flags[@]}" \
    >"$work/lib.log" 2>&1 && [ -f "$lib_dll" ]; then
  verdict library-build PASS "CompatLib (counters, gauges, histograms classic and native, summary, state set, info, callbacks, exemplars, expiry, limits, Remove/Clear) built against MetricsGen $baseline_version"
else
  tail -n 30 "$work/lib.log"
  verdict library-build FAIL "CompatLib did not build against $baseline_version (log above)"
  finish
fi

echo "== 3. the app on $current_package, running the library's DLL as compiled"
if dotnet build "$work/compat/CompatApp" -c Release -p:MetricsGenCurrent="$current_package" -p:CompatLibPath="$lib_dll" \
    "${build_flags[@]}" >"$work/app.log" 2>&1; then
  verdict app-build PASS "CompatApp built against MetricsGen $current_package with the 1.0.0-compiled CompatLib.dll"
else
  tail -n 30 "$work/app.log"
  verdict app-build FAIL "CompatApp did not build (log above)"
  finish
fi
app_dir="$work/compat/CompatApp/bin/Release/net10.0"
loaded="$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(k for k in d["libraries"] if k.startswith("MetricsGen/")))' "$app_dir/CompatApp.deps.json" 2>/dev/null)"
if out="$(dotnet "$app_dir/CompatApp.dll" 2>&1)" && [ "$loaded" = "MetricsGen/$current_package" ]; then
  echo "$out"
  verdict binary-compatible PASS "$out (the app's dependency graph holds $loaded only)"
else
  echo "$out"
  verdict binary-compatible FAIL "the library built against $baseline_version failed on $current_package (resolved: ${loaded:-?})"
fi
finish
