/* Preflight warnings about a checked case (never errors). */
#ifndef AP_PREFLIGHT_H
#define AP_PREFLIGHT_H

#include "case/case.h"
#include "rules/rules.h"
#include "util/diag.h"

/* Warns about unreferenced exhibits, criteria supported only by the denial
 * notice, a missing denial notice, an expedited request without a reason,
 * and a filing deadline that has passed or is within 7 days of today. */
void ap_preflight(const ap_case *c, const ap_deadlines *d, ap_date today, ap_diags *diags);

#endif
