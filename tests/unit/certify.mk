# SPDX-License-Identifier: GPL-2.0-only
# xenshim certify: console lines -> evidence -> verdicts
# (tools/xenshim/certify-checks.c), the Markdown and JUnit reports
# (certify-report.c), and the boot progress line (progress.c).
CERTIFY_UNIT_SRCS := tools/xenshim/certify-checks.c tools/xenshim/certify-report.c
UNIT_TESTS += test-certify test-certify-report test-progress
test-certify_SRCS := tests/unit/test-certify.c $(CERTIFY_UNIT_SRCS)
test-certify-report_SRCS := tests/unit/test-certify-report.c $(CERTIFY_UNIT_SRCS)
test-progress_SRCS := tests/unit/test-progress.c tools/xenshim/progress.c
