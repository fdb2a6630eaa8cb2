#!/usr/bin/env bash
# Fuzzes the Markdown pipeline with cargo-fuzz (libFuzzer) for a short
# while, seeded from the shared XSS corpora, then the return-path check
# (`next=`) against the WHATWG URL parser. Longer by hand:
#   FUZZ_SECONDS=3600 bash .ci/fuzz.sh
# The machine has only a stable toolchain: RUSTC_BOOTSTRAP lets it accept
# the unstable flags cargo-fuzz passes; no sanitizer (-s none) keeps it to
# what a stable toolchain ships.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
# A short run spends most of its time compiling: unoptimised code builds in
# about a third of the time (114 s against 310 s on CI's two cores) and runs
# slower, which a minute does not mind. A long run wants optimised code.
if [ "$SECONDS_TO_RUN" -le 300 ]; then profile=--dev; else profile=--release; fi
seeds=target/fuzz-seeds/markdown
mkdir -p "$seeds" fuzz/corpus/markdown
python3 - "$seeds" <<'PY'
import json, sys, hashlib, pathlib
out = pathlib.Path(sys.argv[1])
for name in ("vectors.jsonl", "more-vectors.jsonl"):
    for line in open(f"../shared/data/xss/{name}", encoding="utf-8"):
        payload = json.loads(line)["payload"].encode()
        (out / hashlib.sha1(payload).hexdigest()).write_bytes(payload)
PY
echo "seeds: $(ls "$seeds" | wc -l)"
cd fuzz
RUSTC_BOOTSTRAP=1 cargo fuzz run -s none "$profile" markdown corpus/markdown "../$seeds" -- \
  -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 2>&1 | tee ../target/fuzz-markdown.log | tail -25

# Return paths: seeded with the open-redirect shapes browsers resolve
# off-site; a third of the Markdown run's time.
seeds=target/fuzz-seeds/return_path
mkdir -p "../$seeds" corpus/return_path
for s in '/t/1' '//evil.example' '/\\evil.example' "/$(printf '\t')/evil.example" \
         "/$(printf '\r\n')/evil.example" '/.//evil.example' 'https:evil.example' \
         'javascript:alert(1)' '/%2F/evil.example' '/x/..//evil.example'; do
  printf '%s' "$s" > "../$seeds/$(printf '%s' "$s" | sha1sum | cut -c1-40)"
done
RUSTC_BOOTSTRAP=1 cargo fuzz run -s none "$profile" return_path corpus/return_path "../$seeds" -- \
  -max_total_time="$(( (SECONDS_TO_RUN + 2) / 3 ))" -max_len=512 -print_final_stats=1 2>&1 | tee ../target/fuzz-return-path.log | tail -15
