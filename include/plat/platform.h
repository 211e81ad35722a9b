/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What generic shim code asks of the real machine. Each platform under
 * shim/platform/<name>/ implements these; the Makefile links exactly one, so
 * generic code never tests which platform it runs on.
 */
#ifndef PLAT_PLATFORM_H
#define PLAT_PLATFORM_H

#include <shim/types.h>

/* Early, polled console for the shim's own log (serial on pc). */
void plat_console_init(void);
void plat_console_write(const char *s, size_t len);
/* Non-blocking read of one input byte; -1 when none is waiting. */
int plat_console_getc(void);

/* Calibrate time sources and bring up the timer interrupt. */
void plat_time_init(void);
/* Nanoseconds since plat_time_init, from the TSC. */
uint64_t plat_now_ns(void);
uint64_t plat_tsc_hz(void);
/* TSC value at which plat_now_ns() was 0. */
uint64_t plat_tsc_at_boot(void);
/* Wall-clock seconds since the epoch at the moment plat_time_init ran. */
uint64_t plat_boot_wallclock_sec(void);
/* Arm the one-shot timer interrupt for absolute time deadline_ns (0 = off). */
void plat_timer_set(uint64_t deadline_ns);
/* Acknowledge the timer interrupt. */
void plat_timer_ack(void);
/* Interrupt vector the platform timer uses. */
#define PLAT_TIMER_VECTOR 0xf0
#define PLAT_SPURIOUS_VECTOR 0xff

/*
 * Device interrupts (block, network) use vectors FIRST..LAST, below 0x80
 * (the guest's int $0x80 gate). Trap entry calls plat_irq for them, with
 * interrupts off, whether the guest or the idle shim (sti;hlt) was
 * interrupted; it runs the device's handler and acknowledges the interrupt.
 * A vector nobody owns is fatal. Their gates have DPL 0, so the guest cannot
 * raise them with int $n.
 */
#define PLAT_IRQ_VECTOR_FIRST 0x30
#define PLAT_IRQ_VECTOR_LAST  0x7f
void plat_irq(unsigned int vector);

/*
 * CPUs. CPU n is started with plat_start_cpu(n, page): the platform sends
 * it the start-up sequence aimed at real-mode code at page << 12 (below
 * 1 MiB). A started CPU calls plat_cpu_init once. Interrupts between CPUs
 * carry a vector only; plat_irq_eoi acknowledges one (or any interrupt
 * whose handler did not).
 */
void plat_start_cpu(unsigned int cpu, unsigned int page);
void plat_cpu_init(void);
/* This CPU's interrupt-controller id (what plat_send_ipi takes). */
uint32_t plat_cpu_apic_id(void);
/* Interrupt CPU cpu (whose interrupt-controller id is apic_id) with vector. */
void plat_send_ipi(unsigned int cpu, uint32_t apic_id, unsigned int vector);
/*
 * Flush every TLB entry of the CPUs in cpu_mask (bit n = CPU n) through the
 * real hypervisor, if it offers that (Hyper-V's flush hypercall): 0 once
 * they are flushed, else an error and the caller interrupts them itself.
 */
int plat_flush_tlb_cpus(uint64_t cpu_mask);
void plat_irq_eoi(void);

/* Find and start the machine's devices (disks, NICs); after plat_time_init. */
void plat_devices_init(void);

/* Stop the machine with a SHIM_EXIT_* verdict. */
void plat_exit(unsigned int verdict) __noreturn;
/* The platform's name, for the log. */
const char *plat_name(void);

#endif
