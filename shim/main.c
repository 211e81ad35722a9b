// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shim's boot sequence: console, memory split, own page tables and
 * descriptor tables, time, then build the one PV domain from the boot
 * modules and enter it. Nothing here returns: the machine ends when the
 * guest shuts down or the shim panics.
 */
#include <arch/cpu-init.h>
#include <arch/desc.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <arch/percpu.h>
#include <arch/smp.h>
#include <arch/traps.h>
#include <arch/x86.h>
#include <plat/platform.h>
#include <shim/blk-selftest.h>
#include <shim/blkback.h>
#include <shim/netback.h>
#include <shim/net-selftest.h>
#include <shim/boot-info.h>
#include <shim/frame.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <shim/pv-build.h>

void shim_main(uint32_t magic, uint32_t info_pa);

static struct boot_info boot_info;

static void frame_table_setup(void)
{
    mfn_t nr = machine_mem.max_phys >> PAGE_SHIFT;
    size_t bytes = nr * sizeof(struct frame_info);
    struct frame_info *ft = alloc_pages_virt(ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT);

    frame_table_init(ft, nr);
    /* All RAM is the shim's until the builder hands the guest its block. */
    for (unsigned int i = 0; i < boot_info.nr_ram; i++)
        frame_set_owner(boot_info.ram[i].start >> PAGE_SHIFT,
                        (boot_info.ram[i].end - boot_info.ram[i].start) >> PAGE_SHIFT,
                        FRAME_OWNER_SHIM);
}

void shim_main(uint32_t magic, uint32_t info_pa)
{
    struct shim_options opt;
    struct pv_build_input in = { 0 };
    struct domain *d = &the_domain;
    char err[128];

    plat_console_init();
    log_info("xenshim starting on the %s platform\n", plat_name());
    percpu_init_boot_cpu();
    shim_lock();                /* held until the guest first runs */
    boot_info_parse(magic, info_pa, &boot_info);
    log_info("command line: %s\n", boot_info.cmdline);
    if (shim_options_parse(boot_info.cmdline, &opt, err, sizeof(err)))
        panic("%s\n", err);
    if (boot_info.nr_mods < 1)
        panic("no guest kernel: boot module 1 must be the PV kernel\n");

    memory_init(&boot_info, opt.guest_mib << (20 - PAGE_SHIFT));
    paging_init(machine_mem.max_phys);
    frame_table_setup();
    desc_init_cpu(0);
    traps_init_cpu(0);
    cpu_features_init();
    plat_time_init();
    smp_boot_cpus(opt.vcpus);
    plat_devices_init();
    if (opt.blktest)
        blk_selftest();
    if (opt.nettest)
        net_selftest();

    d->domid = 1;
    d->nr_pages = machine_mem.guest_nr_frames;
    d->first_mfn = machine_mem.guest_first_mfn;
    d->trace_hypercalls = opt.trace_hypercalls;
    in.kernel = phys_to_virt(boot_info.mods[0].start);
    in.kernel_size = boot_info.mods[0].end - boot_info.mods[0].start;
    if (boot_info.nr_mods >= 2) {
        in.initrd = phys_to_virt(boot_info.mods[1].start);
        in.initrd_size = boot_info.mods[1].end - boot_info.mods[1].start;
    }
    in.cmdline = opt.guest_cmdline;
    in.nr_vcpus = opt.vcpus;
    pv_build_domain(d, &in);
    blkback_init(d, opt.vbds, opt.nr_vbds);
    netback_init(d, opt.vifs, opt.nr_vifs);
    log_info("shim memory: %lu KiB allocated, image %lu KiB\n",
             (unsigned long)(shim_allocated_bytes() >> 10),
             (unsigned long)((boot_info.occupied_end - SHIM_LOAD_PHYS) >> 10));
    log_info("starting the guest\n");
    arch_enter_guest(&d->vcpus[0]);
}
