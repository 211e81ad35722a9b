// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xl configuration file syntax (see xl-config.h), as Xen's flex lexer
 * (tools/libs/util/libxlu_cfg_l.l) and bison grammar (libxlu_cfg_y.y)
 * define it, re-implemented as a small recursive-descent parser:
 *
 *   file       := { [ assignment ] (NEWLINE | ';') } [ assignment ]
 *   assignment := KEY ('=' | '+=') value
 *   value      := STRING | NUMBER | '[' {NEWLINE} [ items ] ']'
 *   items      := value {NEWLINE} { ',' {NEWLINE} value {NEWLINE} } [ ',' {NEWLINE} ]
 *
 * KEY is [a-z][a-z0-9._]*, NUMBER [0-9][0-9a-fx]* (kept as text: xl reads
 * "512", 0x200 and '512' alike with strtol base 0), STRING is '...' or
 * "..." on one line with the escapes \" \' \\ \a \b \f \n \r \t \v.
 * Blanks are ' ' and '\t'; '#' starts a comment up to the end of the line.
 * Tokens come from xl-config-lex.c.
 *
 * Deliberate differences from xl, each one a clear error or a leniency:
 * numeric escapes (\x41, \101) are refused (xl's dequoting drops or
 * rejects them), and a comment may end the file without a newline (xl
 * needs the newline). The first error stops parsing: one line, with the
 * file and line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xl-config.h"
#include "xl-config-lex.h"

#define MAX_DEPTH 16

static void value_free(struct xlcfg_value *v)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < v->nr_items; i++)
        value_free(v->items[i]);
    free(v->items);
    free(v->str);
    free(v);
}

static int list_reserve(struct xlcfg_value *list, size_t more)
{
    struct xlcfg_value **n;
    size_t cap = list->cap;

    while (cap - list->nr_items < more)
        cap = cap * 2 + 4;
    if (cap == list->cap)
        return 0;
    n = realloc(list->items, cap * sizeof(*n));
    if (!n)
        return -1;
    list->items = n;
    list->cap = cap;
    return 0;
}

static int list_append(struct xlcfg_value *list, struct xlcfg_value *item)
{
    if (list_reserve(list, 1))
        return -1;
    list->items[list->nr_items++] = item;
    return 0;
}

static void skip_newlines(struct lexer *lx, int *rc)
{
    while (!*rc && lx->tok == T_NL)
        *rc = xl_lex(lx);
}

static int parse_value(struct lexer *lx, const char *key, int depth, struct xlcfg_value **out)
{
    struct xlcfg_value *v = calloc(1, sizeof(*v));
    char what[64];
    int rc = 0, open_line = lx->tok_line;

    *out = v;
    if (!v)
        return xl_lex_fail(lx, lx->tok_line, "out of memory");
    v->line = lx->tok_line;
    if (lx->tok == T_STRING || lx->tok == T_NUMBER) {
        v->str = lx->text;
        lx->text = NULL;
        return xl_lex(lx);
    }
    if (lx->tok != T_LBR)
        return xl_lex_fail(lx, lx->tok_line, "expected a value for '%s': \"string\", 'string', "
                    "number or [list]; found %s%s", key, xl_lex_desc(lx, what, sizeof(what)),
                    lx->tok == T_KEY ? " (strings must be quoted)" : "");
    if (depth >= MAX_DEPTH)
        return xl_lex_fail(lx, lx->tok_line, "lists nested more than %d deep", MAX_DEPTH);
    v->is_list = true;
    rc = xl_lex(lx);
    skip_newlines(lx, &rc);
    while (!rc && lx->tok != T_RBR) {
        struct xlcfg_value *item;

        if (lx->tok == T_EOF)
            return xl_lex_fail(lx, lx->tok_line, "expected ']' to close the list of '%s' "
                        "opened on line %d; found end of file", key, open_line);
        rc = parse_value(lx, key, depth + 1, &item);
        if (item && list_append(v, item)) {
            value_free(item);
            return xl_lex_fail(lx, lx->tok_line, "out of memory");
        }
        skip_newlines(lx, &rc);
        if (rc || lx->tok == T_RBR || lx->tok == T_EOF)
            continue;
        if (lx->tok != T_COMMA)
            return xl_lex_fail(lx, lx->tok_line, "expected ',' or ']' in the list of '%s'; "
                        "found %s", key, xl_lex_desc(lx, what, sizeof(what)));
        rc = xl_lex(lx);
        skip_newlines(lx, &rc);
    }
    return rc ? rc : xl_lex(lx);
}

struct xlcfg_setting *xlcfg_find(struct xlcfg *cfg, const char *name)
{
    size_t i;

    for (i = 0; i < cfg->nr; i++)
        if (!strcmp(cfg->settings[i].name, name))
            return &cfg->settings[i];
    return NULL;
}

/* Store "key = v" or "key += v"; takes ownership of key and v. */
static int store(struct lexer *lx, struct xlcfg *cfg, char *key, bool add,
                 struct xlcfg_value *v, int line)
{
    struct xlcfg_setting *s = xlcfg_find(cfg, key), *n;
    size_t i;
    char *cat;

    if (s && add && s->value->is_list != v->is_list) {
        xl_lex_fail(lx, line, "'%s += ...' cannot add a %s to a %s", key,
             v->is_list ? "list" : "string", v->is_list ? "string" : "list");
        goto fail;
    }
    if (s && add && !v->is_list) {
        if (asprintf(&cat, "%s%s", s->value->str, v->str) < 0)
            goto oom;
        free(s->value->str);
        s->value->str = cat;
    } else if (s && add) {
        if (list_reserve(s->value, v->nr_items))
            goto oom;
        for (i = 0; i < v->nr_items; i++)
            s->value->items[s->value->nr_items++] = v->items[i];
        v->nr_items = 0;
    }
    if (s) {
        if (!add) {
            value_free(s->value);
            s->value = v;
            v = NULL;
        }
        value_free(v);
        free(key);
        s->line = line;
        s->source = lx->source;
        s->added = add;
        return 0;
    }
    if (cfg->nr == cfg->cap) {
        n = realloc(cfg->settings, (cfg->cap * 2 + 8) * sizeof(*n));
        if (!n)
            goto oom;
        cfg->settings = n;
        cfg->cap = cfg->cap * 2 + 8;
    }
    cfg->settings[cfg->nr++] = (struct xlcfg_setting){
        .name = key, .value = v, .source = lx->source, .line = line, .added = add,
    };
    return 0;
oom:
    xl_lex_fail(lx, line, "out of memory");
fail:
    value_free(v);
    free(key);
    return -1;
}

static int parse_assignment(struct lexer *lx, struct xlcfg *cfg)
{
    struct xlcfg_value *v;
    char *key = lx->text, what[64];
    bool add;
    int line = lx->tok_line, rc;

    lx->text = NULL;
    if (xl_lex(lx))
        goto fail;
    if (lx->tok != T_EQ && lx->tok != T_ADD) {
        xl_lex_fail(lx, lx->tok_line, "expected '=' or '+=' after '%s'; found %s", key,
             xl_lex_desc(lx, what, sizeof(what)));
        goto fail;
    }
    add = lx->tok == T_ADD;
    if (xl_lex(lx))
        goto fail;
    rc = parse_value(lx, key, 0, &v);
    if (!rc && lx->tok != T_NL && lx->tok != T_SEMI && lx->tok != T_EOF)
        rc = xl_lex_fail(lx, lx->tok_line, "expected end of line or ';' after the value of "
                  "'%s'; found %s", key, xl_lex_desc(lx, what, sizeof(what)));
    if (rc) {
        value_free(v);
        goto fail;
    }
    return store(lx, cfg, key, add, v, line);
fail:
    free(key);
    return -1;
}

int xlcfg_parse(struct xlcfg *cfg, const char *source, const char *text, size_t len,
                char *err, size_t errlen)
{
    struct lexer lx = { .p = text, .end = text + len, .source = source, .line = 1,
                        .err = err, .errlen = errlen };
    char what[64];
    int rc = xl_lex(&lx);

    while (!rc && lx.tok != T_EOF) {
        if (lx.tok == T_NL || lx.tok == T_SEMI)
            rc = xl_lex(&lx);
        else if (lx.tok == T_KEY)
            rc = parse_assignment(&lx, cfg);
        else
            rc = xl_lex_fail(&lx, lx.tok_line, "expected a key (lower case letters, digits, "
                      "'.', '_') at the start of a statement; found %s",
                      xl_lex_desc(&lx, what, sizeof(what)));
    }
    free(lx.text);
    return rc;
}

void xlcfg_free(struct xlcfg *cfg)
{
    size_t i;

    for (i = 0; i < cfg->nr; i++) {
        free(cfg->settings[i].name);
        value_free(cfg->settings[i].value);
    }
    free(cfg->settings);
    memset(cfg, 0, sizeof(*cfg));
}
