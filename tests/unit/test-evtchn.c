// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels (shim/evtchn.c, hypercalls/evtchn.c) on their own, called
 * as the guest calls them, with a host shared_info and guest memory behind
 * the real shim/guest-access.c. Expected values are Xen 4.17's
 * (xen/common/event_channel.c, xen/common/event_2l.c):
 *  - ports >= 4096 (the 2-level limit, EVTCHN_2L_NR_CHANNELS) and port 0
 *    (ECS_RESERVED) are refused by send/close/bind_vcpu with -EINVAL;
 *    unmask of port 0 succeeds (port_is_valid is true for it); status of
 *    port 0 says closed; the internal set_pending/is_pending never touch a
 *    bit outside the bitmaps (ASan watches the host shared_info);
 *  - ports are handed out lowest first (get_free_port), a closed port is
 *    reused, and the 4095th allocation fails with -ENOSPC;
 *  - 2-level delivery (evtchn_2l_set_pending): pending bit; if it was clear
 *    and the port is unmasked, the selector bit of its word; if that was
 *    clear, evtchn_upcall_pending. A masked port gets only the pending bit;
 *    unmask (evtchn_2l_unmask) then raises selector and upcall;
 *  - send: IPI -> pending, unbound -> dropped with 0, VIRQ -> -EINVAL,
 *    interdomain -> the remote end (here the shim backend) is notified.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <shim/evtchn.h>
#include <shim/hypercall.h>
#include <shim/lib.h>
#include "guest-memory-stub.h"

struct percpu host_test_percpu;
struct domain the_domain;
static struct shared_info test_shared_info;

/* backend_notify: the interdomain sends that reached a shim backend. */
static unsigned int notify_calls;
static enum evtchn_backend notify_backend;
static unsigned int notify_instance;

void backend_notify(struct domain *d, enum evtchn_backend backend, unsigned int instance)
{
    assert_ptr_equal(d, &the_domain);
    notify_calls++;
    notify_backend = backend;
    notify_instance = instance;
}

#define ARG   gm_va(0)
#define WORD_BITS 64u

static int setup(void **state)
{
    struct vcpu *v = &the_domain.vcpus[0];

    memset(&the_domain, 0, sizeof(the_domain));
    memset(&test_shared_info, 0, sizeof(test_shared_info));
    the_domain.domid = 3;
    the_domain.nr_vcpus = 1;
    the_domain.shared_info = &test_shared_info;
    v->domain = &the_domain;
    v->kernel_mode = true;
    v->vcpu_info = &test_shared_info.vcpu_info[0];
    host_test_percpu.self = &host_test_percpu;
    host_test_percpu.curr_vcpu = v;
    gm_reset();
    notify_calls = 0;
    return 0;
}

/* event_channel_op(cmd, arg) with the argument struct in guest memory. */
static long op(unsigned int cmd, void *arg, size_t size)
{
    const uint64_t a[HYPERCALL_MAX_ARGS] = { cmd, ARG };
    long rc;

    memcpy(gm_ptr(ARG), arg, size);
    rc = do_event_channel_op(a);
    memcpy(arg, gm_ptr(ARG), size);
    return rc;
}

static long send(evtchn_port_t p)
{
    struct evtchn_send s = { .port = p };

    return op(EVTCHNOP_send, &s, sizeof(s));
}

static long ev_close(evtchn_port_t p)
{
    struct evtchn_close c = { .port = p };

    return op(EVTCHNOP_close, &c, sizeof(c));
}

static long unmask(evtchn_port_t p)
{
    struct evtchn_unmask u = { .port = p };

    return op(EVTCHNOP_unmask, &u, sizeof(u));
}

static long bind_vcpu(evtchn_port_t p, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = p, .vcpu = vcpu };

    return op(EVTCHNOP_bind_vcpu, &b, sizeof(b));
}

static long status(evtchn_port_t p, struct evtchn_status *st)
{
    memset(st, 0x55, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = p;
    return op(EVTCHNOP_status, st, sizeof(*st));
}

static int alloc_unbound(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };
    long rc = op(EVTCHNOP_alloc_unbound, &a, sizeof(a));

    return rc ? (int)rc : (int)a.port;
}

static int bind_ipi(void)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    long rc = op(EVTCHNOP_bind_ipi, &b, sizeof(b));

    return rc ? (int)rc : (int)b.port;
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu, .port = 0xdead };
    long rc = op(EVTCHNOP_bind_virq, &b, sizeof(b));

    *port = b.port;
    return rc;
}

static bool pending_bit(evtchn_port_t p)
{
    return (test_shared_info.evtchn_pending[p / WORD_BITS] >> (p % WORD_BITS)) & 1;
}

static void set_mask(evtchn_port_t p)
{
    test_shared_info.evtchn_mask[p / WORD_BITS] |= 1ULL << (p % WORD_BITS);
}

/* The guest's upcall: clear selector, upcall flag and every pending bit. */
static void guest_acks_everything(void)
{
    struct vcpu_info *vi = &test_shared_info.vcpu_info[0];

    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    memset(test_shared_info.evtchn_pending, 0, sizeof(test_shared_info.evtchn_pending));
}

static void test_ports_out_of_range(void **state)
{
    static const evtchn_port_t bad[] = { 0, NR_EVTCHN_PORTS, NR_EVTCHN_PORTS + 1,
                                         0x10000, 0x7fffffff, 0xffffffff };
    struct evtchn_status st;
    struct shared_info before;

    assert_int_equal(NR_EVTCHN_PORTS, 4096);    /* EVTCHN_2L_NR_CHANNELS on x86_64 */
    memcpy(&before, &test_shared_info, sizeof(before));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(send(bad[i]), -XEN_EINVAL);
        assert_int_equal(ev_close(bad[i]), -XEN_EINVAL);
        assert_int_equal(bind_vcpu(bad[i], 0), -XEN_EINVAL);
        if (bad[i])
            assert_int_equal(unmask(bad[i]), -XEN_EINVAL);
        else
            assert_int_equal(unmask(bad[i]), 0);   /* ECS_RESERVED is a valid port */
        if (bad[i])
            assert_int_equal(status(bad[i], &st), -XEN_EINVAL);
        /* The shim's own callers: no bit outside the bitmaps, no effect. */
        evtchn_set_pending(&the_domain, bad[i]);
        assert_false(evtchn_is_pending(&the_domain, bad[i]));
    }
    assert_memory_equal(&before, &test_shared_info, sizeof(before));
    assert_int_equal(status(0, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    /* The last port is a port like any other. */
    for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS - 1; p++)
        the_domain.evtchn[p].state = ECS_UNBOUND;
    assert_int_equal(bind_ipi(), NR_EVTCHN_PORTS - 1);
    assert_int_equal(send(NR_EVTCHN_PORTS - 1), 0);
    assert_true(pending_bit(NR_EVTCHN_PORTS - 1));
    assert_int_equal(test_shared_info.vcpu_info[0].evtchn_pending_sel, 1ULL << 63);
}

static void test_status_of_other_domain(void **state)
{
    struct evtchn_status st;

    memset(&st, 0, sizeof(st));
    st.dom = 7;
    st.port = 1;
    assert_int_equal(op(EVTCHNOP_status, &st, sizeof(st)), -XEN_ESRCH);
    st.dom = the_domain.domid;
    assert_int_equal(op(EVTCHNOP_status, &st, sizeof(st)), 0);
}

static void test_alloc_close_reuse(void **state)
{
    struct evtchn_alloc_unbound other = { .dom = 7, .remote_dom = 0 };
    struct evtchn_status st;
    int p1, p2, p3;

    p1 = alloc_unbound();
    p2 = bind_ipi();
    p3 = alloc_unbound();
    assert_int_equal(p1, 1);
    assert_int_equal(p2, 2);
    assert_int_equal(p3, 3);
    assert_int_equal(status(p1, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_unbound);
    assert_int_equal(status(p2, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_ipi);
    assert_int_equal(st.vcpu, 0);
    assert_int_equal(ev_close(p2), 0);
    assert_int_equal(ev_close(p2), -XEN_EINVAL);
    assert_int_equal(send(p2), -XEN_EINVAL);
    assert_int_equal(status(p2, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_closed);
    assert_int_equal(alloc_unbound(), p2);          /* lowest free port first */
    /* Closed while pending: bound again, it is not pending (Xen evtchn_close). */
    p2 = bind_ipi();
    assert_int_equal(send(p2), 0);
    assert_true(evtchn_is_pending(&the_domain, p2));
    assert_int_equal(ev_close(p2), 0);
    assert_false(evtchn_is_pending(&the_domain, p2));
    assert_int_equal(bind_ipi(), p2);
    assert_false(evtchn_is_pending(&the_domain, p2));
    /* A domU may not allocate in another domain (XSM_TARGET). */
    assert_int_equal(op(EVTCHNOP_alloc_unbound, &other, sizeof(other)), -XEN_EPERM);
}

static void test_exhaustion(void **state)
{
    int p;

    for (evtchn_port_t i = 1; i < NR_EVTCHN_PORTS; i++)
        assert_int_equal(alloc_unbound(), (int)i);
    assert_int_equal(alloc_unbound(), -XEN_ENOSPC);
    assert_int_equal(bind_ipi(), -XEN_ENOSPC);
    assert_int_equal(ev_close(1234), 0);
    p = bind_ipi();
    assert_int_equal(p, 1234);
}

static void test_virq_binding(void **state)
{
    evtchn_port_t port, again;
    struct evtchn_status st;

    assert_int_equal(bind_virq(NR_VIRQS, 0, &port), -XEN_EINVAL);
    assert_int_equal(bind_virq(0xffffffff, 0, &port), -XEN_EINVAL);
    assert_int_equal(bind_virq(VIRQ_TIMER, 1, &port), -XEN_ENOENT);
    assert_int_equal(bind_virq(VIRQ_TIMER, 0xffffffff, &port), -XEN_ENOENT);
    assert_int_equal(bind_virq(VIRQ_TIMER, 0, &port), 0);
    assert_int_equal(port, 1);
    assert_int_equal(bind_virq(VIRQ_TIMER, 0, &again), -XEN_EEXIST);
    assert_int_equal(status(port, &st), 0);
    assert_int_equal(st.status, EVTCHNSTAT_virq);
    assert_int_equal(st.u.virq, VIRQ_TIMER);
    /* A VIRQ has no remote end to send to, and stays on its vCPU. */
    assert_int_equal(send(port), -XEN_EINVAL);
    assert_int_equal(bind_vcpu(port, 0), -XEN_EINVAL);
    /* Delivery through the VIRQ table. */
    evtchn_send_virq(&the_domain.vcpus[0], VIRQ_TIMER);
    assert_true(pending_bit(port));
    evtchn_send_virq(&the_domain.vcpus[0], NR_VIRQS);      /* ignored */
    evtchn_send_virq(&the_domain.vcpus[0], VIRQ_DEBUG);    /* unbound: ignored */
    assert_int_equal(test_shared_info.evtchn_pending[0], 1ULL << port);
    /* Closing frees the VIRQ for a new binding. */
    assert_int_equal(ev_close(port), 0);
    guest_acks_everything();
    evtchn_send_virq(&the_domain.vcpus[0], VIRQ_TIMER);
    assert_false(pending_bit(port));
    assert_int_equal(bind_virq(VIRQ_TIMER, 0, &again), 0);
    assert_int_equal(again, port);
}

static void test_two_level_delivery(void **state)
{
    struct vcpu_info *vi = &test_shared_info.vcpu_info[0];
    int p, q, far;

    p = bind_ipi();                     /* word 0 */
    for (evtchn_port_t i = 2; i < 70; i++)
        the_domain.evtchn[i].state = ECS_UNBOUND;
    far = bind_ipi();                   /* word 1 */
    assert_int_equal(far, 70);

    /* Unmasked: pending, selector bit 0, upcall. */
    assert_int_equal(send(p), 0);
    assert_true(pending_bit(p));
    assert_int_equal(vi->evtchn_pending_sel, 1);
    assert_int_equal(vi->evtchn_upcall_pending, 1);
    /* Already pending: nothing is raised again (the guest acked the upcall
     * but not the port yet). */
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    assert_int_equal(send(p), 0);
    assert_int_equal(vi->evtchn_pending_sel, 0);
    assert_int_equal(vi->evtchn_upcall_pending, 0);
    guest_acks_everything();

    /* Word 1 sets selector bit 1. */
    assert_int_equal(send((evtchn_port_t)far), 0);
    assert_int_equal(vi->evtchn_pending_sel, 2);
    assert_int_equal(test_shared_info.evtchn_pending[1], 1ULL << (far - 64));
    guest_acks_everything();

    /* Masked: only the pending bit; unmask raises selector and upcall. */
    set_mask((evtchn_port_t)p);
    assert_int_equal(send(p), 0);
    assert_true(pending_bit(p));
    assert_int_equal(vi->evtchn_pending_sel, 0);
    assert_int_equal(vi->evtchn_upcall_pending, 0);
    assert_int_equal(unmask(p), 0);
    assert_int_equal(test_shared_info.evtchn_mask[0], 0);
    assert_int_equal(vi->evtchn_pending_sel, 1);
    assert_int_equal(vi->evtchn_upcall_pending, 1);
    guest_acks_everything();

    /* Unmask of a port with nothing pending raises nothing. */
    set_mask((evtchn_port_t)p);
    assert_int_equal(unmask(p), 0);
    assert_int_equal(vi->evtchn_upcall_pending, 0);
    assert_int_equal(vi->evtchn_pending_sel, 0);

    /* Selector already set by another port of the word: upcall untouched. */
    q = alloc_unbound();
    the_domain.evtchn[q].state = ECS_IPI;
    vi->evtchn_pending_sel = 1ULL << (q / WORD_BITS);
    assert_int_equal(send(q), 0);
    assert_true(pending_bit((evtchn_port_t)q));
    assert_int_equal(vi->evtchn_upcall_pending, 0);
}

static void test_send_by_state(void **state)
{
    int unbound = alloc_unbound();
    int be = evtchn_alloc_backend_port(&the_domain, EVTCHN_BACKEND_BLKBACK);

    /* Unbound: nobody listens, dropped (evtchn_send: "silently drop"). */
    assert_int_equal(send(unbound), 0);
    assert_false(pending_bit(unbound));
    /* Interdomain: the remote end is notified, the local port is not. */
    the_domain.evtchn[be].backend_idx = 2;
    assert_int_equal(send(be), 0);
    assert_int_equal(notify_calls, 1);
    assert_int_equal(notify_backend, EVTCHN_BACKEND_BLKBACK);
    assert_int_equal(notify_instance, 2);
    assert_false(pending_bit(be));
    /* bind_vcpu of an unbound or interdomain port: vCPU 0 fine, 1 absent. */
    assert_int_equal(bind_vcpu(unbound, 0), 0);
    assert_int_equal(bind_vcpu(be, 1), -XEN_ENOENT);
}

static void test_bad_arguments(void **state)
{
    const uint64_t fifo[HYPERCALL_MAX_ARGS] = { EVTCHNOP_init_control, ARG };
    const uint64_t bogus[HYPERCALL_MAX_ARGS] = { 0xffffffffu, ARG };
    const uint64_t unmapped[HYPERCALL_MAX_ARGS] = { EVTCHNOP_send, ARG };
    const uint64_t interdomain[HYPERCALL_MAX_ARGS] = { EVTCHNOP_bind_interdomain, ARG };

    /* FIFO sub-ops -ENOSYS: Linux falls back to the 2-level ABI. */
    assert_int_equal(do_event_channel_op(fifo), -XEN_ENOSYS);
    assert_int_equal(do_event_channel_op(bogus), -XEN_ENOSYS);
    assert_int_equal(do_event_channel_op(interdomain), -XEN_ENOSYS);
    gm_protect(ARG, PAGE_SIZE, GM_NONE);
    assert_int_equal(do_event_channel_op(unmapped), -XEN_EFAULT);
    /* An argument in the shim's own range is refused before any access. */
    {
        const uint64_t shim[HYPERCALL_MAX_ARGS] = { EVTCHNOP_send, 0xffff830000000000ULL };

        assert_int_equal(do_event_channel_op(shim), -XEN_EFAULT);
    }
}

static void test_compat_op(void **state)
{
    struct evtchn_op eop;
    uint64_t a[HYPERCALL_MAX_ARGS] = { ARG };
    int p = bind_ipi();

    memset(&eop, 0, sizeof(eop));
    eop.cmd = EVTCHNOP_send;
    eop.u.send.port = (evtchn_port_t)p;
    memcpy(gm_ptr(ARG), &eop, sizeof(eop));
    assert_int_equal(do_event_channel_op_compat(a), 0);
    assert_true(pending_bit((evtchn_port_t)p));
    eop.u.send.port = NR_EVTCHN_PORTS;
    memcpy(gm_ptr(ARG), &eop, sizeof(eop));
    assert_int_equal(do_event_channel_op_compat(a), -XEN_EINVAL);
    /* alloc_unbound through the compat layout writes the port after cmd. */
    memset(&eop, 0, sizeof(eop));
    eop.cmd = EVTCHNOP_alloc_unbound;
    eop.u.alloc_unbound.dom = DOMID_SELF;
    memcpy(gm_ptr(ARG), &eop, sizeof(eop));
    assert_int_equal(do_event_channel_op_compat(a), 0);
    memcpy(&eop, gm_ptr(ARG), sizeof(eop));
    assert_int_equal(eop.u.alloc_unbound.port, p + 1);
    gm_protect(ARG, PAGE_SIZE, GM_NONE);
    assert_int_equal(do_event_channel_op_compat(a), -XEN_EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ports_out_of_range, setup),
        cmocka_unit_test_setup(test_status_of_other_domain, setup),
        cmocka_unit_test_setup(test_alloc_close_reuse, setup),
        cmocka_unit_test_setup(test_exhaustion, setup),
        cmocka_unit_test_setup(test_virq_binding, setup),
        cmocka_unit_test_setup(test_two_level_delivery, setup),
        cmocka_unit_test_setup(test_send_by_state, setup),
        cmocka_unit_test_setup(test_bad_arguments, setup),
        cmocka_unit_test_setup(test_compat_op, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
