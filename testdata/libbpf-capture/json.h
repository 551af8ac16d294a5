/*
 * The JSON writing every part of the libbpf capture harness shares (the bpf() interposer
 * interpose.c and the libbpf driver capture.c): strings escaped the same way everywhere, byte
 * strings as lower-case hex. Header-only so that each part stays one compiler invocation.
 */
#ifndef BPF4J_CAPTURE_JSON_H
#define BPF4J_CAPTURE_JSON_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string of s (at most max bytes, up to its NUL; NULL writes ""). Quotes and backslashes
 * are escaped by a backslash, every other byte outside printable ASCII as \u00XX: names from
 * an object are bytes, not necessarily UTF-8. */
static inline void json_string(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; s && i < max && s[i]; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* json_string of a NUL-terminated string, or null when s is NULL */
static inline void json_string_or_null(FILE *f, const char *s)
{
	if (s)
		json_string(f, s, (size_t)-1);
	else
		fputs("null", f);
}

/* n bytes as hex digits, without quotes (for writers that produce a string in pieces) */
static inline void json_hex_digits(FILE *f, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

/* n bytes as a JSON string of hex digits */
static inline void json_hex(FILE *f, const void *p, size_t n)
{
	fputc('"', f);
	json_hex_digits(f, p, n);
	fputc('"', f);
}

#endif
