// SPDX-License-Identifier: GPL-2.0-only
/*
 * pc time sources: the TSC for "now" (calibrated against PIT channel 2), the
 * local APIC timer in one-shot mode for deadlines, and the CMOS RTC for the
 * wall clock at boot. The 8259 PICs are remapped away from the exception
 * vectors and masked: the shim takes interrupts only from the local APIC.
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <plat/hyperv.h>
#include <plat/platform.h>
#include <shim/log.h>
#include "pc.h"

#define PIT_HZ          1193182u
#define CALIBRATE_MS    25u

#define APIC_ID         0x020
#define APIC_EOI        0x0b0
#define APIC_SVR        0x0f0
#define APIC_LVT_TIMER  0x320
#define APIC_TMR_INIT   0x380
#define APIC_TMR_CUR    0x390
#define APIC_TMR_DIV    0x3e0
#define APIC_LVT_MASKED BIT(16)

static uint64_t tsc_hz, tsc_at_boot, ns_per_tsc_mul32;
static uint64_t lapic_hz, lapic_ticks_per_ns_mul32;
static uint64_t boot_wallclock;
static volatile uint32_t *lapic;

static uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }
uint32_t pc_lapic_read(unsigned int reg) { return lapic_read(reg); }
void pc_lapic_write(unsigned int reg, uint32_t v) { lapic_write(reg, v); }

/* A started CPU's own local APIC: on, timer masked, same divider as CPU 0. */
void pc_lapic_init_ap(void)
{
    lapic_write(APIC_SVR, 0x100 | PLAT_SPURIOUS_VECTOR);
    lapic_write(APIC_TMR_DIV, 0x3);
    lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | PLAT_TIMER_VECTOR);
}

static void pic_disable(void)
{
    /* ICW1-4: remap to 0x20/0x28 so a stray IRQ can't look like an exception. */
    outb(0x20, 0x11); outb(0xa0, 0x11);
    outb(0x21, 0x20); outb(0xa1, 0x28);
    outb(0x21, 0x04); outb(0xa1, 0x02);
    outb(0x21, 0x01); outb(0xa1, 0x01);
    outb(0x21, 0xff); outb(0xa1, 0xff);
}

/* Run PIT channel 2 for CALIBRATE_MS and count TSC and APIC ticks meanwhile. */
static void calibrate(void)
{
    uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t t0, t1;
    uint32_t a0, a1;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01);    /* gate on, speaker off */
    outb(0x43, 0xb0);                           /* ch2, lo/hi, mode 0 */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    lapic_write(APIC_TMR_DIV, 0x3);             /* divide by 16 */
    lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | PLAT_TIMER_VECTOR);
    lapic_write(APIC_TMR_INIT, 0xffffffff);
    a0 = lapic_read(APIC_TMR_CUR);
    t0 = rdtsc();
    while (!(inb(0x61) & 0x20))                 /* OUT2 rises at terminal count */
        cpu_relax();
    t1 = rdtsc();
    a1 = lapic_read(APIC_TMR_CUR);
    tsc_hz = (t1 - t0) * 1000 / CALIBRATE_MS;
    lapic_hz = (uint64_t)(a0 - a1) * 1000 / CALIBRATE_MS;
    if (!tsc_hz || !lapic_hz)
        panic("time calibration failed (tsc %lu Hz, apic %lu Hz)\n",
              (unsigned long)tsc_hz, (unsigned long)lapic_hz);
}

static unsigned cmos_read(unsigned reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned bcd(unsigned v, bool is_bcd)
{
    return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static uint64_t rtc_read_epoch(void)
{
    unsigned s, mi, h, d, mo, y, regb;
    bool is_bcd;

    while (cmos_read(0x0a) & 0x80)      /* update in progress */
        cpu_relax();
    s = cmos_read(0x00); mi = cmos_read(0x02); h = cmos_read(0x04);
    d = cmos_read(0x07); mo = cmos_read(0x08); y = cmos_read(0x09);
    regb = cmos_read(0x0b);
    is_bcd = !(regb & 0x04);
    s = bcd(s, is_bcd); mi = bcd(mi, is_bcd); d = bcd(d, is_bcd);
    mo = bcd(mo, is_bcd); y = bcd(y, is_bcd);
    if (!(regb & 0x02) && (h & 0x80))   /* 12-hour clock, PM */
        h = (bcd(h & 0x7f, is_bcd) % 12) + 12;
    else
        h = bcd(h, is_bcd);
    return (uint64_t)days_from_civil(2000 + y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

void plat_time_init(void)
{
    hv_init();      /* Hyper-V or not: logs the platform it found */
    pic_disable();
    lapic = phys_to_virt(rdmsr(MSR_APIC_BASE) & PTE_ADDR_MASK);
    lapic_write(APIC_SVR, 0x100 | PLAT_SPURIOUS_VECTOR);
    calibrate();
    hv_tsc_hz(&tsc_hz);     /* Hyper-V's stated TSC rate beats the PIT estimate */
    ns_per_tsc_mul32 = (1000000000ULL << 32) / tsc_hz;
    lapic_ticks_per_ns_mul32 = (lapic_hz << 32) / 1000000000ULL;
    boot_wallclock = rtc_read_epoch();
    tsc_at_boot = rdtsc();
    lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | PLAT_TIMER_VECTOR);
    log_info("time: TSC %lu kHz, APIC timer %lu kHz, wallclock %lu\n",
             (unsigned long)(tsc_hz / 1000), (unsigned long)(lapic_hz / 1000),
             (unsigned long)boot_wallclock);
}

uint64_t plat_now_ns(void)
{
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_at_boot) * ns_per_tsc_mul32) >> 32);
}

uint64_t plat_tsc_hz(void) { return tsc_hz; }
uint64_t plat_boot_wallclock_sec(void) { return boot_wallclock; }
uint64_t plat_tsc_at_boot(void) { return tsc_at_boot; }

void plat_timer_set(uint64_t deadline_ns)
{
    uint64_t now, ticks;

    if (!deadline_ns) {
        lapic_write(APIC_TMR_INIT, 0);
        return;
    }
    now = plat_now_ns();
    ticks = deadline_ns > now ?
        (uint64_t)(((unsigned __int128)(deadline_ns - now) * lapic_ticks_per_ns_mul32) >> 32) : 1;
    if (!ticks)
        ticks = 1;
    if (ticks > 0xffffffffULL)
        ticks = 0xffffffffULL;
    lapic_write(APIC_LVT_TIMER, PLAT_TIMER_VECTOR);     /* one-shot, unmasked */
    lapic_write(APIC_TMR_INIT, (uint32_t)ticks);
}

void plat_timer_ack(void)
{
    lapic_write(APIC_EOI, 0);
}

void pc_lapic_eoi(void)
{
    lapic_write(APIC_EOI, 0);
}

uint32_t pc_lapic_id(void)
{
    return lapic_read(APIC_ID) >> 24;
}
