#!/bin/sh
# Runs every test binary given, then the acceptance checks, and prints one
# closing line "tests: N passed, M failed" (the count of test cases).
#
# Environment: FZCHECK (the binary under test), FZCHECK_ASAN (the same
# built with AddressSanitizer + UBSan), SEEDS (the real reports with
# expected.yaml).
set -u
passed=0
failed=0
skipped=0
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=23"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() {
    # cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)...";
    # the Python checks print "NAME: N passed, M failed"
    p=$( (sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log";
          sed -n 's/^[a-z]*: \([0-9]*\) passed, [0-9]* failed$/\1/p' "$log") | awk '{s+=$1} END {print s+0}')
    f=$( (sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log";
          sed -n 's/^[a-z]*: [0-9]* passed, \([0-9]*\) failed$/\1/p' "$log") | awk '{s+=$1} END {print s+0}')
    k=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + k))
}

for t in "$@"; do
    echo "== $t"
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    count
    if [ $rc -ne 0 ] && ! grep -q '^\[  FAILED  \]' "$log" && ! grep -q '^[a-z]*: .* [1-9][0-9]* failed$' "$log"; then
        echo "!! $t exited with status $rc (crash or sanitizer report)"
        failed=$((failed + 1))
    fi
done

if [ "$skipped" -gt 0 ]; then
    echo "tests: $passed passed, $failed failed, $skipped skipped (see SKIPPED above for why)"
else
    echo "tests: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
