/*
 * score.c - see score.h.
 */
#include "score.h"

#include <math.h>

double fz_round1(double x) {
    return round(x * 10.0) / 10.0;
}

void fz_score_report(const fz_pack *pack, fz_report *r) {
    double earned = 0, possible = 0;
    int required_failed = 0;
    r->required_gaps = 0;
    for (size_t i = 0; i < r->nresults; i++) {
        fz_result *res = &r->results[i];
        const fz_rule *rule = res->rule;
        if (res->status == FZ_NA) {
            res->score = 0;
            continue;
        }
        res->score = fz_round1(rule->points * res->ratio);
        earned += rule->points * res->ratio;
        possible += rule->points;
        if (rule->severity == FZ_SEV_REQUIRED && res->status != FZ_PASS) {
            r->required_gaps++;
            if (res->status == FZ_FAIL) required_failed = 1;
        }
    }
    r->points = possible;
    r->score = possible > 0 ? fz_round1(100.0 * earned / possible) : 0.0;
    r->grade = required_failed ? pack->fail_grade : fz_pack_grade(pack, r->score);
}
