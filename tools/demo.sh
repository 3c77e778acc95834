#!/usr/bin/env bash
# demo.sh -- installs, builds (release) and runs the pipeline end to end on generated data.
#   tools/demo.sh [PARCELS]     (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
parcels=${1:-100000}

tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target parcelscreen parcelscreen-gen >/dev/null
bin=build/release/cli/parcelscreen

rm -rf demo && mkdir -p demo
echo "== generating $parcels parcels with planted hits (seed 42) into demo/"
"$bin" generate --parcels "$parcels" --seed 42 --out-dir demo --demo-watchlist \
    --watchlist demo/demo_watchlist.csv
echo "== screening demo/manifest.ndjson"
"$bin" run --watchlist demo/demo_watchlist.csv --input demo/manifest.ndjson --db demo/verdicts.db \
    --reject-log demo/rejects.log
echo "== the officers' queue, top 5"
"$bin" queue list --db demo/verdicts.db --limit 5
echo "== verdicts exported to demo/verdicts.ndjson"
"$bin" export --db demo/verdicts.db > demo/verdicts.ndjson
wc -l demo/verdicts.ndjson
