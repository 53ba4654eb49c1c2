/*
 * cmd_merge.c - `fzcheck merge`: the shards of a batch split across
 * machines, read back in order into the same outputs as one run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "shard.h"
#include "util.h"

/* ---- merge ------------------------------------------------------------------ */

/* Last year's reports as the shards' runs left them: one paired in any
 * shard is paired. The entries taken from the shards are kept here. */
typedef struct {
    fz_prev_tally tally;
    fz_prev_entry **taken;
    size_t *ntaken, n;
    int any;
} merged_previous;

static int take_previous(merged_previous *mp, fz_shard *sh) {
    if (!sh->prev) return 0;
    fz_prev_entry **t = realloc(mp->taken, (mp->n + 1) * sizeof *t);
    size_t *nt = t ? realloc(mp->ntaken, (mp->n + 1) * sizeof *nt) : NULL;
    if (t) mp->taken = t;
    if (!nt) return -1;
    mp->ntaken = nt;
    mp->taken[mp->n] = sh->prev;
    mp->ntaken[mp->n++] = sh->nprev;
    mp->any = 1;
    for (size_t i = 0; i < sh->nprev; i++)
        if (fz_prev_tally_add(&mp->tally, &sh->prev[i]) < 0) {
            sh->prev = NULL;
            return -1;
        }
    sh->prev = NULL;
    return 0;
}

static void merged_previous_free(merged_previous *mp) {
    for (size_t i = 0; i < mp->n; i++) fz_shard_prev_free(mp->taken[i], mp->ntaken[i]);
    free(mp->taken);
    free(mp->ntaken);
    fz_prev_tally_free(&mp->tally);
}

/* Every report of every shard, in order, to the outputs. Returns 0 or -1
 * with *err ("文件:行: 说明" for a bad shard). */
static int merge_shards(const fz_cli_opts *o, const fz_pack *pack, fz_run *run, merged_previous *mp,
                        char **err) {
    size_t i = 0;
    for (size_t k = 0; k < o->npaths; k++) {
        fz_shard sh;
        if (fz_shard_open(&sh, o->paths[k], pack, o->batch.roster, err) < 0) return -1;
        fz_report rep;
        int got;
        while ((got = fz_shard_next(&sh, pack, &rep, err)) > 0) {
            int rc = fz_run_report(run, i++, &rep, err);
            fz_report_free(&rep);
            if (rc < 0) {
                got = -1;
                break;
            }
        }
        if (got == 0 && take_previous(mp, &sh) < 0) got = fz_fail(err, FZ_ENOMEM);
        fz_shard_close(&sh);
        if (got < 0) return -1;
    }
    if (mp->any) fz_run_set_previous(run, &mp->tally);
    return 0;
}

int fz_cmd_merge(const fz_cli_opts *o) {
    if (o->jsonl || o->name || o->html || o->annotate)
        return fz_cli_usage("%smerge 不接受 --jsonl、--name、--html 或 --annotate"
                           "（HTML 页面和批注文件要在检查时生成）", "");
    fz_pack pack;
    fz_roster roster;
    int rc = fz_cli_load_pack_and_roster(o, &pack, &roster);
    if (rc) return rc;
    fz_cli_opts with = *o;
    with.batch.roster = o->units ? &roster : NULL;
    o = &with;
    fz_inputs in = {.paths = o->paths, .n = o->npaths};
    char *err = NULL;
    size_t total = 0, n;
    int previous = 0;
    merged_previous mp = {0};
    if ((rc = fz_cli_check_outputs(o, &in))) goto done;
    /* every shard's header first: a foreign shard or another pack stops
     * the merge before anything is written */
    for (size_t k = 0; k < o->npaths; k++) {
        fz_shard sh;
        if (fz_shard_open(&sh, o->paths[k], &pack, o->batch.roster, &err) < 0) goto fail;
        previous |= sh.previous;
        fz_shard_close(&sh);
        if (fz_shard_count(o->paths[k], &n, &err) < 0) goto fail;
        total += n;
    }
    fz_run_opts ro = fz_cli_run_opts(o);
    ro.previous = previous;
    fz_run *run = fz_run_open(&pack, &ro, total, &err);
    if (!run) goto fail;
    int fed = merge_shards(o, &pack, run, &mp, &err);
    rc = fz_cli_end_run(run, fed, err);
    goto done;
fail:
    fz_cli_say(err ? err : FZ_ENOMEM);
    rc = 2;
done:
    free(err);
    merged_previous_free(&mp);
    fz_roster_free(&roster);
    fz_pack_free(&pack);
    return rc;
}
