/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>

#include "grubcfg.h"
#include "util.h"

/*
 * A reader for the menu part of GRUB's shell language. The lexer follows GRUB's
 * grub-core/script/yylex.l closely enough for generated and hand-written grub.cfg files:
 * blanks separate words; newline and ';' end a command; unquoted '{' and '}' are tokens of
 * their own; '#' at the start of a word comments to the end of the line; backslash-newline
 * joins lines. Nothing is executed: if/while/for bodies are read as if every branch ran
 * (that is how the search lines of generated entries and the UEFI firmware entry are
 * reached), function bodies are skipped, and variables come only from unconditional
 * assignments at top level. Where branches give an entry two linux or initrd lines, the
 * first one counts; a later search replaces an earlier one, as running them in order would.
 */

enum token {
        TOKEN_END, /* newline or ';' */
        TOKEN_EOF,
        TOKEN_LBRACE, /* '{' after the command's words */
        TOKEN_RBRACE,
};

enum frame_kind {
        FRAME_MENUENTRY,
        FRAME_SUBMENU,
        FRAME_OTHER, /* function bodies and anything else in braces */
};

struct frame {
        enum frame_kind kind;
        bool recorded; /* a menu item GRUB would show: its parents are all submenus */
        unsigned line;
        unsigned conditionals; /* if/while/for opened inside this block and not closed */
        char *title, *id;
        char *root_uuid; /* search --set=root in force inside the block */
        char *kernel, *options;
        char **initrds;
};

struct parser {
        const char *p, *end;
        const char *file;
        unsigned line;
        char **vars; /* "name=value" */
        struct frame top;
        struct frame *stack;
        size_t depth;
        struct boot_entry *entries;
        size_t n_entries;
        char *error;
};

static int parse_error(struct parser *ps, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int parse_error(struct parser *ps, unsigned line, const char *fmt, ...)
{
        _cleanup_free_ char *sentence = NULL;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&sentence, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        free(ps->error);
        ps->error = strdup_printf("%s:%u: %s", ps->file ? ps->file : "grub.cfg", line, sentence);
        return ps->error ? -EBADMSG : -ENOMEM;
}

/* A growing string. */
struct buf {
        char *s;
        size_t len, cap;
};

static int buf_add(struct buf *b, char c)
{
        if (b->len + 2 > b->cap) {
                size_t cap = b->cap ? b->cap * 2 : 64;
                char *s = realloc(b->s, cap);
                if (!s)
                        return -ENOMEM;
                b->s = s;
                b->cap = cap;
        }
        b->s[b->len++] = c;
        b->s[b->len] = 0;
        return 0;
}

static int buf_adds(struct buf *b, const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (buf_add(b, s[i]) < 0)
                        return -ENOMEM;
        return 0;
}

static char *buf_take(struct buf *b)
{
        char *s = b->s ? b->s : strdup("");
        *b = (struct buf){};
        return s;
}

static const char *var_get(char *const *vars, const char *name, size_t n)
{
        for (size_t i = 0; vars && vars[i]; i++)
                if (strncmp(vars[i], name, n) == 0 && vars[i][n] == '=')
                        return vars[i] + n + 1;
        return NULL;
}

static void var_unset(char **vars, const char *name, size_t n)
{
        for (size_t i = 0; vars && vars[i]; i++)
                if (strncmp(vars[i], name, n) == 0 && vars[i][n] == '=') {
                        free(vars[i]);
                        memmove(vars + i, vars + i + 1, sizeof(char *) * strv_length(vars + i));
                        return;
                }
}

static bool is_name_start(char c)
{
        return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
        return isalnum((unsigned char)c) || c == '_';
}

/* The length of a variable reference's name at s ("name", "12", "?"), 0 if there is none. */
static size_t var_name_length(const char *s, const char *end)
{
        size_t n = 0;

        if (s >= end)
                return 0;
        if (is_name_start(*s)) {
                while (s + n < end && is_name_char(s[n]))
                        n++;
                return n;
        }
        if (isdigit((unsigned char)*s)) {
                while (s + n < end && isdigit((unsigned char)s[n]))
                        n++;
                return n;
        }
        return strchr("?#*@", *s) ? 1 : 0;
}

/* Reads "$name" or "${name}" at ps->p (which points at '$'). Returns the value (NULL when
 * unset) and advances; returns false when this '$' starts no reference and is literal. */
static bool read_reference(struct parser *ps, const char **ret_value)
{
        const char *s = ps->p + 1;
        size_t n;

        if (s < ps->end && *s == '{') {
                n = var_name_length(s + 1, ps->end);
                if (n == 0 || s + 1 + n >= ps->end || s[1 + n] != '}')
                        return false;
                *ret_value = var_get(ps->vars, s + 1, n);
                ps->p = s + n + 2;
                return true;
        }
        n = var_name_length(s, ps->end);
        if (n == 0)
                return false;
        *ret_value = var_get(ps->vars, s, n);
        ps->p = s + n;
        return true;
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r';
}

struct word {
        struct buf b;
        bool started; /* a field exists, even an empty quoted one */
};

static int field_end(struct word *w, char ***fields)
{
        int r;

        if (!w->started)
                return 0;
        r = strv_push(fields, buf_take(&w->b));
        w->started = false;
        return r;
}

/* An unquoted expansion is split into fields at blanks, as GRUB does. */
static int add_split(struct word *w, const char *value, char ***fields)
{
        for (; value && *value; value++) {
                if (is_blank(*value) || *value == '\n') {
                        if (field_end(w, fields) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (buf_add(&w->b, *value) < 0)
                        return -ENOMEM;
                w->started = true;
        }
        return 0;
}

static int read_single_quoted(struct parser *ps, struct word *w)
{
        unsigned line = ps->line;
        const char *close = memchr(ps->p + 1, '\'', ps->end - ps->p - 1);

        if (!close)
                return parse_error(ps, line, "the quote opened here is never closed");
        for (const char *s = ps->p + 1; s < close; s++)
                if (*s == '\n')
                        ps->line++;
        if (buf_adds(&w->b, ps->p + 1, close - ps->p - 1) < 0)
                return -ENOMEM;
        w->started = true;
        ps->p = close + 1;
        return 0;
}

static int read_double_quoted(struct parser *ps, struct word *w)
{
        unsigned line = ps->line;
        const char *value;

        w->started = true;
        ps->p++;
        while (ps->p < ps->end && *ps->p != '"') {
                char c = *ps->p;

                if (c == '\\' && ps->p + 1 < ps->end && ps->p[1] == '\n') {
                        ps->p += 2;
                        ps->line++;
                        continue;
                }
                if (c == '\\' && ps->p + 1 < ps->end && strchr("\\\"$", ps->p[1])) {
                        c = ps->p[1];
                        ps->p++;
                } else if (c == '$' && read_reference(ps, &value)) {
                        if (value && buf_adds(&w->b, value, strlen(value)) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (c == '\n')
                        ps->line++;
                if (buf_add(&w->b, c) < 0)
                        return -ENOMEM;
                ps->p++;
        }
        if (ps->p >= ps->end)
                return parse_error(ps, line, "the quote opened here is never closed");
        ps->p++;
        return 0;
}

/* Reads one word at ps->p into zero or more fields. */
static int read_word(struct parser *ps, char ***fields)
{
        struct word w = {};
        const char *value;
        int r = 0;

        while (r >= 0 && ps->p < ps->end) {
                char c = *ps->p;

                if (is_blank(c) || strchr("\n;{}", c))
                        break;
                if (c == '\\') {
                        if (ps->p + 1 < ps->end && ps->p[1] == '\n') {
                                ps->line++;
                        } else if (ps->p + 1 < ps->end) {
                                r = buf_add(&w.b, ps->p[1]);
                                w.started = true;
                        }
                        ps->p += ps->p + 1 < ps->end ? 2 : 1;
                } else if (c == '\'') {
                        r = read_single_quoted(ps, &w);
                } else if (c == '"') {
                        r = read_double_quoted(ps, &w);
                } else if (c == '$' && read_reference(ps, &value)) {
                        r = add_split(&w, value, fields);
                } else {
                        r = buf_add(&w.b, c);
                        w.started = true;
                        ps->p++;
                }
        }
        if (r >= 0)
                r = field_end(&w, fields);
        free(w.b.s);
        return r;
}

/* Reads the words of one command up to what ends it. */
static int read_command(struct parser *ps, char ***ret_words, unsigned *ret_line,
                        enum token *ret_token)
{
        _cleanup_strv_free_ char **words = NULL;
        bool first = true;
        int r;

        *ret_line = ps->line;
        for (;;) {
                while (ps->p < ps->end) {
                        if (is_blank(*ps->p)) {
                                ps->p++;
                        } else if (*ps->p == '\\' && ps->p + 1 < ps->end && ps->p[1] == '\n') {
                                ps->p += 2;
                                ps->line++;
                        } else {
                                break;
                        }
                }
                if (ps->p >= ps->end) {
                        *ret_token = TOKEN_EOF;
                        break;
                }
                if (*ps->p == '#') {
                        while (ps->p < ps->end && *ps->p != '\n')
                                ps->p++;
                        continue;
                }
                if (*ps->p == '\n' || *ps->p == ';') {
                        *ret_token = TOKEN_END;
                        if (*ps->p++ == '\n')
                                ps->line++;
                        break;
                }
                if (*ps->p == '{' || *ps->p == '}') {
                        *ret_token = *ps->p++ == '{' ? TOKEN_LBRACE : TOKEN_RBRACE;
                        break;
                }
                if (first)
                        *ret_line = ps->line;
                first = false;
                r = read_word(ps, &words);
                if (r < 0)
                        return r;
        }
        *ret_words = TAKE_PTR(words);
        return 0;
}

static void frame_done(struct frame *f)
{
        free(f->title);
        free(f->id);
        free(f->root_uuid);
        free(f->kernel);
        free(f->options);
        strv_free(f->initrds);
        *f = (struct frame){};
}

static struct frame *current(struct parser *ps)
{
        return ps->depth > 0 ? &ps->stack[ps->depth - 1] : &ps->top;
}

static bool words_are(char **words, const char *first)
{
        return words && words[0] && streq(words[0], first);
}

/* Drops a "(hd0,gpt2)" or "($root)" device from a path. */
static char *strip_device(const char *path)
{
        const char *close;

        if (path[0] == '(' && (close = strchr(path, ')')))
                path = close + 1;
        return strdup(path);
}

/* The linux line's arguments as the kernel sees them: a word with a space is quoted. */
static char *join_options(char **words)
{
        struct buf b = {};

        for (size_t i = 0; words && words[i]; i++) {
                bool space = strchr(words[i], ' ');
                int r = 0;

                if (!*words[i])
                        continue;
                if (b.len > 0)
                        r = buf_add(&b, ' ');
                if (r >= 0 && space)
                        r = buf_add(&b, '"');
                if (r >= 0)
                        r = buf_adds(&b, words[i], strlen(words[i]));
                if (r >= 0 && space)
                        r = buf_add(&b, '"');
                if (r < 0) {
                        free(b.s);
                        return NULL;
                }
        }
        return buf_take(&b);
}

/* The UUID a "search" command sets root to, or NULL when it sets something else. */
static const char *search_root_uuid(char **words)
{
        const char *uuid = NULL, *var = NULL;
        bool by_uuid = false;

        if (words_are(words, "search.fs_uuid"))
                return words[1] && words[2] && streq(words[2], "root") ? words[1] : NULL;
        for (size_t i = 1; words[i]; i++) {
                const char *w = words[i], *v;

                if (streq(w, "--fs-uuid") || streq(w, "-u"))
                        by_uuid = true;
                else if (streq(w, "--set") || streq(w, "-s"))
                        var = "root";
                else if ((v = startswith(w, "--set=")))
                        var = v;
                else if (startswith(w, "--hint") && !strchr(w, '=') && words[i + 1])
                        i++; /* "--hint VALUE" */
                else if (w[0] == '-')
                        continue; /* --no-floppy, --hint-bios=..., -f, -l... */
                else if (!uuid)
                        uuid = w;
        }
        return by_uuid && uuid && streq_ptr(var, "root") ? uuid : NULL;
}

static int set_string(char **p, const char *value)
{
        char *s = strdup(value);

        if (!s)
                return -ENOMEM;
        free(*p);
        *p = s;
        return 0;
}

/* A command inside a menuentry that will be shown. */
static int entry_command(struct frame *f, char **words)
{
        const char *w = words[0], *uuid;

        if (streq(w, "linux") || streq(w, "linuxefi") || streq(w, "linux16")) {
                if (f->kernel || !words[1])
                        return 0; /* the first of alternative branches counts */
                f->kernel = strip_device(words[1]);
                f->options = join_options(words + 2);
                return f->kernel && f->options ? 0 : -ENOMEM;
        }
        if (streq(w, "initrd") || streq(w, "initrdefi") || streq(w, "initrd16")) {
                if (f->initrds || !words[1])
                        return 0;
                f->initrds = calloc(1, sizeof(char *));
                if (!f->initrds)
                        return -ENOMEM;
                for (size_t i = 1; words[i]; i++)
                        if (strv_push(&f->initrds, strip_device(words[i])) < 0)
                                return -ENOMEM;
                return 0;
        }
        if ((streq(w, "search") || streq(w, "search.fs_uuid")) && (uuid = search_root_uuid(words)))
                return set_string(&f->root_uuid, uuid);
        return 0;
}

/* "set name=value" or "name=value" at top level. */
static int assignment(struct parser *ps, char **words)
{
        const char *a, *eq;
        size_t n;

        if (words_are(words, "unset")) {
                for (size_t i = 1; words[i]; i++)
                        var_unset(ps->vars, words[i], strlen(words[i]));
                return 0;
        }
        if (words_are(words, "set") && words[1])
                a = words[1];
        else if (!words[1])
                a = words[0];
        else
                return 0;
        eq = strchr(a, '=');
        n = eq ? (size_t)(eq - a) : 0;
        if (n == 0 || !is_name_start(a[0]) || var_name_length(a, eq) != n)
                return 0;
        var_unset(ps->vars, a, n);
        return strv_extend(&ps->vars, a);
}

/* The entry's place in the menu: components joined with '>', a '>' in one doubled as
 * GRUB_DEFAULT writes it. */
static int path_append(struct buf *b, const char *component)
{
        if (b->len > 0 && buf_add(b, '>') < 0)
                return -ENOMEM;
        for (const char *s = component; *s; s++)
                if ((*s == '>' && buf_add(b, '>') < 0) || buf_add(b, *s) < 0)
                        return -ENOMEM;
        return 0;
}

static int emit_entry(struct parser *ps, struct frame *f)
{
        struct buf title = {}, id = {};
        struct boot_entry *e;
        int r = 0;

        /* The id path takes a level's title where it has no id: GRUB matches each level of
         * "A>B" against the title or the id, and without any ids this is the title path. */
        for (size_t i = 0; i < ps->depth && r >= 0; i++) {
                struct frame *level = &ps->stack[i];
                r = path_append(&title, level->title);
                if (r >= 0)
                        r = path_append(&id, level->id ? level->id : level->title);
        }
        e = r >= 0 ? realloc(ps->entries, sizeof(*e) * (ps->n_entries + 1)) : NULL;
        if (!e) {
                free(title.s);
                free(id.s);
                return -ENOMEM;
        }
        ps->entries = e;
        e = &ps->entries[ps->n_entries++];
        *e = (struct boot_entry){
                .title = buf_take(&title),
                .id = buf_take(&id),
                .kernel = TAKE_PTR(f->kernel),
                .options = TAKE_PTR(f->options),
                .initrds = f->initrds ? TAKE_PTR(f->initrds) : calloc(1, sizeof(char *)),
                .root_uuid = TAKE_PTR(f->root_uuid),
                .file = ps->file ? strdup(ps->file) : NULL,
                .line = f->line,
        };
        if (!e->title || !e->id || !e->initrds || (ps->file && !e->file))
                return -ENOMEM;
        return 0;
}

/* menuentry/submenu options: --class X, --users X, --hotkey X, --source X, --id X,
 * --unrestricted; the title is the first other word. */
static int read_menu_header(struct frame *f, char **words)
{
        static const char *const with_value[] = {"--class", "--users", "--hotkey", "--source"};

        for (size_t i = 1; words[i]; i++) {
                const char *w = words[i], *v;
                bool skip = false;

                for (size_t k = 0; k < ELEMENTSOF(with_value); k++)
                        if (streq(w, with_value[k]))
                                skip = true;
                if (skip) {
                        if (words[i + 1])
                                i++;
                } else if (streq(w, "--id") && words[i + 1]) {
                        if (set_string(&f->id, words[++i]) < 0)
                                return -ENOMEM;
                } else if ((v = startswith(w, "--id="))) {
                        if (set_string(&f->id, v) < 0)
                                return -ENOMEM;
                } else if (startswith(w, "--") && w[2]) {
                        continue; /* --unrestricted, --class=X ... */
                } else if (!f->title) {
                        if (set_string(&f->title, w) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static int open_block(struct parser *ps, char **words, unsigned line)
{
        struct frame *parent, *f, *s;
        bool menu = words_are(words, "menuentry") || words_are(words, "submenu");
        int r = 0;

        s = realloc(ps->stack, sizeof(*s) * (ps->depth + 1));
        if (!s)
                return -ENOMEM;
        ps->stack = s;
        parent = ps->depth > 0 ? &ps->stack[ps->depth - 1] : &ps->top;
        f = &ps->stack[ps->depth++];
        *f = (struct frame){
                .kind = !menu                        ? FRAME_OTHER
                        : streq(words[0], "submenu") ? FRAME_SUBMENU
                                                     : FRAME_MENUENTRY,
                .line = line,
        };
        if (f->kind == FRAME_OTHER || parent->kind != FRAME_SUBMENU || !parent->recorded)
                return 0;
        r = read_menu_header(f, words);
        if (r < 0)
                return r;
        /* GRUB refuses a menuentry without a title: it is not in the menu. */
        f->recorded = f->title;
        if (f->recorded && parent->root_uuid)
                r = set_string(&f->root_uuid, parent->root_uuid);
        return r;
}

static int close_block(struct parser *ps, unsigned line)
{
        struct frame *f;
        int r = 0;

        if (ps->depth == 0)
                return parse_error(ps, line, "'}' without a matching '{'");
        f = &ps->stack[ps->depth - 1];
        if (f->kind == FRAME_MENUENTRY && f->recorded)
                r = emit_entry(ps, f);
        frame_done(f);
        ps->depth--;
        return r;
}

/* Handles if/then/else/fi and loops by counting them and dropping the keywords; returns
 * the words of the command that follows a keyword, or NULL when there is none. */
static char **strip_keywords(struct frame *f, char **words)
{
        while (words && words[0]) {
                const char *w = words[0];

                if (streq(w, "if") || streq(w, "while") || streq(w, "until") || streq(w, "for")) {
                        f->conditionals++;
                        return NULL; /* a condition, never executed here */
                }
                if (streq(w, "elif"))
                        return NULL;
                if (streq(w, "fi") || streq(w, "done")) {
                        if (f->conditionals > 0)
                                f->conditionals--;
                } else if (!streq(w, "then") && !streq(w, "else") && !streq(w, "do")) {
                        return words;
                }
                words++;
        }
        return NULL;
}

static int run_command(struct parser *ps, char **all_words)
{
        struct frame *f = current(ps);
        char **words = strip_keywords(f, all_words);
        const char *uuid;

        if (!words)
                return 0;
        if (!f->recorded)
                return 0;
        if (f->kind == FRAME_MENUENTRY)
                return entry_command(f, words);
        if ((streq(words[0], "search") || streq(words[0], "search.fs_uuid")) &&
            (uuid = search_root_uuid(words)))
                return set_string(&f->root_uuid, uuid);
        if (f == &ps->top && f->conditionals == 0)
                return assignment(ps, words);
        return 0;
}

static int parse(struct parser *ps)
{
        _cleanup_strv_free_ char **pending = NULL;
        unsigned pending_line = 0;

        for (;;) {
                _cleanup_strv_free_ char **words = NULL;
                enum token token;
                unsigned line;
                int r;

                r = read_command(ps, &words, &line, &token);
                if (r < 0)
                        return r;
                /* "menuentry 'X'" may have its '{' on a following line. */
                if (pending && !words && token == TOKEN_LBRACE) {
                        words = TAKE_PTR(pending);
                        line = pending_line;
                } else if (pending && !words && token == TOKEN_END) {
                        continue;
                }
                strv_free(TAKE_PTR(pending));

                if (token == TOKEN_LBRACE) {
                        char **header = strip_keywords(current(ps), words);
                        r = open_block(ps, header ? header : words, line);
                } else if (words && token == TOKEN_END &&
                           (words_are(words, "menuentry") || words_are(words, "submenu") ||
                            words_are(words, "function"))) {
                        pending = TAKE_PTR(words);
                        pending_line = line;
                } else if (words) {
                        r = run_command(ps, words);
                }
                if (r >= 0 && token == TOKEN_RBRACE)
                        r = close_block(ps, ps->line);
                if (r < 0)
                        return r;
                if (token == TOKEN_EOF)
                        break;
        }
        if (ps->depth > 0) {
                struct frame *f = &ps->stack[ps->depth - 1];
                if (f->kind == FRAME_OTHER || !f->title)
                        return parse_error(ps, f->line, "the '{' on this line is never closed");
                return parse_error(ps, f->line, "%s '%s' is never closed with '}'",
                                   f->kind == FRAME_SUBMENU ? "submenu" : "menuentry", f->title);
        }
        return 0;
}

int grub_cfg_parse(const char *text, const char *file, struct boot_entry **ret, size_t *ret_n,
                   char **ret_error)
{
        struct parser ps = {
                .p = text,
                .end = text + strlen(text),
                .file = file,
                .line = 1,
                /* The menu itself: commands there act like those in a submenu's body. */
                .top = {.kind = FRAME_SUBMENU, .recorded = true},
        };
        int r;

        /* Every GRUB since 2.00 has feature_menuentry_id: its grub.cfg passes the id as
         * "$menuentry_id_option 'ID'", set inside an if. */
        r = strv_extend(&ps.vars, "menuentry_id_option=--id");
        if (r >= 0)
                r = parse(&ps);

        while (ps.depth > 0)
                frame_done(&ps.stack[--ps.depth]);
        free(ps.stack);
        frame_done(&ps.top);
        strv_free(ps.vars);
        if (ret_error)
                *ret_error = r == -EBADMSG ? TAKE_PTR(ps.error) : NULL;
        free(ps.error);
        if (r < 0) {
                boot_entries_free(ps.entries, ps.n_entries);
                return r;
        }
        *ret = ps.entries;
        *ret_n = ps.n_entries;
        return 0;
}

/* Splits a menu path at each '>' that is not doubled; ">>" stands for '>'. */
static char **path_split(const char *path)
{
        _cleanup_strv_free_ char **parts = calloc(1, sizeof(char *));
        struct buf b = {};

        if (!parts)
                return NULL;
        for (const char *s = path;; s++) {
                if (*s == '>' && s[1] == '>') {
                        s++;
                } else if (*s == '>' || *s == 0) {
                        if (strv_push(&parts, buf_take(&b)) < 0)
                                return NULL;
                        if (*s == 0)
                                break;
                        continue;
                }
                if (buf_add(&b, *s) < 0) {
                        free(b.s);
                        return NULL;
                }
        }
        return TAKE_PTR(parts);
}

struct menu_path {
        char **titles, **ids;
        size_t depth;
};

/* Whether entries a and b sit in the same submenu at level d. */
static bool same_submenu(const struct menu_path *a, const struct menu_path *b, size_t d)
{
        return a->depth > d + 1 && b->depth > d + 1 && streq(a->titles[d], b->titles[d]) &&
               streq(a->ids[d], b->ids[d]);
}

/*
 * The list is flat, so the menu's shape comes from the entries' paths: at level d, an item
 * is an entry whose path ends there, or a run of consecutive entries in the same submenu.
 * (An empty submenu leaves no entries and so takes no number.)
 */
static int find_in(const struct menu_path *paths, size_t lo, size_t hi, char **want, size_t d)
{
        size_t item = 0;

        while (lo < hi) {
                const struct menu_path *p = &paths[lo];
                bool leaf = p->depth == d + 1;
                size_t next = lo + 1;
                bool match;

                if (p->depth <= d)
                        return -ENOENT;
                while (!leaf && next < hi && same_submenu(p, &paths[next], d))
                        next++;
                if (all_digits(want[d]))
                        match = strtoull(want[d], NULL, 10) == item;
                else
                        match = streq(want[d], p->titles[d]) || streq(want[d], p->ids[d]);
                if (match) {
                        if (!want[d + 1])
                                return (int)lo; /* a submenu: GRUB opens it at its first entry */
                        return leaf ? -ENOENT : find_in(paths, lo, next, want, d + 1);
                }
                item++;
                lo = next;
        }
        return -ENOENT;
}

int grub_find_entry(const struct boot_entry *entries, size_t n, const char *what)
{
        _cleanup_strv_free_ char **want = NULL;
        struct menu_path *paths;
        int r = 0;

        if (!what || !*what || n == 0 || n > INT_MAX)
                return -ENOENT;
        want = path_split(what);
        paths = calloc(n, sizeof(*paths));
        if (!want || !paths) {
                free(paths);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                paths[i].titles = path_split(entries[i].title ? entries[i].title : "");
                paths[i].ids = path_split(entries[i].id ? entries[i].id : "");
                if (paths[i].ids && paths[i].titles &&
                    strv_length(paths[i].ids) != strv_length(paths[i].titles)) {
                        /* Not an id path made by grub_cfg_parse(): match on titles alone. */
                        strv_free(paths[i].ids);
                        paths[i].ids = strv_copy(paths[i].titles);
                }
                if (!paths[i].titles || !paths[i].ids)
                        r = -ENOMEM;
                else
                        paths[i].depth = strv_length(paths[i].titles);
        }
        if (r >= 0)
                r = find_in(paths, 0, n, want, 0);
        for (size_t i = 0; i < n; i++) {
                strv_free(paths[i].titles);
                strv_free(paths[i].ids);
        }
        free(paths);
        return r;
}
