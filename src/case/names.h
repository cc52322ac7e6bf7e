/* Name tables for the Case's enumerations (internal to the reader). */
#ifndef AP_CASE_NAMES_H
#define AP_CASE_NAMES_H

#include <stddef.h>

typedef struct { const char *const *names; int count; } ap_name_table;

extern const ap_name_table ap_plan_table, ap_kind_table, ap_stage_table, ap_level_table,
    ap_outcome_table, ap_status_table;

/* Returns the index of s in the table, or -1. */
int ap_name_lookup(const ap_name_table *t, const char *s);
/* Writes "a, b or c" into buf; returns its length. */
size_t ap_name_list(const ap_name_table *t, char *buf, size_t size);

#endif
