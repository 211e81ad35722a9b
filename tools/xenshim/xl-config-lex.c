// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tokens of xl config files (see xl-config-lex.h), as Xen's flex lexer
 * (tools/libs/util/libxlu_cfg_l.l) defines them: KEY [a-z][a-z0-9._]*,
 * NUMBER [0-9][0-9a-fx]* (kept as text), STRING '...' or "..." on one line
 * with the escapes \" \' \\ \a \b \f \n \r \t \v, the punctuation
 * = += , [ ] ; and NEWLINE; '#' comments up to the end of the line count as
 * a NEWLINE; blanks are ' ' and '\t'. Any other byte is an error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl-config-lex.h"

int xl_lex_fail(struct lexer *lx, int line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(lx->err, lx->errlen, "%s:%d: ", lx->source, line);

    if (n >= 0 && (size_t)n < lx->errlen) {
        va_start(ap, fmt);
        vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *xl_lex_desc(const struct lexer *lx, char *buf, size_t len)
{
    static const char *const fixed[] = {
        [T_EOF] = "end of file", [T_NL] = "end of line", [T_EQ] = "'='",
        [T_ADD] = "'+='", [T_COMMA] = "','", [T_LBR] = "'['", [T_RBR] = "']'",
        [T_SEMI] = "';'",
    };

    if (lx->tok == T_KEY || lx->tok == T_NUMBER)
        snprintf(buf, len, "'%.40s'", lx->text);
    else if (lx->tok == T_STRING)
        snprintf(buf, len, "string \"%.40s\"", lx->text);
    else
        snprintf(buf, len, "%s", fixed[lx->tok]);
    return buf;
}

static int bad_char(struct lexer *lx)
{
    unsigned char c = (unsigned char)*lx->p;

    if (c == '\r')
        return xl_lex_fail(lx, lx->line, "carriage return: DOS line endings are not "
                    "accepted (xl refuses them too)");
    if (c == '\0')
        return xl_lex_fail(lx, lx->line, "NUL byte in the file");
    if (strchr("+-.():", c))
        return xl_lex_fail(lx, lx->line, "unexpected '%c' (xl configs are key = value "
                    "lines, not Python)", c);
    if (c >= 'A' && c <= 'Z')
        return xl_lex_fail(lx, lx->line, "unexpected '%c' (keys are lower case)", c);
    if (c < 0x20 || c >= 0x7f)
        return xl_lex_fail(lx, lx->line, "unexpected byte 0x%02x", c);
    return xl_lex_fail(lx, lx->line, "unexpected '%c'", c);
}

/* A quoted string at lx->p; its dequoted text into lx->text. */
static int lex_string(struct lexer *lx)
{
    static const char esc_in[] = "\"'\\abfnrtv", esc_out[] = "\"'\\\a\b\f\n\r\t\v";
    char q = *lx->p++, *out;
    const char *s, *e;

    for (e = lx->p; e < lx->end && *e != q && *e != '\n'; e++)
        if (*e == '\\' && e + 1 < lx->end && e[1] != '\n')
            e++;
    if (e >= lx->end || *e != q)
        return xl_lex_fail(lx, lx->line, "unterminated string (expected a closing %c on the "
                    "same line)", q);
    out = lx->text = malloc((size_t)(e - lx->p) + 1);
    if (!out)
        return xl_lex_fail(lx, lx->line, "out of memory");
    for (s = lx->p; s < e; s++) {
        if (*s == '\0')
            return xl_lex_fail(lx, lx->line, "NUL byte in a string");
        if (*s != '\\') {
            *out++ = *s;
            continue;
        }
        s++;
        if (*s && strchr(esc_in, *s)) {
            *out++ = esc_out[strchr(esc_in, *s) - esc_in];
        } else if (*s == 'x' || (*s >= '0' && *s <= '7')) {
            return xl_lex_fail(lx, lx->line, "numeric escape '\\%c' in a string is not "
                        "supported (xl mis-parses it)", *s);
        } else {
            return xl_lex_fail(lx, lx->line, "invalid escape '\\%c' in a string (expected "
                        "one of \\\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v)", *s);
        }
    }
    *out = '\0';
    lx->p = e + 1;
    lx->tok = T_STRING;
    return 0;
}

static int lex_word(struct lexer *lx, enum tok t, const char *accept)
{
    const char *e = lx->p + 1;

    while (e < lx->end && *e && strchr(accept, *e))
        e++;
    lx->text = strndup(lx->p, (size_t)(e - lx->p));
    if (!lx->text)
        return xl_lex_fail(lx, lx->line, "out of memory");
    lx->p = e;
    lx->tok = t;
    return 0;
}

int xl_lex(struct lexer *lx)
{
    char c;

    free(lx->text);
    lx->text = NULL;
    while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
        lx->p++;
    lx->tok_line = lx->line;
    if (lx->p >= lx->end) {
        lx->tok = T_EOF;
        return 0;
    }
    c = *lx->p;
    if (c == '#') {
        while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
        c = '\n';
        if (lx->p >= lx->end) {
            lx->tok = T_NL;
            return 0;
        }
    }
    switch (c) {
    case '\n': lx->p++; lx->line++; lx->tok = T_NL; return 0;
    case '=': lx->p++; lx->tok = T_EQ; return 0;
    case ',': lx->p++; lx->tok = T_COMMA; return 0;
    case '[': lx->p++; lx->tok = T_LBR; return 0;
    case ']': lx->p++; lx->tok = T_RBR; return 0;
    case ';': lx->p++; lx->tok = T_SEMI; return 0;
    case '"': case '\'': return lex_string(lx);
    case '+':
        if (lx->p + 1 < lx->end && lx->p[1] == '=') {
            lx->p += 2;
            lx->tok = T_ADD;
            return 0;
        }
        return bad_char(lx);
    }
    if (c >= 'a' && c <= 'z')
        return lex_word(lx, T_KEY, "abcdefghijklmnopqrstuvwxyz0123456789._");
    if (c >= '0' && c <= '9')
        return lex_word(lx, T_NUMBER, "0123456789abcdefx");
    return bad_char(lx);
}
