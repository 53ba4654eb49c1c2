"""The tiny runner the Python checks share: every function named case_*
in a module is a test case; prints one line per case and a closing
"NAME: N passed, M failed" line that tests/run.sh counts."""
import traceback


def run_cases(name, namespace, cleanup=None):
    passed = failed = 0
    for case, fn in sorted((k, v) for k, v in namespace.items() if k.startswith("case_")):
        try:
            fn()
            print("[       OK ] %s %s" % (name, case[5:]))
            passed += 1
        except Exception:
            print("[  FAILED  ] %s %s" % (name, case[5:]))
            traceback.print_exc()
            failed += 1
    if cleanup:
        cleanup()
    print("%s: %d passed, %d failed" % (name, passed, failed))
    return 1 if failed else 0
