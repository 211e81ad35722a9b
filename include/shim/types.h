/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Basic types and helpers shared by the shim, its host unit tests and the
 * host tool. Nothing here may depend on the build environment.
 */
#ifndef SHIM_TYPES_H
#define SHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t mfn_t;      /* machine frame number (what a PV guest sees) */
typedef uint64_t pfn_t;      /* guest pseudo-physical frame number */
typedef uint64_t paddr_t;    /* machine physical address */
typedef uint64_t guest_va_t; /* virtual address in the guest's address space */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a)     (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)    (((x) + ((a) - 1)) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a)  ((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)  (((x) & ((typeof(x))(a) - 1)) == 0)
#define MIN(a, b)         ((a) < (b) ? (a) : (b))
#define MAX(a, b)         ((a) > (b) ? (a) : (b))
#define BIT(n)            (1ULL << (n))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __noreturn  __attribute__((noreturn))
#define __packed    __attribute__((packed))
#define __aligned(n) __attribute__((aligned(n)))
#define __unused    __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#define READ_ONCE(x)     (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
/* Compiler-only barrier: orders the shim's own accesses, emits nothing. */
#define barrier()        __asm__ __volatile__("" ::: "memory")

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#endif
