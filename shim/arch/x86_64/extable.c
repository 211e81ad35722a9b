// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lookup in the exception table the linker gathers from .ex_table sections
 * (pairs of absolute addresses: faulting instruction, resume point). The
 * table is tiny, so a linear search is enough.
 */
#include <arch/extable.h>

struct extable_entry {
    uint64_t insn, fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

uint64_t extable_search(uint64_t rip)
{
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
        if (e->insn == rip)
            return e->fixup;
    return 0;
}
