#!/usr/bin/env bash
# Packaging suite: the MetricsGen packages the way a new user meets them. Packs the solution into a local feed, checks
# the packages' files and metadata, then builds a brand-new console project (outside the repository, empty NuGet
# cache) whose only reference is MetricsGen and whose code is the README's own "package-test" blocks: net10.0
# build and run, the generator's [GeneratedCode] version, a NativeAOT publish and run, a net8.0 (C# 13) build run on
# the .NET 10 runtime, the generator's own MG0019 error for net8.0 with C# 12, and its MG0017 for a metric member
# outside a [GatewayMetric] class (the compiler stops at its own declaration errors before analyzers run, so this
# must come from the generator: an analyzer's would not be reported). Then a brand-new library with one of each
# mistake that has a code fix: the build reports them, dotnet format fixes them, and it builds with no warning. Last,
# a brand-new web project whose only reference is MetricsGen.AspNetCore and whose code is the README's "package-test-web" blocks is built
# (0 warnings), run on a loopback port and scraped.
# Ends with one PASS/FAIL line per check and a "suite: N passed, M failed" line; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp="$(mktemp -d)"
# PACKAGE_SUITE_KEEP=1 keeps the feed, the consumer projects and the logs for a look afterwards.
# The web consumer runs in the background for a few seconds; it is stopped however the suite ends.
web_pid=""
stop_web() { if [ -n "$web_pid" ]; then kill "$web_pid" 2>/dev/null; wait "$web_pid" 2>/dev/null; web_pid=""; fi; }
if [ "${PACKAGE_SUITE_KEEP:-0}" = 1 ]; then trap 'stop_web; echo "kept: $tmp"' EXIT; else trap 'stop_web; rm -rf "$tmp"' EXIT; fi

# Every check, in order; one that an earlier failure made impossible is reported as a FAIL ("skipped") at the end.
checks=("pack" "package files" "package contents" "package nuspec" "aspnetcore package contents" "aspnetcore nuspec"
        "readme snippets" "net10 build" "consumer restore" "net10 run" "generated code version" "aot publish" "aot run"
        "net8 build" "net8 run" "net8 C# 12 MG0019" "MG0017" "fixes reported" "fixes format" "fixes applied" "fixes build"
        "web readme snippets" "web build" "web run")
declare -A reported=()
verdicts=()
passed=0
failed=0
verdict() { # PASS|FAIL name detail
  local line="$1 $2 — $3"
  echo "$line"
  verdicts+=("$line")
  reported["$2"]=1
  if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
finish() { # [why the remaining checks could not run]
  local name
  for name in "${checks[@]}"; do
    [ -n "${reported[$name]:-}" ] || verdict FAIL "$name" "skipped: ${1:-not run}"
  done
  echo
  echo "== verdicts ($(( $(date +%s) - suite_start )) s)"
  printf '%s\n' "${verdicts[@]}"
  echo "suite: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
show_log() { # file [lines]: the end of a build log, for debugging from CI output alone
  echo "---- last ${2:-40} lines of $(basename "$1")"
  tail -n "${2:-40}" "$1"
  echo "----"
}
# Every warning of a build or publish log (MSBuild, NuGet, the compiler, the trimmer/ILC, the generator), once each.
warnings_in() { grep -E ' warning |warning IL|warning MG' "$1" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u; }
suite_start=$(date +%s)

echo "== tools"
need=()
# NativeAOT links with clang, or gcc when clang is absent.
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
command -v unzip >/dev/null || need+=(unzip)
command -v curl >/dev/null || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet --version

version="$(sed -n 's:.*<MetricsGenVersion>\(.*\)</MetricsGenVersion>.*:\1:p' Directory.Build.props | head -n 1)"
if [ -z "$version" ]; then
  verdict FAIL version "no <MetricsGenVersion> in Directory.Build.props"
  finish "no package version"
fi
echo "package version: $version"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Classic console logger (the terminal logger hides warnings from redirected output); no build servers left behind.
build_flags=(-tl:off --disable-build-servers)

# ---------------------------------------------------------------------------------------------------------------
echo "== 1. pack"
feed="$tmp/feed"
start=$(date +%s)
if ! dotnet pack MetricsGen.sln -c Release -o "$feed" "${build_flags[@]}" >"$tmp/pack.log" 2>&1; then
  show_log "$tmp/pack.log" 60
  verdict FAIL pack "dotnet pack MetricsGen.sln failed (log above)"
  finish "the pack failed"
fi
verdict PASS pack "dotnet pack MetricsGen.sln in $(( $(date +%s) - start )) s"
nupkg="$feed/MetricsGen.$version.nupkg"
actual_files="$(cd "$feed" && ls -A | sort | tr '\n' ' ')"
expected_files="MetricsGen.$version.nupkg MetricsGen.$version.snupkg MetricsGen.AspNetCore.$version.nupkg MetricsGen.AspNetCore.$version.snupkg "
if [ "$actual_files" = "$expected_files" ]; then
  verdict PASS "package files" "the feed holds exactly MetricsGen.$version and MetricsGen.AspNetCore.$version (.nupkg and .snupkg each)"
else
  verdict FAIL "package files" "expected: $expected_files; found: $actual_files"
fi
if [ ! -f "$nupkg" ]; then
  show_log "$tmp/pack.log" 60
  verdict FAIL "package contents" "no $nupkg"
  finish "no package"
fi

entries="$(unzip -Z1 "$nupkg")"
missing=()
for entry in lib/net8.0/MetricsGen.dll lib/net8.0/MetricsGen.xml lib/net10.0/MetricsGen.dll lib/net10.0/MetricsGen.xml \
             analyzers/dotnet/cs/MetricsGen.Generator.dll analyzers/dotnet/cs/MetricsGen.CodeFixes.dll build/MetricsGen.targets buildTransitive/MetricsGen.targets \
             README.md MetricsGen.nuspec; do
  grep -Fxq "$entry" <<<"$entries" || missing+=("$entry")
done
if [ "${#missing[@]}" -eq 0 ]; then
  verdict PASS "package contents" "lib/net8.0 and lib/net10.0 (dll + xml docs), analyzers/dotnet/cs generator and code fixes, build(Transitive)/MetricsGen.targets (MetricsGenTlsSupport), README.md"
else
  unzip -l "$nupkg"
  verdict FAIL "package contents" "missing: ${missing[*]}"
fi

nuspec="$(unzip -p "$nupkg" MetricsGen.nuspec 2>/dev/null)"
problems=()
grep -q '<id>MetricsGen</id>' <<<"$nuspec" || problems+=("id is not MetricsGen")
grep -Fq "<version>$version</version>" <<<"$nuspec" || problems+=("version is not $version")
grep -q '<license type="expression">' <<<"$nuspec" || problems+=('no <license type="expression">')
grep -Fq '<readme>README.md</readme>' <<<"$nuspec" || problems+=("no <readme>README.md</readme>")
tags="$(sed -n 's:.*<tags>\(.*\)</tags>.*:\1:p' <<<"$nuspec")"
for tag in prometheus metrics openmetrics source-generator aot; do
  tr ' ' '\n' <<<"$tags" | grep -Fxq -- "$tag" || problems+=("tag '$tag' missing (tags: '$tags')")
done
grep -q '<dependency' <<<"$nuspec" && problems+=("has <dependency> entries")
if [ "${#problems[@]}" -eq 0 ]; then
  verdict PASS "package nuspec" "id MetricsGen, version $version, license expression, readme, tags '$tags', no dependencies"
else
  echo "$nuspec"
  verdict FAIL "package nuspec" "$(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
fi

# The second package: ASP.NET Core integration, both frameworks, depending on exactly this version of MetricsGen.
web_nupkg="$feed/MetricsGen.AspNetCore.$version.nupkg"
if [ -f "$web_nupkg" ]; then
  entries="$(unzip -Z1 "$web_nupkg")"
  missing=()
  for entry in lib/net8.0/MetricsGen.AspNetCore.dll lib/net8.0/MetricsGen.AspNetCore.xml lib/net10.0/MetricsGen.AspNetCore.dll \
               lib/net10.0/MetricsGen.AspNetCore.xml README.md MetricsGen.AspNetCore.nuspec; do
    grep -Fxq "$entry" <<<"$entries" || missing+=("$entry")
  done
  # The runtime and the generator come through the dependency, never as copies inside this package.
  extra="$(grep -E '(^|/)MetricsGen(\.Generator|\.CodeFixes)?\.dll$' <<<"$entries" | tr '\n' ' ')"
  if [ "${#missing[@]}" -eq 0 ] && [ -z "$extra" ]; then
    verdict PASS "aspnetcore package contents" "lib/net8.0 and lib/net10.0 (dll + xml docs), README.md; no copy of MetricsGen.dll or the generator"
  else
    unzip -l "$web_nupkg"
    verdict FAIL "aspnetcore package contents" "missing: ${missing[*]:-none}; should not hold: ${extra:-none}"
  fi

  nuspec="$(unzip -p "$web_nupkg" MetricsGen.AspNetCore.nuspec 2>/dev/null)"
  problems=()
  grep -q '<id>MetricsGen.AspNetCore</id>' <<<"$nuspec" || problems+=("id is not MetricsGen.AspNetCore")
  grep -Fq "<version>$version</version>" <<<"$nuspec" || problems+=("version is not $version")
  grep -q '<license type="expression">' <<<"$nuspec" || problems+=('no <license type="expression">')
  grep -Fq '<readme>README.md</readme>' <<<"$nuspec" || problems+=("no <readme>README.md</readme>")
  for tfm in net8.0 net10.0; do
    # Exactly one dependency per framework: MetricsGen at [version], with its analyzers (no exclude attribute).
    group="$(awk -v tfm="$tfm" '$0 ~ "<group targetFramework=\"" tfm "\"" { on = 1; next } on && /<\/group>/ { on = 0 } on' \
      <<<"$(sed -n '/<dependencies>/,/<\/dependencies>/p' <<<"$nuspec")")"
    [ "$(grep -c '<dependency ' <<<"$group")" = 1 ] || problems+=("$tfm: not exactly one dependency")
    # Analyzers included: no exclude attribute, and an include attribute (if any) of "All".
    dependency="$(grep -F "<dependency id=\"MetricsGen\" version=\"[$version]\"" <<<"$group")"
    if [ -z "$dependency" ] || grep -q 'exclude=' <<<"$dependency" || { grep -q 'include=' <<<"$dependency" && ! grep -q 'include="All"' <<<"$dependency"; }; then
      problems+=("$tfm: no dependency on MetricsGen [$version] that includes its analyzers (${dependency:-none})")
    fi
  done
  [ "$(grep -c '<frameworkReference name="Microsoft.AspNetCore.App" />' <<<"$nuspec")" = 2 ] \
    || problems+=("no framework reference to Microsoft.AspNetCore.App for both frameworks")
  if [ "${#problems[@]}" -eq 0 ]; then
    verdict PASS "aspnetcore nuspec" "id MetricsGen.AspNetCore, version $version, net8.0 and net10.0 each depend only on MetricsGen [$version] (analyzers included) and reference Microsoft.AspNetCore.App"
  else
    echo "$nuspec"
    verdict FAIL "aspnetcore nuspec" "$(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
  fi
else
  verdict FAIL "aspnetcore package contents" "no $web_nupkg"
  verdict FAIL "aspnetcore nuspec" "no $web_nupkg"
fi

# ---------------------------------------------------------------------------------------------------------------
echo "== 2. a brand-new consumer project (empty NuGet cache, only the package referenced)"
export NUGET_PACKAGES="$tmp/nuget-packages"
mkdir -p "$NUGET_PACKAGES"
app="$tmp/consumer"
mkdir -p "$app"
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML
cat >"$app/PackageConsumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MetricsGen" Version="$version" />
  </ItemGroup>
</Project>
XML

echo "== 3. the README's package-test blocks"
# Every "<!-- MARKER: NAME -->" line must be followed by a \`\`\`csharp line; the lines up to the next \`\`\` line
# become the file NAME of the consumer project. MARKER is package-test (console) or package-test-web (web project).
extract_blocks() { # marker directory: prints the names extracted
  awk -v dir="$2" -v marker="$1" '
  { sub(/\r$/, "") }
  state == 2 { if ($0 == "```") { close(file); print name; state = 0 } else print > file; next }
  state == 1 {
    if ($0 == "```csharp") { file = dir "/" name; printf "" > file; state = 2; next }
    print "README.md:" NR - 1 ": the package-test marker for " name " is not followed by a ```csharp line" > "/dev/stderr"
    bad = 1; state = 0
  }
  $0 ~ "^<!-- " marker ": [^ ]+ -->$" {
    name = $3
    if (name ~ /\// || name in seen) { print "README.md:" NR ": bad or repeated package-test name " name > "/dev/stderr"; bad = 1; next }
    seen[name] = 1; state = 1
  }
  END {
    if (state == 2) { print "README.md: the package-test block " name " has no closing ``` line" > "/dev/stderr"; bad = 1 }
    if (state == 1) { print "README.md: the package-test marker " name " is the last line" > "/dev/stderr"; bad = 1 }
    exit bad
  }' README.md
}
required=(GatewayMetrics.cs Program.cs)
extracted="$(extract_blocks package-test "$app" 2>"$tmp/extract.err")"; extract_status=$?
cat "$tmp/extract.err"
missing=()
for name in "${required[@]}"; do grep -Fxq "$name" <<<"$extracted" || missing+=("$name"); done
snippets_ok=1
if [ "$extract_status" -ne 0 ] || [ "${#missing[@]}" -gt 0 ]; then
  snippets_ok=0
  detail="$(head -n 1 "$tmp/extract.err")"
  [ "${#missing[@]}" -gt 0 ] && detail="no '<!-- package-test: NAME -->' marker + \`\`\`csharp block in README.md for: ${missing[*]}${detail:+; $detail}"
  verdict FAIL "readme snippets" "$detail"
else
  summary="$(while read -r name; do echo -n "$name ($(wc -l <"$app/$name") lines) "; done <<<"$extracted")"
  verdict PASS "readme snippets" "extracted ${summary% }"
fi

# The same project for a net8.0 user, copied before any build so that it has its own obj/ and bin/. The target
# framework and language version are set in the copy's project file: given as -p:TargetFramework=net8.0 on the
# command line they would not reach restore (NuGet evaluates the project without a TargetFramework global
# property), and the build would stop at NETSDK1005 "project.assets.json doesn't have a target for 'net8.0'".
net8_copy() { # directory language-version
  cp -r "$app" "$1"
  sed -i "s:<TargetFramework>net10.0</TargetFramework>:<TargetFramework>net8.0</TargetFramework><LangVersion>$2</LangVersion>:" \
    "$1/PackageConsumer.csproj"
}
net8_copy "$tmp/consumer-net8" 13
net8_copy "$tmp/consumer-net8-cs12" 12
# A metric member in a class without [GatewayMetric].
cp -r "$app" "$tmp/consumer-orphan"
cat >"$tmp/consumer-orphan/Orphan.cs" <<'CS'
namespace PackageConsumer.Forgotten;

public sealed partial class ForgottenMetrics
{
    [MetricsGen.Counter(Help = "Never implemented: the class lacks [GatewayMetric].")]
    public partial MetricsGen.Counter Dropped();
}
CS

# The lines the README's Program.cs must print. Keep them in step with that block. The Prometheus text part comes
# from MetricRegistry.Default; the OpenMetrics part, from the isolated registry, starts at the first counter family
# named without "_total" (text 0.0.4 names counter families with it, OpenMetrics without).
prom_lines=(
  '# TYPE ractogateway_requests_total counter'
  'ractogateway_requests_total{provider="openai",model="gpt-4o",operation="chat",status="ok"} 1'
  'ractogateway_in_flight_requests 3'
  'ractogateway_tool_calls_total{tool_name="web_search"} 1'
  'ractogateway_tokens_total{provider="openai",model="gpt-4o",token_type="input"} 120'
  'ractogateway_cache_hits_total{cache_type="exact"} 1'
  'ractogateway_cost_usd_total{provider="openai",model="gpt-4o"} 0.0125'
  'ractogateway_request_duration_seconds_count{provider="openai",model="gpt-4o",operation="chat"} 1'
  'ractogateway_request_duration_seconds_count{provider="openai",model="gpt-4o",operation="stream"} 1'
)
om_lines=(
  '# TYPE ractogateway_cache_misses counter'
  'ractogateway_cache_misses_total{cache_type="semantic"} 1'
  '# EOF'
)
# Recorded on the default registry only: in the isolated registry's output they would mean it is not isolated.
om_absent=(
  'ractogateway_requests_total{provider="openai",model="gpt-4o",operation="chat",status="ok"} 1'
  'ractogateway_cache_hits_total{cache_type="exact"} 1'
)
check_output() { # name file-with-the-program's-output [detail prefix]
  local name="$1" out="$2" prom om line problems=()
  local boundary='/^# TYPE [^ ]+ counter$/ && $3 !~ /_total$/'
  prom="$(awk "$boundary { exit } { print }" "$out")"
  om="$(awk "found || ($boundary) { found = 1; print }" "$out")"
  [ -n "$om" ] || problems+=("no OpenMetrics part (no '# TYPE <name without _total> counter' line)")
  for line in "${prom_lines[@]}"; do grep -Fxq -- "$line" <<<"$prom" || problems+=("text part lacks: $line"); done
  for line in "${om_lines[@]}"; do grep -Fxq -- "$line" <<<"$om" || problems+=("OpenMetrics part lacks: $line"); done
  for line in "${om_absent[@]}"; do ! grep -Fxq -- "$line" <<<"$om" || problems+=("OpenMetrics part (isolated registry) has: $line"); done
  [ "$(tail -n 1 "$out")" = '# EOF' ] || problems+=("the last line is not # EOF")
  [ "$(grep -cFx '# EOF' "$out")" -le 1 ] || problems+=("more than one # EOF")
  if [ "${#problems[@]}" -eq 0 ]; then
    verdict PASS "$name" "${3:-}$(grep -vc '^#' "$out") samples; all $(( ${#prom_lines[@]} + ${#om_lines[@]} )) expected lines present, isolated registry isolated, OpenMetrics part ends with # EOF"
  else
    echo "---- output ($(wc -l <"$out") lines), ractogateway lines and the end:"
    grep -E 'ractogateway|^# EOF' "$out" | grep -v '_bucket{'
    echo "----"
    verdict FAIL "$name" "$(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
  fi
}
build() { # name log-file dotnet-args... : must succeed with no warning; returns 0 when it produced its output
  local name="$1" log="$2" start warnings; shift 2
  start=$(date +%s)
  if ! dotnet "$@" "${build_flags[@]}" >"$log" 2>&1; then
    show_log "$log" 50
    verdict FAIL "$name" "dotnet $1 failed (log above)"
    return 1
  fi
  warnings="$(warnings_in "$log")"
  if [ -n "$warnings" ]; then
    echo "$warnings"
    verdict FAIL "$name" "$(wc -l <<<"$warnings") warning(s) (listed above)"
    return 0
  fi
  verdict PASS "$name" "succeeded in $(( $(date +%s) - start )) s, 0 warnings"
}

# ---------------------------------------------------------------------------------------------------------------
if [ "$snippets_ok" -eq 1 ]; then
  echo "== 4. net10.0 build and run"
  net10_ok=0
  build "net10 build" "$tmp/build-net10.log" build "$app" -c Release && net10_ok=1

  # The package came from this pack, not from some earlier copy of the same version.
  cached="$NUGET_PACKAGES/metricsgen/$version/metricsgen.$version.nupkg"
  if [ -f "$cached" ] && cmp -s "$cached" "$nupkg"; then
    verdict PASS "consumer restore" "MetricsGen $version restored into the empty cache from the freshly packed nupkg"
  else
    verdict FAIL "consumer restore" "$NUGET_PACKAGES holds no MetricsGen $version identical to $nupkg"
  fi

  if [ "$net10_ok" -eq 1 ]; then
    if dotnet run --project "$app" -c Release --no-build >"$tmp/run-net10.txt" 2>"$tmp/run-net10.err"; then
      check_output "net10 run" "$tmp/run-net10.txt"
    else
      cat "$tmp/run-net10.err"; tail -n 20 "$tmp/run-net10.txt"
      verdict FAIL "net10 run" "the program failed (exit status and stderr above)"
    fi
  else
    verdict FAIL "net10 run" "skipped: the net10.0 build failed"
  fi

  echo "== 5. the generated source's [GeneratedCode] version"
  generated="$app/obj/Release/net10.0/generated/MetricsGen.Generator"
  attribute="[global::System.CodeDom.Compiler.GeneratedCode(\"MetricsGen\", \"$version\")]"
  if [ -d "$generated" ] && grep -rFq -- "$attribute" "$generated"; then
    verdict PASS "generated code version" "$(grep -rlF -- "$attribute" "$generated" | wc -l) generated file(s) carry $attribute"
  elif [ -d "$generated" ]; then
    find "$generated" -type f
    grep -rh 'GeneratedCode' "$generated" | sort -u | head -n 5
    verdict FAIL "generated code version" "no $attribute in the generated source"
  else
    find "$app/obj" -path '*generated*' | head -n 20
    verdict FAIL "generated code version" "no generated source under ${generated#"$tmp"/}"
  fi

  echo "== 6. NativeAOT publish and run"
  if build "aot publish" "$tmp/publish-aot.log" publish "$app" -c Release -r linux-x64 -p:PublishAot=true -o "$tmp/aot"; then
    binary="$tmp/aot/PackageConsumer"
    size=$(stat -c %s "$binary")
    echo "native binary: $size bytes ($(( size / 1024 )) KiB)"
    if "$binary" >"$tmp/run-aot.txt" 2>"$tmp/run-aot.err"; then
      check_output "aot run" "$tmp/run-aot.txt" "$(( size / 1024 )) KiB native binary; "
    else
      cat "$tmp/run-aot.err"; tail -n 20 "$tmp/run-aot.txt"
      verdict FAIL "aot run" "the native binary failed (stderr above)"
    fi
  else
    verdict FAIL "aot run" "skipped: the NativeAOT publish failed"
  fi

  echo "== 7. net8.0 (C# 13) build, run on the .NET 10 runtime"
  app8="$tmp/consumer-net8"
  if build "net8 build" "$tmp/build-net8.log" build "$app8" -c Release; then
    if DOTNET_ROLL_FORWARD=Major dotnet "$app8/bin/Release/net8.0/PackageConsumer.dll" >"$tmp/run-net8.txt" 2>"$tmp/run-net8.err"; then
      check_output "net8 run" "$tmp/run-net8.txt"
    else
      cat "$tmp/run-net8.err"; tail -n 20 "$tmp/run-net8.txt"
      verdict FAIL "net8 run" "the program failed (stderr above)"
    fi
  else
    verdict FAIL "net8 run" "skipped: the net8.0 build failed"
  fi

  echo "== 8. net8.0 with C# 12: the generator's MG0019, not the compiler's missing-implementation errors"
  log="$tmp/build-net8-cs12.log"
  if dotnet build "$tmp/consumer-net8-cs12" -c Release "${build_flags[@]}" >"$log" 2>&1; then
    show_log "$log" 20
    verdict FAIL "net8 C# 12 MG0019" "the build succeeded; partial properties under C# 12 must be an error"
  else
    mg0019=$(grep -E 'error MG0019' "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u | wc -l)
    # CS8795 (partial method) and CS9248 (partial property) say "must have an implementation part".
    cs8795=$(grep -E 'error (CS8795|CS9248)' "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u | wc -l)
    if [ "$mg0019" -gt 0 ] && [ "$cs8795" -eq 0 ]; then
      grep -E ' error ' "$log" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u | head -n 10
      verdict PASS "net8 C# 12 MG0019" "the build fails with $mg0019 MG0019 error(s) and no CS8795/CS9248"
    else
      grep -E ' error ' "$log" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u | head -n 20
      verdict FAIL "net8 C# 12 MG0019" "the build failed with $mg0019 MG0019 and $cs8795 CS8795/CS9248 error(s); expected MG0019 and no missing-implementation error (errors above)"
    fi
  fi

  echo "== 8b. MG0017 for a metric member outside a [GatewayMetric] class, in a real build"
  log="$tmp/build-orphan.log"
  if dotnet build "$tmp/consumer-orphan" -c Release "${build_flags[@]}" >"$log" 2>&1; then
    show_log "$log" 20
    verdict FAIL "MG0017" "the build succeeded; a [Counter] outside a [GatewayMetric] class must be an error"
  elif grep -Eq 'Orphan\.cs\(6,39\): error MG0017: .Dropped. is marked \[Counter\] but .ForgottenMetrics. has no \[GatewayMetric\]' "$log"; then
    verdict PASS "MG0017" "$(grep -E 'error MG0017' "$log" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u | head -n 1)"
  else
    grep -E ' error ' "$log" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u | head -n 20
    verdict FAIL "MG0017" "the build failed without MG0017 at Orphan.cs(6,39) (errors above)"
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
echo "== 8c. code fixes: dotnet format repairs one project holding each fixable mistake, which then builds"
# A library of its own (no README code), restored from the same feed and cache. One mistake per file and class, so
# that each fix is checked on its own; the expected text after the fix is listed with the mistake.
fixes="$tmp/consumer-fixes"
mkdir -p "$fixes"
cp "$app/nuget.config" "$fixes/"
sed 's:<OutputType>Exe</OutputType>:<OutputType>Library</OutputType>:' "$app/PackageConsumer.csproj" >"$fixes/FixesConsumer.csproj"
fix_file() { # name: the file's body from stdin, under the usual header
  { printf 'using MetricsGen;\n\nnamespace FixesConsumer;\n\n'; cat; } >"$fixes/$1"
}
fix_file NotPartial.cs <<'CS'
[GatewayMetric]
public sealed class CheckoutMetrics
{
    [Counter(Help = "Orders placed.")]
    public partial Counter Orders();
}
CS
fix_file MemberNotPartial.cs <<'CS'
[GatewayMetric]
public sealed partial class StockMetrics
{
    [Gauge(Help = "Items in stock.")]
    public Gauge Level { get; }
}
CS
fix_file Names.cs <<'CS'
[GatewayMetric]
public sealed partial class HttpMetrics
{
    [Counter("http.requests", Help = "Requests served.")]
    public partial Counter Requests();
}
CS
fix_file Labels.cs <<'CS'
[GatewayMetric]
public sealed partial class RouteMetrics
{
    [Counter("route_calls", Help = "Calls per route.")]
    public partial Counter Calls([Label("route-name")] string route);
}
CS
fix_file Buckets.cs <<'CS'
[GatewayMetric]
public sealed partial class PayloadMetrics
{
    [Histogram("payload_bytes", Help = "Payload sizes.", Buckets = new[] { 1000.0, 10, 100, 100 })]
    public partial Histogram Payloads();
}
CS
fix_file Units.cs <<'CS'
[GatewayMetric]
public sealed partial class TimingMetrics
{
    [Histogram("request_duration", Unit = "seconds", Help = "Request duration.")]
    public partial Histogram Duration();

    [Counter("busy_total", Unit = "seconds", Help = "Time spent busy.")]
    public partial Counter Busy();
}
CS
fix_file Orphan.cs <<'CS'
public sealed class ForgottenMetrics
{
    [Counter(Help = "Never implemented: the class lacks [GatewayMetric].")]
    public partial Counter Dropped();
}
CS
# One class in two files, a member in each: the fix marks it once (a second [GatewayMetric] would be CS0579).
fix_file SplitFirst.cs <<'CS'
public sealed partial class SplitMetrics
{
    [Counter(Help = "Declared in the first part.")]
    public partial Counter First();
}
CS
fix_file SplitSecond.cs <<'CS'
public sealed partial class SplitMetrics
{
    [Gauge(Help = "Declared in the second part.")]
    public partial Gauge Second { get; }
}
CS
# A name lint (a warning of the package's analyzers, MG0034-MG0039) with its rename fix: the unit changes too.
fix_file Lints.cs <<'CS'
[GatewayMetric]
public sealed partial class LatencyMetrics
{
    [Histogram("latency_ms", Unit = "ms", Help = "Request latency.", Buckets = new[] { 5.0, 50, 500 })]
    public partial Histogram Latency();
}
CS
# file|ID the build must report there|text the file must hold after dotnet format
fix_cases=(
  "NotPartial.cs|MG0001|public sealed partial class CheckoutMetrics"
  "MemberNotPartial.cs|MG0003|public partial Gauge Level { get; }"
  "Names.cs|MG0005|[Counter(\"http_requests\", Help"
  "Labels.cs|MG0006|[Label(\"route_name\")] string route"
  "Buckets.cs|MG0013|Buckets = new[] { 10, 100, 1000.0 }"
  "Units.cs|MG0014|[Histogram(\"request_duration_seconds\", Unit = \"seconds\""
  "Units.cs|MG0014|[Counter(\"busy_seconds_total\", Unit = \"seconds\""
  "Orphan.cs|MG0017|[GatewayMetric]"
  "Orphan.cs|MG0017|public sealed partial class ForgottenMetrics"
  "SplitFirst.cs|MG0017|[GatewayMetric]"
  "SplitSecond.cs|MG0017|public sealed partial class SplitMetrics"
  "Lints.cs|MG0035|[Histogram(\"latency_seconds\", Unit = \"seconds\""
  "Lints.cs|MG0035|Buckets = new[] { 0.005, 0.05, 0.5 }"
)
fix_ids="$(printf '%s\n' "${fix_cases[@]}" | cut -d'|' -f2 | sort -u | tr '\n' ' ')"
log="$tmp/build-fixes-before.log"
dotnet build "$fixes" -c Release "${build_flags[@]}" >"$log" 2>&1; before_status=$?
missing=()
for case in "${fix_cases[@]}"; do
  IFS='|' read -r file id _ <<<"$case"
  # A lint is an analyzer warning, and the build skips analyzers while other files have declaration errors; that
  # dotnet format found it shows in "fixes applied", that nothing is left in "fixes build" (no warning allowed).
  case "$id" in MG003[4-9]) continue ;; esac
  grep -Eq "/${file//./\\.}\([0-9]+,[0-9]+\): error $id:" "$log" || missing+=("$id in $file")
done
if [ "$before_status" -ne 0 ] && [ "${#missing[@]}" -eq 0 ]; then
  verdict PASS "fixes reported" "the build fails with $(grep -Eo 'error MG[0-9]+' "$log" | sort -u | tr '\n' ' ' | sed 's/ $//'), one mistake per file"
else
  grep -E ' error ' "$log" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u | head -n 30
  verdict FAIL "fixes reported" "build exit $before_status; not reported: ${missing[*]:-none}"
fi

# One run must fix everything (each fixable ID has an analyzer of its own, which dotnet format needs: it hands a fixer
# the first diagnostic of the analyzers supporting the ID); --verify-no-changes then finds nothing left to fix.
format_args=(analyzers "$fixes/FixesConsumer.csproj" --severity info --no-restore --diagnostics $fix_ids)
start=$(date +%s)
dotnet format "${format_args[@]}" >"$tmp/format.log" 2>&1; format_status=$?
if [ "$format_status" -eq 0 ] && ! grep -q 'Unable to fix' "$tmp/format.log" \
   && dotnet format "${format_args[@]}" --verify-no-changes >"$tmp/format-verify.log" 2>&1; then
  verdict PASS "fixes format" "one dotnet format analyzers --diagnostics ${fix_ids% } run fixed them all; --verify-no-changes passed ($(( $(date +%s) - start )) s for both)"
else
  cat "$tmp/format.log" "$tmp/format-verify.log" 2>/dev/null | grep -v '^ *$' | head -n 30
  verdict FAIL "fixes format" "dotnet format exit $format_status; it could not fix everything in one run, or --verify-no-changes still finds fixable MetricsGen diagnostics (above)"
fi
missing=()
for case in "${fix_cases[@]}"; do
  IFS='|' read -r file id text <<<"$case"
  grep -Fq -- "$text" "$fixes/$file" || missing+=("$id: '$text' in $file")
done
if [ "${#missing[@]}" -eq 0 ]; then
  verdict PASS "fixes applied" "each file holds its fix (${#fix_cases[@]} expected lines)"
else
  for file in "$fixes"/*.cs; do echo "---- $(basename "$file")"; cat "$file"; done
  verdict FAIL "fixes applied" "missing: $(printf '%s; ' "${missing[@]}" | sed 's/; $//')"
fi
# Built the way the other consumers are: it must succeed with no warning, so with no MetricsGen diagnostic at all.
build "fixes build" "$tmp/build-fixes-after.log" build "$fixes" -c Release

# ---------------------------------------------------------------------------------------------------------------
echo "== 9. a brand-new web project referencing only MetricsGen.AspNetCore (the README's package-test-web blocks)"
web="$tmp/web-consumer"
mkdir -p "$web"
cp "$app/nuget.config" "$web/"
# As "dotnet new web" makes it: the Web SDK and implicit usings, under which the extension methods need no using.
cat >"$web/WebConsumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MetricsGen.AspNetCore" Version="$version" />
  </ItemGroup>
</Project>
XML
web_extracted="$(extract_blocks package-test-web "$web" 2>"$tmp/extract-web.err")"; web_status=$?
cat "$tmp/extract-web.err"
missing=()
for name in ShopMetrics.cs Program.cs; do grep -Fxq "$name" <<<"$web_extracted" || missing+=("$name"); done
if [ "$web_status" -ne 0 ] || [ "${#missing[@]}" -gt 0 ]; then
  verdict FAIL "web readme snippets" "no '<!-- package-test-web: NAME -->' block for: ${missing[*]:-none}; $(head -n 1 "$tmp/extract-web.err")"
else
  verdict PASS "web readme snippets" "extracted $(tr '\n' ' ' <<<"$web_extracted" | sed 's/ $//')"
  if build "web build" "$tmp/build-web.log" build "$web" -c Release; then
    port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
    base="http://127.0.0.1:$port"
    dotnet "$web/bin/Release/net10.0/WebConsumer.dll" --urls "$base" >"$tmp/run-web.log" 2>&1 &
    web_pid=$!
    for _ in $(seq 1 200); do curl -fsS -o /dev/null "$base/metrics" 2>/dev/null && break; sleep 0.1; done
    greeting="$(curl -fsS "$base/hello/bob" 2>/dev/null)"
    curl -fsS -o /dev/null "$base/hello/alice" 2>/dev/null
    curl -fsS -D "$tmp/web-headers.txt" -o "$tmp/web-metrics.txt" \
      -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' "$base/metrics" 2>/dev/null
    stop_web
    problems=()
    [ "$greeting" = "hi bob" ] || problems+=("GET /hello/bob answered '$greeting'")
    grep -qi '^content-type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$tmp/web-headers.txt" \
      || problems+=("/metrics did not negotiate OpenMetrics")
    grep -Fxq 'shop_greetings_total{tier="free"} 2' "$tmp/web-metrics.txt" || problems+=('no shop_greetings_total{tier="free"} 2')
    grep -Eq '^http_server_request_duration_seconds_count\{http_request_method="GET",http_response_status_code="200",http_route="/hello/\{name\}",[^}]*\} 2$' \
      "$tmp/web-metrics.txt" || problems+=('no request-duration series for http_route="/hello/{name}" with count 2')
    ! grep -Eq '/hello/(bob|alice)' "$tmp/web-metrics.txt" || problems+=("a raw path is a label value")
    if [ "${#problems[@]}" -eq 0 ]; then
      verdict PASS "web run" "the README's minimal API answers, serves OpenMetrics on /metrics, counts both greetings under http_route=\"/hello/{name}\""
    else
      tail -n 20 "$tmp/run-web.log"; grep -E 'shop_|http_server' "$tmp/web-metrics.txt" | grep -v _bucket
      verdict FAIL "web run" "$(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
    fi
  else
    verdict FAIL "web run" "skipped: the web build failed"
  fi
fi
finish "no consumer code (the README's package-test blocks could not be extracted)"
