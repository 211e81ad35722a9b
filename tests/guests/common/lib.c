// SPDX-License-Identifier: GPL-2.0-only
/*
 * Freestanding string functions and a small vsnprintf for the test guests.
 * Compilers may emit calls to memset/memcpy/memcmp for struct copies, so
 * these carry the standard names.
 *
 * Formats: %c %s %d %i %u %x %X %p %%, flags '#' '0' '-', a field width,
 * and the l/ll/z length modifiers.
 */
#include "guest.h"

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while (n--)
        *p++ = (unsigned char)c;
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;

    while (n--)
        *dp++ = *sp++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a, *pb = b;

    for (; n; n--, pa++, pb++)
        if (*pa != *pb)
            return *pa - *pb;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

const char *strstr(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++)
        if (!memcmp(hay, needle, n))
            return hay;
    return n ? NULL : hay;
}

struct outbuf {
    char *buf;
    size_t size, len;
};

static void out_c(struct outbuf *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_num(struct outbuf *o, unsigned long long v, unsigned int base,
                    bool neg, bool upper, bool alt, int width, bool zero,
                    bool left)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, len, pad;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);

    len = n + (neg ? 1 : 0) + (alt ? 2 : 0);
    pad = width > len ? width - len : 0;
    if (!left && !zero)
        for (; pad; pad--)
            out_c(o, ' ');
    if (neg)
        out_c(o, '-');
    if (alt) {
        out_c(o, '0');
        out_c(o, upper ? 'X' : 'x');
    }
    if (!left && zero)
        for (; pad; pad--)
            out_c(o, '0');
    while (n)
        out_c(o, tmp[--n]);
    for (; pad; pad--)
        out_c(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        bool alt = false, zero = false, left = false;
        int width = 0, lng = 0;
        unsigned long long v;
        const char *s;

        if (*fmt != '%') {
            out_c(&o, *fmt);
            continue;
        }
        for (fmt++;; fmt++) {
            if (*fmt == '#')
                alt = true;
            else if (*fmt == '0')
                zero = true;
            else if (*fmt == '-')
                left = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') {
            lng++;
            fmt++;
        }

        switch (*fmt) {
        case 'c':
            out_c(&o, (char)va_arg(ap, int));
            break;
        case 's':
            s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            for (width -= (int)strlen(s); !left && width > 0; width--)
                out_c(&o, ' ');
            while (*s)
                out_c(&o, *s++);
            for (; width > 0; width--)
                out_c(&o, ' ');
            break;
        case 'd':
        case 'i': {
            long long sv = lng ? va_arg(ap, long long) : va_arg(ap, int);

            v = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
            out_num(&o, v, 10, sv < 0, false, false, width, zero, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
            out_num(&o, v, *fmt == 'u' ? 10 : 16, false, *fmt == 'X',
                    alt && v, width, zero, left);
            break;
        case 'p':
            v = (unsigned long)va_arg(ap, void *);
            out_num(&o, v, 16, false, false, true, width, zero, left);
            break;
        case '%':
            out_c(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            out_c(&o, '%');
            out_c(&o, *fmt);
            break;
        }
    }
    if (o.size)
        o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
