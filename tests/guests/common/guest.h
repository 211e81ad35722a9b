/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Everything a test guest's main.c needs: the Xen ABI, hypercalls, console
 * output, result reporting, traps and page-table helpers.
 *
 * A test defines test_main() and TEST_DESC(); common/setup.c maps
 * shared_info, installs the trap table, runs test_main() and then prints
 * the one "Test result:" line and shuts the domain down.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen-public/xen.h>
#include "hypercall.h"

#define PAGE_SIZE        4096UL
#define PAGE_SHIFT       12
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define __aligned(n)     __attribute__((aligned(n)))
#define __noreturn       __attribute__((noreturn))
#define __printf(a, b)   __attribute__((format(printf, a, b)))
#define __page_aligned_bss __attribute__((section(".bss.page_aligned"), aligned(4096)))

/* ---- lib.c --------------------------------------------------------------- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
const char *strstr(const char *hay, const char *needle);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* ---- console.c ----------------------------------------------------------- */
/* Writes through HYPERVISOR_console_io(CONSOLEIO_write) ([H:xen.h]). */
void console_write(const char *s, size_t len);
void printk(const char *fmt, ...) __printf(1, 2);

/* ---- test.c: result reporting ------------------------------------------- */
enum test_status { TEST_SUCCESS, TEST_SKIP, TEST_FAILURE, TEST_ERROR };

struct test_desc {
    const char *name;
    const char *title;
    unsigned int flags;
};
/* Skip shared_info mapping and trap table: console + shutdown only. */
#define TEST_BARE 1u

#define TEST_DESC(name_, title_, flags_) \
    const struct test_desc test_desc = { name_, title_, flags_ }

extern const struct test_desc test_desc;
void test_main(void);

/* Record an outcome (the worst one wins) with a diagnostic line. */
void test_fail(const char *fmt, ...) __printf(1, 2);
void test_error(const char *fmt, ...) __printf(1, 2);
void test_skip(const char *fmt, ...) __printf(1, 2);
/* Print "Test result: X" once and shut down (poweroff or crash). */
__noreturn void test_exit(void);
__noreturn void guest_shutdown(unsigned int reason);

/* Check a hypercall result against the exact expected value. */
#define CHECK_RC(what, got, want)                                          \
    check_rc(__LINE__, what, (long)(got), (long)(want))
bool check_rc(int line, const char *what, long got, long want);

/* ---- setup.c -------------------------------------------------------------- */
extern start_info_t *start_info;
extern shared_info_t *shared_info;
/*
 * This vCPU's vcpu_info: &shared_info->vcpu_info[0] until a test moves it
 * with VCPUOP_register_vcpu_info (and then updates this pointer).
 */
extern struct vcpu_info *vcpu_info;

/* ---- mm.c: address translation and page tables --------------------------- */
#define GUEST_VIRT_BASE 0xffffffff80000000UL
#define PTE_P     0x001ULL
#define PTE_RW    0x002ULL
#define PTE_US    0x004ULL
#define PTE_PWT   0x008ULL
#define PTE_PCD   0x010ULL
#define PTE_A     0x020ULL
#define PTE_D     0x040ULL
#define PTE_PSE   0x080ULL
#define PTE_G     0x100ULL
#define PTE_NX    (1ULL << 63)
#define PTE_ADDR  0x000ffffffffff000ULL

unsigned long pfn_to_mfn(unsigned long pfn);
unsigned long mfn_to_pfn(unsigned long mfn);
unsigned long virt_to_pfn(const void *va);
unsigned long virt_to_mfn(const void *va);
uint64_t virt_to_maddr(const void *va);
void *pfn_to_virt(unsigned long pfn);
/* VA in the initial mapping of a guest frame, or NULL if not the guest's. */
void *mfn_to_virt(unsigned long mfn);
/*
 * Walk the page tables rooted at the L4 at root_va down to `level` (4..1)
 * for va. Returns the VA of the entry (read-only: it lives in a page table)
 * or NULL if a level above is not present; *maddr gets its machine
 * address, the `ptr` that mmu_update wants.
 */
const uint64_t *pt_walk(const void *root_va, unsigned long va, int level,
                        uint64_t *maddr);
/* Same, in the builder's tables (start_info->pt_base). */
const uint64_t *l1e_of(const void *va, uint64_t *maddr);
/* Remap a page of the initial mapping RO or RW with update_va_mapping. */
long set_page_writable(void *va, bool rw);

/* ---- time.c: pvclock time and bounded waits --------------------------- */
/* System time in ns from this vCPU's vcpu_time_info. */
uint64_t guest_now_ns(void);
/* Poll done(arg), yielding between tries, for up to ms milliseconds;
 * true once it says so, false on timeout. */
bool guest_wait(bool (*done)(void *), void *arg, unsigned int ms);

/* ---- xenstore.c: a polling xenstore client (no watches, no transactions) */
/* Find the store ring (start_info); 0 or -XEN_EINVAL. */
int xs_init(void);
/* One request of type XS_* with payload; the reply (at most size bytes)
 * in reply. Returns its length, -XEN_E* from an XS_ERROR reply (ENOENT,
 * EACCES, ... by name; -XEN_EIO for others), or -XEN_ETIMEDOUT. */
long xs_request(uint32_t type, const void *payload, uint32_t len, char *reply,
                uint32_t size);
/* XS_READ into buf (NUL-terminated); the value's length or -XEN_E*. */
long xs_read(const char *path, char *buf, size_t size);
/* XS_WRITE of a string value; 0 or -XEN_E*. */
long xs_write(const char *path, const char *value);
long xs_printf(const char *path, const char *fmt, ...) __printf(2, 3);
/* XS_DIRECTORY: NUL-separated child names in buf; their total length. */
long xs_directory(const char *path, char *buf, size_t size);
/* A decimal value; 0, -XEN_EINVAL if not a number, or -XEN_E*. */
long xs_read_uint(const char *path, unsigned long *out);

/* ---- xenbus.c: the frontend's side of the xenbus states ------------------ */
/* dir/state as a number (XenbusState*), or -1 if unreadable. */
long xb_state(const char *dir);
/* Write dir/state; 0 or -XEN_E*. */
long xb_switch(const char *dir, unsigned int state);
/* Wait up to 5 s for dir/state to be a or b; returns the state then. */
long xb_wait_state2(const char *dir, unsigned int a, unsigned int b);
/* Wait up to 5 s for dir/state == state; true if it got there. */
bool xb_wait_state(const char *dir, unsigned int state);
/* The first device/<class>/<id> (fe, relative) and its backend directory
 * (be); waits for the backend's InitWait. 0 or -XEN_E*. */
long xb_probe(const char *class, char *fe, size_t fe_size, char *be, size_t be_size);
/* Frontend Closing, Closed, Initialising, waiting each time for the backend
 * to follow (Closing, Closed, InitWait); true if it did. */
bool xb_reset(const char *fe, const char *be);

/* ---- traps.c ---------------------------------------------------------------- */
#include "traps.h"

#endif
