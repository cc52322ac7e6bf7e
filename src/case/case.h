/* The Case: an appeal case file (shared contract: case-format.md) read into
 * memory. Every string is UTF-8 and owned by the case; every element keeps
 * the line it came from so later stages can report precise errors. The Case
 * knows nothing about XML once loaded, nor about PDF. */
#ifndef AP_CASE_H
#define AP_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

typedef enum {
    AP_PLAN_ACA_INDIVIDUAL, AP_PLAN_ACA_GROUP_INSURED, AP_PLAN_ERISA_INSURED,
    AP_PLAN_ERISA_SELF_FUNDED, AP_PLAN_MEDICARE_ADVANTAGE, AP_PLAN_MEDICARE_PART_D,
    AP_PLAN_MEDICAID_MCO, AP_PLAN_FEHB, AP_PLAN_STATE_REGULATED, AP_PLAN_OTHER,
    AP_PLAN_COUNT
} ap_plan_type;

typedef enum {
    AP_DENIAL_MEDICAL_NECESSITY, AP_DENIAL_STEP_THERAPY, AP_DENIAL_EXPERIMENTAL,
    AP_DENIAL_OUT_OF_NETWORK, AP_DENIAL_NOT_COVERED, AP_DENIAL_PRIOR_AUTH,
    AP_DENIAL_CODING, AP_DENIAL_OTHER, AP_DENIAL_COUNT
} ap_denial_kind;

typedef enum { AP_STAGE_PRE_SERVICE, AP_STAGE_POST_SERVICE, AP_STAGE_URGENT, AP_STAGE_COUNT } ap_stage;
typedef enum { AP_LEVEL_FIRST_INTERNAL, AP_LEVEL_SECOND_INTERNAL, AP_LEVEL_EXTERNAL, AP_LEVEL_COUNT } ap_level;
typedef enum { AP_OUTCOME_FAILED, AP_OUTCOME_INTOLERANT, AP_OUTCOME_CONTRAINDICATED, AP_OUTCOME_ONGOING, AP_OUTCOME_COUNT } ap_outcome;
typedef enum { AP_STATUS_MET, AP_STATUS_CONTRAINDICATED, AP_STATUS_NOT_APPLICABLE, AP_STATUS_COUNT } ap_criterion_status;
typedef enum { AP_IMAGE_UNKNOWN, AP_IMAGE_PNG, AP_IMAGE_JPEG } ap_image_format;

/* A calendar date; valid dates only (checked on load). */
typedef struct { int year, month, day; } ap_date;

typedef struct {
    char **lines; size_t n_lines;
    char *city, *state, *postal_code;
} ap_address;

/* Inline run inside a paragraph: text (with style bits) or a reference. */
typedef enum { AP_RUN_TEXT, AP_RUN_REF_EXHIBIT, AP_RUN_REF_GUIDELINE } ap_run_kind;
enum { AP_STYLE_BOLD = 1, AP_STYLE_ITALIC = 2 };
typedef struct {
    ap_run_kind kind;
    unsigned style;  /* AP_STYLE_* bits, for text runs */
    char *text;      /* text runs: the text; references: the id */
    int target;      /* references: index into exhibits[] or guidelines[] */
    long line;       /* references: the line of the <ref> element */
} ap_run;

typedef struct { ap_run *runs; size_t n_runs; long line; } ap_paragraph;

typedef struct { char *system; char *code; } ap_code;
typedef struct { char *code; char *description; } ap_diagnosis;

typedef struct {
    char *id, *organization, *title, *version, *section, *category; /* optional ones may be NULL */
    char *text;
    long line;
} ap_guideline;

typedef struct {
    ap_date start; bool has_end; ap_date end;
    ap_outcome outcome;
    char *exhibit_id; int exhibit; /* -1 when no @exhibit */
    char *regimen;
    long line;
} ap_treatment;

typedef struct {
    char *exhibit_id; int exhibit;
    bool has_date; ap_date date;
    char *document; /* may be NULL */
    char *finding;
    long line;
} ap_evidence;

typedef struct {
    char *id;
    char *requirement;
    ap_evidence *evidence; size_t n_evidence;
    ap_criterion_status status;
    long line;
} ap_criterion;

/* What the reader learnt from a scan's header without decoding it. */
typedef struct {
    ap_image_format format;
    uint32_t width, height;
    uint64_t file_size;
} ap_image_info;

typedef struct {
    char *src;        /* as written in the case file */
    char *path;       /* resolved absolute path, inside the case folder */
    int rotate;       /* 0, 90, 180 or 270 */
    ap_image_info info;
    long line;
} ap_page;

typedef struct {
    char *id;
    bool has_date; ap_date date;
    char *title;
    ap_page *pages; size_t n_pages;
    long line;
} ap_exhibit;

typedef struct {
    char *file;      /* the case file path as given */
    char *dir;       /* resolved case folder */
    char *case_id;
    long line;

    struct {
        char *given, *middle, *family, *suffix; /* middle, suffix may be NULL */
        ap_date birth_date;
        ap_address *address;  /* may be NULL */
        char *phone;          /* may be NULL */
    } patient;

    struct {
        char *insurer;
        ap_plan_type plan_type;
        char *member_id;
        char *group_number, *plan_name; /* may be NULL */
        ap_address *appeals_address;   /* may be NULL */
        char *appeals_fax;             /* may be NULL */
    } coverage;

    struct {
        ap_denial_kind kind;
        ap_date date;
        bool has_received; ap_date received;
        char *reference;
        ap_stage stage;
        ap_level level;
        char *reason; /* may be NULL */
        bool has_policy;
        char *policy_id, *policy_title; bool has_policy_revised; ap_date policy_revised;
        long line;
    } denial;

    struct {
        char *description;
        ap_code *codes; size_t n_codes;
        ap_diagnosis *diagnoses; size_t n_diagnoses;
        bool has_date; ap_date date;
    } service;

    struct {
        char *name, *credentials, *specialty, *npi, *practice;
        ap_address address;
        char *phone, *fax;
        ap_page *signature; /* may be NULL: authorised signature image */
    } prescriber;

    struct {
        bool expedited; char *expedited_reason; /* reason may be NULL */
        bool peer_to_peer, claim_file, step_therapy_exception, external_review;
        long line;
    } requests;

    ap_paragraph *summary; size_t n_summary;
    ap_paragraph *argument; size_t n_argument;

    ap_guideline *guidelines; size_t n_guidelines;
    ap_treatment *treatments; size_t n_treatments;

    char *criteria_source;
    ap_criterion *criteria; size_t n_criteria;

    ap_exhibit *exhibits; size_t n_exhibits;

    struct ap_arena *arena; /* owns every allocation above */
} ap_case;

/* Options that change how a case is read. */
typedef struct {
    const char *base_dir;   /* folder src= paths may not leave; NULL: the case's folder */
    bool skip_image_checks; /* do not open scans (unit tests of the XML layer only) */
} ap_load_options;

/* Reads, validates (schema + semantic rules) and returns the case; on any
 * error returns NULL with every finding in diags. Warnings may be added
 * either way. */
ap_case *ap_case_load(const char *path, const ap_load_options *opt, ap_diags *diags);
/* Reads only the case id (id= on the root element) of a case file, for
 * reports about cases that failed to load; false when it cannot be read or
 * is not a safe id (letters, digits, '-', '_', '.'). */
bool ap_case_peek_id(const char *path, char *buf, size_t size);
/* Frees a case returned by ap_case_load (NULL is fine). */
void ap_case_free(ap_case *c);

/* Name tables: the XML spelling of each enum value. */
const char *ap_plan_type_name(ap_plan_type t);
const char *ap_denial_kind_name(ap_denial_kind k);
const char *ap_stage_name(ap_stage s);
const char *ap_level_name(ap_level l);
const char *ap_outcome_name(ap_outcome o);
const char *ap_status_name(ap_criterion_status s);

/* Date helpers (proleptic Gregorian). */
/* Returns true if year/month/day is a real calendar date. */
bool ap_date_valid(int year, int month, int day);
/* Parses "YYYY-MM-DD" strictly; returns false on any other shape or an impossible date. */
bool ap_date_parse(const char *s, ap_date *out);
/* Formats as "YYYY-MM-DD" into buf (at least 11 bytes). */
void ap_date_format(ap_date d, char *buf);
/* Days since 1970-01-01 (negative before). */
long ap_date_to_days(ap_date d);
/* The date a day count since 1970-01-01 names. */
ap_date ap_date_from_days(long days);
/* Compares two dates: <0, 0, >0. */
int ap_date_cmp(ap_date a, ap_date b);

#endif
