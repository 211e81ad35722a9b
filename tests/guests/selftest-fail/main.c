// SPDX-License-Identifier: GPL-2.0-only
/*
 * selftest-fail: reports FAILURE on purpose. Proves that the FAILURE path
 * (SCHEDOP_shutdown with SHUTDOWN_crash) gives a non-zero exit status, so
 * that a passing run of the other guests means something. run.sh expects
 * this guest to fail.
 */
#include "guest.h"

TEST_DESC("selftest-fail", "deliberate FAILURE and crash shutdown", TEST_BARE);

void test_main(void)
{
    test_fail("deliberate failure (expected by run.sh)");
}
