/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"
#include "plan.h"
#include "running-kernel.h"
#include "util.h"

static const char *source_words(const char *source)
{
        if (!source)
                return "";
        if (streq(source, SOURCE_OPTION))
                return "given with --kernel";
        if (streq(source, SOURCE_BOOT_IMAGE))
                return "the BOOT_IMAGE= the boot loader left in /proc/cmdline";
        if (streq(source, SOURCE_LAYOUT))
                return "the distribution's name for the running release";
        if (streq(source, SOURCE_SCAN))
                return "an image in /boot, by the release in its boot header";
        if (streq(source, SOURCE_MODULES))
                return "the copy in /usr/lib/modules";
        if (streq(source, "bls"))
                return "a Boot Loader Specification entry";
        if (streq(source, "grub"))
                return "GRUB's menu (grub.cfg)";
        if (streq(source, "nixos"))
                return "a NixOS system profile";
        if (streq(source, "uki"))
                return "a unified kernel image in EFI/Linux";
        return source;
}
static char *join(char *const *l)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; l && l[i]; i++)
                fprintf(f, "%s%s", i ? ", " : "", l[i]);
        fclose(f);
        return out;
}
/* What reboot does, in order, as sentences: the same list for text and JSON. */
static char **plan_steps(const struct plan *p)
{
        _cleanup_free_ char *units = join(p->stop_units), *mods = join(p->modules);
        char **steps = calloc(1, sizeof(char *));
        int err = 0;

        if (!steps || !units || !mods)
                goto fail;
        err = strv_extend(&steps, "load the kernel with kexec_file_load");
        if (err >= 0 && p->isolate)
                err = strv_push(&steps, strdup_printf("isolate %s (a graphical target is active)",
                                                      p->config.isolate_target));
        if (err >= 0 && p->stop_units && p->stop_units[0])
                err = strv_push(&steps, strdup_printf("stop %s", units));
        if (err >= 0 && p->modules && p->modules[0])
                err = strv_push(&steps, strdup_printf("unload %s", mods));
        if (err >= 0)
                err = strv_extend(&steps, p->handover == HANDOVER_SYSTEMD
                                                  ? "hand over through systemd (services stop, "
                                                    "file systems unmount)"
                                                  : "hand over directly (processes end, sync, "
                                                    "file systems read-only, then kexec)");
        if (err >= 0)
                return steps;
fail:
        strv_free(steps);
        return NULL;
}
void plan_print_text(const struct plan *p, FILE *f)
{
        _cleanup_strv_free_ char **steps = plan_steps(p);

        fprintf(f, "Running:  %s\n", p->host.release ? p->host.release : "(unknown)");
        fprintf(f, "Kernel:   %s", p->kernel ? p->kernel : "(none found)");
        if (p->have_image && p->image.release[0])
                fprintf(f, " (%s)", p->image.release);
        fputc('\n', f);
        if (p->source)
                fprintf(f, "          from %s\n", source_words(p->source));
        if ((!p->initrds || !p->initrds[0]) && p->uki)
                fputs("Initrd:   (the UKI's own .ucode and .initrd)\n", f);
        else if (!p->initrds || !p->initrds[0])
                fputs("Initrd:   (none)\n", f);
        for (size_t i = 0; p->initrds && p->initrds[i]; i++)
                fprintf(f, "%s%s\n", i ? "          " : "Initrd:   ", p->initrds[i]);
        fprintf(f, "Cmdline:  %s\n", p->cmdline ? p->cmdline : "(none)");
        for (size_t i = 0; i < p->n_holders; i++) {
                const struct holder *h = &p->holders[i];
                fprintf(f, "%s%d %s%s%s holds %s\n", i ? "          " : "Holders:  ", (int)h->pid,
                        h->comm ? h->comm : "?", h->unit ? " in " : "", h->unit ? h->unit : "",
                        h->device);
        }
        for (size_t i = 0; steps && steps[i]; i++)
                fprintf(f, "%s%zu. %s\n", i ? "          " : "Steps:    ", i + 1, steps[i]);
        fputs("Checks:\n", f);
        for (size_t i = 0; i < p->n_checks; i++)
                fprintf(f, "  %s  %-20s %s\n", check_status_to_string(p->checks[i].status),
                        p->checks[i].name, p->checks[i].detail);
}
void plan_print_json(const struct plan *p, FILE *f)
{
        fputs("{\"kernel\": ", f);
        json_string_or_null(f, p->kernel);
        fputs(", \"initrds\": ", f);
        json_strv(f, p->initrds);
        fputs(", \"cmdline\": ", f);
        json_string_or_null(f, p->cmdline);
        fputs(", \"release\": ", f);
        json_string_or_null(f, p->host.release);
        fputs(", \"source\": ", f);
        json_string_or_null(f, p->source);
        fputs(", \"image\": ", f);
        if (p->have_image) {
                fputs("{\"release\": ", f);
                json_string_or_null(f, p->image.release[0] ? p->image.release : NULL);
                fprintf(f, ", \"protocol\": \"%u.%02u\", \"signed\": %s, \"cmdline_max\": %zu}",
                        p->image.protocol >> 8, p->image.protocol & 0xff,
                        p->image.signature ? "true" : "false", bzimage_cmdline_max(&p->image));
        } else
                fputs("null", f);
        fprintf(f, ", \"handover\": \"%s\", \"modules\": ", handover_to_string(p->handover));
        json_strv(f, p->modules);
        fputs(", \"isolate\": ", f);
        json_string_or_null(f, p->isolate ? p->config.isolate_target : NULL);
        fputs(", \"stop_units\": ", f);
        json_strv(f, p->stop_units);
        fputs(", \"holders\": [", f);
        for (size_t i = 0; i < p->n_holders; i++) {
                fprintf(f, "%s{\"pid\": %d, \"comm\": ", i ? ", " : "", (int)p->holders[i].pid);
                json_string_or_null(f, p->holders[i].comm);
                fputs(", \"unit\": ", f);
                json_string_or_null(f, p->holders[i].unit);
                fputs(", \"device\": ", f);
                json_string_or_null(f, p->holders[i].device);
                fputc('}', f);
        }
        fputs("], \"steps\": ", f);
        {
                _cleanup_strv_free_ char **steps = plan_steps(p);
                json_strv(f, steps);
        }
        fputs(", \"checks\": [", f);
        for (size_t i = 0; i < p->n_checks; i++) {
                fprintf(f, "%s{\"name\": \"%s\", \"status\": \"%s\", \"detail\": ", i ? ", " : "",
                        p->checks[i].name, check_status_to_string(p->checks[i].status));
                json_string(f, p->checks[i].detail);
                fputc('}', f);
        }
        fputs("]}\n", f);
}
