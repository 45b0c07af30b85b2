/* RFC 8448 trace reader. See rfc8448.h. */
#include "rfc8448.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct field {
    int section;
    char role[8];
    char step[160];
    char name[64];
    uint8_t *data;
    size_t len;
} field;

static field *fields;
static size_t nfields;
static int loaded;

static int is_page_noise(const char *l)
{
    return l[0] == '\f' || strncmp(l, "Thomson", 7) == 0 || strncmp(l, "Internet-Draft", 14) == 0 ||
           strncmp(l, "RFC 8448", 8) == 0 || (strstr(l, "[Page ") != NULL && l[0] != ' ');
}

static int hex_line(const char *s, field *f)
{
    while (*s != '\0') {
        int hi, lo;

        while (*s == ' ') {
            s++;
        }
        if (*s == '\0' || *s == '\n') {
            break;
        }
        if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) ||
            (s[2] != ' ' && s[2] != '\n' && s[2] != '\0')) {
            return 0;
        }
        hi = isdigit((unsigned char)s[0]) ? s[0] - '0' : tolower((unsigned char)s[0]) - 'a' + 10;
        lo = isdigit((unsigned char)s[1]) ? s[1] - '0' : tolower((unsigned char)s[1]) - 'a' + 10;
        f->data = realloc(f->data, f->len + 1);
        if (f->data == NULL) {
            abort();
        }
        f->data[f->len++] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    return 1;
}

static void load(void)
{
    const char *src = getenv("LATCH_SRC");
    char path[1024], line[512], step[160] = "", role[8] = "";
    int section = 0;
    field *cur = NULL;
    FILE *fp;

    loaded = 1;
    snprintf(path, sizeof path, "%s/tests/kat/data/rfc8448.txt", src ? src : ".");
    fp = fopen(path, "r");
    if (fp == NULL) {
        fprintf(stderr, "rfc8448: cannot open %s (set LATCH_SRC)\n", path);
        abort();
    }
    while (fgets(line, sizeof line, fp) != NULL) {
        char *p;
        unsigned octets;
        int sec;

        if (is_page_noise(line)) {
            continue;
        }
        if (line[0] != ' ' && sscanf(line, "%d.  ", &sec) == 1 && strstr(line, "  ") != NULL) {
            section = sec;
            cur = NULL;
            continue;
        }
        if (strncmp(line, "   {", 4) == 0 && (p = strchr(line, '}')) != NULL) {
            size_t rl = (size_t)(p - line - 4);

            if (rl >= sizeof role) {
                rl = sizeof role - 1;
            }
            memcpy(role, line + 4, rl);
            role[rl] = '\0';
            p++;
            while (*p == ' ') {
                p++;
            }
            snprintf(step, sizeof step, "%s", p);
            step[strcspn(step, "\n")] = '\0';
            cur = NULL;
            continue;
        }
        /* A field: six spaces, a name, " (N octets):", then hex. */
        if (strncmp(line, "      ", 6) == 0 && line[6] != ' ' && (p = strstr(line, " octets):")) != NULL) {
            char *open = p;
            field *f;

            while (open > line && *open != '(') {
                open--;
            }
            if (sscanf(open, "(%u octets):", &octets) != 1) {
                continue;
            }
            fields = realloc(fields, (nfields + 1) * sizeof *fields);
            if (fields == NULL) {
                abort();
            }
            f = &fields[nfields++];
            memset(f, 0, sizeof *f);
            f->section = section;
            snprintf(f->role, sizeof f->role, "%s", role);
            snprintf(f->step, sizeof f->step, "%s", step);
            snprintf(f->name, sizeof f->name, "%.*s", (int)(open - 1 - (line + 6)), line + 6);
            hex_line(p + strlen(" octets):"), f);
            cur = f;
            continue;
        }
        if (cur != NULL && strncmp(line, "         ", 9) == 0) {
            if (!hex_line(line, cur)) {
                cur = NULL;
            }
            continue;
        }
        if (line[0] != '\n') {
            cur = NULL;
        }
    }
    fclose(fp);
}

const uint8_t *rfc8448_try(int section, const char *role, const char *step, const char *name, int nth,
                           size_t *len)
{
    if (!loaded) {
        load();
    }
    for (size_t i = 0; i < nfields; i++) {
        field *f = &fields[i];

        if (f->section == section && strcmp(f->role, role) == 0 && strncmp(f->step, step, strlen(step)) == 0 &&
            strcmp(f->name, name) == 0 && nth-- == 0) {
            if (len != NULL) {
                *len = f->len;
            }
            return f->data;
        }
    }
    return NULL;
}

const uint8_t *rfc8448(int section, const char *role, const char *step, const char *name, int nth, size_t *len)
{
    const uint8_t *p = rfc8448_try(section, role, step, name, nth, len);

    if (p == NULL) {
        fprintf(stderr, "rfc8448: no field '%s' #%d in section %d {%s} '%s'\n", name, nth, section, role, step);
        abort();
    }
    return p;
}
