#!/bin/sh
# Opens the workbook for the real reports in LibreOffice Calc, headless,
# and converts it to PDF: a workbook Calc would want to repair fails to
# convert or prints an error. Needs libreoffice-calc-nogui (installed here
# when missing; it is large, so this is not part of make test).
#   scripts/check_office.sh [SEEDS]
set -eu
seeds=${1:-../shared/seeds}
if ! command -v soffice >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
    else
        echo "需要 LibreOffice：sudo apt-get install libreoffice-calc-nogui" >&2
        exit 1
    fi
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build/fzcheck check --xlsx "$out/seeds.xlsx" "$seeds" >/dev/null || [ $? -eq 1 ]
log=$(HOME="$out" timeout 300 soffice --headless --norestore --convert-to pdf --outdir "$out" \
      "$out/seeds.xlsx" 2>&1)
echo "$log"
if [ ! -s "$out/seeds.pdf" ] || echo "$log" | grep -qi "error\|repair"; then
    echo "LibreOffice 无法正常打开评分表" >&2
    exit 1
fi
echo "LibreOffice 打开并转换成功：seeds.xlsx → seeds.pdf（$(wc -c < "$out/seeds.pdf") 字节）"
