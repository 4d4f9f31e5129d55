#!/usr/bin/env bash
# Runs Handoff's build graph. The build project is compiled once into tools/.build and reused until
# one of its sources changes (fingerprint of path, size and mtime), so a warm run starts the
# compiled (ReadyToRun) program directly instead of paying for `dotnet run`'s restore and up-to-date checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/tools/.build"
export HANDOFF_HOME="$root" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fingerprint() {
  # Only existing inputs are listed, so a failing `find` means the fingerprint is unknown: then a value
  # that never matches forces a rebuild rather than reusing a stale build forever.
  local inputs=() p listing
  for p in build src Directory.Build.props Directory.Build.targets Directory.Packages.props global.json tools/dotnet-tools.json; do
    [ -e "$root/$p" ] && inputs+=("$p")
  done
  if listing=$(cd "$root" && find "${inputs[@]}" \( -name bin -o -name obj \) -prune -o -type f -printf '%p %s %T@\n' 2>/dev/null) \
     || listing=$(cd "$root" && find "${inputs[@]}" \( -name bin -o -name obj \) -prune -o -type f -exec stat -f '%N %z %Fm' {} + 2>/dev/null); then
    printf '%s\n' "$listing" | LC_ALL=C sort | cksum
  else
    echo "unknown-$$-$RANDOM"
  fi
}

# One compiler at a time (parallel CI jobs, tests): flock where it exists (Linux), else an atomic mkdir
# (macOS has no flock) whose stale leftovers from a killed run are taken over after ten minutes (a cold compile takes one or two).
lock() {
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$out/.lock"
    flock 9
  else
    local waited=0
    until mkdir "$out/.lock.d" 2>/dev/null; do
      sleep 1
      waited=$((waited + 1))
      if [ "$waited" -ge 600 ]; then rm -rf "$out/.lock.d"; waited=0; fi
    done
    trap 'rm -rf "$out/.lock.d"' EXIT
  fi
}

unlock() {
  if command -v flock >/dev/null 2>&1; then exec 9>&-; else rm -rf "$out/.lock.d"; trap - EXIT; fi
}

current=$(fingerprint)
if [ ! -f "$out/Build.dll" ] || [ "$(cat "$out/.fingerprint" 2>/dev/null)" != "$current" ]; then
  mkdir -p "$out"
  # Several builds may start at once (parallel CI jobs, tests); one compiles, the others wait for it.
  lock
  if [ ! -f "$out/Build.dll" ] || [ "$(cat "$out/.fingerprint" 2>/dev/null)" != "$current" ]; then
    echo "build.sh: compiling the build project (once, until its sources change)..." >&2
    if [ -f "$root/tools/dotnet-tools.json" ]; then
      dotnet tool restore --tool-manifest "$root/tools/dotnet-tools.json" >/dev/null
    fi
    rm -f "$out/.fingerprint"
    # ReadyToRun (precompiled) output starts about a third faster than JIT-only; it needs a runtime
    # identifier and the crossgen package, so fall back to a plain build where either is missing.
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) rid=linux-x64 ;;
      Linux-aarch64|Linux-arm64) rid=linux-arm64 ;;
      Darwin-x86_64) rid=osx-x64 ;;
      Darwin-arm64) rid=osx-arm64 ;;
      *) rid="" ;;
    esac
    [ -f /etc/alpine-release ] && rid="${rid/linux-/linux-musl-}"
    if [ -n "$rid" ] && dotnet publish "$root/build/Build.csproj" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
         -o "$out" --nologo -v quiet -clp:ErrorsOnly >"$out/build.log" 2>&1; then
      :
    elif ! dotnet build "$root/build/Build.csproj" -c Release -o "$out" --nologo -v quiet -clp:ErrorsOnly >"$out/build.log" 2>&1; then
      cat "$out/build.log" >&2
      echo "build.sh: compiling the build project failed (log: $out/build.log)" >&2
      exit 1
    fi
    echo "$current" >"$out/.fingerprint"
  fi
  unlock
fi
exec dotnet "$out/Build.dll" "$@"
