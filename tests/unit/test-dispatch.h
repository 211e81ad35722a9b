/* SPDX-License-Identifier: GPL-2.0-only */
/* The dispatch test's parts (test-dispatch*.c), collected in test-dispatch.c. */
#ifndef TEST_DISPATCH_H
#define TEST_DISPATCH_H

void test_xen_version(void **state);
void test_xen_version_features(void **state);
void test_xen_version_faults(void **state);
void test_console_io(void **state);
#define DISPATCH_VERSION_TESTS \
    cmocka_unit_test_setup(test_xen_version, dispatch_setup), \
    cmocka_unit_test_setup(test_xen_version_features, dispatch_setup), \
    cmocka_unit_test_setup(test_xen_version_faults, dispatch_setup), \
    cmocka_unit_test_setup(test_console_io, dispatch_setup)

void test_set_trap_table(void **state);
void test_set_trap_table_errors(void **state);
void test_callback_op(void **state);
void test_callback_unregister(void **state);
void test_set_callbacks(void **state);
void test_vm_assist(void **state);
void test_cpu_state(void **state);
void test_physdev(void **state);
#define DISPATCH_CPU_TESTS \
    cmocka_unit_test_setup(test_set_trap_table, dispatch_setup), \
    cmocka_unit_test_setup(test_set_trap_table_errors, dispatch_setup), \
    cmocka_unit_test_setup(test_callback_op, dispatch_setup), \
    cmocka_unit_test_setup(test_callback_unregister, dispatch_setup), \
    cmocka_unit_test_setup(test_set_callbacks, dispatch_setup), \
    cmocka_unit_test_setup(test_vm_assist, dispatch_setup), \
    cmocka_unit_test_setup(test_cpu_state, dispatch_setup), \
    cmocka_unit_test_setup(test_physdev, dispatch_setup)

void test_sched_op(void **state);
void test_sched_shutdown(void **state);
void test_memory_reservation(void **state);
void test_memory_map(void **state);
void test_machphys(void **state);
void test_balloon(void **state);
#define DISPATCH_MEM_TESTS \
    cmocka_unit_test_setup(test_sched_op, dispatch_setup), \
    cmocka_unit_test_setup(test_sched_shutdown, dispatch_setup), \
    cmocka_unit_test_setup(test_memory_reservation, dispatch_setup), \
    cmocka_unit_test_setup(test_memory_map, dispatch_setup), \
    cmocka_unit_test_setup(test_machphys, dispatch_setup), \
    cmocka_unit_test_setup(test_balloon, dispatch_setup)

#endif
