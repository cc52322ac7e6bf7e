/* The `batch` and `watch` commands: many cases, parallel workers, a JSON
 * lines report (docs/batch.md, docs/batch-report.schema.json). */
#ifndef AP_BATCH_H
#define AP_BATCH_H

/* Runs `appeal-packet batch`; argv[0] is "batch". Returns the exit code. */
int ap_batch_main(int argc, char **argv);
/* Runs `appeal-packet watch`; argv[0] is "watch". Returns the exit code. */
int ap_watch_main(int argc, char **argv);

#endif
