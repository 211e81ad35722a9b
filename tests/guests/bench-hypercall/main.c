// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-hypercall: the cost of the two cheapest guest <-> shim round trips,
 * for `make bench` (bench/run.sh parses the BENCH-* lines). Also run by
 * tests/guests/run.sh, where it checks that the loops did what they claim.
 *
 *  - hypercall: 100,000 x xen_version(XENVER_version, NULL) by bare
 *    `syscall` from guest kernel mode (Linux's transfer since XSA-466; no
 *    argument copy), timed with rdtsc (lfence first, so earlier work is
 *    done). Every call must return the same version.
 *  - evtchn: 10,000 x EVTCHNOP_send on an IPI port bound to ourselves
 *    (EVTCHNOP_bind_ipi, vCPU 0) with events unmasked: Xen marks the port
 *    pending and bounces the upcall (TBF_INTERRUPT) on the way back from the
 *    send (x86_64/entry.S test_guest_events), the handler clears the 2-level
 *    bits (events_2l.c) and returns with the iret hypercall. One iteration =
 *    send hypercall + upcall + iret hypercall. The upcall must run exactly
 *    once per send, before the send's `syscall` returns.
 *  - emulate: 10,000 x `cli; sti` from guest kernel mode with virtual
 *    IOPL 1 (PHYSDEVOP_set_iopl, as Linux sets it in xen_start_kernel). The
 *    kernel runs in ring 3, so each faults (#GP); the hypervisor decodes it
 *    and, IOPL permitting, skips it (Xen's emulate_privileged_op makes
 *    cli/sti no-ops). Linux pays this early in boot (cmpxchg16b_emu's cli
 *    before alternatives are patched), and its TSC calibration reads the
 *    PIT through the same path. One round trip = one emulated instruction.
 *
 * Cycles are TSC cycles as the guest sees them; ns come from the pvclock
 * scale in vcpu_time_info (tsc_to_system_mul, tsc_shift; [H:xen.h]), the
 * same conversion Linux's pvclock uses. Output, one line each:
 *   BENCH-hypercall: <calls> calls, <c> cycles/call, <n.n> ns/call
 *   BENCH-evtchn: <iters> round trips, <c> cycles/round trip, <n.n> ns/round trip
 *   BENCH-emulate: <n> instructions, <c> cycles/instruction, <n.n> ns/instruction
 */
#include "guest.h"

TEST_DESC("bench-hypercall", "hypercall and event-channel round-trip cost", 0);

#define HC_CALLS        100000u
#define EVTCHN_ITERS    10000u
#define EMUL_PAIRS      10000u
#define BITS_PER_WORD   64

static uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* TSC cycles to ns with the pvclock scale (Linux pvclock_scale_delta). */
static uint64_t cycles_to_ns(uint64_t cycles)
{
    const volatile struct vcpu_time_info *t = &vcpu_info->time;
    int8_t shift = t->tsc_shift;

    if (shift < 0)
        cycles >>= -shift;
    else
        cycles <<= shift;
    return (uint64_t)(((unsigned __int128)cycles * t->tsc_to_system_mul) >> 32);
}

/* "<c> cycles/<unit>, <n.n> ns/<unit>" for total cycles over n operations. */
static void report(const char *name, unsigned int n, const char *what,
                   const char *unit, uint64_t cycles)
{
    uint64_t ns10 = cycles_to_ns(cycles) * 10 / n;

    printk("BENCH-%s: %u %s, %lu cycles/%s, %lu.%lu ns/%s\n", name, n, what,
           (unsigned long)(cycles / n), unit, (unsigned long)(ns10 / 10),
           (unsigned long)(ns10 % 10), unit);
}

static void bench_hypercall(void)
{
    long want = hypercall_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    unsigned int i, bad = 0;
    uint64_t t0, t1;

    if (want < (3L << 16)) {
        test_fail("xen_version(XENVER_version) = %ld, expected a version >= 3.0", want);
        return;
    }
    t0 = rdtsc_ordered();
    for (i = 0; i < HC_CALLS; i++)
        bad += hypercall_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0) != want;
    t1 = rdtsc_ordered();
    if (bad)
        test_fail("xen_version: %u of %u calls returned something else", bad, HC_CALLS);
    report("hypercall", HC_CALLS, "calls", "call", t1 - t0);
}

/* Written by the upcall handler only. */
static volatile unsigned int upcalls, port_hits;
static evtchn_port_t ipi_port;

/* Linux's 2-level upcall (drivers/xen/events/events_2l.c), one pass. */
static void event_upcall(struct cpu_regs *regs)
{
    struct vcpu_info *vi = vcpu_info;
    xen_ulong_t sel, pend;
    unsigned int w, b;

    upcalls++;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
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
            if (w * BITS_PER_WORD + b == ipi_port)
                port_hits++;
        }
    }
}

static long evtchn_send(evtchn_port_t p)
{
    struct evtchn_send s = { .port = p };

    return hypervisor_event_channel_op(EVTCHNOP_send, &s);
}

static void set_upcall_mask(uint8_t masked)
{
    asm volatile("" ::: "memory");      /* earlier accesses before the flip */
    vcpu_info->evtchn_upcall_mask = masked;
    asm volatile("" ::: "memory");      /* the flip before later accesses */
}

static void bench_evtchn(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)event_entry,
    };
    struct evtchn_bind_ipi bind = { .vcpu = 0 };
    unsigned int i, late = 0;
    uint64_t t0, t1;

    event_hook = event_upcall;
    if (!CHECK_RC("CALLBACKOP_register event", hypervisor_callback_op(CALLBACKOP_register, &cb), 0) ||
        !CHECK_RC("EVTCHNOP_bind_ipi", hypervisor_event_channel_op(EVTCHNOP_bind_ipi, &bind), 0))
        return;
    ipi_port = bind.port;

    /* Take anything already pending (xen_force_evtchn_callback), then start. */
    set_upcall_mask(0);
    if (vcpu_info->evtchn_upcall_pending)
        hypervisor_xen_version(0, NULL);
    upcalls = port_hits = 0;

    t0 = rdtsc_ordered();
    for (i = 0; i < EVTCHN_ITERS; i++) {
        if (evtchn_send(ipi_port))
            break;
        /* The upcall ran before the send's syscall returned. */
        late += port_hits != i + 1;
    }
    t1 = rdtsc_ordered();
    set_upcall_mask(1);

    if (i != EVTCHN_ITERS)
        test_fail("EVTCHNOP_send failed at iteration %u", i);
    if (port_hits != EVTCHN_ITERS || upcalls != EVTCHN_ITERS || late)
        test_fail("%u sends: port seen %u times in %u upcalls, %u late; expected one upcall per send as it returns",
                  i, port_hits, upcalls, late);
    report("evtchn", EVTCHN_ITERS, "round trips", "round trip", t1 - t0);
}

static void bench_emulate(void)
{
    struct physdev_set_iopl iopl = { .iopl = 1 };
    uint64_t t0, t1;

    if (!CHECK_RC("PHYSDEVOP_set_iopl 1",
                  HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &iopl), 0))
        return;
    t0 = rdtsc_ordered();
    for (unsigned int i = 0; i < EMUL_PAIRS; i++)
        asm volatile("cli; sti" ::: "memory");
    t1 = rdtsc_ordered();
    report("emulate", 2 * EMUL_PAIRS, "instructions", "instruction", t1 - t0);
}

void test_main(void)
{
    if (!vcpu_info->time.tsc_to_system_mul) {
        test_error("vcpu_time_info has no TSC scale (tsc_to_system_mul 0)");
        return;
    }
    bench_hypercall();
    bench_evtchn();
    bench_emulate();
}
