// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest system time from vcpu_time_info (pvclock, [H:xen.h] struct
 * vcpu_time_info; Linux pvclock_clocksource_read) and a bounded wait that
 * yields to the hypervisor while polling, for tests that wait on a backend.
 */
#include "guest.h"

static uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

uint64_t guest_now_ns(void)
{
    const volatile struct vcpu_time_info *t = &vcpu_info->time;
    uint64_t ts, sys, delta;
    uint32_t ver, mul;
    int8_t shift;

    do {
        ver = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* version before the fields */
        ts = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        delta = rdtsc_ordered() - ts;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* fields before the re-check */
    } while ((ver & 1) || ver != t->version);

    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

bool guest_wait(bool (*done)(void *), void *arg, unsigned int ms)
{
    uint64_t deadline = guest_now_ns() + (uint64_t)ms * 1000000ULL;

    for (;;) {
        if (done(arg))
            return true;
        if (guest_now_ns() > deadline)
            return done(arg);
        hypervisor_sched_op(SCHEDOP_yield, NULL);
    }
}
