/* Semantic rules of a case that a schema cannot express. */
#ifndef AP_CASE_CHECK_H
#define AP_CASE_CHECK_H

#include "case/case.h"

/* Checks ids, references, date order, step-therapy history, evidence, and
 * every scan's path and header; resolves references and scan paths in c. */
void ap_case_check(ap_case *c, const ap_load_options *opt, ap_diags *diags);

#endif
