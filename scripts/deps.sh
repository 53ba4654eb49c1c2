#!/bin/sh
# Installs the Debian packages fzcheck needs, when they are missing.
# Usage: scripts/deps.sh [build|test|fuzz|bench]
#   build: compiler, pkg-config, libyaml, pcre2, libxlsxwriter, libzip,
#          libxml2, jansson (shards), poppler (.docx, .ofd and .pdf reports),
#          libmicrohttpd (fzcheck serve)
#   test:  the above plus cmocka; python3-openpyxl and python3-jsonschema
#          (independent readers of the workbook and the schema) and the
#          official JSON-Schema-Test-Suite, for tests only
#   fuzz:  build, plus clang and its libFuzzer runtime
#   bench: build, plus what make bench compares fzcheck with and measures by:
#          python3-yaml and python3-openpyxl (the Python baseline), ripgrep,
#          hyperfine, time (GNU time: peak memory), poppler-utils (pdftotext)
#          and unzip (the baselines' readers of the .pdf and .docx batches)
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu

want="gcc make pkg-config libyaml-dev libpcre2-dev libxlsxwriter-dev libzip-dev libxml2-dev libjansson-dev libpoppler-glib-dev libmicrohttpd-dev"
if [ "${1:-build}" = "test" ]; then
    want="$want libcmocka-dev python3 python3-openpyxl python3-yaml python3-jsonschema json-schema-test-suite"
fi
if [ "${1:-build}" = "bench" ]; then
    want="$want python3 python3-yaml python3-openpyxl ripgrep hyperfine poppler-utils unzip time"
fi
if [ "${1:-build}" = "fuzz" ]; then
    want="$want libcmocka-dev clang libclang-rt-14-dev"
fi

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "正在安装缺少的依赖:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "缺少依赖:$missing" >&2
    echo "请运行: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
