/* Process exit codes (sysexits.h values), documented in README "Exit codes". */
#ifndef AP_EXITCODES_H
#define AP_EXITCODES_H

enum ap_exit {
    AP_EXIT_OK = 0,          /* packet built / case valid */
    AP_EXIT_USAGE = 64,      /* bad command line */
    AP_EXIT_DATAERR = 65,    /* invalid case file or scan */
    AP_EXIT_NOINPUT = 66,    /* case file missing or unreadable */
    AP_EXIT_SOFTWARE = 70,   /* internal error */
    AP_EXIT_CANTCREAT = 73,  /* output cannot be created */
    AP_EXIT_IOERR = 74,      /* I/O error while writing */
    AP_EXIT_CONFIG = 78      /* rules file or templates invalid */
};

#endif
