/*
 * cli.h - what the commands of the fzcheck command line share.
 *
 * Each command is its own module over the checker library (cmd_check.c,
 * cmd_merge.c, cmd_inspect.c, cmd_rules.c, cmd_serve.c); main.c only dispatches. This
 * module holds the options they take, their parsing with Chinese usage
 * errors, and loading what a run needs: the rule pack (its warnings
 * shown) and the roster, each failure told once with exit status 2.
 */
#ifndef FZ_CLI_H
#define FZ_CLI_H

#include <stddef.h>

#include "batch.h"
#include "rules.h"
#include "roster.h"
#include "run.h"

/* The options of check, merge, outline and text. */
typedef struct {
    const char *rules;
    const char *units;
    const char *json;
    const char *jsonl;
    const char *xlsx;
    const char *html, *annotate;  /* folders */
    const char *name;  /* what a report read from stdin is called */
    char **paths;      /* the operands (free the array, not the strings) */
    size_t npaths;
    char **previous;   /* --previous: last year's reports (free the array) */
    size_t nprevious;
    fz_batch_opts batch;
    int normalized, verbose, quiet;
    int similar;       /* --similar: pairs of reports of the batch sharing unusual text */
} fz_cli_opts;

/* Parses argv[start..argc) into *o. Returns 0, 2 after a usage error has
 * been told on stderr, or -1 when memory runs out. */
int fz_cli_parse(int argc, char **argv, int start, fz_cli_opts *o);

/* Tells a usage error (fmt with one %s, given arg shown safely) and the
 * pointer to --help on stderr. Returns 2. */
int fz_cli_usage(const char *fmt, const char *arg);

/* Prints a message on stderr with control characters escaped (it may
 * hold a file name or a line of a rule file). */
void fz_cli_say(const char *msg);

/* Ends a run its reports were fed to: fed < 0 (feeding stopped with err)
 * abandons its outputs, says err and gives 2; else the outputs are
 * finished and the run's exit status given. */
int fz_cli_end_run(fz_run *run, int fed, const char *err);

/* Refuses outputs that would overwrite an input or each other, and a
 * workbook not named .xlsx. Returns 0, or 2 having said why. */
int fz_cli_check_outputs(const fz_cli_opts *o, const fz_inputs *in);

/* Loads --rules (else the default pack). Returns 0, or 2 having shown
 * every error as FILE:LINE:COLUMN: message. */
int fz_cli_load_pack(const fz_cli_opts *o, fz_pack *pack);

/* The pack's warnings (overlay notes and the like) on f. */
void fz_cli_print_warnings(FILE *f, const fz_pack *pack);

/* The pack (its warnings on stderr) and the roster a run uses. Returns
 * 0, or the exit status having said why. */
int fz_cli_load_pack_and_roster(const fz_cli_opts *o, fz_pack *pack, fz_roster *roster);

/* The outputs a run writes, from the options. */
fz_run_opts fz_cli_run_opts(const fz_cli_opts *o);

/* The commands: each returns the exit status. */
int fz_cmd_check(const fz_cli_opts *o);
int fz_cmd_merge(const fz_cli_opts *o);
int fz_cmd_outline(const fz_cli_opts *o);
int fz_cmd_text(const fz_cli_opts *o);
int fz_cmd_rules(int argc, char **argv);
/* `fzcheck serve` (serve.h): argv[2..] are its options. */
int fz_cmd_serve(int argc, char **argv);

#endif
