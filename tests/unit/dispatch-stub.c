// SPDX-License-Identifier: GPL-2.0-only
/* Host stand-ins for the dispatch test (see dispatch-stub.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <plat/platform.h>
#include <shim/log.h>
#include <shim/reservation.h>
#include <shim/sched.h>
#include "dispatch-stub.h"

struct percpu host_test_percpu;
struct domain the_domain;
struct vcpu_info test_vcpu_info;

char console_out[8192];
size_t console_out_len;
static char console_in[256];
static size_t console_in_pos, console_in_len;
char log_out[4096];
static size_t log_out_len;

jmp_buf shutdown_jmp;
bool shutdown_armed;
unsigned int shutdown_reason;
unsigned int vcpu_block_calls, sched_poll_calls;
struct sched_poll sched_poll_last;

uint64_t *m2p_table = (uint64_t *)(DIRECTMAP_BASE + TEST_M2P_PHYS);
mfn_t m2p_nr_entries = TEST_M2P_ENTRIES;
unsigned int m2p_set_calls;
uint64_t m2p_last_mfn, m2p_last_pfn;

mfn_t pool_mfns[8];
unsigned int pool_count;
mfn_t pool_released[8];
unsigned int pool_released_count;
mfn_t pool_refuse_mfn;

struct stub_call stub_last;

void dispatch_reset(void)
{
    struct vcpu *v = &the_domain.vcpus[0];

    memset(&the_domain, 0, sizeof(the_domain));
    memset(&hypercall_stats, 0, sizeof(hypercall_stats));
    memset(&test_vcpu_info, 0, sizeof(test_vcpu_info));
    in_multicall = false;
    the_domain.domid = TEST_DOMID;
    the_domain.nr_pages = TEST_NR_PAGES;
    the_domain.tot_pages = TEST_TOT_PAGES;
    the_domain.first_mfn = 0x10000;
    the_domain.nr_vcpus = 1;
    v->domain = &the_domain;
    v->kernel_mode = true;
    v->vcpu_info = &test_vcpu_info;
    test_vcpu_info.evtchn_upcall_mask = 1;
    host_test_percpu.self = &host_test_percpu;
    host_test_percpu.curr_vcpu = v;
    gm_reset();
    console_out_len = 0;
    memset(console_out, 0, sizeof(console_out));
    console_in_pos = console_in_len = 0;
    log_out_len = 0;
    log_out[0] = '\0';
    shutdown_armed = false;
    shutdown_reason = ~0u;
    vcpu_block_calls = sched_poll_calls = 0;
    m2p_set_calls = 0;
    pool_count = pool_released_count = 0;
    pool_refuse_mfn = 0;
    memset(&stub_last, 0, sizeof(stub_last));
}

int dispatch_setup(void **state)
{
    dispatch_reset();
    return 0;
}

long hc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    const uint64_t a[HYPERCALL_MAX_ARGS] = { a0, a1, a2, 0x44, 0x55, 0x66 };

    return hypercall_call(nr, a);
}

/* ---- platform, log, domain ---------------------------------------------- */

void plat_console_write(const char *s, size_t len)
{
    if (console_out_len + len > sizeof(console_out))
        fail_msg("console output overflows the capture buffer");
    memcpy(console_out + console_out_len, s, len);
    console_out_len += len;
}

void console_queue_input(const char *s)
{
    console_in_len = strlen(s);
    memcpy(console_in, s, console_in_len);
    console_in_pos = 0;
}

int plat_console_getc(void)
{
    return console_in_pos < console_in_len ? (unsigned char)console_in[console_in_pos++] : -1;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_out_len += (size_t)vsnprintf(log_out + log_out_len, sizeof(log_out) - log_out_len,
                                     fmt, ap);
    va_end(ap);
    if (log_out_len >= sizeof(log_out))
        log_out_len = sizeof(log_out) - 1;
}

void panic(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "PANIC: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
}

void domain_shutdown(unsigned int reason)
{
    shutdown_reason = reason;
    if (!shutdown_armed) {
        fprintf(stderr, "unexpected domain_shutdown(%u)\n", reason);
        abort();
    }
    shutdown_armed = false;
    longjmp(shutdown_jmp, 1);
}

void domain_crash(const char *fmt, ...)
{
    fprintf(stderr, "unexpected domain_crash(%s)\n", fmt);
    abort();
}

void vcpu_block(struct vcpu *v)
{
    vcpu_block_calls++;
}

long sched_poll(struct vcpu *v, const struct sched_poll *p)
{
    sched_poll_calls++;
    sched_poll_last = *p;
    return 0x77;
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
    m2p_set_calls++;
    m2p_last_mfn = mfn;
    m2p_last_pfn = pfn;
}

int reservation_release(struct domain *d, mfn_t mfn)
{
    if (!guest_mfn_valid(d, mfn) || mfn == pool_refuse_mfn ||
        pool_released_count == ARRAY_SIZE(pool_released))
        return -XEN_EINVAL;
    pool_released[pool_released_count++] = mfn;
    d->tot_pages--;
    return 0;
}

mfn_t reservation_take(struct domain *d)
{
    if (!pool_count)
        return 0;
    d->tot_pages++;
    return pool_mfns[--pool_count];
}

/* ---- handlers of families not linked into this test --------------------- */

#define STUB(name, num)                                                 \
    long name(const uint64_t a[HYPERCALL_MAX_ARGS])                     \
    {                                                                   \
        stub_last.count++;                                              \
        stub_last.nr = (num);                                           \
        memcpy(stub_last.args, a, sizeof(stub_last.args));              \
        return STUB_RC(num);                                            \
    }

STUB(do_mmu_update, __HYPERVISOR_mmu_update)
STUB(do_grant_table_op, __HYPERVISOR_grant_table_op)
STUB(do_set_gdt, __HYPERVISOR_set_gdt)
STUB(do_update_descriptor, __HYPERVISOR_update_descriptor)
STUB(do_update_va_mapping, __HYPERVISOR_update_va_mapping)
STUB(do_set_timer_op, __HYPERVISOR_set_timer_op)
STUB(do_event_channel_op_compat, __HYPERVISOR_event_channel_op_compat)
STUB(do_iret, __HYPERVISOR_iret)
STUB(do_vcpu_op, __HYPERVISOR_vcpu_op)
STUB(do_mmuext_op, __HYPERVISOR_mmuext_op)
STUB(do_event_channel_op, __HYPERVISOR_event_channel_op)

hypercall_fn_t *stub_handler(uint64_t nr)
{
    switch (nr) {
    case __HYPERVISOR_mmu_update: return do_mmu_update;
    case __HYPERVISOR_grant_table_op: return do_grant_table_op;
    case __HYPERVISOR_set_gdt: return do_set_gdt;
    case __HYPERVISOR_update_descriptor: return do_update_descriptor;
    case __HYPERVISOR_update_va_mapping: return do_update_va_mapping;
    case __HYPERVISOR_set_timer_op: return do_set_timer_op;
    case __HYPERVISOR_event_channel_op_compat: return do_event_channel_op_compat;
    case __HYPERVISOR_iret: return do_iret;
    case __HYPERVISOR_vcpu_op: return do_vcpu_op;
    case __HYPERVISOR_mmuext_op: return do_mmuext_op;
    case __HYPERVISOR_event_channel_op: return do_event_channel_op;
    default: return NULL;
    }
}
