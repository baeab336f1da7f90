/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>

#include "config.h"
#include "module-name.h"
#include "util.h"

#define CONFIG_LINE_MAX 4096
#define UNIT_NAME_MAX 255 /* UNIT_NAME_MAX in systemd */
#define WHITESPACE " \t"

#define DEFAULT_KILL_GRACE_SEC 5
#define DEFAULT_ISOLATE_TARGET "multi-user.target"
#define DEFAULT_ISOLATE_TIMEOUT_SEC 90
#define DEFAULT_PANIC_SEC 10
#define DEFAULT_WATCHDOG_SEC 600

enum value_kind {
        VALUE_MODULE_LIST,
        VALUE_UNIT_LIST,
        VALUE_SECONDS,
        VALUE_TARGET,
};

struct config_key {
        const char *section;
        const char *name;
        enum value_kind kind;
        size_t offset;          /* of the field in struct config */
        unsigned min, max, def; /* for VALUE_SECONDS */
};

static const struct config_key config_keys[] = {
        {"Modules", "Unload", VALUE_MODULE_LIST, offsetof(struct config, unload)},
        {"Modules", "Keep", VALUE_MODULE_LIST, offsetof(struct config, keep)},
        {"Holders", "StopUnits", VALUE_UNIT_LIST, offsetof(struct config, stop_units)},
        {"Holders", "KillGraceSec", VALUE_SECONDS, offsetof(struct config, kill_grace_sec), 0, 3600,
         DEFAULT_KILL_GRACE_SEC},
        {"Isolate", "Target", VALUE_TARGET, offsetof(struct config, isolate_target)},
        {"Isolate", "TimeoutSec", VALUE_SECONDS, offsetof(struct config, isolate_timeout_sec), 1,
         86400, DEFAULT_ISOLATE_TIMEOUT_SEC},
        {"Trial", "PanicSec", VALUE_SECONDS, offsetof(struct config, panic_sec), 0, 3600,
         DEFAULT_PANIC_SEC},
        {"Trial", "WatchdogSec", VALUE_SECONDS, offsetof(struct config, watchdog_sec), 0, 86400,
         DEFAULT_WATCHDOG_SEC},
};

/* Where in which file the parser stands, for the error sentence. */
struct parser {
        const char *filename;
        unsigned line;
        const char *section; /* NULL before the first header */
        char **error;
};

static int parser_fail(struct parser *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static int parser_fail(struct parser *p, const char *fmt, ...)
{
        va_list ap;
        int err;

        va_start(ap, fmt);
        err = file_line_error(p->error, p->filename, p->line, fmt, ap);
        va_end(ap);
        return err;
}

void config_init(struct config *c)
{
        *c = (struct config){
                .kill_grace_sec = DEFAULT_KILL_GRACE_SEC,
                /* NULL only when out of memory; config_load() reports that. */
                .isolate_target = strdup(DEFAULT_ISOLATE_TARGET),
                .isolate_timeout_sec = DEFAULT_ISOLATE_TIMEOUT_SEC,
                .panic_sec = DEFAULT_PANIC_SEC,
                .watchdog_sec = DEFAULT_WATCHDOG_SEC,
        };
}

void config_done(struct config *c)
{
        if (!c)
                return;
        strv_free(c->unload);
        strv_free(c->keep);
        strv_free(c->stop_units);
        free(c->isolate_target);
        c->unload = c->keep = c->stop_units = NULL;
        c->isolate_target = NULL;
}

static bool chars_in(const char *s, const char *extra)
{
        for (; *s; s++)
                if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
                    !(*s >= '0' && *s <= '9') && !strchr(extra, *s))
                        return false;
        return true;
}

static bool unit_name_is_valid(const char *s)
{
        static const char *const suffixes[] = {
                ".service", ".socket", ".target", ".device", ".mount", ".automount",
                ".swap",    ".timer",  ".path",   ".slice",  ".scope",
        };
        const char *at = strchr(s, '@');
        const char *dot = strrchr(s, '.');

        if (strlen(s) > UNIT_NAME_MAX || !chars_in(s, ":-_.\\@") || !dot || dot == s)
                return false;
        /* One instance at most, and not a bare template ("foo@.service"): those cannot run. */
        if (at && (at == s || strchr(at + 1, '@') || at + 1 >= dot))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (streq(dot, suffixes[i]))
                        return true;
        return false;
}

static int parse_list(struct parser *p, const struct config_key *k, char *value, char ***list)
{
        char *save = NULL;

        if (!*value) {
                /* An empty assignment drops what earlier lines and files said. */
                strv_free(*list);
                *list = NULL;
                return 0;
        }
        for (char *word = strtok_r(value, WHITESPACE, &save); word;
             word = strtok_r(NULL, WHITESPACE, &save)) {
                int err;

                if (word[0] == '#' || word[0] == ';')
                        return parser_fail(p,
                                           "comments must be on a line of their own, "
                                           "found '%s' in %s=",
                                           word, k->name);
                if (k->kind == VALUE_MODULE_LIST && !module_name_valid(word))
                        return parser_fail(p,
                                           "bad module name '%s' in %s= (letters, digits, "
                                           "'_' and '-', at most %zu)",
                                           word, k->name, MODULE_NAME_MAX);
                if (k->kind == VALUE_UNIT_LIST && !unit_name_is_valid(word))
                        return parser_fail(p,
                                           "bad unit name '%s' in %s= (a full name such as "
                                           "'foo.service')",
                                           word, k->name);
                if (strv_contains(*list, word))
                        continue;
                err = strv_extend(list, word);
                if (err < 0)
                        return err;
        }
        return 0;
}

static int parse_seconds(struct parser *p, const struct config_key *k, const char *value,
                         unsigned *ret)
{
        unsigned v;

        if (!*value) {
                *ret = k->def;
                return 0;
        }
        if (safe_atou(value, &v) < 0 || v < k->min || v > k->max)
                return parser_fail(p, "bad number '%s' in %s= (seconds from %u to %u)", value,
                                   k->name, k->min, k->max);
        *ret = v;
        return 0;
}

static int parse_target(struct parser *p, const struct config_key *k, const char *value,
                        char **target)
{
        char *s;

        if (!*value)
                value = DEFAULT_ISOLATE_TARGET;
        else if (!unit_name_is_valid(value) || !endswith(value, ".target"))
                return parser_fail(p,
                                   "bad target name '%s' in %s= (a unit such as "
                                   "'multi-user.target')",
                                   value, k->name);
        s = strdup(value);
        if (!s)
                return -ENOMEM;
        free(*target);
        *target = s;
        return 0;
}

static int parse_assignment(struct parser *p, char *line, struct config *c)
{
        char *eq = strchr(line, '='), *key = line, *value;
        const struct config_key *k = NULL;
        void *field;

        if (!eq)
                return parser_fail(p, "missing '=' in '%.64s'", line);
        *eq = 0;
        value = eq + 1 + strspn(eq + 1, WHITESPACE);
        for (size_t n = strlen(key); n > 0 && strchr(WHITESPACE, key[n - 1]); n--)
                key[n - 1] = 0;
        if (!*key)
                return parser_fail(p, "missing key before '='");
        if (!p->section)
                return parser_fail(p, "key '%.64s' before any section header", key);
        for (size_t i = 0; i < ELEMENTSOF(config_keys) && !k; i++)
                if (streq(config_keys[i].section, p->section) && streq(config_keys[i].name, key))
                        k = &config_keys[i];
        if (!k)
                return parser_fail(p, "unknown key '%.64s' in [%s]", key, p->section);

        field = (char *)c + k->offset;
        switch (k->kind) {
        case VALUE_MODULE_LIST:
        case VALUE_UNIT_LIST:
                return parse_list(p, k, value, field);
        case VALUE_SECONDS:
                return parse_seconds(p, k, value, field);
        case VALUE_TARGET:
                return parse_target(p, k, value, field);
        }
        return -EINVAL;
}

static int parse_section_header(struct parser *p, char *line)
{
        char *end = strchr(line, ']');

        if (!end)
                return parser_fail(p, "unterminated section header '%.64s'", line);
        if (end[1])
                return parser_fail(p, "text after section header '%.64s'", line);
        *end = 0;
        for (size_t i = 0; i < ELEMENTSOF(config_keys); i++)
                if (streq(config_keys[i].section, line + 1)) {
                        p->section = config_keys[i].section;
                        return 0;
                }
        return parser_fail(p, "unknown section '[%.64s]'", line + 1);
}

/* line is one line without its newline, len bytes long. */
static int parse_line(struct parser *p, const char *text, size_t len, struct config *c)
{
        _cleanup_free_ char *line = NULL;
        char *s;

        if (len > CONFIG_LINE_MAX)
                return parser_fail(p, "line too long (more than %d bytes)", CONFIG_LINE_MAX);
        /* A file written on Windows ends its lines with "\r\n". */
        if (len > 0 && text[len - 1] == '\r')
                len--;
        for (size_t i = 0; i < len; i++)
                if (((unsigned char)text[i] < ' ' && text[i] != '\t') || text[i] == 0x7f)
                        return parser_fail(p, "control character 0x%02x in column %zu",
                                           (unsigned char)text[i], i + 1);

        line = strndup(text, len);
        if (!line)
                return -ENOMEM;
        strip_trailing_space(line);
        s = line + strspn(line, WHITESPACE);
        if (!*s || *s == '#' || *s == ';')
                return 0;
        if (*s == '[')
                return parse_section_header(p, s);
        return parse_assignment(p, s, c);
}

int config_parse(const char *text, const char *filename, struct config *c, char **ret_error)
{
        struct parser p = {.filename = filename, .error = ret_error};

        for (const char *s = text; *s;) {
                size_t len = strcspn(s, "\n");
                int err;

                p.line++;
                err = parse_line(&p, s, len, c);
                if (err < 0)
                        return err;
                s += len;
                if (*s == '\n')
                        s++;
        }
        return 0;
}
