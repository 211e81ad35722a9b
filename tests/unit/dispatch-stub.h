/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for what the hypercall families linked into the dispatch
 * test need (see dispatch.mk): one domain with vCPU 0 as `current`, the
 * platform console, shutdown (longjmps back into the test), blocking, the
 * M2P, the balloon pool, and recording stubs for the families that are not
 * linked (they need the real MMU, descriptor tables or event channels).
 */
#ifndef TEST_DISPATCH_STUB_H
#define TEST_DISPATCH_STUB_H

#include <setjmp.h>
#include <shim/hypercall.h>
#include "guest-memory-stub.h"

/* Domain 1, 256 MiB built, 65000 frames held, vCPU 0 in kernel mode. */
#define TEST_DOMID      1
#define TEST_NR_PAGES   65536
#define TEST_TOT_PAGES  65000
void dispatch_reset(void);
int dispatch_setup(void **state);   /* cmocka per-test setup: dispatch_reset */

/* Run hypercall nr with up to six arguments. */
long hc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

/* The recording do_* stubs answer STUB_RC(nr) and note the call. */
#define STUB_RC(nr) (0x5000L + (long)(nr))
struct stub_call {
    unsigned int count;
    uint64_t nr;
    uint64_t args[HYPERCALL_MAX_ARGS];
};
extern struct stub_call stub_last;
/* Handler each unlinked slot must hold, for the table check. */
hypercall_fn_t *stub_handler(uint64_t nr);

/* plat_console_write output and plat_console_getc input. */
extern char console_out[8192];
extern size_t console_out_len;
void console_queue_input(const char *s);
/* log_printf output (hypercall tracing). */
extern char log_out[4096];

/* domain_shutdown longjmps here with reason + 1 when armed. */
extern jmp_buf shutdown_jmp;
extern bool shutdown_armed;
extern unsigned int shutdown_reason;

extern unsigned int vcpu_block_calls;
extern struct sched_poll sched_poll_last;
extern unsigned int sched_poll_calls;
extern struct vcpu_info test_vcpu_info;

/* M2P (never dereferenced by memory.c; only its address and size). */
#define TEST_M2P_PHYS    0x200000ULL
#define TEST_M2P_ENTRIES 0x80000ULL         /* 4 MiB: two 2 MiB chunks */
extern unsigned int m2p_set_calls;
extern uint64_t m2p_last_mfn, m2p_last_pfn;

/* Balloon pool: reservation_release accepts MFNs in [first_mfn, +nr_pages)
 * not equal to pool_refuse_mfn; reservation_take pops pool_mfns. */
extern mfn_t pool_mfns[8];
extern unsigned int pool_count;
extern mfn_t pool_released[8];
extern unsigned int pool_released_count;
extern mfn_t pool_refuse_mfn;

/* cpu-state.c's MSR and CR0 accesses (cpu-state-host.c). */
extern uint64_t stub_msr_fs_base, stub_msr_kernel_gs_base, stub_cr0;

#endif
