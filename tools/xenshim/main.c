// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenshim host tool: runs one Xen PV kernel under the shim in QEMU
 * (`run`, run.c), tells whether the shim can run a kernel (`inspect`),
 * or boots it with a test initramfs and writes a report (`certify`).
 * Exit statuses are XENSHIM_RC_* (include/shim/exit-status.h).
 */
#include <stdio.h>
#include <string.h>

#include <shim/exit-status.h>

#include "certify.h"
#include "xenshim.h"

const char xenshim_usage[] =
    "usage: xenshim run --kernel FILE [options]   boot a Xen PV kernel under the shim\n"
    "       xenshim run GUEST.cfg [KEY=VALUE...] [options]\n"
    "                                           boot the guest an xl config describes\n"
    "       xenshim inspect KERNEL              show its Xen notes; exit 0 if runnable\n"
    "       xenshim certify KERNEL [options]    boot it with a test initramfs, write a report\n"
    "       xenshim --help\n"
    "\n"
    "run options (with a config they override its keys; --disk/--vif add devices):\n"
    "  --kernel FILE     PV kernel: ELF (vmlinux) or bzImage (LZ4 payload)\n"
    "  --initrd FILE     initial ramdisk\n"
    "  --cmdline STR     guest kernel command line\n"
    "  --memory MIB      guest memory in MiB (default 256; config: memory=, else 32)\n"
    "  --vcpus N         guest vCPUs, 1 to 8, each on its own QEMU CPU (default 1)\n"
    "  --disk SPEC       xl disk spec, e.g. 'disk.img,raw,xvda,rw' (repeatable)\n"
    "  --vif SPEC        xl vif spec, e.g. 'mac=00:16:3e:00:00:01' or '' (repeatable);\n"
    "                    bridge=NAME uses qemu-bridge-helper, else QEMU user networking\n"
    "  --hostfwd RULE    forward to the first user-net vif, e.g. tcp::2222-:22 (repeatable)\n"
    "  --trace           shim hypercall tracing (trace=1)\n"
    "  --timeout SEC     stop QEMU after SEC seconds, exit 124 (default 600, 0: none)\n"
    "  --dry-run         print the QEMU command line and exit\n"
    "  --shim FILE       shim image (default: xenshim.elf beside this tool)\n"
    "  --qemu-arg ARG    extra QEMU argument (repeatable)\n"
    "  --no-progress     no boot progress line on stderr (drawn only when stderr is a\n"
    "                    terminal that is not also stdout)\n"
    "\n"
    "certify options (report: OUT/report.md, OUT/report.xml; console: OUT/console.log):\n"
    "  --initrd FILE     test initramfs (default: built by certify-initramfs.sh beside\n"
    "                    this tool, with the modules of KERNEL's tree)\n"
    "  --modules DIR     kernel module tree (default: .../boot/vmlinuz-V -> .../lib/modules/V)\n"
    "  --out DIR         report directory (default build/certify)\n"
    "  --timeout SEC     stop the guest after SEC seconds (default 300)\n"
    "  --memory MIB      guest memory (default 256)\n"
    "  --no-disk         attach no scratch disk (blkfront is skipped)\n"
    "  --no-net          attach no vif (netfront is skipped)\n"
    "  --shim FILE, --no-progress   as for run\n"
    "\n"
    "GUEST.cfg is an xl domain config (xl.cfg(5)): type=\"pv\", name, kernel, ramdisk,\n"
    "cmdline/root/extra, memory, maxmem, vcpus, disk, vif, on_poweroff, on_reboot,\n"
    "on_crash, on_watchdog (restart: at most 10 times), uuid; other keys are ignored\n"
    "with a warning. KEY=VALUE arguments are config lines appended to it, as in xl.\n"
    "\n"
    "environment: XENSHIM_QEMU (QEMU binary, default qemu-system-x86_64), TMPDIR\n"
    "exit status: 0 guest powered off, 1 usage/bad input, 2 guest crashed,\n"
    "  3 shim panic, 4 guest reboot, 5 suspend/soft reset, 6 watchdog,\n"
    "  7 QEMU failed or no verdict, 124 timeout\n"
    "certify exit status: 0 no check failed, 1 nothing could be run, 2 a check failed\n";

int main(int argc, char **argv)
{
    const char *argv0 = argc > 0 ? argv[0] : "xenshim";

    if (argc < 2) {
        fputs(xenshim_usage, stderr);
        return XENSHIM_RC_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(xenshim_usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1, argv0);
    if (!strcmp(argv[1], "inspect"))
        return cmd_inspect(argc - 1, argv + 1);
    if (!strcmp(argv[1], "certify"))
        return cmd_certify(argc - 1, argv + 1, argv0);
    msg("unknown command '%s' (see xenshim --help)", argv[1]);
    return XENSHIM_RC_USAGE;
}
