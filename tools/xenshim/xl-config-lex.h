/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tokenizer of xl config files (xl-config-lex.c), internal to the
 * parser in xl-config.c. Tokens as Xen's libxlu_cfg_l.l defines them.
 */
#ifndef XENSHIM_XL_CONFIG_LEX_H
#define XENSHIM_XL_CONFIG_LEX_H

#include <stddef.h>

enum tok { T_EOF, T_NL, T_KEY, T_NUMBER, T_STRING, T_EQ, T_ADD, T_COMMA, T_LBR, T_RBR,
           T_SEMI };

struct lexer {
    const char *p, *end, *source;
    int line;
    enum tok tok;       /* the current token */
    int tok_line;
    char *text;         /* its text (T_KEY, T_NUMBER, T_STRING), owned */
    char *err;
    size_t errlen;
};

/* Write "source:line: <message>" to lx->err. Returns -1. */
int xl_lex_fail(struct lexer *lx, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The current token, for "found ..." in messages. */
const char *xl_lex_desc(const struct lexer *lx, char *buf, size_t len);

/* Advance to the next token. Returns 0, or -1 with the error in lx->err. */
int xl_lex(struct lexer *lx);

#endif
