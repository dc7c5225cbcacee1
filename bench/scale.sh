#!/usr/bin/env bash
# Scale benchmark: `briefs build --force` on a temporary copy of the project whose audiences are multiplied
# (the `general` audience copied under new ids, general-0001.., in data/audiences.yaml and in every locale's
# audiences.yaml) until the matrix has at least N documents. Reports documents, pages, wall time, time per
# document, CPU time (user + system, less sensitive than wall time to other load on the machine) and peak resident
# memory (/usr/bin/time's maximum RSS).
#
# Usage: bench/scale.sh N [JOBS]      (JOBS default 2)
# Env:   BRIEFS=path/to/briefs  measure that binary instead of building this tree's release binary
#        RUNS=k                 runs per size (default 1): the fastest wall and CPU times and the largest peak count
#        VARY=1                 give each copy its own cover line (personalised text, less layout to share)
#        KEEP=DIR               keep the project copy and its out folder in DIR (default: a temp folder, removed)
# Prints one Markdown table row: | documents | pages | wall time | time per document | CPU time | peak memory |
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?usage: bench/scale.sh N [JOBS]}
JOBS=${2:-2}
RUNS=${RUNS:-1}
if [ -z "${BRIEFS:-}" ]; then
  echo "building briefs (release)..." >&2
  nice cargo build --release --locked -q
  BRIEFS=$PWD/target/release/briefs
fi
if [ -n "${KEEP:-}" ]; then WORK=$KEEP; mkdir -p "$WORK"; else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
PROJ=$WORK/project
rm -rf "$PROJ" "$WORK/out"
mkdir -p "$PROJ"
cp -r data locales templates fonts "$PROJ/"

# Documents in the shipped matrix and in one copy of `general`.
count() { "$BRIEFS" --root "$PROJ" list | sed -n 's/^\([0-9]*\) PDFs.*/\1/p'; }
BASE=$(count)
PER=$("$BRIEFS" --root "$PROJ" list | awk '$1 == "general" { print $3 * split($2, l, ",") }')
COPIES=$(( N > BASE ? (N - BASE + PER - 1) / PER : 0 ))

python3 - "$PROJ" "$COPIES" "${VARY:-0}" <<'PY'
import sys, re, pathlib
proj, copies, vary = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"

def block(text, start, is_end):
    """The lines from the one matching `start` up to (not including) the next line for which is_end is true."""
    lines = text.splitlines(keepends=True)
    i = next(n for n, l in enumerate(lines) if re.match(start, l))
    j = next((n for n in range(i + 1, len(lines)) if is_end(lines[n])), len(lines))
    return "".join(lines[i:j]).rstrip("\n") + "\n"

data = proj / "data/audiences.yaml"
text = data.read_text()
general = block(text, r"- id: general\s*$", lambda l: l.startswith("- ") or (l.startswith("#")))
extra = "".join(general.replace("- id: general", f"- id: general-{k:04}", 1) for k in range(1, copies + 1))
data.write_text(text.rstrip("\n") + "\n\n" + extra)

for loc in sorted(proj.glob("locales/*/audiences.yaml")):
    text = loc.read_text()
    general = block(text, r"general:\s*$", lambda l: re.match(r"[^\s#]", l) is not None)
    out = []
    for k in range(1, copies + 1):
        copy = general.replace("general:", f"general-{k:04}:", 1)
        if vary:
            copy = re.sub(r"(cover_line: )(.*)", lambda m: f"{m.group(1)}{m.group(2)} ({k})", copy, count=1)
        out.append(copy)
    loc.write_text(text.rstrip("\n") + "\n" + "".join(out))
PY
DOCS=$(count)
echo "$DOCS documents ($BASE shipped + $COPIES copies of general x $PER), jobs $JOBS, $BRIEFS" >&2

BEST=999999; CPU=999999; PEAK=0
for _ in $(seq "$RUNS"); do
  rm -rf "$WORK/out"
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.log" \
    nice "$BRIEFS" --root "$PROJ" -q build --force --jobs "$JOBS" --out "$WORK/out" >/dev/null 2>"$WORK/err.log" \
    || { cat "$WORK/err.log" >&2; exit 1; }
  read -r sec kib usr sys < "$WORK/time.log"
  BEST=$(python3 -c "print(min($BEST, $sec))"); CPU=$(python3 -c "print(min($CPU, $usr + $sys))")
  PEAK=$(( kib > PEAK ? kib : PEAK ))
done
PAGES=$(python3 -c "import json,sys; print(sum(d['pages'] for d in json.load(open(sys.argv[1]))['documents']))" "$WORK/out/manifest.json")
WRITTEN=$(find "$WORK/out" -name '*.pdf' | wc -l)
[ "$WRITTEN" -eq "$DOCS" ] || { echo "expected $DOCS PDFs, found $WRITTEN" >&2; exit 1; }
python3 - "$DOCS" "$PAGES" "$BEST" "$CPU" "$PEAK" <<'PY'
import sys
docs, pages, sec, cpu, kib = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"| {docs:,} | {pages:,} | {sec:.1f} s | {1000 * sec / docs:.1f} ms | {cpu:.1f} s | {kib / 1024:.0f} MiB |")
PY
