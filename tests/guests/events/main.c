// SPDX-License-Identifier: GPL-2.0-only
/*
 * events: event channels, the upcall and timers, in the order a Linux PV
 * kernel uses them (xen_init_IRQ, xen_vcpu_setup, xen_timer_init).
 *
 * Xen rules checked (contract 4 and 5):
 *  - VCPUOP_register_vcpu_info (common/domain.c map_vcpu_info in 4.17,
 *    map_guest_area since 4.18): a misaligned offset or one whose
 *    vcpu_info would cross the page: -ENXIO. (Regression: the shim used
 *    to accept a misaligned offset and register the vcpu_info there.) Success copies the old
 *    vcpu_info (upcall mask included) and then marks everything pending:
 *    evtchn_pending_sel = ~0 and evtchn_upcall_pending = 1, so the first
 *    unmask gets a spurious upcall. A second registration: -EINVAL (4.17)
 *    or -EBUSY (4.18+).
 *  - CALLBACKOP_register CALLBACKTYPE_event (pv/callback.c): the upcall is
 *    bounced with TBF_INTERRUPT (x86_64/entry.S test_guest_events), so it
 *    runs with evtchn_upcall_mask = 1, the frame saves mask 0 (CS[39:32])
 *    and RFLAGS.IF = 1, and it is only delivered while unmasked.
 *  - EVTCHNOP_bind_virq VIRQ_TIMER (common/event_channel.c): 0, a port;
 *    again: -EEXIST; virq >= NR_VIRQS: -EINVAL; vCPU 1 (none): -ENOENT.
 *    EVTCHNOP_status reports virq/ipi/unbound/closed.
 *  - VCPUOP_stop_periodic_timer, then VCPUOP_set_singleshot_timer at
 *    now + 10 ms and SCHEDOP_block: block unmasks events
 *    (sched/core.c vcpu_block_enable_events) and returns 0 once the timer
 *    VIRQ is pending; the upcall runs on the way back, before the
 *    instruction after the hypercall, and finds the port in the 2-level
 *    bitmaps (selector bit set, pending bit set, not masked;
 *    event_2l.c evtchn_2l_set_pending). Time read from vcpu_time_info with
 *    the version protocol (system_time + ((tsc - tsc_timestamp) << shift)
 *    * mul >> 32, [H:xen.h] struct vcpu_time_info) has moved to at least
 *    the deadline.
 *  - A singleshot deadline in the past fires at once (domain.c
 *    VCPUOP_set_singleshot_timer: send_timer_event / an expired timer):
 *    pending as soon as the hypercall returns; masked, so no upcall until
 *    the guest unmasks.
 *  - EVTCHNOP_bind_ipi + EVTCHNOP_send to ourselves: pending; with events
 *    unmasked the upcall runs as the send returns.
 *  - A port masked in evtchn_mask: send sets the pending bit but neither
 *    the selector nor upcall_pending (no upcall); EVTCHNOP_unmask then
 *    raises it (evtchn_2l_unmask) and the upcall runs as unmask returns.
 *  - EVTCHNOP_alloc_unbound (DOMID_SELF): 0, status unbound; send to it:
 *    0 and dropped (evtchn_send "silently drop"); close: 0, then status
 *    closed, close again and send: -EINVAL. Ports >= 4096: -EINVAL.
 *  - SCHEDOP_poll (sched/core.c do_poll) on a pending port, even a masked
 *    one, returns 0 at once; on a port that stays idle it returns 0 after
 *    the absolute timeout; more than 128 ports: -EINVAL.
 */
#include "guest.h"

TEST_DESC("events", "event channels, upcalls, block/poll and timers", 0);

#define MS              1000000ULL
#define SLACK_NS        100000ULL       /* clock agreement guest vs. Xen */
#define MAX_WAIT_NS     (5000ULL * MS)  /* "returned eventually" */
#define NR_TRACKED      256
#define BITS_PER_WORD   64

static uint8_t vi_page[PAGE_SIZE] __page_aligned_bss;

/* Written by the upcall handler. */
static volatile unsigned int upcalls;
static volatile unsigned int port_hits[NR_TRACKED];
static volatile unsigned int bad_mask, bad_saved_mask, bad_if;
static volatile xen_ulong_t last_sel;

static void barrier(void)
{
    asm volatile("" ::: "memory");
}

/* Linux's 2-level upcall (drivers/xen/events/events_2l.c), one pass. */
static void event_upcall(struct cpu_regs *regs)
{
    struct vcpu_info *vi = vcpu_info;
    xen_ulong_t sel, pend;
    unsigned int w, b, port;

    upcalls++;
    if (!vi->evtchn_upcall_mask)
        bad_mask++;
    if ((regs->cs >> 32) & 0xff)
        bad_saved_mask++;
    if (!(regs->rflags & X86_EFLAGS_IF))
        bad_if++;

    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    last_sel = sel;
    while (sel) {
        w = __builtin_ctzl(sel);
        sel &= sel - 1;
        pend = __atomic_load_n(&shared_info->evtchn_pending[w], __ATOMIC_SEQ_CST) &
               ~__atomic_load_n(&shared_info->evtchn_mask[w], __ATOMIC_SEQ_CST);
        while (pend) {
            b = __builtin_ctzl(pend);
            pend &= pend - 1;
            __atomic_fetch_and(&shared_info->evtchn_pending[w],
                               ~((xen_ulong_t)1 << b), __ATOMIC_SEQ_CST);
            port = w * BITS_PER_WORD + b;
            if (port < NR_TRACKED)
                port_hits[port]++;
        }
    }
}

static void events_mask(void)
{
    barrier();
    vcpu_info->evtchn_upcall_mask = 1;
    barrier();
}

/* Unmask and, if something is pending, take it now (xen_force_evtchn_callback). */
static void events_unmask(void)
{
    barrier();
    vcpu_info->evtchn_upcall_mask = 0;
    barrier();
    if (vcpu_info->evtchn_upcall_pending)
        hypervisor_xen_version(0, NULL);
}

static bool port_pending(evtchn_port_t p)
{
    return (__atomic_load_n(&shared_info->evtchn_pending[p / BITS_PER_WORD],
                            __ATOMIC_SEQ_CST) >> (p % BITS_PER_WORD)) & 1;
}

static void port_clear_pending(evtchn_port_t p)
{
    __atomic_fetch_and(&shared_info->evtchn_pending[p / BITS_PER_WORD],
                       ~((xen_ulong_t)1 << (p % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

static void port_set_mask(evtchn_port_t p, bool masked)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (p % BITS_PER_WORD);

    if (masked)
        __atomic_fetch_or(&shared_info->evtchn_mask[p / BITS_PER_WORD], bit,
                          __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&shared_info->evtchn_mask[p / BITS_PER_WORD], ~bit,
                           __ATOMIC_SEQ_CST);
}

static unsigned int hits(evtchn_port_t p)
{
    return p < NR_TRACKED ? port_hits[p] : 0;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* System time in ns from vcpu_time_info (Linux pvclock_clocksource_read). */
static uint64_t now_ns(void)
{
    const volatile struct vcpu_time_info *t = &vcpu_info->time;
    uint64_t ts, sys, delta;
    uint32_t ver, mul;
    int8_t shift;

    do {
        ver = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* version before fields */
        ts = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        delta = rdtsc() - ts;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* fields before re-check */
    } while ((ver & 1) || ver != t->version);

    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

static long set_singleshot(uint64_t deadline)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline };

    return hypervisor_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

static long evtchn_send(evtchn_port_t p)
{
    struct evtchn_send s = { .port = p };

    return hypervisor_event_channel_op(EVTCHNOP_send, &s);
}

static long evtchn_close(evtchn_port_t p)
{
    struct evtchn_close c = { .port = p };

    return hypervisor_event_channel_op(EVTCHNOP_close, &c);
}

static long evtchn_unmask(evtchn_port_t p)
{
    struct evtchn_unmask u = { .port = p };

    return hypervisor_event_channel_op(EVTCHNOP_unmask, &u);
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = hypervisor_event_channel_op(EVTCHNOP_bind_virq, &b);

    if (!rc && port)
        *port = b.port;
    return rc;
}

static long bind_ipi(evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    long rc = hypervisor_event_channel_op(EVTCHNOP_bind_ipi, &b);

    if (!rc)
        *port = b.port;
    return rc;
}

static void check_status(const char *what, evtchn_port_t p, uint32_t want)
{
    struct evtchn_status st = { .dom = DOMID_SELF, .port = p };

    if (CHECK_RC(what, hypervisor_event_channel_op(EVTCHNOP_status, &st), 0) &&
        st.status != want)
        test_fail("%s: port %u status %u, expected %u", what, p, st.status, want);
}

static long poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = nr, .timeout = timeout };

    set_xen_guest_handle(p.ports, ports);
    return hypervisor_sched_op(SCHEDOP_poll, &p);
}

static void check_handler_state(const char *what)
{
    if (bad_mask || bad_saved_mask || bad_if)
        test_fail("%s: upcall ran %u times unmasked, %u times with a saved mask, %u times with IF=0 in the frame",
                  what, bad_mask, bad_saved_mask, bad_if);
    bad_mask = bad_saved_mask = bad_if = 0;
}

static bool test_register(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)event_entry,
    };
    struct vcpu_register_vcpu_info r = { .mfn = virt_to_mfn(vi_page) };
    struct vcpu_info *vi;
    long rc;

    event_hook = event_upcall;
    if (!CHECK_RC("CALLBACKOP_register event", hypervisor_callback_op(CALLBACKOP_register, &cb), 0))
        return false;

    r.offset = 4;
    rc = hypervisor_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
    CHECK_RC("register_vcpu_info at a misaligned offset", rc, -XEN_ENXIO);
    r.offset = PAGE_SIZE - sizeof(struct vcpu_info) / 2;
    CHECK_RC("register_vcpu_info crossing the page",
             hypervisor_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO);
    if (rc == 0) {
        /* Registered at a bad place: nothing below can be trusted. */
        test_exit();
    }

    r.offset = 128;
    memset(vi_page, 0x5a, PAGE_SIZE);
    if (!CHECK_RC("register_vcpu_info", hypervisor_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), 0))
        return false;
    vi = (struct vcpu_info *)(vi_page + r.offset);
    if (vi->evtchn_pending_sel != ~(xen_ulong_t)0 || vi->evtchn_upcall_pending != 1)
        test_fail("new vcpu_info: pending_sel %#lx upcall_pending %u, expected ~0 and 1",
                  (unsigned long)vi->evtchn_pending_sel, vi->evtchn_upcall_pending);
    if (vi->evtchn_upcall_mask != 1)
        test_fail("new vcpu_info: upcall_mask %u, expected the old value 1",
                  vi->evtchn_upcall_mask);
    if ((vi->time.version & 1) || !vi->time.tsc_to_system_mul)
        test_fail("new vcpu_info: time version %u mul %u",
                  vi->time.version, vi->time.tsc_to_system_mul);
    vcpu_info = vi;

    rc = hypervisor_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
    if (rc != -XEN_EINVAL && rc != -XEN_EBUSY)
        test_fail("second register_vcpu_info: %ld, expected -EINVAL (Xen 4.17) or -EBUSY (4.18+)",
                  rc);

    /* The spurious upcall the registration promised. */
    upcalls = 0;
    events_unmask();
    events_mask();
    if (upcalls != 1 || last_sel != ~(xen_ulong_t)0)
        test_fail("first unmask after registering: %u upcalls, selector %#lx; expected 1 with ~0",
                  upcalls, (unsigned long)last_sel);
    check_handler_state("spurious upcall");
    return true;
}

static evtchn_port_t timer_port;

static bool test_bind_virq(void)
{
    if (!CHECK_RC("bind_virq VIRQ_TIMER", bind_virq(VIRQ_TIMER, 0, &timer_port), 0))
        return false;
    if (!timer_port || timer_port >= NR_TRACKED) {
        test_fail("bind_virq VIRQ_TIMER returned port %u", timer_port);
        return false;
    }
    CHECK_RC("bind_virq VIRQ_TIMER again", bind_virq(VIRQ_TIMER, 0, NULL), -XEN_EEXIST);
    CHECK_RC("bind_virq NR_VIRQS", bind_virq(NR_VIRQS, 0, NULL), -XEN_EINVAL);
    CHECK_RC("bind_virq VIRQ_TIMER on vCPU 1", bind_virq(VIRQ_TIMER, 1, NULL), -XEN_ENOENT);
    check_status("status of the VIRQ port", timer_port, EVTCHNSTAT_virq);

    CHECK_RC("VCPUOP_stop_periodic_timer",
             hypervisor_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    CHECK_RC("VCPUOP_stop_singleshot_timer",
             hypervisor_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    /*
     * Xen gives a PV vCPU a default periodic timer: a tick may have come
     * since the bind. Drop it, and take the upcall it may have raised, so
     * that SCHEDOP_block below waits for our singleshot timer only.
     */
    port_clear_pending(timer_port);
    events_unmask();
    events_mask();
    check_handler_state("drain");
    printk("timer VIRQ on port %u\n", timer_port);
    return true;
}

static void test_timer_block(void)
{
    uint64_t t0, t1, deadline;
    unsigned int seen = hits(timer_port), n;
    long rc;

    upcalls = 0;
    t0 = now_ns();
    deadline = t0 + 10 * MS;
    if (!CHECK_RC("set_singleshot_timer now+10ms", set_singleshot(deadline), 0))
        return;
    rc = hypervisor_sched_op(SCHEDOP_block, NULL);
    /* Nothing may run between the hypercall and these two loads but the upcall. */
    seen = hits(timer_port) - seen;
    n = upcalls;
    t1 = now_ns();
    events_mask();

    CHECK_RC("SCHEDOP_block", rc, 0);
    if (seen != 1)
        test_fail("SCHEDOP_block returned with the timer port seen %u times by the upcall (%u upcalls), expected 1",
                  seen, n);
    if (t1 + SLACK_NS < deadline)
        test_fail("SCHEDOP_block returned %lu ns before the deadline",
                  (unsigned long)(deadline - t1));
    if (t1 - t0 > MAX_WAIT_NS)
        test_fail("SCHEDOP_block took %lu ms for a 10 ms timer",
                  (unsigned long)((t1 - t0) / MS));
    check_handler_state("timer upcall");
    printk("blocked %lu us for a 10 ms timer\n", (unsigned long)((t1 - t0) / 1000));
}

static void test_timer_past(void)
{
    unsigned int before = hits(timer_port), n = upcalls;

    if (!CHECK_RC("set_singleshot_timer in the past", set_singleshot(now_ns() - MS), 0))
        return;
    if (!port_pending(timer_port))
        test_fail("timer in the past: port not pending when the hypercall returned");
    if (!vcpu_info->evtchn_upcall_pending)
        test_fail("timer in the past: evtchn_upcall_pending not set");
    if (upcalls != n)
        test_fail("timer in the past: upcall delivered while masked");
    events_unmask();
    events_mask();
    if (hits(timer_port) != before + 1)
        test_fail("timer in the past: upcall after unmask saw the port %u times, expected 1",
                  hits(timer_port) - before);
    check_handler_state("past-deadline upcall");
}

static evtchn_port_t ipi_port;

static void test_ipi(void)
{
    unsigned int before;

    if (!CHECK_RC("bind_ipi", bind_ipi(&ipi_port), 0))
        return;
    check_status("status of the IPI port", ipi_port, EVTCHNSTAT_ipi);

    before = hits(ipi_port);
    CHECK_RC("send IPI (masked)", evtchn_send(ipi_port), 0);
    if (!port_pending(ipi_port) || !vcpu_info->evtchn_upcall_pending)
        test_fail("send IPI: pending %d upcall_pending %u, expected both set",
                  port_pending(ipi_port), vcpu_info->evtchn_upcall_pending);
    if (hits(ipi_port) != before)
        test_fail("send IPI: upcall delivered while masked");
    events_unmask();
    if (hits(ipi_port) != before + 1)
        test_fail("send IPI: upcall after unmask saw the port %u times, expected 1",
                  hits(ipi_port) - before);

    /* Unmasked: delivered as the send returns. */
    CHECK_RC("send IPI (unmasked)", evtchn_send(ipi_port), 0);
    if (hits(ipi_port) != before + 2)
        test_fail("send IPI unmasked: port seen %u times after send returned, expected 2",
                  hits(ipi_port) - before);
    events_mask();
    check_handler_state("IPI upcall");
}

static void test_masked_port(void)
{
    unsigned int before = hits(ipi_port);

    port_set_mask(ipi_port, true);
    events_unmask();            /* global mask off: only the port mask holds */
    CHECK_RC("send to a masked port", evtchn_send(ipi_port), 0);
    if (!port_pending(ipi_port))
        test_fail("send to a masked port: pending bit not set");
    if (vcpu_info->evtchn_upcall_pending)
        test_fail("send to a masked port: evtchn_upcall_pending set");
    if (hits(ipi_port) != before)
        test_fail("send to a masked port: upcall delivered");
    CHECK_RC("EVTCHNOP_unmask", evtchn_unmask(ipi_port), 0);
    if (hits(ipi_port) != before + 1)
        test_fail("EVTCHNOP_unmask of a pending port: port seen %u times after it returned, expected 1",
                  hits(ipi_port) - before);
    if (shared_info->evtchn_mask[ipi_port / BITS_PER_WORD] &
        ((xen_ulong_t)1 << (ipi_port % BITS_PER_WORD)))
        test_fail("EVTCHNOP_unmask left the mask bit set");
    events_mask();
    check_handler_state("unmask upcall");
}

static void test_poll(void)
{
    evtchn_port_t ports[129];
    uint64_t t0, t1, deadline;
    unsigned int i;

    /* Port-masked and pending: poll still sees it. */
    port_set_mask(ipi_port, true);
    CHECK_RC("send for poll", evtchn_send(ipi_port), 0);
    ports[0] = ipi_port;
    t0 = now_ns();
    CHECK_RC("SCHEDOP_poll on a pending port", poll(ports, 1, 0), 0);
    t1 = now_ns();
    /* No timeout was given: a poll that waited would not have returned. */
    if (t1 - t0 > 1000 * MS)
        test_fail("SCHEDOP_poll on a pending port took %lu ms", (unsigned long)((t1 - t0) / MS));

    port_clear_pending(ipi_port);
    t0 = now_ns();
    deadline = t0 + 20 * MS;
    CHECK_RC("SCHEDOP_poll with a 20 ms timeout", poll(ports, 1, deadline), 0);
    t1 = now_ns();
    if (t1 + SLACK_NS < deadline)
        test_fail("SCHEDOP_poll returned %lu ns before its timeout",
                  (unsigned long)(deadline - t1));
    if (t1 - t0 > MAX_WAIT_NS)
        test_fail("SCHEDOP_poll with a 20 ms timeout took %lu ms",
                  (unsigned long)((t1 - t0) / MS));
    if (port_pending(ipi_port))
        test_fail("SCHEDOP_poll timeout: port became pending");
    printk("polled %lu us for a 20 ms timeout\n", (unsigned long)((t1 - t0) / 1000));

    for (i = 0; i < ARRAY_SIZE(ports); i++)
        ports[i] = ipi_port;
    CHECK_RC("SCHEDOP_poll with 129 ports", poll(ports, 129, 0), -XEN_EINVAL);
    port_set_mask(ipi_port, false);
}

static void test_unbound_close(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    evtchn_port_t u, again = 0;

    if (CHECK_RC("alloc_unbound", hypervisor_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0)) {
        u = au.port;
        check_status("status of the unbound port", u, EVTCHNSTAT_unbound);
        CHECK_RC("send to an unbound port", evtchn_send(u), 0);
        if (port_pending(u))
            test_fail("send to an unbound port made it pending");
        CHECK_RC("close the unbound port", evtchn_close(u), 0);
        check_status("status of the closed port", u, EVTCHNSTAT_closed);
        CHECK_RC("close it again", evtchn_close(u), -XEN_EINVAL);
        CHECK_RC("send to the closed port", evtchn_send(u), -XEN_EINVAL);
    }

    CHECK_RC("close the IPI port", evtchn_close(ipi_port), 0);
    check_status("status of the closed IPI port", ipi_port, EVTCHNSTAT_closed);
    CHECK_RC("close the VIRQ port", evtchn_close(timer_port), 0);
    if (CHECK_RC("bind_virq VIRQ_TIMER after close", bind_virq(VIRQ_TIMER, 0, &again), 0))
        CHECK_RC("close the rebound VIRQ port", evtchn_close(again), 0);

    CHECK_RC("send to port 4096", evtchn_send(4096), -XEN_EINVAL);
    CHECK_RC("close port 4096", evtchn_close(4096), -XEN_EINVAL);
    CHECK_RC("unmask port 4096", evtchn_unmask(4096), -XEN_EINVAL);
    check_status("status of port 0 (reserved)", 0, EVTCHNSTAT_closed);
}

void test_main(void)
{
    if (!test_register() || !test_bind_virq())
        return;
    test_timer_block();
    test_timer_past();
    test_ipi();
    test_masked_port();
    test_poll();
    test_unbound_close();
}
