// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event delivery with several vCPUs: a port raises the upcall of the vCPU
 * it is bound to, and that vCPU's CPU is kicked unless it is the caller's
 * own; a newly pending port wakes vCPUs in SCHEDOP_poll even when masked
 * (Xen's evtchn_check_pollers), which is what Linux's PV spinlocks rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <arch/percpu.h>
#include <shim/evtchn.h>
#include "smp-host.h"

struct percpu host_test_percpu;
struct domain the_domain;
static struct shared_info shared;

#define WORD_BITS (sizeof(xen_ulong_t) * 8)

static int setup(void **state)
{
    struct domain *d = &the_domain;

    (void)state;
    memset(d, 0, sizeof(*d));
    memset(&shared, 0, sizeof(shared));
    d->shared_info = &shared;
    d->nr_vcpus = 2;
    for (unsigned int i = 0; i < 2; i++) {
        d->vcpus[i].domain = d;
        d->vcpus[i].id = i;
        d->vcpus[i].vcpu_info = &shared.vcpu_info[i];
    }
    host_test_percpu.curr_vcpu = &d->vcpus[0];
    smp_host_kicks = 0;
    return 0;
}

static void bind(evtchn_port_t port, unsigned int vcpu)
{
    the_domain.evtchn[port] = (struct evtchn){ .state = ECS_IPI, .notify_vcpu = vcpu };
}

static void test_remote_port_kicks_its_cpu(void **state)
{
    (void)state;
    bind(5, 1);
    evtchn_set_pending(&the_domain, 5);
    assert_true(evtchn_is_pending(&the_domain, 5));
    assert_int_equal(shared.vcpu_info[1].evtchn_upcall_pending, 1);
    assert_true(shared.vcpu_info[1].evtchn_pending_sel & 1);
    assert_int_equal(shared.vcpu_info[0].evtchn_upcall_pending, 0);
    assert_int_equal(smp_host_kicks, 1ULL << 1);

    /* Already pending: nothing new to tell, no second kick. */
    smp_host_kicks = 0;
    evtchn_set_pending(&the_domain, 5);
    assert_int_equal(smp_host_kicks, 0);
}

static void test_local_port_no_kick(void **state)
{
    (void)state;
    bind(6, 0);
    evtchn_set_pending(&the_domain, 6);
    assert_int_equal(shared.vcpu_info[0].evtchn_upcall_pending, 1);
    assert_int_equal(smp_host_kicks, 0);
}

static void test_masked_port_wakes_pollers_only(void **state)
{
    (void)state;
    bind(7, 1);
    shared.evtchn_mask[7 / WORD_BITS] |= 1UL << (7 % WORD_BITS);
    the_domain.vcpus[1].polling = true;
    evtchn_set_pending(&the_domain, 7);
    assert_true(evtchn_is_pending(&the_domain, 7));
    assert_int_equal(shared.vcpu_info[1].evtchn_upcall_pending, 0);
    assert_int_equal(smp_host_kicks, 1ULL << 1);

    /* Not polling, masked: the port just stays pending. */
    smp_host_kicks = 0;
    the_domain.vcpus[1].polling = false;
    bind(8, 1);
    shared.evtchn_mask[8 / WORD_BITS] |= 1UL << (8 % WORD_BITS);
    evtchn_set_pending(&the_domain, 8);
    assert_int_equal(smp_host_kicks, 0);

    /* Unmasking a pending port raises the upcall and kicks its vCPU's CPU. */
    evtchn_unmask(&the_domain, 8);
    assert_int_equal(shared.vcpu_info[1].evtchn_upcall_pending, 1);
    assert_int_equal(smp_host_kicks, 1ULL << 1);
}

static void test_poller_on_this_cpu_not_kicked(void **state)
{
    (void)state;
    bind(9, 1);
    the_domain.vcpus[0].polling = true;     /* the caller itself: no IPI to self */
    evtchn_set_pending(&the_domain, 9);
    assert_int_equal(smp_host_kicks, 1ULL << 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_remote_port_kicks_its_cpu, setup),
        cmocka_unit_test_setup(test_local_port_no_kick, setup),
        cmocka_unit_test_setup(test_masked_port_wakes_pollers_only, setup),
        cmocka_unit_test_setup(test_poller_on_this_cpu_not_kicked, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
