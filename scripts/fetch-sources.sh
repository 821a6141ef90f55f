#!/usr/bin/env bash
# Fetch the production sources named in sources.yml into data/.
# Needs git and python3 (for huggingface_hub); run by .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
clone() { # url dir
  if [ -d "data/$2/.git" ]; then
    git -C "data/$2" fetch --depth 1 origin && git -C "data/$2" reset --hard FETCH_HEAD
  else
    git clone --depth 1 "$1" "data/$2"
  fi
}
clone https://github.com/DominikDoom/a1111-sd-webui-tagcomplete a1111-sd-webui-tagcomplete
clone https://github.com/boorutan/booru-japanese-tag booru-japanese-tag
python3 -m pip install --quiet 'huggingface_hub>=0.24'
python3 - <<'PY'
from huggingface_hub import snapshot_download
snapshot_download("deepghs/site_tags", repo_type="dataset", local_dir="data/site_tags",
                  allow_patterns=["*/tags.sqlite", "*/tags.parquet", "*/tag_aliases.parquet"])
snapshot_download("p1atdev/danbooru-ja-tag-pair-20241015", repo_type="dataset", local_dir="data/p1atdev-raw",
                  allow_patterns=["*.parquet"])
PY
mkdir -p data/p1atdev
find data/p1atdev-raw -name '*.parquet' -exec cp {} data/p1atdev/ \;
