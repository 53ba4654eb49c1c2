#!/bin/sh
# Opens the workbook for the real reports in LibreOffice Calc, headless,
# and converts it to PDF: a workbook Calc would want to repair fails to
# convert or prints an error. Then the annotated Word copies (--annotate)
# of the sample reports (reports/), of the real reports and of the real
# reports saved as .docx by LibreOffice, opened in Writer
# (scripts/check_office_annotate.py). Needs libreoffice-calc-nogui and
# libreoffice-writer-nogui (installed here when missing; they are large,
# so this is not part of make test).
#   scripts/check_office.sh [SEEDS]
set -eu
seeds=${1:-../shared/seeds}
if ! command -v soffice >/dev/null 2>&1 || [ ! -e /usr/lib/libreoffice/program/libswlo.so ] ||
   [ ! -e /usr/lib/libreoffice/program/libsclo.so ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui \
            libreoffice-writer-nogui >/dev/null
    else
        echo "需要 LibreOffice：sudo apt-get install libreoffice-calc-nogui libreoffice-writer-nogui" >&2
        exit 1
    fi
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
if [ -d "$seeds" ]; then
build/fzcheck check --xlsx "$out/seeds.xlsx" "$seeds" >/dev/null || [ $? -eq 1 ]
log=$(HOME="$out" timeout 300 soffice --headless --norestore --convert-to pdf --outdir "$out" \
      "$out/seeds.xlsx" 2>&1)
echo "$log"
if [ ! -s "$out/seeds.pdf" ] || echo "$log" | grep -qi "error\|repair"; then
    echo "LibreOffice 无法正常打开评分表" >&2
    exit 1
fi
echo "LibreOffice 打开并转换成功：seeds.xlsx → seeds.pdf（$(wc -c < "$out/seeds.pdf") 字节）"
else
    echo "（没有 $seeds：跳过真实报告的评分表）"
fi

# the annotated copies
python3=/usr/bin/python3
$python3 scripts/check_office_annotate.py build/fzcheck "$out" reports reports/*.txt reports/*.md || status=1
if [ -d "$seeds" ]; then
    $python3 scripts/check_office_annotate.py build/fzcheck "$out" seeds "$seeds"/*.txt || status=1
    # the same reports as Word files, so that their own packages are annotated
    mkdir -p "$out/seeds-docx"
    HOME="$out" timeout 600 soffice --headless --norestore --infilter="Text (encoded):UTF8,LF,,," \
        --convert-to docx --outdir "$out/seeds-docx" "$seeds"/*.txt >/dev/null 2>&1
    $python3 scripts/check_office_annotate.py build/fzcheck "$out" seeds-docx "$out/seeds-docx"/*.docx || status=1
    mkdir -p "$out/seeds-as-pdf"
    HOME="$out" timeout 600 soffice --headless --norestore --infilter="Text (encoded):UTF8,LF,,," \
        --convert-to pdf --outdir "$out/seeds-as-pdf" "$seeds"/*.txt >/dev/null 2>&1
    $python3 scripts/check_office_annotate.py build/fzcheck "$out" seeds-as-pdf "$out/seeds-as-pdf"/*.pdf || status=1
fi
# every input format: Word, PDF, OFD, GB18030 and UTF-16 text
$python3 scripts/check_office_annotate.py build/fzcheck "$out" formats tests/fixtures/formats/*.docx \
    tests/fixtures/formats/*.pdf tests/fixtures/formats/*.ofd tests/fixtures/formats/*.txt || status=1
exit $status
