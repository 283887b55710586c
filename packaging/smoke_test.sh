#!/usr/bin/env bash
# Smoke test of a built bundle, run with a bare environment so that nothing of the build
# machine's Python can stand in for what the bundle lacks:
#   --version, demo, check, the three återrapport formats and the underlag, a wrong
#   passphrase (exit 2), and the GUI started offscreen on a demo store and closed.
set -euo pipefail
bundle="${1:-dist/po-desk}"
program="$(cd "$bundle" && pwd)/po-desk"
expected_version=$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
bare() { env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"; }

version=$(bare "$program" --version)
[ "$version" = "po-desk $expected_version" ] || { echo "version: got '$version'" >&2; exit 1; }
echo "smoke: $version"

printf 'röktest-lösenfras-1\n' > pass.txt
bare "$program" demo --db demo.podesk --uppdrag 300 --years 3 --passphrase-file pass.txt \
  --recovery-key-out key.txt
bare "$program" check --db demo.podesk --passphrase-file pass.txt
year=$(( $(date +%Y) - 1 ))
for format in pdf json csv; do
  bare "$program" export aterrapport --db demo.podesk --passphrase-file pass.txt \
    --year "$year" --format "$format" --out "aterrapport.$format"
  [ -s "aterrapport.$format" ] || { echo "empty aterrapport.$format" >&2; exit 1; }
done
bare "$program" export underlag --db demo.podesk --passphrase-file pass.txt \
  --from "$year-01-01" --to "$year-12-31" --out underlag.pdf
head -c 5 underlag.pdf | grep -q '%PDF-' || { echo "underlag is not a PDF" >&2; exit 1; }

printf 'fel-lösenfras\n' > wrong.txt
set +e
bare "$program" check --db demo.podesk --passphrase-file wrong.txt 2>wrong.err
status=$?
set -e
[ "$status" = 2 ] || { echo "wrong passphrase: exit $status, expected 2" >&2; exit 1; }
echo "smoke: wrong passphrase refused ($(cat wrong.err))"

# The PostgreSQL driver is in the bundle: a closed port is "cannot be reached" (exit 9),
# never "the driver is missing".
printf 'x\n' > server-pass.txt
set +e
bare "$program" server init --server "postgresql://it@127.0.0.1:1/podesk" \
  --password-file server-pass.txt 2>server.err
status=$?
set -e
grep -q 'kan inte nås' server.err || { echo "server driver: $(cat server.err)" >&2; exit 1; }
[ "$status" = 9 ] || { echo "server: exit $status, expected 9" >&2; exit 1; }
echo "smoke: server driver loads ($(cat server.err))"

start=$(date +%s%N)
bare "$program" --demo --quit-after 3
echo "smoke: GUI started on a demo store and closed after $(( ($(date +%s%N) - start) / 1000000 )) ms"
echo "smoke: all passed"
