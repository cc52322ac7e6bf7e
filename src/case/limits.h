/* Documented limits on a case (README "Limits"). */
#ifndef AP_CASE_LIMITS_H
#define AP_CASE_LIMITS_H

#define AP_CASE_ID_MAX 64        /* characters in the case id */
#define AP_MAX_CRITERIA 500      /* criteria in one case */
#define AP_MAX_EXHIBITS 200      /* exhibits in one case */
#define AP_MAX_SCAN_PAGES 1000   /* scanned pages in one case */
#define AP_MAX_TEXT_BYTES 10000000u /* bytes in one text node (10 MB) */

#endif
