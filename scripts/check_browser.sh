#!/bin/sh
# Opens the HTML pages (--html) of the sample reports in reports/ and, when
# the folder exists, of the real reports in SEEDS, in headless Chromium
# driven by selenium (scripts/check_browser.py). Needs chromium,
# chromium-driver and python3-selenium: installed here when missing (as
# root), which is why this is not part of make test.
#   scripts/check_browser.sh [SEEDS]
set -eu
seeds=${1:-../shared/seeds}
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] ||
   ! /usr/bin/python3 -c "import selenium, openpyxl" 2>/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "正在安装 chromium、chromium-driver 和 python3-selenium……" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends chromium chromium-driver python3-selenium python3-openpyxl >/dev/null
    else
        echo "需要 Chromium 和 selenium：sudo apt-get update && sudo apt-get install -y chromium chromium-driver python3-selenium" >&2
        exit 1
    fi
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
set -- reports=reports formats=tests/fixtures/formats
if [ -d "$seeds" ]; then
    set -- "$@" "seeds=$seeds"
else
    echo "没有找到真实报告（$seeds），跳过这一部分；只检查 reports/ 中的示例报告"
fi
/usr/bin/python3 scripts/check_browser.py build/fzcheck "$out" "$@"
