#!/usr/bin/env bash
# Builds the Linux one-folder bundle in dist/po-desk/ and prints its size.
# Needs the project installed (pip install ".[bundle]") in the Python that runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/po-desk.spec
size_mb=$(du -sm dist/po-desk | cut -f1)
echo "Bundle dist/po-desk: ${size_mb} MB unpacked"
# 250 MB until the PostgreSQL driver (psycopg-binary, about 11 MB) came in for the shared
# server; the limit still catches a library pulled in by mistake.
if [ "$size_mb" -ge 270 ]; then
  echo "Bundle is larger than the 270 MB target" >&2
  exit 1
fi
