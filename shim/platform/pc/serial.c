// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pc platform console: a polled 16550 UART on COM1 (0x3f8). QEMU connects
 * it to the host tool's stdout; polling keeps it usable from any context,
 * including fault dumps.
 */
#include <arch/x86.h>
#include <plat/platform.h>

#define COM1        0x3f8
#define UART_RBR    0   /* receive buffer (DLAB=0) */
#define UART_THR    0   /* transmit holding (DLAB=0) */
#define UART_IER    1
#define UART_FCR    2
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5
#define LSR_DR      0x01
#define LSR_THRE    0x20

void plat_console_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80);    /* DLAB: program the divisor */
    outb(COM1 + 0, 0x01);           /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + UART_LCR, 0x03);    /* 8n1 */
    outb(COM1 + UART_FCR, 0x07);    /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, 0x03);    /* DTR, RTS */
}

static void serial_putc(char c)
{
    unsigned int spins = 100000;

    while (!(inb(COM1 + UART_LSR) & LSR_THRE) && --spins)
        cpu_relax();
    outb(COM1 + UART_THR, (uint8_t)c);
}

void plat_console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

int plat_console_getc(void)
{
    if (!(inb(COM1 + UART_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + UART_RBR);
}

const char *plat_name(void)
{
    return "pc";
}
