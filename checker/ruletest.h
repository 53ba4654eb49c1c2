/*
 * ruletest.h - running the test cases a rule pack carries (its `tests:`):
 * each a short report text and the verdict each named rule must give, so
 * that a rule author sees a rule fire where it should and stay quiet
 * where it should not. Used by `fzcheck rules test`.
 */
#ifndef FZ_RULETEST_H
#define FZ_RULETEST_H

#include <stdio.h>

#include "rules.h"

/* Runs every test of pack, writing one line per case (✓ or ✗ with the
 * rule, the verdict wanted and the one given) and a summary to out.
 * Sets *cases and *failed (assertions that did not hold). Returns 0, or
 * -1 when memory runs out. */
int fz_rules_test(const fz_pack *pack, FILE *out, size_t *cases, size_t *failed);

#endif
