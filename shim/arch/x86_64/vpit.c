// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual PIT channel 2 (include/arch/vpit.h). Only what TSC calibration
 * uses: control words for channel 2 (counter latch, access modes LSB, MSB
 * and LSB-then-MSB, modes 0-5 counting down at 1.193182 MHz), the
 * channel-2 gate and OUT2 in port 0x61 (bit 0 gate, bit 5 OUT2), and the
 * refresh toggle in bit 4. Channels 0 and 1 stay absent (reads float).
 * In mode 0, OUT2 rises when the count reaches zero and the counter wraps
 * on; other modes reload, which is all a calibration loop can observe.
 */
#include <arch/vpit.h>
#include <shim/time.h>

#define PIT_HZ       1193182ULL
/* PIT ticks per ns as a 32.32 fixed-point factor: no 128-bit division. */
#define PIT_TICKS_PER_NS_32  ((PIT_HZ << 32) / 1000000000ULL)
#define PORT_CH2     0x42
#define PORT_CTRL    0x43
#define PORT_SYS     0x61

static struct {
    uint8_t access;         /* 1 LSB, 2 MSB, 3 LSB then MSB */
    uint8_t mode;
    uint16_t reload;        /* 0 means 65536 */
    bool write_hi;          /* next write is the MSB (access 3) */
    bool read_hi;           /* next read is the MSB (access 3) */
    bool latched;
    uint16_t latch;
    bool gate;
    uint8_t sys;            /* port 0x61 bits the guest wrote (0-3) */
    uint64_t start_ns;      /* when counting (re)started */
} pit = { .access = 3, .reload = 0 };

static uint64_t ticks_since(uint64_t now_ns)
{
    if (now_ns < pit.start_ns)
        return 0;
    return (uint64_t)(((unsigned __int128)(now_ns - pit.start_ns) * PIT_TICKS_PER_NS_32) >> 32);
}

static uint64_t period(void)
{
    return pit.reload ? pit.reload : 65536;
}

uint16_t vpit_count_at(uint64_t now_ns)
{
    uint64_t t = ticks_since(now_ns), p = period();

    if (!pit.gate)
        return (uint16_t)p;
    if (pit.mode == 0)      /* counts down through zero and wraps at 16 bits */
        return (uint16_t)(p - t);
    return (uint16_t)(p - (t % p));
}

bool vpit_out2_at(uint64_t now_ns)
{
    if (!pit.gate)
        return pit.mode != 0;
    if (pit.mode == 0)
        return ticks_since(now_ns) >= period();
    return (ticks_since(now_ns) % period()) < period() / 2;
}

static void restart(void)
{
    pit.start_ns = time_now_ns();
}

bool vpit_read(uint16_t port, uint8_t *val)
{
    uint64_t now = time_now_ns();
    uint16_t c;

    switch (port) {
    case PORT_CH2:
        c = pit.latched ? pit.latch : vpit_count_at(now);
        if (pit.access == 1) {
            *val = c & 0xff;
            pit.latched = false;
        } else if (pit.access == 2) {
            *val = c >> 8;
            pit.latched = false;
        } else {
            *val = pit.read_hi ? c >> 8 : c & 0xff;
            if (pit.read_hi)
                pit.latched = false;
            pit.read_hi = !pit.read_hi;
        }
        return true;
    case PORT_SYS:
        /* Bit 4 toggles every 15 us on real hardware; derive it from time. */
        *val = (pit.sys & 0x0f) | (vpit_out2_at(now) ? 0x20 : 0) |
               (((now / 15000) & 1) ? 0x10 : 0);
        return true;
    case PORT_CTRL:
        *val = 0xff;        /* write-only */
        return true;
    default:
        return false;
    }
}

bool vpit_write(uint16_t port, uint8_t val)
{
    switch (port) {
    case PORT_CTRL:
        if ((val >> 6) != 2)
            return true;    /* channels 0, 1 and read-back: not modelled */
        if (((val >> 4) & 3) == 0) {
            pit.latch = vpit_count_at(time_now_ns());
            pit.latched = true;
            pit.read_hi = false;
            return true;
        }
        pit.access = (val >> 4) & 3;
        pit.mode = (val >> 1) & 7;
        if (pit.mode > 5)
            pit.mode -= 4;  /* modes 6 and 7 alias 2 and 3 */
        pit.write_hi = pit.read_hi = pit.latched = false;
        return true;
    case PORT_CH2:
        if (pit.access == 1)
            pit.reload = (pit.reload & 0xff00) | val;
        else if (pit.access == 2)
            pit.reload = (uint16_t)((pit.reload & 0xff) | (val << 8));
        else if (!pit.write_hi)
            pit.reload = (pit.reload & 0xff00) | val;
        else
            pit.reload = (uint16_t)((pit.reload & 0xff) | (val << 8));
        if (pit.access == 3 && !pit.write_hi) {
            pit.write_hi = true;
            return true;
        }
        pit.write_hi = false;
        restart();
        return true;
    case PORT_SYS:
        if ((val & 1) && !pit.gate)
            restart();      /* a rising gate restarts the count */
        pit.gate = val & 1;
        pit.sys = val & 0x0f;
        return true;
    default:
        return false;
    }
}
