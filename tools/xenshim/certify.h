/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xenshim certify`: boot a kernel with the certification initramfs, read
 * the guest console, judge a fixed list of checks and write the report.
 * The console evidence is the one tests/e2e/run.sh judges: the E2E-* lines
 * of the initramfs /init, the kernel's own lines and the shim's
 * "(xenshim) ..." lines, plus the exit status of the run.
 *
 * Pure parts (unit-tested in tests/unit/test-certify.c): feeding console
 * lines into evidence (certify-checks.c), judging evidence into checks,
 * and writing Markdown and JUnit XML (certify-report.c).
 */
#ifndef XENSHIM_CERTIFY_H
#define XENSHIM_CERTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CERTIFY_TEXT 96   /* fields copied from console lines */

/* What the console showed. Times are seconds after QEMU started when the
 * line arrived, or -1 if it never did. */
struct certify_evidence {
    double t_banner, t_hvc0, t_init, t_date, t_blk_connected, t_net_connected;
    char kernel_version[64];         /* "6.1.0-56-cloud-amd64" of "Linux version" */
    double init_uptime;              /* E2E-INIT: ..., uptime <s> */
    char xen[CERTIFY_TEXT];          /* E2E-XEN: <type> <count of "Xen PV" lines> */
    char clocksource[32];            /* E2E-CLOCKSOURCE */
    double uptime[2];                /* E2E-UPTIME: <u1> <u2>; -1 if absent */
    long long guest_date;            /* E2E-DATE: <epoch>; -1 if absent */
    int cpus;                        /* E2E-CPUS; -1 if absent */
    char bad_line[CERTIFY_TEXT];     /* first BUG/WARNING/Oops/panic/stall line */
    char xenbus_line[CERTIFY_TEXT];  /* first xenbus timeout line */
    bool done;                       /* E2E-DONE */
    char shutdown[24];               /* "(xenshim) guest shutdown: <reason>" */

    bool shim_vbd;                   /* "(xenshim) blkback: xvda (vbd ..." */
    char blk_insmod[16];             /* E2E-BLK-INSMOD: ok | failed | absent */
    long long blk_sectors;           /* E2E-BLK-DEV: xvda <sectors> ...; -1 */
    char blk_read[CERTIFY_TEXT];     /* E2E-BLK-READ: <first line of xvda> */
    char blk_write[16];              /* E2E-BLK-WRITE: ok | failed */

    bool shim_vif;                   /* "(xenshim) netback: vif0 on ..." */
    char net_insmod[16];             /* E2E-NET-INSMOD */
    char net_mac[24];                /* E2E-NET-MAC */
    char net_dhcp[48];               /* E2E-NET-DHCP: <address> */
    char net_ping[16];               /* E2E-NET-PING: ok | failed */
};

/* What the host knows about the run. */
struct certify_run {
    int exit_status;                 /* XENSHIM_RC_* of the run */
    double elapsed;                  /* seconds from QEMU start to its exit */
    double host_epoch;               /* host wall clock (s) at time 0 */
    bool disk;                       /* a disk was attached as xvda */
    long long disk_sectors;          /* its size in 512-byte sectors */
    char disk_marker[64];            /* the line the host wrote at its offset 0 */
    bool disk_write_seen;            /* the guest's write is in the image */
    bool net;                        /* a vif was attached */
    char mac[24];                    /* its MAC, lower case */
};

enum certify_verdict { CERTIFY_PASS, CERTIFY_FAIL, CERTIFY_SKIP };

enum {
    CERTIFY_BOOT, CERTIFY_CONSOLE, CERTIFY_KERNEL_LOG, CERTIFY_TIMERS,
    CERTIFY_BLKFRONT, CERTIFY_NETFRONT, CERTIFY_SMP, CERTIFY_POWEROFF,
    CERTIFY_NR_CHECKS
};

struct certify_check {
    const char *name;                /* "boot", "console", ... (static) */
    const char *what;                /* one line saying what is checked (static) */
    enum certify_verdict verdict;
    double time;                     /* seconds after start of the evidence; -1 none */
    char detail[320];                /* why this verdict, one line */
};

/* Largest gap between the guest's E2E-DATE and the host clock (as run.sh). */
#define CERTIFY_DATE_SLACK_SEC 5

void certify_evidence_init(struct certify_evidence *ev);

/* Feed one console line (no newline) that arrived t seconds after start. */
void certify_feed(struct certify_evidence *ev, double t, const char *line);

/* Judge ev and run into out[CERTIFY_NR_CHECKS]. Returns the number of failures. */
unsigned int certify_judge(const struct certify_evidence *ev, const struct certify_run *run,
                           struct certify_check out[CERTIFY_NR_CHECKS]);

const char *certify_verdict_name(enum certify_verdict v);

/* Report header: what was certified, where and when. Strings borrowed. */
struct certify_meta {
    const char *kernel;              /* path as given */
    const char *kernel_version;      /* from the banner, or "" */
    const char *initrd;              /* path used */
    const char *timestamp;           /* ISO 8601, UTC */
    const char *host;                /* host name */
    const char *accel;               /* "kvm" or "tcg" */
    const char *console_log;         /* path of the raw console */
    double elapsed;
    int exit_status;
};

/* Write the report; 0, or -1 if writing failed. */
int certify_write_markdown(FILE *f, const struct certify_meta *m,
                           const struct certify_check *c, size_t n);
int certify_write_junit(FILE *f, const struct certify_meta *m,
                        const struct certify_check *c, size_t n);

int cmd_certify(int argc, char **argv, const char *argv0);

#endif
