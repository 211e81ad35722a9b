// SPDX-License-Identifier: GPL-2.0-only
/*
 * Result reporting in the style of XTF: any number of diagnostic lines,
 * then exactly one "Test result: SUCCESS|SKIP|FAILURE|ERROR" line, then
 * SCHEDOP_shutdown with SHUTDOWN_poweroff (SUCCESS, SKIP) or
 * SHUTDOWN_crash (FAILURE, ERROR) ([H:sched.h]). The worst outcome
 * recorded wins: ERROR > FAILURE > SKIP > SUCCESS.
 */
#include "guest.h"

static enum test_status status = TEST_SUCCESS;

static void note(enum test_status st, const char *tag, const char *fmt,
                 va_list ap) __printf(3, 0);

static void note(enum test_status st, const char *tag, const char *fmt,
                 va_list ap)
{
    char buf[200];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    printk("%s: %s\n", tag, buf);
    if (st > status)
        status = st;
}

void test_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    note(TEST_FAILURE, "Failure", fmt, ap);
    va_end(ap);
}

void test_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    note(TEST_ERROR, "Error", fmt, ap);
    va_end(ap);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    note(TEST_SKIP, "Skip", fmt, ap);
    va_end(ap);
}

bool check_rc(int line, const char *what, long got, long want)
{
    if (got == want)
        return true;
    test_fail("line %d: %s: got %ld (%#lx), expected %ld", line, what, got,
              (unsigned long)got, want);
    return false;
}

__noreturn void guest_shutdown(unsigned int reason)
{
    struct sched_shutdown sd = { .reason = reason };

    for (;;) {
        hypervisor_sched_op(SCHEDOP_shutdown, &sd);
        /* Shutdown must not return; if it does, insist with crash. */
        sd.reason = SHUTDOWN_crash;
        hypervisor_sched_op(SCHEDOP_yield, NULL);
    }
}

__noreturn void test_exit(void)
{
    static const char *const names[] = {
        [TEST_SUCCESS] = "SUCCESS", [TEST_SKIP] = "SKIP",
        [TEST_FAILURE] = "FAILURE", [TEST_ERROR] = "ERROR",
    };
    static bool done;

    if (done)   /* never print a second result line */
        guest_shutdown(SHUTDOWN_crash);
    done = true;
    printk("Test result: %s\n", names[status]);
    guest_shutdown(status <= TEST_SKIP ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}
