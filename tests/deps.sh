#!/bin/sh
# Check the Debian packages baogao needs (with the argument fuzz, also
# those of make fuzz); install the missing ones when run
# as root, otherwise print the exact apt-get line and fail.
# Libraries are checked through pkg-config (libcsv by its header), tools
# through the PATH.
missing=""
need_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

need_cmd pkg-config pkg-config
need_cmd cmake cmake
need_cmd cc gcc
need_cmd make make
need_pc icu-uc libicu-dev
need_pc libpcre2-8 libpcre2-dev
need_pc sqlite3 libsqlite3-dev
need_pc libcjson libcjson-dev
need_pc libxml-2.0 libxml2-dev  # HTML and docx ingest
need_pc libzip libzip-dev       # docx ingest
need_pc libmicrohttpd libmicrohttpd-dev  # baogao serve (HTTP)
need_pc xlsxwriter libxlsxwriter-dev     # xlsx output (--format xlsx, downloads)
# the system's CJK font, so the workspace and the report never draw boxes
[ -d /usr/share/fonts/opentype/noto ] && fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
/usr/bin/python3 -c "import openpyxl" 2>/dev/null || missing="$missing python3-openpyxl"  # reads xlsx back in tests
# CSV ingest: libcsv ships no pkg-config file
[ -f /usr/include/csv.h ] || missing="$missing libcsv-dev"
need_cmd sqlite3 sqlite3      # the README's SQL is tested in the plain shell
# liblinear (the extraction model) has no pkg-config file: its header
[ -f /usr/include/linear.h ] || missing="$missing liblinear-dev"
need_cmd python3 python3      # the extraction scorer and offset checks
need_cmd groff groff-base     # renders the manual page in tests/install_test.sh
# make fuzz (tests/deps.sh fuzz): clang and libFuzzer
if [ "${1:-}" = fuzz ]; then
    need_cmd clang-14 clang-14
    ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
        >/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
fi
# jieba's dict.txt is the main dictionary's source (MIT data)
[ -f /usr/lib/python3/dist-packages/jieba/dict.txt ] || missing="$missing python3-jieba"

[ -z "$missing" ] && exit 0
line="apt-get install -y$missing"
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing:$missing"
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $line || exit 1
else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root:  sudo $line" >&2
    exit 1
fi
