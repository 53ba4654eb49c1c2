# fzcheck - checks 法治政府建设年度报告 against the elements the regulations
# require. Plain make; dependencies from Debian, found with pkg-config.
#
#   make            build build/fzcheck
#   make run        check the sample reports in reports/ against the sample
#                   roster reports/units.csv (writes out/results.json and
#                   out/scorecard.xlsx)
#   make test       unit tests, acceptance tests, sanitizers, workbook checks
#   make check-browser  open the HTML pages in headless Chromium (installs it)
#   make bench      time, memory and output sizes on 1k/10k/100k generated
#                   reports, against a Python script and ripgrep; then the
#                   p95 latency of fzcheck serve (make bench-serve: only that)
#   make install    install the binary, the default rule pack and the man page
#   make man        write man/fzcheck.1 from man/fzcheck.1.in

VERSION   := 0.3.1
PREFIX    ?= /usr/local
DATADIR   ?= $(PREFIX)/share/fzcheck
MANDIR    ?= $(PREFIX)/share/man
SEEDS     ?= ../shared/seeds

CC        ?= cc
PKGS      := yaml-0.1 libpcre2-8 xlsxwriter libzip libxml-2.0 jansson libmicrohttpd
# poppler-glib: headers only. read_pdf.c dlopens the library on the first
# PDF, so that its ~50-object chain (glib, cairo, NSS, X11 …) is not mapped
# on every start (15 ms of a 26 ms check of one .txt report).
PDF_PKGS  := poppler-glib
OPT       ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Wpedantic -Werror
DEFS      := -D_POSIX_C_SOURCE=200809L -DFZ_VERSION='"$(VERSION)"' -DFZ_DATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(PDF_PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -ldl -lpthread
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC   := $(filter-out checker/main.c,$(wildcard checker/*.c))
HDRS      := $(wildcard checker/*.h)
# rules.schema.yaml is built into the program as a byte array
LIB_OBJ   := $(LIB_SRC:checker/%.c=build/obj/%.o) build/obj/schema_data.o
SAN_OBJ   := $(LIB_SRC:checker/%.c=build/asan/obj/%.o) build/asan/obj/schema_data.o
TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=build/asan/tests/%)
ACC_SRC   := $(wildcard tests/acceptance/test_*.c)
ACC_BIN   := $(ACC_SRC:tests/acceptance/%.c=build/tests/%)

.PHONY: all deps deps-test deps-fuzz deps-bench run test bench bench-serve check-office check-browser check-formats fuzz install man clean

all: deps build/fzcheck

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

deps-fuzz:
	@sh scripts/deps.sh fuzz

deps-bench:
	@sh scripts/deps.sh bench

build/obj/%.o: checker/%.c $(HDRS) | build/obj
	@echo "CC $<"
	@$(CC) $(WARN) $(OPT) $(DEFS) $(PKG_CFLAGS) -c $< -o $@

build/asan/obj/%.o: checker/%.c $(HDRS) | build/asan/obj
	@echo "CC (asan) $<"
	@$(CC) $(WARN) -O1 -g $(SAN) $(DEFS) $(PKG_CFLAGS) -c $< -o $@

build/gen/schema_data.c: rules.schema.yaml | build/gen
	@echo "GEN $@"
	@{ echo '/* Generated from rules.schema.yaml by the Makefile. */'; \
	   echo '#include <stddef.h>'; \
	   echo 'const unsigned char fz_schema_yaml[] = {'; \
	   od -An -v -tx1 rules.schema.yaml | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00};'; \
	   echo 'const size_t fz_schema_yaml_len = sizeof fz_schema_yaml - 1;'; } > $@

build/obj/schema_data.o: build/gen/schema_data.c | build/obj
	@$(CC) $(WARN) -c $< -o $@

build/asan/obj/schema_data.o: build/gen/schema_data.c | build/asan/obj
	@$(CC) $(WARN) -c $< -o $@

build/fzcheck: build/obj/main.o $(LIB_OBJ)
	@echo "LD $@"
	@$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) -lm

build/asan/fzcheck: build/asan/obj/main.o $(SAN_OBJ)
	@echo "LD $@"
	@$(CC) $(SAN) -o $@ $^ $(PKG_LIBS) -lm

build/asan/tests/%: tests/unit/%.c tests/unit/helpers.h $(SAN_OBJ) | build/asan/tests
	@echo "CC (asan) $<"
	@$(CC) $(WARN) -O1 -g $(SAN) $(DEFS) $(PKG_CFLAGS) -Ichecker -o $@ $< $(SAN_OBJ) \
	    $(PKG_LIBS) $$(pkg-config --libs cmocka) -lm

build/tests/%: tests/acceptance/%.c tests/acceptance/yamltree.h | build/tests
	@echo "CC $<"
	@$(CC) $(WARN) -O1 -g $(DEFS) $(PKG_CFLAGS) -o $@ $< \
	    $(PKG_LIBS) $$(pkg-config --libs cmocka)

build/obj build/asan/obj build/asan/tests build/tests build/gen out:
	@mkdir -p $@

# The main job: check every sample report. Gaps in the samples are
# findings (exit 1), not a failure of the command; 2 (bad rules, an
# unwritable output) is.
# this year's sample reports beside last year's (reports/上一年度)
SAMPLE_REPORTS := $(wildcard reports/*.txt reports/*.md)
run: deps build/fzcheck | out
	@build/fzcheck check --rules rules --units reports/units.csv --previous reports/上一年度 \
	    --json out/results.json --xlsx out/scorecard.xlsx --html out/html --annotate out/批注 \
	    $(SAMPLE_REPORTS); \
	rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi
	@echo "结果已写入 out/results.json、out/scorecard.xlsx、out/html/index.html（网页）和 out/批注/（带批注的 Word 文件）"

# Not a test: time, reports/s, peak memory and output sizes on 1,000,
# 10,000 and 100,000 generated .txt reports (and 1,000 .docx and .pdf),
# check-only and full, --jobs 1 and --jobs N, side by side with a plain
# Python script (scripts/bench_python.py) and ripgrep over the same
# patterns, then the targets met or not; then --previous and --similar
# on those sizes up to 10,000 (BENCH_REUSE_SIZES; scripts/bench_reuse.py).
# About 1 GB under build/bench.
#   make bench BENCH_SIZES=1000            a quick run
#   make bench BENCH_SIZES=1000000         the 1,000,000-report target
BENCH_SIZES ?= 1000,10000,100000
bench: deps-bench build/fzcheck
	@BENCH_SIZES=$(BENCH_SIZES) /usr/bin/python3 scripts/bench.py build/fzcheck
	@/usr/bin/python3 scripts/bench_serve.py build/fzcheck

# Only the service's latency: p95 of POST /api/check over 50 sequential
# requests of one multi-page .docx (scripts/bench_serve.py).
bench-serve: deps build/fzcheck
	@/usr/bin/python3 scripts/bench_serve.py build/fzcheck

test: deps-test
	@$(MAKE) --no-print-directory build/fzcheck build/asan/fzcheck $(TEST_BIN) $(ACC_BIN)
	@FZCHECK=build/fzcheck FZCHECK_ASAN=build/asan/fzcheck SEEDS=$(SEEDS) \
	    sh tests/run.sh $(TEST_BIN) $(ACC_BIN) tests/xlsx/run tests/schema/run tests/formats/run \
	        tests/reliability/run tests/roster/run tests/cli/run tests/annotate/run tests/reuse/run \
	        tests/serve/run

# Opens the workbook for the real reports in LibreOffice Calc (headless):
# installs LibreOffice if missing, so it is kept out of make test.
check-office: deps build/fzcheck
	@sh scripts/check_office.sh $(SEEDS)

# Opens the HTML pages of the sample reports (and of the real ones in
# SEEDS, when there) in headless Chromium with selenium and checks what a
# person sees, the console, the network and print to PDF: installs
# Chromium if missing, so it is kept out of make test.
check-browser: deps build/fzcheck
	@sh scripts/check_browser.sh $(SEEDS)

# libFuzzer harnesses (clang) under ASan + UBSan, each run for FUZZ_TIME
# seconds from the seed corpora in fuzz/corpus; a crash leaves its input in
# build/fuzz/ (turn it into a regression test).
FUZZ_TIME ?= 60
FUZZERS   := text docx docx_xml ofd ofd_xml rules
FUZZ_CC   := clang
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
              $(DEFS) $(PKG_CFLAGS) -Ichecker
FUZZ_SRC  := $(LIB_SRC) build/gen/schema_data.c

build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/zipwrite.h $(FUZZ_SRC) $(HDRS) | build/fuzz deps-fuzz
	@echo "CC (fuzz) $<"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRC) $(PKG_LIBS) -lz -lm

build/fuzz:
	@mkdir -p $@

fuzz: $(FUZZERS:%=build/fuzz/fuzz_%)
	@for f in $(FUZZERS); do \
	    mkdir -p build/fuzz/corpus-$$f; \
	    echo "== fuzz_$$f for $(FUZZ_TIME) s"; \
	    (cd build/fuzz && ./fuzz_$$f -max_total_time=$(FUZZ_TIME) -max_len=262144 -timeout=10 \
	        -rss_limit_mb=2048 -artifact_prefix=./crash-$$f- corpus-$$f ../../fuzz/corpus/$$f \
	        2>&1 | tail -3) || exit 1; \
	done

# The real reports converted to .docx and .pdf with LibreOffice Writer
# (installed if missing) must give the verdicts of expected.yaml.
check-formats: deps-test build/fzcheck
	@command -v soffice >/dev/null && [ -e /usr/lib/libreoffice/program/libswlo.so ] || \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     --no-install-recommends libreoffice-writer-nogui >/dev/null)
	@/usr/bin/python3 scripts/check_seed_formats.py $(SEEDS)

install: build/fzcheck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/rules
	install -m 755 build/fzcheck $(DESTDIR)$(PREFIX)/bin/fzcheck
	install -m 644 rules/*.yaml $(DESTDIR)$(DATADIR)/rules/
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/fzcheck.1 $(DESTDIR)$(MANDIR)/man1/fzcheck.1

# The man page is kept in UTF-8 in man/fzcheck.1.in; man/fzcheck.1 (in git,
# so that install needs no Python) spells its Chinese as \[uXXXX], which
# groff reads without preconv. tests/cli checks that it is up to date.
man: man/fzcheck.1

man/fzcheck.1: man/fzcheck.1.in man/escape.py
	@echo "GEN $@"
	@/usr/bin/python3 man/escape.py man/fzcheck.1.in > $@.tmp && mv $@.tmp $@

clean:
	rm -rf build out
