// SPDX-License-Identifier: GPL-2.0-only
/*
 * The certification report (see certify.h): Markdown for people, JUnit XML
 * for CI. Text from the console or the command line is made safe for each:
 * control characters and bytes outside ASCII become '?', so the XML is
 * well-formed whatever the guest printed, and '|' cannot break a table row.
 */
#include <stdio.h>
#include <string.h>

#include "certify.h"

static void put_md(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch < 0x20 || ch >= 0x7f)
            fputc('?', f);
        else if (ch == '|' || ch == '\\' || ch == '`' || ch == '*' || ch == '_' ||
                 ch == '<' || ch == '[')
            fprintf(f, "\\%c", ch);
        else
            fputc(ch, f);
    }
}

static void put_xml(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        switch (ch) {
        case '&':  fputs("&amp;", f); break;
        case '<':  fputs("&lt;", f); break;
        case '>':  fputs("&gt;", f); break;
        case '"':  fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:   fputc(ch < 0x20 || ch >= 0x7f ? '?' : ch, f); break;
        }
    }
}

static unsigned int count(const struct certify_check *c, size_t n, enum certify_verdict v)
{
    unsigned int k = 0;
    size_t i;

    for (i = 0; i < n; i++)
        k += c[i].verdict == v;
    return k;
}

static const char *verdict_md(enum certify_verdict v)
{
    return v == CERTIFY_PASS ? "**pass**" : v == CERTIFY_FAIL ? "**FAIL**" : "skip";
}

static void row(FILE *f, const char *key, const char *value)
{
    fprintf(f, "| %s | ", key);
    put_md(f, value && *value ? value : "(unknown)");
    fputs(" |\n", f);
}

int certify_write_markdown(FILE *f, const struct certify_meta *m,
                           const struct certify_check *c, size_t n)
{
    unsigned int failed = count(c, n, CERTIFY_FAIL);
    char num[64];
    size_t i;

    fprintf(f, "# xenshim certification: %s\n\n", failed ? "FAILED" : "passed");
    fprintf(f, "%u passed, %u failed, %u skipped.\n\n", count(c, n, CERTIFY_PASS), failed,
            count(c, n, CERTIFY_SKIP));
    fputs("| | |\n|---|---|\n", f);
    row(f, "kernel", m->kernel);
    row(f, "kernel version", m->kernel_version);
    row(f, "initramfs", m->initrd);
    row(f, "date (UTC)", m->timestamp);
    row(f, "host", m->host);
    row(f, "accelerator", m->accel);
    snprintf(num, sizeof(num), "%d after %.1f s", m->exit_status, m->elapsed);
    row(f, "exit status", num);
    row(f, "console log", m->console_log);
    fputs("\n| check | verdict | time (s) | what | detail |\n"
          "|---|---|---|---|---|\n", f);
    for (i = 0; i < n; i++) {
        fputs("| ", f);
        put_md(f, c[i].name);
        fprintf(f, " | %s | ", verdict_md(c[i].verdict));
        if (c[i].time >= 0)
            fprintf(f, "%.1f", c[i].time);
        else
            fputs("-", f);
        fputs(" | ", f);
        put_md(f, c[i].what);
        fputs(" | ", f);
        put_md(f, c[i].detail);
        fputs(" |\n", f);
    }
    fputs("\nTimes are seconds from QEMU's start until the evidence appeared on the "
          "console (poweroff: until QEMU exited). Verdicts follow tests/e2e/run.sh: "
          "the E2E-\\* lines of the initramfs /init, the kernel's and the shim's "
          "console lines, and the exit status.\n", f);
    return ferror(f) ? -1 : 0;
}

int certify_write_junit(FILE *f, const struct certify_meta *m,
                        const struct certify_check *c, size_t n)
{
    unsigned int failed = count(c, n, CERTIFY_FAIL), skipped = count(c, n, CERTIFY_SKIP);
    size_t i;

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"xenshim certify\" tests=\"%zu\" failures=\"%u\" "
            "errors=\"0\" skipped=\"%u\" time=\"%.3f\">\n", n, failed, skipped, m->elapsed);
    fprintf(f, "  <testsuite name=\"xenshim.certify\" tests=\"%zu\" failures=\"%u\" "
            "errors=\"0\" skipped=\"%u\" time=\"%.3f\" timestamp=\"", n, failed, skipped,
            m->elapsed);
    put_xml(f, m->timestamp ? m->timestamp : "");
    fputs("\" hostname=\"", f);
    put_xml(f, m->host ? m->host : "");
    fputs("\">\n    <properties>\n", f);
#define PROP(k, v) do { \
        fputs("      <property name=\"" k "\" value=\"", f); \
        put_xml(f, (v) ? (v) : ""); \
        fputs("\"/>\n", f); \
    } while (0)
    PROP("kernel", m->kernel);
    PROP("kernel_version", m->kernel_version);
    PROP("initrd", m->initrd);
    PROP("accel", m->accel);
    PROP("console_log", m->console_log);
#undef PROP
    fprintf(f, "      <property name=\"exit_status\" value=\"%d\"/>\n", m->exit_status);
    fputs("    </properties>\n", f);
    for (i = 0; i < n; i++) {
        fputs("    <testcase classname=\"xenshim.certify\" name=\"", f);
        put_xml(f, c[i].name);
        fprintf(f, "\" time=\"%.3f\">\n", c[i].time >= 0 ? c[i].time : 0.0);
        if (c[i].verdict != CERTIFY_PASS) {
            fputs(c[i].verdict == CERTIFY_FAIL ? "      <failure message=\"" :
                  "      <skipped message=\"", f);
            put_xml(f, c[i].detail);
            fputs("\"/>\n", f);
        }
        fputs("      <system-out>", f);
        put_xml(f, c[i].what);
        fputs(": ", f);
        put_xml(f, c[i].detail);
        fputs("</system-out>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return ferror(f) ? -1 : 0;
}
