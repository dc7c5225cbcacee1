#!/usr/bin/env bash
# Benchmark: `briefs build --force` for the whole matrix against the typst CLI compiling the same
# sources (written by --emit-typst), one process per document, with the same parallelism.
# Usage: bench/run.sh [JOBS]   (default: all cores). Prints a Markdown table for BENCHMARKS.md.
# Each side runs RUNS times (default 3), alternating, and its fastest run counts; peak memory is the largest.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-$(nproc)}
RUNS=${RUNS:-3}
TOOLS=bench/.tools
TYPST_VERSION=$(grep -A1 '^name = "typst"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "building briefs (release)..." >&2
cargo build --release --locked -q
if [ ! -x "$TOOLS/bin/typst" ] || ! "$TOOLS/bin/typst" --version | grep -q "$TYPST_VERSION"; then
  echo "installing typst-cli $TYPST_VERSION into $TOOLS (once; takes a while)..." >&2
  cargo install typst-cli --version "$TYPST_VERSION" --locked --root "$TOOLS" -q
fi

# Sources for the typst CLI, and a warm-up run so both sides start with files in the page cache.
./target/release/briefs build --force --out "$WORK/warm" --emit-typst "$WORK/typ" >/dev/null 2>"$WORK/warm.log" \
  || { cat "$WORK/warm.log" >&2; exit 1; }
DOCS=$(find "$WORK/typ" -name '*.typ' ! -name house.typ | wc -l)

measure() { # label, command...: prints "seconds peak_kib"
  local log="$WORK/time.log"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$WORK/err.log" || { cat "$WORK/err.log" >&2; exit 1; }
  cat "$log"
}

cat > "$WORK/one.sh" <<SH
#!/usr/bin/env bash
f="\$1"; out="$WORK/cli/\${f#$WORK/typ/}"; mkdir -p "\$(dirname "\$out")"
exec "$PWD/$TOOLS/bin/typst" compile --root "$WORK/typ" --font-path "$PWD/fonts" --ignore-system-fonts "\$f" "\${out%.typ}.pdf"
SH
chmod +x "$WORK/one.sh"
cat > "$WORK/cli.sh" <<SH
#!/usr/bin/env bash
find "$WORK/typ" -name '*.typ' ! -name house.typ -print0 | xargs -0 -n1 -P "$JOBS" "$WORK/one.sh"
SH
chmod +x "$WORK/cli.sh"
B_SEC=999; B_KIB=0; T_SEC=999; T_KIB=0
for _ in $(seq "$RUNS"); do # alternating, so a busy moment on the machine hits both sides alike
  read -r sec kib < <(measure ./target/release/briefs build --force --jobs "$JOBS" --out "$WORK/out")
  B_SEC=$(python3 -c "print(min($B_SEC, $sec))"); B_KIB=$(( kib > B_KIB ? kib : B_KIB ))
  read -r sec kib < <(measure "$WORK/cli.sh")
  T_SEC=$(python3 -c "print(min($T_SEC, $sec))"); T_KIB=$(( kib > T_KIB ? kib : T_KIB ))
done
PHASES=$(./target/release/briefs build --force --jobs "$JOBS" --timings --out "$WORK/out3" 2>&1 | grep '^timings' || true)

python3 - "$B_SEC" "$B_KIB" "$T_SEC" "$T_KIB" "$DOCS" "$JOBS" "$TYPST_VERSION" "$PHASES" "$RUNS" <<'PY'
import sys, platform, datetime, os
b, bk, t, tk, docs, jobs, ver, phases, runs = sys.argv[1:]
b, t, docs = float(b), float(t), int(docs)
cpu = next((l.split(':',1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
print(f"date: {datetime.date.today()}  machine: {cpu}, {os.cpu_count()} cores  jobs: {jobs}  typst {ver}  documents: {docs}  fastest of {runs} runs each")
print()
print("| | wall time | per document | peak memory |")
print("|---|---:|---:|---:|")
print(f"| briefs build --force (one process) | {b:.2f} s | {1000*b/docs:.1f} ms | {int(bk)/1024:.0f} MiB |")
print(f"| typst CLI, one process per document (xargs -P {jobs}) | {t:.2f} s | {1000*t/docs:.1f} ms | {int(tk)/1024:.0f} MiB (largest process) |")
print()
print(f"ratio briefs / typst CLI: {b/t:.2f}")
if phases: print(phases)
PY
