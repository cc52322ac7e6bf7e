/* The XML spelling of each Case enum value, and lookups back. */
#include <string.h>

#include "case/case.h"
#include "case/names.h"

static const char *const plan_names[AP_PLAN_COUNT] = {
    "aca-individual", "aca-group-insured", "erisa-insured", "erisa-self-funded",
    "medicare-advantage", "medicare-part-d", "medicaid-mco", "fehb", "state-regulated", "other"};
static const char *const kind_names[AP_DENIAL_COUNT] = {
    "medical-necessity", "step-therapy", "experimental-investigational", "out-of-network",
    "not-a-covered-benefit", "prior-authorization-required", "coding-or-billing", "other"};
static const char *const stage_names[AP_STAGE_COUNT] = {"pre-service", "post-service", "urgent"};
static const char *const level_names[AP_LEVEL_COUNT] = {"first-internal", "second-internal", "external"};
static const char *const outcome_names[AP_OUTCOME_COUNT] = {"failed", "intolerant", "contraindicated", "ongoing"};
static const char *const status_names[AP_STATUS_COUNT] = {"met", "contraindicated", "not-applicable"};

const ap_name_table ap_plan_table = {plan_names, AP_PLAN_COUNT};
const ap_name_table ap_kind_table = {kind_names, AP_DENIAL_COUNT};
const ap_name_table ap_stage_table = {stage_names, AP_STAGE_COUNT};
const ap_name_table ap_level_table = {level_names, AP_LEVEL_COUNT};
const ap_name_table ap_outcome_table = {outcome_names, AP_OUTCOME_COUNT};
const ap_name_table ap_status_table = {status_names, AP_STATUS_COUNT};

int ap_name_lookup(const ap_name_table *t, const char *s)
{
    for (int i = 0; s && i < t->count; i++)
        if (strcmp(t->names[i], s) == 0)
            return i;
    return -1;
}

size_t ap_name_list(const ap_name_table *t, char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (int i = 0; i < t->count; i++) {
        const char *sep = i == 0 ? "" : i == t->count - 1 ? " or " : ", ";
        size_t need = strlen(sep) + strlen(t->names[i]);
        if (used + need + 1 > size)
            break;
        strcat(buf + used, sep);
        strcat(buf + used, t->names[i]);
        used += need;
    }
    return used;
}

static const char *name_or_unknown(const ap_name_table *t, int v)
{
    return v >= 0 && v < t->count ? t->names[v] : "unknown";
}

const char *ap_plan_type_name(ap_plan_type t) { return name_or_unknown(&ap_plan_table, (int)t); }
const char *ap_denial_kind_name(ap_denial_kind k) { return name_or_unknown(&ap_kind_table, (int)k); }
const char *ap_stage_name(ap_stage s) { return name_or_unknown(&ap_stage_table, (int)s); }
const char *ap_level_name(ap_level l) { return name_or_unknown(&ap_level_table, (int)l); }
const char *ap_outcome_name(ap_outcome o) { return name_or_unknown(&ap_outcome_table, (int)o); }
const char *ap_status_name(ap_criterion_status s) { return name_or_unknown(&ap_status_table, (int)s); }
